import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from dispatch import transitions
from dispatch.choices import DeadlineKind
from dispatch.models import CaseEvent, Deadline, ExtensionRequest, TriageRule
from dispatch.tests.factories import registered_case
from tests.browser import login, screenshot
from tests.roles import HUAYANG, NANLING, make_staff

# Monday 22 September 2025, 10:00: a close clock started then is due on Sunday the 28th (a make-up
# workday); the National Day holiday runs from 1 to 8 October.
MONDAY = dt.datetime(2025, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def monday(page):
    # tick=True: the server still sees time pass, from a known day; so does the browser's clock.
    with time_machine.travel(MONDAY, tick=True):
        page.clock.set_system_time(MONDAY)
        yield


def close_due(case) -> str:
    due = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).due_at
    return timezone.localtime(due).strftime("%Y-%m-%d %H:%M")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_triages_and_assigns_in_the_browser(
    page, live_server, center, clerk, supervisor, handler, regions
):
    # given a rule (transactional tests start from an empty table) and two cases, one proposing red
    TriageRule.objects.create(name="涉及人数十人以上", color="red", min_parties=10)
    registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    red = registered_case(
        center=center,
        received_by=clerk,
        region=regions[HUAYANG],
        summary="拖欠农民工工资",
        description="十余名工人聚集，扬言集体上访。",
        involved_people=12,
    )
    login(page, live_server, "supervisor")
    # when the supervisor confirms the proposed colour
    page.goto(f"{live_server.url}/dispatch/triage/")
    screenshot(page, "dispatch_triage_board")
    page.locator(f"form[action$='/cases/{red.number}/triage/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # then it leaves the board and waits for a unit; assigning it opens the timeline
    assert "已分级" in page.content()
    page.goto(f"{live_server.url}/dispatch/cases/{red.number}/assign/")
    page.select_option("select[name=assignee]", label="张志强（handler）")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    assert "已交办" in page.content() and "全流程" in page.content()
    screenshot(page, "dispatch_case_timeline")
    red.refresh_from_db()
    assert (red.status, red.color, red.assignee) == ("assigned", "red", handler)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_handler_signs_on_a_phone(phone_page, live_server, center, clerk, supervisor, handler, regions):
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    transitions.case_assign(case, actor=supervisor, assignee=handler)
    login(phone_page, live_server, "handler")
    phone_page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    screenshot(phone_page, "dispatch_case_phone")
    phone_page.click("text=签收")
    phone_page.wait_for_load_state("networkidle")
    assert "已签收" in phone_page.content()
    case.refresh_from_db()
    assert case.status == "in_progress"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_extension_is_requested_and_approved(
    monday, page, live_server, center, clerk, supervisor, handler, regions
):
    # given a case the handler signed for on Monday, due on Sunday the 28th
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_sign(
        transitions.case_assign(case, actor=supervisor, assignee=handler), actor=handler
    )
    login(page, live_server, "handler")
    # when the handler asks for three more working days on the case page
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.fill("#request-extension input[name=extra_days]", "3")
    page.fill("#request-extension input[name=reason]", "需要现场勘验，等待测绘结果")
    page.get_by_role("button", name="申请延期").click()
    page.wait_for_load_state("networkidle")
    # then the request waits for approval and the clock has not moved
    assert "已申请延期" in page.content() and "2025-10-09 10:00" in page.content()
    screenshot(page, "dispatch_extension_requested")
    assert close_due(case) == "2025-09-28 10:00"
    # when the supervisor opens 待审批延期 from the navigation and approves
    page.context.clear_cookies()
    login(page, live_server, "supervisor")
    page.locator(".mainnav").get_by_role("link", name="待审批延期").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "dispatch_extensions_pending")
    row = page.locator(f"#extension-{ExtensionRequest.objects.get().pk}")
    row.locator("input[name=note]").fill("同意延期，请按期办结")
    row.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_load_state("networkidle")
    # then the clock moved past the holiday, and the timeline shows both steps
    assert "已批准延期" in page.content() and "没有待审批的延期申请" in page.content()
    assert close_due(case) == "2025-10-09 10:00"
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    assert "同意延期" in page.content() and "到期时间调整为 2025-10-09 10:00" in page.content()
    screenshot(page, "dispatch_extension_in_timeline")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_hands_a_case_down_to_the_township(
    monday, page, live_server, org, center, clerk, supervisor, regions
):
    # given a triaged county case and the 南岭 township's supervisor
    township_supervisor = make_staff("sup_nanling", NANLING, "supervisor", center_code=NANLING)
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    login(page, live_server, "supervisor")
    # when the county hands it down from the case page
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.select_option("#hand-down select[name=to_center]", NANLING)
    page.fill("#hand-down input[name=reason]", "属地矛盾，由街道就地化解")
    page.get_by_role("button", name="下沉交办").click()
    page.wait_for_load_state("networkidle")
    # then the township handles it under the same number, and the timeline says so
    assert "已下沉交办至" in page.content()
    screenshot(page, "dispatch_handed_down")
    case.refresh_from_db()
    assert case.handling_center == org["centers"][NANLING] and case.status == "triaged"
    assert CaseEvent.objects.filter(case=case, type="handed_down", reason="属地矛盾，由街道就地化解").exists()
    assert township_supervisor.notifications.filter(kind="handed_down_in").exists()
