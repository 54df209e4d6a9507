"""超期 means one thing everywhere: the overdue list, its API, the supervisor's board, the dashboard's
当前超期 card, its drill-down, the 三色预警 API and the Excel export name the same cases, built here from
every kind of clock a supervisor meets: paused, extended, red and blue policies, breached long ago,
breached a minute ago, met late, on time."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from analytics.rollup import facts_overdue_mark
from dispatch import transitions
from dispatch.choices import DeadlineKind, DeadlineState, DeadlineUnit
from dispatch.models import Deadline, DeadlinePolicy, ExtensionRequest
from dispatch.tests.factories import registered_case
from dispatch.timers import deadlines_sweep
from tests.roles import HUAYANG, NANGUAN, make_staff

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # a Friday; November 2026 has no holidays


def nov(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def at(moment: dt.datetime, step, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return step(*args, **kwargs)


@pytest.fixture
def handler(org):
    return make_staff("handler", NANGUAN, "mediator", full_name="张志强", center_code=NANGUAN)


@pytest.fixture
def clocks(center, clerk, supervisor, handler, regions):
    """One case per kind of clock; returns them by name. A red case gets 3 working days and is not
    escalated automatically, so its breached clock stays the current one."""
    DeadlinePolicy.objects.create(
        kind=DeadlineKind.CLOSE,
        color="red",
        amount=3,
        unit=DeadlineUnit.WORKING_DAYS,
        escalate_on_breach=False,
    )

    def received(moment: dt.datetime, color: str):
        case = at(moment, registered_case, center=center, received_by=clerk, region=regions[HUAYANG])
        triage = transitions.case_triage
        return at(
            moment + dt.timedelta(minutes=10), triage, case, actor=supervisor, color=color, reason="研判"
        )

    def signed(moment: dt.datetime):
        case = received(moment, "blue")
        case = at(
            moment + dt.timedelta(minutes=20),
            transitions.case_assign,
            case,
            actor=supervisor,
            assignee=handler,
        )
        return at(moment + dt.timedelta(minutes=30), transitions.case_sign, case, actor=handler)

    cases = {"breached_long_ago": received(nov(2), "red")}  # due 11-05 09:00
    at(nov(6, 10), deadlines_sweep)
    cases["paused"] = signed(nov(9))  # due 11-16, suspended on 11-10
    at(nov(10), transitions.case_suspend, cases["paused"], actor=handler, reason="等待司法鉴定结论")
    cases["met_late"] = signed(nov(9))  # due 11-16, closed on 11-17
    late = at(
        nov(17),
        transitions.case_resolve,
        cases["met_late"],
        actor=handler,
        resolved=True,
        outcome="agreement",
    )
    at(
        nov(17, 10),
        transitions.case_close,
        late,
        actor=handler,
        report_back={"channel": "phone", "note": "已告知"},
    )
    cases["extended"] = signed(nov(12))  # due 11-19, three more working days approved on 11-18
    at(
        nov(18),
        transitions.case_request_extension,
        cases["extended"],
        actor=handler,
        extra_days=3,
        reason="需现场勘查",
    )
    request = ExtensionRequest.objects.get(case=cases["extended"])
    at(nov(18, 10), transitions.extension_decide, request, actor=supervisor, approve=True)
    cases["red_late"] = received(nov(16), "red")  # 3 working days: due 11-19 09:00
    at(nov(19, 12), facts_overdue_mark)  # the dashboards' minute sweep ran yesterday, not since
    cases["breached_a_minute_ago"] = received(nov(13, 9, 59), "blue")  # due 11-20 09:59, not swept
    cases["on_time"] = received(nov(19), "blue")  # due 11-26
    return cases


def overdue_expected(clocks: dict) -> set[str]:
    return {clocks[name].number for name in ("breached_long_ago", "red_late", "breached_a_minute_ago")}


def test_the_clocks_are_what_the_data_set_says(clocks):
    close = {
        name: Deadline.objects.filter(case=case, kind=DeadlineKind.CLOSE).latest("pk")
        for name, case in clocks.items()
    }
    assert close["breached_long_ago"].state == DeadlineState.BREACHED
    assert close["paused"].state == DeadlineState.PAUSED
    assert (
        close["met_late"].state == DeadlineState.MET and close["met_late"].met_at > close["met_late"].due_at
    )
    assert close["extended"].due_at == nov(24)
    assert close["red_late"].due_at == nov(19) and close["red_late"].state == DeadlineState.PENDING
    assert close["breached_a_minute_ago"].due_at == nov(20, 9, 59)


NUMBER = re.compile(r"T\d{8}")


def test_every_page_api_and_export_names_the_same_overdue_cases(client, clocks, supervisor):
    expected = overdue_expected(clocks)
    client.force_login(supervisor)
    api = APIClient()
    api.force_authenticate(supervisor)
    scope = {"region": NANGUAN, "period": "2026-11"}
    with time_machine.travel(NOW, tick=False):
        overdue_page = client.get(reverse("dispatch:overdue")).content.decode()
        overdue_api = api.get("/api/v1/overdue/").json()
        board = client.get(reverse("mediation:supervisor_board")).context["board"]
        dashboard = client.get(reverse("analytics:dashboard"), scope).context
        drill_down = client.get(reverse("analytics:cases"), {**scope, "dimension": "overdue"})
        warnings_api = api.get("/api/v1/analytics/warnings", scope).json()
        export = client.get(reverse("analytics:export_cases"), {**scope, "dimension": "overdue"})

    assert set(NUMBER.findall(overdue_page)) == expected
    assert {row["number"] for row in overdue_api["results"]} == expected
    assert overdue_api["count"] == len(expected)
    assert board.overdue_total == len(expected)
    cards = {card["key"]: card["value"] for card in dashboard["cards"]}
    assert cards["overdue_now"] == len(expected)
    assert {case.number for case in dashboard["warnings"]["cases"]} == expected
    assert {case.number for case in drill_down.context["page"]} == expected
    assert {case["number"] for case in warnings_api["cases"]} == expected
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == expected


def test_the_dashboards_count_follows_a_resume_and_a_step_past_due(client, clocks, supervisor, handler):
    # when the paused case resumes after its limit and the on-time case is closed, the counts and the
    # lists still agree
    at(nov(20, 9), transitions.case_resume, clocks["paused"], actor=handler)
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        listed = set(NUMBER.findall(client.get(reverse("dispatch:overdue")).content.decode()))
        cards = {
            card["key"]: card["value"]
            for card in client.get(reverse("analytics:dashboard"), {"region": NANGUAN}).context["cards"]
        }
    # the resumed case keeps the 4 working days it had left on 11-10: due 11-26, not overdue
    assert listed == overdue_expected(clocks)
    assert cards["overdue_now"] == len(listed)
