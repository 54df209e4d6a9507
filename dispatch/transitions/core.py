"""What every lifecycle step goes through: the row lock, the step table's checks (steps.py), and
`_transition`, the only writer of Case.status (with color, handling_center/region, assignee and
assigned_department set by the steps' `apply`). `steps_available` asks the same checks without the lock."""

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
from dispatch.exceptions import InvalidTransition, TransitionForbidden
from dispatch.models import CaseEvent
from dispatch.services import case_responsible_users, notify_all
from dispatch.transitions.steps import STEPS, Step
from grid.models import Department
from intake.models import Case

Actor = AbstractBaseUser | None
Apply = Callable[[Case], list[str]]
After = Callable[[Case, CaseEvent], None]


def _transition(
    case: Case,
    step: Step,
    *,
    actor: Actor,
    to: CaseStatus | None = None,
    reason: str = "",
    payload: dict | None = None,
    apply: Apply | None = None,
    after: After | None = None,
    expected_version: int | None = None,
) -> Case:
    """One lifecycle step under the row lock: the actor must hold the step's permission and jurisdiction,
    the locked row's status must be one the step starts from and the step's conditions must hold. `to`
    chooses among several targets (resolve, resume); a step without targets keeps the status. `apply`
    checks the step's input against the locked row, changes it and returns the extra fields it changed;
    `after` runs once the event exists (rows pointing at it, notifications)."""
    target = step.target(to)
    with transaction.atomic():
        locked = _lock(case, expected_version, actor=actor, permission=step.permission)
        from_status = locked.status
        _check_step(step, locked, actor)
        fields = apply(locked) if apply else []
        if target is not None:
            locked.status = target
        locked.version += 1
        locked.save(update_fields=["status", "version", *fields])
        event = event_write(
            locked,
            step.event_type,
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


def _check_step(step: Step, case: Case, actor: Actor) -> None:
    """What the table says about this case as it stands: the status and the step's conditions."""
    if case.status not in step.sources:
        raise InvalidTransition("invalid_transition", f"{step.name} from {case.status}")
    for condition in step.conditions:
        condition(case, actor)


def steps_available(case: Case, user: Actor) -> set[str]:
    """The steps `user` may take on `case` now, by `_transition`'s own checks (without the lock: a page
    showing them may go stale, and the step itself still decides)."""
    return {name for name, step in STEPS.items() if _may_take(step, case, user)}


def _may_take(step: Step, case: Case, user: Actor) -> bool:
    if case.status not in step.sources:
        return False  # decided without a query
    try:
        guards.authorize(case, user, step.permission)
        _check_step(step, case, user)
    except (InvalidTransition, TransitionForbidden):
        return False
    return True


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


def _notify_assigned(case: Case, event: CaseEvent) -> None:
    notify_all(case_responsible_users(case), NotificationKind.ASSIGNED, case=case, actor=event.actor)


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
