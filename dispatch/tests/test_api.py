import pytest

from dispatch import transitions
from dispatch.models import CaseEvent
from tests.api import client_for
from tests.errors import error_fields

pytestmark = pytest.mark.django_db


def url(case, action: str) -> str:
    return f"/api/v1/cases/{case.number}/{action}/"


def test_triage_happy_path(case, supervisor):
    # when
    response = client_for(supervisor).post(url(case, "triage"), {"color": "blue"}, format="json")
    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "triaged" and response.json()["version"] == 1


def test_triage_wrong_role_is_403(case, clerk):
    response = client_for(clerk).post(url(case, "triage"), {"color": "blue"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_outside_the_jurisdiction_is_404(case, outsider):
    response = client_for(outsider).post(url(case, "triage"), {"color": "blue"}, format="json")
    assert response.status_code == 404
    assert client_for(outsider).get(url(case, "events")).status_code == 404


def test_bad_input_is_400_naming_the_field(case, supervisor):
    response = client_for(supervisor).post(url(case, "triage"), {"color": "purple"}, format="json")
    assert response.status_code == 400 and "color" in error_fields(response.json())
    response = client_for(supervisor).post(url(case, "triage"), {"color": "red"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "override_needs_reason"
    assert response.json()["field"] == "reason"


def test_illegal_and_stale_actions_are_409(case, supervisor):
    api = client_for(supervisor)
    assert api.post(url(case, "resume"), {}, format="json").json()["code"] == "invalid_transition"
    api.post(url(case, "triage"), {"color": "blue", "version": 0}, format="json")
    # when someone acts on the version they saw before
    response = api.post(url(case, "escalate"), {"reason": "重大", "version": 0}, format="json")
    # then
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert "detail" in response.json()


def test_assign_sign_and_return_flow(case, supervisor, handler, org):
    api = client_for(supervisor)
    api.post(url(case, "triage"), {"color": "blue"}, format="json")
    response = api.post(
        url(case, "assign"), {"assignee": handler.username, "department": org["department"].pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"] == "handler"
    assert api.post(url(case, "assign"), {"assignee": "nobody"}, format="json").status_code == 400
    response = client_for(handler).post(url(case, "respond"), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_return_needs_a_reason(case, supervisor, handler):
    transitions.case_assign(
        transitions.case_triage(case, actor=supervisor, color="blue"), actor=supervisor, assignee=handler
    )
    api = client_for(handler)
    assert api.post(url(case, "return"), {}, format="json").status_code == 400
    assert api.post(url(case, "return"), {"reason": "非本单位职责"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("action", "body", "status"),
    [
        ("escalate", {"reason": "涉及面广"}, "escalated"),
        ("suspend", {"reason": "等待诉讼结果"}, "suspended"),
        ("transfer", {"to": "petition_office", "reason": "属信访事项"}, "transferred"),
    ],
)
def test_supervisor_actions(case, supervisor, action, body, status):
    response = client_for(supervisor).post(url(case, action), body, format="json")
    assert response.status_code == 200 and response.json()["status"] == status


def test_resume_and_reopen(case, supervisor, handler):
    api = client_for(supervisor)
    api.post(url(case, "suspend"), {"reason": "等待鉴定"}, format="json")
    assert api.post(url(case, "resume"), {}, format="json").json()["status"] == "registered"
    case.refresh_from_db()
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_claim(case, actor=handler)
    case = transitions.case_resolve(case, actor=handler, resolved=True, outcome="agreement")
    transitions.case_close(case, actor=handler, report_back={"note": "已反馈"})
    response = api.post(url(case, "reopen"), {"reason": "当事人反映未履行"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "reopened"


def test_events_and_deadlines_are_readable(case, supervisor):
    transitions.case_triage(case, actor=supervisor, color="blue")
    api = client_for(supervisor)
    events = api.get(url(case, "events")).json()["results"]
    assert [e["type"] for e in events] == ["registered", "triaged"]
    assert events[1]["actor"] == "supervisor"
    deadlines = api.get(url(case, "deadlines")).json()["results"]
    assert {d["kind"]: d["state"] for d in deadlines} == {
        "respond": "met",
        "classify": "met",
        "close": "pending",
    }
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_the_case_detail_lists_the_steps_the_caller_may_take(case, supervisor, clerk):
    # when
    as_supervisor = client_for(supervisor).get(f"/api/v1/cases/{case.number}/")
    as_clerk = client_for(clerk).get(f"/api/v1/cases/{case.number}/")
    # then each sees what the step table and their role allow on a registered case
    assert as_supervisor.json()["available_steps"] == ["escalate", "suspend", "transfer", "triage"]
    assert as_clerk.json()["available_steps"] == ["transfer"]
    assert as_supervisor.json()["available_steps"] == sorted(transitions.steps_available(case, supervisor))
    # and once triaged, the supervisor is offered assignment instead of triage
    transitions.case_triage(case, actor=supervisor, color="blue")
    steps = client_for(supervisor).get(f"/api/v1/cases/{case.number}/").json()["available_steps"]
    assert "assign" in steps and "triage" not in steps


def test_the_schema_documents_available_steps(supervisor):
    schema = client_for(supervisor).get("/api/schema/", {"format": "json"}).json()
    detail = schema["components"]["schemas"]["CaseDetail"]["properties"]["available_steps"]
    assert detail["type"] == "array" and "step table" in detail["description"]
