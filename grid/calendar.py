"""Working-day arithmetic over China's official calendar (chinese-calendar) and the admins' overrides.

Pure functions: the caller passes the overrides (date -> is_workday), so the sweep never recomputes.
"""

import datetime as dt
import logging
from collections.abc import Mapping

import chinese_calendar

logger = logging.getLogger(__name__)

Overrides = Mapping[dt.date, bool]


def official_calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date, overrides: Overrides | None = None) -> bool:
    """An admin's override wins; then the official calendar; for a year it does not know, weekdays."""
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.datetime, days: int, overrides: Overrides | None = None) -> dt.datetime:
    """The moment `days` full working days after `start` (same clock time), skipping rest days.

    Starting on a rest day counts from the next working day's start of business, as centers do.
    """
    if days < 0:
        raise ValueError("days must be non-negative")
    current = start
    if not is_workday(current.date(), overrides):
        current = _next_workday_start(current, overrides)
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_workday(current.date(), overrides):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date, overrides: Overrides | None = None) -> int:
    """How many working days lie in (start, end]: the number a deadline has used up at `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day, overrides)
    return count


BUSINESS_OPENS = dt.time(8, 30)


def _next_workday_start(moment: dt.datetime, overrides: Overrides | None) -> dt.datetime:
    day = moment.date()
    while not is_workday(day, overrides):
        day += dt.timedelta(days=1)
    return moment.replace(
        year=day.year,
        month=day.month,
        day=day.day,
        hour=BUSINESS_OPENS.hour,
        minute=BUSINESS_OPENS.minute,
        second=0,
        microsecond=0,
    )
