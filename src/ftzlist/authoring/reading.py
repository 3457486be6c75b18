"""Reading a published list table: the header row (Chinese or English words), the merged cells as
the official documents use them, section rows and notes, and each data row's cell text.

Merged cells: a vertical merge fills its column over the rows it spans; a merge across the whole
width is a section row (a title such as "一、需申报数据出境安全评估的数据", which sets the pathway,
sector or data category when the table has no such column, or a note "注：…"). Any other merge
(across some columns only, across a sector boundary, from the header into the body, over several
item ids) is an unknown layout: an error naming sheet, rows and columns. A CSV cannot merge, so a
blank in a hierarchy column repeats the row above; in Excel and Word only `fill_down` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ftzlist.authoring.headers import BY_KEY, AmbiguousHeader, match_header
from ftzlist.authoring.tables import Document, Grid
from ftzlist.authoring.terms import Lexicon, norm
from ftzlist.schema.common import DataClass, Pathway, Sensitivity

Severity = Literal["error", "uncertain", "note"]
HIERARCHY = ("sector", "enterprise_types", "scenario", "pathway", "data_class", "subclass")
PLACED_BY_SECTION = ("sector", "pathway", "data_class")


@dataclass(frozen=True)
class Problem:
    """One thing the import could not read with certainty, or a fact the reader should know.

    `error`: the list cannot be written (nothing is written). `uncertain`: the row is not encoded and
    becomes a coverage.missing part. `note`: how something was read."""

    severity: Severity
    where: str
    message: str
    text: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        quoted = f" '{self.text}'" if self.text is not None else ""
        tail = f"; expected {self.expected}" if self.expected else ""
        return f"{self.where}:{quoted} {self.message}{tail}"


@dataclass
class Row:
    grid: Grid
    index: int
    values: dict[str, str]
    cols: dict[str, int]

    @property
    def label(self) -> int:
        return self.grid.row_label(self.index)

    def where(self, key: str | None = None) -> str:
        return self.grid.where(self.index, self.cols.get(key) if key else None)


def read_pathway(text: str) -> Pathway | None:
    """The pathway a cell or section title names; None for an unknown word or two pathways at once."""
    t = norm(text)
    sa = "安全评估" in t or "securityassessment" in t
    scc = any(w in t for w in ("标准合同", "保护认证", "认证", "standardcontract", "certification", "scc"))
    other = any(w in t for w in ("其他合法", "其他合规", "其它合法", "otherlawful", "otherlegal"))
    hits = (
        (Pathway.security_assessment, sa),
        (Pathway.standard_contract_or_certification, scc),
        (Pathway.other_lawful_path, other),
    )
    found = [p for p, hit in hits if hit]
    return found[0] if len(found) == 1 else None  # none, or two pathways named in one cell


PATHWAY_EXPECTED = (
    "a pathway: 数据出境安全评估 (security assessment), 个人信息出境标准合同或个人信息保护认证 "
    "(standard contract or certification), 其他合法合规路径 (other lawful path)"
)
DATA_CLASS_EXPECTED = (
    "a data category: 重要数据 (important data), 个人信息 or 敏感个人信息 (personal information)"
)


def read_data_class(text: str) -> tuple[DataClass, Sensitivity | None] | None:
    t = norm(text)
    if t in ("重要数据", "importantdata"):
        return DataClass.important_data, None
    if t in ("敏感个人信息", "sensitivepersonalinformation", "sensitivepi"):
        return DataClass.personal_information, Sensitivity.sensitive
    if t in ("个人信息", "personalinformation", "pi", "一般个人信息"):
        return DataClass.personal_information, None
    return None


def _section_reading(text: str) -> dict[str, Any]:
    """What a section title sets: a pathway, a data category; a sector is looked up by the caller."""
    out: dict[str, Any] = {}
    p = read_pathway(text)
    if p is not None:
        out["pathway"] = p
    stripped = re.sub(r"^[\s(（]*[一二三四五六七八九十\d]+[)）、.．\s]*", "", text).strip()
    dc = read_data_class(stripped)
    if dc is not None:
        out["data_class"] = dc
    out["title"] = stripped
    return out


class Reader:
    """Reads the data rows of every grid, checking headers and merges."""

    def __init__(self, doc: Document, lex: Lexicon, *, fill_down: bool = False):
        self.doc, self.lex, self.fill_down = doc, lex, fill_down
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.titles: list[str] = []
        self.rows: list[tuple[Row, dict[str, Any]]] = []  # row, section context
        self.header_rows: dict[str, int] = {}

    def add(
        self,
        severity: Severity,
        where: str,
        message: str,
        text: str | None = None,
        expected: str | None = None,
    ):
        self.problems.append(Problem(severity, where, message, text, expected))

    def read(self) -> None:
        tables = 0
        for grid in self.doc.grids:
            header = self._header(grid)
            if header is None:
                self.add(
                    "note",
                    f"{grid.where(0)[: grid.where(0).rfind(', row')]}",
                    "no list header found; skipped",
                )
                continue
            tables += 1
            self._body(grid, *header)
        if not tables:
            cols = ", ".join(
                f"{BY_KEY[k].zh[0]} ({BY_KEY[k].en[0]})"
                for k in ("sector", "pathway", "data_class", "subclass", "features")
            )
            self.add(
                "error",
                str(self.doc.path.name),
                "no table with the columns of a published list",
                expected=f"a header row naming {cols} (docs/authoring-lists.md lists the synonyms)",
            )

    def _header(self, grid: Grid) -> tuple[int, int, dict[str, int]] | None:
        """(header row, first body row, column of each key) of the first row naming >= 3 columns."""
        for r in range(min(len(grid.cells), 30)):
            found, bad = self._match_row(grid, r)
            if len(found) < 3:
                continue
            body = r + 1
            if r + 1 < len(grid.cells):  # a second header row under merged group headings
                below, _ = self._match_row(grid, r + 1)
                if below and not any(k in found for k in below):
                    found.update(below)
                    body = r + 2
            for c, msg in bad:
                self.add("error", grid.where(r, c), msg, expected="one column name per header cell")
            return r, body, found
        return None

    def _match_row(self, grid: Grid, r: int) -> tuple[dict[str, int], list[tuple[int, str]]]:
        found: dict[str, int] = {}
        bad: list[tuple[int, str]] = []
        for c in range(grid.width):
            m = grid.merge_at(r, c)
            if m is not None and (m.top != r or m.left != c):
                continue
            text = grid.cells[r][c]
            try:
                key = match_header(text)
            except AmbiguousHeader as exc:
                bad.append((c, str(exc)))
                continue
            if key is None:
                continue
            if key in found:
                bad.append(
                    (
                        c,
                        f"a second '{BY_KEY[key].zh[0]}' column (first in column {grid.col_label(found[key])})",
                    )
                )
                continue
            found[key] = c
        return found, bad

    def _body(self, grid: Grid, header: int, body: int, cols: dict[str, int]) -> None:
        self.header_rows[grid.name] = header
        where0 = grid.where(header)
        for r in range(header):  # title rows above the header
            texts = [t for t in grid.cells[r] if t.strip()]
            if len(texts) == 1:
                self.titles.append(texts[0])
        for key, col in BY_KEY.items():
            if col.required and key not in cols and key not in PLACED_BY_SECTION:
                self.add(
                    "error",
                    where0,
                    f"no column for {col.zh[0]} ({col.en[0]})",
                    expected=f"a header cell naming it: {', '.join(col.zh + col.en)}",
                )
        for c in range(grid.width):
            text = grid.cells[header][c]
            if text.strip() and c not in cols.values():
                self.add("note", grid.where(header, c), "column not recognised; ignored", text)
        self._merges(grid, header, body, cols)
        if any(
            p.severity == "error" and p.where.startswith(grid.where(0).rsplit(", row", 1)[0])
            for p in self.problems
        ):
            return  # the layout is not understood: reading rows would only add noise
        section: dict[str, Any] = {}
        previous: dict[str, str] = {}
        fill = grid.kind == "csv" or self.fill_down
        for r in range(body, len(grid.cells)):
            cells = [grid.value(r, c) for c in range(grid.width)]
            if not any(x.strip() for x in cells):
                continue
            if self._section_row(grid, r):
                text = next(x for x in cells if x.strip()).strip()
                if re.match(r"^(注|说明|备注|note)", text, re.IGNORECASE):
                    self.notes.append(text)
                    continue
                reading = _section_reading(text)
                sector = self.lex.sector(reading["title"])
                if "pathway" in reading or "data_class" in reading or sector:
                    for k in ("pathway", "data_class"):
                        if k in reading:
                            section[k] = (reading[k], grid.where(r))
                    if sector:
                        section["sector"] = (reading["title"], grid.where(r))
                        section.pop("pathway", None)
                        section.pop("data_class", None)
                else:
                    self.notes.append(text)
                continue
            values = {k: grid.value(r, c).strip() for k, c in cols.items()}
            if fill:
                for k in HIERARCHY:
                    if k in values and not values[k] and previous.get(k):
                        values[k] = previous[k]
            previous = {**previous, **{k: v for k, v in values.items() if v}}
            self.rows.append((Row(grid, r, values, cols), dict(section)))

    @staticmethod
    def _section_row(grid: Grid, r: int) -> bool:
        """A row with one text across the table: merged over the full width, or only its first cell set."""
        m = grid.merge_at(r, 0)
        if m is not None and m.left == 0 and m.right == grid.width - 1 and m.top == m.bottom == r:
            return True
        texts = [c for c in range(grid.width) if grid.cells[r][c].strip()]
        return (
            texts == [0] and all(grid.merge_at(r, c) is None for c in range(1, grid.width)) and grid.width > 2
        )

    def _merges(self, grid: Grid, header: int, body: int, cols: dict[str, int]) -> None:
        key_of = {c: k for k, c in cols.items()}
        sector_col = cols.get("sector")
        sector_spans = [
            m for m in grid.merges if sector_col is not None and m.left == sector_col and m.top >= body
        ]
        for m in grid.merges:
            if m.bottom < body:
                continue  # title and header rows may merge freely
            cells = f"{grid.where(m.top, m.left)}" + (
                f" to row {grid.row_label(m.bottom)}, column {grid.col_label(m.right)}"
                if (m.bottom, m.right) != (m.top, m.left)
                else ""
            )
            expected = (
                "cells merged down one column (a sector, pathway, data category or sub-class over its rows), "
                "or a whole row (a section title); unmerge the cells or type the value in each row"
            )
            if m.top < body:
                self.add(
                    "error", cells, "a merged range runs from the header into the body", expected=expected
                )
                continue
            if m.left != m.right and not (m.left == 0 and m.right == grid.width - 1 and m.top == m.bottom):
                self.add(
                    "error",
                    cells,
                    f"a merged range spans {m.right - m.left + 1} columns inside the table body",
                    expected=expected,
                )
                continue
            if m.left == m.right and key_of.get(m.left) == "item_id" and m.bottom > m.top:
                self.add(
                    "error", cells, "item ids are merged over several rows", expected="one item id per row"
                )
                continue
            if m.left == m.right and m.left != sector_col and m.bottom > m.top and sector_spans:
                for s in sector_spans:
                    inside = s.top <= m.top <= s.bottom
                    if inside and m.bottom > s.bottom:
                        self.add(
                            "error",
                            cells,
                            f"a merged {BY_KEY[key_of[m.left]].zh[0] if m.left in key_of else 'cell'} runs past the end of its sector "
                            f"(the sector ends at row {grid.row_label(s.bottom)})",
                            expected=expected,
                        )
                        break
