"""The rollup: CaseFact (one row per case), CaseCount (month x region x breakdown x measure -> n) and
OpenCount (region x kind -> open, overdue now).

Counts change in the transaction that changes the case (lag zero): intake's registration hook and
dispatch's transition hook call `rollup_case_registered` / `rollup_case_transitioned`, which rewrite the
case's CaseFact and add `contribution(new) - contribution(old)` (and the same for `open_contribution`)
with one upsert (`n = n + excluded.n`), so concurrent changes to different cases never lose a count.
A case's follow-ups and repeat visits add to its regions' totals as they are recorded (hooks too).
A fact copies the case's clocks as dispatch stores them (`fact_clocks_refresh`: pauses, extensions,
colour and tier included) at every step. A clock running out while nothing happens to the case is caught
by the minute sweep `facts_overdue_mark`, which marks those facts and counts them overdue.
`rollups_rebuild` recomputes every count from the facts, the current case rows and their clocks.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Prefetch
from django.utils import timezone

from analytics.choices import Dimension, Measure
from analytics.models import CaseCount, CaseFact, OpenCount, OverdueSweep
from dispatch import hooks as dispatch_hooks
from dispatch.choices import CaseStatus, DeadlineState
from dispatch.deadlines import case_close_clock, case_respond_clock
from dispatch.models import CaseEvent, Deadline
from grid.hooks import Hook
from grid.models import Region
from intake import hooks as intake_hooks
from intake.models import Case, RepeatVisit
from mediation import hooks as mediation_hooks
from mediation.choices import Satisfaction
from mediation.models import FollowUp

# Regions at this official level (townships) and below keep totals only; see `contribution`.
BREAKDOWN_LEVEL_LIMIT = 4

Key = tuple[dt.date, int, str, str, str]  # month, region id, dimension, value, measure
OpenKey = tuple[int, int, str]  # region id, kind id, column ("open" or "overdue")
ALL_KINDS = 0  # OpenCount.kind_id of a region's total
OVERDUE_BATCH = 2000  # facts marked per transaction by the sweep
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASIC)


class TransitionEvent(Protocol):
    """What analytics reads from dispatch's CaseEvent."""

    from_status: str
    to_status: str
    at: dt.datetime


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of the month `moment` falls in, on the centers' clock (Asia/Shanghai)."""
    return timezone.localtime(moment).date().replace(day=1)


def fact_dimensions_refresh(fact: CaseFact, case: Case) -> None:
    region = case.region
    fact.region_id, fact.tree_id, fact.lft = region.pk, region.tree_id, region.lft
    fact.kind_id = case.category_id
    fact.channel = case.channel
    fact.color = case.color or ""
    fact.department_id = case.assigned_department_id


def fact_clocks_refresh(fact: CaseFact, case: Case) -> Deadline | None:
    """The case's respond and current close clock, read from dispatch's Deadline rows (the one place a
    due time lives): a paused close clock has no due time, so a suspended case is never overdue.
    Returns the close clock for `fact_closing_refresh`."""
    close, respond = case_close_clock(case), case_respond_clock(case)
    fact.close_due_at = close.due_at if close and close.state != DeadlineState.PAUSED else None
    fact.respond_due_at = respond.due_at if respond else None
    fact.first_response_at = respond.met_at if respond and respond.state == DeadlineState.MET else None
    return close


def fact_closing_refresh(fact: CaseFact, close: Deadline | None) -> None:
    """Closed on time = closed, and the close clock was met before it ran out: a function of the
    current rows, so a rebuild gives what live counting gave."""
    fact.closed_on_time = (
        fact.closed_at is not None
        and close is not None
        and close.state == DeadlineState.MET
        and close.met_at <= close.due_at
    )


def fact_overdue_refresh(fact: CaseFact, now: dt.datetime) -> None:
    """Overdue = open with its close clock past due; a step after the due time marks it itself (keeping
    the sweep's watermark true), and an approved extension or a pause clears it."""
    fact.is_overdue = _past_close_due(fact, now)


def _past_close_due(fact: CaseFact, now: dt.datetime) -> bool:
    return fact.is_open and fact.close_due_at is not None and fact.close_due_at < now


def fact_overdue_keep(fact: CaseFact, now: dt.datetime) -> None:
    """The rebuild keeps what the sweep and the steps marked (the dashboards add what is due since the
    sweep's watermark) and clears only a mark the clocks no longer support; `_REFOLD_SQL` mirrors it."""
    fact.is_overdue = fact.is_overdue and _past_close_due(fact, now)


def fact_new(case: Case) -> CaseFact:
    fact = CaseFact(case=case, received_at=case.received_at)
    fact_dimensions_refresh(fact, case)
    fact_clocks_refresh(fact, case)
    return fact


def fact_apply_event(fact: CaseFact, case: Case, event: TransitionEvent) -> None:
    """Folds one lifecycle step into the fact. A reopened case stops counting as resolved and closed
    until it is resolved or closed again, so it is never counted twice. Steps that keep the status
    (an extension request) change nothing."""
    to, at = event.to_status, event.at
    if to == event.from_status:
        return
    if to == CaseStatus.RESOLVED:
        fact.resolved_at, fact.resolved_level = at, case.handling_region.level
    elif to == CaseStatus.UNRESOLVED:
        fact.resolved_at, fact.resolved_level = None, None
    elif to == CaseStatus.CLOSED:
        fact.closed_at, fact.is_open = at, False
    elif to in (CaseStatus.FOLLOWED_UP, CaseStatus.TRANSFERRED):
        fact.is_open = False
    elif to == CaseStatus.REOPENED:
        fact.resolved_at, fact.resolved_level = None, None
        fact.closed_at, fact.is_open = None, True
    elif to == CaseStatus.ESCALATED and fact.escalated_at is None:
        fact.escalated_at = at


def fact_measures(fact: CaseFact) -> list[tuple[str, dt.date, str | None]]:
    """(measure, month, tier) pairs the fact counts in; `_MEASURES_SQL` mirrors this."""
    received = month_of(fact.received_at)
    found: list[tuple[str, dt.date, str | None]] = [(Measure.RECEIVED, received, None)]
    if fact.resolved_at is not None:
        found.append((Measure.RECEIVED_RESOLVED, received, None))
        found.append((Measure.RESOLVED, month_of(fact.resolved_at), str(fact.resolved_level)))
    if fact.first_response_at is not None and fact.first_response_at <= fact.respond_due_at:
        found.append((Measure.RESPONDED_ON_TIME, received, None))
    if fact.closed_at is not None:
        found.append((Measure.CLOSED, month_of(fact.closed_at), None))
        if fact.closed_on_time:
            found.append((Measure.CLOSED_ON_TIME, month_of(fact.closed_at), None))
    if fact.escalated_at is not None:
        found.append((Measure.ESCALATED, month_of(fact.escalated_at), None))
    return found


def fact_members(fact: CaseFact) -> dict[str, str]:
    """The fact's member of each breakdown but the resolving tier (which comes with the measure)."""
    return {
        str(Dimension.TOTAL): "",
        str(Dimension.KIND): str(fact.kind_id),
        str(Dimension.CHANNEL): fact.channel,
        str(Dimension.COLOR): fact.color,
        str(Dimension.DEPARTMENT): "" if fact.department_id is None else str(fact.department_id),
    }


def contribution(fact: CaseFact, ancestors: Iterable[tuple[int, int]]) -> Counter[Key]:
    """Every CaseCount key this fact adds one to: each measure x each breakdown x each ancestor, given as
    (region id, official level). Townships and villages keep only their totals: each holds a few hundred
    cases a year, so their breakdowns are counted from their facts when asked (selectors) instead of
    multiplying the rollup's rows by the number of townships and villages."""
    members = list(fact_members(fact).items())
    counts: Counter[Key] = Counter()
    for region_id, level in ancestors:
        for measure, month, tier in fact_measures(fact):
            for dimension, value in members if level < BREAKDOWN_LEVEL_LIMIT else members[:1]:
                counts[(month, region_id, str(dimension), value, str(measure))] += 1
            if tier is not None and level < BREAKDOWN_LEVEL_LIMIT:
                counts[(month, region_id, str(Dimension.TIER), tier, str(measure))] += 1
    return counts


def open_contribution(fact: CaseFact, ancestors: Iterable[tuple[int, int]]) -> Counter[OpenKey]:
    """Every OpenCount cell an open fact adds one to: each ancestor's total and, above townships, its
    kind; in the `overdue` column too once the sweep has marked it. A closed fact adds nothing."""
    counts: Counter[OpenKey] = Counter()
    if not fact.is_open:
        return counts
    columns = ("open", "overdue") if fact.is_overdue else ("open",)
    for region_id, level in ancestors:
        kinds = (ALL_KINDS, fact.kind_id) if level < BREAKDOWN_LEVEL_LIMIT else (ALL_KINDS,)
        for kind in kinds:
            for column in columns:
                counts[(region_id, kind, column)] += 1
    return counts


def follow_up_measures(follow_up: FollowUp) -> list[tuple[str, dt.date]]:
    month = month_of(follow_up.contacted_at)
    satisfied = [(Measure.SATISFIED, month)] if follow_up.satisfaction in SATISFIED else []
    return [(Measure.FOLLOWED_UP, month), *satisfied]


def _record_measures(case_id: int) -> list[tuple[str, dt.date]]:
    """(measure, month) of everything recorded about the case besides its lifecycle: each follow-up and
    each repeat visit."""
    found = [
        m for follow_up in FollowUp.objects.filter(case_id=case_id) for m in follow_up_measures(follow_up)
    ]
    visits = RepeatVisit.objects.filter(case_id=case_id).values_list("received_at", flat=True)
    return found + [(Measure.REPEAT_VISIT, month_of(moment)) for moment in visits]


def record_contribution(
    measures: Iterable[tuple[str, dt.date]], ancestors: list[tuple[int, int]]
) -> Counter[Key]:
    """The totals rows (every ancestor's) that follow-ups and repeat visits add one to."""
    return Counter(
        (month, region_id, str(Dimension.TOTAL), "", str(measure))
        for measure, month in measures
        for region_id, _level in ancestors
    )


def ancestors_of(region_id: int) -> list[tuple[int, int]]:
    region = Region.objects.get(pk=region_id)
    return list(region.get_ancestors(include_self=True).values_list("pk", "level"))


UPSERT_BATCH = 500  # rows per statement: 3,000 parameters, well inside SQLite's limit


def _counts_add(delta: Counter[Key]) -> None:
    """Adds `delta` to CaseCount; keys in a fixed order so concurrent transactions lock rows alike."""
    rows = sorted((key, (n,)) for key, n in delta.items() if n)
    _upsert_add(CaseCount, ("month", "region_id", "dimension", "value", "measure"), ("n",), rows)


def _open_add(delta: Counter[OpenKey]) -> None:
    """Adds `delta` to OpenCount, one row per (region, kind) with both columns."""
    cells: dict[tuple[int, int], list[int]] = {}
    for (region_id, kind_id, column), n in delta.items():
        cells.setdefault((region_id, kind_id), [0, 0])[column == "overdue"] += n
    rows = sorted((key, tuple(ns)) for key, ns in cells.items() if any(ns))
    _upsert_add(OpenCount, ("region_id", "kind_id"), ("open", "overdue"), rows)


def _upsert_add(model, keys: tuple[str, ...], sums: tuple[str, ...], rows: list[tuple[tuple, tuple]]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE adding each of `sums` to the stored row, in batches."""
    table = model._meta.db_table
    columns = ", ".join(keys + sums)
    row_sql = "(" + ", ".join(["%s"] * (len(keys) + len(sums))) + ")"
    adds = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in sums)
    for start in range(0, len(rows), UPSERT_BATCH):
        batch = rows[start : start + UPSERT_BATCH]
        params = [p for key, ns in batch for p in (*key, *ns)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}",
                params,
            )


def _fact_save(old: Counter[Key], old_open: Counter[OpenKey], fact: CaseFact) -> None:
    ancestors = ancestors_of(fact.region_id)
    new, new_open = contribution(fact, ancestors), open_contribution(fact, ancestors)
    new.subtract(old)
    new_open.subtract(old_open)
    _counts_add(new)
    _open_add(new_open)
    fact.save()


def rollup_case_registered(case: Case) -> None:
    """intake hook: counts a newly registered case (inside the registration transaction). Idempotent,
    because dispatch's own registration listener may already have announced a "registered" event."""
    _recount(case, None)


def rollup_case_transitioned(case: Case, event: TransitionEvent) -> None:
    """dispatch hook: re-counts the case after one lifecycle step (inside the transition transaction)."""
    _recount(case, event)


def rollup_follow_up_recorded(follow_up: FollowUp) -> None:
    """mediation hook: counts a follow-up and its satisfaction in the month contacted."""
    _counts_add(record_contribution(follow_up_measures(follow_up), ancestors_of(follow_up.case.region_id)))


def rollup_repeat_visit_added(visit: RepeatVisit) -> None:
    """intake hook: counts a repeat visit in its month (inside the transaction that records it)."""
    measures = [(Measure.REPEAT_VISIT, month_of(visit.received_at))]
    _counts_add(record_contribution(measures, ancestors_of(visit.case.region_id)))


def rollup_listeners() -> tuple[tuple[Hook, Callable], ...]:
    """Which upstream hook calls which rollup function (connected in AnalyticsConfig.ready)."""
    return (
        (intake_hooks.registration, rollup_case_registered),
        (dispatch_hooks.transitions, rollup_case_transitioned),
        (intake_hooks.repeat_visit, rollup_repeat_visit_added),
        (mediation_hooks.follow_up, rollup_follow_up_recorded),
    )


@contextmanager
def rollups_deferred() -> Iterator[None]:
    """Loads many cases without counting each step (the demo): the block runs with the rollup's
    listeners left out, and `rollups_rebuild` afterwards counts the same cases to the same numbers."""
    with ExitStack() as stack:
        for hook, listener in rollup_listeners():
            stack.enter_context(hook.without(listener))
        yield


def _recount(case: Case, event: TransitionEvent | None) -> None:
    with transaction.atomic():
        fact = CaseFact.objects.select_for_update().filter(case=case).first()
        moved_from = None
        if fact is None:
            fact, old, old_open = fact_new(case), Counter(), Counter()
        else:
            ancestors = ancestors_of(fact.region_id)
            old, old_open = contribution(fact, ancestors), open_contribution(fact, ancestors)
            moved_from = fact.region_id if fact.region_id != case.region_id else None
        fact_dimensions_refresh(fact, case)
        close = fact_clocks_refresh(fact, case)
        if event is not None:
            fact_apply_event(fact, case, event)
        fact_closing_refresh(fact, close)
        fact_overdue_refresh(fact, timezone.now())
        _fact_save(old, old_open, fact)
        if moved_from is not None:
            _records_move(case.pk, moved_from, case.region_id)


def _records_move(case_id: int, from_region: int, to_region: int) -> None:
    """A case placed in another region takes its follow-ups and repeat visits with it."""
    measures = _record_measures(case_id)
    delta = record_contribution(measures, ancestors_of(to_region))
    delta.subtract(record_contribution(measures, ancestors_of(from_region)))
    _counts_add(delta)


def facts_overdue_mark(*, now: dt.datetime | None = None) -> int:
    """The minute sweep: marks open facts whose close limit has passed and counts them overdue at every
    ancestor, in batches of rows locked with skip_locked (a fact a transition holds is marked next time),
    then moves the watermark up to `now`, or to the first fact it could not mark. Returns how many it
    marked."""
    now = now or timezone.now()
    marked = 0
    while True:
        batch = _overdue_batch_mark(now)
        marked += batch
        if batch < OVERDUE_BATCH:
            break
    unmarked = _unmarked_overdue(now).aggregate(first=Min("close_due_at"))["first"]
    OverdueSweep.objects.update_or_create(pk=1, defaults={"swept_until": min(now, unmarked or now)})
    return marked


def _overdue_batch_mark(now: dt.datetime) -> int:
    with transaction.atomic():
        due = _unmarked_overdue(now).select_for_update(skip_locked=True)
        facts = list(due.only("pk", "region_id", "kind_id", "is_open", "is_overdue")[:OVERDUE_BATCH])
        ancestors: dict[int, list[tuple[int, int]]] = {}
        delta: Counter[OpenKey] = Counter()
        for fact in facts:
            if fact.region_id not in ancestors:
                ancestors[fact.region_id] = ancestors_of(fact.region_id)
            fact.is_overdue = True
            delta.update(k for k in open_contribution(fact, ancestors[fact.region_id]) if k[2] == "overdue")
        CaseFact.objects.filter(pk__in=[fact.pk for fact in facts]).update(is_overdue=True)
        _open_add(delta)
    return len(facts)


def _unmarked_overdue(now: dt.datetime):
    return CaseFact.objects.filter(is_open=True, is_overdue=False, close_due_at__lt=now)


def overdue_swept_until() -> dt.datetime:
    """The sweep's watermark; before its first run, the beginning of time."""
    found = OverdueSweep.objects.filter(pk=1).values_list("swept_until", flat=True).first()
    return found or dt.datetime.min.replace(tzinfo=dt.UTC)


_MONTH = "date_trunc('month', {} AT TIME ZONE %(tz)s)::date"
# Step 1: each region with itself and every region above it, walking parent links; a temporary table, so
# the planner sees its true size (a recursive CTE is estimated ten times too large).
_ANCESTORS_SQL = f"""
CREATE TEMPORARY TABLE rollup_ancestors ON COMMIT DROP AS
WITH RECURSIVE ancestors (region_id, ancestor_id) AS (
  SELECT r.id, r.id FROM grid_region r
  WHERE r.level < {BREAKDOWN_LEVEL_LIMIT} OR r.id IN (SELECT region_id FROM analytics_casefact)
  UNION ALL
  SELECT a.region_id, c.parent_id
  FROM ancestors a JOIN grid_region c ON c.id = a.ancestor_id
  WHERE c.parent_id IS NOT NULL
)
SELECT region_id, ancestor_id FROM ancestors
"""
# Step 2: each counted region's "home": the nearest region at or above it that keeps breakdowns.
_HOMES_SQL = f"""
CREATE TEMPORARY TABLE rollup_homes ON COMMIT DROP AS
SELECT DISTINCT ON (a.region_id) a.region_id, a.ancestor_id AS home_id
FROM rollup_ancestors a JOIN grid_region g ON g.id = a.ancestor_id
WHERE g.level < {BREAKDOWN_LEVEL_LIMIT}
ORDER BY a.region_id, g.level DESC
"""
# Step 3: one row per (fact, measure) with its month and home; grouping by home folds a county's
# townships and villages together before the rows are copied to every ancestor.
_MEASURES_SQL = f"""
CREATE TEMPORARY TABLE rollup_measures ON COMMIT DROP AS
SELECT f.region_id, h.home_id,
       f.kind_id, f.channel, f.color, f.department_id, x.measure, x.month, x.tier
FROM analytics_casefact f
LEFT JOIN rollup_homes h ON h.region_id = f.region_id
CROSS JOIN LATERAL (VALUES
  ('received', {_MONTH.format("f.received_at")}, NULL),
  ('received_resolved', CASE WHEN f.resolved_at IS NOT NULL THEN {_MONTH.format("f.received_at")} END, NULL),
  ('responded_on_time', CASE WHEN f.first_response_at <= f.respond_due_at
                             THEN {_MONTH.format("f.received_at")} END, NULL),
  ('resolved', {_MONTH.format("f.resolved_at")}, f.resolved_level::text),
  ('closed', {_MONTH.format("f.closed_at")}, NULL),
  ('closed_on_time', CASE WHEN f.closed_on_time THEN {_MONTH.format("f.closed_at")} END, NULL),
  ('escalated', {_MONTH.format("f.escalated_at")}, NULL)
) AS x(measure, month, tier)
WHERE x.month IS NOT NULL
"""
# Step 4: totals for every ancestor of the case's region; breakdowns for every ancestor of its home.
# Mirrors `contribution`; the hypothesis test checks that both give the same rows.
_COUNTS_SQL = """
INSERT INTO analytics_casecount (month, region_id, dimension, value, measure, n)
SELECT t.month, a.ancestor_id, 'total', '', t.measure, sum(t.n)
FROM (SELECT region_id, month, measure, count(*) AS n FROM rollup_measures GROUP BY 1, 2, 3) t
JOIN rollup_ancestors a ON a.region_id = t.region_id
GROUP BY 1, 2, 3, 4, 5
UNION ALL
SELECT d.month, a.ancestor_id, d.dimension, d.value, d.measure, sum(d.n)
FROM (
  SELECT m.home_id, m.month, m.measure, v.dimension, v.value, count(*) AS n
  FROM rollup_measures m
  CROSS JOIN LATERAL (VALUES
    ('kind', m.kind_id::text), ('channel', m.channel), ('color', m.color),
    ('department', coalesce(m.department_id::text, '')), ('tier', m.tier)
  ) AS v(dimension, value)
  WHERE v.value IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
) d
JOIN rollup_ancestors a ON a.region_id = d.home_id
GROUP BY 1, 2, 3, 4, 5
"""

# Step 5: follow-ups and repeat visits, regions' totals only; mirrors `record_contribution`.
_RECORD_COUNTS_SQL = f"""
INSERT INTO analytics_casecount (month, region_id, dimension, value, measure, n)
SELECT t.month, a.ancestor_id, 'total', '', t.measure, sum(t.n)
FROM (
  SELECT c.region_id, x.measure, x.month, count(*) AS n
  FROM (
    SELECT case_id, 'followed_up' AS measure, {_MONTH.format("contacted_at")} AS month FROM mediation_followup
    UNION ALL
    SELECT case_id, 'satisfied', {_MONTH.format("contacted_at")} FROM mediation_followup
    WHERE satisfaction IN ({", ".join(f"'{value}'" for value in SATISFIED)})
    UNION ALL
    SELECT case_id, 'repeat_visit', {_MONTH.format("received_at")} FROM intake_repeatvisit
  ) x JOIN intake_case c ON c.id = x.case_id
  GROUP BY 1, 2, 3
) t
JOIN rollup_ancestors a ON a.region_id = t.region_id
GROUP BY 1, 2, 3, 4, 5
"""

# Step 6: OpenCount from the open facts, totals at every ancestor and kinds at every ancestor of the home;
# mirrors `open_contribution`.
_OPEN_COUNTS_SQL = f"""
INSERT INTO analytics_opencount (region_id, kind_id, open, overdue)
SELECT a.ancestor_id, {ALL_KINDS}, sum(t.open), sum(t.overdue)
FROM (SELECT region_id, count(*) AS open, count(*) FILTER (WHERE is_overdue) AS overdue
      FROM analytics_casefact WHERE is_open GROUP BY region_id) t
JOIN rollup_ancestors a ON a.region_id = t.region_id
GROUP BY 1
UNION ALL
SELECT a.ancestor_id, t.kind_id, sum(t.open), sum(t.overdue)
FROM (SELECT h.home_id, f.kind_id, count(*) AS open, count(*) FILTER (WHERE f.is_overdue) AS overdue
      FROM analytics_casefact f JOIN rollup_homes h ON h.region_id = f.region_id
      WHERE f.is_open GROUP BY 1, 2) t
JOIN rollup_ancestors a ON a.region_id = t.home_id
GROUP BY 1, 2
"""

# The fold of `fact_apply_event` over each case's events, in SQL: the latest of the steps that set or
# clear a moment decides it (e.g. resolved, unresolved or reopened for resolved_at).
_LAST = "(array_agg({} ORDER BY at DESC, id DESC) FILTER (WHERE to_status IN ({})))[1]"
_OUTCOME, _CLOSING = "'resolved', 'unresolved', 'reopened'", "'closed', 'reopened'"
_OPENING = "'closed', 'followed_up', 'transferred', 'reopened'"
# The clocks as `fact_clocks_refresh` reads them: the running close clock, else the latest not cancelled;
# the latest respond clock.
_REFOLD_SQL = f"""
WITH e AS (
  SELECT case_id,
    min(at) FILTER (WHERE to_status = 'escalated') AS escalated_at,
    {_LAST.format("to_status", _OUTCOME)} AS outcome, {_LAST.format("at", _OUTCOME)} AS outcome_at,
    {_LAST.format("to_status", _CLOSING)} AS closing, {_LAST.format("at", _CLOSING)} AS closing_at,
    {_LAST.format("to_status", _OPENING)} AS opening
  FROM dispatch_caseevent
  WHERE to_status <> from_status
  GROUP BY case_id
), cl AS (
  SELECT DISTINCT ON (case_id) case_id, CASE WHEN state <> 'paused' THEN due_at END AS due_at,
    state = 'met' AND met_at <= due_at AS met_in_time
  FROM dispatch_deadline WHERE kind = 'close' AND case_id IS NOT NULL AND state <> 'cancelled'
  ORDER BY case_id, state IN ('pending', 'warned', 'paused') DESC, started_at DESC, id DESC
), rs AS (
  SELECT DISTINCT ON (case_id) case_id, due_at, CASE WHEN state = 'met' THEN met_at END AS met_at
  FROM dispatch_deadline WHERE kind = 'respond' AND case_id IS NOT NULL
  ORDER BY case_id, started_at DESC, id DESC
), refolded AS (
  SELECT c.id AS case_id, c.region_id, r.tree_id, r.lft, c.category_id, c.channel, c.color,
    c.assigned_department_id, h.level AS handling_level, cl.due_at AS close_due_at, cl.met_in_time,
    rs.due_at AS respond_due_at, rs.met_at AS first_response_at, e.escalated_at, e.outcome, e.outcome_at,
    e.closing, e.closing_at, coalesce(e.opening = 'reopened', e.opening IS NULL) AS is_open
  FROM intake_case c
  JOIN grid_region r ON r.id = c.region_id
  JOIN grid_region h ON h.id = c.handling_region_id
  LEFT JOIN e ON e.case_id = c.id
  LEFT JOIN cl ON cl.case_id = c.id
  LEFT JOIN rs ON rs.case_id = c.id
)
UPDATE analytics_casefact f
SET region_id = x.region_id, tree_id = x.tree_id, lft = x.lft, kind_id = x.category_id,
    channel = x.channel, color = x.color, department_id = x.assigned_department_id,
    close_due_at = x.close_due_at, respond_due_at = x.respond_due_at,
    first_response_at = x.first_response_at, escalated_at = x.escalated_at,
    resolved_at = CASE WHEN x.outcome = 'resolved' THEN x.outcome_at END,
    resolved_level = CASE WHEN x.outcome = 'resolved' THEN x.handling_level END,
    closed_at = CASE WHEN x.closing = 'closed' THEN x.closing_at END,
    closed_on_time = coalesce(x.closing = 'closed' AND x.met_in_time, false),
    is_open = x.is_open,
    is_overdue = f.is_overdue AND coalesce(x.is_open AND x.close_due_at < %(now)s, false)
FROM refolded x
WHERE x.case_id = f.case_id
"""


def counts_rebuild_sql(cursor) -> None:
    """Replaces every CaseCount and OpenCount row with a recount from the facts, in a few statements
    (PostgreSQL; call inside a transaction). The GROUP BYs sort tens of millions of rows at province
    scale: memory for them is raised for this transaction only."""
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("DELETE FROM analytics_casecount")
    cursor.execute("DELETE FROM analytics_opencount")
    # Dropped here too: inside an enclosing transaction (a rebuild in a test) ON COMMIT has not come yet.
    cursor.execute("DROP TABLE IF EXISTS rollup_ancestors, rollup_homes, rollup_measures")
    cursor.execute(_ANCESTORS_SQL)
    cursor.execute("ANALYZE rollup_ancestors")
    cursor.execute(_HOMES_SQL)
    cursor.execute(_MEASURES_SQL, {"tz": settings.TIME_ZONE})
    cursor.execute("ANALYZE rollup_measures")
    cursor.execute(_COUNTS_SQL)
    cursor.execute(_RECORD_COUNTS_SQL, {"tz": settings.TIME_ZONE})
    cursor.execute(_OPEN_COUNTS_SQL)


def rollups_rebuild() -> int:
    """Recomputes CaseCount from scratch: a fact for every case that has none, every fact refolded from
    its case row and dispatch's CaseEvents, then all counts in one GROUP BY. Returns CaseCount's row
    count."""
    with transaction.atomic():
        missing = Case.objects.filter(pk__in=_cases_without_fact()).select_related(
            "region", "handling_region"
        )
        CaseFact.objects.bulk_create((fact_new(case) for case in missing.iterator()), batch_size=2000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_REFOLD_SQL, {"now": timezone.now()})
                counts_rebuild_sql(cursor)
        else:
            CaseCount.objects.all().delete()
            OpenCount.objects.all().delete()
            _rebuild_in_python()
        return CaseCount.objects.count()


def _cases_without_fact():
    return Case.objects.exclude(pk__in=CaseFact.objects.values("case_id")).values("pk")


def _rebuild_in_python() -> None:
    """The same rebuild for databases without LATERAL (SQLite in `make run`); small data only."""
    total: Counter[Key] = Counter()
    open_total: Counter[OpenKey] = Counter()
    ancestors: dict[int, list[tuple[int, int]]] = {}
    events = CaseEvent.objects.order_by("at", "pk")
    facts = CaseFact.objects.select_related("case__region", "case__handling_region")
    now = timezone.now()
    for fact in facts.prefetch_related(Prefetch("case__events", queryset=events)).iterator(chunk_size=2000):
        _fact_refold(fact, now)
        if fact.region_id not in ancestors:
            ancestors[fact.region_id] = ancestors_of(fact.region_id)
        total.update(contribution(fact, ancestors[fact.region_id]))
        total.update(record_contribution(_record_measures(fact.case_id), ancestors[fact.region_id]))
        open_total.update(open_contribution(fact, ancestors[fact.region_id]))
    _counts_add(total)
    _open_add(open_total)


def _fact_refold(fact: CaseFact, now: dt.datetime) -> None:
    fact.resolved_at = fact.resolved_level = None
    fact.closed_at = fact.escalated_at = None
    fact.is_open = True
    fact_dimensions_refresh(fact, fact.case)
    close = fact_clocks_refresh(fact, fact.case)
    for event in fact.case.events.all():
        fact_apply_event(fact, fact.case, event)
    fact_closing_refresh(fact, close)
    fact_overdue_keep(fact, now)
    fact.save()
