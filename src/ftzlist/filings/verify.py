"""`ftzlist filings verify`: is the register's history whole?

Four checks, on one consistent read of the database:

1. The audit chain: entries numbered 1, 2, 3 ... with no gap, each one's hash recomputed from its
   content and the previous entry's hash (`ftzlist.filings.chain`). An entry changed, removed or
   slipped in breaks the chain there.
2. The rows: replaying the audit trail gives the image every row had after its last audited change;
   every row of every register table must equal it. A row changed, added or removed by anything but
   the register (raw SQL, another tool, triggers disabled) differs from its image.
3. Decision snapshots: each one's content against its `sha256`.
4. The guards: the triggers that refuse rewrites (migrations 0003, a001, 0004; the agency desk's
   tables too) are all present and fire for every client (not disabled, not replica-only).

An optional anchor (`seq:sha256`, printed by an earlier verify and kept elsewhere, e.g. in an
evidence bundle) must still be in the chain: that catches the one rewrite the chain cannot see on
its own, the tail of the history cut off together with the rows it described.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, Table, inspect, select

from ftzlist.errors import InputError
from ftzlist.filings.audit import APPEND_ONLY, GUARDED
from ftzlist.filings.chain import (
    GENESIS,
    canonical_json,
    canonical_value,
    entry_hash,
    sha256_of,
    snapshot_hash,
)
from ftzlist.filings.models import AuditEntry, Base, DecisionSnapshot

BATCH = 2000


@dataclass(frozen=True)
class Problem:
    kind: str  # chain | row | snapshot | guard | anchor
    table: str | None
    row: int | None
    what: str

    def __str__(self) -> str:
        where = f"{self.table}#{self.row}" if self.row is not None else (self.table or "register")
        return f"{where}: {self.what}"


@dataclass(frozen=True)
class Anchor:
    seq: int
    sha256: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        m = re.fullmatch(r"\s*(\d+):([0-9a-f]{64})\s*", text)
        if not m:
            raise InputError(f"--anchor: expected SEQ:SHA256 as printed by `filings verify`, got {text!r}")
        return cls(int(m.group(1)), m.group(2))

    def __str__(self) -> str:
        return f"{self.seq}:{self.sha256}"


@dataclass
class VerifyReport:
    entries: int = 0
    rows: int = 0
    tables: int = 0
    snapshots: int = 0
    head: Anchor | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(engine: Engine, *, anchor: Anchor | None = None, max_problems: int = 1000) -> VerifyReport:
    """Check the register's history (see the module docstring). Reads only."""
    report = VerifyReport()
    conn_opts = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**conn_opts) as conn, conn.begin():
        tables = _tables(conn)
        existing = set(inspect(conn).get_table_names())
        if AuditEntry.__tablename__ in existing:
            images = _check_chain(conn, report, anchor, tables)
        else:
            images = {}
            report.problems.append(_missing(AuditEntry.__tablename__))
        _check_rows(conn, report, images, tables, existing)
        if DecisionSnapshot.__tablename__ in existing:
            _check_snapshots(conn, report)
        _check_guards(conn, report)
    if len(report.problems) > max_problems:
        more = len(report.problems) - max_problems
        report.problems = [*report.problems[:max_problems], Problem("more", None, None, f"{more:,} more")]
    return report


def _entries(conn: Connection) -> Iterator[AuditEntry]:
    t = AuditEntry.__table__
    last = None
    while True:
        q = select(t).order_by(t.c.seq).limit(BATCH)
        if last is not None:
            q = q.where(t.c.seq > last)
        rows = conn.execute(q).mappings().all()
        if not rows:
            return
        yield from rows  # type: ignore[misc]
        last = rows[-1]["seq"]


def _check_chain(
    conn: Connection, report: VerifyReport, anchor: Anchor | None, tables: dict[str, Table]
) -> dict[tuple[str, int], tuple[int, str | None]]:
    """Walk the chain; return (table, row) -> (seq of the last entry, hash of its after-image)."""
    images: dict[tuple[str, int], tuple[int, str | None]] = {}
    prev_seq, prev_sha = 0, GENESIS
    anchor_seen = False
    for e in _entries(conn):
        report.entries += 1
        seq = e["seq"]
        if seq != prev_seq + 1:
            report.problems.append(
                Problem(
                    "chain",
                    "audit_log",
                    None,
                    f"entries {prev_seq + 1}..{seq - 1} are missing (removed outside ftzlist)"
                    if seq > prev_seq + 1
                    else f"entry {seq} is out of order",
                )
            )
        if e["prev_sha256"] != prev_sha:
            report.problems.append(
                Problem("chain", "audit_log", e["id"], f"entry {seq} does not follow entry {prev_seq}")
            )
        expected = entry_hash(
            seq=seq,
            prev_sha256=e["prev_sha256"],
            at=e["at"],
            actor=e["actor"],
            action=e["action"],
            table_name=e["table_name"],
            row_id=e["row_id"],
            before=e["before"],
            after=e["after"],
        )
        if expected != e["sha256"]:
            report.problems.append(
                Problem("chain", "audit_log", e["id"], f"entry {seq} was changed after it was written")
            )
        if anchor is not None and seq == anchor.seq:
            anchor_seen = True
            if e["sha256"] != anchor.sha256:
                report.problems.append(
                    Problem("anchor", "audit_log", e["id"], f"entry {seq} is not the one anchored ({anchor})")
                )
        if e["row_id"] is not None:
            after = e["after"]
            digest = None if after is None else sha256_of(_image(tables.get(e["table_name"]), after))
            images[(e["table_name"], e["row_id"])] = (seq, digest)
        prev_seq, prev_sha = seq, e["sha256"]
    if report.entries:
        report.head = Anchor(prev_seq, prev_sha)
    if anchor is not None and not anchor_seen:
        report.problems.append(
            Problem(
                "anchor",
                "audit_log",
                None,
                f"anchored entry {anchor.seq} is gone: the chain ends at {prev_seq} (history cut off)",
            )
        )
    return images


def _tables(conn: Connection) -> dict[str, Table]:
    """The register's tables (rows of other tables sharing the database, such as the workspace's
    accounts, are chained in the audit log but audited by their own summaries, not whole images)."""
    return {t.name: t for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__}


def _image(table: Table | None, values: dict) -> dict:
    """A row image in canonical form over the table's columns as they are now: images written
    before a column existed read it as NULL (a migration that fills a column audits the values)."""
    if table is None:
        return values
    return {c.name: canonical_value(c.type, values.get(c.name)) for c in table.columns}


def _missing(table: str) -> Problem:
    return Problem("row", table, None, "table is missing (dropped outside ftzlist)")


def _check_rows(
    conn: Connection,
    report: VerifyReport,
    images: dict[tuple[str, int], tuple[int, str | None]],
    tables: dict[str, Table],
    existing: set[str],
) -> None:
    seen: set[tuple[str, int]] = set()
    for name, table in sorted(tables.items()):
        if name not in existing:
            report.problems.append(_missing(name))
            continue
        report.tables += 1
        for row in conn.execute(select(table)).mappings():
            report.rows += 1
            rid = row["id"]
            key = (name, rid)
            seen.add(key)
            image = _image(table, dict(row))
            known = images.get(key)
            if known is None:
                report.problems.append(
                    Problem("row", name, rid, "row has no audit entry (added outside ftzlist)")
                )
            elif known[1] is None:
                report.problems.append(
                    Problem("row", name, rid, f"row was deleted (entry {known[0]}) and is back")
                )
            elif sha256_of(image) != known[1]:
                cols = _changed_columns(conn, known[0], image, table)
                report.problems.append(
                    Problem(
                        "row",
                        name,
                        rid,
                        f"changed outside ftzlist since entry {known[0]}: {', '.join(cols) or 'its content'}",
                    )
                )
    for (table_name, rid), (seq, digest) in sorted(images.items()):
        if digest is not None and table_name in tables and (table_name, rid) not in seen:
            report.problems.append(
                Problem(
                    "row",
                    table_name,
                    rid,
                    f"row is gone (last audited in entry {seq}; removed outside ftzlist)",
                )
            )


def _changed_columns(conn: Connection, seq: int, image: dict, table: Table) -> list[str]:
    t = AuditEntry.__table__
    after = _image(table, conn.execute(select(t.c.after).where(t.c.seq == seq)).scalar_one() or {})
    names = sorted(set(after) | set(image))
    return [n for n in names if canonical_json(after.get(n)) != canonical_json(image.get(n))]


def _check_snapshots(conn: Connection, report: VerifyReport) -> None:
    t = DecisionSnapshot.__table__
    for row in conn.execute(select(t)).mappings():
        report.snapshots += 1
        if snapshot_hash(dict(row)) != row["sha256"]:
            report.problems.append(
                Problem(
                    "snapshot",
                    t.name,
                    row["id"],
                    "content no longer matches its sha256 (changed outside ftzlist)",
                )
            )


DESK_APPEND_ONLY = ("agency_addresses", "agency_reports")
DESK_UPDATED = ("agency_spot_checks", "agency_orders")
"""The agency desk's tables (`ftzlist.agency.models`, migration a001), which share the register's
database and its guards."""


def expected_guards(dialect: str) -> dict[str, str]:
    """Trigger name -> table, as migrations 0003, a001 and 0004 create them."""
    out = {}
    append_only = {m.__tablename__ for m in APPEND_ONLY}
    for model in GUARDED:
        t = model.__tablename__
        names = (
            ("no_overwrite", "no_rewrite", "no_truncate")
            if dialect == "postgresql"
            else ("no_overwrite", "no_delete", *(("no_update",) if t in append_only else ()))
        )
        if t not in append_only:
            names = (*names, "no_replace")
        out.update({f"ftzlist_{t}_{n}": t for n in names})
    for t in DESK_APPEND_ONLY + DESK_UPDATED:
        names = ("no_overwrite", "no_delete")
        names += ("no_update",) if t in DESK_APPEND_ONLY else ("no_replace",)
        if dialect == "postgresql":
            names += ("no_truncate",)
        out.update({f"ftzlist_{t}_{n}": t for n in names})
    return out


def _check_guards(conn: Connection, report: VerifyReport) -> None:
    dialect = conn.dialect.name
    if dialect == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal AND starts_with(tgname, 'ftzlist_')"
        ).all()
        # 'O' fires in ordinary sessions, 'A' always; 'D' never, 'R' only in replica sessions
        present = {name: {"O": True, "A": True, "R": "replica"}.get(enabled, False) for name, enabled in rows}
    elif dialect == "sqlite":
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()
        present = {r[0]: True for r in rows}
    else:  # pragma: no cover - the register runs on SQLite and PostgreSQL
        return
    for name, table in sorted(expected_guards(dialect).items()):
        if name not in present:
            report.problems.append(
                Problem("guard", table, None, f"trigger {name} is missing: rewrites are not refused")
            )
        elif present[name] == "replica":
            report.problems.append(
                Problem(
                    "guard",
                    table,
                    None,
                    f"trigger {name} fires only in replica sessions: rewrites are not refused",
                )
            )
        elif not present[name]:
            report.problems.append(
                Problem("guard", table, None, f"trigger {name} is disabled: rewrites are not refused")
            )
