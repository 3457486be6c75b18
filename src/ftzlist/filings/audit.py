"""The audit trail: every insert, update and delete in the register becomes an `audit_log` row in
the same transaction (who, when, what, the row before and after), so a change without its audit
entry cannot be committed. Decision snapshots and the audit log itself are append-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from ftzlist.errors import InputError
from ftzlist.filings.models import AuditEntry, Base, DecisionSnapshot

APPEND_ONLY = (DecisionSnapshot, AuditEntry)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


def row_dict(obj: Base) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _jsonable(getattr(obj, c.key)) for c in mapper.column_attrs}


def _before(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            out[attr.key] = _jsonable(hist.deleted[0])
        else:
            out[attr.key] = _jsonable(getattr(obj, attr.key))
    return out


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session: Session, _ctx, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise InputError(f"{obj.__tablename__} is append-only: rows are never changed or deleted")


@event.listens_for(Session, "after_flush")
def _audit(session: Session, _ctx) -> None:
    actor = session.info.get("actor")
    if actor is None:  # a session not opened by the register: nothing to attribute
        return
    now = session.info.get("now") or dt.datetime.now(dt.UTC)
    action = session.info.get("action", "change")
    rows = []

    def entry(obj: Any, before: dict | None, after: dict | None) -> dict:
        return dict(
            at=now,
            actor=actor,
            action=action,
            table_name=obj.__tablename__,
            row_id=obj.id,
            before=before,
            after=after,
        )

    for obj in session.new:
        if isinstance(obj, AuditEntry):
            continue
        rows.append(entry(obj, None, row_dict(obj)))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj, include_collections=False):
            continue
        before, after = _before(obj), row_dict(obj)
        if before == after:
            continue
        rows.append(entry(obj, before, after))
    for obj in session.deleted:
        rows.append(entry(obj, row_dict(obj), None))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
