import pytest

from analytics.demo import load_demo
from analytics.models import WarningThreshold
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
