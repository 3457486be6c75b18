"""Issue 11 and 13 §7: inventories are read in read-only mode with rows bounded by the data (a
35 KB workbook with one cell on the sheet's last row no longer takes a minute and gigabytes), formula
cells are still refused, and the template's drop-downs let a typed id through with a warning on
every row of the sheet."""

from __future__ import annotations

import resource
import time

import openpyxl

from ftzlist.errors import InputError
from ftzlist.excel import layout as L
from ftzlist.excel.inventory import read_inventory_full
from ftzlist.excel.template import LAST_ROW, write_template


def test_a_cell_on_the_last_row_costs_a_scan_not_memory(tmp_path, law, pharma):
    path = tmp_path / "inv.xlsx"
    write_template(law, path, pharma)
    wb = openpyxl.load_workbook(path)
    for name in (L.FLOWS_SHEET, L.ITEMS_SHEET):
        wb[name].cell(LAST_ROW, 30).value = "stray"  # outside every column the reader reads
    wb.save(path)
    assert path.stat().st_size < 100_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    inv = read_inventory_full(path, law)
    took = time.monotonic() - started
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [f.id for f in inv.declaration.flows] == [f.id for f in pharma.flows]
    assert grew_mb < 300, grew_mb  # the full-mode reader built a 3 GB grid here
    assert took < 60, took  # a guard against the old quadratic walk, not a benchmark


def test_a_row_of_data_far_below_the_rest_is_read_not_dropped(tmp_path, law, pharma):
    path = tmp_path / "inv.xlsx"
    write_template(law, path, pharma)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.FLOWS_SHEET]
    ws.cell(200_000, 1).value = "far-away"
    wb.save(path)
    try:
        read_inventory_full(path, law)
    except InputError as exc:
        text = exc.render()
    else:  # pragma: no cover
        raise AssertionError("a flow without data items must be reported")
    assert "A200000" in text and "far-away" in text


def test_formulas_are_refused_in_read_only_mode(tmp_path, law, pharma):
    path = tmp_path / "inv.xlsx"
    write_template(law, path, pharma)
    wb = openpyxl.load_workbook(path)
    wb[L.ITEMS_SHEET]["F2"] = "=1000*12"
    wb.save(path)
    try:
        read_inventory_full(path, law)
    except InputError as exc:
        assert "is a formula" in exc.render() and "F2" in exc.render()
    else:  # pragma: no cover
        raise AssertionError("a formula cell must be refused")


def test_dropdowns_warn_and_cover_every_row(tmp_path, law):
    path = tmp_path / "t.xlsx"
    write_template(law, path)
    wb = openpyxl.load_workbook(path)
    for name in (L.FLOWS_SHEET, L.ITEMS_SHEET, L.HANDLER_SHEET):
        dvs = wb[name].data_validations.dataValidation
        assert dvs, name
        for dv in dvs:
            assert dv.errorStyle == "warning" and dv.showErrorMessage
            if name != L.HANDLER_SHEET:
                assert str(dv.sqref).endswith(str(LAST_ROW)), dv.sqref


def test_a_typed_id_goes_through(tmp_path, law, pharma):
    """An id typed instead of picked ('pharma.pharmacovigilance' rather than the drop-down label) is read."""
    path = tmp_path / "inv.xlsx"
    write_template(law, path, pharma)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.FLOWS_SHEET]
    col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(1, c).value).startswith("scenario"))
    ws.cell(2, col).value = pharma.flows[0].scenario
    wb.save(path)
    assert read_inventory_full(path, law).declaration.flows[0].scenario == pharma.flows[0].scenario
