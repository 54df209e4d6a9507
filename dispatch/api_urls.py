app_name = "dispatch_api"
urlpatterns: list = []
