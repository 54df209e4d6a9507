import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mediation.choices import MediationKind, ReferralChannel, ReferralDirection, ReliefKind
from mediation.exceptions import MediationError
from mediation.models import MediationSession
from mediation.services import (
    mediation_start,
    referral_create,
    referral_report_result,
    relief_add,
    session_record,
)
from mediation.tests.factories import CaseFactory, MediationRecordFactory
from tests.roles import make_staff

pytestmark = pytest.mark.django_db


def test_start_records_kind_committee_and_co_mediators(mediator):
    # given
    case = CaseFactory(status="in_progress", assignee=mediator)
    helper = make_staff("helper", "220102001000", "mediator", full_name="周志强")
    # when
    record = mediation_start(
        case=case,
        actor=mediator,
        kind=MediationKind.PEOPLES,
        committee="南岭街道人民调解委员会",
        co_mediators=[helper, mediator],
    )
    # then
    assert record.mediator == mediator
    assert list(record.co_mediators.all()) == [helper]
    assert record.kind == "peoples"


def test_start_is_refused_unless_the_case_is_being_handled(mediator):
    case = CaseFactory(status="triaged", assignee=mediator)

    with pytest.raises(MediationError) as refused:
        mediation_start(case=case, actor=mediator, kind=MediationKind.PEOPLES, committee="调委会")

    assert refused.value.conflict


def test_session_needs_a_past_date(mediator):
    record = MediationRecordFactory(case=CaseFactory(status="in_progress"), mediator=mediator)

    with pytest.raises(MediationError) as refused:
        session_record(
            record=record,
            actor=mediator,
            held_at=timezone.now() + dt.timedelta(days=1),
            place="调解室",
            participants="双方",
            minutes="-",
        )

    assert refused.value.field == "held_at"
    assert not MediationSession.objects.exists()


def test_no_session_after_an_outcome(mediator):
    record = MediationRecordFactory(
        case=CaseFactory(status="in_progress"), mediator=mediator, outcome="withdrawn"
    )

    with pytest.raises(MediationError):
        session_record(
            record=record,
            actor=mediator,
            held_at=timezone.now(),
            place="调解室",
            participants="双方",
            minutes="-",
        )


def test_referral_in_from_court_and_result_reported_back(mediator):
    # given
    case = CaseFactory(status="in_progress", assignee=mediator)
    referral = referral_create(
        case=case,
        actor=mediator,
        direction=ReferralDirection.IN,
        channel=ReferralChannel.COURT,
        body="长春市南关区人民法院",
        reference="（2026）吉0102民诉前调1024号",
    )
    # when
    referral_report_result(referral=referral, actor=mediator, result="经诉前调解达成协议，已申请司法确认。")
    # then
    referral.refresh_from_db()
    assert referral.result_reported_at is not None
    assert referral.reference == "（2026）吉0102民诉前调1024号"
    with pytest.raises(MediationError):
        referral_report_result(referral=referral, actor=mediator, result="再次反馈")


def test_referral_needs_the_other_body(mediator):
    with pytest.raises(MediationError) as refused:
        referral_create(
            case=CaseFactory(assignee=mediator),
            actor=mediator,
            direction="out",
            channel=ReferralChannel.POLICE,
            body=" ",
        )

    assert refused.value.field == "body"


def test_relief_measure_on_a_case(mediator):
    case = CaseFactory(status="in_progress", assignee=mediator)

    relief_add(
        case=case,
        actor=mediator,
        kind=ReliefKind.LEGAL_AID,
        provider="南关区法律援助中心",
        beneficiary="张桂兰",
        taken_on=timezone.localdate(),
    )

    assert case.relief_measures.get().get_kind_display() == "法律援助"


def test_relief_amount_cannot_be_negative(mediator):
    with pytest.raises(MediationError) as refused:
        relief_add(
            case=CaseFactory(assignee=mediator),
            actor=mediator,
            kind=ReliefKind.CIVIL_AFFAIRS,
            provider="民政办",
            beneficiary="张桂兰",
            taken_on=timezone.localdate(),
            amount=Decimal("-1"),
        )

    assert refused.value.field == "amount"
