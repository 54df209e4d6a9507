import datetime as dt
import threading
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from analytics.exports import breakdowns_xlsx
from analytics.models import CaseCount, CaseFact, OpenCount
from analytics.periods import period_parse
from analytics.rollup import _rebuild_in_python, facts_overdue_mark, rollups_rebuild
from analytics.selectors import dashboard_get
from analytics.tests.conftest import BEIAN, HENGAN, HUAYANG, JIUQUAN, NANGUAN, NANLING, register
from analytics.tests.factories import at, follow_up, repeat_visit, transition


def snapshot() -> dict:
    """Every non-zero count: CaseCount's by month, OpenCount's open and overdue now."""
    counts = {
        (row.month, row.region_id, row.dimension, row.value, row.measure): row.n
        for row in CaseCount.objects.exclude(n=0)
    }
    for row in OpenCount.objects.all():
        for column in ("open", "overdue"):
            counts[(None, row.region_id, "open_now", str(row.kind_id), column)] = getattr(row, column)
    return {key: n for key, n in counts.items() if n}


def test_rebuild_gives_the_live_numbers_for_the_fixed_data_set(dataset, postgres):
    # given counts kept live by the hooks
    live = snapshot()

    # when
    call_command("rebuild_rollups")

    # then
    assert snapshot() == live and live


def test_python_rebuild_for_sqlite_gives_the_live_numbers(dataset, monkeypatch):
    # given counts kept live, and more rows than one upsert statement takes
    monkeypatch.setattr("analytics.rollup.UPSERT_BATCH", 7)
    facts_overdue_mark()
    live = snapshot()
    CaseCount.objects.all().delete()
    OpenCount.objects.all().delete()

    # when
    _rebuild_in_python()

    # then
    assert snapshot() == live


def test_rebuild_counts_a_case_registered_before_analytics_existed(org, supervisor, categories, postgres):
    # given a case with no fact (registered without the hook)
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 1))
    CaseFact.objects.all().delete()
    CaseCount.objects.all().delete()

    # when
    rollups_rebuild()

    # then it is counted at the village and each ancestor
    assert CaseFact.objects.filter(case=case).exists()
    assert CaseCount.objects.filter(dimension="total", measure="received").count() == 5


STEPS = ["in_progress", "resolved", "unresolved", "closed", "reopened", "escalated", "followed_up"]
REGION_CODES = [HUAYANG, HENGAN, BEIAN, JIUQUAN, NANLING]

# Where, which kind, and how many days after the first registration (so later months receive cases too).
registration = st.tuples(
    st.sampled_from(REGION_CODES), st.sampled_from(["marriage", "boundary"]), st.sampled_from([0, 12, 40])
)
operation = st.one_of(
    st.tuples(st.just("step"), st.integers(0, 2), st.sampled_from(STEPS)),
    st.tuples(st.just("step"), st.integers(0, 2), st.sampled_from(STEPS)),
    st.tuples(st.just("step"), st.integers(0, 2), st.sampled_from(STEPS)),
    st.tuples(st.just("color"), st.integers(0, 2), st.sampled_from(["red", "yellow", "blue"])),
    st.tuples(st.just("reclassify"), st.integers(0, 2), st.sampled_from(["marriage", "support", "boundary"])),
    st.tuples(st.just("move"), st.integers(0, 2), st.sampled_from(REGION_CODES)),
    st.tuples(st.just("sweep"), st.integers(0, 2), st.just("")),
    st.tuples(st.just("follow_up"), st.integers(0, 2), st.sampled_from(["satisfied", "dissatisfied"])),
    st.tuples(st.just("visit"), st.integers(0, 2), st.just("")),
)


def test_case_escalated_twice_counts_once_in_the_month_of_the_first(org, supervisor, categories, postgres):
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 6, 1))
    transition(case, "escalated", at(2026, 6, 5))
    transition(case, "in_progress", at(2026, 7, 5))
    transition(case, "escalated", at(2026, 8, 5))
    live = snapshot()

    rollups_rebuild()

    escalated = {k[0].month: n for k, n in live.items() if k[4] == "escalated" and k[2] == "total"}
    assert escalated == {6: 1} or set(escalated) == {6}
    assert snapshot() == live


def operations_play(org, supervisor, categories, registrations, operations) -> list:
    """Registers cases and changes them by random steps, triage, reclassification and moves, days apart,
    with sweeps, follow-ups and repeat visits between them."""
    records = {
        "sweep": lambda case, moment, _: facts_overdue_mark(now=moment),
        "follow_up": lambda case, moment, choice: follow_up(case, moment, choice, supervisor),
        "visit": lambda case, moment, _: repeat_visit(case, moment),
    }
    first = at(2026, 6, 20, 9)
    cases = [
        register(org, supervisor, code, categories[kind], first + dt.timedelta(days=days))
        for code, kind, days in registrations
    ]
    for step_no, (kind, target, choice) in enumerate(operations, start=1):
        moment = first + dt.timedelta(days=4 * step_no, minutes=7 * step_no)
        case = cases[target % len(cases)]
        if moment <= case.received_at:
            continue
        if kind in ("sweep", "follow_up", "visit"):
            records[kind](case, moment, choice)
            continue
        fields = {
            "step": {},
            "color": {"color": choice},
            "reclassify": {"category": categories[choice]} if kind == "reclassify" else {},
            "move": {"region": org["regions"][choice]} if kind == "move" else {},
        }[kind]
        step = choice if kind == "step" else "triaged"
        if step == "resolved":
            fields["handling_region"] = org["regions"][NANGUAN]
        transition(case, step, moment, **fields)
    return cases


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    registrations=st.lists(registration, min_size=1, max_size=3),
    operations=st.lists(operation, min_size=8, max_size=30),
)
def test_live_rollup_equals_a_recount_after_random_operations(
    org, supervisor, categories, postgres, registrations, operations
):
    with transaction.atomic():
        # given cases changed by random operations
        operations_play(org, supervisor, categories, registrations, operations)
        live = snapshot()

        # when
        rollups_rebuild()

        # then
        assert snapshot() == live
        transaction.set_rollback(True)


def rates_in(figures) -> list[float]:
    """Every percentage in a dashboard's figures (keys ending in _rate, and the tiers' shares)."""
    if isinstance(figures, dict):
        found = [v for k, v in figures.items() if (k.endswith("_rate") or k == "share") and v is not None]
        return found + [rate for value in figures.values() for rate in rates_in(value)]
    if isinstance(figures, list):
        return [rate for item in figures for rate in rates_in(item)]
    return []


def percent_cells(workbook: bytes) -> list[float]:
    """The values of every "(%)" column of an exported workbook."""
    cells = []
    for sheet in load_workbook(BytesIO(workbook)).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        percent_columns = [i for i, title in enumerate(rows[0]) if "(%)" in str(title)]
        percent_rows = [row[1] for row in rows[1:] if "(%)" in str(row[0])]  # the summary sheet's
        cells += [row[i] for row in rows[1:] for i in percent_columns] + percent_rows
    return [cell for cell in cells if isinstance(cell, int | float)]


# A case: where, how many days after 06-20 it is received, and how many days later it is resolved (or never).
resolved_case = st.tuples(st.sampled_from(REGION_CODES), st.integers(0, 80), st.none() | st.integers(0, 50))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(resolved_case, min_size=1, max_size=6))
def test_no_rate_on_a_dashboard_or_its_export_exceeds_100_percent(org, supervisor, categories, cases):
    with transaction.atomic():
        # given cases received over three months, some resolved weeks later (in another month)
        first = at(2026, 6, 20, 9)
        for code, received_day, resolved_after in cases:
            case = register(
                org, supervisor, code, categories["marriage"], first + dt.timedelta(days=received_day)
            )
            if resolved_after is not None:
                when = case.received_at + dt.timedelta(days=resolved_after, hours=1)
                transition(case, "resolved", when, handling_region=org["regions"][NANGUAN])

        for period in ("2026-06", "2026-07", "2026-08", "2026-09", "2026-Q3"):
            # when the county's dashboard and its workbook are made
            figures = dashboard_get(region=org["regions"][NANGUAN], period=period_parse(period))
            workbook = breakdowns_xlsx(dashboard=figures, title=period)

            # then every percentage lies within 0-100
            rates = rates_in(figures) + percent_cells(workbook)
            assert all(0 <= rate <= 100 for rate in rates), (period, rates)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_lose_no_count(org, supervisor, categories, postgres):
    # given two registrations of the same village, month and kind in two connections at once
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def register_one() -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 1))
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register_one) for _ in range(2)]

    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then both are counted at the shared rows
    assert not errors
    assert (
        CaseCount.objects.get(region_id=org["regions"][NANGUAN].pk, dimension="total", measure="received").n
        == 2
    )
