"""Every 4xx body of the API has one shape, {"code", "detail", "field"?} (zhongxin.api_errors), whoever
refused: DRF's validation, authentication, permission, routing and throttling, the JSON parser, and the
services' DomainErrors. One test per kind of refusal, asserting the exact body."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.throttling import UserRateThrottle

from dispatch.tests.factories import registered_case
from tests.api import client_for
from tests.roles import HUAYANG
from tests.test_intake_api import URL, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(center, clerk, regions):
    return registered_case(center=center, received_by=clerk, region=regions[HUAYANG])


def assert_body(response, status: int, **expected) -> dict:
    """The exact body: `expected`'s keys and no others, and a detail a person can read."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"code", "detail", *expected}, data
    assert isinstance(data["detail"], str) and data["detail"]
    assert {key: data[key] for key in expected if key != "errors"} == {
        key: value for key, value in expected.items() if key != "errors"
    }
    return data


def test_a_validation_error_names_the_first_field_and_lists_all(clerk, center):
    response = client_for(clerk).post(URL, body(summary="", channel="pigeon"), format="json")

    data = assert_body(response, 400, code="invalid_choice", field="channel", errors=...)
    assert [(e["code"], e["field"]) for e in data["errors"]] == [
        ("invalid_choice", "channel"),
        ("blank", "summary"),
    ]
    assert all(set(error) == {"code", "detail", "field"} for error in data["errors"])


def test_a_nested_validation_error_names_a_dotted_field(clerk, center):
    party = {"name": "张伟", "id_number": "110105194912310021", "phone": "13812345678"}

    response = client_for(clerk).post(URL, body(parties=[party]), format="json")

    data = assert_body(response, 400, code="invalid", field="parties.0.id_number", errors=...)
    assert len(data["errors"]) == 1


def test_a_services_input_error_names_its_field(case, supervisor):
    response = client_for(supervisor).post(
        f"/api/v1/cases/{case.number}/triage/", {"color": "red"}, format="json"
    )

    assert_body(response, 400, code="override_needs_reason", field="reason")


def test_not_authenticated_is_a_401(center):
    response = client_for().get(URL)

    assert response.status_code in (401, 403)
    assert_body(response, response.status_code, code="not_authenticated")


def test_a_missing_role_is_a_403(case, clerk):
    response = client_for(clerk).post(
        f"/api/v1/cases/{case.number}/triage/", {"color": "blue"}, format="json"
    )

    assert_body(response, 403, code="permission_denied")


def test_a_drf_permission_refusal_is_a_403(center):
    nobody = get_user_model().objects.create_user("nobody", password="x")

    assert_body(client_for(nobody).get(URL), 403, code="permission_denied")


def test_not_found_is_a_404(clerk, center):
    assert_body(client_for(clerk).get(f"{URL}NOPE/"), 404, code="not_found")


def test_a_method_not_allowed_is_a_405(clerk, center):
    assert_body(client_for(clerk).delete(URL), 405, code="method_not_allowed")


def test_an_invalid_transition_is_a_409(case, supervisor):
    response = client_for(supervisor).post(f"/api/v1/cases/{case.number}/resume/", {}, format="json")

    assert_body(response, 409, code="invalid_transition")


def test_a_stale_version_is_a_409(case, supervisor):
    api = client_for(supervisor)
    api.post(f"/api/v1/cases/{case.number}/triage/", {"color": "blue", "version": 0}, format="json")

    response = api.post(
        f"/api/v1/cases/{case.number}/escalate/", {"reason": "重大", "version": 0}, format="json"
    )

    assert_body(response, 409, code="stale_version")


def test_a_mediation_conflict_is_a_409(mediator):
    from mediation.tests.factories import CaseFactory

    case = CaseFactory(status="triaged", assignee=mediator)

    response = client_for(mediator).post(
        f"/api/v1/mediation/cases/{case.number}/mediations/",
        {"kind": "peoples", "committee": "调委会"},
        format="json",
    )

    assert_body(response, 409, code="conflict")


def test_throttled_is_a_429(clerk, center, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/minute", "anon": "1/minute"})
    api = client_for(clerk)
    api.get(URL)

    response = api.get(URL)

    assert_body(response, 429, code="throttled")
    assert response["Retry-After"]


def test_a_body_too_large_is_a_413(clerk, center, settings):
    settings.API_MAX_BODY_BYTES = 100

    response = client_for(clerk).post(URL, body(), format="json")

    assert_body(response, 413, code="payload_too_large")


def test_a_body_too_deep_is_a_400(clerk, center):
    response = client_for(clerk).post(URL, data="[" * 100 + "]" * 100, content_type="application/json")

    assert_body(response, 400, code="json_too_deep")


def test_malformed_json_is_a_400(clerk, center):
    response = client_for(clerk).post(URL, data="{", content_type="application/json")

    assert_body(response, 400, code="parse_error")


def test_every_4xx_response_in_the_schema_references_the_one_error_component(supervisor):
    schema = client_for(supervisor).get("/api/schema/?format=json").json()

    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]
    four_xx = [
        (path, method, status, response)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        if status.startswith("4")
    ]
    assert len(four_xx) > 100
    for path, method, status, response in four_xx:
        assert response["content"] == {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        }, (path, method, status)


def test_a_path_under_the_api_that_names_nothing_is_a_json_404(clerk, center):
    assert_body(client_for(clerk).get("/api/v1/no-such-thing/"), 404, code="not_found")
