"""Optional report inputs, kept small and typed so the report never depends on how they are made.

Person counts (`ftzlist count`), the zone comparison (`ftzlist compare`) and the filing calendar
(`ftzlist filings`) are built elsewhere; whoever has them converts them to these shapes. A report
without them simply leaves those sections out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ftzlist.schema.common import Pathway


@dataclass(frozen=True)
class Threshold:
    persons: int
    label: str


@dataclass(frozen=True)
class CountPoint:
    day: dt.date
    persons: int


@dataclass(frozen=True)
class CountSeries:
    """Cumulative de-duplicated persons on one axis over the year, with the thresholds that apply."""

    label: str
    points: list[CountPoint]
    thresholds: list[Threshold] = field(default_factory=list)


@dataclass(frozen=True)
class ZoneRow:
    flow_id: str
    pathways: list[Pathway | None]


@dataclass(frozen=True)
class ZoneComparison:
    """Each flow's pathway if the handler were registered in each zone (columns = `zones`)."""

    zones: list[str]
    rows: list[ZoneRow]


@dataclass(frozen=True)
class CalendarEntry:
    day: dt.date
    what: str
    flow_id: str | None = None
    provisional: bool = False


@dataclass(frozen=True)
class ReportExtras:
    counts: list[CountSeries] = field(default_factory=list)
    comparison: ZoneComparison | None = None
    calendar: list[CalendarEntry] = field(default_factory=list)
