"""Every working-day figure for 2019-2026 agrees with chinesecalendar (an independent oracle,
dev dependency only): each day's status, and every count a procedure uses from every start day."""

from __future__ import annotations

import bisect
import datetime as dt

import chinese_calendar
import pytest

from ftzlist.calendar import bundled_calendar

FIRST, LAST = dt.date(2019, 1, 1), dt.date(2026, 12, 31)
ALL_DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
PERIODS = (1, 5, 7, 10, 15, 45, 60)  # every working-day period in the bundled procedures


@pytest.fixture(scope="module")
def oracle_workdays() -> list[dt.date]:
    return [d for d in ALL_DAYS if chinese_calendar.is_workday(d)]


def test_every_day_2019_2026_agrees_with_oracle():
    cal = bundled_calendar()
    wrong = [
        (d, cal.is_working_day(d), chinese_calendar.is_workday(d))
        for d in ALL_DAYS
        if cal.is_working_day(d) != chinese_calendar.is_workday(d)
    ]
    assert wrong == []
    assert all(not cal.day(d).provisional for d in ALL_DAYS)
    assert len(ALL_DAYS) == 2922


def test_every_count_from_every_day_agrees_with_oracle(oracle_workdays):
    """n working days after d (d not counted) and n before d, for every d and every period used."""
    cal = bundled_calendar()
    checked = 0
    for d in ALL_DAYS:
        after = bisect.bisect_right(oracle_workdays, d)
        before = bisect.bisect_left(oracle_workdays, d)
        for n in PERIODS:
            if after + n - 1 < len(oracle_workdays):
                assert cal.add_working_days(d, n).date == oracle_workdays[after + n - 1], (d, n)
                checked += 1
            if before - n >= 0:
                assert cal.add_working_days(d, -n).date == oracle_workdays[before - n], (d, -n)
                checked += 1
    assert checked > 40_000


def test_yearly_working_day_totals_agree_with_oracle(oracle_workdays):
    cal = bundled_calendar()
    for year in range(2019, 2027):
        mine = cal.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
        assert mine == sum(1 for d in oracle_workdays if d.year == year), year


def test_known_yearly_totals():
    """Hand-checked 2026: 261 weekdays (52 weeks + Thursday 1 Jan); 19 of them are days off (New Year
    2, Spring Festival 6, Qingming 1, Labour Day 3, Dragon Boat 1, Mid-Autumn 1, National Day 5);
    6 in-lieu weekends are worked: 261 - 19 + 6 = 248. A plain weekday count would say 261."""
    cal = bundled_calendar()
    assert cal.working_days_between(dt.date(2025, 12, 31), dt.date(2026, 12, 31)) == 248
