import pytest
from rest_framework.test import APIClient

from tests.errors import error_fields
from tests.roles import make_staff


@pytest.fixture
def api(org):
    client = APIClient()
    client.force_authenticate(make_staff("api_user", "220102000000", "clerk"))
    return client


def test_list_starts_at_the_callers_jurisdiction(api):
    response = api.get("/api/v1/regions/")

    assert response.status_code == 200
    assert [r["code"] for r in response.json()["results"]] == ["220102000000"]


def test_children_of_a_node(api):
    response = api.get("/api/v1/regions/", {"parent": "220102001000"})

    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["华阳社区", "恒安社区", "百屹社区"]


def test_search_by_name(api):
    response = api.get("/api/v1/regions/", {"q": "南岭"})

    assert [r["code"] for r in response.json()["results"]] == ["220102001000"]


def test_ancestors_path(api):
    response = api.get("/api/v1/regions/220102001001/ancestors/")

    assert response.status_code == 200
    assert [r["name"] for r in response.json()] == ["吉林省", "长春市", "南关区", "南岭街道", "华阳社区"]


def test_region_outside_jurisdiction_is_404(api):
    assert api.get("/api/v1/regions/620102001001/").status_code == 404
    assert api.get("/api/v1/regions/", {"parent": "620102001000"}).status_code == 404


def test_bad_parent_code_is_400_with_json(api):
    response = api.get("/api/v1/regions/", {"parent": "abc"})

    assert response.status_code == 400
    assert error_fields(response.json()) == {"parent"}


def test_centers_and_departments_are_scoped(api):
    centers = [c["code"] for c in api.get("/api/v1/centers/").json()["results"]]
    departments = api.get("/api/v1/departments/").json()["results"]

    assert "220102000000" in centers and "620102000000" not in centers and "220100000000" not in centers
    assert [d["name"] for d in departments] == ["司法局"]


def test_anonymous_is_refused(org):
    assert APIClient().get("/api/v1/regions/").status_code in (401, 403)


def test_token_authentication(org):
    from rest_framework.authtoken.models import Token

    user = make_staff("tokenuser", "220102000000", "clerk")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    assert client.get("/api/v1/regions/").status_code == 200


def test_openapi_schema_and_self_hosted_docs(api):
    schema = api.get("/api/schema/", {"format": "json"})
    docs = api.get("/api/docs/")

    assert schema.status_code == 200 and "/api/v1/regions/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_the_schema_says_ancestors_is_the_plain_list_it_answers(api):
    schema = api.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/regions/{code}/ancestors/"]["get"]

    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert [parameter["name"] for parameter in operation["parameters"]] == ["code"]
