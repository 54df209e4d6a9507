"""Charts drawn on the server as SVG for the PDF report, where no JavaScript runs (the pages use ECharts).
Labels are escaped like any other text on a page."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

PALETTE = ("#b03a2e", "#2e86c1", "#d68910", "#239b56", "#7d3c98", "#566573")
FONT = 'font-family="Noto Sans CJK SC, sans-serif" font-size="12"'
LABEL_WIDTH, VALUE_WIDTH, BAR, GAP = 150, 60, 18, 8


def bars_svg(rows: list[dict], *, value: str = "received", limit: int = 10, width: int = 640) -> SafeString:
    """Horizontal bars of the first `limit` rows (already sorted), each labelled with its value."""
    rows = rows[:limit]
    top = max((row[value] for row in rows), default=0) or 1
    span = width - LABEL_WIDTH - VALUE_WIDTH
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" {}>{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" {}>{}</text>',
        (
            (
                LABEL_WIDTH - 6, _baseline(i), _font(), row["label"],
                LABEL_WIDTH, i * (BAR + GAP), round(span * row[value] / top, 1), BAR, PALETTE[1],
                LABEL_WIDTH + round(span * row[value] / top, 1) + 4, _baseline(i), _font(), row[value],
            )
            for i, row in enumerate(rows)
        ),
    )  # fmt: skip
    height = max(len(rows), 1) * (BAR + GAP)
    return _svg(width, height, bars)


def trend_svg(trend: dict, *, series: int = 5, width: int = 640, height: int = 260) -> SafeString:
    """Monthly lines of the `series` category classes with most cases over the months, with a legend."""
    months, classes = trend["months"], sorted(trend["classes"], key=lambda row: -sum(row["values"]))[:series]
    top = max((v for row in classes for v in row["values"]), default=0) or 1
    left, bottom, legend = 40, height - 52, height - 8
    step = (width - left - 10) / max(len(months) - 1, 1)

    def point(i: int, v: int) -> str:
        return f"{left + i * step:.1f},{bottom - (bottom - 10) * v / top:.1f}"

    lines = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
        (
            (" ".join(point(i, v) for i, v in enumerate(row["values"])), PALETTE[n])
            for n, row in enumerate(classes)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
        (
            (round(left + i * step, 1), bottom + 16, _font(), month)
            for i, month in enumerate(months)
            if i % 3 == 0
        ),
    )
    keys = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/><text x="{}" y="{}" {}>{}</text>',
        (
            (left + n * 120, legend - 9, PALETTE[n], left + n * 120 + 14, legend, _font(), row["label"][:8])
            for n, row in enumerate(classes)
        ),
    )
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="{}" y="16" text-anchor="end" {}>{}</text>',
        left, bottom, width - 10, bottom, left - 4, _font(), top,
    )  # fmt: skip
    return _svg(width, height, axis + lines + ticks + keys)


def _baseline(i: int) -> int:
    return i * (BAR + GAP) + BAR - 4


def _font() -> SafeString:
    return SafeString(FONT)


def _svg(width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" role="img">'
        "{}</svg>",
        width, height, width, height, body,
    )  # fmt: skip
