"""Bad input to `lists import`: each a clear error naming sheet (or Word table), row and column, and
no list file written, half or whole. Cells it cannot read with certainty are reported and become
coverage.missing parts, never a guess."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from ftzlist.authoring.importer import Options, import_document
from ftzlist.authoring.tables import read_document
from ftzlist.engine import decide
from ftzlist.loader import load_list_file
from ftzlist.schema.declaration import Declaration

from .conftest import cli

HEAD = [
    "行业领域",
    "适用企业类型",
    "出境路径",
    "业务场景",
    "数据类别",
    "数据子类",
    "基本特征及描述",
    "出境规模",
]
PHARMA = [
    "医药行业",
    "化学原料药和制剂生产企业",
    "数据出境安全评估",
    "药物警戒",
    "个人信息",
    "患者个人信息",
    "患者的个人信息",
]


def xlsx(
    path: Path, rows: list[list], merges: list[str] = (), title: str | None = "某自贸试验区数据出境负面清单"
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "清单"
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def good_rows() -> list[list]:
    return [
        HEAD,
        [*PHARMA, "5万人以上"],
        [
            "医药行业",
            "化学原料药和制剂生产企业",
            "个人信息出境标准合同或个人信息保护认证",
            "药物警戒",
            "个人信息",
            "患者个人信息",
            "患者的个人信息",
            "1万人以上不满5万人",
        ],
    ]


def run_import(path: Path, out: Path, *extra: str):
    return cli(
        "lists", "import", str(path), "--id", "testland-ftz-2026", "--zone", "fujian-ftz",
        "--issued", "2026-01-01", "--effective", "2026-01-01", "--out", str(out), *extra,
    )  # fmt: skip


def nothing_written(tmp_path: Path, out: Path) -> None:
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}")]  # no temp file left


def test_a_good_small_table(tmp_path: Path) -> None:
    src = xlsx(tmp_path / "t.xlsx", good_rows())
    out = tmp_path / "out.yaml"
    r = run_import(src, out, "--measures-set-no-pathway")
    assert r.exit_code == 0, r.output
    lf, _ = load_list_file(out)
    assert [(it.id, it.pathway.value, str(it.persons)) for it in lf.items] == [
        ("teft26.ciio", "security_assessment", "None"),
        ("teft26.pharma.patient.t1", "security_assessment", "50,000+"),
        ("teft26.pharma.patient.t2", "standard_contract_or_certification", "10,000–<50,000"),
    ]
    assert lf.items[1].subjects == ["patient"] and lf.items[1].scenarios == ["pharma.pharmacovigilance"]
    assert lf.sectors[0].enterprise_types == ["pharma.chemical_drugs"]
    r = run_import(src, out)
    assert r.exit_code == 2 and "file exists; pass --force to replace it" in r.output
    assert run_import(src, out, "--force").exit_code == 0


def test_missing_column(tmp_path: Path) -> None:
    rows = [[c for i, c in enumerate(r) if i != 2] for r in good_rows()]  # no 出境路径
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out)
    assert r.exit_code == 2
    text = " ".join(r.output.split())
    assert (
        "sheet '清单', row 2: no column for 出境路径 (export pathway), and no section title above row 3"
        in text
    )
    assert text.count("no column for 出境路径") == 1  # once for the table, not once per row
    nothing_written(tmp_path, out)
    rows = [[c for i, c in enumerate(r) if i != 5] for r in good_rows()]  # no 数据子类 (required)
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out)
    assert r.exit_code == 2
    assert (
        "sheet '清单', row 2: no column for 数据子类 (data sub-class); expected a header cell naming it"
        in r.output
    )
    nothing_written(tmp_path, out)


@pytest.mark.parametrize(
    ("merge", "says"),
    [
        (
            "C3:D3",
            "sheet '清单', row 3, column C to row 3, column D: a merged range spans 2 columns inside the table body",
        ),
        (
            "B2:B3",
            "sheet '清单', row 2, column B to row 3, column B: a merged range runs from the header into the body",
        ),
        ("C3:C5", "a merged 出境路径 runs past the end of its sector (the sector ends at row 4)"),
    ],
)
def test_unknown_merged_cell_layout(tmp_path: Path, merge: str, says: str) -> None:
    rows = [
        *good_rows(),
        [
            "零售行业",
            "消费零售",
            "数据出境安全评估",
            "会员管理",
            "个人信息",
            "消费会员个人信息",
            "会员",
            "300万人以上",
        ],
    ]
    merges = [merge] + (["A3:A4"] if merge == "C3:C5" else [])
    if merge == "C3:C5":
        for r in rows[2:4]:
            r[0] = r[0] if r is rows[1] else None
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows, merges), out)
    assert r.exit_code == 2, r.output
    assert says in " ".join(r.output.split())
    assert "merged down one column" in r.output  # what it expected
    nothing_written(tmp_path, out)


def test_unknown_merge_in_a_word_table(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    rows = good_rows()
    table = doc.add_table(rows=len(rows), cols=len(HEAD))
    for i, r in enumerate(rows):
        for c, v in enumerate(r):
            table.cell(i, c).text = v
    table.cell(1, 4).merge(table.cell(1, 5))  # scenario and data category merged across
    path = tmp_path / "annex.docx"
    doc.save(path)
    out = tmp_path / "out.yaml"
    r = run_import(path, out)
    assert r.exit_code == 2
    assert "table 1, row 2, column 5 to row 2, column 6: a merged range spans 2 columns" in " ".join(
        r.output.split()
    )
    nothing_written(tmp_path, out)


@pytest.mark.parametrize(
    ("col", "word", "says"),
    [
        (2, "数据出境备案", "sheet '清单', row 3, column C: '数据出境备案' not a pathway word it knows"),
        (
            2,
            "安全评估或标准合同",
            "sheet '清单', row 3, column C: '安全评估或标准合同' not a pathway word it knows",
        ),
        (4, "核心数据", "sheet '清单', row 3, column E: '核心数据' not a data category it knows"),
        (
            0,
            "深海产业",
            "sheet '清单', row 3, column A: '深海产业' sector not in the vocabulary (proposed as 'proposed_sector_1')",
        ),
    ],
)
def test_unknown_words(tmp_path: Path, col: int, word: str, says: str) -> None:
    rows = good_rows()
    rows[1][col] = word
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out)
    assert r.exit_code == 2
    assert says in " ".join(r.output.split())
    nothing_written(tmp_path, out)
    proposals = tmp_path / "out.proposed-vocabulary.yaml"
    assert proposals.exists() == (col == 0)  # the way forward is written even when the list is not


def test_blank_cells_repeat_in_csv_only(tmp_path: Path) -> None:
    rows = good_rows()
    rows[2][0] = rows[2][1] = rows[2][3] = rows[2][4] = ""
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out)
    assert r.exit_code == 2
    assert "sheet '清单', row 4, column A: '' blank" in " ".join(r.output.split())
    nothing_written(tmp_path, out)
    assert run_import(tmp_path / "t.xlsx", out, "--fill-down", "--measures-set-no-pathway").exit_code == 0
    csv = tmp_path / "t.csv"
    csv.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    out2 = tmp_path / "out2.yaml"
    r = run_import(csv, out2, "--measures-set-no-pathway")
    assert r.exit_code == 0, r.output
    assert load_list_file(out2)[0].items[2].scenarios == ["pharma.pharmacovigilance"]


def test_uncertain_cells_become_missing_parts(tmp_path: Path, law) -> None:
    rows = good_rows()
    rows[1][7] = "约5万人"  # approximate: refused
    rows.append(
        [
            "医药行业",
            "化学原料药和制剂生产企业",
            "数据出境安全评估",
            "真实世界研究",
            "个人信息",
            "受试者个人信息",
            "受试者",
            "1万人以上",
        ]
    )
    rows.append(
        [
            "医药行业",
            "化学原料药和制剂生产企业",
            "数据出境安全评估",
            "临床试验",
            "个人信息",
            "研究者个人信息",
            "研究者",
            "1万人以上",
        ]
    )
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out, "--measures-set-no-pathway", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    uncertain = {(p["where"], p["text"]): p for p in report["problems"] if p["severity"] == "uncertain"}
    assert ("sheet '清单', row 3, column H", "约5万人") in uncertain
    assert "approximate" in uncertain[("sheet '清单', row 3, column H", "约5万人")]["message"]
    assert ("sheet '清单', row 5, column D", "真实世界研究") in uncertain
    assert ("sheet '清单', row 6, column F", "研究者个人信息") in uncertain
    assert (
        "sheet '清单', row 5, column F",
        "受试者个人信息",
    ) in uncertain  # the whole row is reported at once
    assert {p["zh"] for p in report["proposals"]} == {"真实世界研究", "受试者", "研究者"}
    lf, _ = load_list_file(out)
    parts = {m.id: m for m in lf.coverage.missing if ".import." in m.id}
    assert len(parts) == 3 and all(m.sectors == ["pharma"] for m in parts.values())
    assert any("row 3" in m.description and "约5万人" in m.description for m in parts.values())
    proposed = yaml.safe_load((tmp_path / "out.proposed-vocabulary.yaml").read_text(encoding="utf-8"))
    assert proposed["scenarios"][0]["id"] == "pharma.proposed_scenario_1"
    assert {e["name"]["zh"] for e in proposed["subject_types"]} == {"受试者", "研究者"}  # whose information
    # the unread rows make flows they could affect undetermined, naming the part, never a guess
    from ftzlist.authoring.scenarios import with_list

    decl = Declaration.model_validate({
        "handler": {"name": "X", "zone": "fujian-ftz", "area": "xiamen", "sector": "pharma",
                    "enterprise_type": "pharma.chemical_drugs", "ciio": False},
        "flows": [{"id": "f", "scenario": "pharma.pharmacovigilance", "recipient": {"name": "R", "country": "US"},
                   "purpose": "pv", "data": [{"id": "d", "category": "health.adverse_event", "subject": "patient", "persons": 60000}]}],
    })  # fmt: skip
    flow = decide(
        decl, with_list(law, lf, "0" * 64, replacing=["fujian-ftz-2025"]), dt.date(2026, 6, 1)
    ).flows[0]
    assert flow.pathway.value == "undetermined"
    assert any("teft26.import" in m.field or "teft26.import" in m.why for m in flow.missing)


def test_english_headers_and_section_rows(tmp_path: Path, law) -> None:
    rows = [
        [
            "Industry",
            "Business scenario",
            "Data category",
            "Data sub-class",
            "Basic features and description",
            "Volume",
        ],
        ["一、需申报数据出境安全评估的数据"],
        [
            "retail",
            "membership management",
            "personal information",
            "consumer members",
            "members' data",
            "3,000,000+ (non-sensitive)",
        ],
        ["二、需订立个人信息出境标准合同或通过个人信息保护认证的数据"],
        [
            "retail",
            "membership management",
            "personal information",
            "consumer members",
            "members' data",
            "500,000–<3,000,000 (non-sensitive)",
        ],
    ]
    path = xlsx(tmp_path / "en.xlsx", rows, ["A2:F2", "A4:F4"], title=None)
    doc = read_document(path)
    o = Options("testland-ftz-2026", "fujian-ftz", None, dt.date(2026, 1, 1), measures_set_no_pathway=True)
    result = import_document(doc, law, o)
    assert result.errors == [], [str(p) for p in result.problems]
    items = [it for it in result.list_file.items if it.sectors == ["retail"] and it.subjects]
    assert [(it.pathway.value, it.persons.min, it.sensitivity.value) for it in items] == [
        ("security_assessment", 3_000_000, "non_sensitive"),
        ("standard_contract_or_certification", 500_000, "non_sensitive"),
    ]


def test_not_a_table(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", [["hello", "world"]]), out)
    assert r.exit_code == 2 and "no table with the columns of a published list" in r.output
    bad = tmp_path / "t.pdf"
    bad.write_text("x")
    r = run_import(bad, out)
    assert r.exit_code == 2 and "cannot read '.pdf' files" in r.output
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"not a zip")
    r = run_import(broken, out)
    assert r.exit_code == 2 and "not a readable Excel workbook" in r.output
    r = run_import(xlsx(tmp_path / "t.xlsx", good_rows()), out, "--sheet", "Sheet9")
    assert r.exit_code == 2 and "no sheet or table 'Sheet9' (found: '清单')" in r.output
    nothing_written(tmp_path, out)


def test_proposed_vocabulary_once_reviewed_lets_the_row_in(tmp_path: Path) -> None:
    """The way forward from a row not encoded: the proposals file is a vocabulary file; reviewed and
    put in a `vocabulary` folder passed with --lists, the same table imports that row."""
    rows = good_rows()
    rows.append(
        [
            "医药行业",
            "化学原料药和制剂生产企业",
            "数据出境安全评估",
            "真实世界研究",
            "个人信息",
            "受试者个人信息",
            "受试者",
            "1万人以上",
        ]
    )
    src = xlsx(tmp_path / "t.xlsx", rows)
    out = tmp_path / "first.yaml"
    assert run_import(src, out, "--measures-set-no-pathway").exit_code == 0
    assert len([m for m in load_list_file(out)[0].coverage.missing if ".import." in m.id]) == 1
    proposed = tmp_path / "first.proposed-vocabulary.yaml"
    text = proposed.read_text(encoding="utf-8").replace(
        "TODO English name of 真实世界研究", "real-world studies"
    )
    vocab = tmp_path / "mine" / "vocabulary"
    vocab.mkdir(parents=True)
    (vocab / "proposed.yaml").write_text(text, encoding="utf-8")
    out2 = tmp_path / "second.yaml"
    r = run_import(src, out2, "--measures-set-no-pathway", "--lists", str(vocab))
    assert r.exit_code == 0, r.output
    lf, _ = load_list_file(out2)
    assert not [m for m in lf.coverage.missing if ".import." in m.id]
    assert any(it.scenarios == ["pharma.proposed_scenario_1"] for it in lf.items)


def test_a_base_without_a_ciio_rule_gets_one(tmp_path: Path, law) -> None:
    """The bands bind non-CIIO handlers only: a list with bands and no CIIO rule would let a CIIO's
    personal information off the list. A base (here the Beijing 2025 shell) without one gets it."""
    from ftzlist.authoring.scenarios import with_list

    rows = [r[:] for r in good_rows()]
    out = tmp_path / "bj.yaml"
    r = cli(
        "lists", "import", str(xlsx(tmp_path / "t.xlsx", rows)), "--id", "beijing-ftz-2025", "--zone", "beijing-ftz",
        "--issued", "2026-05-11", "--effective", "2026-05-11", "--base", "beijing-ftz-2025", "--out", str(out),
        "--fills", "bj25.all-sectors",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    lf, sha = load_list_file(out)
    ciio = [it for it in lf.items if it.ciio is True]
    assert [it.id for it in ciio] == ["beft25.ciio"] and ciio[0].citation.instrument == "cn.cbdf"
    decl = Declaration.model_validate({
        "handler": {"name": "X", "zone": "beijing-ftz", "sector": "pharma", "enterprise_type": "pharma.chemical_drugs",
                    "ciio": True},
        "flows": [{"id": "f", "scenario": "pharma.pharmacovigilance", "recipient": {"name": "R", "country": "US"},
                   "purpose": "pv", "data": [{"id": "d", "category": "health.adverse_event", "subject": "patient", "persons": 10}]}],
    })  # fmt: skip
    flow = decide(decl, with_list(law, lf, sha), dt.date(2026, 6, 1)).flows[0]
    assert flow.pathway.value == "security_assessment"


@pytest.mark.parametrize("period", ["近1年内", "过去12个月内累计", "近3年内累计"])
def test_a_counting_period_in_the_description_is_not_dropped(tmp_path: Path, period: str) -> None:
    """A description saying "近1年内…1万人以上" counts over the last twelve months; the list counts since 1 January (CBDF
    Arts. 7-9), which counts fewer persons: read without the period the band would be lighter, so the
    row is not encoded and the flows it could affect stay undetermined."""
    rows = good_rows()
    rows[2][6], rows[2][7] = f"{period}向境外提供1万人以上患者的个人信息", ""
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out, "--measures-set-no-pathway")
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "row 4, column G" in said and "counts the persons over a period" in said
    lf = load_list_file(out)[0]
    assert not [i for i in lf.items if i.persons and i.persons.min == 10_000]
    assert any("counting period in the description" in m.description for m in lf.coverage.missing)


def test_a_second_import_adds_to_the_registry_it_wrote(tmp_path: Path) -> None:
    """The instruments.yaml the first import wrote takes the second list's entry (it used to stop on
    its own layout with an internal error)."""
    table = xlsx(tmp_path / "t.xlsx", good_rows())
    first = run_import(table, tmp_path / "a.yaml", "--measures-set-no-pathway")
    assert first.exit_code == 0, first.output
    second = cli(
        "lists", "import", str(table), "--id", "otherland-ftz-2026", "--zone", "fujian-ftz",
        "--issued", "2026-01-01", "--effective", "2026-01-01", "--out", str(tmp_path / "b.yaml"),
        "--measures-set-no-pathway",
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    said = " ".join(second.output.split())
    assert "(added imported.otherland-ftz-2026)" in said and "proposed vocabulary" not in said
    registry = yaml.safe_load((tmp_path / "instruments.yaml").read_text(encoding="utf-8"))
    assert [i["id"] for i in registry["instruments"]] == [
        "imported.testland-ftz-2026",
        "imported.otherland-ftz-2026",
    ]
    assert cli("lists", "validate", str(tmp_path / "b.yaml")).exit_code == 0


@pytest.mark.parametrize(
    ("tier1", "ok"),
    [("5万人以上", True), ("5万人以上（不含敏感个人信息）", False), ("5万人以上敏感个人信息", False)],
)
def test_bands_that_leave_persons_off_the_list_write_nothing(tmp_path: Path, tier1: str, ok: bool) -> None:
    """A tier-1 band for one kind of personal information over a tier 2 for both: patients' health
    data (sensitive) above 50,000 would match no row and be off the list, exempt (CBDF Art. 6) where
    the table's tier 1 asks a security assessment. `lists validate` rejects such a list; the import
    wrote it and said 0 rows not encoded. Now nothing is written and the row is named."""
    rows = good_rows()
    rows[1][7] = tier1
    out = tmp_path / "out.yaml"
    r = run_import(xlsx(tmp_path / "t.xlsx", rows), out, "--measures-set-no-pathway")
    if ok:
        assert r.exit_code == 0, r.output
        assert cli("lists", "validate", str(out)).exit_code == 0
        return
    assert r.exit_code == 2, r.output
    said = " ".join(r.output.split())
    assert "sheet '清单', row 4" in said and "fall off the list" in said and "nothing written" in said
    nothing_written(tmp_path, out)
    assert not (tmp_path / "instruments.yaml").exists()


@pytest.mark.parametrize("as_json", [False, True])
def test_the_report_masks_identifiers_quoted_from_cells(tmp_path: Path, as_json: bool) -> None:
    """A cell holding a phone number or a resident ID is quoted masked in the report (text and JSON),
    as every other message is; the raw value was printed as it stood."""
    rows = good_rows()
    rows[2][3], rows[2][5] = "13800138000", "110101199003074258"
    out = tmp_path / "out.yaml"
    r = run_import(
        xlsx(tmp_path / "t.xlsx", rows), out, "--measures-set-no-pathway", *(["--json"] if as_json else [])
    )
    assert r.exit_code == 0, r.output
    assert "13800138000" not in r.output and "110101199003074258" not in r.output
    assert "138*****000" in r.output and "row 4, column D" in r.output
