import pytest

from dispatch import demo as dispatch_demo
from dispatch.demo import _stage
from dispatch.tests.factories import registered_case
from intake.models import Case
from mediation.demo import load_demo
from mediation.models import Agreement, FollowUp, SupervisionNotice
from tests.roles import HUAYANG

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


def test_demo_follows_up_the_cases_dispatchs_demo_closed_for_it(
    township_clerk, mediator, supervisor, clerk, center, regions
):
    # given a registered case whose number dispatch's demo takes to its follow-up
    for _ in range(100):
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
        if _stage(case) == "followed_up":
            break
    dispatch_demo.load_demo()
    assert Case.objects.get(pk=case.pk).status == "closed"
    # when
    summary = load_demo()
    # then it is followed up with a FollowUp row, as a handler would record it
    case.refresh_from_db()
    assert case.status == "followed_up" and "1 次回访" in summary
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.satisfaction == "satisfied" and follow_up.recorded_by == case.assignee
