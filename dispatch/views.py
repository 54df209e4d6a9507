"""The dispatch pages: triage board, assignment and escalation forms, case timeline, overdue list,
inbox. Thin: fetch through selectors, call a transition, report its error code as a message."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dispatch import selectors, transitions
from dispatch.choices import CaseStatus
from dispatch.exceptions import InvalidTransition
from dispatch.forms import AssignForm, ReasonForm, TransferForm, TriageForm
from dispatch.messages import error_message
from dispatch.permissions import DispatchPermission
from dispatch.routing import center_above, route_propose
from dispatch.services import notifications_mark_read
from dispatch.triage import propose_color
from intake.models import Case
from intake.permissions import IntakePermission
from zhongxin.pages import run_service


@login_required
@permission_required(DispatchPermission.TRIAGE, raise_exception=True)
def triage_board(request: HttpRequest) -> HttpResponse:
    """Untriaged cases with the proposed colour and its reasons, and the cases waiting for a unit."""
    cases = list(selectors.triage_board(user=request.user)[:100])
    rows = []
    for case in cases:
        color, reasons = propose_color(case)
        rows.append({"case": case, "proposed": color, "reasons": reasons,
                     "reopened": case.status == CaseStatus.REOPENED, "form": TriageForm(
            initial={"color": color, "version": case.version}, auto_id=f"id_{case.number}_%s"
        )})  # fmt: skip
    context = {"rows": rows, "queue": selectors.assignment_queue(user=request.user)[:100]}
    return render(request, "dispatch/triage_board.html", context)


@login_required
@permission_required(DispatchPermission.TRIAGE, raise_exception=True)
@require_POST
def triage(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择分级"))
        return redirect("dispatch:triage_board")
    data = form.cleaned_data
    _run(request, lambda: transitions.case_triage(
        case, actor=request.user, color=data["color"], reason=data["reason"], expected_version=data["version"]
    ), _("已分级：%(number)s") % {"number": number})  # fmt: skip
    return redirect("dispatch:triage_board")


@login_required
@permission_required(DispatchPermission.ASSIGN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, number: str) -> HttpResponse:
    """The assignment form, pre-filled with the routing proposal for the case's colour."""
    case = selectors.case_get_for_user(user=request.user, number=number)
    proposal = route_propose(case)
    if request.method == "POST":
        form = AssignForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            done = _run(request, lambda: transitions.case_assign(
                case, actor=request.user, department=data["department"], assignee=data["assignee"],
                reason=data["reason"], expected_version=data["version"],
            ), _("已交办：%(number)s") % {"number": number})  # fmt: skip
            if done:
                return redirect("dispatch:case", number=number)
    else:
        form = AssignForm(
            user=request.user,
            initial={
                "department": proposal.department,
                "assignee": proposal.assignee,
                "version": case.version,
            },
        )
    return render(request, "dispatch/assign.html", {"case": case, "form": form, "proposal": proposal})


@login_required
@permission_required(DispatchPermission.ESCALATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = ReasonForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _run(request, lambda: transitions.case_escalate(
            case, actor=request.user, reason=data["reason"], expected_version=data["version"]
        ), _("已提级至上级综治中心"))  # fmt: skip
        if done:
            return redirect("dispatch:case", number=number)
    higher = center_above(case.handling_region)
    return render(request, "dispatch/escalate.html", {"case": case, "form": form, "higher": higher})


# Steps taken from the case page with at most a reason: name → (transition, needs a reason, done message).
SIMPLE_STEPS: dict[str, tuple[Callable, bool, object]] = {
    "sign": (transitions.case_sign, False, gettext_lazy("已签收")),
    "claim": (transitions.case_claim, False, gettext_lazy("已认领")),
    "resume": (transitions.case_resume, False, gettext_lazy("已恢复办理")),
    "return": (transitions.case_return, True, gettext_lazy("已退单")),
    "suspend": (transitions.case_suspend, True, gettext_lazy("已中止")),
    "reopen": (transitions.case_reopen, True, gettext_lazy("已重新办理")),
    "send_back": (transitions.case_send_back, True, gettext_lazy("已退回重办")),
}


@login_required
@require_POST
def step(request: HttpRequest, number: str, name: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    if name not in SIMPLE_STEPS:
        raise Http404
    transition, needs_reason, done = SIMPLE_STEPS[name]
    form = ReasonForm(request.POST) if needs_reason else None
    if form is not None and not form.is_valid():
        messages.error(request, _("请填写理由"))
        return redirect("dispatch:case", number=number)
    posted = request.POST.get("version")
    if posted is not None and not (posted.isascii() and posted.isdigit()):
        # Not a version this site rendered: answered like an outdated page, not with a 500.
        messages.error(request, error_message(InvalidTransition("stale_version")))
        return redirect("dispatch:case", number=number)
    version = int(posted) if posted is not None else case.version
    extra = {"reason": form.cleaned_data["reason"]} if form is not None else {}
    _run(request, lambda: transition(case, actor=request.user, expected_version=version, **extra), str(done))
    return redirect("dispatch:case", number=number)


@login_required
@permission_required(DispatchPermission.TRANSFER, raise_exception=True)
@require_POST
def transfer(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = TransferForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _run(request, lambda: transitions.case_transfer(
            case, actor=request.user, to=data["to"], reason=data["reason"], expected_version=data["version"]
        ), _("已转办"))  # fmt: skip
    else:
        messages.error(request, _("请选择转办去向并填写理由"))
    return redirect("dispatch:case", number=number)


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
def case_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """全流程: every event of the case, with its clocks counting down."""
    case = selectors.case_get_for_user(user=request.user, number=number)
    context = {
        "case": case,
        "events": selectors.case_events(case),
        "deadlines": selectors.case_deadlines(case),
        "now": timezone.now(),
        "reason_form": ReasonForm(initial={"version": case.version}),
        "transfer_form": TransferForm(initial={"version": case.version}),
        "escalations": case.escalations.select_related("from_center", "to_center"),
        "available": _available_steps(case, request.user),
    }
    return render(request, "dispatch/case.html", context)


@login_required
@permission_required(DispatchPermission.REVIEW, raise_exception=True)
def overdue(request: HttpRequest) -> HttpResponse:
    deadlines = selectors.overdue_list(user=request.user)[:200]
    return render(request, "dispatch/overdue.html", {"deadlines": deadlines, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isascii() and pk.isdigit()]
        notifications_mark_read(user=request.user, ids=ids or None)
        messages.success(request, _("已标为已读。"))
        return redirect("dispatch:inbox")
    context = {
        "notifications": selectors.notification_list(user=request.user)[:100],
        "unread": selectors.notification_unread_count(user=request.user),
    }
    return render(request, "dispatch/inbox.html", context)


def _available_steps(case: Case, user) -> set[str]:
    """Which buttons the case page shows; the transitions still decide (a stale page gets a message)."""
    status, mine = case.status, case.assignee_id == user.pk
    S = CaseStatus
    offered = {
        "assign": status in (S.TRIAGED, S.ESCALATED) and user.has_perm(DispatchPermission.ASSIGN),
        "sign": status == S.ASSIGNED and mine,
        "return": status == S.ASSIGNED and mine,
        "claim": status in (S.TRIAGED, S.ASSIGNED)
        and not case.assignee_id
        and user.has_perm(DispatchPermission.HANDLE),
        "escalate": status in transitions.ESCALATABLE and user.has_perm(DispatchPermission.ESCALATE),
        "suspend": status in transitions.ACTIVE and user.has_perm(DispatchPermission.SUSPEND),
        "resume": status == S.SUSPENDED and user.has_perm(DispatchPermission.SUSPEND),
        "transfer": status in transitions.ACTIVE and user.has_perm(DispatchPermission.TRANSFER),
        "reopen": status in (S.CLOSED, S.FOLLOWED_UP) and user.has_perm(DispatchPermission.REVIEW),
        "send_back": status == S.CLOSED and user.has_perm(DispatchPermission.REVIEW),
    }
    return {name for name, shown in offered.items() if shown}


def _run(request: HttpRequest, action: Callable[[], Case], done: str) -> bool:
    # A step this user may not take is the 403 page, not a stale page (zhongxin.pages).
    return run_service(request, action, done)
