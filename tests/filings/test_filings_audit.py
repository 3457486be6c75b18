"""Every change appears in the audit trail (who, when, what, before/after); the migrated schema is
the models' schema."""

from __future__ import annotations

import datetime as dt

import pytest
from filings_support import d
from sqlalchemy import func, select

from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.db import current_revision, head_revision, upgrade
from ftzlist.filings.models import AuditEntry, Base

CONTENT = FiledContent.model_validate(
    {
        "purpose": "HR",
        "recipient": {"name": "P", "country": "DE"},
        "items": [{"id": "x", "category": "pi.id"}],
    }
)


def test_every_row_has_an_insert_entry_and_every_update_its_before_after(reg):
    reg.clock = lambda: dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "hr")
    key = reg.open_proceeding("acme", "hr", "fj.list_filing", d("2026-03-02"))
    reg.record_step(key, "area_notice", d("2026-03-03"))
    reg.record_filing(key, d("2026-03-04"), CONTENT)
    reg.record_opinion(key, d("2026-03-06"), "off_list")
    with reg.engine.connect() as c:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            ids = set(c.scalars(select(table.c.id)))
            audited = set(
                c.scalars(
                    select(AuditEntry.row_id).where(
                        AuditEntry.table_name == table.name, AuditEntry.before.is_(None)
                    )
                )
            )
            assert ids <= audited, f"{table.name}: rows without an insert entry: {ids - audited}"
    entries = reg.audit(table="proceedings")
    assert all(e.actor == "tester@example.com" for e in entries)
    assert all(e.at.replace(tzinfo=dt.UTC) == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC) for e in entries)
    activated = [
        e for e in entries if e.before and e.before["state"] == "open" and e.after["state"] == "active"
    ]
    assert len(activated) == 1 and activated[0].action == "record_opinion"
    assert activated[0].after["valid_until"] == "2029-03-06" and activated[0].before["valid_until"] is None
    deadline_updates = [e for e in reg.audit(table="deadlines") if e.before is not None]
    assert any(e.before["met_on"] is None and e.after["met_on"] == "2026-03-03" for e in deadline_updates)


def test_refused_change_leaves_no_audit_entry(reg):
    reg.add_handler("acme", "Acme")
    before = len(reg.audit())
    with pytest.raises(InputError, match="already exists"):
        reg.add_handler("acme", "Acme")
    assert len(reg.audit()) == before


def test_migrated_schema_matches_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from ftzlist.filings.db import make_engine
    from ftzlist.web.models import ALL_METADATA  # the workspace's tables share the migration chain

    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # idempotent
    assert current_revision(engine) == head_revision()
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), list(ALL_METADATA))
    engine.dispose()
    assert diff == []


def test_audit_count_grows_with_changes_only(reg):
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "hr")
    n = len(reg.audit())
    reg.due(d("2026-03-02"))
    reg.list_proceedings()
    assert len(reg.audit()) == n
    with reg.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(AuditEntry)) == n
