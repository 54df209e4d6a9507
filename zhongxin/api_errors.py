"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): every 4xx body, whoever refused
the request (a service's DomainError, DRF's validation, authentication, permission, throttling, routing, the
JSON parser, Django's body limits), has the shape {"code", "detail", "field"?}; a validation error also
lists every failing field under "errors", each in the same shape."""

from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from zhongxin.errors import DomainError, error_body
from zhongxin.parsers import JSONParser, PayloadTooLarge, parse_error


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """None (a server error) for anything that is not a refusal."""
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(exc.as_body(), status=exc.status)
    exc = _as_api_exception(exc, context)
    response = drf_exception_handler(exc, context)  # status, Retry-After, WWW-Authenticate, rollback
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = _body(exc)
    return response


def _as_api_exception(exc: Exception, context: dict) -> Exception:
    """Django's refusals of a request body (too big, too many fields) are raised while the view reads
    `request.data` and would otherwise become an HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        request = context.get("request")
        is_json = request is not None and (request.content_type or "").startswith(JSONParser.media_type)
        return PayloadTooLarge(
            settings.API_MAX_BODY_BYTES if is_json else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return parse_error(_("请求包含的字段或文件过多。"), "too_many_fields")
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def _body(exc: exceptions.APIException) -> dict:
    errors = [
        error_body(getattr(detail, "code", None) or exc.default_code, detail, field)
        for field, detail in _flatten(exc.detail)
    ]
    if not errors:  # an empty ValidationError: still a refusal with a code
        return error_body(exc.default_code, exc.default_detail)
    if isinstance(exc, exceptions.ValidationError):
        return {**errors[0], "errors": errors}
    return errors[0]


def _flatten(detail, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """DRF's nested error detail as (dotted field path, message) pairs, e.g. ("parties.0.id_number", …)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            # Errors about the whole object (non_field_errors) name no field.
            whole = key == api_settings.NON_FIELD_ERRORS_KEY
            yield from _flatten(value, path if whole else (*path, str(key)))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            yield from _flatten(item, (*path, str(index)) if isinstance(item, dict | list) else path)
    else:
        yield ".".join(path), detail
