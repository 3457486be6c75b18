"""The audit trail: every insert, update and delete in the register becomes an `audit_log` row in
the same transaction (who, when, what, the row before and after), so a change without its audit
entry cannot be committed. Entries are hash-chained in `seq` order (`ftzlist.filings.chain`).

What may change at all is stated here and enforced twice: by the session hook below (a clear
`InputError` for the register's own code) and by database triggers (migration 0003) for any other
client. Append-only tables take inserts only; no register row is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session

from ftzlist.errors import InputError
from ftzlist.filings.chain import GENESIS, SNAPSHOT_FIELDS, canonical_value, entry_hash, snapshot_hash
from ftzlist.filings.models import (
    Application,
    AuditEntry,
    Base,
    Deadline,
    DecisionSnapshot,
    ExportEvent,
    FiledItem,
    Filing,
    Flow,
    Handler,
    Incident,
    Inconsistency,
    Opinion,
    Proceeding,
    StepRecord,
)

APPEND_ONLY = (AuditEntry, DecisionSnapshot, Application, StepRecord, Filing, FiledItem, Opinion, ExportEvent)
"""Records of what happened: never changed once written."""
MUTABLE = (Handler, Flow, Proceeding, Incident, Deadline, Inconsistency)
"""Rows the register updates (a proceeding's state, a deadline met), each update audited."""
GUARDED = APPEND_ONLY + MUTABLE
"""The register's tables: never deleted from; the database refuses other routes (migration 0003)."""

WRITE_LOCK = 4242019
"""PostgreSQL advisory lock every register write transaction holds: the chain is extended by one
writer at a time (SQLite's `BEGIN IMMEDIATE` serialises writers already)."""


def lock_for_write(session: Session) -> None:
    """Take the register's write lock (PostgreSQL; a no-op on SQLite). Call it first in a write
    transaction: taking it after row locks could deadlock against another writer."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"))


def row_image(obj: Base) -> dict[str, Any]:
    """The row as the audit trail keeps it (canonical values, ftzlist.filings.chain)."""
    mapper = inspect(obj).mapper
    return {c.key: canonical_value(c.columns[0].type, getattr(obj, c.key)) for c in mapper.column_attrs}


def _before(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        value = hist.deleted[0] if hist.deleted else getattr(obj, attr.key)
        out[attr.key] = canonical_value(attr.columns[0].type, value)
    return out


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, _ctx, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY):
            raise InputError(f"{obj.__tablename__} is append-only: rows are never changed or deleted")
        if isinstance(obj, GUARDED):
            raise InputError(f"{obj.__tablename__}: register rows are never deleted")
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj):
            raise InputError(f"{obj.__tablename__} is append-only: rows are never changed or deleted")
    for obj in session.new:
        if isinstance(obj, DecisionSnapshot):
            obj.sha256 = snapshot_hash({k: getattr(obj, k) for k in SNAPSHOT_FIELDS})


@event.listens_for(Session, "after_flush")
def _audit(session: Session, _ctx) -> None:
    actor = session.info.get("actor")
    if actor is None:  # a session not opened by the register: nothing to attribute (verify flags it)
        return
    now = session.info.get("now") or dt.datetime.now(dt.UTC)
    action = session.info.get("action", "change")
    changes: list[tuple[Any, dict | None, dict | None]] = []
    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            changes.append((obj, None, row_image(obj)))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _before(obj), row_image(obj)
        if before != after:
            changes.append((obj, before, after))
    if changes:
        append_entries(
            session,
            [
                dict(
                    at=now,
                    actor=actor,
                    action=action,
                    table_name=obj.__tablename__,
                    row_id=obj.id,
                    before=before,
                    after=after,
                )
                for obj, before, after in sorted(changes, key=lambda c: (c[0].__tablename__, c[0].id))
            ],
        )


def append_entries(session: Session, entries: list[dict[str, Any]]) -> None:
    """Append audit entries to the chain, in order: each a dict of `at` (a moment), `actor`,
    `action`, `table_name`, `row_id`, `before`, `after` (JSON-able; images of register rows come
    from the session hook). Takes the write lock; call `lock_for_write` at the start of the
    transaction to avoid waiting for it while holding row locks."""
    lock_for_write(session)  # re-entrant: a register session holds it already
    conn = session.connection()
    head = conn.execute(
        select(AuditEntry.seq, AuditEntry.sha256).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head[0], head[1]) if head else (0, GENESIS)
    rows = []
    for e in entries:
        seq += 1
        at = e["at"].astimezone(dt.UTC) if e["at"].tzinfo is not None else e["at"]
        entry = dict(e, seq=seq, at=at)
        sha = entry_hash(prev_sha256=prev, **entry)
        rows.append(entry | {"prev_sha256": prev, "sha256": sha})
        prev = sha
    conn.execute(insert(AuditEntry), rows)
