import pytest

from mediation.choices import AgreementState, JudicialConfirmation
from mediation.exceptions import MediationError
from mediation.models import Agreement
from mediation.services import (
    agreement_confirmation_record,
    agreement_confirmation_request,
    agreement_finalise,
    agreement_generate,
    agreement_update,
    session_record,
)
from mediation.tests.factories import CaseFactory, MediationRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(mediator):
    case = CaseFactory(status="in_progress", assignee=mediator)
    return MediationRecordFactory(case=case, mediator=mediator)


def test_generate_takes_parties_facts_and_session_place(record, mediator):
    # given
    session_record(
        record=record,
        actor=mediator,
        held_at=record.case.received_at,
        place="南岭街道综治中心调解室",
        participants="张桂兰、李文博、刘淑芬",
        minutes="双方同意由被申请人承担维修费用。",
    )
    # when
    agreement = agreement_generate(record=record, actor=mediator)
    # then
    assert agreement.version == 1 and agreement.state == AgreementState.DRAFT
    assert [p["name"] for p in agreement.parties] == ["张桂兰", "李文博"]
    assert agreement.parties[0]["role"] == "applicant"
    assert agreement.facts == record.case.description
    assert agreement.signed_place == "南岭街道综治中心调解室"
    assert agreement.body_name == "南岭街道人民调解委员会"
    assert record.case.number in agreement.number


def test_draft_terms_are_editable(record, mediator):
    agreement = agreement_generate(record=record, actor=mediator)

    agreement_update(agreement=agreement, actor=mediator, facts="事实", terms="一、李文博赔偿8600元。")

    assert Agreement.objects.get(pk=agreement.pk).terms == "一、李文博赔偿8600元。"


def test_final_agreement_is_immutable(record, mediator):
    # given
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿8600元。")
    agreement_finalise(agreement=agreement, actor=mediator)
    # when
    with pytest.raises(MediationError) as refused:
        agreement_update(agreement=agreement, actor=mediator, facts="改", terms="一、赔偿1元。")
    # then
    assert refused.value.conflict
    assert "已定稿" in refused.value.message
    assert Agreement.objects.get(pk=agreement.pk).terms == "一、赔偿8600元。"


def test_finalise_twice_is_refused(record, mediator):
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿。")
    agreement_finalise(agreement=agreement, actor=mediator)

    with pytest.raises(MediationError):
        agreement_finalise(agreement=agreement, actor=mediator)


def test_finalise_without_terms_is_refused(record, mediator):
    agreement = agreement_generate(record=record, actor=mediator)

    with pytest.raises(MediationError) as refused:
        agreement_finalise(agreement=agreement, actor=mediator)

    assert refused.value.field == "terms"
    assert Agreement.objects.get(pk=agreement.pk).state == AgreementState.DRAFT


def test_a_correction_is_a_new_version_and_old_versions_stay(record, mediator):
    # given
    first = agreement_generate(record=record, actor=mediator, terms="一、赔偿8600元。")
    agreement_finalise(agreement=first, actor=mediator)
    # when
    second = agreement_generate(record=record, actor=mediator)
    agreement_update(agreement=second, actor=mediator, facts=second.facts, terms="一、赔偿8000元。")
    # then
    assert second.version == 2 and second.terms == "一、赔偿8000元。"
    assert Agreement.objects.get(pk=first.pk).terms == "一、赔偿8600元。"
    assert record.agreements.count() == 2


def test_only_one_draft_at_a_time(record, mediator):
    agreement_generate(record=record, actor=mediator)

    with pytest.raises(MediationError):
        agreement_generate(record=record, actor=mediator)


def test_judicial_confirmation_needs_a_final_agreement(record, mediator):
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿。")

    with pytest.raises(MediationError):
        agreement_confirmation_request(agreement=agreement, actor=mediator, court="长春市南关区人民法院")


def test_judicial_confirmation_request_and_result(record, mediator):
    # given
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿。")
    agreement_finalise(agreement=agreement, actor=mediator)
    # when
    agreement_confirmation_request(agreement=agreement, actor=mediator, court="长春市南关区人民法院")
    agreement_confirmation_record(
        agreement=agreement, actor=mediator, confirmed=True, reference="（2026）吉0102民特123号"
    )
    # then
    agreement.refresh_from_db()
    assert agreement.confirmation == JudicialConfirmation.CONFIRMED
    assert agreement.confirmation_reference == "（2026）吉0102民特123号"
    assert agreement.terms == "一、赔偿。"


def test_confirmation_result_without_request_is_refused(record, mediator):
    agreement = agreement_generate(record=record, actor=mediator, terms="一、赔偿。")
    agreement_finalise(agreement=agreement, actor=mediator)

    with pytest.raises(MediationError):
        agreement_confirmation_record(agreement=agreement, actor=mediator, confirmed=False, reference="")
