"""The canonical form of register rows and audit entries, and the hashes built on it.

One function turns a row value into the form kept in the audit trail and compared by
`ftzlist filings verify`, whichever database it was read from: dates as ISO days, moments as UTC
ISO strings with microseconds (SQLite keeps no time zone, PostgreSQL returns the session's), JSON
as parsed values. Audit entries are chained: each entry's `sha256` covers its own content and the
previous entry's hash (`prev_sha256`; the first entry follows `GENESIS`), so an entry changed,
removed or inserted in the middle breaks the chain from that point on.

The format is a contract: a register written by one version is verified by the next. Change it
only with a migration that re-chains existing entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy.sql.type_api import TypeEngine

GENESIS = "0" * 64
CHAIN_FORMAT = 1


def moment(value: dt.datetime) -> str:
    """A moment as a UTC ISO string with microseconds; a naive moment is taken as UTC (how the
    register stores it on SQLite)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical_value(type_: TypeEngine | None, value: Any) -> Any:
    """A column value in the form the audit trail keeps. Strings already in ISO form (images
    written before this format) are normalised the same way, so old and new images compare."""
    if value is None:
        return None
    if isinstance(type_, DateTime):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return moment(value)
    if isinstance(type_, Date):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text kept: the same value gives the same text everywhere."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def entry_hash(
    *,
    seq: int,
    prev_sha256: str,
    at: dt.datetime | str,
    actor: str,
    action: str,
    table_name: str,
    row_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> str:
    """The hash of one audit entry, chained to the one before it."""
    return sha256_of(
        {
            "format": CHAIN_FORMAT,
            "seq": seq,
            "prev": prev_sha256,
            "at": moment(dt.datetime.fromisoformat(at)) if isinstance(at, str) else moment(at),
            "actor": actor,
            "action": action,
            "table": table_name,
            "row": row_id,
            "before": before,
            "after": after,
        }
    )


SNAPSHOT_FIELDS = (
    "flow_id",
    "taken_at",
    "as_of",
    "pathway",
    "list_versions",
    "input_hash",
    "engine_version",
    "decision",
)
"""What a decision snapshot's `sha256` covers: everything it records except its own id."""


def snapshot_hash(values: dict[str, Any]) -> str:
    """`values`: the snapshot's fields (`SNAPSHOT_FIELDS`), as stored or as canonical values."""
    out = {}
    for name in SNAPSHOT_FIELDS:
        v = values[name]
        if name == "taken_at":
            v = moment(dt.datetime.fromisoformat(v)) if isinstance(v, str) else moment(v)
        elif name == "as_of":
            v = v if isinstance(v, str) else v.isoformat()
        out[name] = v
    return sha256_of(out)
