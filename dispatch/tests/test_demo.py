import pytest

from dispatch.demo import _stage, follow_up_pending, load_demo
from dispatch.models import CategoryDepartment, DeadlinePolicy
from dispatch.tests.factories import registered_case
from intake.models import Case
from tests.roles import HUAYANG

pytestmark = pytest.mark.django_db


def test_without_cases_it_says_so(org):
    assert "暂无案件" in load_demo()


def test_moves_cases_to_their_stages_once(center, clerk, supervisor, handler, regions):
    # given twenty registered cases
    cases = [registered_case(center=center, received_by=clerk, region=regions[HUAYANG]) for _ in range(20)]
    # when
    summary = load_demo()
    # then every case reached the stage its number picks; those to follow up are left closed for
    # mediation's demo, which records their FollowUp
    reached = dict(Case.objects.values_list("number", "status"))
    for case in cases:
        expected = "closed" if _stage(case) == "followed_up" else _stage(case)
        assert reached[case.number] == expected, case.number
    assert sorted(c.number for c in follow_up_pending()) == sorted(
        c.number for c in cases if _stage(c) == "followed_up"
    )
    assert "推进 " in summary
    assert CategoryDepartment.objects.exists() and DeadlinePolicy.objects.filter(color="red").exists()
    # and a second run changes nothing
    versions = dict(Case.objects.values_list("number", "version"))
    load_demo()
    assert dict(Case.objects.values_list("number", "version")) == versions
    assert len(set(reached.values())) >= 4
