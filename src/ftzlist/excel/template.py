"""Write the inventory workbook: handler, flows and data-items sheets with drop-downs and notes.

Drop-down values come from the law's vocabularies (written to a hidden `codes` sheet, so a long list
is no problem) and show `id | 中文 | English`; the reader keeps the id. Given a declaration, the
same writer fills the workbook in, which is how a YAML declaration moves to Excel and how the
round-trip test builds its fixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftzlist.excel import layout as L
from ftzlist.excel.safe import set_cell

if TYPE_CHECKING:
    from ftzlist.loader import Law
    from ftzlist.schema.declaration import Declaration

LAST_ROW = 1_048_576  # Excel's last row: drop-downs cover every row a user may fill in


def code_lists(law: Law) -> dict[str, list[str]]:
    """Every drop-down's choices, `id | 中文 | English`."""
    from ftzlist.loader import exemption_grounds
    from ftzlist.render.labels import PATHWAYS

    voc = law.vocabulary
    lab = L.choice_label
    grounds: dict[str, Any] = {}
    for lf in law.lists:
        for ex in lf.exemptions:
            grounds.setdefault(ex.ground, ex.name)
    return {
        "zones": [lab(z.id, z.name.zh, z.name.en) for z in voc.zones.values()],
        "areas": [lab(a.id, a.name.zh, f"{a.name.en} ({z.id})") for z in voc.zones.values() for a in z.areas],
        "sectors": [lab(s.id, s.name.zh, s.name.en) for s in voc.sectors.values()],
        "enterprise_types": [
            lab(et.id, et.name.zh, et.name.en) for s in voc.sectors.values() for et in s.enterprise_types
        ],
        "scenarios": [lab(s.id, s.name.zh, s.name.en) for s in voc.scenarios.values()],
        "categories": [lab(c.id, c.name.zh, c.name.en) for c in voc.categories.values()],
        "subject_types": [lab(s.id, s.name.zh, s.name.en) for s in voc.subject_types.values()],
        "exemptions": [lab(g, grounds[g].zh, grounds[g].en) for g in sorted(exemption_grounds(law))],
        "pathways": [lab(p, zh, en) for p, (zh, en) in PATHWAYS.items()],
        "bool": list(L.BOOL_CHOICES),
    }


def _comment(col: L.Column) -> Any:
    from openpyxl.comments import Comment

    lines = [f"{col.zh} / {col.en}"]
    if col.required:
        lines.append("必填 / required")
    if col.note_zh:
        lines.append(col.note_zh)
    if col.note_en:
        lines.append(col.note_en)
    c = Comment("\n".join(lines), "ftzlist")
    c.width, c.height = 320, 140
    return c


def write_template(law: Law, path: Path, declaration: Declaration | None = None) -> Path:
    """Write the inventory workbook to `path` (filled in from `declaration` when given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F4E79")
    req_fill = PatternFill("solid", fgColor="C00000")
    wrap = Alignment(wrap_text=True, vertical="top")

    wb = Workbook()
    readme = wb.active
    readme.title = L.README_SHEET
    handler = wb.create_sheet(L.HANDLER_SHEET)
    flows = wb.create_sheet(L.FLOWS_SHEET)
    items = wb.create_sheet(L.ITEMS_SHEET)
    codes = wb.create_sheet(L.CODES_SHEET)

    # --- codes: one column per drop-down source, hidden --------------------------------------------
    ranges: dict[str, str] = {}
    for col_no, (name, values) in enumerate(code_lists(law).items(), start=1):
        letter = get_column_letter(col_no)
        set_cell(codes.cell(1, col_no), name)
        for r, v in enumerate(values, start=2):
            set_cell(codes.cell(r, col_no), v)
        last = max(2, len(values) + 1)
        ranges[name] = f"{quote_sheetname(L.CODES_SHEET)}!${letter}$2:${letter}${last}"
        codes.column_dimensions[letter].width = 50
    codes.sheet_state = "hidden"

    def validation(ws: Any, source: str, sqref: str, title: str) -> None:
        # A warning, not a stop: a typed id (from a list file added with --lists, or pasted) goes
        # through after the user confirms it; `ftzlist assess` checks every id against the law.
        dv = DataValidation(
            type="list", formula1=f"={ranges[source]}", allow_blank=True, errorStyle="warning"
        )
        dv.error = (
            "不在下拉列表中：仅当它是有效编号时保留（ftzlist vocab 列出全部编号）。"
            "Not in the list: keep it only if it is a valid id (`ftzlist vocab` lists them)."
        )
        dv.errorTitle = title
        dv.prompt = "从下拉列表中选择 / pick from the list"
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.add(sqref)
        ws.add_data_validation(dv)

    # --- handler: key | label | value | note ---------------------------------------------------------
    for c, title in enumerate(["field\n字段", "label\n名称", "value\n填写", "note\n说明"], start=1):
        cell = set_cell(handler.cell(1, c), title)
        cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
    for r, col in enumerate(L.HANDLER_FIELDS, start=2):
        set_cell(handler.cell(r, 1), col.key)
        set_cell(handler.cell(r, 2), f"{col.zh}\n{col.en}" + (" *" if col.required else ""))
        handler.cell(r, 2).alignment = wrap
        note = "\n".join(x for x in (col.note_zh, col.note_en) if x)
        set_cell(handler.cell(r, 4), note or None)
        handler.cell(r, 4).alignment = wrap
        handler.cell(r, 3).comment = _comment(col)
        if col.source:
            validation(handler, col.source, f"C{r}", col.key)
        if col.kind == "date":
            handler.cell(r, 3).number_format = "yyyy-mm-dd"
        elif col.kind == "text":
            handler.cell(r, 3).number_format = "@"  # keep codes such as the USCC as typed
    for letter, width in zip("ABCD", (34, 36, 48, 60), strict=True):
        handler.column_dimensions[letter].width = width
    handler.freeze_panes = "C2"

    # --- flows and data items: one header row, one record per row ------------------------------------
    for ws, columns in ((flows, L.FLOW_COLUMNS), (items, L.ITEM_COLUMNS)):
        for c, col in enumerate(columns, start=1):
            cell = set_cell(ws.cell(1, c), col.header)
            cell.font, cell.alignment = head_font, wrap
            cell.fill = req_fill if col.required else head_fill
            cell.comment = _comment(col)
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = col.width
            if col.source:
                validation(ws, col.source, f"{letter}2:{letter}{LAST_ROW}", col.key)
        ws.row_dimensions[1].height = 36
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{LAST_ROW}"

    _readme(readme, head_font, head_fill, wrap)
    if declaration is not None:
        fill(wb, declaration, law)
    wb.active = wb.sheetnames.index(L.HANDLER_SHEET)
    path = Path(path)
    wb.save(path)
    return path


def _readme(ws: Any, head_font: Any, head_fill: Any, wrap: Any) -> None:
    rows = [
        ("ftzlist 数据出境清单（库存表）", "ftzlist export inventory"),
        (
            "填写“handler”“flows”“data_items”三张表，然后运行：ftzlist assess 本文件.xlsx",
            "Fill in the handler, flows and data_items sheets, then run: ftzlist assess this-file.xlsx",
        ),
        (
            "下拉列表显示“编号 | 中文 | English”，读取时只取编号。红色表头为必填列。",
            "Drop-downs show 'id | Chinese | English'; only the id is read. Red headers are required.",
        ),
        (
            "未知的事实请留空，不要猜测：结论会是“待定”并指出缺少哪项事实。",
            "Leave unknown facts empty rather than guess: the answer is then 'undetermined' and names the fact.",
        ),
        ("不要输入公式；公式单元格会被拒绝。", "Do not enter formulas; formula cells are rejected."),
    ]
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70
    for r, (zh, en) in enumerate(rows, start=1):
        set_cell(ws.cell(r, 1), zh).alignment = wrap
        set_cell(ws.cell(r, 2), en).alignment = wrap
    ws.cell(1, 1).font = ws.cell(1, 2).font = head_font
    ws.cell(1, 1).fill = ws.cell(1, 2).fill = head_fill
    r = len(rows) + 2
    for sheet, columns in (
        (L.HANDLER_SHEET, L.HANDLER_FIELDS),
        (L.FLOWS_SHEET, L.FLOW_COLUMNS),
        (L.ITEMS_SHEET, L.ITEM_COLUMNS),
    ):
        zh, en = L.SHEET_TITLES[sheet]
        set_cell(ws.cell(r, 1), f"【{sheet}】{zh}").font = head_font
        ws.cell(r, 1).fill = head_fill
        set_cell(ws.cell(r, 2), en).font = head_font
        ws.cell(r, 2).fill = head_fill
        r += 1
        for col in columns:
            req = "（必填）" if col.required else ""
            set_cell(ws.cell(r, 1), f"{col.key}：{col.zh}{req}。{col.note_zh}").alignment = wrap
            req_en = " (required)" if col.required else ""
            set_cell(ws.cell(r, 2), f"{col.key}: {col.en}{req_en}. {col.note_en}").alignment = wrap
            r += 1
        r += 1


def _bool(v: bool | None) -> str | None:
    return None if v is None else L.BOOL_CHOICES[0 if v else 1]


def fill(wb: Any, decl: Declaration, law: Law) -> None:
    """Write a declaration's values into an (empty) inventory workbook."""
    choices = {name: {L.choice_id(v): v for v in vals} for name, vals in code_lists(law).items()}

    def show(source: str | None, value: Any) -> Any:
        if value is None or source is None:
            return value
        return choices.get(source, {}).get(value, value)

    h = decl.handler
    holdings = h.holdings
    values: dict[str, Any] = {
        "name": h.name,
        "uscc": h.uscc,
        "zone": show("zones", h.zone),
        "area": show("areas", h.area),
        "sector": show("sectors", h.sector),
        "enterprise_type": show("enterprise_types", h.enterprise_type),
        "ciio": _bool(h.ciio),
        "holdings.persons_pi": holdings.persons_pi if holdings else None,
        "holdings.persons_sensitive": holdings.persons_sensitive if holdings else None,
        "holdings.persons_sensitive_accounts_or_medical": (
            holdings.persons_sensitive_accounts_or_medical if holdings else None
        ),
        "penalties_past_2y": (
            None
            if h.penalties_past_2y is None
            else ("none | 无" if not h.penalties_past_2y else "\n".join(h.penalties_past_2y))
        ),
        "filings": "; ".join(h.filings) or None,
        "as_of": decl.as_of,
    }
    ws = wb[L.HANDLER_SHEET]
    for r, col in enumerate(L.HANDLER_FIELDS, start=2):
        set_cell(ws.cell(r, 3), values[col.key])
    fws, iws = wb[L.FLOWS_SHEET], wb[L.ITEMS_SHEET]
    ir = 2
    for fr, f in enumerate(decl.flows, start=2):
        row = {
            "flow_id": f.id,
            "scenario": show("scenarios", f.scenario),
            "recipient_name": f.recipient.name,
            "recipient_country": f.recipient.country,
            "purpose": f.purpose,
            "exemption": show("exemptions", f.exemption),
            "current_pathway": None,
        }
        for c, col in enumerate(L.FLOW_COLUMNS, start=1):
            set_cell(fws.cell(fr, c), row[col.key])
        for d in f.data:
            row = {
                "flow_id": f.id,
                "item_id": d.id,
                "category": show("categories", d.category),
                "subject": show("subject_types", d.subject),
                "sensitive": _bool(d.sensitive),
                "persons": d.persons,
                "records": d.records,
                "important_data": _bool(d.important_data),
                "core_data": _bool(d.core_data),
                "export_controlled": _bool(d.export_controlled),
                "cleared": "; ".join(d.cleared) or None,
                "anonymised": _bool(d.anonymised),
                "persons_source": d.persons_source,
            }
            for c, col in enumerate(L.ITEM_COLUMNS, start=1):
                set_cell(iws.cell(ir, c), row[col.key])
            ir += 1
