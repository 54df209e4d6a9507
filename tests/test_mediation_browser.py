"""A mediator claims a case, records a session, drafts and finalises the agreement, closes the case and
records the 回访; a county supervisor issues a 督办函 that the township signs for. Screenshots go to
test-artifacts/."""

import pytest

from intake.models import Case
from mediation.models import Agreement, FollowUp, SupervisionNotice
from mediation.tests.factories import CaseFactory
from tests.browser import login, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mediator_claims_mediates_and_closes(page, live_server, mediator):
    # given
    case = CaseFactory(status="triaged", color="yellow", summary="楼上卫生间漏水致楼下天花板受损")
    login(page, live_server, "mediator")
    # when: claim from the shared queue
    page.goto(f"{live_server.url}/mediation/unclaimed/")
    screenshot(page, "mediation-queue-unclaimed")
    page.get_by_role("button", name="认领").click()
    page.wait_for_load_state("networkidle")
    # record the mediation and a session
    page.select_option("#id_kind", "peoples")
    page.fill("#id_committee", "南岭街道人民调解委员会")
    page.get_by_role("button", name="登记调解").last.click()
    page.fill("#id_place", "南岭街道综治中心人民调解室")
    page.fill("#id_participants", "张桂兰、李文博、刘淑芬（调解员）")
    page.fill("#id_minutes", "双方同意由李文博承担维修费用。")
    page.get_by_role("button", name="保存调解会记录").click()
    # generate, edit and finalise the agreement
    page.get_by_role("button", name="生成调解协议书").click()
    page.fill("#id_terms", "一、李文博一次性赔偿张桂兰维修费用人民币陆仟元整。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="定稿（定稿后不可修改）").click()
    screenshot(page, "mediation-workspace-agreement")
    page.get_by_role("link", name="打印预览").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "mediation-agreement-print")
    page.go_back()
    # outcome, then close with the report-back
    page.locator("#conclude summary").click()
    page.select_option("#id_outcome", "agreement")
    page.get_by_role("button", name="登记结果").click()
    page.select_option("#id_method", "phone")
    page.fill("#close textarea[name=note]", "已电话告知申请人张桂兰调解结果。")
    page.get_by_role("button", name="办结").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "mediation-workspace-closed")
    assert "案件已办结" in page.content()
    # and the 回访: the applicant is called back and is satisfied
    page.select_option("#follow_up select[name=method]", "phone")
    page.fill("#follow_up input[name=contact_person]", "张桂兰")
    page.locator("#follow_up input[name=satisfaction][value=satisfied]").check()
    page.fill("#follow_up textarea[name=note]", "申请人表示维修已完成，对调解结果满意。")
    page.get_by_role("button", name="保存回访").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "mediation-workspace-followed-up")
    # then
    case.refresh_from_db()
    assert case.status == "followed_up" and case.assignee == mediator
    assert Agreement.objects.get(record__case=case).state == "final"
    assert FollowUp.objects.get(case=case).satisfaction == "satisfied"
    assert "回访已记录" in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_issues_a_supervision_letter_the_township_acknowledges(
    page, live_server, supervisor, township_clerk
):
    # given
    case = CaseFactory(status="in_progress", color="red", summary="装修公司拖欠12名工人工资4.6万元")
    login(page, live_server, "supervisor")
    # when: the county supervisor issues a 督办函 to 南岭街道
    page.goto(f"{live_server.url}/mediation/notices/new/?case={case.number}")
    page.select_option("#id_kind", "supervision_letter")
    page.fill("#id_title", "关于加快化解鑫盛装饰欠薪纠纷的督办函")
    page.select_option("#id_recipient_center", label="南岭街道综治中心")
    page.fill("#id_body", "请你中心于5个工作日内组织调解，并书面报告办理情况。")
    page.get_by_role("button", name="签发").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "mediation-notice-issued")
    notice = SupervisionNotice.objects.get()
    page.goto(f"{live_server.url}/mediation/notices/{notice.pk}/print/")
    screenshot(page, "mediation-notice-letter")
    # the township signs for it
    page.context.clear_cookies()
    login(page, live_server, "clerk_nanling")
    page.goto(f"{live_server.url}/mediation/notices/")
    page.get_by_role("link", name=notice.number).click()
    page.get_by_role("button", name="签收").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "mediation-notice-acknowledged")
    # then
    notice.refresh_from_db()
    assert notice.state == "acknowledged" and notice.acknowledged_by == township_clerk
    assert list(notice.cases.all()) == [Case.objects.get(pk=case.pk)]
