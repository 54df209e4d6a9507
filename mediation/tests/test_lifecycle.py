"""Mediation work driving the case lifecycle through dispatch: claim, outcomes, closing, follow-up."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from analytics.periods import period_parse
from analytics.selectors import summary_get
from dispatch.exceptions import InvalidTransition, TransitionForbidden
from dispatch.transitions import case_claim
from intake.models import Case
from mediation.choices import MediationOutcome, NextStep, Satisfaction
from mediation.exceptions import MediationError
from mediation.models import FollowUp, MediationRecord
from mediation.services import (
    ReportBack,
    agreement_finalise,
    agreement_generate,
    case_close_with_report_back,
    follow_up_record,
    follow_up_reopen,
    mediation_conclude,
    mediation_start,
)
from mediation.tests.factories import CaseFactory
from tests.roles import NANLING, make_staff


def _claimed(mediator) -> Case:
    case = CaseFactory(status="triaged", color="blue")
    return case_claim(case, actor=mediator)


def _mediated(mediator) -> MediationRecord:
    case = _claimed(mediator)
    return mediation_start(case=case, actor=mediator, kind="peoples", committee="南岭街道人民调解委员会")


def _report_back() -> ReportBack:
    return ReportBack(method="phone", reported_at=timezone.now(), note="已电话告知申请人张桂兰调解结果。")


@pytest.mark.django_db
def test_outcome_by_agreement_resolves_the_case(mediator):
    # given
    record = _mediated(mediator)
    agreement = agreement_generate(
        record=record, actor=mediator, terms="一、李文博于2026年3月31日前赔偿8600元。"
    )
    agreement_finalise(agreement=agreement, actor=mediator)
    # when
    mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.AGREEMENT)
    # then
    case = Case.objects.get(pk=record.case_id)
    assert case.status == "resolved"
    event = case.events.get(type="resolved")
    assert event.payload["outcome"] == "agreement" and event.payload["mediation"] == record.pk


@pytest.mark.django_db
def test_agreement_outcome_needs_a_final_agreement(mediator):
    record = _mediated(mediator)
    agreement_generate(record=record, actor=mediator, terms="一、赔偿。")

    with pytest.raises(MediationError) as refused:
        mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.AGREEMENT)

    assert refused.value.field == "outcome"
    assert Case.objects.get(pk=record.case_id).status == "in_progress"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (MediationOutcome.NO_WRITTEN_AGREEMENT, "resolved"),
        (MediationOutcome.PARTLY, "unresolved"),
        (MediationOutcome.WITHDRAWN, "unresolved"),
    ],
)
def test_other_outcomes(mediator, outcome, status):
    record = _mediated(mediator)

    mediation_conclude(record=record, actor=mediator, outcome=outcome, note="说明")

    assert Case.objects.get(pk=record.case_id).status == status
    record.refresh_from_db()
    assert record.outcome == outcome and record.concluded_at is not None


@pytest.mark.django_db
def test_failed_mediation_needs_a_next_step_and_keeps_its_record(mediator):
    # given
    record = _mediated(mediator)
    with pytest.raises(MediationError) as refused:
        mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.FAILED)
    assert refused.value.field == "next_step"
    # when
    mediation_conclude(
        record=record, actor=mediator, outcome=MediationOutcome.FAILED, next_step=NextStep.LAWSUIT
    )
    # then
    record.refresh_from_db()
    assert record.next_step == "lawsuit"
    assert Case.objects.get(pk=record.case_id).status == "unresolved"


@pytest.mark.django_db
def test_an_outcome_is_recorded_once(mediator):
    record = _mediated(mediator)
    mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.WITHDRAWN)

    with pytest.raises(MediationError):
        mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.PARTLY)


@pytest.mark.django_db
def test_someone_else_cannot_conclude_my_case(mediator):
    # given
    record = _mediated(mediator)
    colleague = make_staff("colleague", NANLING, "mediator", center_code=NANLING)
    # when
    with pytest.raises((TransitionForbidden, InvalidTransition)):
        mediation_conclude(record=record, actor=colleague, outcome=MediationOutcome.WITHDRAWN)
    # then: nothing changed, not even the record
    record.refresh_from_db()
    assert record.outcome == ""
    assert Case.objects.get(pk=record.case_id).status == "in_progress"


@pytest.mark.django_db
def test_closing_without_an_outcome_is_refused(mediator):
    case = _claimed(mediator)

    with pytest.raises(MediationError) as refused:
        case_close_with_report_back(case=case, actor=mediator, report_back=_report_back())

    assert refused.value.field == "outcome"


@pytest.mark.django_db
def test_closing_with_report_back(mediator):
    # given
    record = _mediated(mediator)
    mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.NO_WRITTEN_AGREEMENT)
    # when
    case = case_close_with_report_back(
        case=Case.objects.get(pk=record.case_id), actor=mediator, report_back=_report_back()
    )
    # then
    assert case.status == "closed"
    assert case.events.get(type="closed").payload["report_back"]["method"] == "phone"
    assert case.deadlines.filter(kind="follow_up", state="pending").exists()


@pytest.mark.django_db
def test_follow_up_before_closing_is_refused(mediator):
    case = _claimed(mediator)

    with pytest.raises(MediationError) as refused:
        follow_up_record(
            case=case,
            actor=mediator,
            method="phone",
            contacted_at=timezone.now(),
            contact_person="张桂兰",
            satisfaction=Satisfaction.SATISFIED,
            recurred=False,
        )

    assert refused.value.conflict
    assert not FollowUp.objects.exists()


def _closed(mediator) -> Case:
    record = _mediated(mediator)
    mediation_conclude(record=record, actor=mediator, outcome=MediationOutcome.NO_WRITTEN_AGREEMENT)
    return case_close_with_report_back(
        case=Case.objects.get(pk=record.case_id), actor=mediator, report_back=_report_back()
    )


def _follow_up(case, actor, satisfaction, recurred=False) -> FollowUp:
    return follow_up_record(
        case=case,
        actor=actor,
        method="phone",
        contacted_at=timezone.now(),
        contact_person="张桂兰",
        satisfaction=satisfaction,
        recurred=recurred,
    )


@pytest.mark.django_db
def test_follow_up_counts_in_the_analysis_of_its_month(mediator):
    # given a closed case
    case = _closed(mediator)

    # when the resident is reached and is 基本满意
    _follow_up(case, mediator, Satisfaction.BASIC)

    # then the village's figures for this month count one follow-up, satisfied (analytics' hook)
    figures = summary_get(region=case.region, period=period_parse(f"{timezone.localdate():%Y-%m}"))
    assert figures["current"]["satisfaction_rate"] == 100.0


@pytest.mark.django_db
def test_satisfied_follow_up_finishes_the_case(mediator, supervisor):
    case = _closed(mediator)

    follow_up = _follow_up(case, mediator, Satisfaction.SATISFIED)

    assert Case.objects.get(pk=case.pk).status == "followed_up"
    assert not follow_up.needs_review
    with pytest.raises(MediationError):
        follow_up_reopen(follow_up=follow_up, actor=supervisor)


@pytest.mark.django_db
def test_dissatisfied_follow_up_asks_supervisors_and_a_supervisor_reopens(
    mediator, supervisor, django_capture_on_commit_callbacks
):
    # given
    case = _closed(mediator)
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = _follow_up(case, mediator, Satisfaction.DISSATISFIED)
    assert supervisor.notifications.filter(kind="follow_up_review", case=case).exists()
    # when
    follow_up_reopen(follow_up=follow_up, actor=supervisor)
    # then
    case.refresh_from_db()
    assert case.status == "reopened"
    assert case.events.get(type="reopened").reason == "dissatisfied"
    assert FollowUp.objects.get(pk=follow_up.pk).reopened


@pytest.mark.django_db
def test_recurrence_reopens_even_when_satisfied(mediator, supervisor):
    case = _closed(mediator)
    follow_up = _follow_up(case, mediator, Satisfaction.BASIC, recurred=True)

    follow_up_reopen(follow_up=follow_up, actor=supervisor)

    assert Case.objects.get(pk=case.pk).events.get(type="reopened").reason == "recurred"


@pytest.mark.django_db
def test_a_mediator_may_not_reopen(mediator):
    # given
    case = _closed(mediator)
    follow_up = _follow_up(case, mediator, Satisfaction.DISSATISFIED)
    # when
    with pytest.raises(TransitionForbidden):
        follow_up_reopen(follow_up=follow_up, actor=mediator)
    # then: the compare-and-set was rolled back with the refused transition
    assert not FollowUp.objects.get(pk=follow_up.pk).reopened
    assert Case.objects.get(pk=case.pk).status == "followed_up"


@pytest.mark.django_db(transaction=True)
def test_two_mediators_claim_at_once_exactly_one_wins(postgres, org):
    # given
    first = make_staff("m1", NANLING, "mediator", center_code=NANLING)
    second = make_staff("m2", NANLING, "mediator", center_code=NANLING)
    case = CaseFactory(status="triaged", color="blue")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def claim(user) -> None:
        try:
            barrier.wait()
            case_claim(Case.objects.get(pk=case.pk), actor=user)
            results[user.username] = "won"
        except InvalidTransition as error:
            results[user.username] = error.code
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=claim, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert len(results) == 2 and list(results.values()).count("won") == 1
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.assignee.username == next(name for name, result in results.items() if result == "won")
    assert case.events.filter(type="claimed").count() == 1


@pytest.mark.django_db
def test_a_grid_worker_cannot_do_the_mediators_work_on_their_case(mediator, grid_worker):
    # given a case the mediator is handling, in the grid worker's own village
    record = _mediated(mediator)
    case = Case.objects.get(pk=record.case_id)
    # when / then: holding mediation permissions is not enough to act on someone else's case
    with pytest.raises(TransitionForbidden):
        mediation_start(case=case, actor=grid_worker, kind="peoples", committee="华阳社区人民调解委员会")
    with pytest.raises(TransitionForbidden):
        mediation_conclude(record=record, actor=grid_worker, outcome=MediationOutcome.WITHDRAWN)
    record.refresh_from_db()
    assert record.outcome == "" and case.mediations.count() == 1
