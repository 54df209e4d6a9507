"""What every lifecycle step goes through: the transition table, the row lock, and `_transition`, the only
writer of Case.status (with color, handling_center/region, assignee and assigned_department set by the
steps' `apply`)."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dispatch import deadlines, guards
from dispatch.choices import (
    CaseStatus,
    DeadlineKind,
    NotificationKind,
)
from dispatch.events import event_write
from dispatch.exceptions import InvalidTransition
from dispatch.models import CaseEvent
from dispatch.services import case_responsible_users, notify_all
from grid.models import Department
from intake.models import Case

S = CaseStatus


ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.REGISTERED: frozenset({S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    # Handed down (下沉交办), a case is triaged again, waiting in the lower center's assignment queue.
    S.TRIAGED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.UNRESOLVED, S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.RESOLVED: frozenset({S.CLOSED}),
    S.UNRESOLVED: frozenset({S.CLOSED, S.ESCALATED}),
    S.CLOSED: frozenset({S.IN_PROGRESS, S.FOLLOWED_UP, S.REOPENED}),
    S.FOLLOWED_UP: frozenset({S.REOPENED}),
    # An escalated case is assigned (or escalated further) by the center that took it over.
    S.ESCALATED: frozenset({S.ASSIGNED, S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.TRANSFERRED: frozenset(),
    # Resuming returns to the state the case was suspended in.
    S.SUSPENDED: frozenset({S.REGISTERED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED}),
    S.REOPENED: frozenset({S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
}


# Being handled somewhere: these may be transferred or suspended, and (with unresolved) escalated.
ACTIVE = frozenset({S.REGISTERED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED})


ESCALATABLE = ACTIVE | {S.UNRESOLVED}


Actor = AbstractBaseUser | None
Apply = Callable[[Case], list[str]]
After = Callable[[Case, CaseEvent], None]


def _transition(
    case: Case,
    to: CaseStatus | None,
    *,
    actor: Actor,
    event_type: str,
    permission: str,
    reason: str = "",
    payload: dict | None = None,
    apply: Apply | None = None,
    after: After | None = None,
    expected_version: int | None = None,
    sources: frozenset[CaseStatus] | None = None,
) -> Case:
    """One lifecycle step under the row lock. `to` must be allowed from the locked row's current status,
    and that status must be one this step starts from (`sources`, e.g. only an assigned case can be
    signed for); `to=None` records a step that keeps the status (an extension request or decision).
    `apply` checks and changes the locked row and returns the extra fields it changed; `after` runs once
    the event exists (rows pointing at it, notifications)."""
    with transaction.atomic():
        locked = _lock(case, expected_version, actor=actor, permission=permission)
        from_status = locked.status
        allowed = to is None or to in ALLOWED[CaseStatus(from_status)]
        if not allowed or (sources is not None and from_status not in sources):
            raise InvalidTransition("invalid_transition", f"{from_status} → {to or from_status}")
        fields = apply(locked) if apply else []
        if to is not None:
            locked.status = to
        locked.version += 1
        locked.save(update_fields=["status", "version", *fields])
        event = event_write(
            locked,
            event_type,
            actor=actor,
            from_status=from_status,
            to_status=locked.status,
            reason=reason,
            payload=payload,
        )
        if after:
            after(locked, event)
    _copy_state(locked, case)
    return locked


def _lock(case: Case, expected_version: int | None, *, actor: Actor, permission: str) -> Case:
    """Locks and re-reads the row; the caller's version (given, or the one it holds) must still be current
    (the loser of a race is told its view is stale), then the actor must be allowed the step. Who may act
    is checked before the status: a caller without the right is refused (403) whatever the case's state."""
    # No joins in the locking query: PostgreSQL re-checks a joined row after the wait and would drop a
    # case whose handling center just changed, instead of returning it for the version check.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    version = case.version if expected_version is None else expected_version
    if locked.version != version:
        raise InvalidTransition("stale_version", f"version {version} is stale, now {locked.version}")
    guards.authorize(locked, actor, permission)
    return locked


def _hand_to(case: Case, department: Department | None, assignee: AbstractBaseUser | None) -> list[str]:
    case.assigned_department, case.assignee = department, assignee
    return ["assigned_department", "assignee"]


def _start_handling(case: Case, *, owner: AbstractBaseUser | None) -> None:
    deadlines.deadline_meet(case, DeadlineKind.RESPOND)
    deadlines.deadline_start(case, DeadlineKind.CLOSE, owner=owner)
    deadlines.deadlines_reassign(case, (DeadlineKind.CLOSE,), owner)


def _handler_payload(department: Department | None, assignee: AbstractBaseUser | None) -> dict:
    return {
        "department": department.pk if department else None,
        "assignee": assignee.pk if assignee else None,
    }


def _returned_handlers(returned: CaseEvent) -> tuple[Department | None, AbstractBaseUser | None]:
    department_id, assignee_id = returned.payload.get("department"), returned.payload.get("assignee")
    department = Department.objects.filter(pk=department_id).first() if department_id else None
    assignee = get_user_model().objects.filter(pk=assignee_id).first() if assignee_id else None
    return department, assignee


def _last_event(case: Case, types: tuple[str, ...]) -> CaseEvent | None:
    return CaseEvent.objects.filter(case=case, type__in=types).order_by("-at", "-pk").first()


def _notify_assigned(case: Case, event: CaseEvent) -> None:
    notify_all(case_responsible_users(case), NotificationKind.ASSIGNED, case=case)


def _copy_state(source: Case, target: Case) -> None:
    """Keeps the caller's instance current, so a following step does not look stale."""
    if source is target:
        return
    for name in (
        "status",
        "color",
        "handling_center",
        "handling_region",
        "assignee",
        "assigned_department",
        "version",
    ):
        setattr(target, name, getattr(source, name))
