from grid.choices import Role

VIEW_DASHBOARD = "analytics.view_dashboard"
ISSUE_REPORT = "analytics.issue_report"

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.SUPERVISOR: {VIEW_DASHBOARD, ISSUE_REPORT, "analytics.view_reportissue"},
    Role.ADMIN: {
        VIEW_DASHBOARD,
        "analytics.view_reportissue",
        "analytics.view_warningthreshold",
        "analytics.add_warningthreshold",
        "analytics.change_warningthreshold",
        "analytics.delete_warningthreshold",
    },
}
