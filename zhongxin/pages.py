"""The pages' one translation of a DomainError (zhongxin.errors), as the API's is zhongxin.api_errors:
a refusal of who may act becomes the 403 page (404 for what is not there), any other refusal an error
message on the page the user comes back to, with nothing changed."""

from collections.abc import Callable
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from zhongxin.errors import DomainError


def run_service(request: HttpRequest, action: Callable[[], object], success: str = "") -> bool:
    """Runs `action`; True (and the `success` message) if it went through, False after a message saying why
    not. Raises PermissionDenied / Http404 for a refusal of who may act or what exists."""
    try:
        action()
    except DomainError as error:
        domain_error_message(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


def domain_error_message(request: HttpRequest, error: DomainError) -> None:
    if error.status == HTTPStatus.FORBIDDEN:
        raise PermissionDenied(error.code) from error
    if error.status == HTTPStatus.NOT_FOUND:
        raise Http404(error.code) from error
    messages.error(request, error.detail)
