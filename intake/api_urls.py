app_name = "intake_api"
urlpatterns: list = []
