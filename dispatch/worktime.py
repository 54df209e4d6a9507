"""Pure time arithmetic for deadlines in the three units a policy may use. Inputs are aware datetimes;
work happens in local time (Asia/Shanghai has no daylight saving, so replacing clock fields is safe).

Working hours are 08:30–17:30 on working days (grid.calendar decides which days work). A deadline that
is paused keeps its remaining *working* time: whole days and time of day for working-day clocks,
working minutes for working-minute clocks, plain time for hour clocks.
"""

import datetime as dt

from django.utils import timezone

from dispatch.choices import DeadlineUnit
from grid.calendar import BUSINESS_OPENS, Overrides, add_working_days, is_workday

BUSINESS_CLOSES = dt.time(17, 30)
DAY = dt.timedelta(days=1)


def due_after(start: dt.datetime, amount: int, unit: str, overrides: Overrides) -> dt.datetime:
    """When a clock of `amount` `unit`s started at `start` runs out."""
    local = timezone.localtime(start)
    if unit == DeadlineUnit.HOURS:
        return local + dt.timedelta(hours=amount)
    if unit == DeadlineUnit.WORKING_MINUTES:
        return add_working_minutes(local, dt.timedelta(minutes=amount), overrides)
    return add_working_days(local, amount, overrides)


def time_left(now: dt.datetime, due: dt.datetime, unit: str, overrides: Overrides) -> dt.timedelta:
    """The working time between `now` and `due` (zero once due), stored while a clock is paused."""
    now, due = timezone.localtime(now), timezone.localtime(due)
    if due <= now:
        return dt.timedelta(0)
    if unit == DeadlineUnit.HOURS:
        return due - now
    if unit == DeadlineUnit.WORKING_MINUTES:
        return working_minutes_between(now, due, overrides)
    rest_days = sum(
        not is_workday(now.date() + DAY * offset, overrides)
        for offset in range(1, (due.date() - now.date()).days + 1)
    )
    return max(due - now - DAY * rest_days, dt.timedelta(0))


def due_resumed(now: dt.datetime, remaining: dt.timedelta, unit: str, overrides: Overrides) -> dt.datetime:
    """The new due time of a clock resumed at `now` with `remaining` working time left."""
    local = timezone.localtime(now)
    if unit == DeadlineUnit.HOURS:
        return local + remaining
    if unit == DeadlineUnit.WORKING_MINUTES:
        return add_working_minutes(local, remaining, overrides)
    due = add_working_days(local, remaining.days, overrides) + dt.timedelta(seconds=remaining.seconds)
    while not is_workday(due.date(), overrides):
        due += DAY
    return due


def add_working_minutes(start: dt.datetime, span: dt.timedelta, overrides: Overrides) -> dt.datetime:
    """`start` plus `span` counted only within working hours on working days."""
    current, left = _into_working_hours(start, overrides), span
    while True:
        available = _closing(current) - current
        if left <= available:
            return current + left
        left -= available
        current = _into_working_hours(_closing(current) + dt.timedelta(seconds=1), overrides)


def working_minutes_between(start: dt.datetime, end: dt.datetime, overrides: Overrides) -> dt.timedelta:
    total, current = dt.timedelta(0), _into_working_hours(start, overrides)
    while current < end:
        total += min(_closing(current), end) - current
        current = _into_working_hours(_closing(current) + dt.timedelta(seconds=1), overrides)
    return total


def _closing(moment: dt.datetime) -> dt.datetime:
    return moment.replace(hour=BUSINESS_CLOSES.hour, minute=BUSINESS_CLOSES.minute, second=0, microsecond=0)


def _opening(moment: dt.datetime) -> dt.datetime:
    return moment.replace(hour=BUSINESS_OPENS.hour, minute=BUSINESS_OPENS.minute, second=0, microsecond=0)


def _into_working_hours(moment: dt.datetime, overrides: Overrides) -> dt.datetime:
    """`moment` itself when inside working hours, otherwise the next opening."""
    if is_workday(moment.date(), overrides) and _opening(moment) <= moment < _closing(moment):
        return moment
    if is_workday(moment.date(), overrides) and moment < _opening(moment):
        return _opening(moment)
    day = moment + DAY
    while not is_workday(day.date(), overrides):
        day += DAY
    return _opening(day)
