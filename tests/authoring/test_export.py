"""`lists export` in the official layout, and the promise that goes with it: import the export again
and nothing changes (provenance aside: the re-imported items say where they were read from)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.authoring.export import write_docx, write_xlsx
from ftzlist.authoring.importer import Options, import_document
from ftzlist.authoring.layout import table_items
from ftzlist.authoring.tables import read_document
from ftzlist.listdiff import diff_lists
from ftzlist.loader import load_law, load_list_file

from .conftest import cli

BUNDLED_IDS = sorted(lf.id for lf in load_law().lists)
NO_OPTIONS = Options(None, None, None, None)


def export(law, list_id: str, fmt: str, path: Path) -> Path:
    (write_xlsx if fmt == "xlsx" else write_docx)(law.lists.get(list_id), law.vocabulary, path)
    return path


def without_provenance(lf) -> dict:
    data = lf.model_dump(mode="json")
    data["sources"] = [s for s in data["sources"] if s["sha256"] is None]
    for it in data["items"]:
        it["source"] = None
    return data


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("list_id", BUNDLED_IDS)
def test_export_then_import_changes_nothing(law, tmp_path: Path, list_id: str, fmt: str) -> None:
    original = law.lists.get(list_id)
    doc = read_document(export(law, list_id, fmt, tmp_path / f"x.{fmt}"))
    result = import_document(doc, law, NO_OPTIONS)
    assert result.problems == []
    again = result.list_file
    assert without_provenance(again) == without_provenance(original)
    assert diff_lists(original, again).empty
    read = [it for it in again.items if it.source is not None]
    assert len(read) == len(table_items(original))
    assert all(it.source.sha256 == doc.sha256 for it in read)


def test_the_official_layout(law, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = export(law, "fujian-ftz-2025", "xlsx", tmp_path / "fj.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["清单 List", "ftzlist"]
    ws = wb["清单 List"]
    assert ws["A1"].value.startswith("中国（福建）自由贸易试验区数据出境管理清单（负面清单）（2025版）")
    assert [ws.cell(3, c).value.split("\n")[0] for c in range(1, 14)] == [
        "序号", "行业领域", "适用企业类型", "出境路径", "业务场景", "数据类别", "数据子类",
        "基本特征及描述", "出境规模", "英文", "备注", "ftzlist条目编号", "ftzlist编码",
    ]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    # industry and enterprise types merged over each sector's rows (pharma: 24 rows from row 4)
    assert {"B4:B27", "C4:C27", "B28:B43", "B44:B51", "B52:B65"} <= merged
    # the pathway merged over its tier within the sector, the data category within the pathway
    assert {"D4:D18", "D19:D26", "F4:F10", "F11:F18"} <= merged
    rows = {ws.cell(r, 12).value: r for r in range(4, ws.max_row + 1)}
    r = rows["fj25.pharma.trial-subjects.t2"]
    assert ws.cell(r, 9).value == "5000人以上不满1万人"
    assert ws.cell(r, 5).value == "临床试验、去中心化临床试验（DCT）、药物研发"
    assert ws.cell(r, 7).value == "临床试验受试者"
    assert "subjects: [trial_subject]" in ws.cell(r, 13).value
    assert ws.cell(rows["fj25.pharma.hcp-non-sensitive.t1"], 9).value == "20万人以上（不含敏感个人信息）"
    assert ws.cell(rows["fj25.iov.sensitive.t2"], 9).value == "不满1万人敏感个人信息"
    assert ws.cell(rows["fj25.pharma.genetic"], 9).value == "不限"
    assert ws.cell(rows["fj25.pharma.id.production"], 9).value is None  # no threshold
    assert "fj25.partb.pi-10m" not in rows  # measures' rules live in the ftzlist sheet
    assert any("fj25.partb.pi-10m" in (c.value or "") for c in wb["ftzlist"]["A"])


def test_the_word_annex_merges_down(law, tmp_path: Path) -> None:
    from docx import Document

    doc = Document(str(export(law, "fujian-ftz-2025", "docx", tmp_path / "fj.docx")))
    table = doc.tables[0]
    column = [tr.tc_lst[1] for tr in table._tbl.tr_lst[1:]]  # industry
    assert [tc.vMerge for tc in column[:3]] == ["restart", "continue", "continue"]
    assert table.cell(1, 1).text == "医药行业"


def test_an_edited_band_is_read_an_edited_sub_class_is_refused(law, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = export(law, "fujian-ftz-2025", "xlsx", tmp_path / "fj.xlsx")
    wb = load_workbook(path)
    ws = wb["清单 List"]
    rows = {ws.cell(r, 12).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(rows["fj25.pharma.patients.t2"], 9).value = "1万人以上不满6万人"
    ws.cell(rows["fj25.pharma.patients.t1"], 9).value = "6万人以上"
    wb.save(path)
    result = import_document(read_document(path), law, NO_OPTIONS)
    assert result.problems == []
    d = diff_lists(law.lists.get("fujian-ftz-2025"), result.list_file)
    assert sorted(c.id for c in d.changed) == ["fj25.pharma.patients.t1", "fj25.pharma.patients.t2"]
    assert {b.direction for b in d.bands} == {"loosened"}
    ws.cell(rows["fj25.pharma.patients.t2"], 7).value = "医疗卫生专业人士"
    wb.save(path)
    result = import_document(read_document(path), law, NO_OPTIONS)
    assert result.list_file is None
    (err,) = result.errors
    assert err.where == f"sheet '清单 List', row {rows['fj25.pharma.patients.t2']}, column G"
    assert (
        "differs from what the ftzlist columns of item fj25.pharma.patients.t2 give ('患者')" in err.message
    )


def test_export_command(tmp_path: Path) -> None:
    out = tmp_path / "fj.docx"
    r = cli("lists", "export", "fujian-ftz-2025", "--format", "docx", "--out", str(out))
    assert r.exit_code == 0 and "62 table row(s)" in r.output
    r = cli("lists", "export", "fujian-ftz-2025", "--format", "docx", "--out", str(out))
    assert r.exit_code == 2 and "pass --force" in r.output
    r = cli("lists", "export", "fujian-ftz-2025", "--format", "pdf")
    assert r.exit_code == 2 and "--format: expected xlsx or docx" in r.output
    again = tmp_path / "again.yaml"
    r = cli("lists", "import", str(out), "--out", str(again))
    assert r.exit_code == 0, r.output
    r = cli("lists", "diff", "fujian-ftz-2025", str(again))
    assert "no differences" in r.output
    # an export imported as a new edition: its own id and dates, the same items
    r = cli("lists", "import", str(out), "--id", "fujian-ftz-2027", "--effective", "2027-12-25", "--issued", "2027-12-18",
            "--out", str(tmp_path / "fj27.yaml"))  # fmt: skip
    assert r.exit_code == 0, r.output
    lf, _ = load_list_file(tmp_path / "fj27.yaml")
    assert (lf.id, lf.family, lf.effective_from, lf.trial_until) == (
        "fujian-ftz-2027",
        "fujian-ftz",
        dt.date(2027, 12, 25),
        None,
    )
