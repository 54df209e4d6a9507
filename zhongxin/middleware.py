"""Site-wide request handling that no single app owns."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from zhongxin.errors import error_body

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A lost database connection (server restarted, network cut) answers 503 with "nothing was saved,
    submit again" instead of a server error: every write runs in one transaction, so it is true.
    Integrity and data errors are bugs, not outages, and still surface as server errors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.exception("database unavailable during %s %s", request.method, request.path)
        message = _("数据库连接中断，本次操作未保存，请稍后重新提交。")
        if request.path.startswith("/api/"):
            return JsonResponse(
                error_body("database_unavailable", f"{message} / database unavailable, nothing was saved"),
                status=503,
            )
        # Standalone page: base.html's navigation would query the database that just failed.
        return HttpResponse(render_to_string("503.html", {"message": message}), status=503)
