import datetime as dt
import zlib

import pytest
from django.utils import timezone

from dispatch.demo import STAGES, STEP_OFFSETS, _stage, follow_up_pending, load_demo
from dispatch.models import CaseEvent, CategoryDepartment, Deadline, DeadlinePolicy
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


def test_older_cases_were_handled_in_the_days_after_their_receipt(
    center, clerk, supervisor, handler, regions
):
    # given cases received a month and ten days ago, whose numbers would leave them open
    now = timezone.now()
    open_stage = [
        n for n in range(1, 200) if STAGES[zlib.crc32(f"OLD{n:05d}".encode()) % len(STAGES)] != "escalated"
    ]
    month_old, ten_days_old = (
        registered_case(
            center=center,
            received_by=clerk,
            region=regions[HUAYANG],
            number=f"OLD{n:05d}",
            received_at=now - age,
        )
        for n, age in zip(open_stage, (dt.timedelta(days=30), dt.timedelta(days=10)), strict=False)
    )
    # when
    load_demo()
    # then both were closed (the month-old one left for mediation's follow-up), nothing is overdue or
    # escalated, and each step and clock lies in the days after receipt
    assert [c.number for c in follow_up_pending()] == [month_old.number]
    for case in (month_old, ten_days_old):
        case.refresh_from_db()
        assert case.status == "closed" and case.handling_center == center
        closed = CaseEvent.objects.get(case=case, type="closed").at
        assert closed == case.received_at + STEP_OFFSETS["closed"]
        close = Deadline.objects.get(case=case, kind="close")
        assert close.state == "met" and close.met_at == closed <= close.due_at
    assert not Deadline.objects.filter(state="breached").exists()
