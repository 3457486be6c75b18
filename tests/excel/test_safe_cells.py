"""Exports are safe to open: text starting with = + - @ never becomes a formula."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ftzlist.engine import decide
from ftzlist.excel.safe import TRIGGERS, csv_value, is_dangerous
from ftzlist.excel.template import write_template
from ftzlist.reports import render_filing, render_report
from ftzlist.reports.workbook import write_decisions


@pytest.mark.parametrize("text", ["=1+1", "+41 44 000", "-2+3", "@SUM(A1)", "\t=x", "\r=x"])
def test_csv_values_get_an_apostrophe(text):
    assert is_dangerous(text)
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("value", ["Example AG", "海外公司", 5, -5, None, 1.5])
def test_harmless_values_are_unchanged(value):
    assert csv_value(value) == value


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_no_workbook_we_write_contains_a_formula(law, pharma, tmp_path):
    ds = decide(pharma, law, pharma.as_of)
    books = [
        write_template(law, tmp_path / "inventory.xlsx", pharma),
        write_decisions(ds, law, tmp_path / "decisions.xlsx"),
        render_report(ds, pharma, law, "xlsx", tmp_path / "report.xlsx"),
        render_filing(ds, pharma, law, "xlsx", tmp_path / "filing.xlsx"),
    ]
    for book in books:
        seen_payload = False
        for cell in _cells(book):
            assert cell.data_type != "f", f"{book.name} {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                assert cell.quotePrefix, f"{book.name} {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str) and "HYPERLINK" in cell.value:
                seen_payload = True
        assert seen_payload or book.name == "decisions.xlsx", book.name
