"""Deadline clocks: start, meet, cancel, pause, resume and extend. The row is the truth; a Celery task at
the warning and due times is only the fast path (the sweep finds whatever it misses).

Callers hold the case lock (dispatch.transitions) or own the target object (mediation's notices).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from celery import current_app
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dispatch.choices import DeadlineKind, DeadlineState, DeadlineUnit
from dispatch.models import OPEN_DEADLINE_STATES, Deadline, DeadlinePolicy
from dispatch.worktime import due_after, due_resumed, time_left
from grid.calendar import Overrides
from grid.models import CalendarOverride, Region
from intake.models import Case

RUNNING_STATES = (*OPEN_DEADLINE_STATES, DeadlineState.PAUSED)


@dataclass(frozen=True)
class Terms:
    amount: int
    unit: str
    warn_ratio: Decimal = Decimal("0.80")
    escalate_on_breach: bool = False


# Practice across the centers: respond in 30 working minutes, classify in 24 hours, close and report
# back in 5 working days, follow up within 10 working days of closing. Admins refine per colour and tier.
DEFAULT_TERMS: dict[str, Terms] = {
    DeadlineKind.RESPOND: Terms(30, DeadlineUnit.WORKING_MINUTES),
    DeadlineKind.CLASSIFY: Terms(24, DeadlineUnit.HOURS),
    DeadlineKind.CLOSE: Terms(5, DeadlineUnit.WORKING_DAYS, escalate_on_breach=True),
    DeadlineKind.FOLLOW_UP: Terms(10, DeadlineUnit.WORKING_DAYS),
    DeadlineKind.NOTICE_REPLY: Terms(5, DeadlineUnit.WORKING_DAYS),
}


def calendar_overrides() -> Overrides:
    return dict(CalendarOverride.objects.values_list("day", "is_workday"))


def policy_terms(kind: str, *, color: str = "", level: int | None = None) -> Terms:
    """The most specific policy row for kind/colour/tier (colour outranks tier), else the default."""
    rows = DeadlinePolicy.objects.filter(kind=kind).filter(Q(color=color) | Q(color=""))
    rows = rows.filter(Q(level=level) | Q(level__isnull=True))
    best = max(rows, key=lambda row: (row.color != "", row.level is not None), default=None)
    if best is None:
        return DEFAULT_TERMS[kind]
    return Terms(best.amount, best.unit, best.warn_ratio, best.escalate_on_breach)


def deadline_start(
    case: Case | None,
    kind: str,
    *,
    owner: AbstractBaseUser | None = None,
    start: dt.datetime | None = None,
    target: models.Model | None = None,
    amount: int | None = None,
) -> Deadline:
    """Starts a clock for `case` and/or `target` under the policy for the case's colour and tier; `amount`
    replaces the policy's length when the person setting the clock chooses it (a notice's reply days).

    A case has at most one running clock per kind (except notice replies): starting it again returns the
    running one. Schedules the warning and breach tasks on commit.
    """
    if case is not None and kind != DeadlineKind.NOTICE_REPLY:
        running = Deadline.objects.filter(case=case, kind=kind, state__in=RUNNING_STATES).first()
        if running:
            return running
    terms = (
        policy_terms(kind, color=case.color, level=case.handling_region.level) if case else policy_terms(kind)
    )
    start = start or timezone.now()
    due = due_after(start, amount or terms.amount, terms.unit, calendar_overrides())
    deadline = Deadline.objects.create(
        case=case,
        kind=kind,
        unit=terms.unit,
        started_at=start,
        warn_at=_warn_time(start, due, terms.warn_ratio),
        due_at=due,
        owner=owner,
        escalate_on_breach=terms.escalate_on_breach,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
    )
    _schedule_on_commit(deadline)
    return deadline


def deadline_reterm(case: Case, kind: str) -> Deadline | None:
    """The case's colour was set (分级): its running clock of `kind` keeps its start and takes the policy
    of the new colour and tier (a red case may have 3 working days instead of 5). Warns again."""
    deadline = (
        Deadline.objects.select_for_update()
        .filter(case=case, kind=kind, state__in=OPEN_DEADLINE_STATES)
        .first()
    )
    if deadline is None:
        return None
    terms = policy_terms(kind, color=case.color, level=case.handling_region.level)
    due = due_after(deadline.started_at, terms.amount, terms.unit, calendar_overrides())
    if (due, terms.unit, terms.escalate_on_breach) == (
        deadline.due_at,
        deadline.unit,
        deadline.escalate_on_breach,
    ):
        return deadline
    deadline.unit, deadline.escalate_on_breach = terms.unit, terms.escalate_on_breach
    deadline.due_at, deadline.warn_at = due, _warn_time(deadline.started_at, due, terms.warn_ratio)
    deadline.state = DeadlineState.PENDING
    deadline.save(update_fields=["unit", "escalate_on_breach", "due_at", "warn_at", "state"])
    _schedule_on_commit(deadline)
    return deadline


def _running_close_clock() -> Exists:
    return Exists(
        Deadline.objects.filter(case=OuterRef("case"), kind=DeadlineKind.CLOSE, state__in=RUNNING_STATES)
    )


def overdue_close_clocks(now: dt.datetime | None = None) -> QuerySet[Deadline]:
    """What "overdue" (超期) means everywhere — the overdue list, the supervisor's board, the dashboards'
    rollup: the case's current close clock is past due. The current clock is the running one (a paused
    clock is never overdue), else the last one: a clock breached before the case was escalated or
    reopened with a fresh clock no longer counts. Whether the case is still open is the caller's filter."""
    now = now or timezone.now()
    late = Q(state__in=OPEN_DEADLINE_STATES, due_at__lte=now) | Q(
        Q(state=DeadlineState.BREACHED) & ~_running_close_clock()
    )
    return Deadline.objects.filter(late, kind=DeadlineKind.CLOSE, case__isnull=False)


def case_close_clock(case: Case) -> Deadline | None:
    """The case's current close clock (see `overdue_close_clocks`): running, else the latest."""
    clocks = Deadline.objects.filter(case=case, kind=DeadlineKind.CLOSE)
    running = clocks.filter(state__in=RUNNING_STATES).first()
    return running or clocks.exclude(state=DeadlineState.CANCELLED).order_by("-started_at", "-pk").first()


def case_respond_clock(case: Case) -> Deadline | None:
    """The case's latest respond clock (a reopened or escalated case may have had several)."""
    return (
        Deadline.objects.filter(case=case, kind=DeadlineKind.RESPOND).order_by("-started_at", "-pk").first()
    )


PROMISED_KINDS = (DeadlineKind.RESPOND, DeadlineKind.CLOSE)


def cases_due_times(cases: list[Case]) -> dict[int, dict[str, dt.datetime]]:
    """When each case is due to be responded to and closed (intake's receipts and lists ask): its latest
    stored clock of each kind. Both start at registration; a case registered before they did (older
    data) is projected from receipt with the same policy and calendar `deadline_start` uses."""
    due: dict[int, dict[str, dt.datetime]] = {case.pk: {} for case in cases}
    stored = Deadline.objects.filter(case__in=cases, kind__in=PROMISED_KINDS).order_by("started_at", "pk")
    for case_id, kind, due_at in stored.values_list("case_id", "kind", "due_at"):
        due[case_id][kind] = due_at
    missing = [(case, kind) for case in cases for kind in PROMISED_KINDS if kind not in due[case.pk]]
    if missing:
        overrides, levels = calendar_overrides(), _handling_levels([case for case, _ in missing])
        for case, kind in missing:
            terms = policy_terms(kind, color=case.color, level=levels[case.handling_region_id])
            due[case.pk][kind] = due_after(case.received_at, terms.amount, terms.unit, overrides)
    return due


def _handling_levels(cases: list[Case]) -> dict[int, int]:
    ids = {case.handling_region_id for case in cases}
    return dict(Region.objects.filter(pk__in=ids).values_list("pk", "level"))


def deadline_meet(case: Case, kind: str, *, at: dt.datetime | None = None) -> int:
    """Marks the case's running clock of `kind` met (now, or `at` for a response given at receipt); a
    clock already breached stays breached."""
    return Deadline.objects.filter(case=case, kind=kind, state__in=RUNNING_STATES).update(
        state=DeadlineState.MET, met_at=at or timezone.now()
    )


def deadline_target_meet(target: models.Model) -> int:
    """Marks the running clocks attached to `target` (e.g. a supervision notice answered) met."""
    return (
        _for_target(target)
        .filter(state__in=RUNNING_STATES)
        .update(state=DeadlineState.MET, met_at=timezone.now())
    )


def deadlines_cancel(case: Case, kinds: tuple[str, ...] | None = None) -> int:
    qs = Deadline.objects.filter(case=case, state__in=RUNNING_STATES)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    return qs.update(state=DeadlineState.CANCELLED)


def deadlines_reassign(case: Case, kinds: tuple[str, ...], owner: AbstractBaseUser | None) -> int:
    return Deadline.objects.filter(case=case, kind__in=kinds, state__in=RUNNING_STATES).update(owner=owner)


def deadlines_pause(case: Case) -> list[int]:
    """Stops the case's running clocks, keeping each one's remaining working time."""
    now, overrides = timezone.now(), calendar_overrides()
    paused = []
    for deadline in Deadline.objects.filter(case=case, state__in=OPEN_DEADLINE_STATES).select_for_update():
        deadline.remaining = time_left(now, deadline.due_at, deadline.unit, overrides)
        deadline.state = DeadlineState.PAUSED
        deadline.save(update_fields=["remaining", "state"])
        paused.append(deadline.pk)
    return paused


def deadlines_resume(case: Case) -> list[int]:
    """Restarts paused clocks from now with the working time they had left."""
    now, overrides = timezone.now(), calendar_overrides()
    resumed = []
    for deadline in Deadline.objects.filter(case=case, state=DeadlineState.PAUSED).select_for_update():
        due = due_resumed(now, deadline.remaining or dt.timedelta(0), deadline.unit, overrides)
        _reset_times(deadline, start=now, due=due)
        deadline.remaining = None
        deadline.save(update_fields=["started_at", "warn_at", "due_at", "state", "remaining"])
        _schedule_on_commit(deadline)
        resumed.append(deadline.pk)
    return resumed


def extended_due(deadline: Deadline, extra_days: int) -> dt.datetime:
    """Where an extension of `extra_days` working days puts the clock's due time (what the approval
    screen shows and approval does)."""
    return due_after(deadline.due_at, extra_days, DeadlineUnit.WORKING_DAYS, calendar_overrides())


def deadline_extend(deadline: Deadline, extra_days: int) -> Deadline:
    """Moves an approved deadline `extra_days` working days later; a warned clock warns again."""
    due = extended_due(deadline, extra_days)
    _reset_times(deadline, start=deadline.started_at, due=due)
    deadline.save(update_fields=["started_at", "warn_at", "due_at", "state"])
    _schedule_on_commit(deadline)
    return deadline


def _reset_times(deadline: Deadline, *, start: dt.datetime, due: dt.datetime) -> None:
    """New times for a clock, warning at the same share of its span as when it was first set."""
    span = deadline.due_at - deadline.started_at
    ratio = Decimal((deadline.warn_at - deadline.started_at) / span) if span else Decimal("0.80")
    deadline.started_at, deadline.due_at = start, due
    deadline.warn_at = _warn_time(start, due, ratio)
    deadline.state = DeadlineState.PENDING


def _warn_time(start: dt.datetime, due: dt.datetime, ratio: Decimal) -> dt.datetime:
    return start + (due - start) * float(ratio)


def _for_target(target: models.Model):
    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )


def _schedule_on_commit(deadline: Deadline) -> None:
    pk, warn_at, due_at = deadline.pk, deadline.warn_at, deadline.due_at

    def schedule() -> None:
        # By name, so the lifecycle does not import the task module that imports it.
        current_app.send_task("dispatch.warn_deadline", args=[pk], eta=warn_at)
        current_app.send_task("dispatch.breach_deadline", args=[pk], eta=due_at)

    # robust: a broker that is down must not fail the committed step; the sweep covers the clock.
    transaction.on_commit(schedule, robust=True)
