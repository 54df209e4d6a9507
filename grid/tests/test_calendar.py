import datetime as dt

import pytest

from grid.calendar import add_working_days, is_workday, official_calendar_knows, working_days_between

TZ = dt.timezone(dt.timedelta(hours=8))


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=TZ)


def test_plain_week_skips_the_weekend():
    # Thursday 2026-11-19 + 5 working days → Thursday 2026-11-26
    assert add_working_days(at(2026, 11, 19), 5) == at(2026, 11, 26)


def test_national_day_and_its_make_up_workday():
    # 2025: holiday Oct 1–8, make-up workdays Sun Sep 28 and Sat Oct 11.
    assert not is_workday(dt.date(2025, 10, 3))
    assert is_workday(dt.date(2025, 10, 11))
    # Tue 2025-09-30 + 5 working days: Oct 9, 10, 11 (Saturday, make-up), 13, 14
    assert add_working_days(at(2025, 9, 30), 5) == at(2025, 10, 14)


def test_spring_festival_2026():
    # 2026 Spring Festival: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 are make-up workdays.
    assert is_workday(dt.date(2026, 2, 14))
    assert not is_workday(dt.date(2026, 2, 16))
    # Fri 2026-02-13 + 3 working days: Feb 14 (make-up), Feb 24, Feb 25
    assert add_working_days(at(2026, 2, 13), 3) == at(2026, 2, 25)


def test_a_start_on_a_rest_day_counts_from_the_next_working_morning():
    assert add_working_days(at(2026, 11, 21, 15), 1) == at(2026, 11, 24, 8).replace(minute=30)


def test_unknown_year_falls_back_to_weekends_and_overrides():
    assert not official_calendar_knows(2031)
    assert is_workday(dt.date(2031, 1, 2))  # a Thursday
    assert not is_workday(dt.date(2031, 1, 4))  # a Saturday
    overrides = {dt.date(2031, 1, 2): False}
    assert add_working_days(at(2031, 1, 1), 1, overrides) == at(2031, 1, 3)


def test_admin_override_beats_the_official_calendar():
    assert not is_workday(dt.date(2026, 11, 21))
    assert is_workday(dt.date(2026, 11, 21), {dt.date(2026, 11, 21): True})


def test_working_days_between():
    assert working_days_between(dt.date(2026, 11, 20), dt.date(2026, 11, 27)) == 5


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(at(2026, 11, 19), -1)
