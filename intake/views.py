"""The intake desk's pages. Thin: parse the form, call a service or selector, render. Errors from the
service come back as a field -> messages dict and are placed on the form fields they name."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grid.audit import audit_access
from grid.models import Region
from grid.selectors import jurisdiction_root, region_list_for_user, staff_profile_get
from intake import selectors
from intake.choices import Channel, MatterType, PartyRole
from intake.forms import CaseForm, GridReportForm, PartyFormSet, RepeatVisitForm
from intake.masking import party_identities_for
from intake.models import Category
from intake.permissions import IntakePermission
from intake.receipts import CLOSE_WITHIN_WORKING_DAYS, case_promises
from intake.services import PARTY_ERROR_KEY, case_add_repeat_visit, case_register


@login_required
@permission_required(IntakePermission.ADD_CASE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """The clerk's desk: one form for every channel, parties inline, the duplicate panel beside it."""
    center = selectors.intake_center_for_user(user=request.user)
    profile = staff_profile_get(user=request.user)
    if request.method == "POST":
        form = CaseForm(request.POST, request.FILES)
        formset = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and formset.is_valid():
            filled = [f for f in formset.forms if f.cleaned_data]
            try:
                case = case_register(
                    actor=request.user,
                    center=center,
                    window=profile.window if profile else None,
                    channel=form.cleaned_data["channel"],
                    matter_type=form.cleaned_data["matter_type"],
                    category=form.cleaned_data["category"],
                    region=form.cleaned_data["region"],
                    summary=form.cleaned_data["summary"],
                    description=form.cleaned_data["description"],
                    amount=form.cleaned_data["amount"],
                    involved_people=form.cleaned_data["involved_people"],
                    received_at=form.cleaned_data["received_at"],
                    parties=[f.cleaned_data for f in filled],
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                _place_errors(error, form, filled, formset)
            else:
                messages.success(request, _("登记成功，案件编号 %(number)s") % {"number": case.number})
                return redirect(f"{reverse('intake:receipt', args=[case.number])}?new=1")
    else:
        form = CaseForm(initial={"region": center.region.code if center else ""})
        formset = PartyFormSet(
            prefix="parties",
            initial=[{"role": PartyRole.APPLICANT}, {"role": PartyRole.RESPONDENT}],
        )
    return render(
        request,
        "intake/register.html",
        {
            "form": form,
            "formset": formset,
            "center": center,
            "window": profile.window if profile else None,
            "region_label": _region_label(request, form),
            "categories": _category_classes(),
        },
    )


def _region_label(request: HttpRequest, form: CaseForm) -> str:
    code = form["region"].value() or ""
    region = region_list_for_user(user=request.user).filter(code=code).first() if code else None
    return f"{region.name}（{region.code}）" if region else ""


def _category_classes() -> list[dict]:
    return [
        {"code": g["category"].code, "name": g["category"].name, "kinds": [k.code for k in g["kinds"]]}
        for g in selectors.category_tree()
    ]


def _place_errors(error: ValidationError, form, party_forms: list, formset) -> None:
    """Puts each `field -> messages` entry of a service error on the form field it names."""
    for key, messages_ in error.message_dict.items():
        match = PARTY_ERROR_KEY.match(key)
        if match and int(match[1]) < len(party_forms):
            party_form, field = party_forms[int(match[1])], match[2]
            party_form.add_error(field if field in party_form.fields else None, messages_)
        elif key == "parties" or key.startswith("parties"):
            formset._non_form_errors = formset.non_form_errors() + messages_
        elif key in form.fields:
            form.add_error(key, messages_)
        else:
            form.add_error(None, messages_)


@login_required
@permission_required(IntakePermission.ADD_CASE, raise_exception=True)
@require_POST
def duplicates_panel(request: HttpRequest) -> HttpResponse:
    """The panel beside the form: open cases that may be this matter, refreshed as details are typed.
    POST, so ID numbers and phones never sit in URLs and access logs."""
    params = request.POST
    id_numbers = [v for k, values in params.lists() if k.endswith("id_number") for v in values]
    phones = [v for k, values in params.lists() if k.endswith("phone") for v in values]
    region = Region.objects.filter(code=params.get("region", "")).first()
    category = Category.objects.filter(code=params.get("category", ""), parent__isnull=False).first()
    candidates = selectors.duplicate_candidates(
        user=request.user, id_numbers=id_numbers, phones=phones, region=region, category=category
    )
    cases = [c.case for c in candidates]
    selectors.with_parties_for(cases)
    identities = _identities(request, cases, context="intake.duplicates")
    rows = [
        {
            "case": c.case,
            "reasons": [selectors.DUPLICATE_REASON_LABELS[r] for r in c.reasons],
            "parties": [(cp, identities[cp.party_id]) for cp in c.case.party_rows],
        }
        for c in candidates
    ]
    return render(
        request,
        "intake/_duplicates.html",
        {"rows": rows, "searched": bool(id_numbers or phones or (region and category))},
    )


def _identities(request: HttpRequest, cases: list, *, context: str) -> dict:
    parties, by_party = [], {}
    for case in cases:
        for cp in case.party_rows:
            parties.append(cp.party)
            by_party.setdefault(cp.party_id, case)
    return party_identities_for(request.user, parties, request=request, cases=by_party, context=context)


@login_required
@require_POST
def repeat_visit(request: HttpRequest, number: str) -> HttpResponse:
    """Links the matter on the desk to an existing open case as a repeat visit (重复来访)."""
    if not request.user.has_perm(IntakePermission.ADD_REPEAT_VISIT):
        raise PermissionDenied
    case = selectors.case_get_for_user(user=request.user, number=number)
    form = RepeatVisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重复来访信息不完整：%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("intake:register")
    try:
        visit = case_add_repeat_visit(
            actor=request.user, case=case, channel=form.cleaned_data["channel"], note=form.note_text()
        )
    except ValidationError as error:
        messages.error(request, "；".join(m for ms in error.message_dict.values() for m in ms))
        return redirect("intake:register")
    messages.success(
        request,
        _("已记为案件 %(number)s 的第 %(count)s 次重复来访")
        % {"number": case.number, "count": case.repeat_count},
    )
    return redirect(f"{reverse('intake:receipt', args=[case.number])}?visit={visit.pk}")


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The printable receipt: A4 by default, `?paper=80mm` for a receipt printer."""
    case = selectors.case_get_for_user(user=request.user, number=number)
    paper = "80mm" if request.GET.get("paper") == "80mm" else "a4"
    rows = selectors.case_parties(case=case)
    identities = party_identities_for(
        request.user, [cp.party for cp in rows], request=request, case=case, context="intake.receipt"
    )
    visit = None
    if request.GET.get("visit", "").isdigit():
        visit = case.repeat_visits.filter(pk=int(request.GET["visit"])).select_related("received_by").first()
    return render(
        request,
        "intake/receipt.html",
        {
            "case": case,
            "paper": paper,
            "parties": [(cp, identities[cp.party_id]) for cp in rows],
            "attachments": list(case.attachments.order_by("id")),
            "promises": case_promises(case=case),
            "close_days": CLOSE_WITHIN_WORKING_DAYS,
            "visit": visit,
            "is_new": request.GET.get("new") == "1",
        },
    )


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    """A plain record of what was registered (dispatch owns the handling timeline)."""
    case = selectors.case_get_for_user(user=request.user, number=number)
    rows = selectors.case_parties(case=case)
    identities = party_identities_for(
        request.user, [cp.party for cp in rows], request=request, case=case, context="intake.case_detail"
    )
    return render(
        request,
        "intake/case_detail.html",
        {
            "case": case,
            "parties": [(cp, identities[cp.party_id]) for cp in rows],
            "attachments": list(case.attachments.order_by("id")),
            "visits": list(case.repeat_visits.select_related("received_by").order_by("received_at")),
            "promises": case_promises(case=case),
        },
    )


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
@require_GET
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Attachments are never public: served only to people who may see the case."""
    case = selectors.case_get_for_user(user=request.user, number=number)
    attachment = case.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """Today's registrations at this window (or the whole center), searchable; identities masked."""
    cases, scope, term, center, window = _today_cases(request)
    page = list(cases[:200])
    selectors.with_parties_for(page)
    identities = _identities(request, page, context="intake.today")
    counts = selectors.case_count_received_today_by_channel(user=request.user, center=center)
    return render(
        request,
        "intake/today.html",
        {
            "rows": [(case, [(cp, identities[cp.party_id]) for cp in case.party_rows]) for case in page],
            "total": len(page),
            "term": term,
            "scope": scope,
            "center": center,
            "window": window,
            "channel_counts": [(Channel(k).label, v) for k, v in sorted(counts.items())],
            "today": timezone.localdate(),
        },
    )


def _today_cases(request: HttpRequest):
    profile = staff_profile_get(user=request.user)
    center = selectors.intake_center_for_user(user=request.user)
    window = profile.window if profile else None
    scope = request.GET.get("scope") or ("window" if window else "center")
    term = request.GET.get("q", "").strip()[:50]
    cases = selectors.case_list_received_today(
        user=request.user,
        center=center,
        window_id=window.pk if (window and scope == "window") else None,
        term=term,
    )
    return cases, scope, term, center, window


@login_required
@permission_required(IntakePermission.VIEW_CASE, raise_exception=True)
@require_GET
def today_export(request: HttpRequest) -> HttpResponse:
    """Today's list as CSV for Excel (UTF-8 with BOM); identities masked like on screen."""
    cases, _scope, _term, center, _window = _today_cases(request)
    page = list(cases[:5000])
    selectors.with_parties_for(page)
    identities = _identities(request, page, context="intake.today_export")
    audit_access(request=request, obj=request.user, what=f"export:today_cases:{len(page)}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="today-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("案件编号"),
            _("受理时间"),
            _("来源渠道"),
            _("事项性质"),
            _("类别"),
            _("发生地"),
            _("事项摘要"),
            _("当事人"),
            _("证件号"),
            _("电话"),
        ]
    )
    for case in page:
        people = [(cp, identities[cp.party_id]) for cp in case.party_rows]
        writer.writerow(
            [
                _cell(v)
                for v in (
                    case.number,
                    f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}",
                    case.get_channel_display(),
                    case.get_matter_type_display(),
                    str(case.category),
                    case.region.name,
                    case.summary,
                    "、".join(f"{who.name}（{cp.get_role_display()}）" for cp, who in people),
                    "、".join(who.id_number for _cp, who in people if who.id_number),
                    "、".join(who.phone for _cp, who in people if who.phone),
                )
            ]
        )
    return response


def _cell(value: str) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ would run when opened in Excel.
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@permission_required(IntakePermission.ADD_CASE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def grid_report(request: HttpRequest) -> HttpResponse:
    """A grid worker's phone page: what, where, who, a photo and the position."""
    profile = staff_profile_get(user=request.user)
    center = selectors.intake_center_for_user(user=request.user)
    regions = _report_regions(request)
    cell = profile.grid_cell if profile else None
    if request.method == "POST":
        form = GridReportForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            data = form.cleaned_data
            parties = []
            if data["party_name"] or data["party_phone"]:
                parties.append(
                    {"name": data["party_name"], "phone": data["party_phone"], "role": PartyRole.APPLICANT}
                )
            try:
                case = case_register(
                    actor=request.user,
                    center=center,
                    channel=Channel.GRID_REPORT,
                    matter_type=data["matter_type"],
                    category=data["category"],
                    region=data["region"],
                    grid_cell=cell if cell and cell.region.code == data["region"] else None,
                    summary=data["summary"],
                    description=data["description"],
                    involved_people=data["involved_people"],
                    parties=parties,
                    attachments=data["photos"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            except ValidationError as error:
                for key, msgs in error.message_dict.items():
                    field = {"attachments": "photos", "parties[0].name": "party_name"}.get(key, key)
                    field = "party_phone" if key.startswith("parties[0].phone") else field
                    form.add_error(field if field in form.fields else None, msgs)
            else:
                messages.success(request, _("上报成功，案件编号 %(number)s") % {"number": case.number})
                return redirect(f"{reverse('intake:receipt', args=[case.number])}?new=1&paper=80mm")
    else:
        default_region = cell.region.code if cell else (regions[0].code if regions else "")
        form = GridReportForm(
            regions=regions, initial={"region": default_region, "matter_type": MatterType.DISPUTE}
        )
    return render(request, "intake/grid_report.html", {"form": form, "center": center, "cell": cell})


def _report_regions(request: HttpRequest) -> list[Region]:
    """Where a grid worker can report: their region and the tier below it (a short list for a phone)."""
    root = jurisdiction_root(user=request.user)
    if root is None:
        return []
    return [root, *region_list_for_user(user=request.user).filter(parent=root).order_by("code")[:200]]
