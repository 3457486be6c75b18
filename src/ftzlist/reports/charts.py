"""Charts as PNG images, drawn with Pillow and the bundled CJK font.

One implementation serves HTML, PDF and DOCX (python-docx cannot draw charts, and a PNG looks the
same everywhere); the XLSX report uses Excel's own charts instead. Labels use the shipped font,
so Chinese labels render on a machine with no CJK font installed.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from ftzlist.reports.fonts import font_path
from ftzlist.reports.model import CountSeries

SCALE = 2
WIDTH = 900 * SCALE
INK = (33, 37, 41)
GRID = (206, 212, 218)
BAR = (31, 78, 121)
ROOM = (222, 235, 247)
WARN = (192, 0, 0)


@dataclass(frozen=True)
class Bar:
    """One headroom bar: `persons` out of `limit` (None = no higher threshold)."""

    label: str
    persons: int
    limit: int | None
    note: str


@cache
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path(bold)), size * SCALE)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _nice(value: float) -> int:
    """The next round axis maximum (1, 2 or 5 times a power of ten) at or above `value`."""
    step = 1
    while step * 10 <= value:
        step *= 10
    return next(m * step for m in (1, 2, 5, 10) if m * step >= value)


def headroom_png(bars: list[Bar]) -> bytes:
    """Horizontal bars: persons so far (dark) against the room left to the next threshold (light)."""
    from PIL import Image, ImageDraw

    row = 76 * SCALE
    pad = 12 * SCALE
    img = Image.new("RGB", (WIDTH, pad * 2 + row * len(bars)), "white")
    d = ImageDraw.Draw(img)
    small, text = _font(14), _font(16)
    left, right = pad, WIDTH - pad
    for i, b in enumerate(bars):
        y = pad + i * row
        d.text((left, y), b.label, font=text, fill=INK)
        top, bottom = y + 24 * SCALE, y + 44 * SCALE
        if b.limit:
            full = right - left
            used = int(full * min(b.persons, b.limit) / b.limit)
            d.rectangle([left, top, right, bottom], fill=ROOM, outline=GRID)
            d.rectangle([left, top, left + max(used, 1), bottom], fill=WARN if b.persons >= b.limit else BAR)
        else:
            d.rectangle([left, top, right, bottom], fill=BAR)
        d.text((left, bottom + 3 * SCALE), b.note, font=small, fill=INK)
    return _png(img)


def _ticks(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Axis ticks: the first of each month on a long axis, each Monday on a short one."""
    span = (end - start).days
    out: list[tuple[dt.date, str]] = []
    if span >= 90:
        day = dt.date(start.year, start.month, 1)
        while day <= end:
            if day >= start:
                out.append((day, f"{day.month}" if day.month != 1 else f"{day.year}/1"))
            day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    else:
        day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        while day <= end:
            out.append((day, f"{day.month}/{day.day}"))
            day += dt.timedelta(days=7)
    return out


def series_png(series: CountSeries, end: dt.date | None = None) -> bytes:
    """One person-count series as its chart: from its start (the first export, else its first point)
    to `end` (default its last point). The one way every output draws a `CountSeries`."""
    start = series.start or (min(p.day for p in series.points) if series.points else end)
    if start is None:
        raise ValueError("a person-count series without points needs an end date")
    return count_png(
        series.label,
        [(p.day, p.persons) for p in series.points],
        [(t.persons, t.label) for t in series.thresholds],
        start,
        end,
    )


def count_png(
    title: str,
    points: list[tuple[dt.date, int]],
    thresholds: list[tuple[int, str]],
    start: dt.date,
    end: dt.date | None = None,
) -> bytes:
    """Cumulative persons (a step line) from `start` (the first export) to `end` (default the last
    point), with the thresholds as horizontal lines."""
    from PIL import Image, ImageDraw

    height = 320 * SCALE
    img = Image.new("RGB", (WIDTH, height), "white")
    d = ImageDraw.Draw(img)
    small, text = _font(13), _font(16, bold=True)
    left, right, top, bottom = 80 * SCALE, WIDTH - 20 * SCALE, 40 * SCALE, height - 34 * SCALE
    d.text((left, 8 * SCALE), title, font=text, fill=INK)
    top_value = max([p for _, p in points] + [t for t, _ in thresholds] + [1])
    top_value = _nice(top_value * 1.1)
    end = max([end or start, *(day for day, _ in points)])
    if end <= start:
        end = start + dt.timedelta(days=1)
    span = (end - start).days

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / span

    def y(v: int) -> float:
        return bottom - (bottom - top) * v / top_value

    d.line([left, bottom, right, bottom], fill=INK, width=SCALE)
    d.line([left, top, left, bottom], fill=INK, width=SCALE)
    d.text((left, bottom + 6 * SCALE), start.isoformat(), font=small, fill=INK)
    for day, label in _ticks(start, end):
        mx = x(day)
        d.line([mx, bottom, mx, bottom + 4 * SCALE], fill=INK, width=SCALE)
        if mx - left > 70 * SCALE:
            d.text((mx + 2 * SCALE, bottom + 6 * SCALE), label, font=small, fill=INK)
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = int(top_value * frac)
        d.text((4 * SCALE, y(v) - 6 * SCALE), f"{v:,}", font=small, fill=INK)
    for value, label in thresholds:
        ty = y(value)
        for sx in range(int(left), int(right), 12 * SCALE):
            d.line([sx, ty, min(sx + 6 * SCALE, right), ty], fill=WARN, width=SCALE)
        d.text((left + 6 * SCALE, ty - 18 * SCALE), f"{value:,} {label}", font=small, fill=WARN)
    pts = sorted(p for p in points if p[0] >= start)
    if pts:
        line = [(x(start), y(0))]
        for day, v in pts:
            line.append((x(day), line[-1][1]))
            line.append((x(day), y(v)))
        d.line(line, fill=BAR, width=3 * SCALE)
    return _png(img)
