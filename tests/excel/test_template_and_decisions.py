"""The template's sheets, drop-downs and notes; the decisions workbook a lawyer filters."""

from __future__ import annotations

import json

import openpyxl

from ftzlist.engine import decide
from ftzlist.excel import layout as L
from ftzlist.excel.template import write_template
from ftzlist.reports.workbook import write_decisions


def test_template_sheets_dropdowns_and_notes(law, tmp_path):
    wb = openpyxl.load_workbook(write_template(law, tmp_path / "t.xlsx"))
    assert wb.sheetnames == [L.README_SHEET, L.HANDLER_SHEET, L.FLOWS_SHEET, L.ITEMS_SHEET, L.CODES_SHEET]
    assert wb[L.CODES_SHEET].sheet_state == "hidden"
    codes = wb[L.CODES_SHEET]
    columns = {codes.cell(1, c).value: c for c in range(1, codes.max_column + 1)}
    for source in ("zones", "sectors", "scenarios", "subject_types", "pathways", "categories", "exemptions"):
        assert source in columns
    values = {
        name: [codes.cell(r, c).value for r in range(2, codes.max_row + 1) if codes.cell(r, c).value]
        for name, c in columns.items()
    }
    assert len(values["zones"]) == len(law.vocabulary.zones)
    assert len(values["scenarios"]) == len(law.vocabulary.scenarios)
    assert any(v.startswith("fujian-ftz | 中国（福建）自由贸易试验区") for v in values["zones"])
    assert any(v.startswith("security_assessment | 数据出境安全评估") for v in values["pathways"])

    def dropdowns(ws):
        return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}

    flows = dropdowns(wb[L.FLOWS_SHEET])
    assert "codes" in flows["B2"] and "$" in flows["B2"]  # scenario
    assert "G2" in flows  # pathway in use
    items = dropdowns(wb[L.ITEMS_SHEET])
    assert {"C2", "D2", "E2"} <= set(items)  # category, subject, sensitive
    handler = dropdowns(wb[L.HANDLER_SHEET])
    assert {"C4", "C6"} <= set(handler)  # zone, sector

    note = wb[L.FLOWS_SHEET]["B1"].comment.text
    assert "业务场景" in note and "business scenario" in note
    assert "从下拉列表选择" in note and "Pick from the list" in note
    assert wb[L.ITEMS_SHEET]["F1"].value.startswith("persons\n")


def test_decisions_workbook(law, pharma, tmp_path):
    ds = decide(pharma, law, pharma.as_of)
    wb = openpyxl.load_workbook(
        write_decisions(ds, law, tmp_path / "d.xlsx", current_pathways={"pv-global": "exempt"})
    )
    assert wb.sheetnames == ["summary", "flows", "data_items", "obligations", "reasons", "headroom", "lists"]
    flows = wb["flows"]
    assert flows.auto_filter.ref.startswith("A1:")
    assert flows.freeze_panes == "B2"
    rows = {flows.cell(r, 1).value: r for r in range(2, flows.max_row + 1)}
    assert set(rows) == {f.flow_id for f in ds.flows}
    r = rows["pv-global"]
    assert flows.cell(r, 4).value is None  # no declaration given: no recipient
    assert flows.cell(r, 7).value == "standard_contract_or_certification"
    assert flows.cell(r, 6).value.startswith("个人信息出境标准合同")
    assert flows.cell(r, 9).value.startswith("免予申报")  # pathway in use, for comparison
    reasons = wb["reasons"]
    assert reasons.max_row - 1 == sum(len(f.checks) for f in ds.flows)
    facts = [reasons.cell(r, 11).value for r in range(2, reasons.max_row + 1) if reasons.cell(r, 11).value]
    assert all(isinstance(json.loads(x), dict) for x in facts)
    lists = wb["lists"]
    assert {lists.cell(r, 4).value for r in range(2, lists.max_row + 1)} == {x.sha256 for x in ds.lists}
    assert wb["headroom"]._charts, "headroom chart"
    items = wb["data_items"]
    names = {items.cell(r, 4).value for r in range(2, items.max_row + 1)}
    assert any("药物不良反应信息" in (n or "") for n in names)
