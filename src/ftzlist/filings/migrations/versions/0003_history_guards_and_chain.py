"""register: history that cannot be rewritten by any SQL route, a hash-chained audit log

- Append-only tables (the audit log, decision snapshots and every record of what happened:
  applications, steps, filings, filed items, opinions, exports) refuse UPDATE and DELETE.
- Every register table refuses DELETE (the register never deletes), an INSERT over an existing row
  (SQLite `INSERT OR REPLACE`, which deletes the old row without firing delete triggers unless
  recursive triggers are on, and upserts on both databases), and on PostgreSQL TRUNCATE (which
  fires no row triggers).
- Audit entries get `seq` (1, 2, 3 ...) and a hash chain (`prev_sha256`, `sha256`); decision
  snapshots a `sha256` of their content; existing rows are hashed here.
- Proceedings get an `owner` (who in the team looks after them); filings a `basis` (filed |
  simplified_change), so a change is measured against what was filed and approved.
- `inconsistencies`: an export that differs from its filing, open until resolved.

The register's own updates of mutable rows (a proceeding's state, a deadline met) go through the
ORM and its audit hook; an UPDATE from another client is not refused here (the database cannot tell
the register from another client) but `ftzlist filings verify` finds it: the row no longer equals its
last audited image.

Revision ID: 0003
Revises: w001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "w001"
branch_labels = None
depends_on = None

APPEND_ONLY = (
    "audit_log",
    "decision_snapshots",
    "applications",
    "step_records",
    "filings",
    "filed_items",
    "opinions",
    "export_events",
)
MUTABLE = ("handlers", "flows", "proceedings", "incidents", "deadlines", "inconsistencies")
TABLES = APPEND_ONLY + MUTABLE
UNIQUE = {
    "handlers": (("key",),),
    "flows": (("handler_id", "key"),),
    "proceedings": (("key",),),
    "step_records": (("proceeding_id", "step_id", "export_event_id"),),
    "deadlines": (("owner", "key"),),
    "audit_log": (("seq",),),
}
"""Besides `id`: the unique keys an INSERT could collide with (NULLs never collide, as in the index)."""


def _collides(table: str) -> str:
    keys = (("id",), *UNIQUE.get(table, ()))
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE " + " AND ".join(f"{c} = NEW.{c}" for c in cols) + ")"
        for cols in keys
    )


def _message(table: str, what: str) -> str:
    if table in APPEND_ONLY and what.startswith(("UPDATE", "DELETE")):
        return f"{table} is append-only: {what} refused (ftzlist register history is never rewritten)"
    return f"{table}: {what} refused (ftzlist register history is never rewritten)"


def _drop_0002(dialect: str) -> None:
    for t in ("decision_snapshots", "audit_log"):
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
        else:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {t}_no_{event}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ftzlist_append_only()")


def _create_0002(dialect: str) -> None:
    """Revision 0002's triggers, for a downgrade."""
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION ftzlist_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is append-only: rows are never changed or deleted', TG_TABLE_NAME; END $$"
        )
    for t in ("decision_snapshots", "audit_log"):
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION ftzlist_append_only()"
            )
        else:
            for event in ("update", "delete"):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{event} BEFORE {event.upper()} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{t} is append-only: rows are never changed or deleted'); END"
                )


def create_guards(dialect: str) -> None:
    """The triggers (also called by tests that drop them to show what `verify` finds)."""
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION ftzlist_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        for t in TABLES:
            op.execute(
                f"CREATE OR REPLACE FUNCTION ftzlist_{t}_no_overwrite() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN IF {_collides(t)} THEN RAISE EXCEPTION '{_message(t, 'INSERT over an existing row')}' "
                "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$"
            )
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_overwrite BEFORE INSERT ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION ftzlist_{t}_no_overwrite()"
            )
            refused = "UPDATE OR DELETE" if t in APPEND_ONLY else "DELETE"
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_rewrite BEFORE {refused} ON {t} FOR EACH ROW "
                f"EXECUTE FUNCTION ftzlist_refuse('{_message(t, refused.replace(' OR ', '/'))}')"
            )
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION ftzlist_refuse('{_message(t, 'TRUNCATE')}')"
            )
    elif dialect == "sqlite":
        for t in TABLES:
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_overwrite BEFORE INSERT ON {t} WHEN {_collides(t)} "
                f"BEGIN SELECT RAISE(ABORT, '{_message(t, 'INSERT over an existing row (REPLACE, upsert)')}'); END"
            )
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_delete BEFORE DELETE ON {t} "
                f"BEGIN SELECT RAISE(ABORT, '{_message(t, 'DELETE')}'); END"
            )
            if t in APPEND_ONLY:
                op.execute(
                    f"CREATE TRIGGER ftzlist_{t}_no_update BEFORE UPDATE ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{_message(t, 'UPDATE')}'); END"
                )


def drop_guards(dialect: str) -> None:
    for t in TABLES:
        if dialect == "postgresql":
            for name in ("no_overwrite", "no_rewrite", "no_truncate"):
                op.execute(f"DROP TRIGGER IF EXISTS ftzlist_{t}_{name} ON {t}")
            op.execute(f"DROP FUNCTION IF EXISTS ftzlist_{t}_no_overwrite()")
        else:
            for name in ("no_overwrite", "no_delete", "no_update"):
                op.execute(f"DROP TRIGGER IF EXISTS ftzlist_{t}_{name}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS ftzlist_refuse()")


def _hash_existing(conn: sa.Connection) -> None:
    """Chain the entries written so far, hash the snapshots, mark filing versions, and audit the
    values this migration gave existing rows (so every row still equals its last audited image)."""
    import datetime as dt

    from ftzlist.filings.chain import GENESIS, canonical_value, entry_hash, snapshot_hash

    meta = sa.MetaData()
    audit = sa.Table("audit_log", meta, autoload_with=conn)
    prev, seq = GENESIS, 0
    rows = conn.execute(sa.select(audit).order_by(audit.c.id)).mappings().all()
    for seq, row in enumerate(rows, start=1):
        h = entry_hash(
            seq=seq,
            prev_sha256=prev,
            at=row["at"],
            actor=row["actor"],
            action=row["action"],
            table_name=row["table_name"],
            row_id=row["row_id"],
            before=row["before"],
            after=row["after"],
        )
        conn.execute(
            audit.update().where(audit.c.id == row["id"]).values(seq=seq, prev_sha256=prev, sha256=h)
        )
        prev = h

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    entries = []

    def image(table: sa.Table, row: sa.RowMapping) -> dict:
        return {c.name: canonical_value(c.type, row[c.name]) for c in table.columns}

    snaps = sa.Table("decision_snapshots", meta, autoload_with=conn)
    for row in conn.execute(sa.select(snaps).order_by(snaps.c.id)).mappings().all():
        sha = snapshot_hash(dict(row))
        conn.execute(snaps.update().where(snaps.c.id == row["id"]).values(sha256=sha))
        before = image(snaps, row)
        entries.append((snaps.name, row["id"], before, before | {"sha256": sha}))
    filings = sa.Table("filings", meta, autoload_with=conn)
    for row in conn.execute(sa.select(filings).order_by(filings.c.id)).mappings().all():
        basis = "simplified_change" if row["version"] > 1 else "filed"
        conn.execute(filings.update().where(filings.c.id == row["id"]).values(basis=basis))
        before = image(filings, row)
        entries.append((filings.name, row["id"], before, before | {"basis": basis}))
    for table_name, row_id, before, after in entries:
        seq += 1
        values = dict(
            seq=seq,
            at=now,
            actor="ftzlist migration 0003",
            action="migrate",
            table_name=table_name,
            row_id=row_id,
            before=before,
            after=after,
        )
        h = entry_hash(prev_sha256=prev, **values)
        conn.execute(audit.insert().values(**values, prev_sha256=prev, sha256=h))
        prev = h


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    _drop_0002(dialect)
    op.add_column("audit_log", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("prev_sha256", sa.String(length=64), nullable=True))
    op.add_column("audit_log", sa.Column("sha256", sa.String(length=64), nullable=True))
    op.add_column("decision_snapshots", sa.Column("sha256", sa.String(length=64), nullable=True))
    op.add_column("proceedings", sa.Column("owner", sa.String(length=200), nullable=True))
    op.add_column("filings", sa.Column("basis", sa.String(length=30), server_default="filed", nullable=False))
    _hash_existing(conn)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])
    with op.batch_alter_table("decision_snapshots", schema=None) as batch_op:
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
    op.create_table(
        "inconsistencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("export_event_id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["export_event_id"],
            ["export_events.id"],
            name=op.f("fk_inconsistencies_export_event_id_export_events"),
        ),
        sa.ForeignKeyConstraint(
            ["proceeding_id"], ["proceedings.id"], name=op.f("fk_inconsistencies_proceeding_id_proceedings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inconsistencies")),
    )
    with op.batch_alter_table("inconsistencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inconsistencies_export_event_id"), ["export_event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inconsistencies_proceeding_id"), ["proceeding_id"], unique=False)
    create_guards(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    drop_guards(dialect)
    op.drop_table("inconsistencies")
    op.drop_column("filings", "basis")
    op.drop_column("proceedings", "owner")
    with op.batch_alter_table("decision_snapshots", schema=None) as batch_op:
        batch_op.drop_column("sha256")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_column("sha256")
        batch_op.drop_column("prev_sha256")
        batch_op.drop_column("seq")
    _create_0002(dialect)
