"""Bad dates, unknown filings and impossible transitions are clear errors that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from filings_support import d
from sqlalchemy import func, select

from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.models import Base

CONTENT = FiledContent.model_validate(
    {
        "purpose": "group HR",
        "recipient": {"name": "Parent GmbH", "country": "DE"},
        "items": [{"id": "staff", "category": "pi.employment", "persons": 500}],
    }
)


def table_counts(reg) -> dict[str, int]:
    with reg.engine.connect() as c:
        return {t.name: c.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


@pytest.fixture
def opened(reg):
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "hr")
    key = reg.open_proceeding("acme", "hr", "fj.list_filing", d("2026-03-02"))
    return reg, key


def refused(reg, fn, match):
    before = table_counts(reg)
    with pytest.raises(InputError, match=match) as exc:
        fn()
    assert table_counts(reg) == before, "a refused change must change nothing"
    return exc.value


def test_opinion_before_application_steps(opened):
    reg, key = opened
    refused(reg, lambda: reg.record_opinion(key, d("2026-03-05"), "on_list"), "before 'filing'")


def test_step_dated_before_its_predecessor(opened):
    reg, key = opened
    refused(reg, lambda: reg.record_step(key, "area_notice", d("2026-02-27")), "impossible order")


def test_unknown_filing(opened):
    reg, _ = opened
    err = refused(
        reg, lambda: reg.record_step("FJ-2026-9999", "area_notice", d("2026-03-03")), "unknown filing"
    )
    assert "FJ-2026-0001" in err.render()  # names the filings that exist


def test_unknown_step_names_the_valid_ones(opened):
    reg, key = opened
    err = refused(reg, lambda: reg.record_step(key, "approval", d("2026-03-03")), "no step 'approval'")
    assert "area_notice" in err.render()


def test_step_recorded_twice(opened):
    reg, key = opened
    reg.record_step(key, "area_notice", d("2026-03-03"))
    refused(reg, lambda: reg.record_step(key, "area_notice", d("2026-03-04")), "already recorded")


def test_unknown_outcome(opened):
    reg, key = opened
    reg.record_step(key, "area_notice", d("2026-03-03"))
    reg.record_filing(key, d("2026-03-04"), CONTENT)
    refused(reg, lambda: reg.record_opinion(key, d("2026-03-05"), "maybe"), "unknown outcome")


def test_export_before_opinion(opened):
    reg, key = opened
    reg.record_step(key, "area_notice", d("2026-03-03"))
    err = refused(reg, lambda: reg.record_export("acme", "hr", d("2026-03-04")), "before steps")
    assert key in err.render()


def test_unknown_handler_and_flow(opened):
    reg, _ = opened
    refused(reg, lambda: reg.record_export("nobody", "hr", d("2026-03-04")), "unknown handler")
    refused(
        reg, lambda: reg.open_proceeding("acme", "nope", "fj.list_filing", d("2026-03-04")), "no flow 'nope'"
    )
    refused(reg, lambda: reg.add_handler("acme", "Acme again"), "already exists")


def test_unknown_procedure_and_list_not_in_force(opened):
    reg, _ = opened
    refused(reg, lambda: reg.open_proceeding("acme", "hr", "xx.nothing", d("2026-03-04")), "no list defines")
    refused(reg, lambda: reg.open_proceeding("acme", "hr", "fj.list_filing", d("2024-01-04")), "in force")


def test_bad_date_type(opened):
    reg, key = opened
    refused(reg, lambda: reg.record_step(key, "area_notice", "2026-02-30"), "expected a date")  # type: ignore[arg-type]


def test_renewal_without_validity_and_change_without_filing(opened):
    reg, key = opened
    refused(reg, lambda: reg.renew(key, d("2026-03-04")), "only an active filing")
    refused(reg, lambda: reg.change(key, d("2026-03-04"), CONTENT), "no filed content")


def test_incident_report_before_discovery(opened):
    reg, _ = opened
    inc = reg.record_incident("acme", "hr", d("2026-03-10"), "leak")
    refused(reg, lambda: reg.report_incident(inc, d("2026-03-09")), "before the incident")
    refused(reg, lambda: reg.report_incident(999, d("2026-03-11")), "unknown incident")


def test_decision_snapshots_are_append_only(opened):
    reg, _ = opened
    sid = reg.snapshot_decision(
        "acme",
        "hr",
        as_of=d("2026-03-01"),
        pathway="exempt",
        list_versions={"cn-national-2024": "ab" * 32},
        input_hash="cd" * 32,
        engine_version="0.1.0",
        decision={"pathway": "exempt"},
    )
    from sqlalchemy.orm import Session

    from ftzlist.filings.models import DecisionSnapshot

    before = table_counts(reg)
    with Session(reg.engine) as s, pytest.raises(InputError, match="append-only"), s.begin():
        s.get(DecisionSnapshot, sid).pathway = "security_assessment"
    with Session(reg.engine) as s, pytest.raises(InputError, match="append-only"), s.begin():
        s.delete(s.get(DecisionSnapshot, sid))
    assert table_counts(reg) == before
    with Session(reg.engine) as s:
        assert s.get(DecisionSnapshot, sid).pathway == "exempt"
    assert dt.date(2026, 3, 1)


def test_append_only_in_the_database_itself(opened):
    """Raw SQL from any client cannot rewrite a decision snapshot or the audit trail."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    reg, _ = opened
    reg.snapshot_decision(
        "acme",
        "hr",
        as_of=d("2026-03-01"),
        pathway="exempt",
        list_versions={},
        input_hash="0" * 64,
        engine_version="0.1.0",
        decision={},
    )
    for sql in (
        "UPDATE decision_snapshots SET pathway = 'x'",
        "DELETE FROM decision_snapshots",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"), reg.engine.begin() as c:
            c.execute(text(sql))
    assert {e.actor for e in reg.audit()} == {"tester@example.com"}


def test_migrations_downgrade_and_upgrade(db_url):
    from ftzlist.filings.db import current_revision, head_revision, make_engine, upgrade

    engine = make_engine(db_url)
    from alembic import command

    from ftzlist.filings.db import _config

    with engine.begin() as c:
        command.downgrade(_config(c), "0001")
    assert current_revision(engine) == "0001"
    upgrade(engine)
    assert current_revision(engine) == head_revision() != "0001"  # head moves as migrations are added
    engine.dispose()
