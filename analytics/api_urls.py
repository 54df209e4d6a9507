from django.urls import path

from analytics import api

app_name = "analytics_api"
urlpatterns = [
    path("summary", api.SummaryAPI.as_view(), name="summary"),
    path("by-category", api.ByCategoryAPI.as_view(), name="by_category"),
    path("by-region", api.ByRegionAPI.as_view(), name="by_region"),
    path("trend", api.TrendAPI.as_view(), name="trend"),
    path("warnings", api.WarningsAPI.as_view(), name="warnings"),
]
