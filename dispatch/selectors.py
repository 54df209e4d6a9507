"""Reads for the lifecycle, with jurisdiction applied inside: a user sees a case when its region or its
handling region lies in their subtree (so the lower center keeps seeing a case it escalated)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from dispatch.choices import CaseStatus, ExtensionState
from dispatch.deadlines import overdue_close_clocks
from dispatch.models import CaseEvent, Deadline, ExtensionRequest, Notification
from dispatch.services import center_supervisors
from grid.models import Center
from grid.selectors import jurisdiction_q
from intake.choices import FINISHED_STATUSES
from intake.models import Case
from intake.selectors import case_visibility_q

User = AbstractBaseUser | AnonymousUser


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility_q(user=user)).select_related(
        "category", "region", "handling_center", "handling_region", "assignee", "assigned_department"
    )


def case_get_for_user(*, user: User, number: str) -> Case:
    """The case with this number if the user may see it, else Http404 (outside and missing look alike)."""
    case = case_list_for_user(user=user).filter(number=number).first()
    if case is None:
        raise Http404
    return case


def case_events(case: Case) -> QuerySet[CaseEvent]:
    """The timeline (全流程), oldest first."""
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")


def case_deadlines(case: Case) -> QuerySet[Deadline]:
    return Deadline.objects.filter(case=case).select_related("owner").order_by("due_at")


def triage_board(*, user: User, center: Center | None = None) -> QuerySet[Case]:
    """Cases waiting for a colour in the user's jurisdiction (optionally one center's), oldest first."""
    qs = case_list_for_user(user=user).filter(status__in=[CaseStatus.REGISTERED, CaseStatus.REOPENED])
    if center is not None:
        qs = qs.filter(handling_center=center)
    return qs.order_by("received_at")


def assignment_queue(*, user: User) -> QuerySet[Case]:
    """Triaged or escalated cases waiting for a unit, in the centers the user handles."""
    return (
        Case.objects.filter(jurisdiction_q(user=user, field="handling_region"))
        .filter(status__in=[CaseStatus.TRIAGED, CaseStatus.ESCALATED])
        .select_related("category", "region", "handling_center")
        .order_by("received_at")
    )


def overdue_clocks(cases: QuerySet[Case]) -> QuerySet[Deadline]:
    """The overdue (超期) cases among `cases`: open, with their current close clock past due — one clock
    per case (`dispatch.deadlines.overdue_close_clocks`). The overdue list, its API, the supervisor's
    board and the dashboard's drill-down and export all read this; the dashboards' counts agree (tested)."""
    return (
        overdue_close_clocks()
        .filter(case__in=cases.values("pk"))
        .exclude(case__status__in=[*FINISHED_STATUSES, CaseStatus.TRANSFERRED])
    )


def overdue_list(*, user: User) -> QuerySet[Deadline]:
    """The overdue cases in the user's jurisdiction, most overdue first."""
    return (
        overdue_clocks(case_list_for_user(user=user))
        .select_related("case", "case__handling_center", "owner")
        .order_by("due_at")
    )


def extension_pending_list(*, user: User) -> QuerySet[ExtensionRequest]:
    """Pending extension requests this user may decide (待审批延期): of cases handled in their
    jurisdiction by a center they supervise (`guards.require_center_supervisor`), oldest first."""
    pending = (
        ExtensionRequest.objects.filter(state=ExtensionState.PENDING)
        .filter(jurisdiction_q(user=user, field="case__handling_region"))
        .select_related("case", "case__handling_center__region", "deadline", "requested_by")
        .order_by("created_at", "pk")
    )
    supervised: dict[int, bool] = {}
    for request in pending:
        center = request.case.handling_center
        if center.pk not in supervised:
            supervised[center.pk] = center_supervisors(center).filter(pk=user.pk).exists()
    return pending.filter(case__handling_center__in=[pk for pk, mine in supervised.items() if mine])


def case_pending_extensions(case: Case) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(case=case, state=ExtensionState.PENDING).select_related(
        "requested_by", "deadline"
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("case")


@dataclass(frozen=True)
class NotificationGroup:
    """One case's messages of one kind (消息按案件和类型归并): the newest, how many, which are unread."""

    latest: Notification
    count: int
    unread_ids: list[int]


def notification_groups(*, user: User, limit: int = 100, scan: int = 500) -> list[NotificationGroup]:
    """The inbox: the user's newest `scan` messages merged per case and kind, newest group first; a
    message without a case stands alone."""
    groups: dict[tuple, list[Notification]] = {}
    for message in notification_list(user=user)[:scan]:
        key = (message.case_id, message.kind) if message.case_id else (None, message.kind, message.pk)
        groups.setdefault(key, []).append(message)
    return [
        NotificationGroup(items[0], len(items), [m.pk for m in items if m.read_at is None])
        for items in list(groups.values())[:limit]
    ]


def notification_unread_count(*, user: User) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()
