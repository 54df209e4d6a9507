"""The case lifecycle: one transition table and one function per step, all through `_transition`.

Every step, inside one transaction: locks the case row and re-reads it, refuses a stale version or a
step the table does not allow (InvalidTransition) or an actor without the permission or jurisdiction
(TransitionForbidden), applies its changes, bumps `version`, saves with update_fields, writes one
CaseEvent, sets or cancels deadlines and queues notifications and timers on commit. This module is the
only writer of Case.status, color, handling_center/region, assignee and assigned_department.
"""

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from dispatch import deadlines, guards
from dispatch.choices import (
    ArbitrationDecision,
    CaseStatus,
    DeadlineKind,
    DeadlineState,
    EventType,
    ExtensionState,
    NotificationKind,
    TransferTarget,
    TriageColor,
)
from dispatch.events import event_write
from dispatch.exceptions import InvalidTransition, TransitionInputError
from dispatch.models import OPEN_DEADLINE_STATES, CaseEvent, Deadline, Escalation, ExtensionRequest
from dispatch.permissions import DispatchPermission
from dispatch.routing import center_above
from dispatch.services import case_responsible_users, center_supervisors, notify, notify_all
from dispatch.triage import propose_color
from grid.models import Department
from intake.models import Case

S = CaseStatus
ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.REGISTERED: frozenset({S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.TRIAGED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.UNRESOLVED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.RESOLVED: frozenset({S.CLOSED}),
    S.UNRESOLVED: frozenset({S.CLOSED, S.ESCALATED}),
    S.CLOSED: frozenset({S.IN_PROGRESS, S.FOLLOWED_UP, S.REOPENED}),
    S.FOLLOWED_UP: frozenset({S.REOPENED}),
    # An escalated case is assigned (or escalated further) by the center that took it over.
    S.ESCALATED: frozenset({S.ASSIGNED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
    S.TRANSFERRED: frozenset(),
    # Resuming returns to the state the case was suspended in.
    S.SUSPENDED: frozenset({S.REGISTERED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED}),
    S.REOPENED: frozenset({S.TRIAGED, S.ESCALATED, S.TRANSFERRED, S.SUSPENDED}),
}
# Being handled somewhere: these may be transferred or suspended, and (with unresolved) escalated.
ACTIVE = frozenset({S.REGISTERED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED})
ESCALATABLE = ACTIVE | {S.UNRESOLVED}
RETURN_WINDOW = dt.timedelta(hours=24)
# Clocks of the tier below stop when the case goes up; the higher center gets its own closing clock.
ESCALATION_CANCELS = (DeadlineKind.RESPOND, DeadlineKind.CLASSIFY, DeadlineKind.CLOSE)

Actor = AbstractBaseUser | None
Apply = Callable[[Case], list[str]]
After = Callable[[Case, CaseEvent], None]


def case_registered(case: Case) -> None:
    """intake's registration hook: writes the "registered" event and starts the respond and classify
    clocks, inside the registration's transaction."""
    event_write(case, EventType.REGISTERED, actor=case.received_by, to_status=case.status)
    deadlines.deadline_start(case, DeadlineKind.RESPOND, start=case.received_at)
    deadlines.deadline_start(case, DeadlineKind.CLASSIFY, start=case.received_at)


def case_triage(
    case: Case, *, actor: Actor, color: str, reason: str = "", expected_version: int | None = None
) -> Case:
    """registered|reopened → triaged. Records the proposed and the chosen colour; overriding the proposal
    needs a reason. Meets the classify clock."""
    if color not in TriageColor.values:
        raise TransitionInputError("color", "invalid_color")

    def apply(locked: Case) -> list[str]:
        proposed, reasons = propose_color(locked)
        if color != proposed and not reason.strip():
            raise TransitionInputError("reason", "override_needs_reason")
        payloads["proposed"], payloads["chosen"] = proposed, color
        payloads["rules"] = [r.as_dict() for r in reasons]
        locked.color = color
        deadlines.deadline_meet(locked, DeadlineKind.CLASSIFY)
        return ["color"]

    payloads: dict = {}
    return _transition(
        case,
        S.TRIAGED,
        actor=actor,
        event_type=EventType.TRIAGED,
        permission=DispatchPermission.TRIAGE,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.REGISTERED, S.REOPENED}),
    )


def case_assign(
    case: Case,
    *,
    actor: Actor,
    department: Department | None = None,
    assignee: AbstractBaseUser | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """triaged|escalated → assigned: names the responsible unit and/or person and tells them."""
    if department is None and assignee is None:
        raise TransitionInputError("assignee", "unit_or_person_required")

    def apply(locked: Case) -> list[str]:
        guards.check_handlers_in_scope(actor, department, assignee)
        return _hand_to(locked, department, assignee)

    return _transition(
        case,
        S.ASSIGNED,
        actor=actor,
        event_type=EventType.ASSIGNED,
        permission=DispatchPermission.ASSIGN,
        reason=reason,
        payload=_handler_payload(department, assignee),
        apply=apply,
        after=_notify_assigned,
        expected_version=expected_version,
        sources=frozenset({S.TRIAGED, S.ESCALATED}),
    )


def case_sign(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """assigned → in_progress (签收): meets the respond clock and starts the handling (close) clock."""

    def apply(locked: Case) -> list[str]:
        guards.require_handler(locked, actor)
        fields = [] if locked.assignee_id else _hand_to(locked, locked.assigned_department, actor)
        _start_handling(locked, owner=locked.assignee)
        return fields

    return _transition(
        case,
        S.IN_PROGRESS,
        actor=actor,
        event_type=EventType.SIGNED,
        permission=DispatchPermission.HANDLE,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.ASSIGNED}),
    )


def case_return(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """assigned → triaged (退单): within RETURN_WINDOW of the assignment, with a reason; the dispatching
    center's supervisors are told to arbitrate."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        guards.require_handler(locked, actor)
        assigned = _last_event(locked, (EventType.ASSIGNED, EventType.ARBITRATED))
        if assigned is None or timezone.now() - assigned.at > RETURN_WINDOW:
            raise InvalidTransition("return_window_passed")
        payloads.update(_handler_payload(locked.assigned_department, locked.assignee))
        return _hand_to(locked, None, None)

    payloads: dict = {}
    return _transition(
        case,
        S.TRIAGED,
        actor=actor,
        event_type=EventType.RETURNED,
        permission=DispatchPermission.HANDLE,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.ASSIGNED}),
        after=lambda locked, event: notify_all(
            center_supervisors(locked.handling_center), NotificationKind.RETURNED, case=locked
        ),
    )


def case_arbitrate(
    case: Case,
    *,
    actor: Actor,
    decision: str,
    department: Department | None = None,
    assignee: AbstractBaseUser | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """triaged → assigned after a return: reassign to another unit/person, or insist on the returning one."""
    if decision not in ArbitrationDecision.values:
        raise TransitionInputError("decision", "invalid_decision")
    if decision == ArbitrationDecision.REASSIGN and department is None and assignee is None:
        raise TransitionInputError("assignee", "unit_or_person_required")

    def apply(locked: Case) -> list[str]:
        returned = _last_event(locked, (EventType.RETURNED, EventType.TRIAGED, EventType.ARBITRATED))
        if returned is None or returned.type != EventType.RETURNED:
            raise InvalidTransition("no_return_to_arbitrate")
        if decision == ArbitrationDecision.INSIST:
            target = _returned_handlers(returned)
        else:
            guards.check_handlers_in_scope(actor, department, assignee)
            target = (department, assignee)
        payloads.update(decision=decision, **_handler_payload(*target))
        return _hand_to(locked, *target)

    payloads: dict = {}
    return _transition(
        case,
        S.ASSIGNED,
        actor=actor,
        event_type=EventType.ARBITRATED,
        permission=DispatchPermission.ASSIGN,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=_notify_assigned,
        expected_version=expected_version,
        sources=frozenset({S.TRIAGED}),
    )


def case_claim(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """triaged|assigned with nobody responsible → in_progress with the actor responsible (认领).
    Of two claims at once exactly one wins; the other gets InvalidTransition."""

    def apply(locked: Case) -> list[str]:
        if locked.assignee_id is not None:
            raise InvalidTransition("already_claimed")
        fields = _hand_to(locked, locked.assigned_department, actor)
        _start_handling(locked, owner=actor)
        return fields

    return _transition(
        case,
        S.IN_PROGRESS,
        actor=actor,
        event_type=EventType.CLAIMED,
        permission=DispatchPermission.HANDLE,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.TRIAGED, S.ASSIGNED}),
    )


def case_resolve(
    case: Case,
    *,
    actor: Actor,
    resolved: bool,
    outcome: str,
    payload: dict | None = None,
    expected_version: int | None = None,
) -> Case:
    """in_progress → resolved|unresolved, with the outcome code (e.g. "agreement", "litigation")."""
    if not outcome.strip():
        raise TransitionInputError("outcome", "outcome_required")

    def apply(locked: Case) -> list[str]:
        guards.require_handler(locked, actor)
        return []

    return _transition(
        case,
        S.RESOLVED if resolved else S.UNRESOLVED,
        actor=actor,
        event_type=EventType.RESOLVED,
        permission=DispatchPermission.HANDLE,
        payload={**(payload or {}), "outcome": outcome, "resolved": resolved},
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.IN_PROGRESS}),
    )


def case_close(case: Case, *, actor: Actor, report_back: dict, expected_version: int | None = None) -> Case:
    """resolved|unresolved → closed after reporting back (办结反馈): meets the close clock and starts the
    follow-up clock (10 working days)."""
    if not report_back:
        raise TransitionInputError("report_back", "report_back_required")

    def apply(locked: Case) -> list[str]:
        guards.require_handler(locked, actor)
        deadlines.deadline_meet(locked, DeadlineKind.CLOSE)
        deadlines.deadline_start(locked, DeadlineKind.FOLLOW_UP, owner=locked.assignee or actor)
        return []

    return _transition(
        case,
        S.CLOSED,
        actor=actor,
        event_type=EventType.CLOSED,
        permission=DispatchPermission.HANDLE,
        payload={"report_back": report_back},
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.RESOLVED, S.UNRESOLVED}),
    )


def case_send_back(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """closed → in_progress: a supervisor's review finds the closing wanting; a new close clock starts."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        deadlines.deadlines_cancel(locked, (DeadlineKind.FOLLOW_UP,))
        deadlines.deadline_start(locked, DeadlineKind.CLOSE, owner=locked.assignee)
        return []

    def after(locked: Case, event: CaseEvent) -> None:
        notify_all(case_responsible_users(locked), NotificationKind.SENT_BACK, case=locked)

    return _transition(
        case,
        S.IN_PROGRESS,
        actor=actor,
        event_type=EventType.SENT_BACK,
        permission=DispatchPermission.REVIEW,
        reason=reason,
        apply=apply,
        after=after,
        expected_version=expected_version,
        sources=frozenset({S.CLOSED}),
    )


def case_follow_up(case: Case, *, actor: Actor, payload: dict, expected_version: int | None = None) -> Case:
    """closed → followed_up (回访): meets the follow-up clock."""

    def apply(locked: Case) -> list[str]:
        deadlines.deadline_meet(locked, DeadlineKind.FOLLOW_UP)
        return []

    return _transition(
        case,
        S.FOLLOWED_UP,
        actor=actor,
        event_type=EventType.FOLLOWED_UP,
        permission=DispatchPermission.HANDLE,
        payload=payload,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.CLOSED}),
    )


def case_reopen(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """closed|followed_up → reopened: the case is classified again, so its classify clock restarts."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        deadlines.deadlines_cancel(locked, (DeadlineKind.FOLLOW_UP,))
        deadlines.deadline_start(locked, DeadlineKind.CLASSIFY)
        return _hand_to(locked, None, None)

    return _transition(
        case,
        S.REOPENED,
        actor=actor,
        event_type=EventType.REOPENED,
        permission=DispatchPermission.REVIEW,
        reason=reason,
        apply=apply,
        expected_version=expected_version,
        sources=frozenset({S.CLOSED, S.FOLLOWED_UP}),
    )


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
        payloads.update(from_center=locked.handling_center.code, to_center=higher.code, automatic=automatic)
        deadlines.deadlines_cancel(locked, ESCALATION_CANCELS)
        locked.handling_center, locked.handling_region = higher, higher.region
        return ["handling_center", "handling_region", *_hand_to(locked, None, None)]

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
        deadlines.deadline_start(locked, DeadlineKind.CLOSE)
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
        guards.require_handler(locked, actor)
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
    return _record(
        case,
        None,
        actor=actor,
        event_type=EventType.EXTENSION_REQUESTED,
        permission=DispatchPermission.HANDLE,
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
    return _record(
        case,
        None,
        actor=actor,
        event_type=EventType.EXTENSION_APPROVED if approve else EventType.EXTENSION_REFUSED,
        permission=DispatchPermission.REVIEW,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=after,
    )


def _transition(
    case: Case,
    to: CaseStatus,
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
    """A status change: `to` must be allowed from the locked row's current status, and that status must
    be one this step starts from (`sources`, e.g. only an assigned case can be signed for)."""
    return _record(
        case,
        to,
        actor=actor,
        event_type=event_type,
        permission=permission,
        reason=reason,
        payload=payload,
        apply=apply,
        after=after,
        expected_version=expected_version,
        sources=sources,
    )


def _record(
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
    """One lifecycle step under the row lock; `to=None` records a step that keeps the status
    (an extension request or decision). `apply` checks and changes the locked row and returns the extra
    fields it changed; `after` runs once the event exists (rows pointing at it, notifications)."""
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
