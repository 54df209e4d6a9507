import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dispatch import transitions
from dispatch.models import Deadline, Notification, TriageRule
from dispatch.timers import deadlines_sweep

pytestmark = pytest.mark.django_db


def test_nav_url_names_exist():
    assert reverse("dispatch:triage_board") and reverse("dispatch:overdue") and reverse("dispatch:inbox")


def test_triage_board_shows_the_proposal_and_confirms(client, case, supervisor):
    client.force_login(supervisor)
    # given a case whose text proposes red
    TriageRule.objects.create(name="群体性事件苗头", color="red", keywords="群体,集体上访")
    case_text = "群体性讨薪，扬言集体上访"
    type(case).objects.filter(pk=case.pk).update(description=case_text)
    # when
    page = client.get(reverse("dispatch:triage_board"))
    # then
    body = page.content.decode()
    assert page.status_code == 200 and case.number in body and "系统建议" in body and "红色" in body
    # and confirming the proposal triages it
    response = client.post(
        reverse("dispatch:triage", args=[case.number]), {"color": "red", "version": 0}, follow=True
    )
    case.refresh_from_db()
    assert case.status == "triaged" and case.color == "red"
    assert "已分级" in response.content.decode()


def test_override_without_reason_shows_the_message(client, case, supervisor):
    client.force_login(supervisor)
    response = client.post(
        reverse("dispatch:triage", args=[case.number]), {"color": "red", "version": 0}, follow=True
    )
    assert "调整系统建议的分级须填写理由" in response.content.decode()


def test_triage_board_forbidden_for_a_clerk(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("dispatch:triage_board")).status_code == 403


def test_assign_form_prefills_the_route_and_assigns(client, case, supervisor, handler):
    client.force_login(supervisor)
    transitions.case_triage(case, actor=supervisor, color="blue")
    assert client.get(reverse("dispatch:assign", args=[case.number])).status_code == 200
    # when
    response = client.post(
        reverse("dispatch:assign", args=[case.number]), {"assignee": handler.pk, "version": 1}
    )
    # then
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == handler and case.status == "assigned"


def test_escalate_form(client, case, supervisor, org):
    client.force_login(supervisor)
    page = client.get(reverse("dispatch:escalate", args=[case.number]))
    assert "长春市" in page.content.decode()
    client.post(reverse("dispatch:escalate", args=[case.number]), {"reason": "跨区矛盾", "version": 0})
    case.refresh_from_db()
    assert case.status == "escalated" and case.handling_center == org["centers"]["220100000000"]


def test_case_timeline_lists_events_and_countdowns(client, case, supervisor, handler):
    transitions.case_triage(case, actor=supervisor, color="blue")
    client.force_login(supervisor)
    body = client.get(reverse("dispatch:case", args=[case.number])).content.decode()
    assert "全流程" in body and "登记" in body and "分级" in body and "剩余" in body and "data-due" in body


def test_case_page_is_404_outside_the_jurisdiction(client, case, outsider):
    client.force_login(outsider)
    assert client.get(reverse("dispatch:case", args=[case.number])).status_code == 404


def test_sign_and_stale_step_from_the_case_page(client, case, supervisor, handler):
    case = transitions.case_assign(
        transitions.case_triage(case, actor=supervisor, color="blue"), actor=supervisor, assignee=handler
    )
    client.force_login(handler)
    body = client.get(reverse("dispatch:case", args=[case.number])).content.decode()
    assert "签收" in body
    client.post(reverse("dispatch:step", args=[case.number, "sign"]), {"version": case.version})
    case.refresh_from_db()
    assert case.status == "in_progress"
    response = client.post(reverse("dispatch:step", args=[case.number, "sign"]), {"version": 0}, follow=True)
    assert "案件已被他人处理" in response.content.decode()
    assert client.post(reverse("dispatch:step", args=[case.number, "nonsense"])).status_code == 404


def test_overdue_list_and_inbox(client, case, supervisor):
    # ten days on, past the 5-working-day close clock (which here does not escalate the case)
    Deadline.objects.filter(case=case, kind="close").update(escalate_on_breach=False)
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        deadlines_sweep()
        client.force_login(supervisor)
        body = client.get(reverse("dispatch:overdue")).content.decode()
        assert case.number in body and "已超期" in body
        inbox = client.get(reverse("dispatch:inbox")).content.decode()
    assert "催办" in inbox
    unread = Notification.objects.filter(recipient=supervisor, read_at__isnull=True).count()
    assert unread and f'title="未读">{unread}<' in inbox
    # when all are marked read
    client.post(reverse("dispatch:inbox"))
    assert not Notification.objects.filter(recipient=supervisor, read_at__isnull=True).exists()


@pytest.mark.parametrize("version", ["abc", "²", "-1"])
def test_a_step_with_an_unreadable_version_is_refused_like_a_stale_page(
    client, case, supervisor, handler, version
):
    # given a case the handler may sign
    case = transitions.case_assign(
        transitions.case_triage(case, actor=supervisor, color="blue"), actor=supervisor, assignee=handler
    )
    client.force_login(handler)
    # when the hidden version is not one the page rendered
    response = client.post(
        reverse("dispatch:step", args=[case.number, "sign"]), {"version": version}, follow=True
    )
    # then
    case.refresh_from_db()
    assert response.status_code == 200 and "案件已被他人处理" in response.content.decode()
    assert case.status == "assigned"


def test_marking_read_ignores_ids_that_are_not_numbers(client, case, supervisor, handler):
    # given one unread notification
    transitions.case_assign(
        transitions.case_triage(case, actor=supervisor, color="blue"), actor=supervisor, assignee=handler
    )
    notification = Notification.objects.get(recipient=handler)
    client.force_login(handler)
    # when
    response = client.post(
        reverse("dispatch:inbox"), {"ids": ["²", "abc", str(notification.pk)]}, follow=True
    )
    # then
    notification.refresh_from_db()
    assert response.status_code == 200 and notification.read_at is not None
    assert "已标为已读" in response.content.decode()
