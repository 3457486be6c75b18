"""Property tests on the pure lifecycle: whatever order steps are tried in, a step is accepted
exactly when the step it comes after is recorded on or before its date; deadlines are never before
the step they count from."""

from __future__ import annotations

import datetime as dt

from filings_support import fixture_book
from hypothesis import given, settings
from hypothesis import strategies as st

from ftzlist.calendar import bundled_calendar
from ftzlist.errors import InputError
from ftzlist.filings import lifecycle as lc

BOOK = fixture_book()
PROCS = [e.procedure for e in BOOK.entries.values() if e.procedure.model != "post_export_report"]
CAL = bundled_calendar()


@st.composite
def attempts(draw):
    proc = draw(st.sampled_from(PROCS))
    ids = [s.id for s in proc.steps]
    tries = draw(
        st.lists(
            st.tuples(st.sampled_from(ids), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
            min_size=1,
            max_size=12,
        )
    )
    return proc, tries


@settings(max_examples=300, deadline=None)
@given(attempts())
def test_step_accepted_iff_predecessor_recorded_earlier(case):
    proc, tries = case
    recorded: dict[lc.StepKey, dt.date] = {}
    for step_id, on in tries:
        step = lc.step(proc, step_id)
        assert step is not None
        expected_ok = (step_id, None) not in recorded and (
            step.after is None or ((step.after, None) in recorded and recorded[(step.after, None)] <= on)
        )
        try:
            lc.check_step(proc, step_id, on, recorded, {})
            ok = True
        except InputError:
            ok = False
        assert ok == expected_ok, (step_id, on, recorded)
        if ok:
            recorded[(step_id, None)] = on


@settings(max_examples=200, deadline=None)
@given(attempts())
def test_deadlines_fall_after_what_they_count_from(case):
    proc, tries = case
    recorded: dict[lc.StepKey, dt.date] = {}
    for step_id, on in tries:
        try:
            lc.check_step(proc, step_id, on, recorded, {})
        except InputError:
            continue
        recorded[(step_id, None)] = on
    for item in lc.plan(proc, recorded, {}, CAL):
        step = lc.step(proc, item.step_id)
        start = recorded[(step.after, None)]
        assert item.due.date > start
        assert CAL.working_days_between(start, item.due.date) == step.working_days
