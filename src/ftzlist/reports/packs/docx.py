"""A pack document as Word: the guide's sections, each value followed by the number of its source,
each gap highlighted in yellow with what to write, the sources listed after each part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ftzlist.reports.docx import heading, new_document, para, run, table
from ftzlist.reports.packs.layout import layout
from ftzlist.reports.packs.model import PackDocument

GREY = (0x6C, 0x75, 0x7D)


def _small(r: Any, *, grey: bool = True, superscript: bool = False) -> Any:
    from docx.shared import Pt, RGBColor

    r.font.size = Pt(7.5)
    if grey:
        r.font.color.rgb = RGBColor(*GREY)
    if superscript:
        r.font.superscript = True
    return r


def _fill(cell: Any, c: dict[str, Any]) -> None:
    """One value in a table cell: the value, its source number, and for a gap the hint (the gap
    itself highlighted in yellow, so the person completing the pack finds each one)."""
    from docx.enum.text import WD_COLOR_INDEX

    cell.text = ""
    p = cell.paragraphs[0]
    r = run(p, c["value"])
    if c["gap"]:
        r.bold = True
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if c["ref"]:
        _small(run(p, f"[{c['ref']}]"), superscript=True)
    if c["hint"]:
        _small(run(p, f"\n{c['hint']}"))


def write_pack_docx(docs: PackDocument | list[PackDocument], path: Path, lang: str = "bilingual") -> Path:
    """One or more pack documents as one Word file (each document from a new page)."""
    d = new_document()
    for n, doc in enumerate([docs] if isinstance(docs, PackDocument) else docs):
        if n:
            d.add_page_break()
        _document(d, layout(doc, lang))  # type: ignore[arg-type]
    path = Path(path)
    d.save(str(path))
    return path


def _document(d: Any, ctx: dict[str, Any]) -> None:
    w = ctx["w"]
    heading(d, ctx["title"], 0)
    para(
        d, f"{w['handler']}: {ctx['handler']}    {w['as_of']}: {ctx['as_of']}    {w['flows']}: {ctx['flows']}"
    )
    for p in ctx["preface"]:
        _small(run(para(d), p), grey=True)
    heading(d, w["basis"], 1)
    table(d, [w["item"], w["value"]], [list(row) for row in ctx["basis"]], [3.5, 13.5])
    for s in ctx["sections"]:
        heading(d, s["heading"], min(s["level"], 3))
        _small(run(para(d), s["ref"]))
        if s["note"]:
            para(d, s["note"])
        for tab in s["tables"]:
            t = table(d, tab["columns"], [["" for _ in tab["columns"]] for _ in tab["rows"]])
            for row, cells in zip(t.rows[1:], tab["rows"], strict=True):
                for cell, c in zip(row.cells, cells, strict=True):
                    _fill(cell, c)
        if s["fields"]:
            t = table(d, [w["item"], w["value"]], [[c["label"], ""] for c in s["fields"]], [5.5, 11.5])
            for row, c in zip(t.rows[1:], s["fields"], strict=True):
                _fill(row.cells[1], c)
        if s["sources"]:
            p = para(d)
            _small(run(p, w["sources"] + ": " + "; ".join(f"[{x['n']}] {x['source']}" for x in s["sources"])))
