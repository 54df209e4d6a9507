from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dispatch import views as dispatch_views
from zhongxin import views

api_v1 = [
    path("", include("grid.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("dispatch.api_urls")),
    path("", include("mediation.api_urls")),
    path("analytics/", include("analytics.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("track/", dispatch_views.track, name="track"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("grid/", include("grid.urls")),
    path("intake/", include("intake.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("mediation/", include("mediation.urls")),
    path("analytics/", include("analytics.urls")),
]

handler404 = views.not_found
