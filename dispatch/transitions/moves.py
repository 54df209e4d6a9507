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
from dispatch.exceptions import InvalidTransition, TransitionInputError
from dispatch.models import CaseEvent, Escalation
from dispatch.permissions import DispatchPermission
from dispatch.routing import center_above, centers_below
from dispatch.services import center_supervisors, notify_all
from dispatch.transitions.core import (
    ACTIVE,
    ESCALATABLE,
    Actor,
    S,
    _hand_to,
    _last_event,
    _lock,
    _transition,
)
from grid.models import Center
from intake.models import Case

# Clocks of the tier below stop when the case goes up; the higher center gets its own closing clock.
# Handing a case down stops and starts the same ones.
ESCALATION_CANCELS = (DeadlineKind.RESPOND, DeadlineKind.CLASSIFY, DeadlineKind.CLOSE)

# A case is handed down once triaged or escalated, whether or not a unit has it yet.
HAND_DOWN_SOURCES = frozenset({S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED})


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
        higher = center_above(locked.handling_region)
        if higher is None:
            raise InvalidTransition("no_higher_center")
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
        notify_all(center_supervisors(locked.handling_center), NotificationKind.ESCALATED_IN, case=locked)
        notify_all(center_supervisors(moved["from_center"]), NotificationKind.ESCALATED_OUT, case=locked)

    payloads: dict = {}
    return _transition(
        case,
        S.ESCALATED,
        actor=actor,
        event_type=EventType.ESCALATED,
        permission=DispatchPermission.ESCALATE,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
        sources=ESCALATABLE,
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
        notify_all(center_supervisors(locked.handling_center), NotificationKind.HANDED_DOWN_IN, case=locked)

    payloads: dict = {}
    return _transition(
        case,
        S.TRIAGED,
        actor=actor,
        event_type=EventType.HANDED_DOWN,
        permission=DispatchPermission.ESCALATE,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
        expected_version=expected_version,
        sources=HAND_DOWN_SOURCES,
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
        S.TRANSFERRED,
        actor=actor,
        event_type=EventType.TRANSFERRED,
        permission=DispatchPermission.TRANSFER,
        reason=reason,
        payload={"to": to},
        apply=apply,
        expected_version=expected_version,
        sources=ACTIVE,
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
        S.SUSPENDED,
        actor=actor,
        event_type=EventType.SUSPENDED,
        permission=DispatchPermission.SUSPEND,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
        sources=ACTIVE,
    )


def case_resume(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """suspended → the state it was suspended in; paused clocks restart with their remaining time."""
    with transaction.atomic():
        locked = _lock(case, expected_version, actor=actor, permission=DispatchPermission.SUSPEND)
        suspended = _last_event(locked, (EventType.SUSPENDED,))
        if locked.status != S.SUSPENDED or suspended is None:
            raise InvalidTransition("invalid_transition")

        def apply(locked: Case) -> list[str]:
            deadlines.deadlines_resume(locked)
            return []

        return _transition(
            case,
            CaseStatus(suspended.from_status),
            actor=actor,
            event_type=EventType.RESUMED,
            permission=DispatchPermission.SUSPEND,
            apply=apply,
            expected_version=expected_version,
            sources=frozenset({S.SUSPENDED}),
        )
