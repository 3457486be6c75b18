"""Property tests: counting working days is monotone, lands on working days and inverts."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ftzlist.calendar import bundled_calendar

CAL = bundled_calendar()
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2028, 12, 31))
counts = st.integers(min_value=1, max_value=80)


@settings(max_examples=300, deadline=None)
@given(days, days, counts)
def test_monotone_in_start(a, b, n):
    if a > b:
        a, b = b, a
    assert CAL.add_working_days(a, n).date <= CAL.add_working_days(b, n).date


@settings(max_examples=300, deadline=None)
@given(days, counts)
def test_monotone_in_n_and_lands_on_working_day(a, n):
    r, r1 = CAL.add_working_days(a, n), CAL.add_working_days(a, n + 1)
    assert r.date < r1.date
    assert CAL.is_working_day(r.date)
    assert CAL.working_days_between(a, r.date) == n
    assert r.date > a


@settings(max_examples=300, deadline=None)
@given(days, counts)
def test_backwards_inverts_forwards_from_a_working_day(a, n):
    forward = CAL.add_working_days(a, n).date
    back = CAL.add_working_days(forward, -n).date
    assert back <= a
    if CAL.is_working_day(a):
        assert back == a


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=5))
def test_period_end_is_working_day_not_before_nominal(a, years):
    r = CAL.add_period(a, years=years)
    assert r.nominal is not None and r.date >= r.nominal
    assert CAL.is_working_day(r.date)
    assert (r.date - r.nominal).days <= 12  # the longest run of rest days is 9-10 days


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_provisional_exactly_when_an_unknown_year_is_walked(a, n):
    r = CAL.add_working_days(a, n)
    touches_unknown = any(
        not CAL.covers(y) for y in range(a.year, r.date.year + 1) if y != a.year or r.date > a
    )
    assert r.provisional == touches_unknown
