"""Demo lifecycle for `make run`: maps categories to departments, tightens red cases' limits, and moves
a good share of intake's demo cases along (triaged, assigned, signed, closed, escalated), then lets the
sweep record the clocks that have already run out. The cases whose stage is "followed_up" are closed here
and followed up by mediation's demo (a follow-up is a mediation FollowUp row: `follow_up_pending`).

Idempotent: which step a case reaches is fixed by its number and its age, and only untouched cases
(version 0) move, so a second run changes nothing."""

import datetime as dt
import logging
import zlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import transitions
from dispatch.choices import (
    CaseStatus,
    DeadlineKind,
    DeadlineState,
    DeadlineUnit,
    EventType,
    HandlingOutcome,
    ReportBackMethod,
    TriageColor,
)
from dispatch.exceptions import DispatchError
from dispatch.models import CaseEvent, CategoryDepartment, Deadline, DeadlinePolicy
from dispatch.permissions import DispatchPermission
from dispatch.routing import route_propose
from dispatch.services import center_supervisors
from dispatch.timers import deadlines_sweep
from dispatch.transitions import ReportBack
from dispatch.triage import propose_color
from grid.choices import DepartmentKind, Role
from grid.selectors import region_in_jurisdiction
from intake.models import Case, Category

logger = logging.getLogger(__name__)

# Category class (intake's default taxonomy) → kinds of department that handle it, in order.
CATEGORY_DEPARTMENTS = {
    "01": [DepartmentKind.PEOPLES_MEDIATION, DepartmentKind.JUSTICE],
    "02": [DepartmentKind.WOMENS_FEDERATION, DepartmentKind.JUSTICE],
    "03": [DepartmentKind.NATURAL_RESOURCES, DepartmentKind.JUSTICE],
    "04": [DepartmentKind.HOUSING, DepartmentKind.PEOPLES_MEDIATION],
    "05": [DepartmentKind.HUMAN_RESOURCES, DepartmentKind.LEGAL_AID],
    "06": [DepartmentKind.HOUSING, DepartmentKind.COURT],
    "07": [DepartmentKind.NATURAL_RESOURCES, DepartmentKind.PETITION],
    "08": [DepartmentKind.PUBLIC_SECURITY, DepartmentKind.COURT],
    "09": [DepartmentKind.HEALTH, DepartmentKind.INDUSTRY_MEDIATION],
    "10": [DepartmentKind.MARKET_REGULATION],
    "11": [DepartmentKind.COURT, DepartmentKind.JUSTICE],
    "12": [DepartmentKind.CIVIL_AFFAIRS, DepartmentKind.PEOPLES_MEDIATION],
    "13": [DepartmentKind.PUBLIC_SECURITY, DepartmentKind.MARKET_REGULATION],
    "14": [DepartmentKind.JUSTICE],
}
# How far a case goes, by a stable hash of its number: 3 of 10 stay registered for the triage board.
STAGES = ["registered", "registered", "registered", "triaged", "assigned", "in_progress", "in_progress",
          "closed", "followed_up", "escalated"]  # fmt: skip
# A center handles what it receives within days: a case received longer ago than STILL_OPEN_FOR is
# closed by now (or went up a tier), and followed up once older than FOLLOWED_UP_AFTER (10 working days
# after closing). Only recent cases are still open, so the overdue list shows a center's few late cases.
STILL_OPEN_FOR, FOLLOWED_UP_AFTER = dt.timedelta(days=7), dt.timedelta(days=16)
# Where the steps of an older case fall after its receipt: the demo takes them today, and places them
# in the days a center would have taken them, so its clocks were met on time.
STEP_OFFSETS = {
    EventType.TRIAGED: dt.timedelta(minutes=15),
    EventType.ASSIGNED: dt.timedelta(minutes=40),
    EventType.SIGNED: dt.timedelta(hours=2),
    EventType.RESOLVED: dt.timedelta(days=2),
    EventType.CLOSED: dt.timedelta(days=2, hours=3),
}


def load_demo() -> str:
    _configure()
    if not Case.objects.exists():
        return _("dispatch: 暂无案件（先运行受理演示数据）")
    cases = list(Case.objects.filter(version=0, status=CaseStatus.REGISTERED).order_by("number"))
    moved = sum(_progress(case) for case in cases if _stage(case) != "registered")
    swept = deadlines_sweep()
    return _("dispatch: 推进 %(moved)s 件案件，超期 %(breached)s 项，预警 %(warned)s 项") % {
        "moved": moved,
        "breached": swept.breached,
        "warned": swept.warned,
    }


def _configure() -> None:
    with transaction.atomic():
        for category in Category.objects.filter(parent__isnull=True, code__in=CATEGORY_DEPARTMENTS):
            for priority, kind in enumerate(CATEGORY_DEPARTMENTS[category.code]):
                CategoryDepartment.objects.get_or_create(
                    category=category, department_kind=kind, defaults={"priority": priority}
                )
        # Red cases: close and report back within 3 working days, and go up automatically when missed.
        DeadlinePolicy.objects.get_or_create(
            kind=DeadlineKind.CLOSE,
            color=TriageColor.RED,
            level=None,
            defaults={"amount": 3, "unit": DeadlineUnit.WORKING_DAYS, "escalate_on_breach": True},
        )


def _stage(case: Case) -> str:
    stage = STAGES[zlib.crc32(case.number.encode()) % len(STAGES)]
    age = timezone.now() - case.received_at
    if stage == "escalated" or age < STILL_OPEN_FOR:
        return stage
    return "closed" if age < FOLLOWED_UP_AFTER else "followed_up"


def follow_up_pending() -> list[Case]:
    """The closed cases this demo leaves for mediation's demo to follow up."""
    closed = Case.objects.filter(status=CaseStatus.CLOSED).select_related("assignee").order_by("number")
    return [case for case in closed if _stage(case) == "followed_up"]


def _progress(case: Case) -> bool:
    """Moves one case to its stage, all or nothing; a case with nobody to act on it stays put."""
    try:
        return _advance(case)
    except DispatchError as error:
        logger.warning("demo case %s not moved: %s", case.number, error.code)
        return False


def _advance(case: Case) -> bool:
    supervisor = center_supervisors(case.handling_center).first()
    if supervisor is None:
        return False
    stage = _stage(case)
    with transaction.atomic():
        if stage == "escalated":
            transitions.case_escalate(
                case,
                actor=supervisor,
                reason="矛盾复杂，村（社区）、乡镇两级化解未果，提请上级综治中心提级办理",
            )
            return True
        color, _rule = propose_color(case)
        case = transitions.case_triage(case, actor=supervisor, color=color)
        if stage == "triaged":
            return True
        handler = _handler(case, supervisor)
        if handler is None:
            return True
        proposal = route_propose(case)
        case = transitions.case_assign(
            case, actor=supervisor, department=proposal.department, assignee=handler
        )
        if stage == "assigned":
            return True
        case = transitions.case_sign(case, actor=handler)
        if stage == "in_progress":
            return True
        case = transitions.case_resolve(
            case,
            actor=handler,
            resolved=True,
            outcome=HandlingOutcome.NO_WRITTEN_AGREEMENT,
            payload={"next_step": "", "note": "经调解双方达成一致，当场履行"},
        )
        report_back = ReportBack(ReportBackMethod.PHONE, timezone.now(), "已电话告知申请人办理结果")
        case = transitions.case_close(case, actor=handler, report_back=report_back.payload())
        _place_steps_after_receipt(case)
    return True


def _place_steps_after_receipt(case: Case) -> None:
    """Moves the steps the demo just took to the days after the case's receipt (STEP_OFFSETS, never later
    than now), and the respond, classify and close clocks they met with them."""
    now, times = timezone.now(), {}
    for type_, offset in STEP_OFFSETS.items():
        times[type_] = min(case.received_at + offset, now)
        # Events are never changed once written; the demo is writing the history it plays.
        CaseEvent.objects.filter(case=case, type=type_).update(at=times[type_])
    met = Deadline.objects.filter(case=case, state=DeadlineState.MET)
    met.filter(kind__in=(DeadlineKind.RESPOND, DeadlineKind.CLASSIFY)).update(met_at=times[EventType.TRIAGED])
    met.filter(kind=DeadlineKind.CLOSE).update(met_at=times[EventType.CLOSED])


def _handler(case: Case, supervisor: AbstractBaseUser) -> AbstractBaseUser | None:
    """The routed person when the supervisor may hand it to them, else a mediator of their own area."""
    proposed = route_propose(case).assignee
    profile = getattr(proposed, "staff_profile", None)
    if (
        profile
        and proposed.has_perm(DispatchPermission.HANDLE)
        and region_in_jurisdiction(user=supervisor, region=profile.region)
    ):
        return proposed
    mediators = get_user_model().objects.filter(is_active=True, groups__name=Role.MEDIATOR.value)
    for mediator in mediators.select_related("staff_profile__region").order_by("pk"):
        if region_in_jurisdiction(user=supervisor, region=mediator.staff_profile.region):
            return mediator
    return None
