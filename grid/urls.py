app_name = "grid"
urlpatterns: list = []
