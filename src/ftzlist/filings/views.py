"""What the register answers with: a line of `due`, the result of recording an export, a
proceeding as `filings show` shows it, an export inconsistent with its filing. Plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DueRow:
    """One line of `ftzlist due`."""

    proceeding: str | None
    handler: str
    flow: str
    procedure: str
    kind: str
    title: str
    actor: str
    optional: bool
    opens_on: dt.date | None
    due_on: dt.date
    provisional: bool
    provisional_reason: str | None
    rule: str
    citation: str | None
    status: str  # overdue | expired | due_today | window_open | upcoming | lapsed (| met | met_late | closed)
    days_left: int
    owner: str | None = None  # who in the team looks after the proceeding
    uid: str = ""  # stable id of the deadline: the filing's key (or the incident) and the deadline's key


@dataclass(frozen=True)
class ExportResult:
    export_id: int
    proceeding: str | None
    inconsistencies: tuple[str, ...] = ()
    deadlines: tuple[DueRow, ...] = ()


@dataclass
class ProceedingView:
    key: str
    handler: str
    flow: str
    list_id: str
    procedure_id: str
    procedure_name: str
    model: str
    kind: str
    state: str
    opened_on: dt.date
    follows: str | None
    parent: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid_until_provisional: bool
    steps: list[tuple[str, dt.date, str | None, int | None]] = field(default_factory=list)
    applications: list[tuple[str, dt.date]] = field(default_factory=list)
    filings: list[dict[str, Any]] = field(default_factory=list)
    opinions: list[tuple[str, dt.date, str, str | None]] = field(default_factory=list)
    exports: list[tuple[int, dt.date, int | None, int | None]] = field(default_factory=list)
    deadlines: list[DueRow] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    inconsistencies: list[InconsistencyView] = field(default_factory=list)
    owner: str | None = None


@dataclass(frozen=True)
class InconsistencyView:
    """An export that differs from its filing (Fujian Art. 16), open until resolved."""

    id: int
    proceeding: str
    handler: str
    flow: str
    export_id: int
    exported_on: dt.date
    found_on: dt.date
    what: str
