"""延期: the handler asks, a supervisor of the handling center decides; the close clock moves only on
approval, by the approved working days on the official calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dispatch import selectors, transitions
from dispatch.choices import DeadlineKind, EventType, ExtensionState
from dispatch.exceptions import InvalidTransition, TransitionForbidden, TransitionInputError
from dispatch.models import CaseEvent, Deadline, ExtensionRequest, Notification
from dispatch.tests.factories import registered_case
from tests.roles import HUAYANG, NANLING, ZIQIANG, make_staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 22 September 2025: five working days end on Sunday the 28th (a make-up workday); the National
# Day holiday runs from 1 to 8 October.
MONDAY = dt.datetime(2025, 9, 22, 10, 0, tzinfo=SHANGHAI)
DUE = dt.datetime(2025, 9, 28, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def handled(frozen, case, supervisor, handler):
    """The `case` registered on MONDAY, signed for by `handler`: its close clock is due on DUE."""
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_assign(case, actor=supervisor, assignee=handler)
    return transitions.case_sign(case, actor=handler)


@pytest.fixture
def case(frozen, center, clerk, regions):
    return registered_case(center=center, received_by=clerk, region=regions[HUAYANG])


def close_due(case) -> dt.datetime:
    return Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).due_at


def last_event(case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-pk").first()


def test_the_clock_waits_for_approval_then_moves_by_working_days_over_the_holiday(
    handled, supervisor, handler
):
    assert close_due(handled) == DUE
    # when the handler asks for three more working days
    case = transitions.case_request_extension(handled, actor=handler, extra_days=3, reason="需要现场勘验")
    # then nothing moves yet, and the supervisor is told
    assert close_due(case) == DUE
    assert last_event(case).type == EventType.EXTENSION_REQUESTED
    assert Notification.objects.filter(recipient=supervisor, kind="extension_requested").exists()
    # when the supervisor approves
    case = transitions.case_decide_extension(case, actor=supervisor, approve=True, note="同意")
    # then 29 and 30 September and 9 October (1–8 October is the National Day holiday)
    assert close_due(case) == dt.datetime(2025, 10, 9, 10, 0, tzinfo=SHANGHAI)
    event = last_event(case)
    assert (event.type, event.reason, event.payload["extra_days"]) == (
        EventType.EXTENSION_APPROVED,
        "同意",
        3,
    )
    assert ExtensionRequest.objects.get().state == ExtensionState.APPROVED


def test_a_new_due_date_is_counted_in_working_days_and_lands_on_that_date(handled, supervisor, handler):
    # when the handler names 10 October
    case = transitions.case_request_extension(
        handled, actor=handler, new_due_date=dt.date(2025, 10, 10), reason="等待鉴定结论"
    )
    # then the request holds the working days in between, and approval ends the clock that day
    assert ExtensionRequest.objects.get().extra_days == 4
    assert close_due(case) == DUE
    case = transitions.case_decide_extension(case, actor=supervisor, approve=True)
    assert close_due(case) == dt.datetime(2025, 10, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"new_due_date": dt.date(2025, 10, 3)}, "new_due_date", "new_due_date_not_workday"),
        ({"new_due_date": dt.date(2025, 9, 26)}, "new_due_date", "new_due_date_out_of_range"),
        ({"new_due_date": dt.date(2025, 12, 31)}, "new_due_date", "new_due_date_out_of_range"),
        ({"extra_days": 31}, "extra_days", "extra_days_out_of_range"),
        ({}, "extra_days", "extra_days_or_new_due_date"),
        ({"extra_days": 2, "new_due_date": dt.date(2025, 10, 9)}, "extra_days", "extra_days_or_new_due_date"),
    ],
)
def test_beyond_the_maximum_or_no_working_day_is_refused_naming_the_field(
    handled, handler, given, field, code
):
    with pytest.raises(TransitionInputError) as error:
        transitions.case_request_extension(handled, actor=handler, reason="需要时间", **given)
    assert (error.value.field, error.value.code) == (field, code)
    assert not ExtensionRequest.objects.exists()


def test_the_maximum_itself_is_accepted(handled, handler):
    transitions.case_request_extension(
        handled, actor=handler, extra_days=transitions.EXTENSION_MAX_DAYS, reason="跨省调查取证"
    )
    assert ExtensionRequest.objects.get().extra_days == 30


def test_refusal_leaves_the_clock_and_is_in_the_timeline(handled, supervisor, handler):
    case = transitions.case_request_extension(handled, actor=handler, extra_days=2, reason="需要补充材料")
    # when
    case = transitions.case_decide_extension(case, actor=supervisor, approve=False, note="材料已齐全")
    # then
    assert close_due(case) == DUE
    assert (last_event(case).type, last_event(case).reason) == (EventType.EXTENSION_REFUSED, "材料已齐全")
    assert Notification.objects.filter(recipient=handler, kind="extension_decided").exists()
    with pytest.raises(InvalidTransition) as error:
        transitions.case_decide_extension(case, actor=supervisor, approve=True)
    assert error.value.code == "no_pending_extension"


def test_a_mediator_cannot_decide(handled, handler, mediator):
    case = transitions.case_request_extension(handled, actor=handler, extra_days=2, reason="需要补充材料")
    with pytest.raises(TransitionForbidden) as error:
        transitions.case_decide_extension(case, actor=mediator, approve=True)
    assert error.value.code == "permission_denied"
    assert close_due(case) == DUE


def test_a_supervisor_of_another_center_cannot_decide(frozen, org, clerk, regions):
    # given a case handled by the 南岭 township center, which has its own supervisor
    township = org["centers"][NANLING]
    own = make_staff("sup_nanling", NANLING, "supervisor", center_code=NANLING)
    county = make_staff("sup_county", "220102000000", "supervisor", center_code="220102000000")
    other = make_staff("sup_ziqiang", ZIQIANG, "supervisor", center_code=ZIQIANG)
    worker = make_staff("med_nanling", NANLING, "mediator", center_code=NANLING)
    case = registered_case(center=township, received_by=clerk, region=regions[HUAYANG])
    case = transitions.case_claim(transitions.case_triage(case, actor=own, color="blue"), actor=worker)
    case = transitions.case_request_extension(case, actor=worker, extra_days=2, reason="需要补充材料")
    # then neither the county's supervisor (who sees the case) nor a sibling township's may decide
    for outsider, code in ((county, "not_center_supervisor"), (other, "outside_jurisdiction")):
        with pytest.raises(TransitionForbidden) as error:
            transitions.case_decide_extension(case, actor=outsider, approve=True)
        assert error.value.code == code
    # and the township's own supervisor may
    assert selectors.extension_pending_list(user=county).count() == 0
    assert list(selectors.extension_pending_list(user=own)) == [ExtensionRequest.objects.get()]
    transitions.case_decide_extension(case, actor=own, approve=True)
    assert selectors.extension_pending_list(user=own).count() == 0


def test_only_one_pending_request_per_clock(handled, handler):
    case = transitions.case_request_extension(handled, actor=handler, extra_days=2, reason="需要补充材料")
    with pytest.raises(InvalidTransition) as error:
        transitions.case_request_extension(case, actor=handler, extra_days=3, reason="再延")
    assert error.value.code == "extension_pending"
