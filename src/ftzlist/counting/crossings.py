"""Thresholds and the dates the cumulative count of persons met them, for the handler, per flow and
per data item; and the projection for thresholds not yet met (the one projection rule).

A threshold is an item of a list with `persons.min > 0`. The rows it counts are the ones its
conditions may catch: the conditions are compiled by `ftzlist.law` (`compile_item(...).sql`), and
a condition the log cannot show is dropped (more rows, a larger count) and named in the note. A
person counts from the day of their first counted export in the window; the crossing date is the
first day the running total reached the threshold.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftzlist.counting.result import Crossing
from ftzlist.counting.tally import counted_sql
from ftzlist.law import compile_item

if TYPE_CHECKING:
    from ftzlist.counting.pipeline import CountRun

Series = list[tuple[dt.date, int]]
"""(day, running total of distinct persons up to that day), days with new persons only."""


@dataclass(frozen=True)
class Watch:
    """A threshold a caller asks about (e.g. the register: a flow's next band, or the volume at
    which a filing's change ratio is reached): persons of `flow` (and `data_item`), counted rows,
    on the `sensitivity` axis (None: any)."""

    flow: str
    threshold: int
    label: str
    data_item: str | None = None
    sensitivity: str | None = None


def crossing_for(
    series: Series, threshold: int, *, as_of: dt.date, window_start: dt.date
) -> tuple[int, dt.date | None, dt.date | None, bool | None]:
    """(count, crossed_on, projected_on, projected_within_window) of a running total.

    The projection, for a threshold not yet met, assumes the year-to-date daily rate of new
    persons continues; `projected_within_window` is False when that day falls after 31 December of
    the as_of year (the count restarts on 1 January)."""
    count = series[-1][1] if series else 0
    crossed = next((d for d, c in series if c >= threshold), None)
    projected, within = None, None
    if crossed is None and count > 0:
        rate = count / ((as_of - window_start).days + 1)
        days = math.ceil((threshold - count) / rate)
        within = days <= (dt.date(as_of.year, 12, 31) - as_of).days
        projected = as_of + dt.timedelta(days=days) if days < 36500 else None
    return count, crossed, projected, within


def _columns(run: CountRun) -> dict[str, str]:
    """The row facts the log shows (a column, or an item tag), as columns of `dims`."""
    m = run.m
    cols = {"sensitivity": "sens"}
    if m.category is not None or any(t.category for t in m.items.values()):
        cols["category"] = "category"
    if m.subject is not None or any(t.subject for t in m.items.values()):
        cols["subject"] = "subject"
    if m.scenario is not None:
        cols["scenario"] = "scenario"
    return cols


def _series(run: CountRun, where: str, level: tuple[str, ...]) -> dict[tuple, Series]:
    """Running totals of distinct persons per `level` key (() = the handler) for rows `where`."""
    keys = "".join(f"dims.{k}, " for k in level)
    out: dict[tuple, Series] = {}
    rows = run.e.rows(
        f"""SELECT {"".join(f"{k}, " for k in level)}d, count(*) FROM (
              SELECT {keys}p.person, min(p.first) AS d FROM presence p JOIN dims ON dims.dimh = p.dimh
              WHERE {where} GROUP BY {keys}p.person) t
            GROUP BY {"".join(f"{k}, " for k in level)}d"""
    )
    for *key, d, n in sorted(rows, key=lambda r: tuple((v is None, v) for v in r[:-1])):
        s = out.setdefault(tuple(key), [])
        s.append((d, (s[-1][1] if s else 0) + int(n)))
    return out


def crossings(run: CountRun) -> list[Crossing]:
    """Every threshold of the lists, for the handler and per flow (and per flow and data item when
    the log has a data-item column)."""
    columns = _columns(run)
    groups: dict[tuple, dict] = {}
    for lf in run.lists:
        rule = lf.counting or (run.rule_list.counting if run.rule_list else None)
        excluded = list(rule.excluded_exemptions) if rule else None
        for item in lf.items:
            if item.persons is None or item.persons.min <= 0:
                continue
            f = compile_item(item, run.voc).sql(columns)
            sens = item.sensitivity.value if item.sensitivity is not None else None
            k = (
                lf.id,
                item.group,
                sens,
                item.persons.min,
                f.may,
                tuple(excluded) if excluded is not None else None,
            )
            g = groups.setdefault(
                k, {"items": [], "unsupported": set(), "context": set(), "excluded": excluded}
            )
            g["items"].append(item.id)
            g["unsupported"].update(f.unsupported)
            g["context"].update(c for c in f.context if c != "sector")
            g["sectors"] = g.get("sectors", set()) | set(item.sectors or ())
    levels: list[tuple[str, ...]] = [(), ("flow",)]
    if run.m.data_item is not None:
        levels.append(("flow", "item"))
    cache: dict[tuple, dict[tuple, Series]] = {}
    out: list[Crossing] = []
    for (list_id, group, sens, threshold, where, excl), g in groups.items():
        notes = []
        if g["sectors"]:
            notes.append("applies to handlers in sector " + ", ".join(sorted(g["sectors"])))
        if g["unsupported"]:
            notes.append(
                "the log does not show "
                + ", ".join(sorted(g["unsupported"]))
                + "; every row counted (over-counts)"
            )
        if g["context"]:
            notes.append("also depends on " + ", ".join(sorted(g["context"])) + " (not in the log)")
        note = "; ".join(notes) or None
        for level in levels:
            ck = (where, excl, level)
            if ck not in cache:
                cache[ck] = _series(run, f"{counted_sql(run, g['excluded'])} AND {where}", level)
            by_key = cache[ck] or ({(): []} if not level else {})
            for key, series in by_key.items():
                count, crossed, projected, within = crossing_for(
                    series, threshold, as_of=run.as_of, window_start=run.window_start
                )
                vals = dict(zip(level, key, strict=True))
                out.append(
                    Crossing(
                        list_id=list_id,
                        group=group,
                        sensitivity=sens,
                        threshold=threshold,
                        items=sorted(g["items"]),
                        flow=vals.get("flow"),
                        data_item=vals.get("item"),
                        count=count,
                        crossed_on=crossed,
                        projected_on=projected,
                        projected_within_window=within,
                        note=note,
                    )
                )
    out.sort(
        key=lambda c: (
            c.flow is not None,
            c.flow or "",
            c.data_item is not None,
            c.data_item or "",
            c.list_id,
            c.group or "",
            c.sensitivity or "",
            c.threshold,
        )
    )
    return out


def watched(run: CountRun, watches: list[Watch]) -> list[Crossing]:
    """The crossing of every watched threshold (counted rows of the flow, or of its data item)."""
    out = []
    for w in watches:
        where = [counted_sql(run, run.rule.excluded_exemptions), f"flow = {run.d.lit(w.flow)}"]
        if w.data_item is not None:
            where.append(f"item = {run.d.lit(w.data_item)}")
        if w.sensitivity == "sensitive":
            where.append("s")
        elif w.sensitivity == "non_sensitive":
            where.append("n")
        series = _series(run, " AND ".join(where), ()).get((), [])
        count, crossed, projected, within = crossing_for(
            series, w.threshold, as_of=run.as_of, window_start=run.window_start
        )
        out.append(
            Crossing(
                list_id=run.rule.list_id or "",
                group=w.label,
                sensitivity=w.sensitivity,
                threshold=w.threshold,
                items=[],
                flow=w.flow,
                data_item=w.data_item,
                count=count,
                crossed_on=crossed,
                projected_on=projected,
                projected_within_window=within,
            )
        )
    return out
