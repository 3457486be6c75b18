"""Cells that are safe to open: no text a spreadsheet would run as a formula (CSV/formula injection).

A declaration's free text (a recipient name, a purpose) ends up in workbooks that a lawyer opens.
Text starting with `=`, `+`, `-` or `@` (or a tab or carriage return, which some spreadsheets strip
before looking) is neutralised: in XLSX it is stored as a string with Excel's quote prefix (what
typing `'=...` in Excel does: the cell shows the text and never evaluates it); in CSV it gets a
leading apostrophe (the OWASP recommendation), since CSV has no cell types.
"""

from __future__ import annotations

from typing import Any

from ftzlist.xmltext import xml_safe

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: dangerous text gets a leading apostrophe."""
    return "'" + value if is_dangerous(value) else value


def set_cell(cell: Any, value: Any) -> Any:
    """Write `value` to an openpyxl cell; text is always text, never a formula, and control
    characters XML cannot hold are shown as control pictures (`ftzlist.xmltext`)."""
    if isinstance(value, str):
        value = xml_safe(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if is_dangerous(value):
            cell.quotePrefix = True
    return cell


def append_row(ws: Any, values: list[Any]) -> int:
    """Append a row of values safely; returns its row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        set_cell(ws.cell(row=row, column=col), value)
    return row
