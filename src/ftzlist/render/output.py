"""One way to put text on the screen: user text is never markup, tables never cut a value.

- `escape(text)`: user or list text placed inside a Rich markup string (`[/x]` is text, not a tag).
  Better still, pass `rich.text.Text` or plain strings to `table`, which never parses markup.
- `table(console, columns, rows, title=...)`: a Rich table on a terminal where it fits without
  breaking a word; otherwise (a narrow terminal, a pipe, a CI log, cron mail) records, one field
  per line, every value whole:

      Thresholds
      - list: fujian-ftz-2025
        threshold: 100,000
        crossed on: 2025-05-14

- `panel(console, body, title)`: a boxed note on a terminal where no word breaks, plain lines elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

__all__ = ["Column", "escape", "fits", "panel", "records", "table"]


def escape(text: object) -> str:
    """`text` for a Rich markup string: square brackets and backslashes are content."""
    from rich.markup import escape as _escape

    return _escape(str(text))


@dataclass(frozen=True)
class Column:
    """A table column: its header, how its cells align, whether they may wrap at spaces."""

    header: str
    justify: str = "left"
    no_wrap: bool = False
    style: str | None = None


Cell = Any  # str (never markup) | rich.text.Text | None


def _text(value: Cell) -> Text:
    from rich.text import Text

    if isinstance(value, Text):
        return value
    return Text("" if value is None else str(value))


def _columns(columns: Sequence[Column | str]) -> list[Column]:
    return [c if isinstance(c, Column) else Column(c) for c in columns]


def _build(columns: list[Column], rows: list[list[Text]], title: str | None, options: dict[str, Any]) -> Any:
    from rich.table import Table

    t = Table(title=_text(title) if title is not None else None, **options)
    for c in columns:
        t.add_column(_text(c.header), justify=c.justify, no_wrap=c.no_wrap, style=c.style, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        t.add_row(*row)
    return t


_WORD = re.compile(r"\S+")


def fits(console: Console, tbl: Any, cells: Iterable[Text]) -> bool:
    """True when `tbl` rendered at the console's width breaks no word of any cell or header."""
    import io

    from rich.console import Console as _Console

    probe = _Console(file=io.StringIO(), width=console.width, color_system=None, emoji=False, highlight=False)
    probe.print(tbl)
    out = probe.file.getvalue()  # type: ignore[attr-defined]
    return all(w in out for c in cells for w in _WORD.findall(c.plain))


def table(
    console: Console,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    **options: Any,
) -> None:
    """Print rows as a Rich table where it fits on a terminal, else as records (module docstring).
    Cells are plain strings (printed as they are: no markup) or `rich.text.Text`."""
    cols = _columns(columns)
    body = [[_text(v) for v in row] for row in rows]
    if console.is_terminal:
        tbl = _build(cols, body, title, options)
        heads = [_text(c.header) for c in cols]
        if fits(console, tbl, [*heads, *(c for row in body for c in row)]):
            console.print(tbl)
            return
    records(console, cols, body, title=title)


def records(
    console: Console,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
) -> None:
    """Rows as records: `- header: value` lines, never wrapped or cut; empty values left out."""
    from rich.text import Text

    cols = _columns(columns)
    if title:
        console.print(Text(title, style="bold"), soft_wrap=True)
    any_row = False
    for row in rows:
        any_row = True
        first = True
        for col, value in zip(cols, row, strict=False):
            text = _text(value)
            if not text.plain.strip():
                continue
            lead = "- " if first else "  "
            first = False
            head = f"{col.header}: " if col.header else ""
            indent = " " * (len(lead) + 2)
            line = Text(lead + head)
            parts = text.split("\n")
            line.append_text(parts[0])
            for part in parts[1:]:
                line.append("\n" + indent)
                line.append_text(part)
            console.print(line, soft_wrap=True)
        if first:
            console.print("- (empty)", soft_wrap=True)
    if not any_row:
        console.print("  (none)", soft_wrap=True)


def panel(console: Console, body: Text | str, title: str | None = None) -> None:
    """A boxed note on a terminal where it fits without breaking a word; otherwise (a narrow
    terminal, a pipe) the title and the lines as they are.
    A `str` body is Rich markup written by us (escape user text in it)."""
    from rich.panel import Panel
    from rich.text import Text

    box = Panel(body, title=title, expand=False)
    shown = body if isinstance(body, Text) else Text.from_markup(body)
    if console.is_terminal and fits(console, box, [shown, *([Text(title)] if title else [])]):
        console.print(box)
        return
    if title:
        console.print(Text(title, style="bold"), soft_wrap=True)
    console.print(body, soft_wrap=True)
