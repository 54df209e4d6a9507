app_name = "mediation_api"
urlpatterns: list = []
