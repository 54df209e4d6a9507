"""回访 over the API records a FollowUp, at /api/v1/cases/{number}/follow-up/ (the lifecycle's step) as at
/api/v1/mediation/cases/{number}/follow-ups/: no route moves a case to followed_up without one."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch import transitions
from mediation.models import FollowUp
from mediation.tests.factories import CaseFactory
from tests.errors import error_fields

pytestmark = pytest.mark.django_db

ROUTES = ["/api/v1/cases/{}/follow-up/", "/api/v1/mediation/cases/{}/follow-ups/"]


@pytest.fixture
def closed(mediator):
    case = transitions.case_claim(CaseFactory(status="triaged"), actor=mediator)
    case = transitions.case_resolve(case, actor=mediator, resolved=True, outcome="agreement")
    return transitions.case_close(case, actor=mediator, report_back={"method": "phone", "note": "已告知"})


def post(user, url: str, body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(url, body, format="json")


def follow_up(**overrides) -> dict:
    return {
        "method": "phone",
        "contacted_at": timezone.now().isoformat(),
        "contact_person": "张桂兰",
        "satisfaction": "dissatisfied",
        "recurred": True,
        "note": "维修未完成",
    } | overrides


@pytest.mark.parametrize("route", ROUTES)
def test_a_follow_up_records_its_row_and_moves_the_case(closed, mediator, route):
    # when
    response = post(mediator, route.format(closed.number), follow_up())
    # then
    assert response.status_code == 201, response.json()
    row = FollowUp.objects.get(case=closed)
    assert (row.satisfaction, row.recurred, row.contact_person) == ("dissatisfied", True, "张桂兰")
    assert response.json() == {
        "id": row.pk,
        "satisfaction": "dissatisfied",
        "recurred": True,
        "needs_review": True,
    }
    closed.refresh_from_db()
    assert closed.status == "followed_up"
    assert closed.events.get(type="followed_up").payload["follow_up"] == row.pk


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"payload": {"whatever": 1}}, {"method", "contacted_at", "contact_person", "satisfaction"}),
        (follow_up(satisfaction="meh"), {"satisfaction"}),
        (follow_up(method=1), {"method"}),
        (follow_up(contacted_at="last week"), {"contacted_at"}),
        (follow_up(contact_person="张" * 51), {"contact_person"}),
    ],
)
def test_a_bad_follow_up_is_a_400_naming_the_fields(closed, mediator, route, body, fields):
    # when
    response = post(mediator, route.format(closed.number), body)
    # then nothing is recorded and the case stays closed
    assert response.status_code == 400
    assert error_fields(response.json()) == fields
    assert not FollowUp.objects.exists()
    closed.refresh_from_db()
    assert closed.status == "closed"


def test_the_lifecycle_route_refuses_a_clerk_and_hides_other_jurisdictions(closed, clerk, outsider):
    url = ROUTES[0].format(closed.number)
    assert post(clerk, url, follow_up()).status_code == 403
    assert post(outsider, url, follow_up()).status_code in (403, 404)
    assert not FollowUp.objects.exists()


def test_a_case_not_yet_closed_is_a_409(mediator):
    case = transitions.case_claim(CaseFactory(status="triaged"), actor=mediator)
    response = post(mediator, ROUTES[0].format(case.number), follow_up())
    assert response.status_code == 409 and not FollowUp.objects.exists()
