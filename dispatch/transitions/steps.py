"""The lifecycle's one table: every step, declared once, with the statuses it starts from, where it leads,
the permission it needs and the conditions the case must meet. `_transition` enforces it, the allowed
moves (`ALLOWED`) are read from it, and `steps_available` answers the pages and the API from it.

A new step is one `Step` entry in STEPS plus its function, which passes `STEPS["<name>"]` to `_transition`.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from dispatch import guards
from dispatch.choices import CaseStatus, EventType, ExtensionState
from dispatch.exceptions import InvalidTransition
from dispatch.models import CaseEvent, ExtensionRequest
from dispatch.permissions import DispatchPermission
from dispatch.routing import center_above, centers_below
from intake.models import Case

S = CaseStatus
P = DispatchPermission
E = EventType
Actor = AbstractBaseUser | None
# Raises InvalidTransition or TransitionForbidden when the case, as it stands, does not allow the step to
# this actor. Only what the case and the actor decide belongs here; the step's input is checked by the step.
Condition = Callable[[Case, Actor], None]

RETURN_WINDOW = dt.timedelta(hours=24)

# Being handled somewhere: these may be transferred or suspended, and (with unresolved) escalated.
ACTIVE = frozenset({S.REGISTERED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED})
ESCALATABLE = ACTIVE | {S.UNRESOLVED}
# Where a clock can be running (a suspended case's clocks are paused, a transferred one's cancelled).
EXTENDABLE = ACTIVE | {S.RESOLVED, S.UNRESOLVED, S.CLOSED}
# A pending extension request is decided whatever has happened to the case since it was made.
ANY_STATUS = frozenset(CaseStatus)
# A case is handed down (下沉交办) once triaged or escalated, whether or not a unit has it yet.
HAND_DOWN_SOURCES = frozenset({S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS, S.ESCALATED})


def last_event(case: Case, types: tuple[str, ...]) -> CaseEvent | None:
    return CaseEvent.objects.filter(case=case, type__in=types).order_by("-at", "-pk").first()


def unclaimed(case: Case, actor: Actor) -> None:
    """Nobody is responsible yet (of two claims at once, the second finds the first's assignee)."""
    if case.assignee_id is not None:
        raise InvalidTransition("already_claimed")


def within_return_window(case: Case, actor: Actor) -> None:
    """A unit may hand a case back only within RETURN_WINDOW of being given it."""
    assigned = last_event(case, (EventType.ASSIGNED, EventType.ARBITRATED))
    if assigned is None or timezone.now() - assigned.at > RETURN_WINDOW:
        raise InvalidTransition("return_window_passed")


def after_a_return(case: Case, actor: Actor) -> None:
    """Arbitration decides on a return: the case's latest triage-side event must be one."""
    returned = last_event(case, (EventType.RETURNED, EventType.TRIAGED, EventType.ARBITRATED))
    if returned is None or returned.type != EventType.RETURNED:
        raise InvalidTransition("no_return_to_arbitrate")


def below_a_higher_center(case: Case, actor: Actor) -> None:
    if center_above(case.handling_region) is None:
        raise InvalidTransition("no_higher_center")


def above_a_lower_center(case: Case, actor: Actor) -> None:
    if not centers_below(case.handling_region).exists():
        raise InvalidTransition("no_lower_center")


def an_extension_pending(case: Case, actor: Actor) -> None:
    """A decision needs a request waiting for one (the step checks that the request it names is)."""
    if not ExtensionRequest.objects.filter(case=case, state=ExtensionState.PENDING).exists():
        raise InvalidTransition("extension_decided")


@dataclass(frozen=True)
class Step:
    """One lifecycle step. `targets` is where it may lead: one status, the caller's choice among several
    (resolve: resolved or unresolved; resume: the status it was suspended in), or none for a step that
    keeps the status (extensions)."""

    name: str
    sources: frozenset[CaseStatus]
    targets: frozenset[CaseStatus]
    permission: DispatchPermission
    event_type: EventType
    conditions: tuple[Condition, ...] = ()

    def target(self, chosen: CaseStatus | None = None) -> CaseStatus | None:
        """The status this step leads to, given the caller's choice when it has several targets."""
        if not self.targets:
            return None
        if chosen is None and len(self.targets) == 1:
            return next(iter(self.targets))
        if chosen not in self.targets:
            raise InvalidTransition("invalid_transition", f"{self.name} cannot lead to {chosen}")
        return chosen


def _step(
    name: str,
    sources: Iterable[CaseStatus],
    targets: Iterable[CaseStatus],
    permission: DispatchPermission,
    event_type: EventType,
    *conditions: Condition,
) -> tuple[str, Step]:
    return name, Step(name, frozenset(sources), frozenset(targets), permission, event_type, conditions)


# "Once a person is responsible, only they act for the unit."
handler_only: Condition = guards.require_handler
# Extensions are decided by the handling center's own supervisors (the ones its requests notify).
center_supervisor_only: Condition = guards.require_center_supervisor

# fmt: off
STEPS: dict[str, Step] = dict([
    #     name                 from                        to                   permission  event
    _step("triage",            {S.REGISTERED, S.REOPENED}, {S.TRIAGED},         P.TRIAGE,   E.TRIAGED),
    # An escalated case is assigned (or escalated further) by the center that took it over.
    _step("assign",            {S.TRIAGED, S.ESCALATED},   {S.ASSIGNED},        P.ASSIGN,   E.ASSIGNED),
    _step("sign",              {S.ASSIGNED},               {S.IN_PROGRESS},     P.HANDLE,   E.SIGNED,
          handler_only),
    _step("return",            {S.ASSIGNED},               {S.TRIAGED},         P.HANDLE,   E.RETURNED,
          handler_only, within_return_window),
    _step("arbitrate",         {S.TRIAGED},                {S.ASSIGNED},        P.ASSIGN,   E.ARBITRATED,
          after_a_return),
    _step("claim",             {S.TRIAGED, S.ASSIGNED},    {S.IN_PROGRESS},     P.HANDLE,   E.CLAIMED,
          unclaimed),
    _step("resolve",           {S.IN_PROGRESS},            {S.RESOLVED, S.UNRESOLVED}, P.HANDLE, E.RESOLVED,
          handler_only),
    _step("close",             {S.RESOLVED, S.UNRESOLVED}, {S.CLOSED},          P.HANDLE,   E.CLOSED,
          handler_only),
    _step("send_back",         {S.CLOSED},                 {S.IN_PROGRESS},     P.REVIEW,   E.SENT_BACK),
    _step("follow_up",         {S.CLOSED},                 {S.FOLLOWED_UP},     P.HANDLE,   E.FOLLOWED_UP),
    _step("reopen",            {S.CLOSED, S.FOLLOWED_UP},  {S.REOPENED},        P.REVIEW,   E.REOPENED),
    _step("escalate",          ESCALATABLE,                {S.ESCALATED},       P.ESCALATE, E.ESCALATED,
          below_a_higher_center),
    # 下沉交办: escalation's mirror, to a center below; the lower center assigns it again.
    _step("hand_down",         HAND_DOWN_SOURCES,          {S.TRIAGED},         P.ESCALATE, E.HANDED_DOWN,
          above_a_lower_center),
    _step("transfer",          ACTIVE,                     {S.TRANSFERRED},     P.TRANSFER, E.TRANSFERRED),
    _step("suspend",           ACTIVE,                     {S.SUSPENDED},       P.SUSPEND,  E.SUSPENDED),
    # Resuming returns to the status the case was suspended in.
    _step("resume",            {S.SUSPENDED},              ACTIVE,              P.SUSPEND,  E.RESUMED),
    # Extensions keep the status: no target.
    _step("request_extension", EXTENDABLE,                 (),                  P.HANDLE,
          E.EXTENSION_REQUESTED, handler_only),
    _step("approve_extension", ANY_STATUS,                 (),                  P.REVIEW,
          E.EXTENSION_APPROVED, center_supervisor_only, an_extension_pending),
    _step("refuse_extension",  ANY_STATUS,                 (),                  P.REVIEW,
          E.EXTENSION_REFUSED, center_supervisor_only, an_extension_pending),
])
# fmt: on


def _allowed() -> dict[CaseStatus, frozenset[CaseStatus]]:
    return {
        status: frozenset().union(*(step.targets for step in STEPS.values() if status in step.sources))
        for status in CaseStatus
    }


# Which status may follow which, read from STEPS (never written by hand).
ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = _allowed()
