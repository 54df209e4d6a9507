"""The resolve and close actions take the pages' rules (mediation's ConclusionForm and CloseForm): an
outcome code with its next step, a report-back with method, time and note; anything else is a 400 naming
the field, and the case does not move."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch import transitions
from dispatch.models import CaseEvent
from tests.errors import error_fields

pytestmark = pytest.mark.django_db


def post(user, case, action: str, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/cases/{case.number}/{action}/", body, format="json")


@pytest.fixture
def working(case, supervisor, handler):
    """The case being handled by `handler`."""
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    return transitions.case_claim(case, actor=handler)


@pytest.fixture
def resolved(working, handler):
    return transitions.case_resolve(working, actor=handler, resolved=True, outcome="agreement")


def report_back(**overrides) -> dict:
    return {
        "method": "phone",
        "reported_at": timezone.now().isoformat(),
        "note": " 已电话告知申请人 ",
    } | overrides


def test_resolve_records_the_outcome_and_derives_resolved(working, handler):
    # when
    response = post(handler, working, "resolve", {"outcome": "no_written_agreement", "note": "当场履行"})
    # then
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    event = CaseEvent.objects.get(case=working, type="resolved")
    assert event.payload == {
        "outcome": "no_written_agreement",
        "resolved": True,
        "next_step": "",
        "note": "当场履行",
    }


def test_a_failed_outcome_is_unresolved_with_its_next_step(working, handler):
    response = post(handler, working, "resolve", {"outcome": "failed", "next_step": "lawsuit"})
    assert response.status_code == 200 and response.json()["status"] == "unresolved"
    assert CaseEvent.objects.get(case=working, type="resolved").payload["next_step"] == "lawsuit"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"resolved": True, "outcome": "mediated"}, "outcome"),
        ({"outcome": {"whatever": 1}}, "outcome"),
        ({}, "outcome"),
        ({"outcome": "failed"}, "next_step"),
        ({"outcome": "failed", "next_step": "duel"}, "next_step"),
        ({"outcome": "agreement", "resolved": False}, "resolved"),
        ({"outcome": "withdrawn", "resolved": True}, "resolved"),
    ],
)
def test_a_bad_resolve_is_a_400_naming_the_field(working, handler, body, field):
    # when
    response = post(handler, working, "resolve", body)
    # then the field is named and the case has not moved
    assert response.status_code == 400 and field in error_fields(response.json()), response.json()
    working.refresh_from_db()
    assert working.status == "in_progress" and not CaseEvent.objects.filter(type="resolved").exists()


def test_a_free_payload_is_not_stored(working, handler):
    body = {"outcome": "agreement", "payload": {"whatever": 1}}
    assert post(handler, working, "resolve", body).status_code == 200
    assert "whatever" not in CaseEvent.objects.get(case=working, type="resolved").payload


def test_close_stores_the_report_back(resolved, handler):
    # when
    response = post(handler, resolved, "close", {"report_back": report_back()})
    # then
    assert response.status_code == 200 and response.json()["status"] == "closed"
    stored = CaseEvent.objects.get(case=resolved, type="closed").payload["report_back"]
    assert stored["method"] == "phone" and stored["note"] == "已电话告知申请人" and stored["reported_at"]


@pytest.mark.parametrize(
    ("report", "fields"),
    [
        ({"whatever": 1}, {"method", "reported_at", "note"}),
        ({"note": "已回告"}, {"method", "reported_at"}),
        (report_back(method="pigeon"), {"method"}),
        (report_back(reported_at="yesterday"), {"reported_at"}),
        (report_back(note="  "), {"note"}),
    ],
)
def test_a_bad_report_back_is_a_400_naming_the_fields(resolved, handler, report, fields):
    response = post(handler, resolved, "close", {"report_back": report})
    assert response.status_code == 400
    assert error_fields(response.json()) == {f"report_back.{field}" for field in fields}
    resolved.refresh_from_db()
    assert resolved.status == "resolved"


@pytest.mark.parametrize("report", ["已回告", ["phone"], None])
def test_a_report_back_that_is_not_an_object_is_a_400(resolved, handler, report):
    response = post(handler, resolved, "close", {"report_back": report})
    assert response.status_code == 400 and "report_back" in error_fields(response.json())


def test_close_by_someone_else_is_403(resolved, clerk):
    assert post(clerk, resolved, "close", {"report_back": report_back()}).status_code == 403


def test_follow_up_is_no_longer_a_bare_transition(resolved, handler):
    # given a closed case
    case = transitions.case_close(resolved, actor=handler, report_back={"method": "phone", "note": "已告知"})
    # when the old back door is tried
    response = post(handler, case, "follow-up", {"payload": {"whatever": 1}})
    # then it is a 400 naming the follow-up's fields, and the case stays closed
    assert response.status_code == 400
    assert {"method", "contacted_at", "contact_person", "satisfaction"} <= error_fields(response.json())
    case.refresh_from_db()
    assert case.status == "closed"
