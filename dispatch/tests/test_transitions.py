import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dispatch import hooks, transitions
from dispatch.choices import CaseStatus, DeadlineKind, DeadlineState, EventType
from dispatch.exceptions import InvalidTransition, TransitionForbidden, TransitionInputError
from dispatch.models import CaseEvent, Deadline, DeadlinePolicy, ExtensionRequest, Notification
from dispatch.tests.factories import registered_case
from dispatch.worktime import due_after
from tests.roles import HUAYANG

pytestmark = pytest.mark.django_db


def triaged(case, supervisor):
    return transitions.case_triage(case, actor=supervisor, color="blue")


def assigned(case, supervisor, handler):
    return transitions.case_assign(triaged(case, supervisor), actor=supervisor, assignee=handler)


def in_progress(case, supervisor, handler):
    return transitions.case_sign(assigned(case, supervisor, handler), actor=handler)


def resolved(case, supervisor, handler):
    case = in_progress(case, supervisor, handler)
    return transitions.case_resolve(case, actor=handler, resolved=True, outcome="agreement")


def closed(case, supervisor, handler):
    case = resolved(case, supervisor, handler)
    return transitions.case_close(case, actor=handler, report_back={"channel": "phone", "note": "已电话告知"})


def last_event(case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-pk").first()


def test_registration_is_acceptance_and_starts_respond_classify_and_close_at_receipt(case):
    # then
    assert last_event(case).type == EventType.REGISTERED
    clocks = Deadline.objects.filter(case=case, state=DeadlineState.PENDING)
    assert set(clocks.values_list("kind", flat=True)) == {
        DeadlineKind.RESPOND,
        DeadlineKind.CLASSIFY,
        DeadlineKind.CLOSE,
    }
    assert set(clocks.values_list("started_at", flat=True)) == {case.received_at}


def test_a_walk_in_has_had_its_response_at_the_window(center, clerk):
    # when an applicant registers in person
    case = registered_case(center=center, received_by=clerk, channel="walk_in")
    # then the 30-minute clock is met at receipt; the close clock runs
    respond = Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND)
    assert (respond.state, respond.met_at) == (DeadlineState.MET, case.received_at)
    assert Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).state == DeadlineState.PENDING


def test_triage_is_the_response_and_gives_the_close_clock_the_colours_policy(case, supervisor):
    # given red cases have 3 working days
    DeadlinePolicy.objects.update_or_create(
        kind=DeadlineKind.CLOSE, color="red", level=None, defaults={"amount": 3, "unit": "working_days"}
    )
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    # when
    transitions.case_triage(case, actor=supervisor, color="red", reason="群体性")
    # then the respond clock is met, and the close clock keeps its start with the shorter term
    assert Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND).state == DeadlineState.MET
    close_after = Deadline.objects.get(pk=close.pk)
    assert close_after.started_at == close.started_at and close_after.due_at < close.due_at
    assert close_after.due_at == due_after(close.started_at, 3, "working_days", {})


def test_triage_records_proposed_and_chosen_colour_and_meets_classify(case, supervisor):
    # when
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    # then
    event = last_event(case)
    assert (case.status, case.color, case.version) == (CaseStatus.TRIAGED, "blue", 1)
    assert (event.type, event.from_status, event.to_status, event.actor) == (
        "triaged",
        "registered",
        "triaged",
        supervisor,
    )
    assert event.payload["proposed"] == "blue" and event.payload["chosen"] == "blue"
    assert Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY).state == DeadlineState.MET


def test_triage_override_needs_a_reason(case, supervisor):
    # when / then
    with pytest.raises(TransitionInputError) as error:
        transitions.case_triage(case, actor=supervisor, color="red")
    assert error.value.field == "reason"
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    # and with a reason it goes through
    case = transitions.case_triage(case, actor=supervisor, color="red", reason="当事人情绪激动")
    assert last_event(case).payload["chosen"] == "red" and case.color == "red"


def test_triage_refused_once_triaged(case, supervisor):
    case = triaged(case, supervisor)
    events = CaseEvent.objects.count()
    # when / then
    with pytest.raises(InvalidTransition):
        transitions.case_triage(case, actor=supervisor, color="blue")
    assert CaseEvent.objects.count() == events


def test_triage_forbidden_for_a_clerk_and_outside_the_jurisdiction(case, clerk, outsider):
    with pytest.raises(TransitionForbidden) as no_permission:
        transitions.case_triage(case, actor=clerk, color="blue")
    with pytest.raises(TransitionForbidden) as outside:
        transitions.case_triage(case, actor=outsider, color="blue")
    assert (no_permission.value.code, outside.value.code) == ("permission_denied", "outside_jurisdiction")
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_stale_version_is_refused(case, supervisor):
    # given two people looking at version 0
    transitions.case_triage(case, actor=supervisor, color="blue")
    # when the second acts on what they saw
    with pytest.raises(InvalidTransition) as error:
        transitions.case_assign(case, actor=supervisor, assignee=supervisor, expected_version=0)
    # then
    assert error.value.code == "stale_version"


def test_assign_names_unit_and_person_and_notifies(case, supervisor, handler, org):
    case = triaged(case, supervisor)
    # when
    case = transitions.case_assign(case, actor=supervisor, department=org["department"], assignee=handler)
    # then
    case.refresh_from_db()
    assert (case.status, case.assignee, case.assigned_department) == ("assigned", handler, org["department"])
    assert last_event(case).payload == {"department": org["department"].pk, "assignee": handler.pk}
    assert Notification.objects.filter(recipient=handler, kind="assigned", case=case).exists()


def test_assign_refused_before_triage_and_without_a_target(case, supervisor, handler):
    with pytest.raises(InvalidTransition):
        transitions.case_assign(case, actor=supervisor, assignee=handler)
    with pytest.raises(TransitionInputError):
        transitions.case_assign(triaged(case, supervisor), actor=supervisor)


def test_assign_refuses_an_assignee_outside_the_jurisdiction(case, supervisor, outsider):
    with pytest.raises(TransitionInputError) as error:
        transitions.case_assign(triaged(case, supervisor), actor=supervisor, assignee=outsider)
    assert error.value.field == "assignee"


def test_sign_starts_the_close_clock_and_meets_respond(case, supervisor, handler):
    case = assigned(case, supervisor, handler)
    # when
    case = transitions.case_sign(case, actor=handler)
    # then
    assert case.status == CaseStatus.IN_PROGRESS and last_event(case).type == EventType.SIGNED
    assert Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND).state == DeadlineState.MET
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    assert (close.state, close.owner) == (DeadlineState.PENDING, handler)


def test_sign_only_by_the_assignee(case, supervisor, handler, mediator):
    case = assigned(case, supervisor, handler)
    with pytest.raises(TransitionForbidden):
        transitions.case_sign(case, actor=mediator)
    with pytest.raises(InvalidTransition) as stale:
        transitions.case_sign(case, actor=handler, expected_version=case.version - 1)
    assert stale.value.code == "stale_version"


def test_return_within_the_window_then_arbitrate_insist(case, supervisor, handler):
    case = assigned(case, supervisor, handler)
    # when
    case = transitions.case_return(case, actor=handler, reason="不属于本单位职责")
    # then
    assert (case.status, case.assignee) == (CaseStatus.TRIAGED, None)
    assert last_event(case).payload["assignee"] == handler.pk
    assert Notification.objects.filter(recipient=supervisor, kind="returned").exists()
    # and the center insists
    case = transitions.case_arbitrate(case, actor=supervisor, decision="insist", reason="属于职责范围")
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, handler)
    assert last_event(case).payload["decision"] == "insist"


def test_arbitrate_reassign_and_refused_without_a_return(case, supervisor, handler, mediator):
    case = triaged(case, supervisor)
    with pytest.raises(InvalidTransition):
        transitions.case_arbitrate(case, actor=supervisor, decision="reassign", assignee=handler)
    case = transitions.case_assign(case, actor=supervisor, assignee=handler)
    case = transitions.case_return(case, actor=handler, reason="人手不足")
    # when
    case = transitions.case_arbitrate(case, actor=supervisor, decision="reassign", assignee=supervisor)
    # then
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, supervisor)


def test_return_refused_after_the_window(case, supervisor, handler):
    case = assigned(case, supervisor, handler)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        with pytest.raises(InvalidTransition) as error:
            transitions.case_return(case, actor=handler, reason="太晚了")
    assert error.value.code == "return_window_passed"


def test_claim_takes_an_unassigned_case(case, supervisor, handler):
    case = triaged(case, supervisor)
    # when
    case = transitions.case_claim(case, actor=handler)
    # then
    assert (case.status, case.assignee) == (CaseStatus.IN_PROGRESS, handler)
    assert last_event(case).type == EventType.CLAIMED


def test_claim_refused_when_someone_is_responsible(case, supervisor, handler, mediator):
    case = assigned(case, supervisor, handler)
    with pytest.raises(InvalidTransition) as error:
        transitions.case_claim(case, actor=handler)
    assert error.value.code == "already_claimed"


def test_claim_forbidden_for_a_supervisor(case, supervisor):
    with pytest.raises(TransitionForbidden):
        transitions.case_claim(triaged(case, supervisor), actor=supervisor)


def test_grid_worker_claims_a_blue_case_in_their_community(case, supervisor, grid_worker):
    # given a case handled by the 南关区 center, outside the grid worker's subtree, about 华阳社区
    case = triaged(case, supervisor)
    # when
    case = transitions.case_claim(case, actor=grid_worker)
    # then
    assert case.assignee == grid_worker


def test_resolve_and_close_start_follow_up(case, supervisor, handler):
    case = resolved(case, supervisor, handler)
    assert case.status == CaseStatus.RESOLVED and last_event(case).payload["outcome"] == "agreement"
    # when
    case = transitions.case_close(case, actor=handler, report_back={"channel": "visit"})
    # then
    assert case.status == CaseStatus.CLOSED
    assert Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).state == DeadlineState.MET
    assert Deadline.objects.get(case=case, kind=DeadlineKind.FOLLOW_UP).state == DeadlineState.PENDING


def test_unresolved_outcome_and_close_refused_while_in_progress(case, supervisor, handler):
    case = in_progress(case, supervisor, handler)
    with pytest.raises(InvalidTransition):
        transitions.case_close(case, actor=handler, report_back={"note": "x"})
    case = transitions.case_resolve(case, actor=handler, resolved=False, outcome="litigation")
    assert case.status == CaseStatus.UNRESOLVED
    with pytest.raises(TransitionInputError):
        transitions.case_close(case, actor=handler, report_back={})


def test_send_back_restarts_the_close_clock(case, supervisor, handler):
    case = closed(case, supervisor, handler)
    with pytest.raises(TransitionForbidden):
        transitions.case_send_back(case, actor=handler, reason="材料不全")
    # when
    case = transitions.case_send_back(case, actor=supervisor, reason="材料不全")
    # then
    assert case.status == CaseStatus.IN_PROGRESS
    assert Deadline.objects.filter(case=case, kind=DeadlineKind.CLOSE, state=DeadlineState.PENDING).exists()
    assert Deadline.objects.get(case=case, kind=DeadlineKind.FOLLOW_UP).state == DeadlineState.CANCELLED
    assert Notification.objects.filter(recipient=handler, kind="sent_back").exists()


def test_follow_up_then_reopen(case, supervisor, handler):
    case = closed(case, supervisor, handler)
    # when
    case = transitions.case_follow_up(case, actor=handler, payload={"satisfied": False})
    # then
    assert case.status == CaseStatus.FOLLOWED_UP
    assert Deadline.objects.get(case=case, kind=DeadlineKind.FOLLOW_UP).state == DeadlineState.MET
    with pytest.raises(InvalidTransition):
        transitions.case_follow_up(case, actor=handler, payload={})
    case = transitions.case_reopen(case, actor=supervisor, reason="当事人不满意")
    assert (case.status, case.assignee) == (CaseStatus.REOPENED, None)
    assert Deadline.objects.filter(
        case=case, kind=DeadlineKind.CLASSIFY, state=DeadlineState.PENDING
    ).exists()


def test_reopen_refused_while_open(case, supervisor):
    with pytest.raises(InvalidTransition):
        transitions.case_reopen(case, actor=supervisor, reason="x")


def test_transfer_cancels_every_clock_and_is_final(case, supervisor, clerk):
    # when
    case = transitions.case_transfer(case, actor=clerk, to="petition_office", reason="属信访事项")
    # then
    assert case.status == CaseStatus.TRANSFERRED and last_event(case).payload == {"to": "petition_office"}
    states = set(Deadline.objects.filter(case=case).values_list("state", flat=True))
    assert states == {DeadlineState.CANCELLED}
    with pytest.raises(InvalidTransition):
        transitions.case_suspend(case, actor=supervisor, reason="x")
    with pytest.raises(TransitionInputError):
        transitions.case_transfer(case, actor=clerk, to="moon", reason="x")


def test_suspend_pauses_clocks_and_resume_restores_the_remaining_time(case, supervisor, handler):
    case = in_progress(case, supervisor, handler)
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    # when: suspended at once, resumed ten calendar days later
    case = transitions.case_suspend(case, actor=supervisor, reason="等待法院判决")
    close.refresh_from_db()
    assert (case.status, close.state) == (CaseStatus.SUSPENDED, DeadlineState.PAUSED)
    assert close.remaining is not None
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        case = transitions.case_resume(case, actor=supervisor)
        # then
        close.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS and last_event(case).type == EventType.RESUMED
        assert close.state == DeadlineState.PENDING and close.remaining is None
        assert close.due_at > timezone.now() + dt.timedelta(days=4)


def test_resume_refused_when_not_suspended(case, supervisor):
    with pytest.raises(InvalidTransition):
        transitions.case_resume(case, actor=supervisor)


def test_suspend_forbidden_for_a_grid_worker(case, grid_worker):
    with pytest.raises(TransitionForbidden):
        transitions.case_suspend(case, actor=grid_worker, reason="x")


def test_extension_moves_the_deadline_only_on_approval(case, supervisor, handler):
    case = in_progress(case, supervisor, handler)
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    due = close.due_at
    # when
    case = transitions.case_request_extension(case, actor=handler, extra_days=3, reason="需要现场勘验")
    close.refresh_from_db()
    # then nothing moved yet
    assert close.due_at == due and last_event(case).type == EventType.EXTENSION_REQUESTED
    request = ExtensionRequest.objects.get(case=case)
    with pytest.raises(TransitionForbidden):
        transitions.extension_decide(request, actor=handler, approve=True)
    # and on approval it moves
    case = transitions.extension_decide(request, actor=supervisor, approve=True, reason="同意")
    close.refresh_from_db()
    assert close.due_at > due and last_event(case).type == EventType.EXTENSION_APPROVED
    assert Notification.objects.filter(recipient=handler, kind="extension_decided").exists()
    with pytest.raises(InvalidTransition):
        transitions.extension_decide(request, actor=supervisor, approve=False)


def test_refused_extension_leaves_the_deadline(case, supervisor, handler):
    case = in_progress(case, supervisor, handler)
    due = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).due_at
    transitions.case_request_extension(case, actor=handler, extra_days=2, reason="需要补充材料")
    # when
    case = transitions.extension_decide(ExtensionRequest.objects.get(), actor=supervisor, approve=False)
    # then
    assert Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).due_at == due
    assert last_event(case).type == EventType.EXTENSION_REFUSED


def test_listeners_get_every_event_inside_the_transaction(center, clerk, regions, supervisor):
    seen = []

    def listener(case, event):
        seen.append((case.pk, event.type))

    hooks.on_transition(listener)
    try:
        # when
        case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
        transitions.case_triage(case, actor=supervisor, color="blue")
    finally:
        hooks.transitions.listeners.remove(listener)
    # then
    assert seen == [(case.pk, "registered"), (case.pk, "triaged")]


def test_events_are_immutable(case):
    event = last_event(case)
    event.reason = "changed"
    with pytest.raises(ValueError):
        event.save()
