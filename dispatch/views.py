"""The dispatch pages: triage board, assignment and escalation forms, case timeline, overdue list,
inbox. Thin: fetch through selectors, call a transition, report its error code as a message."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dispatch import selectors, tracking, transitions
from dispatch.choices import CaseStatus
from dispatch.deadlines import extended_due
from dispatch.exceptions import InvalidTransition
from dispatch.forms import (
    AssignForm,
    ExtensionDecisionForm,
    ExtensionForm,
    HandDownForm,
    ReasonForm,
    TrackForm,
    TransferForm,
    TriageForm,
)
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
    run_service(request, lambda: transitions.case_triage(
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
            done = run_service(request, lambda: transitions.case_assign(
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
        done = run_service(request, lambda: transitions.case_escalate(
            case, actor=request.user, reason=data["reason"], expected_version=data["version"]
        ), _("已提级至上级综治中心"))  # fmt: skip
        if done:
            return redirect("dispatch:case", number=number)
    higher = center_above(case.handling_region)
    return render(request, "dispatch/escalate.html", {"case": case, "form": form, "higher": higher})


@login_required
@permission_required(DispatchPermission.ESCALATE, raise_exception=True)
@require_POST
def hand_down(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = HandDownForm(_posted(request, case), case=case)
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: transitions.case_hand_down(
            case, actor=request.user, to_center=data["to_center"], reason=data["reason"],
            expected_version=data["version"],
        ), _("已下沉交办至%(center)s") % {"center": data["to_center"].name})  # fmt: skip
    else:
        messages.error(request, _("请选择下级综治中心并填写理由"))
    return redirect("dispatch:case", number=number)


@login_required
@permission_required(DispatchPermission.HANDLE, raise_exception=True)
@require_POST
def request_extension(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = ExtensionForm(_posted(request, case))
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: transitions.case_request_extension(
            case, actor=request.user, reason=data["reason"], extra_days=data["extra_days"],
            new_due_date=data["new_due_date"], expected_version=data["version"],
        ), _("已申请延期，待督办人员审批"))  # fmt: skip
    else:
        messages.error(request, _("请填写延期理由，以及延长的工作日数或新的到期日期"))
    return redirect("dispatch:case", number=number)


@login_required
@permission_required(DispatchPermission.REVIEW, raise_exception=True)
def extensions(request: HttpRequest) -> HttpResponse:
    """待审批延期: the requests this supervisor decides, with where approval would put each clock."""
    pending = selectors.extension_pending_list(user=request.user)[:200]
    return render(request, "dispatch/extensions.html", {"rows": _with_new_due(pending)})


@login_required
@permission_required(DispatchPermission.REVIEW, raise_exception=True)
@require_POST
def decide_extension(request: HttpRequest, number: str, decision: str) -> HttpResponse:
    if decision not in ("approve", "refuse"):
        raise Http404
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = ExtensionDecisionForm(_posted(request, case))
    if form.is_valid():
        data, approve = form.cleaned_data, decision == "approve"
        done = _("已批准延期：%(number)s") if approve else _("已不予批准延期：%(number)s")
        run_service(request, lambda: transitions.case_decide_extension(
            case, actor=request.user, approve=approve, note=data["note"], extension=data["extension"],
            expected_version=data["version"],
        ), done % {"number": number})  # fmt: skip
    else:
        messages.error(request, error_message(InvalidTransition("stale_version")))
    return redirect("dispatch:extensions")


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
    run_service(
        request, lambda: transition(case, actor=request.user, expected_version=version, **extra), str(done)
    )
    return redirect("dispatch:case", number=number)


@login_required
@permission_required(DispatchPermission.TRANSFER, raise_exception=True)
@require_POST
def transfer(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = TransferForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run_service(request, lambda: transitions.case_transfer(
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
        # Which buttons the page shows; the step still decides (a stale page gets a message).
        "available": transitions.steps_available(case, request.user),
        "extension_form": ExtensionForm(initial={"version": case.version}),
        "max_extension_days": transitions.EXTENSION_MAX_DAYS,
        "hand_down_form": HandDownForm(case=case, initial={"version": case.version}),
        "pending_extensions": _with_new_due(selectors.case_pending_extensions(case)),
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
        "groups": selectors.notification_groups(user=request.user),
        "unread": selectors.notification_unread_count(user=request.user),
    }
    return render(request, "dispatch/inbox.html", context)


def _posted(request: HttpRequest, case: Case) -> QueryDict:
    """The posted form; one without a version (not sent by this site's page) acts on the current version,
    as `step` does, so the transition's guard answers it."""
    data = request.POST.copy()
    data.setdefault("version", str(case.version))
    return data


def _with_new_due(requests) -> list[dict]:
    """Pending extension requests with where approval would put each clock (the function approval uses)."""
    return [{"request": r, "new_due": extended_due(r.deadline, r.extra_days)} for r in requests]


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """办理进度查询 for residents (no login): the same lookup, limits and audit as the public API."""
    form = TrackForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context["progress"] = tracking.progress_lookup(request=request, **form.cleaned_data)
        except tracking.LookupRefused:
            context["refused"] = True
            return render(request, "dispatch/track.html", context, status=429)
        context["missed"] = context["progress"] is None
    return render(request, "dispatch/track.html", context)
