"""guards against rewrites by UPDATE and on the agency desk's tables

Two routes migrations 0003 and a001 left open:

- An UPDATE that gives a row another id, or (SQLite) `UPDATE OR REPLACE` onto an id or unique key
  another row holds: the REPLACE conflict resolution deletes that other row without firing a
  delete trigger (`UPDATE OR REPLACE handlers SET key = 'acme' WHERE key = 'beta'` removed handler
  acme). A BEFORE UPDATE trigger on every table the register updates refuses a changed id and,
  on SQLite, an update onto another row's id or unique key.
- The agency desk's tables (migration a001) had no guard against an INSERT over an existing row:
  SQLite's `INSERT OR REPLACE` moved an append-only address to another desk. They get the
  register's `no_overwrite` trigger.

Revision ID: 0004
Revises: a001
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "a001"
branch_labels = None
depends_on = None

UPDATED = {
    "handlers": (("key",),),
    "flows": (("handler_id", "key"),),
    "proceedings": (("key",),),
    "incidents": (),
    "deadlines": (("owner", "key"),),
    "inconsistencies": (),
    "agency_spot_checks": (),
    "agency_orders": (),
}
"""Tables whose rows are updated, with their unique keys besides `id` (as in the schema)."""

AGENCY = {
    "agency_addresses": (("proceeding_id",),),
    "agency_reports": (),
    "agency_spot_checks": (),
    "agency_orders": (),
}
"""The desk's tables (migration a001), with their unique keys besides `id`."""

SUFFIX = " refused (ftzlist register history is never rewritten)"


def _held(table: str, keys: tuple[tuple[str, ...], ...], new: str) -> str:
    """SQL: another row holds NEW's id or one of its unique keys (NULLs never collide)."""
    return " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} WHERE {new}" + " AND ".join(f"{c} = NEW.{c}" for c in cols) + ")"
        for cols in (("id",), *keys)
    )


def create_guards(dialect: str) -> None:
    """The triggers (also called by tests that drop every trigger to show what `verify` finds)."""
    for t, keys in UPDATED.items():
        message = f"{t}: UPDATE that changes a row id or lands on another row (UPDATE OR REPLACE){SUFFIX}"
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_replace BEFORE UPDATE ON {t} FOR EACH ROW "
                f"WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION ftzlist_refuse('{message}')"
            )
        elif dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_replace BEFORE UPDATE ON {t} "
                f"WHEN NEW.id IS NOT OLD.id OR {_held(t, keys, 'id <> OLD.id AND ')} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    for t, keys in AGENCY.items():
        message = f"{t}: INSERT over an existing row (REPLACE, upsert){SUFFIX}"
        if dialect == "postgresql":
            op.execute(
                f"CREATE OR REPLACE FUNCTION ftzlist_{t}_no_overwrite() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN IF {_held(t, keys, '')} THEN RAISE EXCEPTION '{message}' "
                "USING ERRCODE = 'integrity_constraint_violation'; END IF; RETURN NEW; END $$"
            )
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_overwrite BEFORE INSERT ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION ftzlist_{t}_no_overwrite()"
            )
        elif dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_overwrite BEFORE INSERT ON {t} WHEN {_held(t, keys, '')} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def upgrade() -> None:
    create_guards(op.get_bind().dialect.name)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    on = (lambda t: f" ON {t}") if dialect == "postgresql" else (lambda t: "")
    for t in UPDATED:
        op.execute(f"DROP TRIGGER IF EXISTS ftzlist_{t}_no_replace{on(t)}")
    for t in AGENCY:
        op.execute(f"DROP TRIGGER IF EXISTS ftzlist_{t}_no_overwrite{on(t)}")
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS ftzlist_{t}_no_overwrite()")
