"""Known deadlines on the 2026 calendar, worked out by hand from the 2026 notice, and the
Civil Code rules for periods in years and months."""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.calendar import bundled_calendar
from ftzlist.errors import InputError

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal():
    return bundled_calendar()


@pytest.mark.parametrize(
    ("event", "n", "due", "why"),
    [
        # Spring Festival 2026: days off 15-23 Feb; Saturdays 14 and 28 Feb are worked.
        ("2026-02-12", 2, "2026-02-14", "in-lieu Saturday 14 Feb counts"),
        ("2026-02-12", 3, "2026-02-24", "15-23 Feb are days off"),
        ("2026-02-13", 5, "2026-02-27", "Fujian area notice: 14, 24, 25, 26, 27 Feb"),
        ("2026-02-27", 1, "2026-02-28", "in-lieu Saturday 28 Feb"),
        ("2026-02-16", 1, "2026-02-24", "event on a holiday: the holiday is not counted either"),
        ("2026-02-06", 15, "2026-03-05", "Shanghai report: 9-14 Feb (6), 24-28 Feb (5), 2-5 Mar (4)"),
        # Mid-Autumn 25-27 Sep; National Day 1-7 Oct; Sunday 20 Sep and Saturday 10 Oct are worked.
        ("2026-09-18", 1, "2026-09-20", "in-lieu Sunday 20 Sep"),
        ("2026-09-18", 5, "2026-09-24", "security assessment completeness check: 20-24 Sep"),
        ("2026-09-24", 1, "2026-09-28", "25-27 Sep Mid-Autumn"),
        ("2026-09-30", 1, "2026-10-08", "1-7 Oct National Day"),
        ("2026-09-30", 3, "2026-10-10", "in-lieu Saturday 10 Oct"),
        ("2026-09-24", 10, "2026-10-15", "SCC filing: 28-30 Sep, 8-10 Oct, 12-15 Oct"),
        ("2026-09-30", 15, "2026-10-27", "Shanghai report across National Day"),
        ("2026-01-01", 1, "2026-01-04", "New Year 1-3 Jan, Sunday 4 Jan worked"),
    ],
)
def test_known_deadlines_2026(cal, event, n, due, why):
    got = cal.add_working_days(D(event), n)
    assert got.date == D(due), why
    assert not got.provisional
    assert any("2026" in s and "国办发明电" in s for s in got.sources)


@pytest.mark.parametrize(
    "day", ["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10", "2026-01-04", "2026-05-09"]
)
def test_in_lieu_weekends_2026_are_working_days(cal, day):
    info = cal.day(D(day))
    assert info.working and not info.provisional
    assert D(day).weekday() >= 5
    assert "in-lieu" in info.why


@pytest.mark.parametrize(
    "day", ["2026-02-16", "2026-02-23", "2026-10-01", "2026-10-07", "2026-09-25", "2026-05-05"]
)
def test_weekday_holidays_2026_are_not_working_days(cal, day):
    assert not cal.is_working_day(D(day))


def test_backwards_window(cal):
    """60 working days before 2026-10-08 opens on the 60th working day before it."""
    opens, closes = cal.window_before(D("2026-10-08"), 60)
    assert closes.date == D("2026-09-30")
    assert cal.working_days_between(opens.date, D("2026-10-08")) == 60
    assert cal.is_working_day(opens.date)
    # by hand: 9-31 Jul 17, Aug 21, Sep 22 (Sunday 20 worked, Friday 25 off) = 60
    assert opens.date == D("2026-07-09")


class TestPeriods:
    """Civil Code Arts. 201-203: years and months end on the corresponding day; a last day that is a
    rest day moves to the next working day."""

    def test_corresponding_day(self, cal):
        r = cal.add_period(D("2026-03-10"), years=3)
        assert r.nominal == D("2029-03-10")

    def test_no_corresponding_day_is_month_end(self, cal):
        r = cal.add_period(D("2024-02-29"), years=1)
        assert r.nominal == D("2025-02-28") and r.date == D("2025-02-28")  # a Friday, working
        assert cal.add_period(D("2026-01-31"), months=1).nominal == D("2026-02-28")

    def test_last_day_on_holiday_moves_to_day_after_holiday_ends(self, cal):
        r = cal.add_period(D("2025-10-01"), years=1)
        assert r.nominal == D("2026-10-01")
        assert r.date == D("2026-10-08")
        assert "Art. 203" in r.rule and not r.provisional

    def test_last_day_on_spring_festival_sunday(self, cal):
        r = cal.add_period(D("2023-02-15"), years=3)
        assert (r.nominal, r.date) == (D("2026-02-15"), D("2026-02-24"))

    def test_last_day_on_in_lieu_saturday_stays(self, cal):
        """28 Feb 2026 is a Saturday but a working day: it is not a rest day, so it stays."""
        r = cal.add_period(D("2026-01-28"), months=1)
        assert r.date == r.nominal == D("2026-02-28")

    def test_last_day_on_plain_weekend(self, cal):
        r = cal.add_period(D("2025-03-07"), years=1)  # 2026-03-07 is a Saturday
        assert (r.nominal, r.date) == (D("2026-03-07"), D("2026-03-09"))

    def test_no_roll(self, cal):
        assert cal.add_period(D("2025-10-01"), years=1, roll=False).date == D("2026-10-01")

    def test_bad_period(self, cal):
        with pytest.raises(InputError):
            cal.add_period(D("2025-10-01"))


def test_bad_counts_are_clear_errors(cal):
    with pytest.raises(InputError, match="non-zero whole number"):
        cal.add_working_days(D("2026-01-05"), 0)
    with pytest.raises(InputError, match="expected a date"):
        cal.add_working_days("2026-01-05", 3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="runs past"):
        cal.add_working_days(D("2026-01-05"), 10**7)
