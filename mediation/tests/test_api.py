import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch.transitions import case_claim
from mediation.choices import NoticeKind
from mediation.models import MediationSession, SupervisionNotice
from mediation.notices import notice_issue
from mediation.services import agreement_generate, mediation_start
from mediation.tests.factories import CaseFactory
from tests.errors import error_fields
from tests.roles import NANLING

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def record(mediator):
    case = case_claim(CaseFactory(status="triaged"), actor=mediator)
    return mediation_start(case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会")


def _session_body():
    return {
        "held_at": timezone.now().isoformat(),
        "place": "调解室",
        "participants": "双方",
        "minutes": "协商",
    }


def test_queue_happy_and_counts(api, mediator):
    CaseFactory(status="triaged", summary="宅基地边界纠纷")

    rows = _as(api, mediator).get("/api/v1/mediation/queues/unclaimed/").json()["results"]
    counts = api.get("/api/v1/mediation/queues/counts/").json()

    assert [row["summary"] for row in rows] == ["宅基地边界纠纷"] and counts["unclaimed"] == 1


def test_queue_bad_order_is_400_naming_the_field(api, mediator):
    response = _as(api, mediator).get("/api/v1/mediation/queues/mine/", {"order": "nonsense"})

    assert response.status_code == 400 and "order" in error_fields(response.json())


def test_queue_unknown_is_404_and_clerk_is_403(api, mediator, clerk):
    assert _as(api, mediator).get("/api/v1/mediation/queues/everything/").status_code == 404
    assert _as(api, clerk).get("/api/v1/mediation/queues/mine/").status_code == 403


def test_session_happy(api, mediator, record):
    url = f"/api/v1/mediation/cases/{record.case.number}/mediations/{record.pk}/sessions/"

    response = _as(api, mediator).post(url, _session_body(), format="json")

    assert response.status_code == 201 and MediationSession.objects.count() == 1


def test_session_bad_input_403_and_404(api, mediator, record, supervisor, outsider):
    url = f"/api/v1/mediation/cases/{record.case.number}/mediations/{record.pk}/sessions/"

    bad = _as(api, mediator).post(url, {"place": "调解室"}, format="json")
    forbidden = _as(api, supervisor).post(url, _session_body(), format="json")
    outside = _as(api, outsider).post(url, _session_body(), format="json")

    assert bad.status_code == 400 and "held_at" in error_fields(bad.json())
    assert forbidden.status_code == 403 and outside.status_code == 404
    assert not MediationSession.objects.exists()


def test_agreement_generate_edit_finalise_then_409(api, mediator, record):
    # given
    api = _as(api, mediator)
    generated = api.post(f"/api/v1/mediation/cases/{record.case.number}/mediations/{record.pk}/agreements/")
    pk = generated.json()["id"]
    # when
    edited = api.patch(
        f"/api/v1/mediation/agreements/{pk}/", {"facts": "事实", "terms": "一、赔偿。"}, format="json"
    )
    final = api.post(f"/api/v1/mediation/agreements/{pk}/finalise/")
    refused = api.patch(f"/api/v1/mediation/agreements/{pk}/", {"facts": "改", "terms": "改"}, format="json")
    # then
    assert generated.status_code == 201 and edited.status_code == 200
    assert final.json()["state"] == "final"
    assert refused.status_code == 409
    assert api.get(f"/api/v1/mediation/agreements/{pk}/").json()["terms"] == "一、赔偿。"


def test_agreement_edit_empty_terms_is_400(api, mediator, record):
    agreement = agreement_generate(record=record, actor=mediator)

    response = _as(api, mediator).patch(
        f"/api/v1/mediation/agreements/{agreement.pk}/", {"facts": "x", "terms": ""}, format="json"
    )

    assert response.status_code == 400 and "terms" in error_fields(response.json())


def test_agreement_outside_is_404(api, mediator, record, outsider):
    agreement = agreement_generate(record=record, actor=mediator)

    assert _as(api, outsider).get(f"/api/v1/mediation/agreements/{agreement.pk}/").status_code == 404


def test_conclude_and_close_happy(api, mediator, record):
    api = _as(api, mediator)
    base = f"/api/v1/mediation/cases/{record.case.number}"

    concluded = api.post(f"{base}/mediations/{record.pk}/conclude/", {"outcome": "withdrawn"}, format="json")
    closed = api.post(
        f"{base}/close/",
        {"method": "phone", "reported_at": timezone.now().isoformat(), "note": "已告知。"},
        format="json",
    )

    assert concluded.json()["case_status"] == "unresolved"
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_close_without_outcome_is_400_and_bad_method_is_400(api, mediator, record):
    api = _as(api, mediator)
    url = f"/api/v1/mediation/cases/{record.case.number}/close/"
    body = {"method": "phone", "reported_at": timezone.now().isoformat(), "note": "已告知。"}

    no_outcome = api.post(url, body, format="json")
    bad_method = api.post(url, {**body, "method": "pigeon"}, format="json")

    assert no_outcome.status_code == 400 and "outcome" in error_fields(no_outcome.json())
    assert bad_method.status_code == 400 and "method" in error_fields(bad_method.json())


def test_follow_up_before_close_is_409(api, mediator, record):
    response = _as(api, mediator).post(
        f"/api/v1/mediation/cases/{record.case.number}/follow-ups/",
        {
            "method": "phone",
            "contacted_at": timezone.now().isoformat(),
            "contact_person": "张桂兰",
            "satisfaction": "satisfied",
        },
        format="json",
    )

    assert response.status_code == 409


def test_follow_up_by_a_clerk_is_403(api, clerk, record):
    response = _as(api, clerk).post(
        f"/api/v1/mediation/cases/{record.case.number}/follow-ups/", {}, format="json"
    )

    assert response.status_code == 403


def _notice_body(org, **extra):
    return {
        "kind": NoticeKind.SUPERVISION_LETTER,
        "title": "督办函",
        "body": "请报告。",
        "reply_days": 5,
        "recipient_center": org["centers"][NANLING].pk,
        **extra,
    }


def test_issue_notice_happy_403_and_400(api, supervisor, mediator, org):
    created = _as(api, supervisor).post("/api/v1/mediation/notices/", _notice_body(org), format="json")
    bad = api.post("/api/v1/mediation/notices/", _notice_body(org, reply_days=0), format="json")
    unknown_case = api.post("/api/v1/mediation/notices/", _notice_body(org, cases=["X-1"]), format="json")
    outside = api.post(
        "/api/v1/mediation/notices/",
        _notice_body(org, recipient_center=org["centers"]["620102000000"].pk),
        format="json",
    )
    forbidden = _as(api, mediator).post("/api/v1/mediation/notices/", _notice_body(org), format="json")

    assert created.status_code == 201 and created.json()["number"].startswith("南关综治督〔")
    assert bad.status_code == 400 and "reply_days" in error_fields(bad.json())
    assert unknown_case.status_code == 400 and "cases" in error_fields(unknown_case.json())
    assert outside.status_code == 400 and "recipient_center" in error_fields(outside.json())
    assert forbidden.status_code == 403
    assert SupervisionNotice.objects.count() == 1


def test_acknowledge_and_respond_through_the_api(api, supervisor, township_clerk, clerk, outsider, org):
    # given
    notice = notice_issue(issuer=supervisor, reply_days=5, recipient_center=org["centers"][NANLING],
                          kind=NoticeKind.RISK_ALERT, title="风险提示函", body="请关注。")  # fmt: skip
    url = f"/api/v1/mediation/notices/{notice.pk}"
    # when
    inbox = _as(api, township_clerk).get("/api/v1/mediation/notices/").json()
    acknowledged = api.post(f"{url}/acknowledge/")
    again = api.post(f"{url}/acknowledge/")
    empty = api.post(f"{url}/respond/", {"response": ""}, format="json")
    responded = api.post(f"{url}/respond/", {"response": "已排查化解。"}, format="json")
    not_addressee = _as(api, clerk).post(f"{url}/acknowledge/")
    outside = _as(api, outsider).post(f"{url}/acknowledge/")
    # then
    assert [row["id"] for row in inbox] == [notice.pk]
    assert acknowledged.json()["state"] == "acknowledged" and again.status_code == 409
    assert empty.status_code == 400 and responded.json()["state"] == "responded"
    assert not_addressee.status_code == 403 and outside.status_code == 404


def test_agreement_finalise_by_outsider_is_404_nothing_changes(api, mediator, record, outsider):
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿。")

    assert (
        _as(api, outsider).post(f"/api/v1/mediation/agreements/{agreement.pk}/finalise/").status_code == 404
    )
    agreement.refresh_from_db()
    assert agreement.state == "draft"
