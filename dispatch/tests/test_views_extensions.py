"""The pages of 延期 (the case page's form, the supervisor's 待审批延期 screen) and of 下沉交办."""

import datetime as dt

import pytest
from django.urls import reverse

from dispatch import transitions
from dispatch.models import CaseEvent, ExtensionRequest
from dispatch.tests.factories import DUE, SHANGHAI, close_due
from tests.roles import NANLING
from zhongxin.navigation import nav_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_national_day")]


def test_the_handler_requests_from_the_case_page(client, handled, handler):
    client.force_login(handler)
    page = client.get(reverse("dispatch:case", args=[handled.number])).content.decode()
    assert "申请延期" in page and 'name="new_due_date"' in page
    # when
    response = client.post(
        reverse("dispatch:request_extension", args=[handled.number]),
        {"version": handled.version, "extra_days": 3, "reason": "需要现场勘验"},
        follow=True,
    )
    # then the request waits, the form is gone and the page says what approval would do
    body = response.content.decode()
    assert "已申请延期" in body and "待审批延期" in body and "2025-10-09 10:00" in body
    assert 'id="request-extension"' not in body
    assert close_due(handled) == DUE


def test_a_bad_request_is_a_message_not_an_error(client, handled, handler):
    client.force_login(handler)
    response = client.post(
        reverse("dispatch:request_extension", args=[handled.number]),
        {"version": handled.version, "new_due_date": "2025-10-03", "reason": "需要时间"},
        follow=True,
    )
    assert response.status_code == 200 and "新的到期日期须为工作日" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_the_supervisor_approves_on_the_approval_screen(client, handled, handler, supervisor):
    transitions.case_request_extension(handled, actor=handler, extra_days=3, reason="需要现场勘验")
    handled.refresh_from_db()
    client.force_login(supervisor)
    assert reverse("dispatch:extensions") in [item["url"] for item in nav_for(supervisor)]
    page = client.get(reverse("dispatch:extensions")).content.decode()
    assert handled.number in page and "需要现场勘验" in page and "2025-10-09 10:00" in page
    # when
    response = client.post(
        reverse("dispatch:decide_extension", args=[handled.number, "approve"]),
        {"version": handled.version, "extension": ExtensionRequest.objects.get().pk, "note": "同意"},
        follow=True,
    )
    # then
    assert "已批准延期" in response.content.decode() and "没有待审批的延期申请" in response.content.decode()
    assert close_due(handled) == dt.datetime(2025, 10, 9, 10, 0, tzinfo=SHANGHAI)
    timeline = client.get(reverse("dispatch:case", args=[handled.number])).content.decode()
    assert "申请延期" in timeline and "同意延期" in timeline and "到期时间调整为 2025-10-09 10:00" in timeline


def test_refusing_on_the_approval_screen_leaves_the_clock(client, handled, handler, supervisor):
    transitions.case_request_extension(handled, actor=handler, extra_days=3, reason="需要现场勘验")
    handled.refresh_from_db()
    client.force_login(supervisor)
    response = client.post(
        reverse("dispatch:decide_extension", args=[handled.number, "refuse"]),
        {"version": handled.version, "note": "时限充足"},
        follow=True,
    )
    assert "已不予批准延期" in response.content.decode()
    assert close_due(handled) == DUE


def test_the_approval_screen_is_for_supervisors(client, handled, handler):
    client.force_login(handler)
    assert client.get(reverse("dispatch:extensions")).status_code == 403
    url = reverse("dispatch:decide_extension", args=[handled.number, "approve"])
    assert client.post(url, {"version": handled.version}).status_code == 403


def test_hand_down_from_the_case_page(client, handled, supervisor, org):
    client.force_login(supervisor)
    page = client.get(reverse("dispatch:case", args=[handled.number])).content.decode()
    assert "下沉交办" in page and f'value="{NANLING}"' in page and 'value="220102000000"' not in page
    # when
    response = client.post(
        reverse("dispatch:hand_down", args=[handled.number]),
        {"version": handled.version, "to_center": NANLING, "reason": "属地化解"},
        follow=True,
    )
    # then
    handled.refresh_from_db()
    assert handled.handling_center == org["centers"][NANLING]
    body = response.content.decode()
    assert (
        "已下沉交办至" in body
        and f"{org['centers']['220102000000'].name} → {handled.handling_center.name}" in body
    )
    assert CaseEvent.objects.filter(case=handled, type="handed_down").exists()


def test_hand_down_to_a_center_not_below_is_a_message(client, handled, supervisor, org):
    client.force_login(supervisor)
    response = client.post(
        reverse("dispatch:hand_down", args=[handled.number]),
        {"version": handled.version, "to_center": "220100000000", "reason": "属地化解"},
        follow=True,
    )
    assert response.status_code == 200 and "请选择下级综治中心并填写理由" in response.content.decode()
    handled.refresh_from_db()
    assert handled.handling_center == org["centers"]["220102000000"]
