"""Reads for the tier tree. Jurisdiction is one rule: a user sees the subtree of their region."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from grid.models import Center, Department, Region, StaffProfile


def staff_profile_get(*, user: AbstractBaseUser | AnonymousUser) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def jurisdiction_root(*, user: AbstractBaseUser | AnonymousUser) -> Region | None:
    profile = staff_profile_get(user=user)
    return profile.region if profile else None


def subtree_q(region: Region, *, field: str = "") -> Q:
    """A filter matching `region` and everything under it: one range test on the MPTT index."""
    prefix = f"{field}__" if field else ""
    return Q(
        **{
            f"{prefix}tree_id": region.tree_id,
            f"{prefix}lft__gte": region.lft,
            f"{prefix}rght__lte": region.rght,
        }
    )


def jurisdiction_q(*, user: AbstractBaseUser | AnonymousUser, field: str = "") -> Q:
    """What `user` may see, as a filter on a region relation `field` ("" when filtering regions)."""
    if user.is_authenticated and user.is_superuser:
        return Q()
    root = jurisdiction_root(user=user)
    if root is None:
        return Q(pk__in=[])
    return subtree_q(root, field=field)


def region_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Region]:
    """The regions this user may see (their subtree), as one indexed range query."""
    return Region.objects.filter(jurisdiction_q(user=user))


def region_in_jurisdiction(*, user: AbstractBaseUser | AnonymousUser, region: Region) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    root = jurisdiction_root(user=user)
    return (
        bool(root) and root.tree_id == region.tree_id and root.lft <= region.lft and region.rght <= root.rght
    )


def region_children(*, user: AbstractBaseUser | AnonymousUser, parent: Region | None) -> QuerySet[Region]:
    qs = region_list_for_user(user=user)
    return qs.filter(parent=parent) if parent else qs.filter(parent__isnull=True)


def region_search(*, user: AbstractBaseUser | AnonymousUser, term: str, limit: int = 20) -> QuerySet[Region]:
    """Name or code search within the user's jurisdiction; a code prefix uses the unique index."""
    qs = region_list_for_user(user=user)
    term = term.strip()
    if term.isdigit():
        qs = qs.filter(code__startswith=term)
    else:
        qs = qs.filter(name__contains=term)
    return qs.order_by("level", "code")[:limit]


def region_ancestors(*, region: Region) -> QuerySet[Region]:
    return region.get_ancestors(include_self=True)


def center_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Center]:
    return Center.objects.filter(jurisdiction_q(user=user, field="region")).select_related("region")


def department_list_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Department]:
    return Department.objects.filter(jurisdiction_q(user=user, field="center__region")).select_related(
        "center"
    )
