"""The filing register (SQLAlchemy 2 + Alembic): handlers, flows, decision snapshots, proceedings,
filings, opinions, exports, incidents, deadlines, audit trail. See docs/filings.md."""
