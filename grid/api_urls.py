from rest_framework.routers import SimpleRouter

from grid.api import CenterViewSet, DepartmentViewSet, RegionViewSet

app_name = "grid_api"
router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("centers", CenterViewSet, basename="center")
router.register("departments", DepartmentViewSet, basename="department")
urlpatterns = router.urls
