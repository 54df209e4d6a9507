"""The mediation services check who may act themselves (mediation_authorize), whoever calls them: a user
without the role, and a mediator of another jurisdiction, are refused with nothing written."""

import pytest
from django.utils import timezone

from dispatch.exceptions import TransitionForbidden
from mediation import services
from mediation.choices import JudicialConfirmation, ReferralChannel, ReferralDirection, ReliefKind
from mediation.models import Agreement, Referral, ReliefMeasure
from mediation.tests.factories import CaseFactory, MediationRecordFactory
from tests.roles import NANLING, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(mediator):
    return MediationRecordFactory(
        case=CaseFactory(status="in_progress", assignee=mediator), mediator=mediator
    )


@pytest.fixture
def final_agreement(record, mediator):
    agreement = services.agreement_generate(record=record, actor=mediator, terms="一、赔偿。")
    return services.agreement_finalise(agreement=agreement, actor=mediator)


@pytest.fixture
def referral(record, mediator):
    return services.referral_create(
        case=record.case,
        actor=mediator,
        direction=ReferralDirection.IN,
        channel=ReferralChannel.COURT,
        body="长春市南关区人民法院",
    )


def _referral_create(record, agreement, referral, actor):
    services.referral_create(
        case=record.case, actor=actor, direction="out", channel=ReferralChannel.POLICE, body="南岭派出所"
    )


def _referral_report_result(record, agreement, referral, actor):
    services.referral_report_result(referral=referral, actor=actor, result="已立案")


def _relief_add(record, agreement, referral, actor):
    services.relief_add(
        case=record.case,
        actor=actor,
        kind=ReliefKind.LEGAL_AID,
        provider="法律援助中心",
        beneficiary="张桂兰",
        taken_on=timezone.localdate(),
    )


def _confirmation_request(record, agreement, referral, actor):
    services.agreement_confirmation_request(agreement=agreement, actor=actor, court="南关区人民法院")


def _confirmation_record(record, agreement, referral, actor):
    Agreement.objects.filter(pk=agreement.pk).update(confirmation=JudicialConfirmation.REQUESTED)
    services.agreement_confirmation_record(agreement=agreement, actor=actor, confirmed=True, reference="x")


SERVICES = [
    _referral_create,
    _referral_report_result,
    _relief_add,
    _confirmation_request,
    _confirmation_record,
]


def _nothing_written(referral, agreement) -> bool:
    agreement.refresh_from_db()
    referral.refresh_from_db()
    return (
        Referral.objects.count() == 1
        and referral.result_reported_at is None
        and not ReliefMeasure.objects.exists()
        and agreement.confirmation in (JudicialConfirmation.NONE, JudicialConfirmation.REQUESTED)
        and not agreement.confirmation_decided_at
    )


@pytest.mark.parametrize("service", SERVICES)
def test_a_user_without_the_mediator_role_is_refused(service, record, final_agreement, referral, clerk):
    with pytest.raises(TransitionForbidden) as refused:
        service(record, final_agreement, referral, clerk)

    assert refused.value.code == "permission_denied" and refused.value.status == 403
    assert _nothing_written(referral, final_agreement)


@pytest.mark.parametrize("service", SERVICES)
def test_a_mediator_of_another_jurisdiction_is_refused(service, record, final_agreement, referral, outsider):
    with pytest.raises(TransitionForbidden) as refused:
        service(record, final_agreement, referral, outsider)

    assert refused.value.code == "outside_jurisdiction"
    assert _nothing_written(referral, final_agreement)


@pytest.mark.parametrize("service", SERVICES)
def test_another_mediator_of_the_same_center_is_refused(service, record, final_agreement, referral):
    colleague = make_staff("colleague", NANLING, "mediator", center_code=NANLING)

    with pytest.raises(TransitionForbidden) as refused:
        service(record, final_agreement, referral, colleague)

    assert refused.value.code == "not_assignee"


@pytest.mark.parametrize("service", SERVICES)
def test_the_cases_mediator_is_allowed(service, record, final_agreement, referral, mediator):
    service(record, final_agreement, referral, mediator)


def test_a_follow_up_needs_the_follow_up_role_in_the_jurisdiction(mediator, outsider, clerk):
    case = CaseFactory(status="closed", assignee=mediator)
    call = dict(method="phone", contacted_at=timezone.now(), contact_person="张", satisfaction="satisfied")

    with pytest.raises(TransitionForbidden) as no_role:
        services.follow_up_record(case=case, actor=clerk, recurred=False, **call)
    with pytest.raises(TransitionForbidden) as elsewhere:
        services.follow_up_record(case=case, actor=outsider, recurred=False, **call)

    assert (no_role.value.code, elsewhere.value.code) == ("permission_denied", "outside_jurisdiction")
