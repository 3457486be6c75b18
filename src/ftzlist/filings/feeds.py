"""Deadline feeds (issue 13 §5): `ftzlist due --format ics|xlsx`.

- iCalendar (RFC 5545, written by the `icalendar` library): one all-day VEVENT per deadline, on its
  due date. The UID is the proceeding's key and the deadline's key, so a calendar that subscribes
  to the feed updates an event when its date moves (a provisional date made final) instead of
  adding another. A provisional date is marked in the summary (`≈`), by `STATUS:TENTATIVE` and
  `X-FTZLIST-PROVISIONAL:TRUE`, and its reason is in the description.
- XLSX (openpyxl): one row per deadline, every cell written through `ftzlist.excel.safe` (no text
  runs as a formula).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftzlist.filings.register import DueRow

PRODID = "-//ftzlist//filing register deadlines//EN"
COLUMNS = (
    "status",
    "due",
    "provisional",
    "provisional reason",
    "window opens",
    "who acts",
    "owner",
    "filing",
    "handler",
    "flow",
    "what",
    "basis",
    "rule",
    "uid",
)


def _summary(r: DueRow) -> str:
    mark = "≈ " if r.provisional else ""
    who = "" if r.actor == "handler" else " (authority)"
    return f"{mark}{r.proceeding or 'incident'}: {r.title}{who}"


def _description(r: DueRow) -> str:
    lines = [
        f"{r.handler} / {r.flow}",
        f"status on the day of the feed: {r.status}",
        f"rule: {r.rule}",
    ]
    if r.citation:
        lines.append(f"basis: {r.citation}")
    if r.opens_on:
        lines.append(f"window opens {r.opens_on.isoformat()}")
    if r.owner:
        lines.append(f"owner: {r.owner}")
    if r.optional:
        lines.append("optional: a right, not a duty")
    if r.provisional:
        lines.append(
            f"PROVISIONAL date: {r.provisional_reason or f'no official calendar for {r.due_on.year} yet'}"
        )
    return "\n".join(lines)


def to_ics(rows: Sequence[DueRow], *, stamp: dt.datetime) -> bytes:
    """The deadlines as an iCalendar feed (bytes, CRLF lines as RFC 5545 wants).
    `stamp` is the DTSTAMP of every event (UTC)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "ftzlist deadlines")
    for r in rows:
        ev = Event()
        ev.add("uid", f"{r.uid}@ftzlist")
        ev.add("dtstamp", stamp.astimezone(dt.UTC).replace(microsecond=0))
        ev.add("dtstart", r.due_on)  # a date: VALUE=DATE, an all-day event
        ev.add("dtend", r.due_on + dt.timedelta(days=1))
        ev.add("summary", _summary(r))
        ev.add("description", _description(r))
        ev.add("status", "TENTATIVE" if r.provisional else "CONFIRMED")
        ev.add("transp", "TRANSPARENT")
        ev.add("categories", [r.kind, r.status])
        if r.provisional:
            ev.add("x-ftzlist-provisional", "TRUE")
        cal.add_component(ev)
    return cal.to_ical()


def to_xlsx(rows: Sequence[DueRow], target: Path, *, as_of: dt.date) -> None:
    """The deadlines as a workbook at `target` (written in place: the caller passes a temporary path)."""
    from openpyxl import Workbook

    from ftzlist.excel.safe import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "due"
    append_row(ws, [f"ftzlist due as of {as_of.isoformat()}"])
    append_row(ws, list(COLUMNS))
    for r in rows:
        append_row(
            ws,
            [
                r.status,
                r.due_on,
                "yes" if r.provisional else "no",
                r.provisional_reason or "",
                r.opens_on,
                r.actor,
                r.owner or "",
                r.proceeding or "",
                r.handler,
                r.flow,
                r.title,
                r.citation or "",
                r.rule,
                r.uid,
            ],
        )
    for col, width in zip(
        "ABCDEFGHIJKLMN", (12, 12, 11, 30, 12, 10, 16, 14, 14, 14, 50, 30, 30, 30), strict=True
    ):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=2):
        for c in row:
            c.number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=3, min_col=5, max_col=5):
        for c in row:
            c.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    wb.save(target)
