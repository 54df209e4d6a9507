"""What the receipt (回执) promises the resident: contact within 30 minutes, an outcome within 5 working
days (Lanzhou's and Changchun's published commitments: 30分钟内响应联系, 5个工作日内办结反馈)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from grid.calendar import add_working_days
from grid.models import CalendarOverride
from intake.models import Case

RESPOND_WITHIN = dt.timedelta(minutes=30)
CLOSE_WITHIN_WORKING_DAYS = 5


@dataclass(frozen=True)
class Promises:
    respond_by: dt.datetime
    close_by: dt.datetime


def calendar_overrides_all() -> dict[dt.date, bool]:
    """The whole override table: a few dozen rows a year."""
    return dict(CalendarOverride.objects.values_list("day", "is_workday"))


def calendar_overrides(*, around: dt.date, days: int = 90) -> dict[dt.date, bool]:
    return dict(
        CalendarOverride.objects.filter(
            day__gte=around - dt.timedelta(days=1), day__lte=around + dt.timedelta(days=days)
        ).values_list("day", "is_workday")
    )


def case_promises(*, case: Case, overrides: dict[dt.date, bool] | None = None) -> Promises:
    """`overrides` may be passed by a caller rendering many cases (one query instead of one per case)."""
    received = timezone.localtime(case.received_at)
    if overrides is None:
        overrides = calendar_overrides(around=received.date())
    return Promises(
        respond_by=received + RESPOND_WITHIN,
        close_by=add_working_days(received, CLOSE_WITHIN_WORKING_DAYS, overrides),
    )
