"""Intake's share of each role (collected by grid.roles). Scope — which cases — is the jurisdiction,
applied by intake.selectors; these say which actions."""

from grid.choices import Role


class IntakePermission:
    # Register a matter (desk form, grid report, API create).
    ADD_CASE = "intake.add_case"
    # Read cases in one's jurisdiction.
    VIEW_CASE = "intake.view_case"
    # Record a repeat visit on an open case instead of registering it again.
    ADD_REPEAT_VISIT = "intake.add_repeatvisit"
    # See parties' ID numbers and phones unmasked; every showing is logged (IdentityView).
    VIEW_FULL_IDENTITY = "intake.view_full_identity"
    # Invite someone outside the jurisdiction onto one case (an object grant, intake.services.case_invite).
    INVITE = "intake.change_case"


_REGISTER = {
    "intake.add_case",
    "intake.view_case",
    "intake.add_party",
    "intake.view_party",
    "intake.add_caseparty",
    "intake.add_attachment",
    "intake.view_attachment",
    "intake.view_category",
}

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.CLERK: _REGISTER | {"intake.add_repeatvisit", "intake.view_repeatvisit"},
    Role.GRID_WORKER: _REGISTER,
    # Mediators must call the parties back within 30 minutes: they see phones and ID numbers in full.
    Role.MEDIATOR: {
        "intake.view_case",
        "intake.view_party",
        "intake.view_attachment",
        "intake.view_category",
        "intake.view_repeatvisit",
        "intake.view_full_identity",
    },
    # Supervisors make follow-up calls (回访) and audit who looked at whose identity.
    Role.SUPERVISOR: {
        "intake.view_case",
        "intake.view_party",
        "intake.view_attachment",
        "intake.view_category",
        "intake.view_repeatvisit",
        "intake.view_full_identity",
        "intake.view_identityview",
        IntakePermission.INVITE,
    },
    # Admins keep the category taxonomy and can audit identity views; they do not read cases.
    Role.ADMIN: {
        "intake.view_category",
        "intake.add_category",
        "intake.change_category",
        "intake.view_identityview",
    },
}
