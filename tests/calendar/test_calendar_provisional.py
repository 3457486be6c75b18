"""A year with no calendar file: computed from weekends and statutory holidays, marked provisional
with the reason, never presented as final; a user-added file makes it final."""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.calendar import WorkingCalendar, bundled_calendar
from ftzlist.calendar.loader import read_calendar_file
from ftzlist.errors import InputError

D = dt.date.fromisoformat


def test_deadline_reaching_into_2027_is_provisional():
    cal = bundled_calendar()
    r = cal.add_working_days(D("2026-12-25"), 10)
    assert r.provisional and r.status == "provisional"
    assert r.date.year == 2027
    assert any("no official calendar for 2027" in x and "调休" in x for x in r.reasons)
    assert any("2026 calendar" in s for s in r.sources)


def test_deadline_inside_2026_is_final():
    r = bundled_calendar().add_working_days(D("2026-12-01"), 10)
    assert not r.provisional and r.reasons == ()


def test_provisional_day_rules():
    cal = bundled_calendar()
    new_year = cal.day(D("2027-01-01"))  # a Friday, statutory holiday
    assert not new_year.working and new_year.provisional
    assert cal.day(D("2027-01-04")).working and cal.day(D("2027-01-04")).provisional
    assert not cal.day(D("2027-01-09")).working  # Saturday
    # Labour Day 2027 falls on Sat/Sun: made up on the following weekdays (statutory rule)
    assert not cal.is_working_day(D("2027-05-03"))


def test_validity_ending_in_unknown_year_is_provisional():
    r = bundled_calendar().add_period(D("2026-03-02"), years=3)
    assert r.provisional and r.nominal == D("2029-03-02")


def test_earlier_unknown_year_is_provisional_too():
    r = bundled_calendar().add_working_days(D("2019-01-10"), -10)
    assert r.provisional and any("2018" in x for x in r.reasons)


FAKE_2027 = """\
year: 2027
notices:
  - id: main
    title: 国务院办公厅关于2027年部分节假日安排的通知 (TEST FIXTURE, not the real notice)
    issued: 2026-11-01
    status: U
holidays:
  - name: {zh: 元旦, en: "New Year's Day"}
    first: 2027-01-01
    last: 2027-01-03
working_weekends:
  - {date: 2027-01-09, for: 元旦}
"""


def test_user_added_year_makes_dates_final(tmp_path):
    (tmp_path / "2027.yaml").write_text(FAKE_2027, encoding="utf-8")
    cal = WorkingCalendar.load([tmp_path])
    assert cal.covers(2027)
    r = cal.add_working_days(D("2026-12-30"), 3)
    assert not r.provisional
    # 31 Dec (1), 1-3 Jan off, 4 Jan (2), 5 Jan (3)
    assert r.date == D("2027-01-05")
    assert cal.is_working_day(D("2027-01-09"))  # the fixture's in-lieu Saturday
    assert any("2027.yaml" in s for s in r.sources)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (FAKE_2027.replace("2027-01-09", "2027-01-11"), "not a Saturday or Sunday"),
        (FAKE_2027.replace("id: main", "id: other"), "id 'main'"),
        (FAKE_2027.replace("last: 2027-01-03", "last: 2026-12-30"), "before first day"),
        (FAKE_2027.replace("first: 2027-01-01", "first: 2027-13-01"), "holidays"),
        ("year: [", "malformed YAML"),
    ],
)
def test_bad_calendar_files_are_clear_errors(tmp_path, text, match):
    path = tmp_path / "2027.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_calendar_file(path)
    assert match in exc.value.render()
    assert "2027.yaml" in exc.value.render()


def test_file_name_must_match_year(tmp_path):
    (tmp_path / "2028.yaml").write_text(FAKE_2027, encoding="utf-8")
    with pytest.raises(InputError, match="named for 2028"):
        WorkingCalendar.load([tmp_path])


def test_bundled_files_cover_2019_to_2026_and_cite_a_notice():
    cal = bundled_calendar()
    for year in range(2019, 2027):
        y = cal.years[year]
        assert y.main_notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
        assert y.main_notice.number and y.main_notice.number.startswith("国办发明电")
        assert y.main_notice.issued.year in (year - 1, year)
