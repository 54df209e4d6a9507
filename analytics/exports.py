"""Excel exports of the dashboard's breakdowns and of the cases behind a figure (personal data masked
with intake.masking's helpers)."""

from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from dispatch.choices import CaseStatus, TriageColor
from intake.choices import PartyRole
from intake.masking import mask_phone
from intake.models import Case, CaseParty

BREAKDOWN_SHEETS = (
    ("classes", gettext_lazy("按大类")),
    ("kinds", gettext_lazy("按小类")),
    ("regions", gettext_lazy("按区域")),
    ("channels", gettext_lazy("按渠道")),
    ("colors", gettext_lazy("按分级")),
    ("departments", gettext_lazy("按部门")),
)


SUMMARY_LABELS = (
    ("received", gettext_lazy("受理")),
    ("received_resolved", gettext_lazy("其中已化解")),
    ("resolution_rate", gettext_lazy("化解率(%)")),
    ("resolved", gettext_lazy("本期化解件数（含往期受理）")),
    ("closed", gettext_lazy("办结")),
    ("closed_on_time_rate", gettext_lazy("5个工作日内办结率(%)")),
    ("responded_on_time_rate", gettext_lazy("30分钟内响应率(%)")),
    ("escalated", gettext_lazy("提级办理")),
    ("repeat_visits", gettext_lazy("重复来访")),
    ("overdue_now", gettext_lazy("当前超期")),
    ("satisfaction_rate", gettext_lazy("回访满意率(%)")),
)


def mask_name(name: str) -> str:
    """`张三丰` → `张**`: the family name is enough to tell parties apart in a report."""
    return f"{name[:1]}{'*' * (len(name) - 1)}" if name else ""


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # residents' text that starts with "=" is data, never a formula
                cell.data_type = "s"
    sheet.freeze_panes = "A2"


def _bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def breakdowns_xlsx(*, dashboard: dict, title: str) -> bytes:
    """One sheet per breakdown (received, resolved, rates) plus the resolving tiers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [
        _("项目"),
        _("受理"),
        _("其中已化解"),
        _("化解率(%)"),
        _("本期化解件数（含往期受理）"),
        _("办结"),
        _("按时办结"),
    ]
    summary = dashboard["summary"]["current"]
    _sheet(
        workbook,
        _("总体情况"),
        [_("指标"), _("数值")],
        [[str(label), summary[key]] for key, label in SUMMARY_LABELS],
    )
    for key, sheet_title in BREAKDOWN_SHEETS:
        rows = [
            [
                row["label"],
                row["received"],
                row["received_resolved"],
                row["resolution_rate"],
                row["resolved"],
                row["closed"],
                row["closed_on_time"],
            ]
            for row in dashboard[key]
        ]
        _sheet(workbook, str(sheet_title), [str(h) for h in header], rows)
    tiers = [[row["label"], row["resolved"], row["share"]] for row in dashboard["tiers"]]
    _sheet(workbook, _("化解层级"), [_("层级"), _("化解"), _("占比(%)")], tiers)
    workbook.properties.title = title
    return _bytes(workbook)


def cases_xlsx(*, cases: QuerySet[Case], limit: int = 50000) -> bytes:
    """The cases behind a figure; the applicant's name and phone are always masked."""
    statuses, colors = dict(CaseStatus.choices), dict(TriageColor.choices)
    header = [_("案件编号"), _("受理时间"), _("发生地"), _("纠纷类别"), _("渠道"), _("分级"), _("状态")]
    header += [_("事项摘要"), _("申请人"), _("联系电话")]
    rows = []
    applicants = CaseParty.objects.filter(case__in=cases[:limit], role=PartyRole.APPLICANT).select_related(
        "party"
    )
    first_applicant: dict[int, tuple[str, str]] = {}
    for link in applicants.order_by("pk"):
        first_applicant.setdefault(link.case_id, (link.party.name, link.party.phone))
    for case in cases[:limit]:
        name, phone = first_applicant.get(case.pk, ("", ""))
        rows.append(
            [
                case.number,
                timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                case.region.name,
                str(case.category),
                case.get_channel_display(),
                str(colors.get(case.color, "")),
                str(statuses.get(case.status, case.status)),
                case.summary,
                mask_name(name),
                mask_phone(phone),
            ]
        )
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("案件清单"), [str(h) for h in header], rows)
    return _bytes(workbook)
