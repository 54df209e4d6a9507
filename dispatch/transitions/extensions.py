"""Deadline extensions (延期): a request and a supervisor's decision, recorded as steps that keep the
status."""

import datetime as dt

from django.utils import timezone

from dispatch import deadlines, guards
from dispatch.choices import (
    DeadlineKind,
    DeadlineState,
    ExtensionState,
    NotificationKind,
)
from dispatch.exceptions import InvalidTransition, TransitionInputError
from dispatch.models import OPEN_DEADLINE_STATES, CaseEvent, Deadline, ExtensionRequest
from dispatch.permissions import DispatchPermission
from dispatch.services import center_supervisors, notify_all
from dispatch.transitions.core import (
    Actor,
    _transition,
)
from dispatch.transitions.steps import STEPS
from grid.calendar import is_workday, working_days_between
from intake.models import Case

# The most one extension may add (the policy's maximum, in working days on the official calendar).
EXTENSION_MAX_DAYS = 30


def case_request_extension(
    case: Case,
    *,
    actor: Actor,
    reason: str,
    extra_days: int | None = None,
    new_due_date: dt.date | None = None,
    kind: str = DeadlineKind.CLOSE,
    expected_version: int | None = None,
) -> Case:
    """The responsible unit asks for `extra_days` more working days on a running clock (延期), or names
    the working day it should end on instead; nothing moves until a supervisor decides."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")
    if (extra_days is None) == (new_due_date is None):
        raise TransitionInputError("extra_days", "extra_days_or_new_due_date")
    if extra_days is not None and not 1 <= extra_days <= EXTENSION_MAX_DAYS:
        raise TransitionInputError("extra_days", "extra_days_out_of_range")

    def apply(locked: Case) -> list[str]:
        deadline = Deadline.objects.filter(case=locked, kind=kind, state__in=OPEN_DEADLINE_STATES).first()
        if deadline is None:
            raise InvalidTransition("no_running_deadline")
        days = extra_days if new_due_date is None else _days_until(deadline, new_due_date)
        if deadline.extensions.filter(state=ExtensionState.PENDING).exists():
            raise InvalidTransition("extension_pending")
        request = ExtensionRequest.objects.create(
            deadline=deadline, case=locked, requested_by=actor, reason=reason, extra_days=days
        )
        payloads.update(extension=request.pk, kind=kind, extra_days=days)
        return []

    def after(locked: Case, event: CaseEvent) -> None:
        notify_all(
            center_supervisors(locked.handling_center),
            NotificationKind.EXTENSION_REQUESTED,
            case=locked,
            payload={"extension": payloads["extension"]},
            actor=event.actor,
        )

    payloads: dict = {}
    return _transition(
        case,
        STEPS["request_extension"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
    )


def _days_until(deadline: Deadline, new_due_date: dt.date) -> int:
    """The working days that move the clock's due time onto `new_due_date` (same time of day)."""
    overrides = deadlines.calendar_overrides()
    if not is_workday(new_due_date, overrides):
        raise TransitionInputError("new_due_date", "new_due_date_not_workday")
    days = working_days_between(timezone.localtime(deadline.due_at).date(), new_due_date, overrides)
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise TransitionInputError("new_due_date", "new_due_date_out_of_range")
    return days


def extension_decide(
    extension: ExtensionRequest,
    *,
    actor: Actor,
    approve: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """A supervisor of the case's handling center approves (the deadline moves by the requested working
    days) or refuses a request."""

    def apply(locked: Case) -> list[str]:
        request = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        if request.state != ExtensionState.PENDING:
            raise InvalidTransition("extension_decided")
        if approve:
            deadline = Deadline.objects.select_for_update().get(pk=request.deadline_id)
            if deadline.state not in (*OPEN_DEADLINE_STATES, DeadlineState.PAUSED):
                raise InvalidTransition("deadline_not_running")
            deadlines.deadline_extend(deadline, request.extra_days)
            payloads["due_at"] = deadline.due_at.isoformat()
        request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        request.decided_by, request.decided_at, request.decision_reason = actor, timezone.now(), reason
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        payloads.update(extension=request.pk, extra_days=request.extra_days)
        extension.state = request.state
        return []

    def after(locked: Case, event: CaseEvent) -> None:
        requester = [extension.requested_by]
        notify_all(
            requester,
            NotificationKind.EXTENSION_DECIDED,
            case=locked,
            payload=dict(payloads),
            actor=event.actor,
        )

    payloads: dict = {}
    case = Case.objects.get(pk=extension.case_id)
    return _transition(
        case,
        STEPS["approve_extension" if approve else "refuse_extension"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
    )


def case_decide_extension(
    case: Case,
    *,
    actor: Actor,
    approve: bool,
    note: str = "",
    extension: int | None = None,
    expected_version: int | None = None,
) -> Case:
    """The decision on the case's pending request (the one named by id, else the oldest), for callers
    that address the case: the API's approve-extension and refuse-extension."""
    pending = ExtensionRequest.objects.filter(case=case, state=ExtensionState.PENDING).order_by("pk")
    request = (pending.filter(pk=extension) if extension is not None else pending).first()
    if request is None:
        # Who may decide is answered before whether there is anything to decide (403 before 409).
        guards.authorize(case, actor, DispatchPermission.REVIEW)
        guards.require_center_supervisor(case, actor)
        raise InvalidTransition("no_pending_extension")
    return extension_decide(
        request, actor=actor, approve=approve, reason=note, expected_version=expected_version
    )
