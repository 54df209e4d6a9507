"""办理进度查询: residents look their case up by number and phone, and learn nothing else."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from dispatch import transitions
from dispatch.models import TrackLookup
from dispatch.tests.factories import registered_case
from dispatch.tracking import MISSES_PER_ADDRESS, MISSES_PER_NUMBER
from intake.models import CaseParty, Party
from tests.browser import screenshot
from tests.roles import HUAYANG

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = "13904310001"
PERSONAL = ("张秀兰", PHONE, "220102198001011234", "楼上漏水", "卫生间漏水", "李建军")


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # the limits live in the shared cache; each test starts with none used
    yield
    cache.clear()


@pytest.fixture
def closed_case(center, clerk, supervisor, handler, regions):
    """A case handled to its close in November 2026, with an applicant and a respondent."""
    moment = dt.datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    applicant = Party.objects.create(name="张秀兰", phone=PHONE, id_number="220102198001011234")
    respondent = Party.objects.create(name="李建军", phone="13904310002")
    CaseParty.objects.create(case=case, party=applicant, role="applicant")
    CaseParty.objects.create(case=case, party=respondent, role="respondent")
    steps = [
        (dt.timedelta(minutes=20), transitions.case_triage, {"actor": supervisor, "color": "blue"}),
        (dt.timedelta(minutes=40), transitions.case_assign, {"actor": supervisor, "assignee": handler}),
        (dt.timedelta(hours=2), transitions.case_sign, {"actor": handler}),
        (
            dt.timedelta(days=2),
            transitions.case_resolve,
            {"actor": handler, "resolved": True, "outcome": "agreement"},
        ),
        (
            dt.timedelta(days=2, hours=1),
            transitions.case_close,
            {"actor": handler, "report_back": {"channel": "phone"}},
        ),
    ]
    for offset, step, kwargs in steps:
        with time_machine.travel(moment + offset, tick=False):
            case = step(case, **kwargs)
    return case


def track(number: str, phone: str, address: str = "10.1.2.3"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/public/track/", {"number": number, "phone": phone}, format="json"
    )


def test_the_applicants_phone_shows_the_stages_and_the_center_and_nothing_personal(closed_case, center):
    # given the handling center's phone on record
    center.phone = "0431-88881234"
    center.save()

    response = track(closed_case.number, PHONE)

    assert response.status_code == 200
    body = response.json()
    stages = {stage["code"]: stage["at"] for stage in body["stages"]}
    assert list(stages) == ["received", "triaged", "handling", "closed", "followed_up"]
    assert stages["received"].startswith("2026-11-16T09:00") and stages["triaged"].startswith(
        "2026-11-16T09:20"
    )
    assert stages["handling"].startswith("2026-11-16T11:00") and stages["closed"].startswith(
        "2026-11-18T10:00"
    )
    assert stages["followed_up"] is None
    assert (body["center_name"], body["center_phone"], body["status"]) == (
        center.name,
        "0431-88881234",
        "closed",
    )
    assert not [text for text in PERSONAL if text in response.content.decode()]


def test_a_wrong_phone_and_an_unknown_number_give_the_same_answer(closed_case):
    wrong_phone = track(closed_case.number, "13900000000")
    unknown = track("T99999999", PHONE)

    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()


def test_a_spaced_or_international_phone_still_matches(closed_case):
    assert track(closed_case.number.lower(), f"+86 {PHONE[:3]} {PHONE[3:]}").status_code == 200


def test_enumerating_a_thousand_numbers_is_blocked_and_every_attempt_is_recorded(closed_case):
    # when one address tries 1,000 numbers with one phone
    answers = [track(f"T{n:08d}", PHONE).status_code for n in range(50000, 51000)]

    # then only the first misses are answered; the rest, and then even the right pair, are refused
    assert answers[:MISSES_PER_ADDRESS] == [404] * MISSES_PER_ADDRESS
    assert set(answers[MISSES_PER_ADDRESS:]) == {429}
    refused = track(closed_case.number, PHONE)
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_lookups"
    assert TrackLookup.objects.count() == 1001
    assert TrackLookup.objects.filter(refused=True).count() == 1001 - MISSES_PER_ADDRESS
    assert not TrackLookup.objects.filter(found=True).exists()
    # and another address is not locked out
    assert track(closed_case.number, PHONE, address="10.9.9.9").status_code == 200


def test_guessing_phones_for_one_number_from_many_addresses_locks_the_number(closed_case):
    for n in range(MISSES_PER_NUMBER):
        assert track(closed_case.number, f"1390000{n:04d}", address=f"10.0.0.{n + 1}").status_code == 404

    assert track(closed_case.number, PHONE, address="10.0.1.1").status_code == 429


def test_bad_input_names_the_field():
    response = APIClient().post("/api/v1/public/track/", {"number": "T1"}, format="json")

    assert response.status_code == 400 and response.json()["field"] == "phone"


def test_the_page_looks_a_case_up_without_logging_in(closed_case):
    client = Client()
    assert client.get("/track/").status_code == 200

    found = client.post("/track/", {"number": closed_case.number, "phone": PHONE})
    missed = client.post("/track/", {"number": closed_case.number, "phone": "13900000000"})

    page = found.content.decode()
    assert found.status_code == 200 and "办结" in page and closed_case.handling_center.name in page
    assert not [text for text in PERSONAL if text in page.replace(f'value="{PHONE}"', "")]
    assert "未查到" in missed.content.decode()


def test_the_page_says_when_the_caller_is_locked_out(closed_case):
    client = Client(REMOTE_ADDR="10.5.5.5")
    for n in range(MISSES_PER_ADDRESS):
        client.post("/track/", {"number": f"X{n:08d}", "phone": PHONE})

    response = client.post("/track/", {"number": closed_case.number, "phone": PHONE})

    assert response.status_code == 429 and "查询次数过多" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_looks_the_case_up_on_a_phone(phone_page, live_server, closed_case):
    phone_page.goto(f"{live_server.url}/track/")
    phone_page.fill("input[name=number]", closed_case.number)
    phone_page.fill("input[name=phone]", PHONE)
    phone_page.click("button.primary")
    phone_page.wait_for_load_state("networkidle")

    assert phone_page.locator(".track-stages li.done").count() == 4
    assert phone_page.locator(".track-stages li").count() == 5
    assert "登录" not in phone_page.locator("main, body").first.inner_text().split("办理进度查询")[0]
    screenshot(phone_page, "track_phone")


def test_stage_labels_follow_the_residents_language(closed_case):
    response = APIClient(REMOTE_ADDR="10.1.2.4", HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/public/track/", {"number": closed_case.number, "phone": PHONE}, format="json"
    )

    labels = [stage["label"] for stage in response.json()["stages"]] + [response.json()["status_label"]]
    assert labels and all(label.isascii() for label in labels), labels
