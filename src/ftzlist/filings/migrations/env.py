"""Alembic environment: runs on the connection the register hands it (see ftzlist.filings.db)."""

from __future__ import annotations

from alembic import context

from ftzlist.filings.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the register runs migrations
    raise RuntimeError("run migrations through ftzlist.filings.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
