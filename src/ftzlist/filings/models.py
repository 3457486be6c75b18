"""The register's tables (SQLAlchemy 2). Alembic migrations in `migrations/` create them; a test
checks the migrated schema matches these models.

Dates the law counts from are `Date`; moments (audit, snapshots) are timezone-aware UTC. Structured
content (what was filed, a decision) is JSON, with the parts that are checked later (filed data
items, export events) also in their own columns and rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Handler(Base):
    """A data handler (数据处理者): the company that exports."""

    __tablename__ = "handlers"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(400))
    uscc: Mapped[str | None] = mapped_column(String(18))
    zone: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Flow(Base):
    """One export activity of a handler."""

    __tablename__ = "flows"
    __table_args__ = (UniqueConstraint("handler_id", "key", name="uq_flows_handler_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    handler_id: Mapped[int] = mapped_column(ForeignKey("handlers.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    scenario: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(Text)
    recipient_name: Mapped[str | None] = mapped_column(String(400))
    recipient_country: Mapped[str | None] = mapped_column(String(2))
    declaration: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    handler: Mapped[Handler] = relationship()


class DecisionSnapshot(Base):
    """A decision as it was given: append-only (the register refuses updates and deletes)."""

    __tablename__ = "decision_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("flows.id"), index=True)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    as_of: Mapped[dt.date] = mapped_column(Date)
    pathway: Mapped[str] = mapped_column(String(60))
    list_versions: Mapped[dict[str, Any]] = mapped_column(JSON, doc="list id -> content sha256")
    input_hash: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(40))
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(
        String(64), doc="Hash of the snapshot's content (ftzlist.filings.chain.snapshot_hash)"
    )


class Proceeding(Base):
    """One use of a procedure for a flow: a list application (Fujian), a post-export reporting duty
    (Shanghai), a security assessment, a standard-contract filing. Renewals and fresh applications
    after a material change are new proceedings that point at the one they follow."""

    __tablename__ = "proceedings"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("flows.id"), index=True)
    list_id: Mapped[str] = mapped_column(String(120))
    procedure_id: Mapped[str] = mapped_column(String(120))
    model: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30), doc="initial | renewal | fresh")
    state: Mapped[str] = mapped_column(String(30))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    follows_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("proceedings.id"), doc="the list proceeding that sent this flow to the national tier"
    )
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    valid_until_nominal: Mapped[dt.date | None] = mapped_column(Date)
    valid_until_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(String(200), doc="Who in the team looks after it")
    version: Mapped[int] = mapped_column(Integer, default=1)
    flow: Mapped[Flow] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own idiom


class Application(Base):
    """An application, renewal application or simplified change submitted in a proceeding."""

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), doc="initial | renewal | fresh | simplified_change")
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StepRecord(Base):
    """A dated step of a procedure that happened (a notice, a filing, an opinion, a report)."""

    __tablename__ = "step_records"
    __table_args__ = (
        UniqueConstraint("proceeding_id", "step_id", "export_event_id", name="uq_step_records_once"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    step_id: Mapped[str] = mapped_column(String(120))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    export_event_id: Mapped[int | None] = mapped_column(ForeignKey("export_events.id"))
    outcome: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class Filing(Base):
    """What was filed, as structured data (Fujian Art. 11(ii)); a simplified change adds a version."""

    __tablename__ = "filings"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(
        String(30),
        server_default="filed",
        doc="filed (with the filing step: what the authority reviews) | simplified_change",
    )
    filed_on: Mapped[dt.date] = mapped_column(Date)
    scenario: Mapped[str | None] = mapped_column(String(200))
    recipient_name: Mapped[str | None] = mapped_column(String(400))
    recipient_country: Mapped[str | None] = mapped_column(String(2))
    persons: Mapped[int | None] = mapped_column(Integer)
    records: Mapped[int | None] = mapped_column(Integer)
    list_subcategories: Mapped[list[Any]] = mapped_column(JSON)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    items: Mapped[list[FiledItem]] = relationship(order_by="FiledItem.id")


class FiledItem(Base):
    """One entry of the filed export-data catalogue, by data item."""

    __tablename__ = "filed_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    item: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(200))
    sensitive: Mapped[bool | None] = mapped_column(Boolean)
    persons: Mapped[int | None] = mapped_column(Integer)
    records: Mapped[int | None] = mapped_column(Integer)


class Opinion(Base):
    """An authority's answer: a list-area opinion, an assessment result."""

    __tablename__ = "opinions"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    step_id: Mapped[str] = mapped_column(String(120))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(40))
    pathway: Mapped[str | None] = mapped_column(String(60))
    reference: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class ExportEvent(Base):
    """An actual export, kept to check against what was filed (Fujian Art. 16)."""

    __tablename__ = "export_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("flows.id"), index=True)
    proceeding_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"), index=True)
    exported_on: Mapped[dt.date] = mapped_column(Date)
    persons: Mapped[int | None] = mapped_column(Integer)
    records: Mapped[int | None] = mapped_column(Integer)
    data_items: Mapped[list[Any]] = mapped_column(JSON)
    recipient_name: Mapped[str | None] = mapped_column(String(400))
    recipient_country: Mapped[str | None] = mapped_column(String(2))
    note: Mapped[str | None] = mapped_column(Text)


class Inconsistency(Base):
    """A difference between an actual export and what was filed (Fujian Art. 16), shown by `due`
    and `filings show` until it is resolved."""

    __tablename__ = "inconsistencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    export_event_id: Mapped[int] = mapped_column(ForeignKey("export_events.id"), index=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey("proceedings.id"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    what: Mapped[str] = mapped_column(Text)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)


class Incident(Base):
    """A data-export security incident; its duty to report comes from the lists (`IncidentDuty`)."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    flow_id: Mapped[int] = mapped_column(ForeignKey("flows.id"), index=True)
    proceeding_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"))
    discovered_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    reported_on: Mapped[dt.date | None] = mapped_column(Date)


class Deadline(Base):
    """A date something falls due, derived from the steps recorded and the calendar. Recomputed
    (and audited) when a step is recorded or a calendar file turns a provisional date final."""

    __tablename__ = "deadlines"
    __table_args__ = (UniqueConstraint("owner", "key", name="uq_deadlines_owner_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(80), doc="proceeding:<id> or incident:<id>")
    key: Mapped[str] = mapped_column(String(200))
    proceeding_id: Mapped[int | None] = mapped_column(ForeignKey("proceedings.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(String(30), doc="step | renewal | expiry | incident")
    step_id: Mapped[str | None] = mapped_column(String(120))
    actor: Mapped[str] = mapped_column(String(20))
    optional: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text)
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    provisional_reason: Mapped[str | None] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(Text)
    met_on: Mapped[dt.date | None] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=False, doc="no longer owed (e.g. superseded)")


class AuditEntry(Base):
    """Every change to the register: who, when, what, and the row before and after. Entries form a
    hash chain in `seq` order (ftzlist.filings.chain)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True, doc="1, 2, 3, ... with no gap")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), doc="NULL on insert")
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), doc="NULL on delete")
    prev_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
