"""下沉交办: a center hands a case down to a center below it in its subtree, escalation's mirror."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dispatch import transitions
from dispatch.choices import CaseStatus, DeadlineKind, DeadlineState, EventType
from dispatch.exceptions import InvalidTransition, TransitionForbidden, TransitionInputError
from dispatch.models import CaseEvent, Deadline, Escalation, Notification
from dispatch.tests.factories import registered_case
from dispatch.worktime import due_after
from tests.roles import HUAYANG, NANGUAN, NANLING, ZIQIANG, make_staff

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2025, 9, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def nanling_supervisor(org):
    return make_staff("sup_nanling", NANLING, "supervisor", full_name="孙丽华", center_code=NANLING)


def test_hand_down_moves_the_case_and_its_clock_to_the_lower_center(
    case, supervisor, handler, nanling_supervisor, org
):
    # given a county case being handled, with the county's close clock running
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_claim(case, actor=handler)
    number, county_clock = case.number, Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    township = org["centers"][NANLING]
    later = MONDAY + dt.timedelta(days=1)
    # when the county hands it down to the 南岭 township a day later
    with time_machine.travel(later, tick=False):
        case = transitions.case_hand_down(case, actor=supervisor, to_center=township, reason="属地化解")
    # then the township's queue has it, unassigned, under the same number
    case.refresh_from_db()
    assert (case.number, case.status, case.handling_center, case.handling_region) == (
        number,
        CaseStatus.TRIAGED,
        township,
        township.region,
    )
    assert (case.assignee, case.assigned_department) == (None, None)
    # the county's clock stopped and the township's own runs from the hand-down
    assert Deadline.objects.get(pk=county_clock.pk).state == DeadlineState.CANCELLED
    clock = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE, state=DeadlineState.PENDING)
    assert clock.started_at == later and clock.due_at == due_after(later, 5, "working_days", {})
    # the history stays and says who handed it where; no escalation is counted
    event = CaseEvent.objects.filter(case=case).order_by("-pk").first()
    assert (event.type, event.reason, event.payload) == (
        EventType.HANDED_DOWN,
        "属地化解",
        {"from_center": NANGUAN, "to_center": NANLING},
    )
    assert CaseEvent.objects.filter(case=case, type=EventType.CLAIMED).exists()
    assert not Escalation.objects.exists()
    assert Notification.objects.filter(recipient=nanling_supervisor, kind="handed_down_in").exists()
    # and the township assigns it as it would its own
    case = transitions.case_assign(case, actor=nanling_supervisor, assignee=handler)
    assert case.status == CaseStatus.ASSIGNED


def test_an_escalated_case_can_be_handed_back_down(case, supervisor, nanling_supervisor, org, clerk):
    case = registered_case(center=org["centers"][NANLING], received_by=clerk, region=org["regions"][HUAYANG])
    case = transitions.case_escalate(case, actor=nanling_supervisor, reason="重大复杂")
    case = transitions.case_hand_down(
        case, actor=supervisor, to_center=org["centers"][HUAYANG], reason="由村级就地化解"
    )
    assert (case.status, case.handling_center) == (CaseStatus.TRIAGED, org["centers"][HUAYANG])


@pytest.mark.parametrize("target", [NANGUAN, "220100000000"])
def test_the_target_must_be_strictly_below(case, supervisor, org, target):
    # given: its own center and the city above are not below 南关区
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    with pytest.raises(TransitionInputError) as error:
        transitions.case_hand_down(case, actor=supervisor, to_center=org["centers"][target], reason="x")
    assert (error.value.field, error.value.code) == ("to_center", "center_not_below")
    case.refresh_from_db()
    assert (case.handling_center, case.version) == (org["centers"][NANGUAN], 1)


def test_a_township_cannot_hand_down_into_a_sibling_subtree(case, org, clerk, nanling_supervisor):
    case = registered_case(center=org["centers"][NANLING], received_by=clerk, region=org["regions"][HUAYANG])
    case = transitions.case_triage(case, actor=nanling_supervisor, color="blue")
    with pytest.raises(TransitionInputError):
        transitions.case_hand_down(
            case, actor=nanling_supervisor, to_center=org["centers"][ZIQIANG], reason="x"
        )


def test_hand_down_needs_a_reason_and_a_triaged_case(case, supervisor, org):
    with pytest.raises(TransitionInputError):
        transitions.case_hand_down(case, actor=supervisor, to_center=org["centers"][NANLING], reason=" ")
    with pytest.raises(InvalidTransition):
        transitions.case_hand_down(case, actor=supervisor, to_center=org["centers"][NANLING], reason="属地")


def test_hand_down_needs_the_right_to_escalate_and_the_jurisdiction(case, supervisor, org, clerk):
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    township = org["centers"][NANLING]
    with pytest.raises(TransitionForbidden) as error:
        transitions.case_hand_down(case, actor=clerk, to_center=township, reason="属地")
    assert error.value.code == "permission_denied"
    lower = make_staff("sup_ziqiang", ZIQIANG, "supervisor", center_code=ZIQIANG)
    with pytest.raises(TransitionForbidden) as error:
        transitions.case_hand_down(case, actor=lower, to_center=township, reason="属地")
    assert error.value.code == "outside_jurisdiction"
