"""Deadline extensions (延期): a request and a supervisor's decision, recorded as steps that keep the
status."""

from django.utils import timezone

from dispatch import deadlines
from dispatch.choices import (
    DeadlineKind,
    DeadlineState,
    ExtensionState,
    NotificationKind,
)
from dispatch.exceptions import InvalidTransition, TransitionInputError
from dispatch.models import OPEN_DEADLINE_STATES, CaseEvent, Deadline, ExtensionRequest
from dispatch.services import center_supervisors, notify, notify_all
from dispatch.transitions.core import (
    Actor,
    _transition,
)
from dispatch.transitions.steps import STEPS
from intake.models import Case


def case_request_extension(
    case: Case,
    *,
    actor: Actor,
    extra_days: int,
    reason: str,
    kind: str = DeadlineKind.CLOSE,
    expected_version: int | None = None,
) -> Case:
    """The responsible unit asks for `extra_days` more working days on a running clock (延期); nothing
    moves until a supervisor decides."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")
    if not 1 <= extra_days <= 30:
        raise TransitionInputError("extra_days", "extra_days_out_of_range")

    def apply(locked: Case) -> list[str]:
        deadline = Deadline.objects.filter(case=locked, kind=kind, state__in=OPEN_DEADLINE_STATES).first()
        if deadline is None:
            raise InvalidTransition("no_running_deadline")
        if deadline.extensions.filter(state=ExtensionState.PENDING).exists():
            raise InvalidTransition("extension_pending")
        request = ExtensionRequest.objects.create(
            deadline=deadline, case=locked, requested_by=actor, reason=reason, extra_days=extra_days
        )
        payloads.update(extension=request.pk, kind=kind, extra_days=extra_days)
        return []

    def after(locked: Case, event: CaseEvent) -> None:
        notify_all(
            center_supervisors(locked.handling_center),
            NotificationKind.EXTENSION_REQUESTED,
            case=locked,
            payload={"extension": payloads["extension"]},
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


def extension_decide(extension: ExtensionRequest, *, actor: Actor, approve: bool, reason: str = "") -> Case:
    """A supervisor approves (the deadline moves by the requested working days) or refuses a request."""

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
        notify(
            extension.requested_by, NotificationKind.EXTENSION_DECIDED, case=locked, payload=dict(payloads)
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
    )
