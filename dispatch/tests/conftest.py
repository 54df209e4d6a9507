import pytest
import time_machine

from dispatch import transitions
from dispatch.tests.factories import MONDAY, registered_case
from tests.roles import HUAYANG, NANLING, make_staff


@pytest.fixture
def case(center, clerk, regions):
    """A case registered at the 南关区 center about something in 华阳社区."""
    return registered_case(center=center, received_by=clerk, region=regions[HUAYANG])


@pytest.fixture
def handler(org):
    """A mediator of the 南关区 center (the handling center of `case`)."""
    return make_staff("handler", "220102000000", "mediator", full_name="张志强", center_code="220102000000")


@pytest.fixture
def township_supervisor(org):
    return make_staff("sup_nanling", NANLING, "supervisor", full_name="孙丽华", center_code=NANLING)


@pytest.fixture
def before_national_day():
    """The clock stands on the Monday before National Day 2025 (`factories.MONDAY`)."""
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def handled(case, supervisor, handler):
    """`case` triaged blue, assigned to `handler` and signed for: its close clock runs."""
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_assign(case, actor=supervisor, assignee=handler)
    return transitions.case_sign(case, actor=handler)
