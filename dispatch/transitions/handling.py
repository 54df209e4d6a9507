"""The steps of handling a case where it is: triage, assignment, signing for or returning it, claiming,
resolving, closing, sending back, following up and reopening."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from dispatch import deadlines, guards
from dispatch.choices import (
    ArbitrationDecision,
    CaseStatus,
    DeadlineKind,
    EventType,
    NotificationKind,
    TriageColor,
)
from dispatch.events import event_write
from dispatch.exceptions import TransitionInputError
from dispatch.models import CaseEvent
from dispatch.services import case_responsible_users, center_supervisors, notify_all
from dispatch.transitions.core import (
    Actor,
    _hand_to,
    _handler_payload,
    _notify_assigned,
    _returned_handlers,
    _start_handling,
    _transition,
)
from dispatch.transitions.steps import STEPS, last_event
from dispatch.triage import propose_color
from grid.models import Department
from intake.choices import IN_CONTACT_CHANNELS
from intake.models import Case


def case_registered(case: Case) -> None:
    """intake's registration hook, inside the registration's transaction: registering is acceptance
    (受理), so the respond, classify and close clocks all start at receipt; an applicant spoken to at
    registration (at the window, on the phone) has had the center's response. Then the "registered"
    event, whose listeners (the rollup) read the clocks."""
    for kind in (DeadlineKind.RESPOND, DeadlineKind.CLASSIFY, DeadlineKind.CLOSE):
        deadlines.deadline_start(case, kind, start=case.received_at)
    if case.channel in IN_CONTACT_CHANNELS:
        deadlines.deadline_meet(case, DeadlineKind.RESPOND, at=case.received_at)
    event_write(case, EventType.REGISTERED, actor=case.received_by, to_status=case.status)


def case_triage(
    case: Case, *, actor: Actor, color: str, reason: str = "", expected_version: int | None = None
) -> Case:
    """registered|reopened → triaged. Records the proposed and the chosen colour; overriding the proposal
    needs a reason. Triage is the center's response: meets the respond and classify clocks, and the
    close clock takes the chosen colour's policy from its start."""
    if color not in TriageColor.values:
        raise TransitionInputError("color", "invalid_color")

    def apply(locked: Case) -> list[str]:
        proposed, reasons = propose_color(locked)
        if color != proposed and not reason.strip():
            raise TransitionInputError("reason", "override_needs_reason")
        payloads["proposed"], payloads["chosen"] = proposed, color
        payloads["rules"] = [r.as_dict() for r in reasons]
        locked.color = color
        deadlines.deadline_meet(locked, DeadlineKind.RESPOND)
        deadlines.deadline_meet(locked, DeadlineKind.CLASSIFY)
        deadlines.deadline_reterm(locked, DeadlineKind.CLOSE)
        return ["color"]

    payloads: dict = {}
    return _transition(
        case,
        STEPS["triage"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
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
        STEPS["assign"],
        actor=actor,
        reason=reason,
        payload=_handler_payload(department, assignee),
        apply=apply,
        after=_notify_assigned,
        expected_version=expected_version,
    )


def case_sign(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """assigned → in_progress (签收): meets the respond clock and starts the handling (close) clock."""

    def apply(locked: Case) -> list[str]:
        fields = [] if locked.assignee_id else _hand_to(locked, locked.assigned_department, actor)
        _start_handling(locked, owner=locked.assignee)
        return fields

    return _transition(
        case,
        STEPS["sign"],
        actor=actor,
        apply=apply,
        expected_version=expected_version,
    )


def case_return(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """assigned → triaged (退单): within RETURN_WINDOW of the assignment, with a reason; the dispatching
    center's supervisors are told to arbitrate."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        payloads.update(_handler_payload(locked.assigned_department, locked.assignee))
        return _hand_to(locked, None, None)

    payloads: dict = {}
    return _transition(
        case,
        STEPS["return"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        expected_version=expected_version,
        after=lambda locked, event: notify_all(
            center_supervisors(locked.handling_center),
            NotificationKind.RETURNED,
            case=locked,
            actor=event.actor,
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
        if decision == ArbitrationDecision.INSIST:
            # The step's condition found the return this arbitration decides on.
            target = _returned_handlers(last_event(locked, (EventType.RETURNED,)))
        else:
            guards.check_handlers_in_scope(actor, department, assignee)
            target = (department, assignee)
        payloads.update(decision=decision, **_handler_payload(*target))
        return _hand_to(locked, *target)

    payloads: dict = {}
    return _transition(
        case,
        STEPS["arbitrate"],
        actor=actor,
        reason=reason,
        payload=payloads,
        apply=apply,
        after=_notify_assigned,
        expected_version=expected_version,
    )


def case_claim(case: Case, *, actor: Actor, expected_version: int | None = None) -> Case:
    """triaged|assigned with nobody responsible → in_progress with the actor responsible (认领).
    Of two claims at once exactly one wins; the other gets InvalidTransition."""

    def apply(locked: Case) -> list[str]:
        fields = _hand_to(locked, locked.assigned_department, actor)
        _start_handling(locked, owner=actor)
        return fields

    return _transition(
        case,
        STEPS["claim"],
        actor=actor,
        apply=apply,
        expected_version=expected_version,
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

    return _transition(
        case,
        STEPS["resolve"],
        to=CaseStatus.RESOLVED if resolved else CaseStatus.UNRESOLVED,
        actor=actor,
        payload={**(payload or {}), "outcome": outcome, "resolved": resolved},
        expected_version=expected_version,
    )


@dataclass(frozen=True)
class ReportBack:
    """How and when the applicant was told the result (办结反馈): what the close page and the close API
    take, stored on the closed event as `payload()`."""

    method: str
    reported_at: dt.datetime
    note: str

    def payload(self) -> dict:
        return {"method": self.method, "reported_at": self.reported_at.isoformat(), "note": self.note.strip()}


def case_close(case: Case, *, actor: Actor, report_back: dict, expected_version: int | None = None) -> Case:
    """resolved|unresolved → closed after reporting back (办结反馈): meets the close clock and starts the
    follow-up clock (10 working days)."""
    if not report_back:
        raise TransitionInputError("report_back", "report_back_required")

    def apply(locked: Case) -> list[str]:
        deadlines.deadline_meet(locked, DeadlineKind.CLOSE)
        deadlines.deadline_start(locked, DeadlineKind.FOLLOW_UP, owner=locked.assignee or actor)
        return []

    return _transition(
        case,
        STEPS["close"],
        actor=actor,
        payload={"report_back": report_back},
        apply=apply,
        expected_version=expected_version,
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
        notify_all(case_responsible_users(locked), NotificationKind.SENT_BACK, case=locked, actor=event.actor)

    return _transition(
        case,
        STEPS["send_back"],
        actor=actor,
        reason=reason,
        apply=apply,
        after=after,
        expected_version=expected_version,
    )


def case_follow_up(case: Case, *, actor: Actor, payload: dict, expected_version: int | None = None) -> Case:
    """closed → followed_up (回访): meets the follow-up clock."""

    def apply(locked: Case) -> list[str]:
        deadlines.deadline_meet(locked, DeadlineKind.FOLLOW_UP)
        return []

    return _transition(
        case,
        STEPS["follow_up"],
        actor=actor,
        payload=payload,
        apply=apply,
        expected_version=expected_version,
    )


def case_reopen(case: Case, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    """closed|followed_up → reopened: accepted again, so its classify and close clocks restart."""
    if not reason.strip():
        raise TransitionInputError("reason", "reason_required")

    def apply(locked: Case) -> list[str]:
        deadlines.deadlines_cancel(locked, (DeadlineKind.FOLLOW_UP,))
        deadlines.deadline_start(locked, DeadlineKind.CLASSIFY)
        deadlines.deadline_start(locked, DeadlineKind.CLOSE)
        return _hand_to(locked, None, None)

    return _transition(
        case,
        STEPS["reopen"],
        actor=actor,
        reason=reason,
        apply=apply,
        expected_version=expected_version,
    )
