"""Reads for the case register. Visibility is applied here, in one rule every app uses: a user sees the
cases that happened in, or are handled in, their region subtree (grid.selectors.jurisdiction_q), plus
cases they were explicitly invited onto (a django-guardian grant, see intake.services.case_invite)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermission

from grid.models import Center, Region
from grid.selectors import jurisdiction_q, staff_profile_get
from intake.choices import FINISHED_STATUSES
from intake.models import Case, CaseParty, Category, Party
from intake.validators import normalize_id_number, normalize_phone

User = AbstractBaseUser | AnonymousUser

DUPLICATE_WINDOW_DAYS = 30


def case_visibility_q(*, user: User, prefix: str = "") -> Q:
    """The cases `user` may see, as a filter on a case relation `prefix` ("" when filtering cases)."""
    scope = jurisdiction_q(user=user, field=f"{prefix}region") | jurisdiction_q(
        user=user, field=f"{prefix}handling_region"
    )
    if not user.is_authenticated or user.is_superuser:
        return scope
    # The person a case is handed to works on it wherever it lies (dispatch.guards.authorize lets them).
    scope |= Q(**{f"{prefix}assignee": user})
    # An explicit grant reaches beyond the subtree: one indexed subquery on guardian's grant table.
    granted = UserObjectPermission.objects.filter(
        user=user,
        permission__codename="view_case",
        content_type__app_label="intake",
        content_type__model="case",
    ).values("object_pk")
    return scope | Q(
        **{f"{prefix}pk__in": granted.annotate(pk_int=Cast("object_pk", BigIntegerField())).values("pk_int")}
    )


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    """Cases whose place of occurrence or handling tier lies in the user's subtree, handed to them, or
    granted to them."""
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(case_visibility_q(user=user))


def case_get_for_user(*, user: User, number: str) -> Case:
    """The case with this number, or Http404 if it does not exist or lies outside the user's scope."""
    case = (
        case_list_for_user(user=user)
        .select_related("category__parent", "region", "grid_cell", "center__region", "window", "received_by")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404("case not found")
    return case


def case_parties(*, case: Case) -> list[CaseParty]:
    return list(case.case_parties.select_related("party").order_by("id"))


def with_parties_for(cases: list[Case]) -> None:
    """Sets `case.party_rows` (CaseParty with party, in entry order) on each case, in one query."""
    by_case: dict[int, list[CaseParty]] = {case.pk: [] for case in cases}
    for row in CaseParty.objects.filter(case__in=cases).select_related("party").order_by("id"):
        by_case[row.case_id].append(row)
    for case in cases:
        case.party_rows = by_case[case.pk]


def case_list_received_today(
    *, user: User, center: Center | None, window_id: int | None = None, term: str = ""
) -> QuerySet[Case]:
    """Today's registrations (Asia/Shanghai day) at a center — or one of its windows — that the user may
    see, newest first; `term` matches the case number, a party's name, phone or ID number."""
    if center is None:
        return Case.objects.none()
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = case_list_for_user(user=user).filter(
        center=center, received_at__gte=start, received_at__lt=start + dt.timedelta(days=1)
    )
    if window_id:
        qs = qs.filter(window_id=window_id)
    return case_search(queryset=qs, term=term)


def case_count_received_today_by_channel(*, user: User, center: Center | None) -> dict[str, int]:
    rows = case_list_received_today(user=user, center=center).order_by().values("channel")
    return dict(rows.annotate(n=Count("id")).values_list("channel", "n"))


def case_search(*, queryset: QuerySet[Case], term: str) -> QuerySet[Case]:
    term = (term or "").strip()
    if not term:
        return queryset.select_related("category__parent", "region", "received_by").order_by("-received_at")
    phone, id_number = normalize_phone(term), normalize_id_number(term)
    party_match = (
        Q(name__contains=term)
        | Q(phone=phone)
        | Q(id_number=id_number)
        # the tail a resident reads out ("尾号1234"), never a full scan for short inputs
        | (Q(phone__endswith=phone) if len(phone) >= 4 and phone.isdigit() else Q(pk__in=[]))
        | (Q(id_number__endswith=id_number) if len(id_number) >= 4 else Q(pk__in=[]))
    )
    matched = CaseParty.objects.filter(party__in=Party.objects.filter(party_match)).values("case_id")
    return (
        queryset.filter(Q(number__icontains=term) | Q(pk__in=matched))
        .select_related("category__parent", "region", "received_by")
        .order_by("-received_at")
    )


@dataclass
class DuplicateCandidate:
    case: Case
    reasons: list[str] = field(default_factory=list)


def duplicate_candidates(
    *,
    user: User,
    id_numbers: Iterable[str] = (),
    phones: Iterable[str] = (),
    region: Region | None = None,
    category: Category | None = None,
    now: dt.datetime | None = None,
    exclude_pk: int | None = None,
    limit: int = 10,
) -> list[DuplicateCandidate]:
    """Open cases the user may see that may be the same matter: a party with the same ID number or phone
    (any age), or the same place and kind within the last 30 days. Each says why it was matched."""
    id_numbers = {normalize_id_number(v) for v in id_numbers if v and len(normalize_id_number(v)) >= 15}
    phones = {normalize_phone(v) for v in phones if v and len(normalize_phone(v)) >= 7}
    open_cases = case_list_for_user(user=user).exclude(status__in=FINISHED_STATUSES)
    if exclude_pk:
        open_cases = open_cases.exclude(pk=exclude_pk)
    found: dict[int, DuplicateCandidate] = {}

    def add(cases: QuerySet[Case], reason: str) -> None:
        for case in cases.select_related("category__parent", "region").order_by("-received_at")[:limit]:
            found.setdefault(case.pk, DuplicateCandidate(case)).reasons.append(reason)

    if id_numbers:
        add(open_cases.filter(case_parties__party__id_number__in=id_numbers).distinct(), "same_id_number")
    if phones:
        add(open_cases.filter(case_parties__party__phone__in=phones).distinct(), "same_phone")
    if region is not None and category is not None:
        since = (now or timezone.now()) - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
        add(
            open_cases.filter(region=region, category=category, received_at__gte=since),
            "same_region_and_category",
        )
    ordered = sorted(found.values(), key=lambda c: (-len(c.reasons), -c.case.received_at.timestamp()))
    return ordered[:limit]


DUPLICATE_REASON_LABELS = {
    "same_id_number": _("身份证号相同"),
    "same_phone": _("联系电话相同"),
    "same_region_and_category": _("30日内同地同类"),
}


def category_kinds_active() -> QuerySet[Category]:
    """Kinds a new case may use: active, under an active class."""
    return (
        Category.objects.filter(parent__isnull=False, is_active=True, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent__code", "sort_order", "code")
    )


def category_tree(*, include_retired: bool = False) -> list[dict]:
    """Classes with their kinds, for choosers and the API."""
    classes = Category.objects.filter(parent__isnull=True).order_by("sort_order", "code")
    kinds = Category.objects.filter(parent__isnull=False).order_by("sort_order", "code")
    if not include_retired:
        classes, kinds = classes.filter(is_active=True), kinds.filter(is_active=True)
    by_parent: dict[int, list[Category]] = {}
    for kind in kinds:
        by_parent.setdefault(kind.parent_id, []).append(kind)
    return [{"category": cls, "kinds": by_parent.get(cls.pk, [])} for cls in classes if by_parent.get(cls.pk)]


def intake_center_for_user(*, user: User) -> Center | None:
    """The center a user registers at: their own, or for a grid worker the nearest center above their
    grid cell (the community's, else the township's ...)."""
    profile = staff_profile_get(user=user)
    if profile is None:
        return None
    if profile.center_id:
        return profile.center
    start = profile.grid_cell.region if profile.grid_cell_id else profile.region
    ancestors = start.get_ancestors(include_self=True)
    return Center.objects.filter(region__in=ancestors).order_by("-region__level").first()
