"""Reporting periods: a month (`2026-10`), a quarter (`2026-Q3`) or a year to date (`2026`)."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """Months `first`..`last` (first days), both included."""

    code: str
    first: dt.date
    last: dt.date

    @property
    def kind(self) -> str:
        return "quarter" if "Q" in self.code else ("month" if "-" in self.code else "year")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d年%(month)d月") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarter":
            return _("%(year)d年第%(quarter)d季度") % {
                "year": self.first.year,
                "quarter": (self.first.month - 1) // 3 + 1,
            }
        return _("%(year)d年1—%(month)d月") % {"year": self.first.year, "month": self.last.month}

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.first, self.last)

    def year_ago(self) -> "Period":
        return Period(self.code, _shift(self.first, -12), _shift(self.last, -12))

    def previous(self) -> "Period":
        """The period just before; for a year to date, the same months a year earlier."""
        if self.kind == "year":
            return self.year_ago()
        span = len(self.months)
        return Period(self.code, _shift(self.first, -span), _shift(self.last, -span))


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [_shift(first, i) for i in range(count)]


def current_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def period_parse(code: str) -> Period:
    """Parses a period code; a year is the year to date (through the current month for this year)."""
    match = _PATTERN.match(code or "")
    if not match:
        raise PeriodError(_("统计期格式应为 2026-10、2026-Q3 或 2026"))
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise PeriodError(_("统计年份超出范围"))
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(_("月份应在 01 至 12 之间"))
        first = dt.date(year, month, 1)
        return Period(code, first, first)
    if match["quarter"]:
        first = dt.date(year, (int(match["quarter"]) - 1) * 3 + 1, 1)
        return Period(code, first, _shift(first, 2))
    now = current_month()
    last = now if now.year == year else dt.date(year, 12, 1)
    return Period(code, dt.date(year, 1, 1), last)


def period_default() -> Period:
    month = current_month()
    return period_parse(f"{month:%Y-%m}")
