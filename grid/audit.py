"""The audit trail's entry points besides django-auditlog's automatic create/change/delete records:
accesses (a full view of a masked field, an export) are written as auditlog ACCESS entries."""

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.http import HttpRequest


def audit_access(*, request: HttpRequest, obj: Model, what: str) -> LogEntry:
    """Records that `request.user` read `what` of `obj` (e.g. "export:cases", "full_identity")."""
    actor: AbstractBaseUser | None = request.user if request.user.is_authenticated else None
    return LogEntry.objects.log_create(
        obj,
        action=LogEntry.Action.ACCESS,
        changes={"accessed": [what, what]},
        actor=actor,
        remote_addr=request.META.get("REMOTE_ADDR"),
        force_log=True,
    )
