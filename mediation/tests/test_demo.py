import pytest

from intake.models import Case
from mediation.demo import load_demo
from mediation.models import Agreement, FollowUp, SupervisionNotice

pytestmark = pytest.mark.django_db


def test_demo_loads_mediated_closed_and_followed_up_cases_once(township_clerk, mediator, supervisor):
    # when
    first = load_demo()
    counts = (Case.objects.count(), Agreement.objects.count(), SupervisionNotice.objects.count())
    second = load_demo()
    # then
    assert "调解演示" in first and "已存在" in second
    assert counts == (Case.objects.count(), Agreement.objects.count(), SupervisionNotice.objects.count())
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == ["closed", "followed_up", "followed_up", "in_progress"]
    assert Agreement.objects.filter(state="final").count() == 2
    assert FollowUp.objects.filter(satisfaction="dissatisfied").exists()
    assert SupervisionNotice.objects.count() == 3
