"""Dashboard pages: thin views over analytics.selectors, scoped to the viewer's jurisdiction."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from analytics import selectors
from analytics.exports import breakdowns_xlsx, cases_xlsx
from analytics.models import ReportIssue
from analytics.pdf import PdfUnavailable, report_pdf_render
from analytics.periods import Period, PeriodError, current_month, period_default, period_parse
from analytics.permissions import ISSUE_REPORT, VIEW_DASHBOARD
from analytics.services import report_issue
from dispatch.choices import CaseStatus, TriageColor
from grid.audit import audit_access
from grid.models import Region
from grid.selectors import region_in_jurisdiction
from mediation.permissions import MediationPermission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> tuple[Region, Period]:
    if not request.user.has_perm(VIEW_DASHBOARD):
        raise PermissionDenied
    code = request.GET.get("region", "")
    if code and not (len(code) == 12 and code.isdigit()):
        raise Http404
    region = selectors.dashboard_region_get(user=request.user, code=code)
    try:
        period = period_parse(request.GET["period"]) if request.GET.get("period") else period_default()
    except PeriodError as error:
        messages.error(request, str(error))
        period = period_default()
    return region, period


def _query(region: Region, period: Period, **extra: str) -> str:
    return urlencode({"region": region.code, "period": period.code, **extra})


def _with_links(dashboard: dict, region: Region, period: Period) -> None:
    """Each row links to what lies behind it: a region to its own dashboard, anything else to its cases."""
    home, cases = reverse("analytics:dashboard"), reverse("analytics:cases")
    for row in dashboard["regions"]:
        row["url"] = f"{home}?{urlencode({'region': row['key'], 'period': period.code})}"
    for key in ("classes", "kinds", "channels", "colors", "departments"):
        for row in dashboard[key]:
            row["url"] = f"{cases}?{_query(region, period, dimension=row['dimension'], value=row['key'])}"


STAT_CARDS = (
    ("received", gettext_lazy("受理"), ""),
    ("resolution_rate", gettext_lazy("化解率"), "%"),
    ("resolved", gettext_lazy("本期化解件数（含往期受理）"), ""),
    ("closed_on_time_rate", gettext_lazy("5个工作日内办结率"), "%"),
    ("responded_on_time_rate", gettext_lazy("30分钟内响应率"), "%"),
    ("escalated", gettext_lazy("提级办理"), ""),
    ("repeat_visits", gettext_lazy("重复来访"), ""),
)


def _stat_cards(summary: dict, region: Region, period: Period) -> list[dict]:
    cards = [
        {
            "key": key,
            "label": label,
            "value": summary["current"][key],
            "suffix": suffix,
            "previous": summary["previous"][key],
            "year_ago": summary["year_ago"][key],
        }
        for key, label, suffix in STAT_CARDS
    ]
    cards.append(
        {
            "key": "overdue_now",
            "label": _("当前超期未办结"),
            "value": summary["current"]["overdue_now"],
            "url": f"{reverse('analytics:cases')}?{_query(region, period, dimension=selectors.OVERDUE)}",
        }
    )
    cards.append(
        {
            "key": "satisfaction_rate",
            "label": _("回访满意率"),
            "value": summary["current"]["satisfaction_rate"],
            "suffix": "%",
        }
    )
    return cards


def _period_choices(period: Period) -> list[dict]:
    month = current_month()
    quarter = (month.month - 1) // 3 + 1
    codes = [
        (f"{month:%Y-%m}", _("本月")),
        (f"{month.year}-Q{quarter}", _("本季度")),
        (str(month.year), _("本年累计")),
    ]
    return [{"code": code, "label": label, "active": code == period.code} for code, label in codes]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    region, period = _scope(request)
    data = selectors.dashboard_get(region=region, period=period)
    _with_links(data, region, period)
    warnings = selectors.warnings_get(region=region, period=period, dashboard=data)
    charts = {key: data[key] for key in ("classes", "channels", "colors", "regions", "tiers", "trend")}
    return render(
        request,
        "analytics/dashboard.html",
        {
            "region": region,
            "ancestors": region.get_ancestors().filter(level__gte=_root_level(request, region)),
            "period": period,
            "periods": _period_choices(period),
            "data": data,
            "cards": _stat_cards(data["summary"], region, period),
            "charts": charts,
            "warnings": warnings,
            "query": _query(region, period),
            "can_issue": request.user.has_perm(ISSUE_REPORT),
            "can_notice": request.user.has_perm(MediationPermission.ISSUE_NOTICE),
            "attention_numbers": ",".join(case.number for case in warnings["cases"]),
        },
    )


def _root_level(request: HttpRequest, region: Region) -> int:
    """Breadcrumbs stop at the viewer's own jurisdiction."""
    profile_region = getattr(getattr(request.user, "staff_profile", None), "region", None)
    return profile_region.level if profile_region else 1


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    region, period = _scope(request)
    dimension, value = request.GET.get("dimension", ""), request.GET.get("value", "")
    found = selectors.case_list_for_dashboard(
        user=request.user, region=region, period=period, dimension=dimension, value=value
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    statuses, colors = dict(CaseStatus.choices), dict(TriageColor.choices)
    for case in page:
        case.status_label = statuses.get(case.status, case.status)
        case.color_label = colors.get(case.color, "")
    return render(
        request,
        "analytics/cases.html",
        {
            "region": region,
            "period": period,
            "page": page,
            "query": _query(region, period, dimension=dimension, value=value),
            "dashboard_query": _query(region, period),
            "overdue": dimension == selectors.OVERDUE,
        },
    )


def _attachment(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@login_required
def export_breakdowns(request: HttpRequest) -> HttpResponse:
    region, period = _scope(request)
    content = breakdowns_xlsx(
        dashboard=selectors.dashboard_get(region=region, period=period), title=f"{region.name} {period.label}"
    )
    audit_access(request=request, obj=region, what=f"export:analytics_breakdowns:{period.code}")
    return _attachment(content, f"analytics-{region.code}-{period.code}.xlsx")


@login_required
def export_cases(request: HttpRequest) -> HttpResponse:
    region, period = _scope(request)
    found = selectors.case_list_for_dashboard(
        user=request.user,
        region=region,
        period=period,
        dimension=request.GET.get("dimension", ""),
        value=request.GET.get("value", ""),
    )
    audit_access(request=request, obj=region, what=f"export:analytics_cases:{period.code}")
    return _attachment(cases_xlsx(cases=found), f"cases-{region.code}-{period.code}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The printable monthly/quarterly report; a supervisor fills in risks and suggestions and issues it."""
    region, period = _scope(request)
    if request.method == "POST":
        if not request.user.has_perm(ISSUE_REPORT):
            raise PermissionDenied
        issued = report_issue(
            user=request.user,
            region=region,
            period=period,
            key_risks=request.POST.get("key_risks", ""),
            suggestions=request.POST.get("suggestions", ""),
        )
        messages.success(request, _("报告已签发：%(number)s") % {"number": issued.number})
        return redirect("analytics:report_issued", pk=issued.pk)
    return render(request, "analytics/report.html", _live_report(request, region, period))


def _live_report(request: HttpRequest, region: Region, period: Period) -> dict:
    figures = selectors.report_figures_get(region=region, period=period)
    return {
        "region": region,
        "period_label": period.label,
        "period": period,
        "figures": figures,
        "can_issue": request.user.has_perm(ISSUE_REPORT),
        "issued": ReportIssue.objects.filter(region=region, period=period.code).order_by("-issued_at"),
        "pdf_url": f"{reverse('analytics:report_pdf')}?{_query(region, period)}",
        "html_url": f"{reverse('analytics:report')}?{_query(region, period)}",
    }


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The live (unissued) report as a PDF."""
    region, period = _scope(request)
    audit_access(request=request, obj=region, what=f"export:analytics_report_pdf:{period.code}")
    return _pdf(request, _live_report(request, region, period), f"report-{region.code}-{period.code}.pdf")


@login_required
def report_issued(request: HttpRequest, pk: int) -> HttpResponse:
    issued = _issued_report(request, pk)
    return render(request, "analytics/report.html", _issued_context(issued))


@login_required
def report_issued_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issued = _issued_report(request, pk)
    audit_access(request=request, obj=issued, what="export:analytics_report_pdf")
    filename = f"report-{issued.region.code}-{issued.year}-{issued.sequence}.pdf"
    return _pdf(request, _issued_context(issued), filename)


def _issued_report(request: HttpRequest, pk: int) -> ReportIssue:
    if not request.user.has_perm(VIEW_DASHBOARD):
        raise PermissionDenied
    issued = get_object_or_404(ReportIssue.objects.select_related("region", "issued_by"), pk=pk)
    if not region_in_jurisdiction(user=request.user, region=issued.region):
        raise Http404
    return issued


def _issued_context(issued: ReportIssue) -> dict:
    return {
        "region": issued.region,
        "period_label": issued.figures["period_label"],
        "figures": issued.figures,
        "report": issued,
        "pdf_url": reverse("analytics:report_issued_pdf", args=[issued.pk]),
        "html_url": reverse("analytics:report_issued", args=[issued.pk]),
    }


def _pdf(request: HttpRequest, context: dict, filename: str) -> HttpResponse:
    try:
        content = report_pdf_render(context=context)
    except PdfUnavailable:
        messages.error(
            request, _("本服务器未安装PDF排版组件（Pango），请使用“打印”另存为PDF，或联系管理员。")
        )
        return redirect(context["html_url"])
    return _attachment(content, filename, content_type="application/pdf")
