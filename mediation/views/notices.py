"""Pages for supervision: the board, issuing notices, the recipient's inbox, signing, replying, printing."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grid.selectors import center_list_for_user, department_list_for_user, staff_profile_get
from intake.selectors import case_list_for_user
from mediation import forms, notices
from mediation.exceptions import MediationError
from mediation.permissions import MediationPermission
from mediation.selectors import notice_get_for_user, notice_inbox, notice_list_for_user, supervisor_board
from mediation.views.common import require_perm, run_service


@login_required
def board(request: HttpRequest) -> HttpResponse:
    require_perm(request, MediationPermission.VIEW_BOARD)
    return render(
        request, "mediation/board.html", {"board": supervisor_board(user=request.user), "now": timezone.now()}
    )


def _issue_form(request: HttpRequest, data=None) -> forms.NoticeIssueForm:
    profile = staff_profile_get(user=request.user)
    level = profile.region.level if profile else 0
    return forms.NoticeIssueForm(
        data,
        centers=center_list_for_user(user=request.user)
        .filter(region__level__gt=level)
        .order_by("region__code"),
        departments=department_list_for_user(user=request.user),
        initial={"case_numbers": request.GET.get("case", "")},
    )


@login_required
def issue(request: HttpRequest) -> HttpResponse:
    require_perm(request, MediationPermission.ISSUE_NOTICE)
    form = _issue_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        numbers = form.case_number_list()
        cases = list(case_list_for_user(user=request.user).filter(number__in=numbers))
        missing = sorted(set(numbers) - {case.number for case in cases})
        if missing:
            form.add_error("case_numbers", _("找不到案件：%(numbers)s") % {"numbers": "、".join(missing)})
        else:
            created = []
            ok = run_service(
                request,
                lambda: created.append(
                    notices.notice_issue(
                        issuer=request.user,
                        kind=data["kind"],
                        title=data["title"],
                        body=data["body"],
                        reply_days=data["reply_days"],
                        recipient_center=data["recipient_center"],
                        recipient_department=data["recipient_department"],
                        cases=cases,
                    )
                ),
                _("督办文书已签发。"),
            )
            if ok:
                return redirect("mediation:notice_detail", pk=created[0].pk)
    return render(request, "mediation/notice_issue.html", {"form": form})


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """The recipient's inbox of notices, and the notices issued within the user's jurisdiction."""
    require_perm(request, "mediation.view_supervisionnotice")
    issued = notice_list_for_user(user=request.user).exclude(
        pk__in=notice_inbox(user=request.user).values("pk")
    )
    return render(
        request,
        "mediation/notice_list.html",
        {
            "inbox": notice_inbox(user=request.user)[:100],
            "issued": Paginator(issued.order_by("-issued_at"), 50).get_page(request.GET.get("page")),
            "now": timezone.now(),
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "mediation.view_supervisionnotice")
    notice = notice_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "mediation/notice_detail.html",
        {
            "notice": notice,
            "cases": notice.cases.select_related("category").order_by("number"),
            "is_addressee": notices.is_addressee(notice, request.user),
            "response_form": forms.NoticeResponseForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MediationPermission.REPLY_NOTICE)
    notice = notice_get_for_user(user=request.user, pk=pk)
    run_service(request, lambda: notices.notice_acknowledge(notice=notice, actor=request.user), _("已签收。"))
    return redirect("mediation:notice_detail", pk=pk)


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MediationPermission.REPLY_NOTICE)
    notice = notice_get_for_user(user=request.user, pk=pk)
    form = forms.NoticeResponseForm(request.POST)
    response = form.cleaned_data["response"] if form.is_valid() else ""

    def reply() -> None:
        if not response:
            raise MediationError(_("请填写办理情况。"), field="response")
        notices.notice_respond(notice=notice, actor=request.user, response=response)

    run_service(request, reply, _("已回复。"))
    return redirect("mediation:notice_detail", pk=pk)


@login_required
def notice_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice in the official letter layout (红头, A4)."""
    require_perm(request, "mediation.view_supervisionnotice")
    notice = notice_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "mediation/notice_print.html",
        {"notice": notice, "cases": notice.cases.select_related("category").order_by("number")},
    )
