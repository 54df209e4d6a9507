import pytest

from dispatch import transitions
from dispatch.models import TriageRule
from dispatch.tests.factories import registered_case
from tests.browser import login, screenshot
from tests.roles import HUAYANG


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
