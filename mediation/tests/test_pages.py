import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dispatch.choices import DeadlineKind, DeadlineState, DeadlineUnit
from dispatch.models import Deadline
from dispatch.selectors import overdue_list
from dispatch.transitions import case_claim, steps_available
from intake.models import Case
from mediation.choices import NoticeKind
from mediation.models import Agreement, MediationSession, SupervisionNotice
from mediation.notices import notice_issue
from mediation.selectors import supervisor_board
from mediation.services import agreement_finalise, agreement_generate, mediation_start
from mediation.tests.factories import CaseFactory
from tests.roles import NANLING, make_staff

pytestmark = pytest.mark.django_db


def _my_case(mediator) -> Case:
    return case_claim(CaseFactory(status="triaged", color="yellow"), actor=mediator)


def test_queue_pages_render_for_a_mediator(client, mediator):
    CaseFactory(status="triaged", summary="小区停车位纠纷")
    client.force_login(mediator)

    for name in ("mediation:queue_mine", "mediation:queue_team", "mediation:queue_unclaimed"):
        assert client.get(reverse(name)).status_code == 200
    assert "小区停车位纠纷" in client.get(reverse("mediation:queue_unclaimed")).content.decode()


def test_bad_queue_filters_are_ignored_not_a_500(client, mediator):
    client.force_login(mediator)

    response = client.get(reverse("mediation:queue_mine"), {"category": "abc", "order": "x", "page": "zz"})

    assert response.status_code == 200


def test_a_clerk_has_no_queue(client, clerk):
    client.force_login(clerk)

    assert client.get(reverse("mediation:queue_mine")).status_code == 403


def test_claim_from_the_page(client, mediator):
    case = CaseFactory(status="triaged")
    client.force_login(mediator)

    response = client.post(reverse("mediation:claim", args=[case.number]))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == mediator and case.status == "in_progress"


def test_claiming_a_claimed_case_says_so(client, mediator):
    case = _my_case(mediator)
    other = make_staff("other", NANLING, "mediator", center_code=NANLING)
    client.force_login(other)

    response = client.post(reverse("mediation:claim", args=[case.number]), follow=True)

    assert "该案件已被其他人认领" in response.content.decode()
    case.refresh_from_db()
    assert case.assignee == mediator


def test_the_workspace_offers_claiming_as_the_step_table_does(client, mediator, supervisor):
    # given an unclaimed triaged case
    case = CaseFactory(status="triaged")
    client.force_login(mediator)
    # when
    page = client.get(reverse("mediation:workspace", args=[case.number]))
    # then the lifecycle steps come from dispatch's table, and claiming is offered
    assert page.context["steps"] == steps_available(case, mediator)
    assert "认领本案" in page.content.decode()
    # and once claimed it is no longer offered, nor to a supervisor (who does not handle cases)
    case_claim(case, actor=mediator)
    assert "认领本案" not in client.get(reverse("mediation:workspace", args=[case.number])).content.decode()
    client.force_login(supervisor)
    fresh = CaseFactory(status="triaged")
    assert "认领本案" not in client.get(reverse("mediation:workspace", args=[fresh.number])).content.decode()


def test_workspace_masks_parties_for_staff_without_full_identity(client, mediator, org):
    # given: a grid worker of the township sees cases there but not full ID numbers
    case = _my_case(mediator)
    worker = make_staff("grid_nanling", NANLING, "grid_worker")
    client.force_login(worker)
    # when
    page = client.get(reverse("mediation:workspace", args=[case.number])).content.decode()
    # then
    party = case.case_parties.first().party
    assert party.name in page
    assert party.id_number not in page and party.id_number[-4:] in page


def test_workspace_outside_the_jurisdiction_is_404(client, outsider, mediator):
    case = _my_case(mediator)
    client.force_login(outsider)

    assert client.get(reverse("mediation:workspace", args=[case.number])).status_code == 404
    assert client.post(reverse("mediation:claim", args=[case.number])).status_code == 404


def test_workspace_shows_timeline_deadlines_and_actions(client, mediator):
    case = _my_case(mediator)
    client.force_login(mediator)

    page = client.get(reverse("mediation:workspace", args=[case.number])).content.decode()

    assert "认领" in page  # the claim event on the timeline
    assert "剩余" in page  # a countdown on the close deadline
    assert "登记调解" in page


def test_record_a_session_through_the_page(client, mediator):
    case = _my_case(mediator)
    mediation_start(case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会")
    client.force_login(mediator)

    client.post(
        reverse("mediation:action", args=[case.number, "session"]),
        {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "南岭街道综治中心调解室",
            "participants": "张桂兰、李文博",
            "minutes": "双方同意协商。",
        },
    )

    assert MediationSession.objects.get().place == "南岭街道综治中心调解室"


def test_editing_a_final_agreement_through_the_page_is_refused_with_a_message(client, mediator):
    # given
    case = _my_case(mediator)
    record = mediation_start(case=case, actor=mediator, kind="peoples", committee="调委会")
    agreement = agreement_finalise(
        agreement=agreement_generate(record=record, actor=mediator, terms="一、赔偿8600元。"), actor=mediator
    )
    client.force_login(mediator)
    # when
    response = client.post(
        reverse("mediation:action", args=[case.number, "agreement_edit"]),
        {"agreement": agreement.pk, "facts": "x", "terms": "一、赔偿1元。"},
        follow=True,
    )
    # then
    assert "协议书已定稿，不能修改" in response.content.decode()
    assert Agreement.objects.get(pk=agreement.pk).terms == "一、赔偿8600元。"


def test_unknown_action_is_404(client, mediator):
    case = _my_case(mediator)
    client.force_login(mediator)

    assert client.post(reverse("mediation:action", args=[case.number, "delete"])).status_code == 404


def test_agreement_print_page(client, mediator):
    case = _my_case(mediator)
    record = mediation_start(case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会")
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿8600元。")
    client.force_login(mediator)

    page = client.get(reverse("mediation:agreement_print", args=[agreement.pk])).content.decode()

    assert (
        "人民调解协议书" in page and "南岭街道人民调解委员会（盖章）" in page and "一、赔偿8600元。" in page
    )


def test_supervisor_board(client, supervisor):
    CaseFactory(status="in_progress", color="red", summary="拖欠农民工工资群体性纠纷")
    client.force_login(supervisor)

    page = client.get(reverse("mediation:supervisor_board")).content.decode()

    assert "拖欠农民工工资群体性纠纷" in page


def test_board_is_for_supervisors(client, mediator):
    client.force_login(mediator)

    assert client.get(reverse("mediation:supervisor_board")).status_code == 403


def test_issue_a_notice_through_the_page(client, supervisor, org):
    case = CaseFactory(status="in_progress")
    client.force_login(supervisor)

    response = client.post(
        reverse("mediation:notice_issue"),
        {
            "kind": NoticeKind.SUPERVISION_LETTER,
            "title": "关于加快化解漏水纠纷的督办函",
            "recipient_center": org["centers"][NANLING].pk,
            "case_numbers": case.number,
            "body": "请于5个工作日内报告办理情况。",
            "reply_days": 5,
        },
    )

    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and list(notice.cases.all()) == [case]


def test_issue_with_an_unknown_case_number_names_it(client, supervisor, org):
    client.force_login(supervisor)

    response = client.post(
        reverse("mediation:notice_issue"),
        {
            "kind": NoticeKind.RISK_ALERT,
            "title": "风险提示",
            "recipient_center": org["centers"][NANLING].pk,
            "case_numbers": "NOPE-1",
            "body": "正文",
            "reply_days": 3,
        },
    )

    assert response.status_code == 200 and "NOPE-1" in response.content.decode()
    assert not SupervisionNotice.objects.exists()


def test_a_mediator_cannot_open_the_issue_page(client, mediator):
    client.force_login(mediator)

    assert client.get(reverse("mediation:notice_issue")).status_code == 403


def test_township_acknowledges_and_prints(client, supervisor, township_clerk, org):
    # given
    notice = notice_issue(
        issuer=supervisor,
        kind=NoticeKind.SUPERVISION_LETTER,
        title="督办函",
        body="请报告。",
        reply_days=5,
        recipient_center=org["centers"][NANLING],
    )
    client.force_login(township_clerk)
    # when
    client.post(reverse("mediation:notice_acknowledge", args=[notice.pk]))
    client.post(reverse("mediation:notice_respond", args=[notice.pk]), {"response": "已化解。"})
    # then
    notice.refresh_from_db()
    assert notice.state == "responded"
    assert "南关综治督〔" in client.get(reverse("mediation:notice_list")).content.decode()
    page = client.get(reverse("mediation:notice_print", args=[notice.pk])).content.decode()
    assert "red-rule" in page and notice.number in page


def test_notice_outside_the_jurisdiction_is_404(client, supervisor, outsider, org):
    notice = notice_issue(
        issuer=supervisor,
        kind=NoticeKind.CIRCULAR,
        title="通报",
        body="正文",
        reply_days=5,
        recipient_center=org["centers"][NANLING],
    )
    client.force_login(outsider)

    assert client.get(reverse("mediation:notice_detail", args=[notice.pk])).status_code == 404
    assert client.post(reverse("mediation:notice_acknowledge", args=[notice.pk])).status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("confirmation_request", {"agreement": "abc", "court": "南关区人民法院"}),
        ("confirmation_result", {"agreement": "²", "confirmed": "1"}),
        ("agreement_finalise", {"agreement": "1e3"}),
    ],
)
def test_a_tampered_agreement_id_is_404_not_a_500(client, mediator, action, data):
    # given
    case = _my_case(mediator)
    client.force_login(mediator)
    # when / then
    assert client.post(reverse("mediation:action", args=[case.number, action]), data).status_code == 404


def test_a_tampered_record_id_means_the_latest_record(client, mediator):
    # given a case with one mediation
    case = _my_case(mediator)
    record = mediation_start(case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会")
    client.force_login(mediator)
    # when
    response = client.post(
        reverse("mediation:action", args=[case.number, "agreement_generate"]), {"record": "abc"}
    )
    # then
    assert response.status_code == 302
    assert Agreement.objects.get().record == record


def test_a_tampered_follow_up_id_is_404_not_a_500(client, supervisor):
    # given
    case = CaseFactory(status="followed_up", color="yellow")
    client.force_login(supervisor)
    # when
    response = client.post(
        reverse("mediation:action", args=[case.number, "follow_up_reopen"]), {"follow_up": "x"}
    )
    # then
    assert response.status_code == 404


@time_machine.travel(dt.datetime(2026, 7, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_the_board_counts_the_cases_the_overdue_list_shows(supervisor):
    # given a close clock the sweep breached days ago, one a minute past due, and one paused past its time
    now = timezone.now()
    for status, state, due in [
        ("in_progress", DeadlineState.BREACHED, now - dt.timedelta(days=9)),
        ("in_progress", DeadlineState.PENDING, now - dt.timedelta(minutes=1)),
        ("suspended", DeadlineState.PAUSED, now - dt.timedelta(days=2)),
    ]:
        Deadline.objects.create(
            case=CaseFactory(status=status),
            kind=DeadlineKind.CLOSE,
            state=state,
            unit=DeadlineUnit.WORKING_DAYS,
            started_at=due - dt.timedelta(days=7),
            warn_at=due - dt.timedelta(days=1),
            due_at=due,
        )

    # when
    board = supervisor_board(user=supervisor)
    listed = {deadline.case_id for deadline in overdue_list(user=supervisor)}

    # then the board counts exactly the cases the overdue list shows: the breached and the late one
    assert board.overdue_total == len(listed) == 2
