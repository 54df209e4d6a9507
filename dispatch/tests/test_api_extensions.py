"""The API of 延期 (request-extension, approve-extension, refuse-extension, extensions/pending) and of
下沉交办 (hand-down)."""

import datetime as dt

import pytest

from dispatch import transitions
from dispatch.choices import EventType
from dispatch.models import CaseEvent, ExtensionRequest
from dispatch.tests.factories import DUE, SHANGHAI, close_due, registered_case
from tests.api import client_for
from tests.errors import error_fields
from tests.roles import HUAYANG, NANLING, ZIQIANG, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("before_national_day")]


def url(case, action: str) -> str:
    return f"/api/v1/cases/{case.number}/{action}/"


def test_request_then_approve_moves_the_clock_only_on_approval(handled, handler, supervisor):
    # when the handler asks for a new due date
    response = client_for(handler).post(
        url(handled, "request-extension"),
        {"reason": "需要现场勘验", "new_due_date": "2025-10-09"},
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert close_due(handled) == DUE
    pending = client_for(supervisor).get("/api/v1/extensions/pending/").json()["results"]
    assert [(p["case"], p["extra_days"], p["kind"]) for p in pending] == [(handled.number, 3, "close")]
    # when the supervisor approves with a note
    response = client_for(supervisor).post(url(handled, "approve-extension"), {"note": "同意"}, format="json")
    # then
    assert response.status_code == 200, response.content
    assert close_due(handled) == dt.datetime(2025, 10, 9, 10, 0, tzinfo=SHANGHAI)
    types = list(CaseEvent.objects.filter(case=handled).values_list("type", flat=True))
    assert types[-2:] == [EventType.EXTENSION_REQUESTED, EventType.EXTENSION_APPROVED]
    assert client_for(supervisor).get("/api/v1/extensions/pending/").json()["results"] == []


def test_refuse_leaves_the_clock(handled, handler, supervisor):
    client_for(handler).post(url(handled, "request-extension"), {"reason": "补充材料", "extra_days": 2})
    response = client_for(supervisor).post(url(handled, "refuse-extension"), {"note": "材料已齐"})
    assert response.status_code == 200, response.content
    assert close_due(handled) == DUE
    assert ExtensionRequest.objects.get().state == "refused"
    # nothing is left to decide
    response = client_for(supervisor).post(url(handled, "approve-extension"), {})
    assert response.status_code == 409 and response.json()["code"] == "no_pending_extension"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "x", "extra_days": 31}, "extra_days"),
        ({"reason": "x", "new_due_date": "2025-12-31"}, "new_due_date"),
        ({"reason": "x", "new_due_date": "2025-10-03"}, "new_due_date"),
        ({"reason": "x", "new_due_date": "not-a-date"}, "new_due_date"),
        ({"reason": "x"}, "extra_days"),
        ({"extra_days": 2}, "reason"),
    ],
)
def test_bad_extension_input_is_400_naming_the_field(handled, handler, body, field):
    response = client_for(handler).post(url(handled, "request-extension"), body, format="json")
    assert response.status_code == 400 and field in error_fields(response.json()), response.content
    assert not ExtensionRequest.objects.exists()


def test_a_mediator_cannot_approve_and_the_pending_list_is_for_supervisors(handled, handler, mediator):
    client_for(handler).post(url(handled, "request-extension"), {"reason": "补充材料", "extra_days": 2})
    response = client_for(handler).post(url(handled, "approve-extension"), {})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client_for(mediator).get("/api/v1/extensions/pending/").status_code == 403
    assert close_due(handled) == DUE


def test_a_supervisor_of_another_center_cannot_approve(org, clerk, regions):
    # given a case of the 南岭 township, seen by the county and the township
    own = make_staff("sup_nanling", NANLING, "supervisor", center_code=NANLING)
    county = make_staff("sup_county", "220102000000", "supervisor", center_code="220102000000")
    sibling = make_staff("sup_ziqiang", ZIQIANG, "supervisor", center_code=ZIQIANG)
    worker = make_staff("med_nanling", NANLING, "mediator", center_code=NANLING)
    case = registered_case(center=org["centers"][NANLING], received_by=clerk, region=regions[HUAYANG])
    case = transitions.case_claim(transitions.case_triage(case, actor=own, color="blue"), actor=worker)
    client_for(worker).post(url(case, "request-extension"), {"reason": "补充材料", "extra_days": 2})
    # then the county's supervisor is refused, and the sibling township does not even see the case
    response = client_for(county).post(url(case, "approve-extension"), {})
    assert response.status_code == 403 and response.json()["code"] == "not_center_supervisor"
    assert client_for(sibling).post(url(case, "approve-extension"), {}).status_code == 404
    assert client_for(county).get("/api/v1/extensions/pending/").json()["results"] == []
    assert client_for(own).post(url(case, "approve-extension"), {}).status_code == 200


def test_hand_down_through_the_api(handled, supervisor, org):
    response = client_for(supervisor).post(
        url(handled, "hand-down"), {"to_center": NANLING, "reason": "属地化解"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["handling_center"]) == ("triaged", NANLING)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"to_center": "220102000000", "reason": "x"}, "center_not_below"),
        ({"to_center": "nope", "reason": "x"}, None),
    ],
)
def test_hand_down_to_a_center_not_below_is_400(handled, supervisor, body, code):
    response = client_for(supervisor).post(url(handled, "hand-down"), body, format="json")
    assert response.status_code == 400 and error_fields(response.json()) == {"to_center"}, response.content
    assert code is None or response.json()["code"] == code


def test_hand_down_needs_the_handling_tier(handled, mediator):
    response = client_for(mediator).post(url(handled, "hand-down"), {"to_center": NANLING, "reason": "属地"})
    assert response.status_code == 403 and response.json()["code"] == "outside_jurisdiction"


def test_the_schema_documents_the_new_actions(supervisor):
    schema = client_for(supervisor).get("/api/schema/?format=json").json()
    for action in ("request-extension", "approve-extension", "refuse-extension", "hand-down"):
        assert f"/api/v1/cases/{{number}}/{action}/" in schema["paths"]
    body = schema["components"]["schemas"]["ExtensionRequest"]["properties"]
    assert {"reason", "extra_days", "new_due_date"} <= set(body)
    assert "/api/v1/extensions/pending/" in schema["paths"]
