"""Proposes who handles a triaged case: blue → the grid cell or village; yellow → the village with the
departments mapped from the category; red → the township's special team (the county may take it over).
The supervisor sees the proposal in the assignment form and may change it."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from dispatch.choices import TriageColor
from dispatch.models import CategoryDepartment
from grid.choices import RegionLevel, Residency, Role
from grid.models import Center, Department, Region
from intake.models import Case


@dataclass(frozen=True)
class RouteProposal:
    # "grid", "village", "department" or "township_team": which kind of unit the rule picked.
    unit: str
    department: Department | None = None
    assignee: AbstractBaseUser | None = None
    departments: list[Department] = field(default_factory=list)


def department_present(department: Department, day: dt.date) -> bool:
    """Resident departments are always there; rotating ones only inside a rota period."""
    if department.residency == Residency.RESIDENT:
        return True
    if department.residency == Residency.ROTATING:
        return department.rota.filter(starts_on__lte=day, ends_on__gte=day).exists()
    return False


def departments_for(case: Case, *, day: dt.date) -> list[Department]:
    """Departments mapped from the case's category at the handling center (or the nearest center above
    that has any): present today first, then on-call ones; absent rotating ones are left out."""
    kinds = list(
        CategoryDepartment.objects.filter(category__in=_category_chain(case)).values_list(
            "department_kind", flat=True
        )
    )
    if not kinds:
        return []
    for region in case.handling_region.get_ancestors(ascending=True, include_self=True):
        candidates = list(Department.objects.filter(center__region=region, kind__in=kinds))
        present = [d for d in candidates if department_present(d, day)]
        on_call = [d for d in candidates if d.residency == Residency.ON_CALL]
        ordered = sorted(present, key=lambda d: kinds.index(d.kind)) + sorted(
            on_call, key=lambda d: kinds.index(d.kind)
        )
        if ordered:
            return ordered
    return []


def route_propose(case: Case, *, color: str | None = None, day: dt.date | None = None) -> RouteProposal:
    color = color or case.color or TriageColor.BLUE
    day = day or timezone.localdate()
    if color == TriageColor.RED:
        township = _ancestor_at(case.region, RegionLevel.TOWNSHIP) or case.handling_region
        # The special team's handler; the supervisor (政法委员's office) is the fallback contact.
        team = _staff(township, Role.MEDIATOR) or _staff(township, Role.SUPERVISOR)
        return RouteProposal("township_team", assignee=team)
    if color == TriageColor.YELLOW:
        departments = departments_for(case, day=day)
        village = _ancestor_at(case.region, RegionLevel.VILLAGE)
        assignee = _staff(village, Role.MEDIATOR) if village else None
        if assignee is None and departments:
            assignee = (
                get_user_model()
                .objects.filter(is_active=True, staff_profile__department=departments[0])
                .first()
            )
        return RouteProposal(
            "department",
            department=departments[0] if departments else None,
            assignee=assignee,
            departments=departments,
        )
    if case.grid_cell_id:
        worker = _users(Role.GRID_WORKER).filter(staff_profile__grid_cell=case.grid_cell).first()
        if worker:
            return RouteProposal("grid", assignee=worker)
    village = _ancestor_at(case.region, RegionLevel.VILLAGE)
    assignee = (_staff(village, Role.GRID_WORKER) or _staff(village, Role.MEDIATOR)) if village else None
    return RouteProposal("village", assignee=assignee)


def _category_chain(case: Case) -> list[int]:
    return [pk for pk in (case.category_id, case.category.parent_id) if pk]


def _ancestor_at(region: Region, level: int) -> Region | None:
    return region.get_ancestors(include_self=True).filter(level=level).first()


def _users(role: Role) -> QuerySet:
    return get_user_model().objects.filter(is_active=True, groups__name=role.value).order_by("pk")


def _staff(region: Region, role: Role) -> AbstractBaseUser | None:
    return _users(role).filter(staff_profile__region=region).first()


def center_above(region: Region) -> Center | None:
    """The center of the nearest ancestor region that has one (tiers without a center are skipped)."""
    return (
        Center.objects.filter(region__in=region.get_ancestors())
        .select_related("region")
        .order_by("-region__level")
        .first()
    )


def centers_below(region: Region) -> QuerySet[Center]:
    """Centers strictly inside `region`'s subtree, nearest tier first: where its center may hand a case
    down (下沉交办)."""
    return (
        Center.objects.filter(region__in=region.get_descendants())
        .select_related("region")
        .order_by("region__level", "region__code")
    )
