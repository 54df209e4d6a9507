app_name = "analytics_api"
urlpatterns: list = []
