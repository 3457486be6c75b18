"""Properties of the desk's clocks (Fujian measures Art. 12: notice within 5 working days of the
application, opinion within 5 working days of the filing; the numbers come from the list data):
a deadline never falls on a rest day, moving the start by one working day moves the deadline by
one working day, and a date in a year whose calendar is not published is marked provisional."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftzlist.agency.desk import Desk, DeskScope
from ftzlist.calendar import WorkingCalendar
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law

LAW = load_law()
CAL = WorkingCalendar.load()
NOTICE_DAYS = next(
    s.working_days
    for p in LAW.lists.by_id["fujian-ftz-2025"].procedures
    for s in p.steps
    if s.id == "area_notice"
)
SERIAL = itertools.count()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('clocks') / 'r.sqlite3'}"
    reg = Register.open(url, calendar=CAL, procedures=ProcedureBook.from_law(LAW), actor="clock-test")
    reg.add_handler("acme", "Acme")
    yield Desk(reg, LAW, DeskScope("fujian-ftz", "xiamen"))
    reg.close()


def notice_due(desk: Desk, start: dt.date):
    flow = f"f{next(SERIAL)}"
    desk.register.add_flow("acme", flow)
    key = desk.register.open_proceeding("acme", flow, "fj.list_filing", start)
    desk.address(key, "fujian-ftz/xiamen", start)
    rows = [r.due for r in desk.queue(start) if r.due.proceeding == key and r.side == "agency"]
    assert len(rows) == 1
    return rows[0]


DAYS = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 10))


@settings(max_examples=40, deadline=None)
@given(start=DAYS)
def test_a_deadline_never_falls_on_a_rest_day(desk, start):
    due = notice_due(desk, start)
    assert CAL.is_working_day(due.due_on)
    assert CAL.working_days_between(start, due.due_on) == NOTICE_DAYS
    assert not due.provisional


@settings(max_examples=30, deadline=None)
@given(start=DAYS.filter(CAL.is_working_day))
def test_moving_the_start_a_working_day_moves_the_deadline_one(desk, start):
    nxt = CAL.add_working_days(start, 1).date
    first, second = notice_due(desk, start), notice_due(desk, nxt)
    assert second.due_on == CAL.add_working_days(first.due_on, 1).date
    assert CAL.working_days_between(first.due_on, second.due_on) == 1


def test_a_year_without_a_published_calendar_is_provisional(desk):
    due = notice_due(desk, dt.date(2027, 3, 1))
    assert due.provisional and due.provisional_reason
