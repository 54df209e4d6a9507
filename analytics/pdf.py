"""The analysis report as a PDF (WeasyPrint): the report's own template and stylesheets, with the charts
drawn on the server as SVG. Nothing is fetched: every resource a PDF could name is refused."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from analytics.charts import bars_svg, trend_svg

STYLESHEETS = ("css/zhongxin.css", "analytics/analytics.css")


class PdfUnavailable(Exception):
    """WeasyPrint cannot load its system libraries (Pango) on this host."""


def report_pdf_render(*, context: dict) -> bytes:
    weasyprint = _weasyprint()
    figures = context["figures"]
    charts = {"classes": bars_svg(figures["classes"]), "trend": trend_svg(figures["trend"])}
    html = render_to_string("analytics/report_pdf.html", {**context, "charts": charts})
    sheets = [weasyprint.CSS(filename=finders.find(path), url_fetcher=_refuse) for path in STYLESHEETS]
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=sheets)


def _weasyprint():
    """Imported when a PDF is asked for: a host without Pango (an OSError on import) still serves every
    page."""
    try:
        import weasyprint
    except OSError as error:
        raise PdfUnavailable(str(error)) from error
    return weasyprint


def _refuse(url: str, *args, **kwargs) -> dict:
    raise ValueError(f"the report PDF fetches nothing ({url})")
