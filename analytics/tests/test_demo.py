import pytest
import time_machine

from analytics.demo import load_demo
from analytics.models import CaseCount, CaseFact, OpenCount, WarningThreshold
from analytics.rollup import facts_overdue_mark, rollups_deferred
from analytics.tests.conftest import HUAYANG, register
from analytics.tests.factories import at, transition
from analytics.tests.test_rollup import snapshot

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(dataset, postgres):
    # given the demo loaded once
    load_demo()
    thresholds, counts = list(WarningThreshold.objects.values_list("pk", "threshold")), snapshot()

    # when it runs again
    summary = load_demo()

    # then nothing changed
    assert list(WarningThreshold.objects.values_list("pk", "threshold")) == thresholds
    assert snapshot() == counts
    assert "新增 0 条" in summary


@time_machine.travel(at(2026, 11, 23, 10), tick=False)
def test_the_demos_analytics_step_counts_deferred_cases_as_live_counting_did(dataset):
    # given the fixed data set counted live and swept, then its counts gone as if loaded with the rollup
    # deferred
    facts_overdue_mark()
    live = snapshot()
    for model in (CaseFact, CaseCount, OpenCount):
        model.objects.all().delete()

    # when the demo's analytics step runs
    load_demo()

    # then it counted the same as live counting did
    assert snapshot() == live


def test_nothing_is_counted_while_the_rollup_is_deferred(org, supervisor, categories):
    with rollups_deferred():
        case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))
        transition(case, "in_progress", at(2026, 11, 21, 10))

    assert not CaseFact.objects.exists() and not CaseCount.objects.exists()


def test_deferring_the_rollup_puts_its_listeners_back_after_an_error(org, supervisor, categories):
    with pytest.raises(RuntimeError), rollups_deferred():
        raise RuntimeError("a demo step failed")

    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 11, 21))

    assert CaseFact.objects.count() == 1
