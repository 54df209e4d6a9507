import datetime as dt
from decimal import Decimal

import pytest

from dispatch.models import CategoryDepartment, TriageRule
from dispatch.routing import department_present, departments_for, route_propose
from dispatch.tests.factories import CaseFactory, CategoryFactory
from dispatch.triage import propose_color, rule_matches
from grid.models import Department, RotaPeriod
from tests.roles import HUAYANG, NANGUAN, NANLING, make_staff

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def village_case(center, clerk, regions):
    return CaseFactory(center=center, received_by=clerk, region=regions[HUAYANG])


def test_default_rules_propose_red_for_self_harm_words(village_case):
    village_case.description = "申请人情绪激动，说要跳楼自杀。"
    color, reasons = propose_color(village_case)
    assert color == "red"
    assert any("自杀" in reason.name for reason in reasons)


def test_highest_colour_of_matching_rules_wins(village_case):
    # given only an admin's own rules
    TriageRule.objects.all().delete()
    TriageRule.objects.create(name="三人以上", color="yellow", min_parties=3)
    TriageRule.objects.create(name="五十万元以上", color="red", min_amount=Decimal("500000"))
    TriageRule.objects.create(name="停用", color="red", min_parties=1, is_active=False)
    # when / then
    village_case.involved_people, village_case.amount = 4, Decimal("80000")
    assert propose_color(village_case)[0] == "yellow"
    village_case.amount = Decimal("600000")
    color, reasons = propose_color(village_case)
    assert color == "red" and {r.name for r in reasons} == {"三人以上", "五十万元以上"}
    village_case.involved_people, village_case.amount = 1, None
    assert propose_color(village_case) == ("blue", [])


def test_rule_conditions_must_all_hold(village_case):
    labour = CategoryFactory(code="0301", name="劳动争议")
    rule = TriageRule.objects.create(
        name="欠薪且重复来访", color="yellow", category=labour, min_repeat_visits=2
    )
    village_case.repeat_count = 3
    assert not rule_matches(rule, village_case)
    village_case.category = labour
    assert rule_matches(rule, village_case)


def test_blue_goes_to_the_grid_worker_of_the_cell(village_case, grid_worker, org):
    village_case.grid_cell = org["grid_cell"]
    proposal = route_propose(village_case, color="blue")
    assert (proposal.unit, proposal.assignee) == ("grid", grid_worker)


def test_blue_without_a_cell_goes_to_the_village(village_case, grid_worker):
    village_case.grid_cell = None
    proposal = route_propose(village_case, color="blue")
    assert (proposal.unit, proposal.assignee) == ("village", grid_worker)


def test_yellow_prefers_a_department_present_today(village_case, org):
    # given 劳动争议 mapped to 人社局, which rotates at 南关区, and an on-call 人社 office
    labour = CategoryFactory(code="0301", name="劳动争议")
    village_case.category = labour
    CategoryDepartment.objects.create(category=labour, department_kind="human_resources")
    center = org["centers"][NANGUAN]
    rotating = Department.objects.create(
        center=center, name="人社局", kind="human_resources", residency="rotating"
    )
    on_call = Department.objects.create(
        center=center, name="劳动监察大队", kind="human_resources", residency="on_call"
    )
    RotaPeriod.objects.create(department=rotating, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=6))
    # when / then: inside the rota the rotating one comes first, outside it the on-call one
    assert departments_for(village_case, day=TODAY) == [rotating, on_call]
    assert departments_for(village_case, day=TODAY + dt.timedelta(days=10)) == [on_call]
    assert route_propose(village_case, color="yellow", day=TODAY).department == rotating
    assert department_present(rotating, TODAY) and not department_present(on_call, TODAY)


def test_red_goes_to_the_township_team(village_case, township_supervisor):
    # with only the township's supervisor there, the proposal names them
    assert route_propose(village_case, color="red").assignee == township_supervisor
    # and a member of the township's team who can handle the case comes first
    team = make_staff("zfwy", NANLING, "mediator", full_name="王立军")
    proposal = route_propose(village_case, color="red")
    assert (proposal.unit, proposal.assignee) == ("township_team", team)
