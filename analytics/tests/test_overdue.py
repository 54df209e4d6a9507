"""Open and overdue cases now: OpenCount kept by the hooks and the minute sweep, exact between sweeps.

Cases registered on 2026-11-21 (a Saturday) are due five working days later, on 2026-11-27. Every test
runs on a clock frozen two days after that registration (NOW), within the limit, and moves it forward to
2026-12-10 (LATER) to see them overdue."""

import importlib
import threading

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from analytics.models import CaseCount, CaseFact, OpenCount, OverdueSweep
from analytics.rollup import ALL_KINDS, facts_overdue_mark, overdue_swept_until
from analytics.selectors import _overdue_by_kind, attention_cases, overdue_by_child, overdue_count
from analytics.tasks import mark_overdue_task
from analytics.tests.conftest import HUAYANG, NANGUAN, NANLING, ZIQIANG, register
from analytics.tests.factories import at, transition
from analytics.tests.test_rollup import snapshot

pytestmark = pytest.mark.django_db
CHAIN = ("220000000000", "220100000000", NANGUAN, NANLING, HUAYANG)
NOW = at(2026, 11, 23, 10)
LATER = at(2026, 12, 10)


@pytest.fixture(autouse=True)
def now():
    """Registration and sweeps compare with the clock: these tests never read the real one."""
    with time_machine.travel(NOW, tick=False):
        yield


def open_cells(org) -> dict[str, tuple[int, int]]:
    """(open, overdue) of each region's total, by region code."""
    codes = {region.pk: code for code, region in org["regions"].items()}
    rows = OpenCount.objects.filter(kind_id=ALL_KINDS).exclude(open=0, overdue=0)
    return {codes[row.region_id]: (row.open, row.overdue) for row in rows}


def test_sweep_counts_a_case_past_its_limit_once_at_every_ancestor(org, supervisor, categories):
    # given an open case within its limit
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))
    assert open_cells(org) == {code: (1, 0) for code in CHAIN}

    # when the sweep runs twice after its limit
    marked = (facts_overdue_mark(now=LATER), facts_overdue_mark(now=LATER))

    # then it is marked once, and overdue at the village and every region above; kinds above townships
    assert marked == (1, 0)
    assert CaseFact.objects.get(case=case).is_overdue
    assert open_cells(org) == {code: (1, 1) for code in CHAIN}
    kinds = OpenCount.objects.filter(kind_id=categories["marriage"].pk)
    assert sorted((row.open, row.overdue) for row in kinds) == [(1, 1)] * 3
    assert overdue_swept_until() == LATER


def test_sweep_leaves_a_case_within_its_limit(org, supervisor, categories):
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))

    marked = facts_overdue_mark(now=at(2026, 11, 22))

    assert marked == 0
    assert overdue_count(region=org["regions"][NANGUAN], now=at(2026, 11, 22)) == 0


def test_a_step_after_the_limit_marks_the_case_itself(org, supervisor, categories):
    # given a case registered in July, long past its limit, and no sweep
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 31))

    # then registering it marked it overdue already
    assert CaseFact.objects.get(case=case).is_overdue
    assert open_cells(org) == {code: (1, 1) for code in CHAIN}


def test_overdue_now_is_exact_before_and_after_the_sweep(org, supervisor, categories):
    # given a case whose limit passed after the last sweep
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))
    facts_overdue_mark(now=at(2026, 11, 22))
    county, kind = org["regions"][NANGUAN], str(categories["marriage"].pk)

    with time_machine.travel(LATER, tick=False):
        # then the dashboards count it before the sweep (from the facts) and after (from OpenCount), once
        before = (
            overdue_count(region=county),
            overdue_by_child(region=county)[NANLING],
            _overdue_by_kind(county),
        )
        facts_overdue_mark()
        after = (
            overdue_count(region=county),
            overdue_by_child(region=county)[NANLING],
            _overdue_by_kind(county),
        )

    assert before == after == (1, (1, 1), {kind: (1, 1)})


def test_counts_read_only_the_facts_due_since_the_watermark(org, supervisor, categories):
    # given a case due on 11-27 and a watermark after that (the sweep vouches for everything before it)
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))
    OverdueSweep.objects.create(pk=1, swept_until=at(2026, 12, 1))

    # then the unmarked case before the watermark is not looked for among the facts
    assert overdue_count(region=org["regions"][NANGUAN], now=LATER) == 0


def test_closing_an_overdue_case_takes_it_off_and_reopening_restarts_its_clock(org, supervisor, categories):
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 31))

    transition(case, "closed", at(2026, 8, 20))
    closed = open_cells(org)
    transition(case, "reopened", at(2026, 8, 25))
    reopened = open_cells(org)
    facts_overdue_mark(now=NOW)

    # then reopening is a new acceptance: open within a fresh five days (due 09-01), overdue once past
    assert closed == {}
    assert reopened == {code: (1, 0) for code in CHAIN}
    assert open_cells(org) == {code: (1, 1) for code in CHAIN}


def test_a_township_counts_its_kinds_from_its_facts(org, supervisor, categories):
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 31))
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))

    counts = _overdue_by_kind(org["regions"][NANLING])

    assert counts == {str(categories["marriage"].pk): (1, 2)}


def test_attention_list_takes_red_then_yellow_then_blue_oldest_first(org, supervisor, categories):
    # given overdue open cases of every colour, and one within its limit
    kind = categories["marriage"]
    blue = register(org, supervisor, HUAYANG, kind, at(2026, 7, 1), color="blue")
    yellow_new = register(org, supervisor, HUAYANG, kind, at(2026, 8, 3), color="yellow")
    red = register(org, supervisor, HUAYANG, kind, at(2026, 9, 1), color="red")
    yellow_old = register(org, supervisor, HUAYANG, kind, at(2026, 7, 2), color="yellow")
    register(org, supervisor, HUAYANG, kind, at(2026, 11, 21), color="red")

    # when
    top = attention_cases(region=org["regions"][NANGUAN], limit=3)
    every = attention_cases(region=org["regions"][NANGUAN])

    # then
    assert top == [red, yellow_old, yellow_new]
    assert every == [red, yellow_old, yellow_new, blue]


def test_the_migration_fills_what_the_hooks_keep(dataset, org):
    # given the fixed data set's counts as kept live, without what the migration adds: open counts,
    # follow-ups and repeat visits
    live = snapshot()
    OpenCount.objects.all().delete()
    CaseCount.objects.filter(measure__in=["followed_up", "satisfied", "repeat_visit"]).delete()
    migration = importlib.import_module("analytics.migrations.0003_open_counts")

    # when
    migration.open_counts_fill(apps, None)
    migration.record_counts_fill(apps, None)

    # then
    assert snapshot() == live
    # C is open past its clock's due time, counted overdue once a sweep or a step marks it
    assert open_cells(org)[ZIQIANG] == (1, 0)


def test_mark_overdue_runs_every_minute_on_the_sweep_queue(org, supervisor, categories):
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))

    with time_machine.travel(LATER, tick=False):
        marked = mark_overdue_task.apply().get()

    assert marked == 1
    assert settings.CELERY_BEAT_SCHEDULE["mark-overdue"] == {
        "task": "analytics.mark_overdue",
        "schedule": 60.0,
    }
    assert settings.CELERY_TASK_ROUTES["analytics.mark_overdue"] == {"queue": settings.CELERY_SWEEP_QUEUE}


@pytest.mark.django_db(transaction=True)
def test_sweep_skips_a_case_a_transition_holds_and_marks_it_next_time(org, supervisor, categories, postgres):
    # given a case past its limit whose fact another transaction has locked
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))
    locked, release = threading.Event(), threading.Event()

    def hold_the_fact() -> None:
        try:
            with transaction.atomic():
                CaseFact.objects.select_for_update().get(case=case)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_fact)
    holder.start()
    locked.wait(10)

    # when the sweep runs while it is held, and again after
    during = facts_overdue_mark(now=LATER)
    watermark = overdue_swept_until()
    release.set()
    holder.join()
    after = facts_overdue_mark(now=LATER)

    # then it neither waited nor lost the case, and its watermark stopped at the case it could not mark
    assert (during, after) == (0, 1)
    assert watermark == CaseFact.objects.get(case=case).close_due_at
    assert open_cells(org)[NANGUAN] == (1, 1)
