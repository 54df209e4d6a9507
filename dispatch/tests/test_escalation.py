import pytest

from dispatch import transitions
from dispatch.choices import CaseStatus, DeadlineKind, DeadlineState
from dispatch.exceptions import InvalidTransition, TransitionForbidden
from dispatch.models import Deadline, Escalation, Notification
from dispatch.selectors import case_get_for_user
from dispatch.tests.factories import registered_case
from tests.roles import HUAYANG, NANGUAN, NANLING, make_staff

pytestmark = pytest.mark.django_db
CHANGCHUN = "220100000000"


def test_escalation_through_three_tiers(org, clerk):
    # given a village case and a supervisor at every tier
    village, township, county, city = (
        org["centers"][code] for code in (HUAYANG, NANLING, NANGUAN, CHANGCHUN)
    )
    sups = {
        code: make_staff(f"sup{code}", code, "supervisor", center_code=code)
        for code in (HUAYANG, NANLING, NANGUAN, CHANGCHUN)
    }
    case = registered_case(center=village, received_by=clerk)
    # when: village → township → county → city
    case = transitions.case_escalate(case, actor=sups[HUAYANG], reason="村级无法化解")
    case = transitions.case_escalate(case, actor=sups[NANLING], reason="涉及多个部门")
    case = transitions.case_escalate(case, actor=sups[NANGUAN], reason="跨区县")
    # then
    case.refresh_from_db()
    assert (case.status, case.handling_center, case.handling_region) == (
        CaseStatus.ESCALATED,
        city,
        city.region,
    )
    path = list(Escalation.objects.filter(case=case).order_by("pk").values_list("from_center", "to_center"))
    assert path == [(village.pk, township.pk), (township.pk, county.pk), (county.pk, city.pk)]
    # the lower centers still see it but can no longer act on it
    assert case_get_for_user(user=sups[HUAYANG], number=case.number) == case
    with pytest.raises(TransitionForbidden):
        transitions.case_escalate(case, actor=sups[NANGUAN], reason="再次提级")
    # the higher center took it into its queue and was told; the supervisors who escalated are not told
    # what they did themselves
    assert Notification.objects.filter(recipient=sups[CHANGCHUN], kind="escalated_in").exists()
    assert Notification.objects.filter(recipient=sups[NANGUAN], kind="escalated_in").exists()
    assert not Notification.objects.filter(kind="escalated_out").exists()
    # the city handles it with its own close clock
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE, state=DeadlineState.PENDING)
    assert close.case.handling_center == city
    # and there is no center above the city in this slice (the province has none)
    with pytest.raises(InvalidTransition) as error:
        transitions.case_escalate(case, actor=sups[CHANGCHUN], reason="再提级")
    assert error.value.code == "no_higher_center"


def test_escalated_case_is_assigned_by_the_higher_center(case, supervisor, handler, org):
    # given a case of the 南岭 township escalated to 南关区
    case = registered_case(center=org["centers"][NANLING], received_by=case.received_by)
    case = transitions.case_escalate(case, actor=supervisor, reason="重大复杂")
    # when
    case = transitions.case_assign(case, actor=supervisor, assignee=handler)
    # then
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, handler)


def test_escalation_refused_when_closed(case, supervisor, handler):
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_claim(case, actor=handler)
    case = transitions.case_resolve(case, actor=handler, resolved=True, outcome="agreement")
    with pytest.raises(InvalidTransition):
        transitions.case_escalate(case, actor=supervisor, reason="x")


def test_escalation_forbidden_for_a_grid_worker(case, grid_worker):
    with pytest.raises(TransitionForbidden):
        transitions.case_escalate(case, actor=grid_worker, reason="x")
