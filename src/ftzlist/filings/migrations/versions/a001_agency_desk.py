"""agency desk: addresses, upward reports, spot-checks and orders

The area implementing agency's side of a procedure (ftzlist.agency.models): which desk a proceeding
is addressed to, the reports the agency makes upward, its consistency spot-checks and the orders
that follow. Like the register's tables they are never deleted from; addresses and reports are
append-only (triggers here, as migration 0003 does for the register).

Revision ID: a001
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a001"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = ("agency_addresses", "agency_reports")
MUTABLE = ("agency_spot_checks", "agency_orders")


def _guards(dialect: str) -> None:
    for t in APPEND_ONLY + MUTABLE:
        refused = ("UPDATE", "DELETE") if t in APPEND_ONLY else ("DELETE",)
        for what in refused:
            message = f"{t}: {what} refused (ftzlist register history is never rewritten)"
            if dialect == "postgresql":
                op.execute(
                    f"CREATE TRIGGER ftzlist_{t}_no_{what.lower()} BEFORE {what} ON {t} FOR EACH ROW "
                    f"EXECUTE FUNCTION ftzlist_refuse('{message}')"
                )
            elif dialect == "sqlite":
                op.execute(
                    f"CREATE TRIGGER ftzlist_{t}_no_{what.lower()} BEFORE {what} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
        if dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER ftzlist_{t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION ftzlist_refuse('{t}: TRUNCATE refused')"
            )


def upgrade() -> None:
    op.create_table(
        "agency_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("addressed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proceeding_id"], ["proceedings.id"], name=op.f("fk_agency_addresses_proceeding_id_proceedings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_addresses")),
        sa.UniqueConstraint("proceeding_id", name=op.f("uq_agency_addresses_proceeding_id")),
    )
    with op.batch_alter_table("agency_addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_addresses_scope"), ["scope"], unique=False)
    op.create_table(
        "agency_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_reports")),
    )
    with op.batch_alter_table("agency_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_reports_scope"), ["scope"], unique=False)
    op.create_table(
        "agency_spot_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=120), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=30), nullable=False),
        sa.Column("basis_ref", sa.String(length=200), nullable=True),
        sa.Column("filing_version", sa.Integer(), nullable=False),
        sa.Column("discrepancies", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["proceedings.id"],
            name=op.f("fk_agency_spot_checks_proceeding_id_proceedings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_spot_checks")),
    )
    with op.batch_alter_table("agency_spot_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_spot_checks_proceeding_id"), ["proceeding_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_agency_spot_checks_scope"), ["scope"], unique=False)
    op.create_table(
        "agency_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spot_check_id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("order", sa.String(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("complied_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proceeding_id"], ["proceedings.id"], name=op.f("fk_agency_orders_proceeding_id_proceedings")
        ),
        sa.ForeignKeyConstraint(
            ["spot_check_id"],
            ["agency_spot_checks.id"],
            name=op.f("fk_agency_orders_spot_check_id_agency_spot_checks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_orders")),
    )
    with op.batch_alter_table("agency_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_orders_proceeding_id"), ["proceeding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agency_orders_spot_check_id"), ["spot_check_id"], unique=False)
    _guards(op.get_bind().dialect.name)


def downgrade() -> None:
    for t in ("agency_orders", "agency_spot_checks", "agency_reports", "agency_addresses"):
        op.drop_table(t)
