"""Tables as published: an Excel workbook, a CSV file or the tables of a Word annex, read into grids of
cell text with their merged cells, so the importer sees what the official document shows.

A `Grid` keeps every cell's text where the document has it (a merged range keeps its text in its
top-left cell) and the merged ranges themselves; rows and columns are named as the source names
them (Excel row 12, column C; Word table 2, row 12, column 3). Reading never interprets: that is
the importer's job (`ftzlist.authoring.importer`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ftzlist.errors import InputError

FRAME_SHEET = "ftzlist"
"""Name of the sheet (xlsx) and heading (docx) under which `lists export` keeps the rest of the list
file (everything the official layout has no column for)."""

FRAME_HEADING = "ftzlist encoding (machine-readable) · ftzlist 编码（机器可读）"

SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".docx": "docx"}


@dataclass(frozen=True)
class Merge:
    """A merged range, 0-based and inclusive, in grid coordinates."""

    top: int
    left: int
    bottom: int
    right: int

    def contains(self, r: int, c: int) -> bool:
        return self.top <= r <= self.bottom and self.left <= c <= self.right


@dataclass
class Grid:
    """One sheet or Word table (a Word table's name is its number in the document, from 1)."""

    name: str
    kind: Literal["xlsx", "csv", "docx"]
    cells: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    """The number of each grid row as the source shows it (Excel rows may be skipped when empty)."""

    def __post_init__(self) -> None:
        width = max((len(r) for r in self.cells), default=0)
        for r in self.cells:
            r.extend([""] * (width - len(r)))
        if not self.row_numbers:
            self.row_numbers = list(range(1, len(self.cells) + 1))
        self._merge_at: dict[tuple[int, int], Merge] = {}
        for m in self.merges:
            for r in range(m.top, m.bottom + 1):
                for c in range(m.left, m.right + 1):
                    self._merge_at[(r, c)] = m

    @property
    def width(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    def merge_at(self, r: int, c: int) -> Merge | None:
        return self._merge_at.get((r, c))

    def value(self, r: int, c: int) -> str:
        """The text shown at (r, c): a merged cell shows its range's top-left text."""
        m = self._merge_at.get((r, c))
        if m is not None:
            return self.cells[m.top][m.left]
        return self.cells[r][c]

    def row_label(self, r: int) -> int:
        return self.row_numbers[r]

    def col_label(self, c: int) -> str:
        """Excel's column letter; a Word table's column number (from 1)."""
        return str(c + 1) if self.kind == "docx" else column_letter(c)

    def where(self, r: int, c: int | None = None) -> str:
        """'sheet 'Part C', row 12, column C' — how an error names a cell."""
        kind = f"table {self.name}" if self.kind == "docx" else f"sheet '{self.name}'"
        place = f"{kind}, row {self.row_label(r)}"
        return (
            place if c is None else f"{place}, column {self.col_label(c)}".replace("column column", "column")
        )


def column_letter(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class Document:
    path: Path
    sha256: str
    grids: list[Grid]
    frame: str | None = None
    """The `ftzlist` part of a workbook or annex written by `lists export`, as YAML text."""


def read_document(path: Path, sheet: str | None = None) -> Document:
    """Every sheet (or Word table) of `path`; `sheet` keeps only one (a sheet name, or 'table N')."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"cannot read '{path.suffix}' files; expected one of {', '.join(sorted(SUFFIXES))}",
            where=str(path),
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", where=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", where=str(path)) from None
    digest = hashlib.sha256(data).hexdigest()
    reader = {"xlsx": _read_xlsx, "csv": _read_csv, "docx": _read_docx}[kind]
    grids, frame = reader(path, data)
    if sheet is not None:
        wanted = sheet.removeprefix("table ").strip() if kind == "docx" else sheet
        chosen = [g for g in grids if g.name == wanted]
        if not chosen:
            names = ", ".join(f"'{g.name}'" if kind != "docx" else f"table {g.name}" for g in grids) or "none"
            raise InputError(f"no sheet or table '{sheet}' (found: {names})", where=str(path))
        grids = chosen
    return Document(path, digest, grids, frame)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_xlsx(path: Path, data: bytes) -> tuple[list[Grid], str | None]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"not a readable Excel workbook ({exc.__class__.__name__})", where=str(path)
        ) from None
    grids: list[Grid] = []
    frame = None
    for ws in wb.worksheets:
        if ws.title == FRAME_SHEET:
            frame = "\n".join(
                "" if row[0] is None else str(row[0]) for row in ws.iter_rows(values_only=True) if row
            )
            continue
        rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        merges = [
            Merge(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges
        ]
        grids.append(Grid(ws.title, "xlsx", rows, merges))
    return grids, frame


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not UTF-8 or GB18030 text", where=str(path))


def _read_csv(path: Path, data: bytes) -> tuple[list[Grid], str | None]:
    text = _decode(path, data)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", where=str(path)) from None
    return [Grid(path.stem, "csv", rows)], None


def _read_docx(path: Path, data: bytes) -> tuple[list[Grid], str | None]:
    import zipfile

    from docx import Document as open_docx
    from docx.table import Table

    try:
        doc = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"not a readable Word document ({exc.__class__.__name__})", where=str(path)
        ) from None
    grids: list[Grid] = []
    frame_lines: list[str] | None = None
    n = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            if frame_lines is None:
                n += 1
                grids.append(_docx_grid(block, str(n)))
            continue
        if frame_lines is not None:
            frame_lines.append(block.text)
        elif block.text.strip() == FRAME_HEADING:
            frame_lines = []
    return grids, ("\n".join(frame_lines) if frame_lines is not None else None)


def _docx_grid(table, name: str) -> Grid:
    """A Word table as a grid: `w:gridSpan` is a horizontal merge, `w:vMerge` a vertical one."""
    rows: list[list[str]] = []
    merges: dict[tuple[int, int], list[int]] = {}  # (top, left) -> [bottom, right]
    open_v: dict[int, tuple[int, int]] = {}  # left column -> (top, left) of the range it continues
    for r, tr in enumerate(table._tbl.tr_lst):
        row: list[str] = []
        for tc in tr.tc_lst:
            left, span = tc.grid_offset, tc.grid_span
            while len(row) < left + span:
                row.append("")
            text = "\n".join(p.text for p in tc.iter_block_items() if hasattr(p, "text")).strip()
            vmerge = tc.vMerge
            if vmerge == "continue" and left in open_v:
                key = open_v[left]
                merges[key][0] = r
                continue
            row[left] = text
            key = (r, left)
            if span > 1 or vmerge == "restart":
                merges[key] = [r, left + span - 1]
            if vmerge == "restart":
                open_v[left] = key
            else:
                open_v.pop(left, None)
        rows.append(row)
    return Grid(
        name,
        "docx",
        rows,
        [Merge(top, left, bottom, right) for (top, left), (bottom, right) in merges.items()],
    )
