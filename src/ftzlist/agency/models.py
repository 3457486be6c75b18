"""The agency desk's tables, in the register's database (migration `a001`).

They sit on their own `MetaData` (the register's naming convention) so the register's models stay
free of the desk; writes go through sessions the register's audit hooks attribute to the signed-in
user, so every action is in the hash-chained audit trail. Addresses and reports are append-only;
spot-checks and orders take their outcome and compliance later (each update audited). What an order
makes the handler do by when is also a register `Deadline` (owner `order:<id>`), so the handler's
`due` list and the agency's queue show the same date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ftzlist.filings.models import NAMING, Proceeding


class AgencyBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Address(AgencyBase):
    """Which desk a proceeding is addressed to (`zone/area` or `zone`), as the application says
    (Fujian Art. 11(1): apply to the area). Renewals and fresh applications inherit it."""

    __tablename__ = "agency_addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey(Proceeding.__table__.c.id), unique=True)
    scope: Mapped[str] = mapped_column(String(120), index=True)
    addressed_on: Mapped[dt.date] = mapped_column(Date)


class UpwardReport(AgencyBase):
    """A report the agency made to the authority above it: an opinion filed with the province
    (Fujian Art. 12(2)), an incident reported up (Art. 15), a spot-check's serious outcome
    (Art. 16), the six-monthly report (Art. 17)."""

    __tablename__ = "agency_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(30), doc="opinion | incident | spot_check | periodic")
    subject_id: Mapped[int | None] = mapped_column(Integer, doc="opinion, incident or spot-check id")
    reported_on: Mapped[dt.date] = mapped_column(Date)
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64), doc="of the report file, for a periodic report")
    note: Mapped[str | None] = mapped_column(Text)


class SpotCheck(AgencyBase):
    """A consistency spot-check of actual exports against the filing (Fujian Art. 16): every
    discrepancy with the filed and the actual figure; the outcome once concluded."""

    __tablename__ = "agency_spot_checks"
    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey(Proceeding.__table__.c.id), index=True)
    scope: Mapped[str] = mapped_column(String(120), index=True)
    checked_on: Mapped[dt.date] = mapped_column(Date)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(String(30), doc="exports | count_run")
    basis_ref: Mapped[str | None] = mapped_column(String(200))
    filing_version: Mapped[int] = mapped_column(Integer)
    discrepancies: Mapped[list[Any]] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(30), doc="consistent | inconsistent | serious")
    concluded_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Order(AgencyBase):
    """A measure ordered after a spot-check (ids from the list's `agency.orders`)."""

    __tablename__ = "agency_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    spot_check_id: Mapped[int] = mapped_column(ForeignKey("agency_spot_checks.id"), index=True)
    proceeding_id: Mapped[int] = mapped_column(ForeignKey(Proceeding.__table__.c.id), index=True)
    order: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    complied_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


APPEND_ONLY_TABLES = (Address.__tablename__, UpwardReport.__tablename__)
MUTABLE_TABLES = (SpotCheck.__tablename__, Order.__tablename__)
