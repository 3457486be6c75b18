"""`lists export`: a list written back in the official layout (Pattern 1), so counsel can read an
encoding beside the published table, row by row.

The table has the published columns (industry, enterprise types, pathway, scenario, data category,
sub-class, description, volume in Chinese, English) with the industry, enterprise types, pathway and
data category merged down over their rows as the official documents do, and two `ftzlist` columns
(item id, and the conditions the layout has no column for). Everything else in the list file
(procedures, counting, overrides, reference rules, catalogue, coverage) is kept in a `ftzlist` sheet
(xlsx) or at the end of the annex (docx), so `lists import` of the export gives the same list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ftzlist.authoring.layout import (
    COLUMNS,
    MERGED,
    PATHWAY_WORDS,
    data_class_word,
    encoding,
    header,
    scenario_text,
    subclass_text,
    table_items,
    types_text,
    volume_text,
)
from ftzlist.authoring.listyaml import list_data
from ftzlist.authoring.tables import FRAME_HEADING, FRAME_SHEET
from ftzlist.law import Vocabulary
from ftzlist.schema.instruments import Instrument, Instruments, walk_citations
from ftzlist.schema.lists import Item, ListFile


@dataclass(frozen=True)
class ExportRow:
    item: Item
    cells: dict[str, str]


def rows(lf: ListFile, voc: Vocabulary) -> list[ExportRow]:
    scopes = {s.sector: s for s in lf.sectors}
    out = []
    for n, it in enumerate(table_items(lf), 1):
        sector = it.sectors[0]  # type: ignore[index]
        cells = {
            "no": str(n),
            "sector": voc.sectors[sector].name.zh if sector in voc.sectors else sector,
            "enterprise_types": types_text(scopes.get(sector), voc),
            "pathway": PATHWAY_WORDS[it.pathway],
            "scenario": scenario_text(it, voc),
            "data_class": data_class_word(it),
            "subclass": subclass_text(it, voc),
            "features": it.title.zh,
            "volume": volume_text(it),
            "features_en": it.title.en,
            "notes": it.note or "",
            "item_id": it.id,
            "encoding": encoding(it),
        }
        out.append(ExportRow(it, cells))
    return out


def frame(lf: ListFile, registered: Sequence[Instrument] = ()) -> str:
    """The list file without its table rows, as YAML, with the order of every item and the registry
    entries of the instruments it cites that the bundled registry lacks (`registered`: an imported
    list's own entry lives in the `instruments.yaml` beside the list file, which does not travel with
    the workbook)."""
    table = {it.id for it in table_items(lf)}
    data = list_data(lf)
    data["items"] = [d for it, d in zip(lf.items, data["items"], strict=True) if it.id not in table]
    meta: dict = {"version": 1, "list": lf.id, "order": [it.id for it in lf.items]}
    if registered:
        meta["instruments"] = [
            i.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for i in registered
        ]
    head = {"ftzlist_export": meta}
    return yaml.safe_dump({**head, **data}, allow_unicode=True, sort_keys=False, width=100)


def blocks(table: list[ExportRow], key: str) -> list[tuple[int, int]]:
    """Runs of rows (first, last) that show the same value in a merged column, never crossing a run
    of a column to its left."""
    parents = MERGED[: MERGED.index(key)]
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(table) + 1):
        same = (
            i < len(table)
            and all(table[i].cells[k] == table[start].cells[k] for k in (*parents, key))
            and all(table[i].cells[k] == table[i - 1].cells[k] for k in parents)
        )
        if not same:
            out.append((start, i - 1))
            start = i
    return out


def unbundled(lf: ListFile, registry: Instruments, bundled: Instruments) -> list[Instrument]:
    """The registry entries of the instruments `lf` cites (citations, `also`, provisions, legal
    basis) that `bundled` does not hold, for the export to carry."""
    ids = {c.instrument for _, c in walk_citations(lf)}
    ids |= {a.instrument for _, c in walk_citations(lf) for a in c.also}
    ids |= {p.instrument for p in lf.provisions} | set(lf.legal_basis)
    return [registry.by_id[i] for i in sorted(ids) if i in registry and i not in bundled]


def write_xlsx(lf: ListFile, voc: Vocabulary, path: Path, registered: Sequence[Instrument] = ()) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from ftzlist.excel.safe import set_cell

    table = rows(lf, voc)
    wb = Workbook()
    ws = wb.active
    ws.title = "清单 List"
    width = len(COLUMNS)
    set_cell(ws.cell(1, 1), lf.title.zh)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    set_cell(ws.cell(2, 1), lf.title.en)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for c, key in enumerate(COLUMNS, 1):
        cell = set_cell(ws.cell(3, c), header(key))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if key in ("item_id", "encoding"):
            cell.fill = grey
    for r, row in enumerate(table, 4):
        for c, key in enumerate(COLUMNS, 1):
            value = row.cells[key]
            if key in MERGED and r > 4 and any(s < r - 4 <= e for s, e in blocks(table, key)):
                continue  # inside a merged block: the official layout shows the text once
            cell = set_cell(ws.cell(r, c), value or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for c, key in enumerate(COLUMNS, 1):
        if key in MERGED:
            for s, e in blocks(table, key):
                if e > s:
                    ws.merge_cells(start_row=4 + s, start_column=c, end_row=4 + e, end_column=c)
    widths = (6, 12, 26, 18, 22, 10, 24, 46, 24, 46, 20, 30, 60)
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(3, c).column_letter].width = w
    ws.freeze_panes = "A4"
    fs = wb.create_sheet(FRAME_SHEET)
    set_cell(
        fs.cell(1, 1), f"# {FRAME_HEADING}: the rest of list {lf.id}; `ftzlist lists import` reads it back."
    )
    for r, line in enumerate(frame(lf, registered).splitlines(), 2):
        set_cell(fs.cell(r, 1), line)
    fs.column_dimensions["A"].width = 120
    wb.save(path)


def write_docx(lf: ListFile, voc: Vocabulary, path: Path, registered: Sequence[Instrument] = ()) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    from ftzlist.xmltext import xml_safe

    table = rows(lf, voc)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(xml_safe(lf.title.zh), level=1)
    doc.add_paragraph(xml_safe(lf.title.en))
    t = doc.add_table(rows=1 + len(table), cols=len(COLUMNS))
    t.style = "Table Grid"
    for c, key in enumerate(COLUMNS):
        t.cell(0, c).text = header(key)
    for r, row in enumerate(table, 1):
        for c, key in enumerate(COLUMNS):
            t.cell(r, c).text = xml_safe(row.cells[key])
    for c, key in enumerate(COLUMNS):
        if key in MERGED:
            for s, e in blocks(table, key):
                if e > s:
                    text = t.cell(1 + s, c).text
                    t.cell(1 + s, c).merge(t.cell(1 + e, c)).text = text
    for row in t.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)
    doc.add_page_break()
    doc.add_heading(FRAME_HEADING, level=2)
    for line in frame(lf, registered).splitlines():
        p = doc.add_paragraph()
        run = p.add_run(xml_safe(line))
        run.font.name = "Courier New"
        run.font.size = Pt(7)
        p.paragraph_format.space_after = Pt(0)
    doc.save(path)
