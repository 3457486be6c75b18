"""DOCX and XLSX reports and the filing materials open with python-docx/openpyxl and hold the
expected sections; templates fail loudly on a missing field."""

from __future__ import annotations

import docx
import jinja2
import openpyxl
import pytest

from ftzlist.errors import InputError
from ftzlist.reports import render_filing, render_report
from ftzlist.reports.context import build_context
from ftzlist.reports.filing import BLANK
from ftzlist.reports.html import environment, render_html


def docx_runs(document):
    from ftzlist.reports.docx import runs

    return list(runs(document))


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_docx_report_sections(ds, decl, law, extras, tmp_path):
    out = render_report(ds, decl, law, "docx", tmp_path / "r.docx", lang="zh", extras=extras)
    d = docx.Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for h in (
        "按出境路径统计的活动",
        "下一步应办事项",
        "所用清单版本及哈希",
        "各自贸区比较",
        "申报日历",
        "累计人数与阈值",
    ):
        assert h in headings, h
    for f in ds.flows:
        assert f"数据出境活动 {f.flow_id}" in headings
    assert headings.count("义务") == len(ds.flows)
    text = _all_text(d)
    for ref in ds.lists:
        assert ref.sha256 in text
    assert law.vocabulary.categories["health.adverse_event"].name.zh in text
    assert len(d.inline_shapes) >= 2  # headroom and person-count charts


def test_docx_english(ds, decl, law, tmp_path):
    d = docx.Document(str(render_report(ds, decl, law, "docx", tmp_path / "r.docx", lang="en")))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Flows by pathway" in headings and "What is due next" in headings
    assert "Zone comparison" not in headings  # not given: left out


def test_xlsx_report(ds, decl, law, extras, tmp_path):
    wb = openpyxl.load_workbook(render_report(ds, decl, law, "xlsx", tmp_path / "r.xlsx", extras=extras))
    for name in ("summary", "flows", "reasons", "lists", "person_counts", "zone_comparison", "calendar"):
        assert name in wb.sheetnames


def test_html_report_is_self_contained(ds, decl, law, tmp_path):
    out = render_report(ds, decl, law, "html", tmp_path / "r.html", lang="en")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in html
    assert "file://" not in html  # no font paths from this machine


def test_template_is_strict(ds, decl, law):
    ctx = build_context(ds, decl, law, "en")
    del ctx["lists"]
    with pytest.raises(jinja2.UndefinedError):
        render_html(ctx)
    assert isinstance(environment().undefined(), jinja2.StrictUndefined)


def _filed(ds, law) -> list[str]:
    """Flows with a list-filing obligation: a zone list's pre-export filing procedure serves their
    pathway (the engine's obligations say which flows file; an HGR-route flow has none)."""
    from ftzlist.reports.lookup import find_procedure

    out = []
    for f in ds.flows:
        for o in f.obligations:
            hit = find_procedure(law, o.list_id, o.procedure) if o.procedure else None
            if hit and hit[1].model == "pre_export_filing" and f.pathway.value in hit[1].serves:
                out.append(f.flow_id)
                break
    return out


def test_filing_docx_has_art_11_contents(ds, decl, law, tmp_path):
    filed = _filed(ds, law)
    assert filed and len(filed) < len(ds.flows)  # hr is exempt under CBDF Art. 5(2): not filed
    assert "biomarker" not in filed and "hr" not in filed
    d = docx.Document(str(render_filing(ds, decl, law, "docx", tmp_path / "f.docx")))
    text = _all_text(d)
    for field in ("注册地", "所属行业", "经营情况", "近两年行政处罚、监管部门调查或整改情况"):
        assert field in text, field
    # place of registration (zone and area) and industry (sector and enterprise type), each with its source
    for value, source in (
        ("中国（福建）自由贸易试验区", "declaration:handler.zone"),
        ("厦门片区", "declaration:handler.area"),
        ("医药行业", "declaration:handler.sector"),
        ("生物制品生产企业", "declaration:handler.enterprise_type"),
    ):
        assert value in text and source in text, value
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for part in (
        "一、出境业务场景",
        "二、出境数据目录",
        "三、出境数据规模",
        "四、境外接收方",
        "五、数据属于清单的理由",
        "六、适用的清单子类",
    ):
        assert headings.count(part) == len(filed), part
    assert "药物警戒" in text
    gaps = [r for r in docx_runs(d) if r.text == BLANK]
    assert gaps and all(r.font.highlight_color is not None for r in gaps)


def test_filing_xlsx(ds, decl, law, tmp_path):
    wb = openpyxl.load_workbook(render_filing(ds, decl, law, "xlsx", tmp_path / "f.xlsx"))
    assert wb.sheetnames == ["申请表", "备案-活动", "备案-出境数据目录", "备案-适用清单子类"]
    app = {
        wb["申请表"].cell(r, 1).value: wb["申请表"].cell(r, 2).value
        for r in range(2, wb["申请表"].max_row + 1)
    }
    assert app["近两年行政处罚、监管部门调查或整改情况"] == "无"
    assert app["经营情况"] == BLANK
    cat = wb["备案-出境数据目录"]
    filed = _filed(ds, law)
    assert cat.max_row - 1 == sum(len(f.data) for f in decl.flows if f.id in filed)
    subs = wb["备案-适用清单子类"]
    assert any(str(subs.cell(r, 2).value).startswith("fj25.") for r in range(2, subs.max_row + 1))


def test_filing_refuses_pdf(ds, decl, law, tmp_path):
    with pytest.raises(InputError):
        render_filing(ds, decl, law, "pdf", tmp_path / "f.pdf")  # type: ignore[arg-type]
