"""Steps that move a case out of its center's hands or stop its clocks: escalation up the tier tree and
hand-down below it, transfer out of the dispute procedure, suspension and resumption."""

from django.db import transaction

from dispatch import deadlines
from dispatch.choices import (
    CaseStatus,
    DeadlineKind,
    EventType,
    NotificationKind,
    TransferTarget,
)
from dispatch.exceptions import TransitionInputError
from dispatch.models import CaseEvent, Escalation
from dispatch.routing import center_above, centers_below
from dispatch.services import center_supervisors, notify_all
from dispatch.transitions.core import (
    Actor,
    _hand_to,
    _lock,
    _transition,
)
from dispatch.transitions.steps import STEPS, last_event
from grid.models import Center
from intake.models import Case

# Clocks of the tier below stop when the case goes up; the higher center gets its own closing clock.
# Handing a case down stops and starts the same ones.
ESCALATION_CANCELS = (DeadlineKind.RESPOND, DeadlineKind.CLASSIFY, DeadlineKind.CLOSE)


def _move_to_center(locked: Case, center: Center, payloads: dict) -> list[str]:
    """Puts the case in `center`'s queue (escalation and hand-down): the old center's clocks stop, the
    new center starts its own close clock under its tier's policy, and nobody is responsible yet."""
    payloads.update(from_center=locked.handling_center.code, to_center=center.code)
    deadlines.deadlines_cancel(locked, ESCALATION_CANCELS)
    locked.handling_center, locked.handling_region = center, center.region
    deadlines.deadline_start(locked, DeadlineKind.CLOSE)
    return ["handling_center", "handling_region", *_hand_to(locked, None, None)]


def case_escalate(
    case: Case,
    *,
    actor: Actor = None,
    reason: str,
    automatic: bool = False,
    expected_version: int | None = None,
) -> Case:
    """Any open state → escalated (提级): the nearest center up the tier tree takes the case into its queue
    with a fresh close clock; the lower center keeps read access (the case region stays in its subtree)
    and is notified. Records an Escalation row."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")
    moved: dict = {}

    def apply(locked: Case) -> list[str]:
        higher = center_above(locked.handling_region)  # there is one: the step's condition
        moved.update(from_center=locked.handling_center, from_region=locked.handling_region)
        payloads["automatic"] = automatic
        return _move_to_center(locked, higher, payloads)

    def after(locked: Case, event: CaseEvent) -> None:
        Escalation.objects.create(
            case=locked,
            from_center=moved["from_center"],
            to_center=locked.handling_center,
            from_region=moved["from_region"],
            to_region=locked.handling_region,
            automatic=automatic,
            reason=reason,
            actor=actor,
            event=event,
            at=event.at,
        )
        taken_in = center_supervisors(locked.handling_center)
        notify_all(taken_in, NotificationKind.ESCALATED_IN, case=locked, actor=event.actor)
        given_up = center_supervisors(moved["from_center"])
        notify_all(given_up, NotificationKind.ESCALATED_OUT, case=locked, actor=event.actor)

    payloads: dict = {}
    return _transition(
        case,
        STEPS["escalate"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
    )


def case_hand_down(
    case: Case, *, actor: Actor, to_center: Center, reason: str, expected_version: int | None = None
) -> Case:
    """Triaged, assigned, in progress or escalated → triaged at a center strictly below the handling one
    (下沉交办), escalation's mirror: the case keeps its number and history, the lower center assigns it
    with its own close clock, and its supervisors are told. Needs the right to escalate."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        if not centers_below(locked.handling_region).filter(pk=to_center.pk).exists():
            raise TransitionInputError("to_center", "center_not_below")
        return _move_to_center(locked, to_center, payloads)

    def after(locked: Case, event: CaseEvent) -> None:
        supervisors = center_supervisors(locked.handling_center)
        notify_all(supervisors, NotificationKind.HANDED_DOWN_IN, case=locked, actor=event.actor)

    payloads: dict = {}
    return _transition(
        case,
        STEPS["hand_down"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
    )


def case_transfer(
    case: Case, *, actor: Actor, to: str, reason: str, expected_version: int | None = None
) -> Case:
    """Open → transferred (转办) to the petition office, the service center, a court or an authority:
    the matter leaves the dispute procedure, so every clock is cancelled."""
    if to not in TransferTarget.values:
        raise TransitionInputError("to", "invalid_transfer_target")
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        deadlines.deadlines_cancel(locked)
        return []

    return _transition(
        case,
        STEPS["transfer"],
        actor=actor,
        reason=reason,
        payload={"to": to},
        apply=apply,
        expected_version=expected_version,
    )


def case_suspend(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """Open → suspended (中止, e.g. awaiting a court): clocks pause and keep their remaining working time."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        payloads["paused"] = deadlines.deadlines_pause(locked)
        return []

    payloads: dict = {}
    return _transition(
        case,
        STEPS["suspend"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
    )


def case_resume(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """suspended → the state it was suspended in; paused clocks restart with their remaining time."""
    step = STEPS["resume"]

    def apply(locked: Case) -> list[str]:
        deadlines.deadlines_resume(locked)
        return []

    with transaction.atomic():
        # The target is read under the lock: the suspension event says where the case was.
        locked = _lock(case, expected_version, actor=actor, permission=step.permission)
        suspended = last_event(locked, (EventType.SUSPENDED,))
        # Without a suspension on record there is no status to return to, and the step refuses.
        to = CaseStatus(suspended.from_status) if suspended else None
        return _transition(
            case,
            step,
            to=to,
            actor=actor,
            apply=apply,
            expected_version=expected_version,
        )
