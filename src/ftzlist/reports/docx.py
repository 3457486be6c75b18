"""The report as a Word document, built with python-docx from the shared report context.

Word documents are built in code rather than from a docxtpl template: loops over tables are where
docxtpl breaks (split runs, stray paragraphs), and a context key the code names but the context
lacks is a `KeyError`, as loud as Jinja2's StrictUndefined. Chinese text gets an East Asian font
name, so Word picks a Chinese face instead of a Latin one with fallback boxes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

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


def table(doc: Any, headers: list[str], rows: list[list[Any]], widths: list[float] | None = None) -> Any:
    from docx.shared import Cm

    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    doc.add_paragraph()
    return t


def picture(doc: Any, png: bytes, width_cm: float = 17) -> None:
    from docx.shared import Cm

    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))


def render_docx(ctx: dict[str, Any], path: Path) -> Path:
    w = ctx["w"]
    doc = new_document()
    doc.add_heading(ctx["handler"], level=0)
    doc.add_paragraph(ctx["title"])
    table(
        doc,
        [w["as_of"], w["zone"], w["governing"], w["engine"]],
        [[ctx["as_of"], ctx["handler_zone"], ctx["governing"], ctx["engine_version"]]],
    )
    doc.add_paragraph(f"{w['input_hash']}: {ctx['input_sha256']}")

    doc.add_heading(w["flows_by_pathway"], level=1)
    table(
        doc,
        [w["pathway"], w["count"], w["flows"]],
        [[r["pathway"], r["count"], r["flows"]] for r in ctx["summary"]],
        [9, 2, 6],
    )
    doc.add_heading(w["due_next"], level=1)
    if ctx["due"]:
        rows = []
        for d in ctx["due"]:
            steps = "\n".join(f"• {s['name']}" + (f" — {s['when']}" if s["when"] else "") for s in d["steps"])
            rows.append([d["flows"], d["what"] + ("\n" + steps if steps else ""), d["citation"]])
        table(doc, [w["flow"], w["what"], w["citation"]], rows, [2.5, 10.5, 4])
    else:
        doc.add_paragraph(w["no_due"])
    if ctx["calendar"]:
        doc.add_heading(w["calendar"], level=1)
        table(
            doc,
            [w["date"], w["flow"], w["what"], ""],
            [[e["date"], e["flow"], e["what"], e["provisional"]] for e in ctx["calendar"]],
        )
    doc.add_heading(w["handler_totals"], level=1)
    t = ctx["totals"]
    table(
        doc,
        [w["persons_non_sensitive"], w["persons_sensitive"], w["excluded"], w["pathway"]],
        [[t["non_sensitive"], t["sensitive"], t["excluded"], t["pathway"]]],
    )
    if ctx["counts"]:
        doc.add_heading(w["counts"], level=1)
        for c in ctx["counts"]:
            picture(doc, c["png"])
    if ctx["comparison"]:
        cmp = ctx["comparison"]
        doc.add_heading(w["comparison"], level=1)
        table(doc, [w["flow"], *cmp["zones"]], [[r["flow"], *r["pathways"]] for r in cmp["rows"]])
    doc.add_heading(w["lists_used"], level=1)
    table(
        doc,
        [w["list"], w["coverage"], w["sha256"]],
        [[f"{x['id']}\n{x['title']}", x["coverage"], x["sha256"]] for x in ctx["lists"]],
        [8, 2, 7],
    )
    for f in ctx["flows"]:
        doc.add_page_break()
        doc.add_heading(f"{w['flow']} {f['id']}", level=1)
        p = doc.add_paragraph()
        p.add_run(f"{w['pathway']}: ").bold = True
        p.add_run(f["pathway"])
        if f["lower_bound"]:
            p.add_run(f"  ({w['lower_bound']}: {f['lower_bound']})")
        table(
            doc,
            [w["scenario"], w["recipient"], w["purpose"]],
            [[f"{f['scenario_name']} ({f['scenario']})", f["recipient"], f["purpose"]]],
        )
        doc.add_heading(w["data_items"], level=2)
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
            doc.add_heading(w["headroom"], level=2)
            picture(doc, f["headroom_png"])
            for h in f["headroom"]:
                doc.add_paragraph(f"{h['label']}: {h['note']}", style="List Bullet")
        doc.add_heading(w["obligations"], level=2)
        table(
            doc,
            [w["obligations"], w["citation"]],
            [
                [o["text"] + (f"\n{o['pathway']}" if o["pathway"] else ""), o["citation"]]
                for o in f["obligations"]
            ],
            [12, 5],
        )
        doc.add_heading(w["reasons"], level=2)
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
        doc.add_paragraph(note)
        for key in ("missing", "conflicts", "warnings", "alternatives"):
            if f[key]:
                doc.add_heading(w[key], level=3)
                for x in f[key]:
                    doc.add_paragraph(x, style="List Bullet")
    doc.add_paragraph(f"{w['generated_by']} {ctx['engine_version']}")
    path = Path(path)
    doc.save(str(path))
    return path
