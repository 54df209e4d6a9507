"""Deadlines are computed when set, in working time on China's calendar plus the admins' overrides."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from dispatch import transitions
from dispatch.choices import DeadlineKind, DeadlineState
from dispatch.deadlines import deadline_start, deadline_target_meet
from dispatch.models import Deadline, DeadlinePolicy
from dispatch.tests.factories import registered_case
from grid.models import CalendarOverride
from tests.roles import HUAYANG

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def signed_at(moment, *, center, clerk, supervisor, handler, regions, color="blue", reason=""):
    """Registers, triages, assigns and signs for a case at `moment`; returns its close deadline."""
    with time_machine.travel(moment, tick=False):
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
        case = transitions.case_triage(case, actor=supervisor, color=color, reason=reason)
        case = transitions.case_assign(case, actor=supervisor, assignee=handler)
        transitions.case_sign(case, actor=handler)
    return Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)


@pytest.fixture
def people(center, clerk, supervisor, handler, regions):
    return {
        "center": center,
        "clerk": clerk,
        "supervisor": supervisor,
        "handler": handler,
        "regions": regions,
    }


def test_close_deadline_skips_the_weekend(people):
    # Thursday 2026-11-19 10:00 + 5 working days → Thursday 2026-11-26 10:00
    assert signed_at(local(2026, 11, 19, 10), **people).due_at == local(2026, 11, 26, 10)


def test_close_deadline_across_national_day_and_its_make_up_saturday(people):
    # 2025: Oct 1–8 off; Sat Oct 11 is a working day → Oct 9, 10, 11, 13, 14
    assert signed_at(local(2025, 9, 30, 10), **people).due_at == local(2025, 10, 14, 10)


def test_close_deadline_across_the_spring_festival(people):
    # 2026: Feb 15–23 off; Sat Feb 14 works → Feb 14, 24, 25, 26, 27
    assert signed_at(local(2026, 2, 13, 10), **people).due_at == local(2026, 2, 27, 10)


def test_unknown_year_falls_back_to_weekends_plus_the_admin_table(people):
    # given 2030, which chinese-calendar does not know, and National Day 1–3 entered by an admin
    for day in (1, 2, 3):
        CalendarOverride.objects.create(day=dt.date(2030, 10, day), is_workday=False, note="国庆节")
    # when signed on Monday 2030-09-30 → Oct 4, 7, 8, 9, 10
    assert signed_at(local(2030, 9, 30, 10), **people).due_at == local(2030, 10, 10, 10)


def test_respond_counts_working_minutes_only(center, clerk, regions):
    # registered Friday 17:20: ten minutes that day, twenty on Monday morning
    with time_machine.travel(local(2026, 11, 20, 17, 20), tick=False):
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    respond = Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND)
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    assert respond.due_at == local(2026, 11, 23, 8, 50)
    # classify counts plain hours
    assert classify.due_at == local(2026, 11, 21, 17, 20)


def test_warning_comes_at_80_percent(center, clerk, regions):
    with time_machine.travel(local(2026, 11, 18, 9, 0), tick=False):
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    assert classify.warn_at == local(2026, 11, 19, 4, 12)


def test_red_policy_is_tighter(people):
    # given an admin's rule: red cases close within 3 working days
    DeadlinePolicy.objects.create(kind=DeadlineKind.CLOSE, color="red", amount=3, unit="working_days")
    # when
    due = signed_at(local(2026, 11, 19, 10), color="red", reason="群体性苗头", **people).due_at
    # then Thursday + 3 working days → Tuesday
    assert due == local(2026, 11, 24, 10)


def test_tier_policy_applies_when_no_colour_rule(people):
    # given a county-tier rule (the 南关区 center is at level 3)
    DeadlinePolicy.objects.create(kind=DeadlineKind.CLOSE, level=3, amount=7, unit="working_days")
    DeadlinePolicy.objects.create(kind=DeadlineKind.CLOSE, level=4, amount=2, unit="working_days")
    # when
    due = signed_at(local(2026, 11, 19, 10), **people).due_at
    # then Thursday + 7 working days → Monday 30th
    assert due == local(2026, 11, 30, 10)


def test_deadline_start_for_another_object(case, supervisor):
    # given a reply clock on an arbitrary object (mediation uses its supervision notices)
    deadline = deadline_start(case, DeadlineKind.NOTICE_REPLY, owner=supervisor, target=supervisor)
    second = deadline_start(case, DeadlineKind.NOTICE_REPLY, owner=supervisor, target=case)
    # then several notice clocks may run on one case, each pointing at its object
    assert deadline.pk != second.pk
    assert deadline.target == supervisor and second.target == case
    assert deadline.state == DeadlineState.PENDING


def test_starting_a_running_clock_again_returns_it(case):
    first = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    assert deadline_start(case, DeadlineKind.CLASSIFY) == first


def test_meeting_a_target_stops_its_reply_clock(case, supervisor):
    # given two notices' reply clocks (mediation's notices stand in as any objects)
    answered = deadline_start(case, DeadlineKind.NOTICE_REPLY, owner=supervisor, target=supervisor)
    open_one = deadline_start(case, DeadlineKind.NOTICE_REPLY, owner=supervisor, target=case)
    # when the first is answered
    assert deadline_target_meet(supervisor) == 1
    # then only its clock is met
    answered.refresh_from_db()
    open_one.refresh_from_db()
    assert (answered.state, open_one.state) == (DeadlineState.MET, DeadlineState.PENDING)


def test_one_policy_per_kind_colour_and_tier(db):
    DeadlinePolicy.objects.create(kind=DeadlineKind.CLOSE, color="red", amount=3, unit="working_days")
    DeadlinePolicy.objects.create(
        kind=DeadlineKind.CLOSE, color="red", level=4, amount=2, unit="working_days"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlinePolicy.objects.create(kind=DeadlineKind.CLOSE, color="red", amount=4, unit="working_days")
