"""The case lifecycle: one step table (steps.STEPS) and one function per step, all through `_transition`.

Every step, inside one transaction: locks the case row and re-reads it, refuses a stale version or a
step the table does not allow (InvalidTransition) or an actor without the permission or jurisdiction
(TransitionForbidden), applies its changes, bumps `version`, saves with update_fields, writes one
CaseEvent, sets or cancels deadlines and queues notifications and timers on commit. This package is the
only writer of Case.status, color, handling_center/region, assignee and assigned_department.

The table lives in steps, `_transition` and `steps_available` in core; the steps in handling (where the
case is), moves (escalation,
hand-down, transfer, suspension) and extensions. Import them from here.
"""

from dispatch.transitions.core import steps_available
from dispatch.transitions.extensions import (
    EXTENSION_MAX_DAYS,
    case_decide_extension,
    case_request_extension,
    extension_decide,
)
from dispatch.transitions.handling import (
    ReportBack,
    case_arbitrate,
    case_assign,
    case_claim,
    case_close,
    case_follow_up,
    case_registered,
    case_reopen,
    case_resolve,
    case_return,
    case_send_back,
    case_sign,
    case_triage,
)
from dispatch.transitions.moves import (
    ESCALATION_CANCELS,
    case_escalate,
    case_hand_down,
    case_resume,
    case_suspend,
    case_transfer,
)
from dispatch.transitions.steps import (
    ACTIVE,
    ALLOWED,
    ESCALATABLE,
    RETURN_WINDOW,
    STEPS,
    Step,
)

__all__ = [
    "STEPS",
    "Step",
    "steps_available",
    "ALLOWED",
    "ACTIVE",
    "ESCALATABLE",
    "RETURN_WINDOW",
    "ReportBack",
    "case_registered",
    "case_triage",
    "case_assign",
    "case_sign",
    "case_return",
    "case_arbitrate",
    "case_claim",
    "case_resolve",
    "case_close",
    "case_send_back",
    "case_follow_up",
    "case_reopen",
    "ESCALATION_CANCELS",
    "case_escalate",
    "case_hand_down",
    "case_transfer",
    "case_suspend",
    "case_resume",
    "case_request_extension",
    "extension_decide",
    "case_decide_extension",
    "EXTENSION_MAX_DAYS",
]
