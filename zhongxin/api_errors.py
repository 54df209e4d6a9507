"""The API's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"])."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext_lazy as _
from rest_framework.views import exception_handler as drf_exception_handler

from zhongxin.parsers import JSONParser, PayloadTooLarge, parse_error


def api_exception_handler(exc: Exception, context: dict):
    """DRF's handler, plus Django's refusals of a request body (too big, too many fields) as API errors:
    they are raised while the view reads `request.data` and would otherwise become an HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        request = context.get("request")
        is_json = request is not None and (request.content_type or "").startswith(JSONParser.media_type)
        exc = PayloadTooLarge(
            settings.API_MAX_BODY_BYTES if is_json else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = parse_error(_("请求包含的字段或文件过多。"), "too_many_fields")
    return drf_exception_handler(exc, context)
