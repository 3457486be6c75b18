"""Optional report inputs, kept small and typed so the report never depends on how they are made.

Person counts (`ftzlist count`), the zone comparison (`ftzlist compare`) and the filing calendar
(`ftzlist filings`) are built elsewhere; whoever has them converts them to these shapes. A report
without them simply leaves those sections out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    """Cumulative de-duplicated persons on one axis, with the thresholds that apply. The chart runs
    from `start` (the first export, where known; else the first point) to the last point."""

    label: str
    points: list[CountPoint]
    thresholds: list[Threshold] = field(default_factory=list)
    start: dt.date | None = None


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
    owner: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class ReportExtras:
    counts: list[CountSeries] = field(default_factory=list)
    comparison: ZoneComparison | None = None
    calendar: list[CalendarEntry] = field(default_factory=list)


def series_from_count(result: object, binding: Iterable[str] | None = None) -> list[CountSeries]:
    """Person-count series from an `ftzlist count` result (`ftzlist.counting.CountResult`).

    A count run knows the total on its `as_of` day and the day each threshold was met, not the
    whole daily curve: each series joins those known points (0 before the first export, each
    threshold on the day it was crossed, the count on `as_of`), one series per list band group.
    `binding` (the lists that bind the handler, e.g. `DecisionSet.governing_lists`) keeps only
    their thresholds: a chart never shows a line the handler is not held to. The series start at
    the first in-window export (`quality.first_row_on`) where the run knows it.
    """
    keep = set(binding) if binding is not None else None
    first = getattr(getattr(result, "quality", None), "first_row_on", None)
    start = first or result.window_start  # type: ignore[attr-defined]
    groups: dict[tuple[str, str], list[object]] = {}
    for c in result.crossings:  # type: ignore[attr-defined]
        if getattr(c, "flow", None) is not None:
            continue  # per-flow crossings: the chart is handler-wide
        if keep is not None and c.list_id not in keep:
            continue
        key = (c.list_id, c.group or c.sensitivity or "persons")
        groups.setdefault(key, []).append(c)
    out: list[CountSeries] = []
    for (list_id, group), crossings in groups.items():
        crossings.sort(key=lambda c: c.threshold)  # type: ignore[attr-defined]
        points = [CountPoint(start, 0)]
        for c in crossings:
            if c.crossed_on is not None:  # type: ignore[attr-defined]
                points.append(CountPoint(c.crossed_on, c.threshold))  # type: ignore[attr-defined]
        points.append(CountPoint(result.as_of, max(c.count for c in crossings)))  # type: ignore[attr-defined]
        out.append(
            CountSeries(
                label=f"{list_id} · {group}",
                points=sorted(points, key=lambda p: (p.day, p.persons)),
                thresholds=[Threshold(c.threshold, ", ".join(c.items)) for c in crossings],  # type: ignore[attr-defined]
                start=start,
            )
        )
    return out
