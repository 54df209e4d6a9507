"""The one writer of case events; every event is announced to the listeners of dispatch.hooks."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from dispatch import hooks
from dispatch.models import CaseEvent
from intake.models import Case


def event_write(
    case: Case,
    event_type: str,
    *,
    actor: AbstractBaseUser | None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    payload: dict | None = None,
) -> CaseEvent:
    """Writes one immutable event (codes and the reason as given, never translated text) and calls the
    listeners inside the caller's transaction."""
    event = CaseEvent.objects.create(
        case=case,
        type=event_type,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        payload=payload or {},
        at=timezone.now(),
    )
    hooks.transition_happened(case, event)
    return event
