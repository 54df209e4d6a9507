"""What the page views share: running a service and turning its refusals into a message or a 403."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dispatch.exceptions import InvalidTransition, TransitionForbidden, TransitionInputError
from dispatch.messages import error_message
from mediation.exceptions import MediationError, NoticeForbidden


def run_service(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Runs `action`; a refusal becomes an error message (nothing changed), a forbidden act a 403."""
    try:
        action()
    except MediationError as error:
        messages.error(request, error.message)
        return False
    except (InvalidTransition, TransitionInputError) as error:
        messages.error(request, error_message(error))
        return False
    except (TransitionForbidden, NoticeForbidden) as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, success)
    return True


def require_perm(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied
