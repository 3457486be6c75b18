"""The register driven by the bundled list files (through `ftzlist.loader.load_law`): the procedures
come from the data, not from code."""

from __future__ import annotations

import pytest
from filings_support import bundled_book, d

from ftzlist.calendar import WorkingCalendar, bundled_calendar
from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import Register

CONTENT = FiledContent.model_validate(
    {
        "scenario": "pharma.pharmacovigilance",
        "purpose": "pharmacovigilance",
        "recipient": {"name": "Acme AG", "country": "CH"},
        "items": [{"id": "case", "category": "pi.health", "sensitive": True, "persons": 800}],
    }
)


@pytest.fixture
def breg(db_url):
    r = Register.open(db_url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    r.add_handler("acme", "Acme")
    r.add_flow("acme", "pv")
    yield r
    r.close()


def test_every_bundled_procedure_is_usable():
    """Each step's `after` names a step, `export` or an outside event; validity starts at a step."""
    book = bundled_book()
    ids = {pid for _, pid in book.entries}
    assert {"cn.security_assessment", "cn.standard_contract", "fj.list_filing"} <= ids
    assert any(
        e.procedure.model == "post_export_report" and e.list_id.startswith("shanghai")
        for e in book.entries.values()
    )
    for (list_id, pid), e in book.entries.items():
        steps = {s.id for s in e.procedure.steps}
        if e.procedure.validity:
            assert e.procedure.validity.from_step in steps, (list_id, pid)
        for s in e.procedure.steps:
            assert s.after is None or s.after in steps or s.after == "export" or s.after.isidentifier(), (
                list_id,
                pid,
            )


def test_bundled_fujian_lifecycle(breg):
    key = breg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    v = breg.show(key, d("2026-02-10"))
    assert v.list_id == "fujian-ftz-2025"
    assert [s[0] for s in v.steps] == ["self_assessment", "application"]
    [notice] = breg.due(d("2026-02-11"))
    assert notice.due_on == d("2026-02-24") and notice.actor == "authority"
    breg.record_step(key, "area_notice", d("2026-02-24"))
    breg.record_filing(key, d("2026-02-25"), CONTENT)
    [opinion] = breg.due(d("2026-02-25"))
    assert opinion.due_on == d("2026-03-03")  # 26, 27, 28 (in-lieu Sat) Feb, 2, 3 Mar
    with pytest.raises(InputError) as exc:
        breg.record_export("acme", "pv", d("2026-03-02"))  # the list's `export` step comes after the opinion
    assert "opinion (not recorded)" in exc.value.render()
    breg.record_opinion(key, d("2026-03-03"), "off_list")
    assert breg.show(key).valid_until == d("2029-03-05")  # 2029-03-03 is a Saturday: Art. 203
    assert breg.record_export("acme", "pv", d("2026-03-04")).inconsistencies == ()


def test_bundled_shanghai_post_export_report(breg):
    sh = next(
        pid
        for (lid, pid), e in breg.procedures.entries.items()
        if e.procedure.model == "post_export_report" and lid.startswith("shanghai-ftz-2024")
    )
    key = breg.open_proceeding(
        "acme", "pv", sh, d("2026-01-05")
    )  # the 2024 list is in force until 2026-04-23
    res = breg.record_export("acme", "pv", d("2026-02-06"), persons=10)
    assert [(r.proceeding, r.due_on) for r in res.deadlines] == [(key, d("2026-03-05"))]
    assert [r.status for r in breg.due(d("2026-03-06"))] == ["overdue"]


def test_bundled_security_assessment_timeline(breg):
    key = breg.open_proceeding("acme", "pv", "cn.security_assessment", d("2026-09-18"))
    assert breg.show(key).list_id == "cn-national-2024"
    assert breg.due(d("2026-09-19"))[0].due_on == d("2026-09-24")
    with pytest.raises(InputError) as exc:  # no export before the assessment result (validity.from_step)
        breg.record_export("acme", "pv", d("2026-09-25"))
    assert "assessment (not recorded)" in exc.value.render()


def test_provisional_deadline_becomes_final_when_the_year_is_added(db_url, tmp_path):
    """A deadline reaching into 2027 is stored provisional; once a 2027 calendar file is added,
    `refresh_deadlines` recomputes it (and the audit trail shows the change)."""
    r = Register.open(db_url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    r.add_handler("acme", "Acme")
    r.add_flow("acme", "pv")
    key = r.open_proceeding("acme", "pv", "fj.list_filing", d("2026-12-28"))
    [row] = r.due(d("2026-12-28"))
    assert row.provisional and "2027" in row.provisional_reason
    r.close()
    (tmp_path / "2027.yaml").write_text(
        "year: 2027\nnotices:\n  - {id: main, title: TEST 2027 notice, issued: 2026-11-01, status: U}\n"
        "holidays:\n  - {name: {zh: 元旦, en: New Year}, first: 2027-01-01, last: 2027-01-03}\n"
        "working_weekends: []\n",
        encoding="utf-8",
    )
    r2 = Register.open(
        db_url, calendar=WorkingCalendar.load([tmp_path]), procedures=bundled_book(), actor="calendar"
    )
    assert r2.refresh_deadlines() == 1
    [row] = r2.due(d("2026-12-28"))
    assert not row.provisional and row.due_on == d("2027-01-05")  # 29, 30, 31 Dec, 4, 5 Jan
    changed = [e for e in r2.audit(table="deadlines") if e.actor == "calendar"]
    assert changed and changed[0].before["provisional"] is True and changed[0].after["provisional"] is False
    assert key
    r2.close()


def _incident_row(reg, on):
    [row] = [r for r in reg.due(on) if r.kind == "incident"]
    return row


def test_incident_duty_comes_from_the_fujian_list(breg):
    """Fujian measures Art. 15 (report at once to the area agency) read from the list's procedure,
    with the national duty (PIPL Art. 57, DSL Art. 29) beside it; due the day of discovery."""
    breg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    breg.record_incident("acme", "pv", d("2026-03-03"), "misdirected batch")
    row = _incident_row(breg, d("2026-03-03"))
    assert row.due_on == d("2026-03-03") and row.status == "due_today"
    assert row.citation == "Fujian FTZ measures Art. 15; PIPL Art. 57; Data Security Law Art. 29"
    assert "area implementing agency" in row.title and "at once" in row.title


def test_incident_under_a_shanghai_proceeding_cites_no_fujian_article(breg):
    """The Shanghai post-export report states no incident duty of its own: the national one binds."""
    sh = next(
        pid
        for (lid, pid), e in breg.procedures.entries.items()
        if e.procedure.model == "post_export_report" and lid.startswith("shanghai-ftz-2024")
    )
    breg.open_proceeding("acme", "pv", sh, d("2026-01-05"))
    breg.record_incident("acme", "pv", d("2026-01-07"), "misdirected batch")
    row = _incident_row(breg, d("2026-01-07"))
    assert row.due_on == d("2026-01-07")
    assert "fujian" not in row.citation.lower() and "Art. 15" not in row.citation
    assert row.citation == "PIPL Art. 57; Data Security Law Art. 29"


def test_incident_without_a_proceeding_takes_the_national_duty(breg):
    breg.record_incident("acme", "pv", d("2026-05-04"), "lost laptop")
    row = _incident_row(breg, d("2026-05-04"))
    assert row.due_on == d("2026-05-04") and row.citation == "PIPL Art. 57; Data Security Law Art. 29"


def test_incident_when_no_list_states_a_duty_is_due_at_once_and_says_why(db_url):
    from ftzlist.filings.procedures import ProcedureBook

    r = Register.open(db_url, calendar=bundled_calendar(), procedures=ProcedureBook([]), actor="tester")
    try:
        r.add_handler("acme", "Acme")
        r.add_flow("acme", "pv")
        r.record_incident("acme", "pv", d("2026-05-04"), "lost laptop")
        row = _incident_row(r, d("2026-05-04"))
        assert row.due_on == d("2026-05-04") and row.citation is None
        assert "no list states the duty" in row.rule and "stricter" in row.rule
    finally:
        r.close()


def test_every_bundled_step_has_a_role_and_registers_find_steps_by_it():
    """Issue 12 item 4: steps are typed. Every bundled step says its role; each procedure that has a
    validity period starts it at its `opinion` step; an `export` role is the export step."""
    book = bundled_book()
    for (list_id, pid), e in book.entries.items():
        for s in e.procedure.steps:
            assert s.role is not None, (list_id, pid, s.id)
            assert (s.role == "export") == (s.id == "export"), (list_id, pid, s.id)
        if e.procedure.validity is not None:
            opinion = e.procedure.step_for("opinion")
            assert opinion is not None and opinion.id == e.procedure.validity.from_step, (list_id, pid)


def test_two_steps_of_one_role_are_refused():
    from pydantic import ValidationError

    from ftzlist.schema.lists import Procedure

    step = {"name": {"zh": "备案", "en": "filing"}, "actor": "handler", "role": "filing"}
    cite = {"instrument": "cn.cbdf", "ref": "Art. 1"}
    with pytest.raises(ValidationError, match="more than one 'filing' step"):
        Procedure.model_validate(
            {
                "id": "x",
                "name": {"zh": "程序", "en": "procedure"},
                "model": "pre_export_filing",
                "serves": ["exempt"],
                "steps": [{**step, "id": "a", "citation": cite}, {**step, "id": "b", "citation": cite}],
                "citation": cite,
            }
        )
