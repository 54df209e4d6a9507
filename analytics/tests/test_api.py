import pytest

from analytics.tests.conftest import NANGUAN, NANLING
from analytics.tests.factories import WarningThresholdFactory
from tests.api import client_for
from tests.errors import error_fields
from tests.roles import make_staff

pytestmark = pytest.mark.django_db

ENDPOINTS = ["summary", "by-category", "by-region", "trend", "warnings"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_supervisor_gets_figures_for_their_jurisdiction(dataset, supervisor, endpoint):
    response = client_for(supervisor).get(f"/api/v1/analytics/{endpoint}", {"period": "2026-07"})

    assert response.status_code == 200
    assert response.json()["region"]["code"] == NANGUAN


def test_summary_figures(dataset, supervisor):
    response = client_for(supervisor).get(
        "/api/v1/analytics/summary", {"period": "2026-07", "region": NANLING}
    )

    figures = response.json()["figures"]["current"]
    # A, B, F received; D (received in June) resolved in July; F overdue
    assert (figures["received"], figures["resolved"], figures["overdue_now"]) == (3, 1, 1)


def test_by_region_lists_the_townships(dataset, supervisor):
    response = client_for(supervisor).get("/api/v1/analytics/by-region", {"period": "2026-07"})

    rows = {row["label"]: row["received"] for row in response.json()["regions"]}
    assert rows["南岭街道"] == 3 and rows["自强街道"] == 1


def test_warnings_group_by_colour(dataset, supervisor):
    # given a red rule at 3 cases a month per region and a blue one at 1
    WarningThresholdFactory(scope="region", metric="received", color="red", threshold=3)
    WarningThresholdFactory(scope="region", metric="received", color="blue", threshold=1)

    response = client_for(supervisor).get("/api/v1/analytics/warnings", {"period": "2026-07"})

    groups = response.json()["groups"]
    assert [entry["label"] for entry in groups["red"]] == ["南岭街道"]
    assert [entry["label"] for entry in groups["blue"]] == ["自强街道"]
    assert {case["number"] for case in response.json()["cases"]} == {dataset["c"].number, dataset["f"].number}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_clerk_is_refused(dataset, clerk, endpoint):
    response = client_for(clerk).get(f"/api/v1/analytics/{endpoint}")

    assert response.status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_region_outside_jurisdiction_is_not_found(dataset, org, endpoint):
    township = make_staff("sup_nanling", NANLING, "supervisor")

    response = client_for(township).get(f"/api/v1/analytics/{endpoint}", {"region": NANGUAN})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"period": "26-Q5"}, "period"),
        ({"period": "2026-Q3'; drop"}, "period"),
        ({"region": "2201"}, "region"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(supervisor, params, field):
    response = client_for(supervisor).get("/api/v1/analytics/summary", params)

    assert response.status_code == 400
    assert field in error_fields(response.json())


def test_bad_months_is_400(supervisor):
    response = client_for(supervisor).get("/api/v1/analytics/trend", {"months": "99"})

    assert response.status_code == 400 and "months" in error_fields(response.json())


def test_endpoints_are_in_the_schema(supervisor):
    response = client_for(supervisor).get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert all(f"/api/v1/analytics/{endpoint}" in paths for endpoint in ENDPOINTS)
