"""What each role may do in the lifecycle; the scope (which cases) is the jurisdiction rule."""

from enum import StrEnum

from grid.choices import Role


class DispatchPermission(StrEnum):
    TRIAGE = "dispatch.triage_case"
    ASSIGN = "dispatch.assign_case"
    HANDLE = "dispatch.handle_case"
    ESCALATE = "dispatch.escalate_case"
    TRANSFER = "dispatch.transfer_case"
    SUSPEND = "dispatch.suspend_case"
    REVIEW = "dispatch.review_case"


_CONFIG = {
    f"dispatch.{action}_{model}"
    for action in ("view", "add", "change")
    for model in ("deadlinepolicy", "triagerule", "categorydepartment")
} | {"dispatch.delete_triagerule", "dispatch.delete_categorydepartment"}

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.SUPERVISOR: {
        DispatchPermission.TRIAGE,
        DispatchPermission.ASSIGN,
        DispatchPermission.ESCALATE,
        DispatchPermission.TRANSFER,
        DispatchPermission.SUSPEND,
        DispatchPermission.REVIEW,
    },
    Role.MEDIATOR: {DispatchPermission.HANDLE, DispatchPermission.SUSPEND, DispatchPermission.ESCALATE},
    Role.GRID_WORKER: {DispatchPermission.HANDLE},
    Role.CLERK: {DispatchPermission.TRANSFER},
    Role.ADMIN: _CONFIG,
}
