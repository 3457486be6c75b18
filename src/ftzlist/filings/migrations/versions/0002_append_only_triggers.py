"""register: decision snapshots and the audit log are append-only in the database itself

The register refuses updates and deletes of these rows in the ORM (ftzlist.filings.audit); these
triggers refuse them for any other client of the database too (raw SQL, another tool).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("decision_snapshots", "audit_log")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION ftzlist_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '% is append-only: rows are never changed or deleted', TG_TABLE_NAME; END $$"
        )
        for t in TABLES:
            op.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION ftzlist_append_only()"
            )
    elif dialect == "sqlite":
        for t in TABLES:
            for event in ("update", "delete"):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{event} BEFORE {event.upper()} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{t} is append-only: rows are never changed or deleted'); END"
                )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for t in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
        op.execute("DROP FUNCTION IF EXISTS ftzlist_append_only()")
    elif dialect == "sqlite":
        for t in TABLES:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {t}_no_{event}")
