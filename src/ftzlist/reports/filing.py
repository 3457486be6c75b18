"""A zone's list-filing materials in Chinese, for a person to complete and sign: the application and
one filing per flow (Fujian measures Art. 11), as one Word document or as a workbook.

They are the zone documents of the filing pack (`ftzlist.reports.packs`), so the materials are
drafted once: every value names its source, every gap is 【待填写】, never invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.reports.packs.model import GAP, Field, PackDocument

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.schema.declaration import Declaration

BLANK = GAP[0]
ZONE_KINDS = ("zone_application", "zone_filing")


def zone_documents(ds: DecisionSet, decl: Declaration, law: Law) -> list[PackDocument]:
    """The application and filings of every zone list the decision's obligations call for."""
    from ftzlist.reports.packs import draft

    return [d for d in draft(decl, ds, law).documents if d.kind in ZONE_KINDS]


def write_filing_docx(docs: list[PackDocument], path: Path) -> Path:
    """The application and the filings as one Word document, in Chinese."""
    if not docs:
        from ftzlist.reports.docx import new_document, para

        d = new_document()
        para(d, "没有数据出境活动依据自贸区负面清单出境，无需按清单备案。")
        d.save(str(path))
        return Path(path)
    from ftzlist.reports.packs.docx import write_pack_docx

    return write_pack_docx(docs, path, "zh")


def _zh(f: Field) -> str:
    if f.value is None:
        return BLANK
    return f.value[0] if isinstance(f.value, tuple) else f.value


def write_filing_xlsx(docs: list[PackDocument], path: Path) -> Path:
    """The same materials as a workbook: application, flows, data catalogue, sub-categories; each
    value with its source, each gap filled yellow."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ftzlist.excel.safe import set_cell

    wb = Workbook()
    wb.remove(wb.active)
    yellow = PatternFill("solid", fgColor="FFFF00")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = wb.create_sheet(title)
        for c, (h, width) in enumerate(zip(headers, widths, strict=True), start=1):
            set_cell(ws.cell(1, c), h).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(c)].width = width
        for r, row in enumerate(rows, start=2):
            for c, v in enumerate(row, start=1):
                cell = set_cell(ws.cell(r, c), v)
                cell.alignment = wrap
                if v == BLANK:
                    cell.fill = yellow
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, len(rows) + 1)}"

    apps = [d for d in docs if d.kind == "zone_application"]
    filings = [d for d in docs if d.kind == "zone_filing"]
    sheet(
        "申请表",
        ["项目", "内容", "来源"],
        [[f.label[0], _zh(f), str(f.source)] for d in apps for _, f in d.fields()]
        + [["依据", f"{d.guide.title[0]} {d.guide.part[0]}", d.guide.id] for d in apps],
        [36, 70, 40],
    )
    flow_rows, catalogue, subcats = [], [], []
    for d in filings:
        fid = d.flows[0]
        by_section = {s.number: s for top in d.sections for s in top.walk()}
        flow = by_section["一"].tables[0].rows[0]
        scale = by_section["三"].fields[0]
        why = "；".join(f"{f.label[0].splitlines()[0]}：{_zh(f)}" for f in by_section["五"].fields)
        flow_rows.append([*(_zh(f) for f in flow), _zh(scale), why])
        main, flags = by_section["二"].tables
        for row, extra in zip(main.rows, flags.rows, strict=True):
            catalogue.append([fid, *(_zh(f) for f in row), *(_zh(f) for f in extra[1:])])
        subcats.extend([fid, f.label[0], _zh(f), str(f.source)] for f in by_section["六"].fields)
    headers = [c[0] for c in filings[0].sections[0].tables[0].columns] if filings else ["活动"]
    sheet(
        "备案-活动",
        [*headers, "出境数据规模", "数据属于清单的理由"],
        flow_rows,
        [16] * len(headers) + [30, 60],
    )
    if filings:
        main, flags = next(s for s in filings[0].sections if s.number == "二").tables
        cols = ["活动编号", *(c[0] for c in main.columns), *(c[0] for c in flags.columns[1:])]
    else:
        cols = ["活动编号"]
    sheet("备案-出境数据目录", cols, catalogue, [16] * len(cols))
    sheet("备案-适用清单子类", ["活动编号", "规则编号", "清单子类", "来源"], subcats, [16, 30, 70, 40])
    path = Path(path)
    wb.save(path)
    return path
