"""Who may take a lifecycle step: the permission, the jurisdiction, and the handler rules. Called by
dispatch.transitions with the case row locked."""

from django.contrib.auth.models import AbstractBaseUser

from dispatch.exceptions import TransitionForbidden, TransitionInputError
from dispatch.permissions import DispatchPermission
from dispatch.services import center_supervisors
from grid.models import Department, Region
from grid.selectors import region_in_jurisdiction, staff_profile_get
from intake.models import Case

Actor = AbstractBaseUser | None


def authorize(case: Case, actor: Actor, permission: str) -> None:
    """System steps (timers) have no actor. People need the permission and the case in their jurisdiction;
    a handler may also act on a case handed to them or their department outside it."""
    if actor is None:
        return
    if not actor.has_perm(permission):
        raise TransitionForbidden("permission_denied")
    if region_in_jurisdiction(user=actor, region=case.handling_region):
        return
    if permission == DispatchPermission.HANDLE and _is_handler(case, actor):
        return
    raise TransitionForbidden("outside_jurisdiction")


def _is_handler(case: Case, actor: AbstractBaseUser) -> bool:
    if case.assignee_id == actor.pk:
        return True
    profile = staff_profile_get(user=actor)
    if profile is None:
        return False
    if case.assigned_department_id and profile.department_id == case.assigned_department_id:
        return True
    # An unassigned case in the handler's own area (e.g. a blue case in the grid worker's village).
    return case.assignee_id is None and region_in_jurisdiction(user=actor, region=case.region)


def require_handler(case: Case, actor: Actor) -> None:
    """Once a person is responsible, only they act for the unit."""
    if actor is not None and case.assignee_id and case.assignee_id != actor.pk:
        raise TransitionForbidden("not_assignee")


def require_center_supervisor(case: Case, actor: Actor) -> None:
    """Decisions that belong to the handling center (an extension): only its own supervisors (or the
    tier's above when it has none, the ones it notifies) take them, not another center's."""
    if actor is not None and not center_supervisors(case.handling_center).filter(pk=actor.pk).exists():
        raise TransitionForbidden("not_center_supervisor")


def check_handlers_in_scope(
    actor: Actor, department: Department | None, assignee: AbstractBaseUser | None
) -> None:
    if actor is None:
        return
    if department is not None and not region_in_jurisdiction(user=actor, region=department.center.region):
        raise TransitionInputError("department", "department_outside_jurisdiction")
    profile = staff_profile_get(user=assignee) if assignee is not None else None
    if assignee is not None and (profile is None or not _related_regions(actor, profile.region)):
        raise TransitionInputError("assignee", "assignee_outside_jurisdiction")


def _related_regions(actor: AbstractBaseUser, region: Region) -> bool:
    """The assignee works in the actor's subtree, or above it (a red case may go to the county team)."""
    if region_in_jurisdiction(user=actor, region=region):
        return True
    root = staff_profile_get(user=actor)
    return (
        root is not None
        and region.tree_id == root.region.tree_id
        and region.lft < root.region.lft < region.rght
    )
