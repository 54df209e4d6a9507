"""Site-wide pages: the role-aware home and the health endpoint."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound

from zhongxin.celery import app as celery_app
from zhongxin.errors import error_body
from zhongxin.navigation import first_page_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    target = first_page_for(request.user)
    return redirect(target) if target else render(request, "home.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability, for load balancers and compose health checks."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure means "not reachable"; report its class, not secrets
        return f"error: {type(error).__name__}"
    return "ok"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"error: {type(error).__name__}"
    return "ok"


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: a path under /api/ that names no operation answers in the API's error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(NotFound.default_code, NotFound.default_detail), status=404)
    return page_not_found(request, exception)
