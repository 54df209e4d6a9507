"""Mediation's share of each role (collected by grid.roles). Scope — which cases and notices — is the
jurisdiction, applied by mediation.selectors; these say which actions."""

from grid.choices import Role


class MediationPermission:
    # Work cases: start a mediation, record sessions, draft and finalise agreements, referrals, relief.
    MEDIATE = "mediation.mediate_case"
    # Record a follow-up call (回访), which may reopen the case.
    FOLLOW_UP = "mediation.add_followup"
    # Issue supervision notices (county level or higher only, checked in the service).
    ISSUE_NOTICE = "mediation.issue_notice"
    # Sign for and reply to a notice addressed to one's center, department or oneself.
    REPLY_NOTICE = "mediation.reply_notice"
    # See the supervisor's board.
    VIEW_BOARD = "mediation.view_board"


_READ = {
    "mediation.view_mediationrecord",
    "mediation.view_agreement",
    "mediation.view_referral",
    "mediation.view_followup",
    "mediation.view_reliefmeasure",
    "mediation.view_supervisionnotice",
}

ROLE_GRANTS: dict[Role, set[str]] = {
    Role.MEDIATOR: _READ
    | {MediationPermission.MEDIATE, MediationPermission.FOLLOW_UP, MediationPermission.REPLY_NOTICE},
    # Grid workers resolve blue cases in their cell themselves (就地化解).
    Role.GRID_WORKER: _READ | {MediationPermission.MEDIATE},
    Role.CLERK: {"mediation.view_supervisionnotice", MediationPermission.REPLY_NOTICE},
    Role.SUPERVISOR: _READ
    | {
        MediationPermission.ISSUE_NOTICE,
        MediationPermission.REPLY_NOTICE,
        MediationPermission.VIEW_BOARD,
    },
}
