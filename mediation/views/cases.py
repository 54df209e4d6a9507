"""Pages for the mediators' queues and the case workspace; each action posts to one thin view."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dispatch.exceptions import InvalidTransition, TransitionForbidden
from dispatch.permissions import DispatchPermission
from dispatch.transitions import case_claim, steps_available
from grid.selectors import department_list_for_user, region_list_for_user, staff_profile_get
from intake.choices import WORKING_STATUSES, CaseStatus
from intake.masking import can_view_full_identity, mask_id_number, mask_phone, party_identities_for
from intake.selectors import category_kinds_active
from mediation import forms, services
from mediation.exceptions import MediationError
from mediation.permissions import MediationPermission
from mediation.selectors import (
    Queue,
    QueueFilters,
    agreement_get_for_user,
    case_get_for_user,
    case_queue,
    case_workspace,
    queue_counts,
)
from mediation.views.common import require_perm, run_service

PAGE_SIZE = 50
QUEUE_TITLES = {
    Queue.MINE: gettext_lazy("我的案件"),
    Queue.TEAM: gettext_lazy("本单位案件"),
    Queue.UNCLAIMED: gettext_lazy("待认领案件"),
}


@login_required
def queue(request: HttpRequest, name: str) -> HttpResponse:
    """One queue, filtered and sorted, 50 rows a page: one query for the page and one for its count."""
    require_perm(request, "mediation.view_mediationrecord")
    form = forms.QueueFilterForm(request.GET or None)
    filters = QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = QueueFilters(
            status=data["status"], category=data["category"], region=data["region"], order=data["order"]
        )
    page = Paginator(case_queue(user=request.user, queue=name, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "mediation/queue.html",
        {
            "queue": name,
            "title": QUEUE_TITLES[name],
            "page": page,
            "form": form,
            "filters": filters,
            "counts": queue_counts(user=request.user),
            "categories": category_kinds_active(),
            "regions": region_list_for_user(user=request.user).filter(level__lte=4).order_by("level", "code"),
            "query": query.urlencode(),
            "statuses": CaseStatus.choices,
            "now": timezone.now(),
        },
    )


@login_required
def workspace(request: HttpRequest, number: str) -> HttpResponse:
    require_perm(request, "mediation.view_mediationrecord")
    case = case_get_for_user(user=request.user, number=number)
    data = case_workspace(case=case)
    identities = party_identities_for(
        request.user, [link.party for link in data.parties], request=request, case=case, context="mediation"
    )
    profile = staff_profile_get(user=request.user)
    colleagues = (
        get_user_model()
        .objects.filter(
            staff_profile__center_id=profile.center_id if profile else None, groups__name="mediator"
        )
        .exclude(pk=request.user.pk)
    )
    draft = next((a for r in data.records for a in r.agreements.all() if not a.is_final), None)
    return render(
        request,
        "mediation/workspace.html",
        {
            "case": case,
            "data": data,
            "parties": [(link, identities[link.party_id]) for link in data.parties],
            "is_mine": case.assignee_id == request.user.pk,
            "stage": _stage(case),
            "can_mediate": request.user.has_perm(MediationPermission.MEDIATE),
            "can_follow_up": request.user.has_perm(MediationPermission.FOLLOW_UP),
            # The lifecycle steps this user may take now (claim, close, follow up, reopen): dispatch's table.
            "steps": steps_available(case, request.user),
            "start_form": forms.MediationStartForm(
                departments=department_list_for_user(user=request.user), colleagues=colleagues
            ),
            "session_form": forms.SessionForm(initial={"held_at": timezone.localtime()}),
            "agreement_form": forms.AgreementForm(
                initial={"facts": draft.facts, "terms": draft.terms, "performance": draft.performance}
            )
            if draft
            else None,
            "draft": draft,
            "conclusion_form": forms.ConclusionForm(),
            "close_form": forms.CloseForm(initial={"reported_at": timezone.localtime()}),
            "follow_up_form": forms.FollowUpForm(initial={"contacted_at": timezone.localtime()}),
            "referral_form": forms.ReferralForm(),
            "relief_form": forms.ReliefForm(initial={"taken_on": timezone.localdate()}),
            "now": timezone.now(),
        },
    )


def _stage(case) -> dict[str, bool]:
    """Where the case stands for mediation work (the template names no status itself); which lifecycle
    steps it offers comes from dispatch's step table (`steps`)."""
    return {
        "working": case.status in WORKING_STATUSES,
        # A follow-up's reopen button belongs to the follow-up the case stands at.
        "followed_up": case.status == CaseStatus.FOLLOWED_UP,
    }


@login_required
@require_POST
def claim(request: HttpRequest, number: str) -> HttpResponse:
    require_perm(request, MediationPermission.MEDIATE)
    case = case_get_for_user(user=request.user, number=number)
    try:
        case_claim(case, actor=request.user)
    except InvalidTransition:
        # Whatever the code (already claimed, stale version), the loser of a race reads the same thing.
        messages.error(request, _("该案件已被其他人认领。"))
        return redirect("mediation:queue_unclaimed")
    except TransitionForbidden as error:
        raise PermissionDenied(str(error)) from error
    messages.success(request, _("认领成功，请在30分钟内联系当事人。"))
    return redirect("mediation:workspace", number=number)


@login_required
@require_POST
def action(request: HttpRequest, number: str, name: str) -> HttpResponse:
    """One POST per workspace action; the form validates, the service decides, the page shows why not."""
    handler = ACTIONS.get(name)
    if handler is None:
        raise Http404
    permission, run = handler
    case = case_get_for_user(user=request.user, number=number)
    # The service's own guard, asked before any form is read: someone else's case is a 403, not a form error.
    run_service(request, lambda: services.mediation_authorize(case, request.user, permission=permission))
    run(request, case)
    return redirect(reverse("mediation:workspace", kwargs={"number": case.number}) + f"#{name}")


def _form_or_message(request: HttpRequest, form) -> bool:
    if form.is_valid():
        return True
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
    return False


def _posted_pk(request: HttpRequest, field: str) -> int:
    """The row id a hidden field names; anything else (a tampered page) names no row, never a 500."""
    value = request.POST.get(field, "")
    return int(value) if value.isascii() and value.isdigit() else 0


def _record(case, request: HttpRequest):
    """The mediation the form names, else the case's latest."""
    record = case.mediations.filter(pk=_posted_pk(request, "record")).first()
    if record is None:
        record = case.mediations.order_by("-created_at").first()
    if record is None:
        raise MediationError(_("请先登记调解。"))
    return record


def _start(request, case) -> None:
    form = forms.MediationStartForm(
        request.POST,
        departments=department_list_for_user(user=request.user),
        colleagues=get_user_model().objects.filter(groups__name="mediator"),
    )
    if _form_or_message(request, form):
        data = form.cleaned_data
        run_service(
            request,
            lambda: services.mediation_start(
                case=case,
                actor=request.user,
                kind=data["kind"],
                committee=data["committee"],
                department=data["department"],
                co_mediators=data["co_mediators"],
            ),
            _("已登记调解。"),
        )


def _session(request, case) -> None:
    form = forms.SessionForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.session_record(
                record=_record(case, request), actor=request.user, **form.cleaned_data
            ),
            _("调解会记录已保存。"),
        )


def _agreement_generate(request, case) -> None:
    run_service(
        request,
        lambda: services.agreement_generate(record=_record(case, request), actor=request.user),
        _("已生成调解协议书草稿，请填写协议内容。"),
    )


def _agreement(case, request):
    agreement = agreement_get_for_user(user=request.user, pk=_posted_pk(request, "agreement"))
    if agreement.record.case_id != case.pk:
        raise Http404
    return agreement


def _agreement_edit(request, case) -> None:
    form = forms.AgreementForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.agreement_update(
                agreement=_agreement(case, request), actor=request.user, **form.cleaned_data
            ),
            _("协议书已保存。"),
        )


def _agreement_finalise(request, case) -> None:
    run_service(
        request,
        lambda: services.agreement_finalise(agreement=_agreement(case, request), actor=request.user),
        _("协议书已定稿，不能再修改。"),
    )


def _confirmation_request(request, case) -> None:
    run_service(
        request,
        lambda: services.agreement_confirmation_request(
            agreement=_agreement(case, request), actor=request.user, court=request.POST.get("court", "")
        ),
        _("已登记司法确认申请。"),
    )


def _confirmation_result(request, case) -> None:
    run_service(
        request,
        lambda: services.agreement_confirmation_record(
            agreement=_agreement(case, request),
            actor=request.user,
            confirmed=request.POST.get("confirmed") == "1",
            reference=request.POST.get("reference", ""),
        ),
        _("已登记司法确认结果。"),
    )


def _conclude(request, case) -> None:
    form = forms.ConclusionForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.mediation_conclude(
                record=_record(case, request), actor=request.user, **form.cleaned_data
            ),
            _("调解结果已登记。"),
        )


def _close(request, case) -> None:
    form = forms.CloseForm(request.POST)
    if _form_or_message(request, form):
        report_back = services.ReportBack(**form.cleaned_data)
        run_service(
            request,
            lambda: services.case_close_with_report_back(
                case=case, actor=request.user, report_back=report_back
            ),
            _("案件已办结。"),
        )


def _follow_up(request, case) -> None:
    form = forms.FollowUpForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.follow_up_record(case=case, actor=request.user, **form.cleaned_data),
            _("回访已记录。"),
        )


def _follow_up_reopen(request, case) -> None:
    follow_up = case.follow_ups.filter(pk=_posted_pk(request, "follow_up")).first()
    if follow_up is None:
        raise Http404
    run_service(
        request,
        lambda: services.follow_up_reopen(follow_up=follow_up, actor=request.user),
        _("案件已重新办理。"),
    )


def _referral(request, case) -> None:
    form = forms.ReferralForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.referral_create(case=case, actor=request.user, **form.cleaned_data),
            _("对接移交已登记。"),
        )


def _referral_result(request, case) -> None:
    form = forms.ReferralResultForm(request.POST)
    if _form_or_message(request, form):
        referral = case.referrals.filter(pk=form.cleaned_data["referral"]).first()
        if referral is None:
            raise Http404
        run_service(
            request,
            lambda: services.referral_report_result(
                referral=referral, actor=request.user, result=form.cleaned_data["result"]
            ),
            _("办理结果已反馈。"),
        )


def _relief(request, case) -> None:
    form = forms.ReliefForm(request.POST)
    if _form_or_message(request, form):
        run_service(
            request,
            lambda: services.relief_add(case=case, actor=request.user, **form.cleaned_data),
            _("帮扶措施已登记。"),
        )


MEDIATE = MediationPermission.MEDIATE
# Each action and the permission its service checks (mediation_authorize), asked first.
ACTIONS = {
    "start": (MEDIATE, _start),
    "session": (MEDIATE, _session),
    "agreement_generate": (MEDIATE, _agreement_generate),
    "agreement_edit": (MEDIATE, _agreement_edit),
    "agreement_finalise": (MEDIATE, _agreement_finalise),
    "confirmation_request": (MEDIATE, _confirmation_request),
    "confirmation_result": (MEDIATE, _confirmation_result),
    "conclude": (MEDIATE, _conclude),
    "close": (MEDIATE, _close),
    "follow_up": (MediationPermission.FOLLOW_UP, _follow_up),
    "follow_up_reopen": (DispatchPermission.REVIEW, _follow_up_reopen),
    "referral": (MEDIATE, _referral),
    "referral_result": (MEDIATE, _referral_result),
    "relief": (MEDIATE, _relief),
}


@login_required
def agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The 调解协议书 on A4 (the browser prints it; print CSS hides everything else)."""
    require_perm(request, "mediation.view_agreement")
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    parties = agreement.parties
    if not can_view_full_identity(request.user):
        parties = [
            {**party, "id_number": mask_id_number(party["id_number"]), "phone": mask_phone(party["phone"])}
            for party in parties
        ]
    return render(
        request,
        "mediation/agreement_print.html",
        {"agreement": agreement, "parties": parties, "case": agreement.record.case},
    )
