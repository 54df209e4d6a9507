"""Data migrations of dispatch, run against the current models (as analytics' migration tests do)."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from dispatch import transitions
from dispatch.choices import DeadlineKind, DeadlineState
from dispatch.models import Deadline, DeadlinePolicy
from dispatch.tests.factories import registered_case
from tests.roles import HUAYANG

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)


def close_clocks(case) -> list[Deadline]:
    return list(Deadline.objects.filter(case=case, kind=DeadlineKind.CLOSE).order_by("pk"))


MIGRATION = "dispatch.migrations.0007_close_clocks_from_receipt"


def test_open_cases_waiting_for_a_unit_get_a_close_clock_from_receipt(
    center, clerk, supervisor, handler, regions
):
    # given cases registered before the close clock started at receipt (their clocks removed), and a
    # shorter policy for red cases
    DeadlinePolicy.objects.create(kind="close", color="red", amount=3, unit="working_days")
    with time_machine.travel(MONDAY, tick=False):
        waiting, red, signed = (
            registered_case(center=center, received_by=clerk, region=regions[HUAYANG]) for _ in range(3)
        )
        red = transitions.case_triage(red, actor=supervisor, color="red", reason="研判")
        signed = transitions.case_triage(signed, actor=supervisor, color="blue")
        signed = transitions.case_assign(signed, actor=supervisor, assignee=handler)
        signed = transitions.case_sign(signed, actor=handler)
    Deadline.objects.filter(case__in=[waiting, red], kind=DeadlineKind.CLOSE).delete()
    kept = close_clocks(signed)

    # when the migration runs
    importlib.import_module(MIGRATION).close_clocks_start(apps, None)

    # then each waiting case has one close clock from its receipt under its colour's policy
    [clock] = close_clocks(waiting)
    assert (clock.started_at, clock.state, clock.escalate_on_breach) == (MONDAY, DeadlineState.PENDING, True)
    assert clock.due_at == dt.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
    [red_clock] = close_clocks(red)
    assert red_clock.due_at == dt.datetime(2026, 11, 19, 9, 0, tzinfo=SHANGHAI)
    # and a case whose clock already runs keeps it alone
    assert close_clocks(signed) == kept
