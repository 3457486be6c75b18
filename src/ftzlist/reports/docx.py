"""The report as a Word document, built with python-docx from the shared report context.

Word documents are built in code rather than from a docxtpl template: loops over tables are where
docxtpl breaks (split runs, stray paragraphs), and a context key the code names but the context
lacks is a `KeyError`, as loud as Jinja2's StrictUndefined. Chinese text gets an East Asian font
name, so Word picks a Chinese face instead of a Latin one with fallback boxes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ftzlist.xmltext import xml_safe

EAST_ASIAN_FONT = "Microsoft YaHei"
LATIN_FONT = "Calibri"


def new_document() -> Any:
    """A document whose styles name a Latin and an East Asian font (A4, narrow margins)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        style.font.name = LATIN_FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
    doc.styles["Normal"].font.size = Pt(9.5)
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin = section.bottom_margin = Mm(18)
    return doc


def _t(value: Any) -> str:
    """Cell or paragraph text, storable in Word's XML (`ftzlist.xmltext`)."""
    return xml_safe("" if value is None else str(value))


def para(doc: Any, text: Any = "", style: str | None = None) -> Any:
    """A paragraph; every text a Word document gets goes through `_t`."""
    return doc.add_paragraph(_t(text), style=style)


def heading(doc: Any, text: Any, level: int) -> Any:
    return doc.add_heading(_t(text), level=level)


def run(paragraph: Any, text: Any, *, bold: bool = False) -> Any:
    r = paragraph.add_run(_t(text))
    if bold:
        r.bold = True
    return r


def table(doc: Any, headers: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> Any:
    from docx.shared import Cm

    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_t(text)).bold = True
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _t(value)
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    doc.add_paragraph()
    return t


def highlight(doc: Any, marks: tuple[str, ...]) -> None:
    """Highlight in yellow every run holding one of `marks` (the blanks a person must fill in)."""
    from docx.enum.text import WD_COLOR_INDEX

    for r in runs(doc):
        if any(m in r.text for m in marks):
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def runs(doc: Any) -> Iterator[Any]:
    """Every text run of the body and its tables."""
    for p in doc.paragraphs:
        yield from p.runs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def picture(doc: Any, png: bytes, width_cm: float = 17) -> None:
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))


def render_docx(ctx: dict[str, Any], path: Path) -> Path:
    w = ctx["w"]
    doc = new_document()
    heading(doc, ctx["handler"], 0)
    para(doc, ctx["title"])
    table(
        doc,
        [w["as_of"], w["zone"], w["governing"], w["engine"]],
        [[ctx["as_of"], ctx["handler_zone"], ctx["governing"], ctx["engine_version"]]],
    )
    para(doc, f"{w['input_hash']}: {ctx['input_sha256']}")

    heading(doc, w["flows_by_pathway"], 1)
    table(
        doc,
        [w["pathway"], w["count"], w["flows"]],
        [[r["pathway"], r["count"], r["flows"]] for r in ctx["summary"]],
        [9, 2, 6],
    )
    heading(doc, w["due_next"], 1)
    if ctx["due"]:
        rows = []
        for d in ctx["due"]:
            steps = "\n".join(f"• {s['name']}" + (f" — {s['when']}" if s["when"] else "") for s in d["steps"])
            rows.append([d["flows"], d["what"] + ("\n" + steps if steps else ""), d["citation"]])
        table(doc, [w["flow"], w["what"], w["citation"]], rows, [2.5, 10.5, 4])
    else:
        para(doc, w["no_due"])
    if ctx["calendar"]:
        heading(doc, w["calendar"], 1)
        table(
            doc,
            [w["date"], w["flow"], w["what"], w["status"], w["owner"]],
            [
                [
                    e["date"] + (f" ({e['provisional']})" if e["provisional"] else ""),
                    e["flow"],
                    e["what"],
                    e["status"],
                    e["owner"],
                ]
                for e in ctx["calendar"]
            ],
        )
    if ctx["claims"]:
        heading(doc, w["claims_rejected"], 1)
        for c in ctx["claims"]:
            para(doc, c, "List Bullet")
    heading(doc, w["handler_totals"], 1)
    t = ctx["totals"]
    table(
        doc,
        [
            w["persons_non_sensitive"],
            w["persons_sensitive"],
            w["excluded"],
            w["national_count_alone"],
            w["strictest_flow"],
        ],
        [[t["non_sensitive"], t["sensitive"], t["excluded"], t["pathway"], t["strictest"]]],
    )
    if ctx["counts"]:
        heading(doc, w["counts"], 1)
        for c in ctx["counts"]:
            picture(doc, c["png"])
    if ctx["comparison"]:
        cmp = ctx["comparison"]
        heading(doc, w["comparison"], 1)
        table(doc, [w["flow"], *cmp["zones"]], [[r["flow"], *r["pathways"]] for r in cmp["rows"]])
    heading(doc, w["lists_used"], 1)
    table(
        doc,
        [w["list"], w["coverage"], w["sha256"]],
        [[f"{x['id']}\n{x['title']}", x["coverage"], x["sha256"]] for x in ctx["lists"]],
        [8, 2, 7],
    )
    for f in ctx["flows"]:
        doc.add_page_break()
        heading(doc, f"{w['flow']} {f['id']}", 1)
        p = para(doc)
        run(p, f"{w['pathway']}: ", bold=True)
        run(p, f["pathway"])
        if f["lower_bound"]:
            run(p, f"  ({w['lower_bound']}: {f['lower_bound']})")
        if f["national_ref"]:
            run(p, f"  {w['national_reference']}: {f['national_ref']}")
        for c in f["claims"]:
            q = para(doc)
            run(q, f"{w['claims_rejected']}: ", bold=True)
            run(q, c)
        table(
            doc,
            [w["scenario"], w["recipient"], w["purpose"]],
            [[f"{f['scenario_name']} ({f['scenario']})", f["recipient"], f["purpose"]]],
        )
        heading(doc, w["data_items"], 2)
        table(
            doc,
            [w["item"], w["category"], w["sensitive"], w["persons"], w["pathway"], w["deciding_rules"]],
            [
                [
                    i["id"],
                    f"{i['category_name']}\n{i['category']}",
                    i["sensitive"],
                    i["persons"],
                    i["pathway"],
                    i["rules"],
                ]
                for i in f["data_items"]
            ],
        )
        if f["headroom_png"]:
            heading(doc, w["headroom"], 2)
            picture(doc, f["headroom_png"])
            for h in f["headroom"]:
                para(doc, f"{h['label']}: {h['note']}", "List Bullet")
        heading(doc, w["obligations"], 2)
        table(
            doc,
            [w["obligations"], w["citation"]],
            [
                [o["text"] + (f"\n{o['pathway']}" if o["pathway"] else ""), o["citation"]]
                for o in f["obligations"]
            ],
            [12, 5],
        )
        heading(doc, w["reasons"], 2)
        table(
            doc,
            [w["rule"], w["outcome"], w["reason"], w["citation"]],
            [
                [
                    f"{r['rule']}\n{r['list']}" + (f" · {r['item']}" if r["item"] else ""),
                    r["outcome"] + (f"\n{r['pathway']}" if r["pathway"] else ""),
                    r["reason"],
                    f"{r['citation']} [{r['status']}]",
                ]
                for r in f["reasons"]
            ],
            [4.5, 3, 5.5, 4],
        )
        note = f"{w['checks_summary']}: {f['checked']}"
        if f["not_shown"]:
            note += f" ({f['not_shown']} × {w['reasons_not_shown']})"
        para(doc, note)
        for key, rows in (
            ("facts_to_supply", f["missing_facts"]),
            ("law_not_encoded", f["missing_law"]),
            ("conflicts", f["conflicts"]),
            ("warnings", f["warnings"]),
            ("alternatives", f["alternatives"]),
        ):
            if rows:
                heading(doc, w[key], 3)
                for x in rows:
                    para(doc, x, "List Bullet")
    para(doc, f"{w['generated_by']} {ctx['engine_version']}")
    path = Path(path)
    doc.save(str(path))
    return path
