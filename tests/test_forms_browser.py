"""Every POST form a role can submit, submitted by a browser as that role: the row it writes and the message
it shows. The forms the flows in test_intake_browser, test_mediation_browser and dispatch's test_browser
already submit are not repeated here; test_form_inventory.py checks that each form has such a test.
Screenshots go to test-artifacts/."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from analytics.models import ReportIssue
from dispatch import transitions
from dispatch.models import Notification
from dispatch.tests.factories import registered_case
from grid.models import StaffProfile
from mediation import services
from mediation.models import Agreement, FollowUp, Referral, ReliefMeasure, SupervisionNotice
from mediation.notices import notice_issue
from mediation.tests.factories import CaseFactory
from tests.browser import login, screenshot
from tests.roles import HUAYANG, NANGUAN, NANLING, make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday in July 2026, in working hours: every clock below starts from here.
NOW = dt.datetime(2026, 7, 15, 10, 0, tzinfo=SHANGHAI)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen(page):
    # tick=True: the server still sees time pass, from a known day; the browser's clock (the countdowns)
    # starts from the same day.
    with time_machine.travel(NOW, tick=True):
        page.clock.set_system_time(NOW)
        yield


@pytest.fixture
def handler(org):
    """A mediator of the 南关区 center, where `registered_case` cases are handled."""
    return make_staff("handler", NANGUAN, "mediator", full_name="张志强", center_code=NANGUAN)


def _assigned_case(org, clerk, supervisor, handler, **fields):
    case = registered_case(
        center=org["centers"][NANGUAN], received_by=clerk, region=org["regions"][HUAYANG], **fields
    )
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    return transitions.case_assign(case, actor=supervisor, assignee=handler)


def _closed_case(org, clerk, supervisor, handler):
    case = transitions.case_sign(_assigned_case(org, clerk, supervisor, handler), actor=handler)
    case = transitions.case_resolve(case, actor=handler, resolved=True, outcome="agreement")
    return transitions.case_close(case, actor=handler, report_back={"method": "phone", "note": "已电话告知"})


def _final_agreement(case, mediator) -> Agreement:
    record = services.mediation_start(
        case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会"
    )
    draft = services.agreement_generate(
        record=record, actor=mediator, terms="一、李文博赔偿维修费用陆仟元整。"
    )
    return services.agreement_finalise(agreement=draft, actor=mediator)


# --- dispatch: the case page ----------------------------------------------------------------------------


def test_handler_returns_an_assignment_with_a_reason(page, live_server, org, clerk, supervisor, handler):
    # given a case just assigned to the handler
    case = _assigned_case(org, clerk, supervisor, handler)
    login(page, live_server, "handler")
    # when they return it (退单) with a reason
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.fill("#reason-step input[name=reason]", "不属于本单位职责，应由物业主管部门处理。")
    page.get_by_role("button", name="退单").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-dispatch-returned")
    # then
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("triaged", None)
    assert case.events.filter(type="returned").exists()
    assert "已退单" in page.content()


def test_handler_claims_an_unassigned_case(page, live_server, org, clerk, supervisor, handler):
    # given a triaged case nobody is responsible for
    case = registered_case(center=org["centers"][NANGUAN], received_by=clerk, region=org["regions"][HUAYANG])
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    login(page, live_server, "handler")
    # when
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.locator(f"form[action$='/cases/{case.number}/step/claim/'] button").click()
    page.wait_for_load_state("networkidle")
    # then
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("in_progress", handler)
    assert "已认领" in page.content()


def test_handler_suspends_and_resumes(page, live_server, org, clerk, supervisor, handler):
    # given a case being handled
    case = transitions.case_sign(_assigned_case(org, clerk, supervisor, handler), actor=handler)
    login(page, live_server, "handler")
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    # when they suspend it while a court decides, then resume it
    page.fill("#reason-step input[name=reason]", "当事人已向法院起诉，等待判决。")
    page.get_by_role("button", name="中止").click()
    page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert case.status == "suspended" and "已中止" in page.content()
    screenshot(page, "forms-dispatch-suspended")
    page.get_by_role("button", name="恢复办理").click()
    page.wait_for_load_state("networkidle")
    # then
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert "已恢复办理" in page.content()


def test_supervisor_transfers_a_case(page, live_server, org, clerk, supervisor, handler):
    # given
    case = transitions.case_sign(_assigned_case(org, clerk, supervisor, handler), actor=handler)
    login(page, live_server, "supervisor")
    # when the matter goes to the petition office
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    transfer = page.locator(f"form[action$='/cases/{case.number}/transfer/']")
    target = transfer.locator("select[name=to] option").nth(0).get_attribute("value")
    transfer.locator("select[name=to]").select_option(target)
    transfer.locator("input[name=reason]").fill("属于信访事项，转信访部门办理。")
    transfer.get_by_role("button", name="转办").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-dispatch-transferred")
    # then
    case.refresh_from_db()
    assert case.status == "transferred"
    assert case.events.get(type="transferred").payload["to"] == target
    assert "已转办" in page.content()


def test_supervisor_escalates_a_case(page, live_server, org, clerk, supervisor, handler):
    # given a case handled at 南关区
    case = transitions.case_sign(_assigned_case(org, clerk, supervisor, handler), actor=handler)
    login(page, live_server, "supervisor")
    # when the supervisor escalates it to 长春市
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.get_by_role("link", name="提级办理").click()
    page.fill("textarea[name=reason]", "涉及多个区县，需市级协调。")
    page.locator("form.card button").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-dispatch-escalated")
    # then
    case.refresh_from_db()
    assert case.status == "escalated" and case.handling_center == org["centers"]["220100000000"]
    assert "已提级至上级综治中心" in page.content()


def test_supervisor_sends_a_closed_case_back(page, live_server, org, clerk, supervisor, handler):
    # given a closed case
    case = _closed_case(org, clerk, supervisor, handler)
    login(page, live_server, "supervisor")
    # when the review finds the closing wanting
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.fill("#reason-step input[name=reason]", "办结材料不全，未附调解协议。")
    page.get_by_role("button", name="退回重办").click()
    page.wait_for_load_state("networkidle")
    # then
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert "已退回重办" in page.content()


def test_supervisor_reopens_a_closed_case(page, live_server, org, clerk, supervisor, handler):
    # given a closed case
    case = _closed_case(org, clerk, supervisor, handler)
    login(page, live_server, "supervisor")
    # when
    page.goto(f"{live_server.url}/dispatch/cases/{case.number}/")
    page.fill("#reason-step input[name=reason]", "申请人反映纠纷再次发生。")
    page.locator("#reason-step").get_by_role("button", name="重新办理").click()
    page.wait_for_load_state("networkidle")
    # then
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("reopened", None)
    assert "已重新办理" in page.content()


def test_handler_marks_notifications_read(page, live_server, org, clerk, supervisor, handler):
    # given two assignments, so two unread notifications
    _assigned_case(org, clerk, supervisor, handler)
    _assigned_case(org, clerk, supervisor, handler, summary="相邻两户因排水沟发生争执")
    unread = Notification.objects.filter(recipient=handler, read_at__isnull=True)
    assert unread.count() == 2
    login(page, live_server, "handler")
    page.goto(f"{live_server.url}/dispatch/inbox/")
    # when one is marked read
    page.get_by_role("button", name="标为已读", exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert unread.count() == 1 and "已标为已读" in page.content()
    # and then all
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-dispatch-inbox-read")
    # then
    assert unread.count() == 0
    assert "已标为已读" in page.content()


# --- mediation: the workspace -----------------------------------------------------------------------------


def test_mediator_records_a_referral_and_its_result(page, live_server, mediator):
    # given a case the mediator handles
    case = CaseFactory(status="in_progress", color="yellow", assignee=mediator)
    login(page, live_server, "mediator")
    page.goto(f"{live_server.url}/mediation/cases/{case.number}/")
    # when a court referral (诉调对接) comes in, and later its result is reported back
    page.locator("#referral summary").click()
    page.select_option("#referral select[name=direction]", "in")
    page.select_option("#referral select[name=channel]", "court")
    page.fill("#referral input[name=body]", "长春市南关区人民法院")
    page.fill("#referral input[name=reference]", "（2026）吉0102民诉前调1234号")
    page.locator("#referral button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "对接移交已登记" in page.content()
    page.fill("form[action$='/do/referral_result/'] input[name=result]", "双方达成调解协议，法院出具调解书。")
    page.get_by_role("button", name="反馈结果").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-mediation-referral")
    # then
    referral = Referral.objects.get(case=case)
    assert (referral.channel, referral.direction, referral.body) == ("court", "in", "长春市南关区人民法院")
    assert referral.result == "双方达成调解协议，法院出具调解书。" and referral.result_reported_at
    assert "办理结果已反馈" in page.content()


def test_mediator_records_relief(page, live_server, mediator):
    # given
    case = CaseFactory(status="in_progress", color="yellow", assignee=mediator)
    login(page, live_server, "mediator")
    page.goto(f"{live_server.url}/mediation/cases/{case.number}/")
    # when legal aid is arranged for the applicant
    page.locator("#relief summary").click()
    page.select_option("#relief select[name=kind]", "legal_aid")
    page.fill("#relief input[name=provider]", "南关区法律援助中心")
    page.fill("#relief input[name=beneficiary]", "张桂兰")
    page.fill("#relief input[name=amount]", "1500")
    page.fill("#relief input[name=taken_on]", "2026-07-15")
    page.locator("#relief button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-mediation-relief")
    # then
    measure = ReliefMeasure.objects.get(case=case)
    assert (measure.kind, measure.beneficiary, measure.amount) == ("legal_aid", "张桂兰", 1500)
    assert measure.taken_on == dt.date(2026, 7, 15)
    assert "帮扶措施已登记" in page.content()


def test_mediator_records_judicial_confirmation(page, live_server, mediator):
    # given a final agreement
    case = CaseFactory(status="in_progress", color="yellow", assignee=mediator)
    agreement = _final_agreement(case, mediator)
    login(page, live_server, "mediator")
    page.goto(f"{live_server.url}/mediation/cases/{case.number}/")
    # when the parties apply to the court, and the court confirms it
    page.fill("form[action$='/do/confirmation_request/'] input[name=court]", "长春市南关区人民法院")
    page.get_by_role("button", name="申请司法确认").click()
    page.wait_for_load_state("networkidle")
    agreement.refresh_from_db()
    assert agreement.confirmation == "requested" and "已登记司法确认申请" in page.content()
    result = page.locator("form[action$='/do/confirmation_result/']")
    result.locator("input[name=reference]").fill("（2026）吉0102民特56号")
    result.locator("select[name=confirmed]").select_option("1")
    result.get_by_role("button", name="登记结果").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-mediation-confirmation")
    # then
    agreement.refresh_from_db()
    assert (agreement.confirmation, agreement.confirmation_reference) == (
        "confirmed",
        "（2026）吉0102民特56号",
    )
    assert "已登记司法确认结果" in page.content()


def test_supervisor_reopens_after_a_dissatisfied_follow_up(page, live_server, mediator, supervisor):
    # given a closed case whose applicant was not satisfied at the 回访
    case = CaseFactory(status="closed", color="yellow", assignee=mediator)
    follow_up = services.follow_up_record(
        case=case,
        actor=mediator,
        method="phone",
        contacted_at=NOW,
        contact_person="张桂兰",
        satisfaction="dissatisfied",
        recurred=True,
        note="漏水再次发生。",
    )
    login(page, live_server, "supervisor")
    # when the supervisor reopens it from the workspace
    page.goto(f"{live_server.url}/mediation/cases/{case.number}/")
    page.locator("form[action$='/do/follow_up_reopen/'] button").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-mediation-follow-up-reopened")
    # then
    case.refresh_from_db()
    follow_up.refresh_from_db()
    assert case.status == "reopened" and follow_up.reopened
    assert FollowUp.objects.filter(case=case).count() == 1
    assert "案件已重新办理" in page.content()


def test_mediator_claims_from_the_workspace(page, live_server, mediator):
    # given an unclaimed case opened from a link
    case = CaseFactory(status="triaged", color="blue")
    login(page, live_server, "mediator")
    # when
    page.goto(f"{live_server.url}/mediation/cases/{case.number}/")
    page.get_by_role("button", name="认领本案").click()
    page.wait_for_load_state("networkidle")
    # then
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("in_progress", mediator)
    assert "认领成功" in page.content()


# --- mediation: supervision notices -----------------------------------------------------------------------


def test_township_responds_to_a_supervision_letter(page, live_server, supervisor, township_clerk):
    # given a 督办函 from 南关区 to 南岭街道
    case = CaseFactory(status="in_progress", color="red")
    notice = notice_issue(
        issuer=supervisor,
        kind="supervision_letter",
        title="关于加快化解漏水纠纷的督办函",
        body="请于5个工作日内书面报告办理情况。",
        reply_days=5,
        recipient_center=case.handling_center,
        cases=[case],
    )
    login(page, live_server, "clerk_nanling")
    # when the township replies with what it has done
    page.goto(f"{live_server.url}/mediation/notices/{notice.pk}/")
    page.fill("textarea[name=response]", "已组织双方调解，达成维修协议，7月20日前完工。")
    page.get_by_role("button", name="回复办理情况").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-mediation-notice-responded")
    # then
    notice = SupervisionNotice.objects.get(pk=notice.pk)
    assert (notice.state, notice.responded_by) == ("responded", township_clerk)
    assert notice.response == "已组织双方调解，达成维修协议，7月20日前完工。"
    assert "已回复" in page.content()


# --- analytics, admin and the frame -----------------------------------------------------------------------


def test_supervisor_issues_the_quarterly_report(page, live_server, supervisor):
    # given the second quarter of 2026 has ended
    login(page, live_server, "supervisor")
    page.goto(f"{live_server.url}/analytics/report/?period=2026-Q2")
    # when the supervisor writes the suggestions and issues it
    page.fill("textarea[name=key_risks]", "物业纠纷在老旧小区集中。")
    page.fill("textarea[name=suggestions]", "建议街道牵头开展物业纠纷专项排查。")
    page.get_by_role("button", name="签发报告（冻结数据并编号）").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-analytics-report-issued")
    # then
    report = ReportIssue.objects.get()
    assert (report.period, report.region.code, report.issued_by) == ("2026-Q2", NANGUAN, supervisor)
    assert report.suggestions == "建议街道牵头开展物业纠纷专项排查。"
    assert f"报告已签发：{report.number}" in page.content()


def test_admin_imports_staff_from_a_csv(page, live_server, admin_user):
    # given
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/grid/staffprofile/import/")
    # when
    content = (
        "username,name,phone,region_code,roles,center\n"
        f"sunlh,孙丽华,13900000011,{NANLING},mediator,{NANLING}\n"
    ).encode()
    page.set_input_files("input[name=file]", {"name": "staff.csv", "mimeType": "text/csv", "buffer": content})
    page.locator("input[type=submit]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-admin-staff-imported")
    # then
    profile = StaffProfile.objects.get(user__username="sunlh")
    assert (profile.region.code, profile.center.code) == (NANLING, NANLING)
    assert "已导入 1 名工作人员" in page.content()


def test_language_switch_and_logout(page, live_server, clerk):
    # given
    login(page, live_server, "clerk")
    # when the clerk switches to English
    page.locator("form.langswitch button[value=en]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "forms-language-english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("form.langswitch button[value=en]").get_attribute("class") == "link current"
    # and signs out
    page.locator(".userbox form button").click()
    page.wait_for_load_state("networkidle")
    # then the session is gone: a page asks to sign in again
    page.goto(f"{live_server.url}/intake/register/")
    assert "/accounts/login/" in page.url
