"""/api/v1/cases/, categories and channels: 201/400/403/404, masking, idempotency, schema."""

import pytest
from rest_framework.test import APIClient

from intake.models import Case, Category, IdentityView
from intake.tests.factories import mobile, register, resident_id
from tests.errors import error_fields
from tests.roles import CHENGGUAN, HUAYANG

URL = "/api/v1/cases/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body(**overrides) -> dict:
    return {
        "channel": "walk_in",
        "category": "0104",
        "region": HUAYANG,
        "summary": "楼上漏水致楼下天花板受损",
        "description": "申请人称楼上住户卫生间漏水两月未修。",
        "parties": [
            {
                "kind": "person",
                "name": "张伟",
                "id_number": "11010519491231002X",
                "phone": "13812345678",
                "role": "applicant",
            },
            {"kind": "person", "name": "李强", "phone": "13998765432", "role": "respondent"},
        ],
    } | overrides


def test_a_clerk_registers_and_gets_the_number(clerk, center):
    response = api(clerk).post(URL, body(), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    case = Case.objects.get()
    assert data["number"] == case.number and response["Location"] == f"{URL}{case.number}/"
    assert data["status"] == "registered" and data["category"]["class_code"] == "01"
    assert data["center"]["code"] == center.code
    assert data["promises"]["respond_by"] and data["promises"]["close_by"]


def test_parties_come_back_masked(clerk, center):
    data = api(clerk).post(URL, body(), format="json").json()

    assert data["parties"][0] == {
        "kind": "person",
        "name": "张伟",
        "id_number": "1101**********002X",
        "phone": "138****5678",
        "masked": True,
        "role": "applicant",
    }
    assert not IdentityView.objects.exists()


def test_list_is_scoped_and_masked(clerk, outsider, center):
    case = register(actor=clerk, center=center)

    mine = api(clerk).get(URL).json()
    theirs = api(outsider).get(URL).json()

    assert [c["number"] for c in mine["results"]] == [case.number]
    assert all(
        p["masked"] and "*" in p["phone"] and "*" in p["id_number"] for p in mine["results"][0]["parties"]
    )
    assert theirs["count"] == 0


def test_a_supervisor_sees_full_identity_and_it_is_logged(clerk, supervisor, center):
    case = register(actor=clerk, center=center)
    applicant = case.case_parties.order_by("id").first().party

    data = api(supervisor).get(f"{URL}{case.number}/", REMOTE_ADDR="10.1.2.3").json()

    assert data["parties"][0]["id_number"] == applicant.id_number and not data["parties"][0]["masked"]
    log = IdentityView.objects.filter(party=applicant).get()
    assert (log.user, log.case, log.ip_address, log.context) == (supervisor, case, "10.1.2.3", "api.case")
    api(supervisor).get(URL)
    assert IdentityView.objects.filter(context="api.case_list").count() == 2  # both parties, once each


def test_search_by_phone(clerk, center):
    case = register(actor=clerk, center=center)
    phone = case.case_parties.order_by("id").first().party.phone
    register(actor=clerk, center=center)

    found = api(clerk).get(URL, {"q": phone}).json()["results"]

    assert [c["number"] for c in found] == [case.number]


def test_read_outside_the_jurisdiction_is_404(clerk, outsider, center):
    case = register(actor=clerk, center=center)

    assert api(outsider).get(f"{URL}{case.number}/").status_code == 404
    assert api(clerk).get(f"{URL}{case.number}/").status_code == 200
    assert api(clerk).get(f"{URL}{CHENGGUAN}-2026-000001/").status_code == 404


def test_only_registering_roles_may_create(mediator, supervisor, db):
    assert api(mediator).post(URL, body(), format="json").status_code == 403
    assert api(supervisor).post(URL, body(), format="json").status_code == 403
    assert api().post(URL, body(), format="json").status_code in (401, 403)
    assert not Case.objects.exists()


def test_reading_needs_a_role(db, org):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x")

    assert api(nobody).get(URL).status_code == 403


@pytest.mark.parametrize(
    "overrides,path",
    [
        (
            {"parties": [{"name": "张伟", "id_number": "110105194912310021", "phone": "13812345678"}]},
            ["parties", "0", "id_number"],
        ),
        ({"region": CHENGGUAN}, ["region"]),
        ({"region": "abc"}, ["region"]),
        ({"category": "9999"}, ["category"]),
        ({"channel": "pigeon"}, ["channel"]),
        ({"summary": ""}, ["summary"]),
        ({"parties": [{"name": "张伟", "phone": "123"}]}, ["parties", "0", "phone"]),
        ({"parties": [{"name": "李强", "role": "respondent", "phone": "13998765432"}]}, ["parties"]),
        ({"matter_type": "x"}, ["matter_type"]),
        ({"involved_people": 0}, ["involved_people"]),
        ({"received_at": "yesterday"}, ["received_at"]),
        ({"parties": "张伟"}, ["parties"]),
    ],
)
def test_bad_input_is_a_400_naming_the_field(clerk, overrides, path):
    response = api(clerk).post(URL, body(**overrides), format="json")

    assert response.status_code == 400
    assert ".".join(path) in error_fields(response.json()), response.json()
    assert not Case.objects.exists()


def test_missing_fields_are_each_named(clerk):
    response = api(clerk).post(URL, {}, format="json")

    assert response.status_code == 400
    assert {"channel", "category", "region", "summary", "description", "parties"} <= error_fields(
        response.json()
    )


def test_a_retired_category_is_a_400(clerk):
    Category.objects.filter(code="0104").update(is_active=False)

    response = api(clerk).post(URL, body(), format="json")

    assert response.status_code == 400 and response.json()["field"] == "category"
    assert "已停用" in response.json()["detail"]


def test_malformed_json_is_a_400_not_a_500(clerk):
    response = api(clerk).post(URL, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_null_characters_are_a_400(clerk):
    response = api(clerk).post(URL, body(summary="a\x00b"), format="json")

    assert response.status_code == 400 and "summary" in error_fields(response.json())


def test_an_idempotency_key_replays_the_first_answer(clerk, center):
    client = api(clerk)

    first = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="desk-7-0001")
    again = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="desk-7-0001")

    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(clerk, center):
    client = api(clerk)
    client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post(URL, body(summary="另一件事"), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 422 and error_fields(response.json()) == {"Idempotency-Key"}
    assert response.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_keys_belong_to_one_user(clerk, township_clerk):
    api(clerk).post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="same")
    other = body(parties=[{"name": "王芳", "id_number": resident_id(), "phone": mobile()}])

    response = api(township_clerk).post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="same")

    assert response.status_code == 201 and Case.objects.count() == 2


def test_a_failed_create_does_not_burn_the_key(clerk):
    client = api(clerk)
    assert client.post(URL, body(region="x"), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 400

    assert client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201


def test_a_malformed_key_is_a_400(clerk):
    response = api(clerk).post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="键" * 3)

    assert response.status_code == 400 and error_fields(response.json()) == {"Idempotency-Key"}


def test_categories_and_channels(clerk):
    categories = api(clerk).get("/api/v1/categories/").json()
    channels = api(clerk).get("/api/v1/channels/").json()

    assert len(categories) == 14 and categories[0]["code"] == "01" and categories[0]["name"] == "邻里纠纷"
    assert sum(len(c["kinds"]) for c in categories) == 83
    assert {"value": "hotline_12345", "label": "12345热线"} in channels
    assert len(channels) == 11


def test_the_schema_describes_the_intake_api(clerk):
    response = api(clerk).get("/api/schema/", {"format": "json"})

    schema = response.json()
    create = schema["paths"]["/api/v1/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert {"201", "400", "403", "422"} <= set(create["responses"])
    assert "/api/v1/cases/{number}/" in schema["paths"]
    assert "/api/v1/categories/" in schema["paths"] and "/api/v1/channels/" in schema["paths"]
    assert "CaseCreate" in schema["components"]["schemas"]
