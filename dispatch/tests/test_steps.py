"""The step table is the lifecycle: for every status and every step, `steps_available` offers the step
exactly when the table allows it, and performing it succeeds exactly then."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from dispatch import transitions
from dispatch.choices import CaseStatus, DeadlineKind, EventType
from dispatch.exceptions import InvalidTransition, TransitionForbidden
from dispatch.models import CaseEvent, Deadline, ExtensionRequest
from dispatch.permissions import DispatchPermission
from dispatch.tests.factories import registered_case
from dispatch.transitions import STEPS, steps_available
from grid.models import Center
from intake.choices import CLAIMABLE_STATUSES, CONCLUDED_STATUSES
from tests.roles import HUAYANG, NANGUAN, NANLING, make_staff

pytestmark = pytest.mark.django_db


def _pending_extension(case) -> ExtensionRequest:
    return ExtensionRequest.objects.get(case=case, state="pending")


# How each step is taken by someone who may take it; every step of the table is here.
PERFORM = {
    "triage": lambda case, actor: transitions.case_triage(case, actor=actor, color="blue", reason="核实"),
    "assign": lambda case, actor: transitions.case_assign(case, actor=actor, assignee=actor),
    "sign": lambda case, actor: transitions.case_sign(case, actor=actor),
    "return": lambda case, actor: transitions.case_return(case, actor=actor, reason="不属于本单位职责"),
    "arbitrate": lambda case, actor: transitions.case_arbitrate(case, actor=actor, decision="insist"),
    "claim": lambda case, actor: transitions.case_claim(case, actor=actor),
    "resolve": lambda case, actor: transitions.case_resolve(
        case, actor=actor, resolved=True, outcome="agreement"
    ),
    "close": lambda case, actor: transitions.case_close(case, actor=actor, report_back={"note": "已告知"}),
    "send_back": lambda case, actor: transitions.case_send_back(case, actor=actor, reason="材料不全"),
    "follow_up": lambda case, actor: transitions.case_follow_up(case, actor=actor, payload={}),
    "reopen": lambda case, actor: transitions.case_reopen(case, actor=actor, reason="当事人不满意"),
    "escalate": lambda case, actor: transitions.case_escalate(case, actor=actor, reason="跨区矛盾"),
    "hand_down": lambda case, actor: transitions.case_hand_down(
        case, actor=actor, to_center=Center.objects.get(region__code=NANLING), reason="属地化解"
    ),
    "transfer": lambda case, actor: transitions.case_transfer(
        case, actor=actor, to="petition_office", reason="属信访事项"
    ),
    "suspend": lambda case, actor: transitions.case_suspend(case, actor=actor, reason="等待法院判决"),
    "resume": lambda case, actor: transitions.case_resume(case, actor=actor),
    "request_extension": lambda case, actor: transitions.case_request_extension(
        case, actor=actor, extra_days=2, reason="需要现场勘验"
    ),
    "approve_extension": lambda case, actor: transitions.extension_decide(
        _pending_extension(case), actor=actor, approve=True
    ),
    "refuse_extension": lambda case, actor: transitions.extension_decide(
        _pending_extension(case), actor=actor, approve=False
    ),
}


@pytest.fixture
def everyone(org):
    """A 南关区 supervisor who is also a mediator: holds every lifecycle permission."""
    return make_staff("all_roles", NANGUAN, "supervisor", "mediator", center_code=NANGUAN)


def case_in(status: CaseStatus, *, center, clerk, regions, actor, step: str):
    """A case built in `status` (no assignee, so handler-only steps and claims are open) with the history
    the step's conditions and input look for: handed to a unit and returned (return, arbitrate), a
    suspension (resume), and for a decision a pending extension request on its running close clock."""
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG], status=status)
    for event_type in (EventType.ASSIGNED, EventType.RETURNED):
        CaseEvent.objects.create(case=case, type=event_type, actor=actor, at=timezone.now())
    CaseEvent.objects.create(
        case=case, type=EventType.SUSPENDED, from_status=CaseStatus.IN_PROGRESS, at=timezone.now()
    )
    if step in ("approve_extension", "refuse_extension"):
        close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
        ExtensionRequest.objects.create(
            deadline=close, case=case, requested_by=actor, reason="勘验", extra_days=1
        )
    return case


def test_every_step_of_the_table_is_walked():
    assert set(PERFORM) == set(STEPS)


@pytest.mark.parametrize("name", sorted(STEPS))
def test_a_step_is_offered_and_taken_exactly_from_its_source_statuses(name, center, clerk, regions, everyone):
    step = STEPS[name]
    for status in CaseStatus:
        # given a case in this status and someone holding every permission
        case = case_in(status, center=center, clerk=clerk, regions=regions, actor=everyone, step=name)
        allowed = status in step.sources
        # then the page offers the step exactly when the table allows it
        assert (name in steps_available(case, everyone)) == allowed, (name, status)
        # and taking it succeeds exactly then, leading where the table says
        if allowed:
            done = PERFORM[name](case, everyone)
            assert done.status in (step.targets or {status}), (name, status)
            assert CaseEvent.objects.filter(case=case).latest("pk").type == step.event_type
        else:
            with pytest.raises(InvalidTransition):
                PERFORM[name](case, everyone)


def test_allowed_is_the_tables_union_of_targets():
    for status, following in transitions.ALLOWED.items():
        expected = {target for step in STEPS.values() if status in step.sources for target in step.targets}
        assert following == expected
    assert transitions.ALLOWED[CaseStatus.TRANSFERRED] == frozenset()


def _without(permission: DispatchPermission):
    """A 南关区 user holding every lifecycle permission but `permission`."""
    user = make_staff(f"no_{permission.split('.')[1]}", NANGUAN, "clerk", center_code=NANGUAN)
    user.groups.clear()
    codenames = [p.split(".")[1] for p in DispatchPermission if p != permission]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="dispatch", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # a fresh instance: no cached permissions


@pytest.mark.parametrize("permission", list(DispatchPermission))
def test_without_a_permission_none_of_its_steps_is_offered_or_taken(
    permission, center, clerk, regions, everyone
):
    user = _without(permission)
    needing = {name for name, step in STEPS.items() if step.permission == permission}
    for name in sorted(needing):
        source = sorted(STEPS[name].sources)[0]
        # given a case from which the step is open to someone with the permission
        case = case_in(source, center=center, clerk=clerk, regions=regions, actor=everyone, step=name)
        assert name in steps_available(case, everyone)
        # then it is neither offered to nor taken by someone without it
        assert name not in steps_available(case, user)
        with pytest.raises(TransitionForbidden):
            PERFORM[name](case, user)


def test_a_step_whose_condition_fails_is_not_offered(center, clerk, regions, everyone, handler):
    # given an assigned case with a responsible person, handed over 25 hours ago
    case = registered_case(
        center=center,
        received_by=clerk,
        region=regions[HUAYANG],
        status=CaseStatus.ASSIGNED,
        assignee=handler,
    )
    CaseEvent.objects.create(case=case, type=EventType.ASSIGNED, at=timezone.now() - dt.timedelta(hours=25))
    # then nobody else signs or claims it, and its handler can no longer return it
    assert {"sign", "claim", "return"} & steps_available(case, everyone) == set()
    assert "sign" in steps_available(case, handler) and "return" not in steps_available(case, handler)


def test_the_return_window_closes_for_the_page_as_for_the_step(center, clerk, regions, handler):
    case = registered_case(
        center=center,
        received_by=clerk,
        region=regions[HUAYANG],
        status=CaseStatus.ASSIGNED,
        assignee=handler,
    )
    CaseEvent.objects.create(case=case, type=EventType.ASSIGNED, at=timezone.now())
    assert "return" in steps_available(case, handler)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert "return" not in steps_available(case, handler)
        with pytest.raises(InvalidTransition):
            PERFORM["return"](case, handler)


def test_the_top_center_is_offered_no_escalation(org, clerk, regions):
    # given a case handled by the 长春市 center, which has no center above it in the test tree
    top = org["centers"]["220100000000"]
    supervisor = make_staff("city_sup", "220100000000", "supervisor", center_code="220100000000")
    case = registered_case(center=top, received_by=clerk, region=regions[HUAYANG])
    # then
    assert "escalate" not in steps_available(case, supervisor)
    with pytest.raises(InvalidTransition):
        PERFORM["escalate"](case, supervisor)


def test_the_status_sets_queues_filter_by_agree_with_the_table():
    # Queues filter in SQL by intake's named sets (intake cannot ask dispatch): they say what the table says.
    assert CLAIMABLE_STATUSES == STEPS["claim"].sources
    assert CONCLUDED_STATUSES == STEPS["close"].sources
