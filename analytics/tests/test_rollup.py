import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.models import CaseCount, CaseFact, OpenCount
from analytics.rollup import _rebuild_in_python, facts_overdue_mark, rollups_rebuild
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

registration = st.tuples(st.sampled_from(REGION_CODES), st.sampled_from(["marriage", "boundary"]))
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


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    registrations=st.lists(registration, min_size=1, max_size=3),
    operations=st.lists(operation, min_size=8, max_size=30),
)
def test_live_rollup_equals_a_recount_after_random_operations(
    org, supervisor, categories, postgres, registrations, operations
):
    with transaction.atomic():
        # given cases changed by random steps, triage, reclassification and moves, days apart, with sweeps,
        # follow-ups and repeat visits between them
        records = {
            "sweep": lambda case, moment, _: facts_overdue_mark(now=moment),
            "follow_up": lambda case, moment, choice: follow_up(case, moment, choice, supervisor),
            "visit": lambda case, moment, _: repeat_visit(case, moment),
        }
        cases = [
            register(org, supervisor, code, categories[kind], at(2026, 6, 20, 9))
            for code, kind in registrations
        ]
        for step_no, (kind, target, choice) in enumerate(operations, start=1):
            moment = at(2026, 6, 20, 9) + dt.timedelta(days=4 * step_no, minutes=7 * step_no)
            case = cases[target % len(cases)]
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
        live = snapshot()

        # when
        rollups_rebuild()

        # then
        assert snapshot() == live
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
