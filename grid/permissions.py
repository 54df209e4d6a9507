from grid.choices import Role

GRID_CONFIGURATION = ("region", "gridcell", "center", "department", "rotaperiod", "window", "staffprofile")

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.ADMIN: {
        f"grid.{action}_{model}" for action in ("view", "add", "change") for model in GRID_CONFIGURATION
    }
    | {f"grid.{action}_calendaroverride" for action in ("view", "add", "change", "delete")}
    | {"grid.delete_rotaperiod", "auth.view_user", "auth.add_user", "auth.change_user"}
    # The audit trail and login lockouts: read, export, and unlock a locked-out clerk.
    | {
        "auditlog.view_logentry",
        "axes.view_accessattempt",
        "axes.view_accesslog",
        "axes.delete_accessattempt",
    },
    Role.SUPERVISOR: {"grid.view_region", "grid.view_center", "grid.view_department"},
}
