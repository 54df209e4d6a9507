"""The analysis report as a PDF: the same five sections, charts drawn as SVG, Chinese text in the file."""

import builtins
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from pypdf import PdfReader

from analytics.charts import bars_svg, trend_svg
from analytics.models import ReportIssue
from analytics.pdf import PdfUnavailable, _weasyprint
from analytics.tests.conftest import NANGUAN
from tests.roles import make_staff

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    reader = PdfReader(BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def test_live_report_pdf_has_the_sections_and_figures(client, dataset, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/report.pdf", {"region": NANGUAN, "period": "2026-07"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"report-{NANGUAN}-2026-07.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "南关区2026年7月矛盾纠纷研判分析报告" in text
    for section in ("一、总体情况", "二、分类分析", "三、趋势研判", "四、重点风险", "五、工作建议"):
        assert section in text
    assert "本期共受理矛盾纠纷4件" in text
    audited = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=supervisor)
    assert [entry.changes["accessed"][0] for entry in audited] == ["export:analytics_report_pdf:2026-07"]


def test_issued_report_pdf_carries_its_number_and_frozen_text(client, dataset, supervisor):
    client.force_login(supervisor)
    client.post(
        f"/analytics/report/?region={NANGUAN}&period=2026-Q3",
        {"key_risks": "婚姻家庭纠纷反弹", "suggestions": "加强村级调解组织建设"},
    )
    issued = ReportIssue.objects.get()

    response = client.get(f"/analytics/report/{issued.pk}.pdf")

    text = pdf_text(response)
    assert response.status_code == 200
    assert issued.number in text
    assert "婚姻家庭纠纷反弹" in text and "加强村级调解组织建设" in text


def test_report_pdf_outside_jurisdiction_is_not_found(client, dataset, org):
    township = make_staff("township_supervisor", "220102001000", "supervisor")
    client.force_login(township)

    response = client.get("/analytics/report.pdf", {"region": NANGUAN, "period": "2026-07"})

    assert response.status_code == 404


def test_report_pdf_without_pango_explains_and_keeps_the_page(client, dataset, supervisor, monkeypatch):
    # given a host where importing WeasyPrint fails to load Pango
    def missing():
        raise PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("analytics.pdf._weasyprint", missing)
    client.force_login(supervisor)

    response = client.get("/analytics/report.pdf", {"region": NANGUAN, "period": "2026-07"}, follow=True)

    assert response.redirect_chain[-1][0].startswith("/analytics/report/?")
    assert "Pango" in response.content.decode()


def test_bar_chart_draws_bars_in_proportion_and_escapes_labels():
    rows = [{"label": "婚姻<家庭>", "received": 40}, {"label": "邻里", "received": 10}]

    svg = str(bars_svg(rows, width=460))

    assert svg.count("<rect") == 2
    assert 'width="250.0"' in svg and 'width="62.5"' in svg  # 250 px span: 40 → all, 10 → a quarter
    assert "婚姻&lt;家庭&gt;" in svg and "<家庭>" not in svg


def test_trend_chart_draws_a_line_per_class_with_a_legend():
    trend = {
        "months": ["2026-05", "2026-06", "2026-07"],
        "classes": [
            {"label": "婚姻家庭纠纷", "values": [1, 2, 4]},
            {"label": "邻里纠纷", "values": [3, 0, 1]},
        ],
    }

    svg = str(trend_svg(trend))

    assert svg.count("<polyline") == 2
    assert "婚姻家庭纠纷" in svg and "2026-05" in svg


def test_a_weasyprint_that_cannot_load_pango_is_reported_as_unavailable(monkeypatch):
    real_import = builtins.__import__

    def import_without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_without_pango)

    with pytest.raises(PdfUnavailable):
        _weasyprint()
