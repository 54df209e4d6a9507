from django.urls import path
from rest_framework.routers import SimpleRouter

from intake.api import CaseViewSet, CategoryListView, ChannelListView, MatterTypeListView

app_name = "intake_api"
router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
urlpatterns = [
    path("categories/", CategoryListView.as_view(), name="categories"),
    path("channels/", ChannelListView.as_view(), name="channels"),
    path("matter-types/", MatterTypeListView.as_view(), name="matter-types"),
    *router.urls,
]
