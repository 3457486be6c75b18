"""A malformed workbook gives one clear problem per bad cell, naming sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ftzlist.errors import InputError
from ftzlist.excel import layout as L
from ftzlist.excel.inventory import read_inventory
from ftzlist.excel.template import write_template


@pytest.fixture
def workbook(law, pharma, tmp_path) -> Path:
    return write_template(law, tmp_path / "inv.xlsx", pharma)


def edit(path: Path, sheet: str, cell: str, value, *, formula: bool = False) -> None:
    wb = openpyxl.load_workbook(path)
    c = wb[sheet][cell]
    c.value = value
    if isinstance(value, str) and not formula:
        c.data_type = "s"
    wb.save(path)


def problems(path: Path, law) -> list[str]:
    with pytest.raises(InputError) as exc:
        read_inventory(path, law)
    return [str(p) for p in exc.value.problems]


def test_missing_sheet(workbook, law):
    wb = openpyxl.load_workbook(workbook)
    del wb[L.FLOWS_SHEET]
    wb.save(workbook)
    (p,) = problems(workbook, law)
    assert "sheet 'flows'" in p and "missing" in p


def test_wrong_type_in_a_cell(workbook, law):
    edit(workbook, L.ITEMS_SHEET, "F2", "many")  # persons
    (p,) = problems(workbook, law)
    assert p.startswith("sheet 'data_items' cell F2 (row 2, column F 'persons')")
    assert "expected a whole number, got 'many'" in p


def test_unknown_scenario_names_the_nearest(workbook, law):
    edit(workbook, L.FLOWS_SHEET, "B2", "pharma.pharmacovigilanc")
    (p,) = problems(workbook, law)
    assert p.startswith("sheet 'flows' cell B2 (row 2, column B 'scenario')")
    assert "unknown scenario 'pharma.pharmacovigilanc'" in p
    assert "nearest valid: pharma.pharmacovigilance" in p


def test_one_problem_per_bad_cell(workbook, law):
    edit(workbook, L.FLOWS_SHEET, "B3", "pharma.nope")  # scenario
    edit(workbook, L.FLOWS_SHEET, "D2", "Switzerland")  # country: not ISO alpha-2
    edit(workbook, L.ITEMS_SHEET, "E3", "maybe")  # sensitive: not yes/no
    edit(workbook, L.ITEMS_SHEET, "C4", "health.nothing")  # category
    edit(workbook, L.HANDLER_SHEET, "C8", "perhaps")  # ciio
    ps = problems(workbook, law)
    cells = sorted(p.split(" (row")[0] for p in ps)
    assert cells == sorted(
        [
            "sheet 'flows' cell B3",
            "sheet 'data_items' cell E3",
            "sheet 'data_items' cell C4",
            "sheet 'handler' cell C8",
            "sheet 'flows' cell D2",
        ]
    ), ps


def test_pydantic_constraint_maps_to_its_cell(workbook, law):
    edit(workbook, L.FLOWS_SHEET, "D2", "ch")
    (p,) = problems(workbook, law)
    assert p.startswith("sheet 'flows' cell D2 (row 2, column D 'recipient_country')")
    assert "flows.0.recipient.country" in p


def test_formula_cells_are_refused(workbook, law):
    edit(workbook, L.ITEMS_SHEET, "F2", "=1000*12", formula=True)
    (p,) = problems(workbook, law)
    assert "cell F2" in p and "is a formula" in p


def test_item_of_an_unknown_flow(workbook, law):
    edit(workbook, L.ITEMS_SHEET, "A2", "pv-globl")
    ps = problems(workbook, law)
    assert any("cell A2" in p and "no flow 'pv-globl'" in p and "pv-global" in p for p in ps)


def test_required_cell_empty(workbook, law):
    edit(workbook, L.FLOWS_SHEET, "E2", None)  # purpose
    (p,) = problems(workbook, law)
    assert "cell E2" in p and "required" in p


def test_missing_required_column(workbook, law):
    wb = openpyxl.load_workbook(workbook)
    wb[L.ITEMS_SHEET]["C1"].value = "kategorie"
    wb.save(workbook)
    ps = problems(workbook, law)
    assert any("sheet 'data_items' row 1" in p and "no column 'category'" in p for p in ps)


def test_repeated_flow_id(workbook, law):
    edit(workbook, L.FLOWS_SHEET, "A3", "pv-global")
    ps = problems(workbook, law)
    assert any("cell A3" in p and "repeats" in p for p in ps)


def test_not_a_workbook(tmp_path, law):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        read_inventory(bad, law)
