"""Hostile request bodies get a 4xx in the API's error shape, never a 500 or an HTML page, and nothing is
saved: JSON nested too deep, bodies too large, malformed JSON, and numbers where a code must be a string."""

import json

import pytest
from rest_framework.test import APIClient

from intake.models import Case, Party
from tests.errors import error_fields
from tests.test_intake_api import URL, body
from zhongxin.parsers import json_depth

DEEP = 1_000


def nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


@pytest.fixture
def api(clerk, center) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(clerk)
    return client


def post_raw(api: APIClient, raw: str | bytes, content_type: str = "application/json"):
    return api.post(URL, data=raw, content_type=content_type)


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["code"] == code and data["detail"]
    assert not Case.objects.exists() and not Party.objects.exists()


def test_a_body_nested_1000_deep_is_a_400(api):
    # when the whole body is an array nested 1,000 deep
    response = post_raw(api, nested(DEEP))
    # then
    assert_refused(response, 400, "json_too_deep")


def test_parties_nested_1000_deep_are_a_400(api):
    # given a valid case whose parties list holds a value nested 1,000 deep
    raw = json.dumps(body()).replace('"parties": [', f'"parties": [{nested(DEEP)}, ', 1)
    # when
    response = post_raw(api, raw)
    # then
    assert_refused(response, 400, "json_too_deep")


def test_an_object_nested_past_the_limit_is_a_400(api, settings):
    settings.API_MAX_JSON_DEPTH = 5
    raw = '{"a": ' * 6 + "1" + "}" * 6
    assert_refused(post_raw(api, raw), 400, "json_too_deep")


def test_a_case_at_the_depth_limit_still_registers(api, settings):
    # given a limit exactly as deep as a case with parties (object > list > object)
    settings.API_MAX_JSON_DEPTH = 3
    # when / then
    assert api.post(URL, body(), format="json").status_code == 201


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [{"b": []}]}', 4),
        ('["[[[[", "{{{"]', 1),
        ('["\\"[[[[", "\\\\", "]]]"]', 1),
        ('{"a": "\\u005b\\u005b"}', 1),
    ],
)
def test_json_depth_counts_brackets_outside_strings_only(text, depth):
    assert json_depth(text, limit=32) == depth


def test_json_depth_stops_counting_past_the_limit():
    assert json_depth(nested(100_000), limit=32) == 33


def test_a_10_mb_body_is_a_json_413(api):
    # given a body of 10 MB, past Django's own 5 MB limit
    raw = json.dumps(body(description="漏" * (10 * 1024 * 1024 // 3)))
    # when
    response = post_raw(api, raw)
    # then it is JSON in the API's error shape, not Django's HTML 400 page
    assert_refused(response, 413, "payload_too_large")


def test_a_body_past_the_api_limit_is_a_413(api, settings):
    settings.API_MAX_BODY_BYTES = 2_000
    raw = json.dumps(body(description="x" * 3_000))
    assert_refused(post_raw(api, raw), 413, "payload_too_large")


def test_a_form_body_past_djangos_limit_is_a_json_413(api):
    raw = "summary=" + "x" * (6 * 1024 * 1024)
    response = post_raw(api, raw, content_type="application/x-www-form-urlencoded")
    assert_refused(response, 413, "payload_too_large")


@pytest.mark.parametrize("raw", ["{bad", '{"summary": NaN}', '{"a": Infinity}', "[1,]"])
def test_malformed_json_is_a_400(api, raw):
    assert_refused(post_raw(api, raw), 400, "parse_error")


def test_a_body_that_is_not_utf8_is_a_400(api):
    assert_refused(post_raw(api, b'{"summary": "\xff\xfe"}'), 400, "parse_error")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("region", 220102001001),
        ("category", 104),
        ("channel", 1),
        ("channel", ["walk_in"]),
        ("region", True),
        ("grid_cell", 1),
        ("matter_type", {"value": "dispute"}),
    ],
)
def test_a_code_that_is_not_a_string_is_a_400_naming_it(api, field, value):
    # when a code is sent as a number, a list, a boolean or an object
    response = api.post(URL, body(**{field: value}), format="json")
    # then the field is named and nothing is saved
    assert response.status_code == 400, response.json()
    assert error_fields(response.json()) == {field}
    assert not Case.objects.exists()


@pytest.mark.parametrize("field", ["kind", "role", "id_number", "phone"])
def test_a_party_code_that_is_not_a_string_is_a_400(api, field):
    parties = body()["parties"]
    parties[0][field] = 13812345678
    response = api.post(URL, body(parties=parties), format="json")
    assert response.status_code == 400
    assert f"parties.0.{field}" in error_fields(response.json()), response.json()
    assert not Case.objects.exists()


def test_the_schema_documents_the_body_errors(supervisor):
    client = APIClient()
    client.force_authenticate(supervisor)
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/cases/"]["post"]
    assert {"400", "413", "415"} <= set(operation["responses"])
    assert "413" not in schema["paths"]["/api/v1/cases/"]["get"]["responses"]
