"""Reads for mediation: the three case queues, the workspace, agreements and supervision notices.
Jurisdiction is applied inside every selector; objects outside it raise Http404."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from dispatch.deadlines import RUNNING_STATES as RUNNING_DEADLINE_STATES
from dispatch.models import OPEN_DEADLINE_STATES, Deadline
from dispatch.selectors import case_deadlines, case_events, overdue_list
from grid.choices import RegionLevel
from grid.selectors import jurisdiction_q, staff_profile_get
from intake.choices import CLAIMABLE_STATUSES, CONCLUDED_STATUSES, WORKING_STATUSES, CaseStatus
from intake.models import Case
from intake.selectors import case_list_for_user
from mediation.choices import OPEN_NOTICE_STATES
from mediation.models import Agreement, MediationRecord, SupervisionNotice

# Statuses a handler still works on: from handed over until followed up.
ACTIVE_STATUSES = (
    WORKING_STATUSES | CONCLUDED_STATUSES | {CaseStatus.ASSIGNED, CaseStatus.SUSPENDED, CaseStatus.CLOSED}
)
NOTICE_RELATED = (
    "issuer",
    "issuing_center__region",
    "recipient_center",
    "recipient_department",
    "recipient_person",
)
COLOR_RANK = {"red": 0, "yellow": 1, "blue": 2}


class Queue:
    MINE = "mine"
    TEAM = "team"
    UNCLAIMED = "unclaimed"


# Orderings a queue page may ask for; each ends with the primary key so pages are stable.
ORDERINGS = {
    "deadline": ("next_due_nulls", "next_due", "received_at", "pk"),
    "color": ("color_rank", "next_due_nulls", "next_due", "pk"),
    "age": ("received_at", "pk"),
    "category": ("category__code", "next_due_nulls", "next_due", "pk"),
}


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    category: int | None = None
    region: int | None = None
    order: str = "deadline"


def case_get_for_user(*, user: AbstractBaseUser, number: str) -> Case:
    """The case for the workspace, or Http404 outside the user's scope (intake's visibility rule)."""
    case = (
        case_list_for_user(user=user)
        .select_related("category", "region", "handling_center", "assignee", "assigned_department", "center")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def _queue_q(*, user: AbstractBaseUser, queue: str) -> Q:
    if queue == Queue.MINE:
        return Q(assignee=user, status__in=ACTIVE_STATUSES)
    if queue == Queue.UNCLAIMED:
        return Q(assignee__isnull=True, status__in=CLAIMABLE_STATUSES)
    profile = staff_profile_get(user=user)
    team = Q(pk__in=[])
    if profile and profile.department_id:
        team |= Q(assigned_department_id=profile.department_id)
    if profile and profile.center_id:
        team |= Q(handling_center_id=profile.center_id)
    return team & Q(status__in=ACTIVE_STATUSES)


def case_queue(*, user: AbstractBaseUser, queue: str, filters: QueueFilters | None = None) -> QuerySet[Case]:
    """One queue as one query: the row's related names and its earliest open deadline come along."""
    filters = filters or QueueFilters()
    qs = case_list_for_user(user=user).filter(_queue_q(user=user, queue=queue))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(Q(category_id=filters.category) | Q(category__parent_id=filters.category))
    if filters.region:
        qs = qs.filter(Q(handling_region_id=filters.region) | Q(region_id=filters.region))
    next_due = (
        Deadline.objects.filter(case=OuterRef("pk"), state__in=OPEN_DEADLINE_STATES)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    qs = qs.annotate(
        next_due=Subquery(next_due),
        color_rank=models.Case(
            *(When(color=color, then=Value(rank)) for color, rank in COLOR_RANK.items()),
            default=Value(len(COLOR_RANK)),
            output_field=IntegerField(),
        ),
    ).annotate(
        next_due_nulls=models.Case(
            When(next_due__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    return qs.select_related(
        "category", "region", "handling_center", "assignee", "assigned_department"
    ).order_by(*ORDERINGS.get(filters.order, ORDERINGS["deadline"]))


def queue_counts(*, user: AbstractBaseUser) -> dict[str, int]:
    """How many cases each queue holds, in one query."""
    return case_list_for_user(user=user).aggregate(
        **{
            name: Count("pk", filter=_queue_q(user=user, queue=name))
            for name in (Queue.MINE, Queue.TEAM, Queue.UNCLAIMED)
        }
    )


def mediation_records_for_case(*, case: Case) -> QuerySet[MediationRecord]:
    return (
        MediationRecord.objects.filter(case=case)
        .select_related("mediator", "department")
        .prefetch_related("co_mediators", "sessions", "agreements")
        .order_by("created_at")
    )


def agreement_get_for_user(*, user: AbstractBaseUser, pk: int) -> Agreement:
    agreement = (
        Agreement.objects.filter(pk=pk, record__case__in=case_list_for_user(user=user))
        .select_related("record__case", "record__case__center")
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def notice_list_for_user(*, user: AbstractBaseUser) -> QuerySet[SupervisionNotice]:
    """Notices the user may read: issued within their jurisdiction, or addressed to them or their unit."""
    if user.is_superuser:
        return SupervisionNotice.objects.select_related(*NOTICE_RELATED).prefetch_related("deadlines")
    visible = Q(recipient_person=user) | jurisdiction_q(user=user, field="issuing_center__region")
    profile = staff_profile_get(user=user)
    if profile and profile.center_id:
        visible |= Q(recipient_center_id=profile.center_id)
    if profile and profile.department_id:
        visible |= Q(recipient_department_id=profile.department_id)
    return (
        SupervisionNotice.objects.filter(visible)
        .select_related(*NOTICE_RELATED)
        .prefetch_related("deadlines")
    )


def notice_get_for_user(*, user: AbstractBaseUser, pk: int) -> SupervisionNotice:
    notice = notice_list_for_user(user=user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_inbox(*, user: AbstractBaseUser) -> QuerySet[SupervisionNotice]:
    """Notices addressed to the user, their center or their department; unanswered first."""
    profile = staff_profile_get(user=user)
    addressed = Q(recipient_person=user)
    if profile and profile.center_id:
        addressed |= Q(recipient_center_id=profile.center_id)
    if profile and profile.department_id:
        addressed |= Q(recipient_department_id=profile.department_id)
    return notice_list_for_user(user=user).filter(addressed).order_by("state", "deadlines__due_at")


def notices_for_case(*, case: Case) -> QuerySet[SupervisionNotice]:
    return case.notices.select_related("issuing_center", "issuer").order_by("issued_at")


@dataclass(frozen=True)
class Board:
    overdue_total: int
    overdue_by_tier: list[dict]
    overdue_by_department: list[dict]
    red_cases: list[Case]
    repeat_cases: list[Case]
    open_notices: list[SupervisionNotice]


def supervisor_board(*, user: AbstractBaseUser, limit: int = 20) -> Board:
    """The supervisor's board: overdue cases by tier and department, red and repeat-visit cases, and
    notices this user's center issued that still wait for a reply."""
    cases = case_list_for_user(user=user)
    # The same overdue clocks as the overdue list: a case stays on the board after its clock breaches.
    overdue = cases.filter(pk__in=overdue_list(user=user).values("case_id"))
    open_cases = cases.filter(status__in=ACTIVE_STATUSES).exclude(status=CaseStatus.CLOSED)
    related = ("category", "handling_center", "assignee")
    profile = staff_profile_get(user=user)
    by_tier = [
        {**row, "label": RegionLevel(row["handling_region__level"]).label}
        for row in Case.objects.filter(pk__in=overdue.values("pk"))
        .values("handling_region__level")
        .annotate(n=Count("pk"))
        .order_by("handling_region__level")
    ]
    return Board(
        overdue_total=sum(row["n"] for row in by_tier),
        overdue_by_tier=by_tier,
        overdue_by_department=list(
            Case.objects.filter(pk__in=overdue.values("pk"))
            .values("handling_center__name", "assigned_department__name")
            .annotate(n=Count("pk"))
            .order_by("-n")[:limit]
        ),
        red_cases=list(
            open_cases.filter(color="red").select_related(*related).order_by("received_at")[:limit]
        ),
        repeat_cases=list(
            open_cases.filter(repeat_count__gt=0).select_related(*related).order_by("-repeat_count")[:limit]
        ),
        open_notices=list(
            notice_list_for_user(user=user)
            .filter(state__in=OPEN_NOTICE_STATES, issuing_center_id=profile.center_id if profile else None)
            .order_by("deadlines__due_at")[:limit]
        ),
    )


@dataclass(frozen=True)
class Workspace:
    parties: list
    records: list[MediationRecord]
    timeline: list[dict]
    deadlines: list[Deadline]
    attachments: list
    referrals: list
    follow_ups: list
    relief: list
    notices: list[SupervisionNotice]


def case_workspace(*, case: Case) -> Workspace:
    """Everything the workspace shows for one case, a fixed number of queries whatever its size."""
    notices = list(notices_for_case(case=case))
    return Workspace(
        parties=list(case.case_parties.select_related("party").order_by("role", "pk")),
        records=list(mediation_records_for_case(case=case)),
        timeline=case_timeline(case=case, notices=notices),
        deadlines=list(case_deadlines(case).filter(state__in=RUNNING_DEADLINE_STATES)),
        attachments=list(case.attachments.order_by("uploaded_at")),
        referrals=list(case.referrals.all()),
        follow_ups=list(case.follow_ups.select_related("recorded_by")),
        relief=list(case.relief_measures.order_by("taken_on")),
        notices=notices,
    )


def case_timeline(*, case: Case, notices: list[SupervisionNotice]) -> list[dict]:
    """The case's lifecycle events (dispatch) with the supervision notices about it, oldest first."""
    entries = [
        {"at": event.at, "label": event.get_type_display(), "actor": event.actor, "event": event}
        for event in case_events(case)
    ]
    entries += [
        {"at": notice.issued_at, "label": notice.get_kind_display(), "actor": notice.issuer, "notice": notice}
        for notice in notices
    ]
    return sorted(entries, key=lambda entry: entry["at"])
