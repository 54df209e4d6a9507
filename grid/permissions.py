from grid.choices import Role

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.ADMIN: {
        f"grid.{action}_{model}"
        for action in ("view", "add", "change")
        for model in (
            "region",
            "gridcell",
            "center",
            "department",
            "rotaperiod",
            "window",
            "staffprofile",
            "calendaroverride",
        )
    }
    | {
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "grid.delete_rotaperiod",
        "grid.delete_calendaroverride",
    },
    Role.SUPERVISOR: {"grid.view_region", "grid.view_center", "grid.view_department"},
}
