"""History that cannot be rewritten (issue 11): every SQL route that would change or remove a
register row behind the register's back is refused by the database, or found by `filings verify`.

Routes tried on every table: UPDATE, DELETE, SQLite `INSERT OR REPLACE` (which deletes the old row
without firing delete triggers unless recursive triggers are on) and `REPLACE` over a unique key,
upserts (`ON CONFLICT DO UPDATE` / `DO NOTHING`) on both databases, PostgreSQL TRUNCATE. What the
database cannot refuse (an UPDATE of a row the register itself updates, anything done with the
triggers dropped or in PostgreSQL replica mode) `verify` reports, naming the table, row and columns.
"""

from __future__ import annotations

import datetime as dt

import pytest
from filings_support import d, populate
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from ftzlist.filings.audit import APPEND_ONLY, GUARDED
from ftzlist.filings.models import AuditEntry, Base
from ftzlist.filings.verify import Anchor, verify

APPEND_ONLY_TABLES = sorted(m.__tablename__ for m in APPEND_ONLY)
GUARDED_TABLES = sorted(m.__tablename__ for m in GUARDED)


@pytest.fixture
def full(reg):
    """A register with at least one row in every table."""
    reg.clock = lambda: dt.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=dt.UTC)
    populate(reg)
    with reg.engine.connect() as c:
        for t in Base.metadata.sorted_tables:
            assert c.scalar(select(func.count()).select_from(t)) > 0, t.name
    assert verify(reg.engine).ok
    return reg


def snapshot(reg) -> dict[str, list]:
    with reg.engine.connect() as c:
        return {
            t.name: [tuple(r) for r in c.execute(select(t).order_by(t.c.id))]
            for t in Base.metadata.sorted_tables
        }


def refused(reg, sql: str, match: str = "refused") -> None:
    before = snapshot(reg)
    with pytest.raises(DBAPIError, match=match), reg.engine.begin() as c:
        c.execute(text(sql))
    assert snapshot(reg) == before, sql
    report = verify(reg.engine)
    assert report.ok, report.problems


def first_id(reg, table: str) -> int:
    with reg.engine.connect() as c:
        return c.scalar(text(f"SELECT min(id) FROM {table}"))


def columns(table: str) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].columns]


def a_column(table: str) -> str:
    return next(c for c in columns(table) if c != "id")


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_append_only_tables_refuse_update(full, table):
    col = a_column(table)
    refused(full, f"UPDATE {table} SET {col} = {col}", "append-only")


@pytest.mark.parametrize("table", GUARDED_TABLES)
def test_every_table_refuses_delete(full, table):
    refused(full, f"DELETE FROM {table} WHERE id = {first_id(full, table)}")
    refused(full, f"DELETE FROM {table}")


@pytest.mark.parametrize("table", GUARDED_TABLES)
def test_every_table_refuses_an_insert_over_an_existing_row(full, table):
    """`INSERT OR REPLACE` on SQLite (with and without recursive triggers), upserts on both."""
    rid = first_id(full, table)
    cols = ", ".join(columns(table))
    col = a_column(table)
    copy = f"SELECT {cols} FROM {table} WHERE id = {rid}"
    if full.engine.dialect.name == "sqlite":
        refused(full, f"INSERT OR REPLACE INTO {table} ({cols}) {copy}")
        refused(full, f"REPLACE INTO {table} ({cols}) {copy}")
        refused(full, f"INSERT OR IGNORE INTO {table} ({cols}) {copy}")
        with full.engine.connect() as c:  # recursive triggers on: REPLACE would fire delete triggers
            c.exec_driver_sql("PRAGMA recursive_triggers = ON")
            c.commit()
            assert c.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1
            c.commit()
            with pytest.raises(DBAPIError, match="refused"), c.begin():
                c.exec_driver_sql(f"INSERT OR REPLACE INTO {table} ({cols}) {copy}")
    refused(
        full, f"INSERT INTO {table} ({cols}) {copy} ON CONFLICT (id) DO UPDATE SET {col} = excluded.{col}"
    )
    refused(full, f"INSERT INTO {table} ({cols}) {copy} ON CONFLICT DO NOTHING")


@pytest.mark.parametrize(
    ("table", "key"),
    [("proceedings", "key"), ("handlers", "key"), ("deadlines", "owner, key"), ("audit_log", "seq")],
)
def test_replace_over_a_unique_key_with_a_new_id(full, table, key):
    """A REPLACE that collides on a unique key (not the id) would delete the other row silently."""
    others = [c for c in columns(table) if c != "id"]
    cols = ", ".join(others)
    copy = f"SELECT {cols} FROM {table} WHERE id = {first_id(full, table)}"
    if full.engine.dialect.name == "sqlite":
        refused(full, f"INSERT OR REPLACE INTO {table} ({cols}) {copy}")
    refused(full, f"INSERT INTO {table} ({cols}) {copy} ON CONFLICT ({key}) DO NOTHING")


MUTABLE_TABLES = sorted(set(GUARDED_TABLES) - set(APPEND_ONLY_TABLES))


@pytest.mark.parametrize("table", MUTABLE_TABLES)
def test_an_update_cannot_give_a_row_another_id(full, table):
    """A row whose id changes is a row removed and another added; SQLite's `UPDATE OR REPLACE`
    onto an id in use deletes the row holding it without firing a delete trigger."""
    rid = first_id(full, table)
    col = a_column(table)
    refused(full, f"UPDATE {table} SET id = id + 1000 WHERE id = {rid}")
    if full.engine.dialect.name == "sqlite":
        refused(full, f"UPDATE OR REPLACE {table} SET id = id + 1000, {col} = {col} WHERE id = {rid}")


def test_update_or_replace_cannot_remove_the_row_holding_a_key(full):
    """`UPDATE OR REPLACE handlers SET key = 'acme' WHERE key = 'beta'` deleted handler acme (issue 11,
    red team R1): the REPLACE conflict resolution fires no delete trigger on SQLite."""
    full.add_handler("beta", "Beta")
    full.add_flow("beta", "hr")
    other = full.open_proceeding("beta", "hr", "fj.list_filing", d("2026-03-02"))
    assert verify(full.engine).ok
    first = first_id(full, "proceedings")
    with full.engine.connect() as c:
        acme = c.scalar(text("SELECT id FROM handlers WHERE key = 'acme'"))
        beta = c.scalar(text("SELECT id FROM handlers WHERE key = 'beta'"))
        first_key = c.scalar(text(f"SELECT key FROM proceedings WHERE id = {first}"))
    verb = "UPDATE OR REPLACE" if full.engine.dialect.name == "sqlite" else "UPDATE"
    match = "refused" if verb != "UPDATE" else "refused|duplicate key|unique"
    refused(full, f"{verb} handlers SET key = 'acme' WHERE key = 'beta'", match)
    refused(full, f"{verb} flows SET handler_id = {acme} WHERE handler_id = {beta}", match)
    refused(full, f"{verb} proceedings SET key = '{first_key}' WHERE key = '{other}'", match)
    refused(full, f"{verb} handlers SET id = {acme} WHERE id = {beta}", match)


@pytest.mark.parametrize("table", GUARDED_TABLES)
def test_postgres_refuses_truncate(full, table):
    if full.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    refused(full, f"TRUNCATE {table} CASCADE")
    refused(full, f"TRUNCATE {table} RESTART IDENTITY CASCADE")


def test_postgres_refuses_truncating_everything_at_once(full):
    if full.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    refused(full, "TRUNCATE " + ", ".join(GUARDED_TABLES) + " CASCADE")


def test_the_register_refuses_deletes_and_rewrites_itself(full):
    """The ORM hook: the register's own code gets a clear error before the database is asked."""
    from sqlalchemy.orm import Session

    from ftzlist.errors import InputError
    from ftzlist.filings.models import FiledItem, Opinion, Proceeding

    for model, change in (
        (Opinion, lambda o: setattr(o, "outcome", "on_list")),
        (FiledItem, lambda o: setattr(o, "persons", 1)),
    ):
        with Session(full.engine) as s, pytest.raises(InputError, match="append-only"), s.begin():
            change(s.scalars(select(model)).first())
    with Session(full.engine) as s, pytest.raises(InputError, match="never deleted"), s.begin():
        s.delete(s.scalars(select(Proceeding)).first())
    assert verify(full.engine).ok


# -- what the database cannot refuse, verify finds -------------------------------------------------


def problems(reg, anchor: Anchor | None = None) -> list[str]:
    return [str(p) for p in verify(reg.engine, anchor=anchor).problems]


def test_verify_finds_an_update_of_a_mutable_row(full):
    pid = first_id(full, "proceedings")
    with full.engine.begin() as c:
        c.execute(text(f"UPDATE proceedings SET state = 'refused', owner = 'x' WHERE id = {pid}"))
    found = problems(full)
    assert len(found) == 1 and found[0].startswith(f"proceedings#{pid}: changed outside ftzlist")
    assert found[0].endswith(": owner, state")


def test_verify_finds_a_row_added_without_the_register(full):
    with full.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO handlers (key, name, created_at) VALUES ('ghost', 'Ghost', '2026-03-01 00:00:00')"
            )
        )
    [found] = problems(full)
    assert "handlers#" in found and "no audit entry" in found


def bypass(reg, sql: str) -> None:
    """Change the database as its owner can: triggers dropped (SQLite) or replica mode (PostgreSQL)."""
    with reg.engine.begin() as c:
        if c.dialect.name == "postgresql":
            c.exec_driver_sql("SET LOCAL session_replication_role = replica")
        else:
            names = [r[0] for r in c.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
            for n in names:
                c.exec_driver_sql(f"DROP TRIGGER {n}")
        c.execute(text(sql))


def restore_guards(reg) -> None:
    if reg.engine.dialect.name == "sqlite":
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        with reg.engine.begin() as c, Operations.context(MigrationContext.configure(c)):
            _guards_module().create_guards("sqlite")
            _guards_module("a001")._guards("sqlite")
            _guards_module("0004").create_guards("sqlite")


def _guards_module(revision: str = "0003"):
    import importlib.util

    from ftzlist.filings.db import MIGRATIONS

    path = next((MIGRATIONS / "versions").glob(f"{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(f"m{revision}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    ("sql", "expect"),
    [
        ("DELETE FROM opinions", "opinions#1: row is gone"),
        ("UPDATE filed_items SET persons = 50", "filed_items#1: changed outside ftzlist since entry"),
        ("UPDATE export_events SET persons = 400", "export_events#1: changed outside ftzlist"),
        ("DELETE FROM inconsistencies", "inconsistencies#1: row is gone"),
        (
            "UPDATE decision_snapshots SET pathway = 'exempt'",
            "decision_snapshots#1: content no longer matches",
        ),
    ],
)
def test_verify_finds_rewrites_made_round_the_guards(full, sql, expect):
    bypass(full, sql)
    found = problems(full)
    assert any(p.startswith(expect) for p in found), found
    if full.engine.dialect.name == "sqlite":
        assert any("trigger ftzlist_" in p and "is missing" in p for p in found)
        restore_guards(full)
        assert not any("trigger" in p for p in problems(full))


def test_verify_finds_a_guard_that_fires_only_in_replica_sessions(full):
    """PostgreSQL: `ENABLE REPLICA TRIGGER` leaves the trigger 'enabled' in the catalogue but it
    fires only in replica sessions, never for an ordinary client (red team R2)."""
    if full.engine.dialect.name != "postgresql":
        pytest.skip("trigger firing modes are PostgreSQL's")
    with full.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE audit_log ENABLE REPLICA TRIGGER ftzlist_audit_log_no_rewrite")
    found = problems(full)
    assert found == [
        "audit_log: trigger ftzlist_audit_log_no_rewrite fires only in replica sessions: rewrites are not refused"
    ]
    with full.engine.begin() as c:
        c.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER ftzlist_audit_log_no_rewrite")
    assert verify(full.engine).ok


def test_verify_finds_an_audit_entry_changed_or_removed(full):
    n = len(full.audit())
    bypass(full, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3")
    found = problems(full)
    assert any(p.startswith("audit_log#") and "entry 3 was changed after it was written" in p for p in found)
    bypass(full, "DELETE FROM audit_log WHERE seq = 5")
    found = problems(full)
    assert any("entries 5..5 are missing" in p for p in found), found
    assert any("entry 6 does not follow entry 4" in p for p in found), found
    assert n > 6


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("table", ["audit_log", "decision_snapshots"])
def test_verify_reports_a_dropped_table_instead_of_failing(backend, table, tmp_path):
    """`DROP TABLE audit_log CASCADE` made verify fail with an internal error, exit 3 (red team R5):
    the history is gone, which is what verify exists to say. (Its own database: the shared
    PostgreSQL test database keeps its tables.)"""
    from filings_support import bundled_book, create_pg_db, drop_pg_db, pg_available

    from ftzlist.calendar import bundled_calendar
    from ftzlist.filings.register import Register

    name = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    elif not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    else:
        name, url = create_pg_db()
    reg = Register.open(url, calendar=bundled_calendar(), procedures=bundled_book(), actor="t")
    try:
        reg.add_handler("acme", "Acme")
        reg.add_flow("acme", "hr")
        assert verify(reg.engine).ok
        with reg.engine.begin() as c:
            c.exec_driver_sql(f"DROP TABLE {table}" + (" CASCADE" if backend == "postgres" else ""))
        found = problems(reg)
        assert f"{table}: table is missing (dropped outside ftzlist)" in found, found
        assert any(p.startswith(f"{table}: trigger ftzlist_{table}_") for p in found), found
        if table == "audit_log":
            assert any("row has no audit entry" in p for p in found), found
    finally:
        reg.close()
        if name:
            drop_pg_db(name)


def test_verify_finds_a_forged_entry_appended_at_the_end(full):
    """Appending is allowed by the triggers; an entry not made by the register breaks the chain."""
    with full.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO audit_log (seq, at, actor, action, table_name, row_id, before, after, prev_sha256, sha256) "
                "SELECT max(seq) + 1, '2026-03-11 00:00:00', 'me', 'x', 'handlers', 1, NULL, NULL, 'f', 'f' FROM audit_log"
            )
        )
    found = problems(full)
    assert any("does not follow" in p for p in found) and any(
        "changed after it was written" in p for p in found
    )


def test_an_anchor_catches_the_tail_of_history_cut_off(full):
    head = verify(full.engine).head
    assert head is not None and verify(full.engine, anchor=head).ok
    full.resolve_inconsistency(1, d("2026-03-12"), "change filed")
    later = verify(full.engine).head
    # cut the last change and the entry that recorded it: the chain alone is whole again
    bypass(full, f"DELETE FROM audit_log WHERE seq > {head.seq}")
    bypass(full, "UPDATE inconsistencies SET resolved_on = NULL, resolution = NULL")
    if full.engine.dialect.name == "sqlite":
        restore_guards(full)
    assert verify(full.engine, anchor=head).ok  # the old anchor is still there
    found = problems(full, anchor=later)
    assert found == [
        f"audit_log: anchored entry {later.seq} is gone: the chain ends at {head.seq} (history cut off)"
    ]


def test_verify_on_a_clean_register_names_its_head(full):
    report = verify(full.engine)
    with full.engine.connect() as c:
        last = c.execute(select(AuditEntry.seq, AuditEntry.sha256).order_by(AuditEntry.seq.desc())).first()
    assert report.ok and report.head == Anchor(last[0], last[1])
    assert report.entries == last[0] and report.snapshots == 1
    assert report.tables == len(Base.metadata.sorted_tables) - 1


def test_guard_sets_agree_with_the_migration():
    mod = _guards_module()
    assert set(mod.APPEND_ONLY) == set(APPEND_ONLY_TABLES)
    assert set(mod.TABLES) == set(GUARDED_TABLES) == {t.name for t in Base.metadata.sorted_tables}
    from ftzlist.agency import models as desk
    from ftzlist.filings import verify as v

    later = _guards_module("0004")
    assert set(later.UPDATED) == set(MUTABLE_TABLES) | set(desk.MUTABLE_TABLES)
    assert (v.DESK_APPEND_ONLY, v.DESK_UPDATED) == (desk.APPEND_ONLY_TABLES, desk.MUTABLE_TABLES)
    assert set(later.AGENCY) == set(desk.APPEND_ONLY_TABLES + desk.MUTABLE_TABLES)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_register_written_before_the_chain_verifies_after_the_upgrade(backend, tmp_path):
    """Migration 0003 chains the entries written under 0002 (their images kept moments with a
    UTC offset) and hashes the snapshots kept then."""
    import json

    from filings_support import create_pg_db, drop_pg_db, pg_available

    from ftzlist.filings.db import make_engine, upgrade

    if backend == "postgres":
        if not pg_available():
            pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
        name, url = create_pg_db()
    else:
        name, url = None, f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    try:
        upgrade(engine, "0002")
        at = "2026-03-02 09:00:00.000001"
        handler = {"id": 1, "key": "acme", "name": "Acme", "uscc": None, "zone": None}
        flow = {"id": 1, "handler_id": 1, "key": "hr", "scenario": None, "purpose": None}
        flow |= {"recipient_name": None, "recipient_country": None, "declaration": None}
        snap = {"id": 1, "flow_id": 1, "as_of": "2026-03-01", "pathway": "exempt", "list_versions": {}}
        snap |= {"input_hash": "0" * 64, "engine_version": "old", "decision": {"pathway": "exempt"}}
        with engine.begin() as c:
            c.execute(text("INSERT INTO handlers VALUES (1, 'acme', 'Acme', NULL, NULL, :at)"), {"at": at})
            c.execute(
                text("INSERT INTO flows VALUES (1, 1, 'hr', NULL, NULL, NULL, NULL, NULL, :at)"), {"at": at}
            )
            c.execute(
                text(
                    "INSERT INTO decision_snapshots VALUES (1, 1, :at, '2026-03-01', 'exempt', :lv, :h, 'old', :d)"
                ),
                {"at": at, "lv": "{}", "h": "0" * 64, "d": json.dumps({"pathway": "exempt"})},
            )
            for i, (table, image) in enumerate(
                (
                    ("handlers", handler | {"created_at": "2026-03-02T09:00:00.000001+00:00"}),
                    ("flows", flow | {"created_at": "2026-03-02T09:00:00.000001+00:00"}),
                    ("decision_snapshots", snap | {"taken_at": "2026-03-02T09:00:00.000001+00:00"}),
                ),
                start=1,
            ):
                c.execute(
                    text(
                        "INSERT INTO audit_log (id, at, actor, action, table_name, row_id, before, after) "
                        "VALUES (:id, :at, 'old', 'add', :t, 1, NULL, :after)"
                    ),
                    {"id": i * 10, "at": at, "t": table, "after": json.dumps(image)},
                )
        upgrade(engine)
        report = verify(engine)
        assert report.ok, report.problems
        assert report.entries == 4 and report.snapshots == 1 and report.rows == 3
        with engine.connect() as c:  # the migration audits the hash it gave the snapshot
            last = c.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert (last.actor, last.table_name, last.before["sha256"]) == (
            "ftzlist migration 0003",
            "decision_snapshots",
            None,
        )
        with engine.begin() as c:
            c.execute(text("UPDATE handlers SET name = 'Other' WHERE id = 1"))
        assert [str(p) for p in verify(engine).problems] == [
            "handlers#1: changed outside ftzlist since entry 1: name"
        ]
    finally:
        engine.dispose()
        if name:
            drop_pg_db(name)
