"""`lists import`: a zone's list table as published (Excel, CSV, Word annex) into a list file.

The table has the common structure of the zone lists (Pattern 1, seed 000): industry with its
enterprise types → export pathway → data category → data sub-class → basic features and
description, with the volume band in Chinese. Each data row becomes one item per volume clause.

How cells are read (docs/authoring-lists.md explains each rule to a newcomer):
- Headers: `ftzlist.authoring.headers` (Chinese or English synonyms; a two-row header is read).
- Merged cells as the official documents use them: a vertical merge fills its column over the rows
  it spans; a merge across the whole width is a section row (a title such as "一、需申报数据出境安全
  评估的数据", which sets the pathway, sector or data category when the table has no such column, or
  a note "注：…"). Any other merge (across some columns only, across a sector boundary, from the
  header into the body) is an unknown layout: an error naming sheet, rows and columns.
- Blank cells: a CSV cannot merge, so a blank in the sector, enterprise-type, scenario, pathway,
  data-category or sub-class column repeats the row above; in Excel and Word only `fill_down` does
  that, and a blank sector, pathway or data category is otherwise an error.
- Words: pathway and data-category words are a closed list (an unknown word is an error); sector,
  enterprise-type, scenario and sub-class words map to vocabulary ids by exact name or the term
  map (`ftzlist.authoring.terms`). An unknown sector or enterprise type is an error (the list's reach
  would be unknown); an unknown scenario or sub-class leaves that row unencoded.
- Volumes: `ftzlist.authoring.volumes`. A row whose volume (or scenario, or sub-class) cannot be read
  with certainty is not encoded: it becomes a `coverage.missing` part, so the flows it could affect
  are undetermined, and it is reported with sheet, row, column, the text and what was expected.
- Readings the importer takes, stated in every imported list's coverage notes: a row of important
  data binds the data described whatever class the declaration gives it (no data-class condition);
  personal-information bands bind non-CIIO handlers (CBDF Art. 7(1): a CIIO's export of personal
  information needs a security assessment, added as a list-wide item); a band written "不满N人"
  starts at one person; data off the list in a covered sector is exempt (CBDF Art. 6).

A list exported by `lists export` carries its item ids and the rest of the list file in `ftzlist`
columns and a `ftzlist` sheet (or the end of the Word annex); importing it again gives the same list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from ftzlist.authoring.headers import BY_KEY, AmbiguousHeader, match_header
from ftzlist.authoring.layout import data_class_word, is_table_item, scenario_text, subclass_text
from ftzlist.authoring.tables import Document, Grid
from ftzlist.authoring.terms import (
    ALL,
    ALL_TYPES_WORDS,
    CATCH_ALL_WORDS,
    WHOLE_CLASS_WORDS,
    Lexicon,
    match_runs,
    norm,
    split_names,
)
from ftzlist.authoring.volumes import (
    Volume,
    VolumeError,
    find_volumes,
    format_band,
    parse_volume,
    parse_window,
)
from ftzlist.law import Law
from ftzlist.schema.common import Citation, DataClass, Pathway, Sensitivity, Status, Text
from ftzlist.schema.lists import (
    Coverage,
    Item,
    ListFile,
    MissingPart,
    RowSource,
    Scope,
    SectorScope,
    Source,
)

Severity = Literal["error", "uncertain", "note"]
HIERARCHY = ("sector", "enterprise_types", "scenario", "pathway", "data_class", "subclass")
PLACED_BY_SECTION = ("sector", "pathway", "data_class")
TIER = {
    Pathway.security_assessment: "t1",
    Pathway.standard_contract_or_certification: "t2",
    Pathway.other_lawful_path: None,
}
NO_ENGLISH = "(no English in the source)"


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
class Proposal:
    """A vocabulary entry the table needs and the vocabulary lacks, for a person to review."""

    kind: Literal["sectors", "enterprise_types", "scenarios", "subject_types", "categories"]
    id: str
    zh: str
    sector: str | None = None
    rows: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    list_file: ListFile | None
    problems: list[Problem]
    proposals: list[Proposal]
    kept_from_base: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def uncertain(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "uncertain"]


@dataclass
class Options:
    """What the person importing states. For a table written by `lists export` the id, zone and dates
    default to the exported list's (given, they make a new edition of it)."""

    list_id: str | None
    zone: str | None
    issued: dt.date | None
    effective_from: dt.date | None
    family: str | None = None
    prefix: str | None = None
    title: Text | None = None
    issuers: list[Text] = field(default_factory=list)
    status: Status = "V"
    source_title: str | None = None
    source_url: str | None = None
    fill_down: bool = False
    today: dt.date | None = None
    fills: list[str] = field(default_factory=list)
    """Missing parts of the base that the table fills (removed from coverage.missing)."""
    measures_set_no_pathway: bool = False
    """Without a base: the person importing confirms the measures add no pathway rule."""


def item_prefix(list_id: str) -> str:
    """'fujian-ftz-2025' -> 'fuft25': the first two letters of each word and the year's last two."""
    words = list_id.split("-")
    year = words[-1][-2:] if words[-1].isdigit() else ""
    body = words[:-1] if year else words
    return ("".join(w[:2] for w in body) + year).lower() or "list"


# --- reading the grid ------------------------------------------------------------------------------


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


@dataclass
class Section:
    text: str
    grid: Grid
    index: int


def _pathway(text: str) -> Pathway | None:
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


def _data_class(text: str) -> tuple[DataClass, Sensitivity | None] | None:
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
    p = _pathway(text)
    if p is not None:
        out["pathway"] = p
    stripped = re.sub(r"^[\s(（]*[一二三四五六七八九十\d]+[)）、.．\s]*", "", text).strip()
    dc = _data_class(stripped)
    if dc is not None:
        out["data_class"] = dc
    out["title"] = stripped
    return out


class _Reader:
    """Reads the data rows of every grid, checking headers and merges."""

    def __init__(self, doc: Document, lex: Lexicon, options: Options):
        self.doc, self.lex, self.options = doc, lex, options
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
        fill = grid.kind == "csv" or self.options.fill_down
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


# --- interpreting rows -----------------------------------------------------------------------------


@dataclass
class Encoded:
    """An item read from a row, before ids are fixed."""

    row: Row
    sector: str
    sector_slug: str
    fields: dict[str, Any]
    important: bool
    slug: str
    slug_fixed: bool
    title: Text


class _Interpreter:
    def __init__(self, reader: _Reader, law: Law, lex: Lexicon, options: Options, doc: Document):
        self.r, self.law, self.lex, self.o, self.doc = reader, law, lex, options, doc
        self.proposals: dict[tuple[str, str, str | None], Proposal] = {}
        self.encoded: list[Encoded] = []
        self.missing: list[tuple[Row, str | None, DataClass | None, str]] = []
        self.sectors: dict[str, dict[str, Any]] = {}  # sector -> scope facts
        self.windows: set[str] = set()
        self.status = options.status
        self.unplaced: set[tuple[str, str]] = set()

    # proposals ---------------------------------------------------------------------------------
    def propose(self, kind, zh: str, row: Row, sector: str | None = None) -> str:
        key = (kind, norm(zh), sector)
        p = self.proposals.get(key)
        if p is None:
            n = sum(1 for q in self.proposals.values() if q.kind == kind and q.sector == sector) + 1
            stem = {
                "sectors": "proposed_sector",
                "enterprise_types": "proposed_type",
                "scenarios": "proposed_scenario",
                "subject_types": "proposed_subject",
                "categories": "proposed_category",
            }[kind]
            ident = (
                f"{sector}.{stem}_{n}"
                if sector and kind in ("enterprise_types", "scenarios")
                else f"{stem}_{n}"
            )
            p = self.proposals[key] = Proposal(kind, ident, zh.strip(), sector)
        p.rows.append(row.where())
        return p.id

    # rows ----------------------------------------------------------------------------------------
    def run(self) -> None:
        for row, section in self.r.rows:
            self.row(row, section)

    def _value(self, row: Row, section: dict[str, Any], key: str) -> tuple[str, Any, str] | None:
        """('cell', text, where) from the row's own cell, ('section', value, where) from a section
        title, or None (an error is recorded)."""
        if key in row.cols:
            text = row.values.get(key, "")
            if text:
                return "cell", text, row.where(key)
            if key in section:
                return "section", section[key][0], section[key][1]
            expected = {"sector": "a sector", "pathway": PATHWAY_EXPECTED, "data_class": DATA_CLASS_EXPECTED}[
                key
            ]
            self.r.add(
                "error",
                row.where(key),
                "blank (CSV blanks repeat the row above; in Excel or Word merge the cells or use --fill-down)",
                "",
                expected,
            )
            return None
        if key in section:
            return "section", section[key][0], section[key][1]
        if (row.grid.name, key) not in self.unplaced:  # one error per table, at its header row
            self.unplaced.add((row.grid.name, key))
            col = BY_KEY[key]
            self.r.add(
                "error",
                row.grid.where(self.r.header_rows[row.grid.name]),
                f"no column for {col.zh[0]} ({col.en[0]}), and no section title above row {row.label} gives it",
                expected=f"a header cell naming it ({', '.join(col.zh[:3] + col.en[:2])}) or section rows "
                "such as 一、需申报数据出境安全评估的数据",
            )
        return None

    def row(self, row: Row, section: dict[str, Any]) -> None:
        features = row.values.get("features", "")
        subclass = row.values.get("subclass", "")
        if not features and not subclass:
            self.r.add("uncertain", row.where(), "a row with neither a sub-class nor a description")
            self.missing.append((row, None, None, "a row with neither a sub-class nor a description"))
            return
        # sector ---------------------------------------------------------------------------------
        placed = self._value(row, section, "sector")
        if placed is None:
            return
        _, sector_text, sector_where = placed
        name, inner = _brackets(sector_text)
        found = self.lex.sector(name) or self.lex.sector(sector_text)
        if found is None:
            ident = self.propose("sectors", name, row)
            self.r.add(
                "error",
                sector_where,
                f"sector not in the vocabulary (proposed as '{ident}')",
                sector_text,
                "a sector id or name from the vocabulary, or a term-map entry",
            )
            return
        sector, sector_slug = found
        if found == self.lex.sector(sector_text):
            inner = None
        types_text = row.values.get("enterprise_types") if "enterprise_types" in row.cols else inner
        self._scope(row, sector, types_text)
        # pathway, data category ---------------------------------------------------------------------
        placed = self._value(row, section, "pathway")
        if placed is None:
            return
        how, value, where = placed
        pathway = value if how == "section" else _pathway(value)
        if pathway is None:
            self.r.add("error", where, "not a pathway word it knows", value, PATHWAY_EXPECTED)
            return
        placed = self._value(row, section, "data_class")
        if placed is None:
            return
        how, value, where = placed
        dc = value if how == "section" else _data_class(value)
        if dc is None:
            self.r.add("error", where, "not a data category it knows", value, DATA_CLASS_EXPECTED)
            return
        data_class, class_sensitivity = dc
        important = data_class == DataClass.important_data
        if "item_id" in row.cols and row.values.get("item_id"):
            self._exported_row(row, sector, sector_slug, pathway, data_class, class_sensitivity)
            return
        if important and pathway != Pathway.security_assessment:
            self.r.add(
                "uncertain",
                row.where("pathway"),
                f"important data with the pathway {pathway.value}",
                expected="important data goes to a security assessment (CBDF Arts. 7, 8)",
            )
            self._miss(row, sector, None, f"important data listed with the pathway {pathway.value}")
            return
        # scenarios ----------------------------------------------------------------------------------
        scenarios = self._scenarios(row, sector)
        if scenarios is False:
            return
        # sub-class -------------------------------------------------------------------------------------
        sub = self._subclass(row, sector, important, subclass or features)
        if sub is None:
            return
        conditions, slug, slug_fixed = sub
        stated = _stated_sensitivity(subclass)
        if stated == "both":
            self.r.add(
                "uncertain",
                row.where("subclass"),
                "names both sensitive and non-sensitive personal information",
                subclass,
            )
            self._miss(
                row,
                sector,
                data_class,
                "sub-class names both sensitive and non-sensitive personal information",
            )
            return
        # volumes ----------------------------------------------------------------------------------------
        volumes = self._volumes(row, sector, data_class, important, pathway)
        if volumes is None:
            return
        for v in volumes:
            sens = v.sensitivity
            for other in (class_sensitivity, stated):
                if other is not None and sens is not None and other != sens:
                    self.r.add(
                        "uncertain",
                        row.where("volume"),
                        "the volume and the data category or sub-class disagree on sensitivity",
                        row.values.get("volume") or features,
                    )
                    self._miss(row, sector, data_class, "sensitivity stated two ways")
                    return
                sens = sens or other
            if v.window:
                self.windows.add(v.window)
            fields: dict[str, Any] = {
                "pathway": pathway,
                "data_class": None if important else data_class,
                "sectors": [sector],
                "scenarios": scenarios,
                "sensitivity": sens,
                "persons": v.band,
                **conditions,
            }
            if not important and pathway != Pathway.other_lawful_path:
                fields["ciio"] = False  # CBDF Art. 7(1): the bands are for handlers that are not CIIOs
            if (
                important
                and v.band is None
                and not conditions.get("categories")
                and not conditions.get("markers")
            ):
                self.r.add(
                    "uncertain", row.where("subclass"), "important data with no category to catch", subclass
                )
                self._miss(row, sector, None, "important data with no category")
                return
            en = row.values.get("features_en") or ""
            self.encoded.append(
                Encoded(
                    row,
                    sector,
                    sector_slug,
                    fields,
                    important,
                    slug if slug_fixed or sens is None else f"{slug}-{sens.value.replace('_', '-')}",
                    slug_fixed,
                    Text(zh=features or subclass, en=en or _english(fields, pathway, self.law, v)),
                )
            )

    def _scope(self, row: Row, sector: str, types_text: str | None) -> None:
        scope = self.sectors.setdefault(
            sector,
            {"types": None, "excludes": [], "rows": [], "scenarios": set(), "all": False, "seen_types": None},
        )
        scope["rows"].append(row)
        if types_text is None or scope["seen_types"] == types_text:
            return
        if scope["seen_types"] is not None:
            self.r.add(
                "error",
                row.where("enterprise_types"),
                "enterprise types differ from the sector's earlier rows",
                types_text,
                f"the same types on every row of the sector ('{scope['seen_types']}')",
            )
            return
        scope["seen_types"] = types_text
        if not types_text.strip() or norm(types_text) in ALL_TYPES_WORDS:
            return
        body, excl = _exclusions(types_text)
        types, unknown = match_runs(split_names(body), lambda name: self.lex.enterprise_type(sector, name))
        for name in unknown:
            proposed = self.propose("enterprise_types", name, row, sector)
            self.r.add(
                "error",
                row.where("enterprise_types"),
                f"enterprise type not in the vocabulary of {sector} (proposed as '{proposed}')",
                name,
                "an enterprise type name or id from the vocabulary, or a term-map entry",
            )
        scope["types"] = types or None
        scope["excludes"] = excl

    def _scenarios(self, row: Row, sector: str) -> list[str] | Literal[False] | None:
        text = row.values.get("scenario", "")
        scope = self.sectors[sector]
        if not text:
            scope["all"] = True
            return None
        out: list[str] = []
        for name in split_names(text):
            ident = self.lex.scenario(sector, name)
            if ident == ALL:
                scope["all"] = True
                return None
            if ident is None:
                proposed = self.propose("scenarios", name, row, sector)
                self.r.add(
                    "uncertain",
                    row.where("scenario"),
                    f"scenario not in the vocabulary of {sector} (proposed as '{proposed}'); the row is not encoded",
                    name,
                    "a scenario name or id of the sector, 所有场景, or a term-map entry",
                )
                self._miss(row, sector, None, f"scenario '{name}' not in the vocabulary")
                return False
            out.append(ident)
        scope["scenarios"].update(out)
        return sorted(set(out), key=out.index)

    def _subclass(
        self, row: Row, sector: str, important: bool, text: str
    ) -> tuple[dict[str, Any], str, bool] | None:
        term = self.lex.subclass_term(text)
        if term is not None:
            cond: dict[str, Any] = {}
            for k in ("subjects", "categories", "lifted_by", "markers"):
                v = getattr(term, k)
                if v:
                    cond[k] = list(v)
            for k in ("catch_all", "exclusive"):
                if getattr(term, k):
                    cond[k] = True
            slug = term.id or _slug(cond, row)
            return cond, slug, term.id is not None
        stripped = re.sub(r"[（(][^）)]*[）)]$", "", text.strip())
        if (
            norm(stripped) in CATCH_ALL_WORDS
            or norm(text) in CATCH_ALL_WORDS
            or (
                norm(stripped).startswith(norm("其他"))
                and norm(stripped).endswith(norm("个人信息"))
                and not important
            )
        ):
            return {"catch_all": True}, "catch-all", False
        if norm(text) in WHOLE_CLASS_WORDS or norm(stripped) in WHOLE_CLASS_WORDS:
            return {}, "id" if important else "pi", False  # the whole data category of the sector
        names = split_names(text)
        subjects: list[str] = []
        categories: list[str] = []
        unknown: list[str] = []
        for name in names:
            subj = None if important else self.lex.subject(name)
            cat = self.lex.category(name)
            if subj:
                subjects.append(subj)
            elif cat:
                categories.append(cat)
            else:
                unknown.append(name)
        if unknown or (subjects and categories):
            for name in unknown:
                kind = "categories" if important else "subject_types"
                proposed = self.propose(kind, name, row)
                self.r.add(
                    "uncertain",
                    row.where("subclass"),
                    f"sub-class not in the vocabulary (proposed as {kind[:-1].replace('_', ' ')} '{proposed}'); the row is not encoded",
                    name,
                    "a subject-type or category name from the vocabulary, or a term-map entry",
                )
            if subjects and categories:
                self.r.add(
                    "uncertain",
                    row.where("subclass"),
                    "names both subject types and data categories; which does the band count?",
                    text,
                    "a term-map entry saying which",
                )
            self._miss(
                row,
                sector,
                None if important else DataClass.personal_information,
                f"sub-class '{text}' not mapped",
            )
            return None
        cond = {"subjects": subjects} if subjects else {"categories": categories}
        return cond, _slug(cond, row), False

    def _volumes(
        self, row: Row, sector: str, data_class: DataClass, important: bool, pathway: Pathway
    ) -> list[Volume] | None:
        cell = row.values.get("volume", "")
        features = row.values.get("features", "")
        try:
            stated = parse_volume(cell) if cell else []
        except VolumeError as exc:
            self.r.add(
                "uncertain", row.where("volume"), exc.problem + "; the row is not encoded", cell, exc.expected
            )
            self._miss(row, sector, None if important else data_class, f"volume '{cell}' not read")
            return None
        try:
            found = find_volumes(features) if features else None
        except VolumeError as exc:
            if not stated:
                self.r.add(
                    "uncertain",
                    row.where("features"),
                    f"a volume in the description cannot be read ({exc.problem}); the row is not encoded",
                    features,
                    exc.expected,
                )
                self._miss(
                    row, sector, None if important else data_class, "volume in the description not read"
                )
                return None
            found = None
        in_text = found.volumes if found else []
        if (
            stated
            and in_text
            and {(v.band, v.sensitivity) for v in in_text} - {(v.band, v.sensitivity) for v in stated}
        ):
            said = "; ".join(format_band(v.band) for v in in_text)
            self.r.add(
                "uncertain",
                row.where("volume"),
                f"the description states another band ({said}); the row is not encoded",
                cell,
                "the volume column and the description stating the same band",
            )
            self._miss(
                row, sector, None if important else data_class, "volume column and description disagree"
            )
            return None
        volumes = stated or in_text
        if found and found.other_quantities and not volumes:
            self.r.add(
                "note",
                row.where("features"),
                f"states a threshold that is not a number of persons ({'; '.join(found.other_quantities)}): "
                "the item catches the data at any volume (stricter)",
                features,
            )
        if volumes:
            return volumes
        if important or pathway == Pathway.security_assessment:
            return [Volume(None)]  # no threshold: caught at any volume (the strictest reading)
        self.r.add(
            "uncertain",
            row.where("volume") if "volume" in row.cols else row.where("features"),
            f"no volume for personal information under {pathway.value}; the row is not encoded",
            cell or features,
            "a band (e.g. 10万人以上不满100万人) or 不限 (any number)",
        )
        self._miss(row, sector, data_class, "no volume stated")
        return None

    def _miss(self, row: Row, sector: str | None, data_class: DataClass | None, why: str) -> None:
        self.missing.append((row, sector, data_class, why))

    def _check_visible(self, row: Row, item: Item) -> None:
        """Cells of an exported row that the encoding also decides must still say what the export
        wrote: an edited cell is an error, never silently overruled."""
        voc = self.law.vocabulary
        for key, wrote in (
            ("data_class", data_class_word(item)),
            ("scenario", scenario_text(item, voc)),
            ("subclass", subclass_text(item, voc)),
        ):
            seen = row.values.get(key, "")
            if key in row.cols and norm(seen) != norm(wrote):
                self.r.add(
                    "error",
                    row.where(key),
                    f"differs from what the ftzlist columns of item {item.id} give ('{wrote}')",
                    seen,
                    "the visible cell and the ftzlist columns to agree: edit the encoding too, or delete the "
                    "ftzlist columns to import the visible text alone",
                )

    def _exported_row(self, row, sector, sector_slug, pathway, data_class, class_sensitivity) -> None:
        """A row written by `lists export`: the id and encoding columns give what the layout cannot."""
        ident = row.values["item_id"]
        try:
            enc = yaml.safe_load(row.values.get("encoding") or "{}") or {}
        except yaml.YAMLError:
            self.r.add(
                "error", row.where("encoding"), "the ftzlist encoding is not YAML", row.values.get("encoding")
            )
            return
        if not isinstance(enc, dict):
            self.r.add(
                "error",
                row.where("encoding"),
                "the ftzlist encoding is not a mapping",
                row.values.get("encoding"),
            )
            return
        try:
            volumes = parse_volume(row.values.get("volume", ""))
        except VolumeError as exc:
            self.r.add("error", row.where("volume"), exc.problem, row.values.get("volume"), exc.expected)
            return
        if len(volumes) > 1:
            self.r.add(
                "error", row.where("volume"), "an exported row carries one band", row.values.get("volume")
            )
            return
        v = volumes[0] if volumes else Volume(None)
        fields = {
            **enc,
            "id": ident,
            "pathway": pathway,
            "persons": v.band,
            "sensitivity": v.sensitivity or class_sensitivity,
            "title": {"zh": row.values.get("features", ""), "en": row.values.get("features_en", "")},
        }
        if row.values.get("notes"):
            fields["note"] = row.values["notes"]
        if enc.get("sectors") != [sector]:
            self.r.add(
                "error",
                row.where("sector"),
                f"the sector reads as {sector}, the ftzlist encoding says {enc.get('sectors')}",
                row.values.get("sector"),
                "the two to agree (edit one, or delete the ftzlist columns to import the visible text alone)",
            )
            return
        fields["source"] = {"sha256": self.doc.sha256, "sheet": row.grid.name, "row": row.label}
        try:
            item = Item.model_validate(fields)
            self._check_visible(row, item)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                self.r.add(
                    "error", row.where("encoding"), f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
                )
            return
        self.encoded.append(Encoded(row, sector, sector_slug, {"item": item}, False, ident, True, item.title))


def _brackets(text: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)[（(](.*)[）)]\s*$", text.strip(), re.S)
    return (m.group(1).strip(), m.group(2).strip()) if m else (text.strip(), None)


def _exclusions(text: str) -> tuple[str, list[str]]:
    """'A、B（不含C、D）' -> ('A、B', ['C', 'D']); also '不含C' / '不包括C' / '除C外' as list entries."""
    excl: list[str] = []

    def grab(m: re.Match) -> str:
        excl.extend(split_names(m.group(1)))
        return ""

    body = re.sub(r"[（(]\s*(?:不含|不包括|除)([^）)]*?)(?:外)?\s*[）)]", grab, text)
    rest = []
    for name in split_names(body):
        m = re.match(r"^(?:不含|不包括|除)(.+?)(?:外)?$", name)
        if m:
            excl.append(m.group(1).strip())
        else:
            rest.append(name)
    return "、".join(rest), excl


def _stated_sensitivity(text: str) -> Sensitivity | Literal["both"] | None:
    t = norm(text)
    non = any(
        norm(w) in t for w in ("不含敏感个人信息", "不包括敏感个人信息", "非敏感个人信息", "non-sensitive")
    )
    cleaned = t
    for w in ("不含敏感个人信息", "不包括敏感个人信息", "非敏感个人信息", "non-sensitive"):
        cleaned = cleaned.replace(norm(w), "")
    sens = "敏感个人信息" in cleaned or "sensitive" in cleaned
    if non and sens:
        return "both"
    return Sensitivity.non_sensitive if non else Sensitivity.sensitive if sens else None


def _slug(cond: dict[str, Any], row: Row) -> str:
    if cond.get("catch_all"):
        return "catch-all"
    ids = cond.get("subjects") or [c.rsplit(".", 1)[-1] for c in cond.get("categories") or []]
    slug = "-".join(i.replace("_", "-").replace(".", "-") for i in ids[:3])
    return slug or f"row{row.label}"


def _english(fields: dict[str, Any], pathway: Pathway, law: Law, v: Volume) -> str:
    """An English title made from the encoding (not a translation of the Chinese)."""
    voc = law.vocabulary
    what = ", ".join(
        voc.subject_types[s].name.en for s in fields.get("subjects") or [] if s in voc.subject_types
    )
    what = what or ", ".join(
        voc.categories[c].name.en for c in fields.get("categories") or [] if c in voc.categories
    )
    if fields.get("catch_all"):
        what = "other personal information (catch-all)"
    kind = "important data" if fields.get("data_class") is None else "personal information"
    if fields.get("sensitivity"):
        kind = f"{fields['sensitivity'].value.replace('_', '-')} {kind}"
    band = f", {format_band(v.band, 'en')}" if v.band else ""
    sector = (
        voc.sectors[fields["sectors"][0]].name.en
        if fields["sectors"][0] in voc.sectors
        else fields["sectors"][0]
    )
    return f"{sector}: {what or kind} ({kind}){band}: {pathway.value.replace('_', ' ')} {NO_ENGLISH}"


# --- the list file ---------------------------------------------------------------------------------------


def import_document(
    doc: Document,
    law: Law,
    options: Options,
    *,
    terms: Lexicon | None = None,
    base: ListFile | None = None,
) -> ImportResult:
    """Read `doc` into a list file. Errors leave `list_file` None; uncertain rows are missing parts."""
    lex = terms or Lexicon(law.vocabulary)
    frame, order, frame_problems = _frame(doc)
    if frame is not None:
        base = frame
        options = dataclasses.replace(
            options,
            list_id=options.list_id or frame.id,
            zone=options.zone or frame.scope.zone,
            issued=options.issued or frame.issued,
            effective_from=options.effective_from or frame.effective_from,
        )
    missing = [k for k in ("list_id", "zone", "effective_from") if getattr(options, k) is None]
    if missing and frame is None and not frame_problems:
        names = {"list_id": "--id", "zone": "--zone", "effective_from": "--effective"}
        return ImportResult(
            None,
            [
                Problem(
                    "error",
                    doc.path.name,
                    f"{', '.join(names[k] for k in missing)} needed: the table is not one written by `lists export`",
                )
            ],
            [],
        )
    reader = _Reader(doc, lex, options)
    reader.problems.extend(frame_problems)
    reader.read()
    interp = _Interpreter(reader, law, lex, options, doc)
    interp.run()
    problems = reader.problems
    proposals = list(interp.proposals.values())
    if any(p.severity == "error" for p in problems):
        return ImportResult(None, problems, proposals)
    lf, kept, more = _assemble(doc, law, options, interp, reader, base, order if frame is not None else None)
    problems.extend(more)
    if any(p.severity == "error" for p in problems):
        return ImportResult(None, problems, proposals, kept)
    return ImportResult(lf, problems, proposals, kept)


def _frame(doc: Document) -> tuple[ListFile | None, list[str], list[Problem]]:
    """The rest of a list exported by `lists export`, and the order of its items."""
    if doc.frame is None:
        return None, [], []
    where = f"{doc.path.name}, the ftzlist part"
    try:
        data = yaml.safe_load(doc.frame)
    except yaml.YAMLError as exc:
        return None, [], [Problem("error", where, f"not YAML ({exc.__class__.__name__})")]
    if not isinstance(data, dict) or not isinstance(data.get("ftzlist_export"), dict):
        return None, [], [Problem("error", where, "not written by `ftzlist lists export`")]
    data = dict(data)
    meta = data.pop("ftzlist_export")
    try:
        lf = ListFile.model_validate(data)
    except ValidationError as exc:
        return (
            None,
            [],
            [
                Problem("error", where, f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
                for e in exc.errors(include_url=False)
            ],
        )
    order = [str(i) for i in meta.get("order") or []]
    return lf, order, []


def _assemble(
    doc: Document,
    law: Law,
    o: Options,
    interp: _Interpreter,
    reader: _Reader,
    base: ListFile | None,
    order: list[str] | None,
) -> tuple[ListFile, list[str], list[Problem]]:
    """The list file: the base (or exported frame) with the table's items and sector scopes."""
    from_export = order is not None
    problems: list[Problem] = []
    voc = law.vocabulary
    prefix = o.prefix or item_prefix(o.list_id)
    today = o.today or dt.date.today()
    title = o.title or (base.title if base else None)
    if title is None:
        zone = voc.zones.get(o.zone)
        zh = (
            next((t for t in reader.titles if "清单" in t), None)
            or f"{zone.name.zh if zone else o.zone}数据出境负面清单"
        )
        title = Text(zh=zh, en=f"{zone.name.en if zone else o.zone} data-export negative list {NO_ENGLISH}")
    instrument = o.list_id
    # items ----------------------------------------------------------------------------------------
    items: list[Item] = []
    used: set[str] = set()
    frame_items = [it for it in (base.items if base else []) if from_export or not is_table_item(it)]
    kept = [it.id for it in frame_items]
    used.update(kept)
    for e in interp.encoded:
        if "item" in e.fields:
            item = e.fields["item"]
            if item.id in used:
                problems.append(Problem("error", e.row.where("item_id"), "item id used twice", item.id))
                continue
            used.add(item.id)
            items.append(item)
            continue
        tier = TIER[e.fields["pathway"]]
        stem = f"{prefix}.{e.sector_slug}." + ("id." if e.important else "") + e.slug
        ident = f"{stem}.{tier}" if tier and not e.important else stem
        if ident in used:
            ident = f"{ident}-r{e.row.label}"
            stem = f"{stem}-r{e.row.label}"
            problems.append(
                Problem("note", e.row.where(), f"a second item with the same conditions' id; named {ident}")
            )
        used.add(ident)
        fields = {k: v for k, v in e.fields.items() if v is not None}
        if e.fields.get("persons") is not None:
            fields["group"] = stem
        items.append(
            Item.model_validate(
                {
                    **fields,
                    "id": ident,
                    "title": e.title,
                    "citation": Citation(
                        instrument=instrument,
                        ref=f"{e.row.grid.name}, row {e.row.label}",
                        status=interp.status,
                    ),
                    "status": interp.status,
                    "note": e.row.values.get("notes") or None,
                    "source": RowSource(sha256=doc.sha256, sheet=e.row.grid.name, row=e.row.label),
                }
            )
        )
    if order is not None:
        rank = {i: n for n, i in enumerate(order)}
        items = sorted([*frame_items, *items], key=lambda it: rank.get(it.id, len(rank)))
    # sectors ----------------------------------------------------------------------------------------
    covered = sorted(interp.sectors, key=lambda s: min(r.index for r in interp.sectors[s]["rows"]))
    base_scopes = {s.sector: s for s in (base.sectors if base else [])}
    scopes: list[SectorScope] = []
    for sector in covered:
        facts = interp.sectors[sector]
        rows = facts["rows"]
        if from_export and sector in base_scopes:
            scopes.append(base_scopes[sector])
            continue
        old = base_scopes.get(sector)
        old_en = {norm(x.zh): x.en for x in (old.excludes if old else [])}
        excludes = [
            Text(
                zh=x,
                en=old_en.get(norm(x)) or interp.lex.enterprise_type_name(sector, x) or f"{NO_ENGLISH} {x}",
            )
            for x in facts["excludes"]
        ]
        grid = rows[0].grid
        span = (
            f"{grid.name}, rows {rows[0].label}–{rows[-1].label}"
            if len(rows) > 1
            else f"{grid.name}, row {rows[0].label}"
        )
        scopes.append(
            SectorScope(
                sector=sector,
                enterprise_types=facts["types"],
                excludes=excludes,
                scenarios=None if facts["all"] or not facts["scenarios"] else sorted(facts["scenarios"]),
                notes=list(old.notes) if old else [],
                citation=Citation(instrument=instrument, ref=span, status=interp.status),
            )
        )
    if from_export:
        scopes = list(base.sectors)  # type: ignore[union-attr]
    # frame items a fresh import adds ------------------------------------------------------------------
    generated: list[Item] = []
    if base is None and covered:
        generated.append(
            Item(
                id=f"{prefix}.ciio",
                title=Text(
                    zh="关键信息基础设施运营者向境外提供个人信息，申报数据出境安全评估",
                    en="a CIIO providing personal information abroad needs a security assessment",
                ),
                pathway=Pathway.security_assessment,
                data_class=DataClass.personal_information,
                sectors=covered,
                ciio=True,
                citation=Citation(instrument="CBDF Provisions", ref="Art. 7(1)", status="V"),
                reading="Added by `lists import` to every imported negative list: the table's personal-information "
                "bands are for non-CIIO handlers, and a CIIO's export of personal information needs a security "
                "assessment whatever the volume (CBDF Art. 7(1)).",
                status="V",
            )
        )
    # coverage ------------------------------------------------------------------------------------------
    missing: list[MissingPart] = []
    for part in base.coverage.missing if base else []:
        if from_export or part.id not in o.fills:
            missing.append(part)
    unknown = sorted(set(o.fills) - {p.id for p in (base.coverage.missing if base else [])})
    if unknown:
        problems.append(Problem("error", "--fills", f"the base has no missing part {', '.join(unknown)}"))
    for n, (row, sector, data_class, why) in enumerate(interp.missing, 1):
        text = " | ".join(v for v in row.values.values() if v)[:300]
        missing.append(
            MissingPart(
                id=f"{prefix}.import.{n}",
                description=f"{doc.path.name}, {row.where()}: {why}; the row reads: {text}",
                sectors=[sector] if sector else None,
                data_classes=[data_class] if data_class and data_class != DataClass.important_data else None,
            )
        )
    readings = (
        "Read by `ftzlist lists import` from the published table: a row of important data catches the data "
        "it describes whatever class a declaration gives it; personal-information bands bind handlers that "
        "are not CIIOs (a CIIO's export of personal information needs a security assessment, CBDF Art. 7(1)); "
        "a band written 不满N人 starts at one person; data of a covered sector that no row catches is off the list."
    )
    table_notes = f" Table notes (verbatim): {' / '.join(reader.notes)}" if reader.notes else ""
    if not from_export and base is None:
        missing.append(
            MissingPart(
                id=f"{prefix}.measures",
                description="The administrative measures that come with the table (filing procedure, obligations, "
                "counting exclusions, and any rule identifying important data or listing other data) are not "
                "imported from the table."
                + (
                    " The person importing confirmed that they set no pathway (--measures-set-no-pathway)."
                    if o.measures_set_no_pathway
                    else " Until they are encoded (import with --base) or confirmed to set no pathway, flows "
                    "of the covered sectors are undetermined."
                ),
                sectors=covered or None,
                affects_pathways=not o.measures_set_no_pathway,
            )
        )
    notes = base.coverage.notes + " " if base and base.coverage.notes else ""
    if not from_export:
        notes += readings + table_notes
    coverage = Coverage(complete=not missing, missing=missing, notes=notes.strip() or None)
    # counting -------------------------------------------------------------------------------------------
    counting = base.counting if base else None
    windows = interp.windows | {w for w in (parse_window(n) for n in reader.notes) if w}
    known = windows - {"cumulative"}
    if len(known) > 1:
        problems.append(
            Problem(
                "uncertain",
                doc.path.name,
                f"the table states several counting windows ({', '.join(sorted(known))})",
            )
        )
    elif known and not from_export:
        window = known.pop()
        if counting is None:
            from ftzlist.schema.lists import CountingRule

            counting = CountingRule(
                window=window,  # type: ignore[arg-type]
                excluded_exemptions=[],
                citation=Citation(
                    instrument=instrument,
                    ref="the table's volume words",
                    status=interp.status,
                    note="No exemption is excluded from the count unless the measures say so (stricter).",
                ),
            )
        elif counting.window != window:
            problems.append(
                Problem(
                    "uncertain", doc.path.name, f"the table counts {window}; the base list {counting.window}"
                )
            )
    # the list ---------------------------------------------------------------------------------------------
    off_list = base.off_list if base else None
    if not from_export and base is not None and off_list is not None:
        off_list = off_list.model_copy(update={"sectors": covered})
    if off_list is None and covered and not from_export:
        off_list = Item(
            id=f"{prefix}.off-list",
            title=Text(
                zh="已发布清单的行业领域内，清单以外的数据出境免予申报数据出境安全评估、订立标准合同、通过认证",
                en="in a sector the list covers, data off the list is exempt from the security assessment, the standard contract and certification",
            ),
            pathway=Pathway.exempt,
            sectors=covered,
            citation=Citation(instrument="CBDF Provisions", ref="Art. 6", status="V"),
            status="V",
        )
    sources = list(base.sources) if base else []
    if not any(s.sha256 == doc.sha256 for s in sources):
        sources.append(
            Source(
                title=o.source_title or f"{doc.path.name} (published table, imported on {today})",
                url=o.source_url,
                status=o.status,
                sha256=doc.sha256,
            )
        )
    if from_export:
        data = base.model_dump(exclude_none=True)  # type: ignore[union-attr]
        data.update(
            items=[it.model_dump(exclude_none=True) for it in items],
            sources=[s.model_dump(exclude_none=True) for s in sources],
        )
        if o.list_id != base.id:  # a new edition made from an export: its own id and dates  # type: ignore[union-attr]
            data.update(
                id=o.list_id, family=o.family or base.family, issued=o.issued, effective_from=o.effective_from
            )  # type: ignore[union-attr]
            for k in ("effective_to", "trial_until", "effective_from_dates"):
                data.pop(k, None)
        if o.zone != base.scope.zone:  # type: ignore[union-attr]
            data["scope"] = {**data["scope"], "zone": o.zone, "areas": None}
        return ListFile.model_validate(data), kept, problems
    data: dict[str, Any] = base.model_dump(exclude_none=True) if base else {}
    data.update(
        id=o.list_id,
        family=o.family or (base.family if base else re.sub(r"-\d{4}$", "", o.list_id)),
        kind="negative_list",
        title=title.model_dump(),
        issuers=[t.model_dump() for t in o.issuers] or data.get("issuers", []),
        issued=o.issued,
        effective_from=o.effective_from,
        scope=Scope(
            zone=o.zone,
            areas=base.scope.areas if base and base.scope.zone == o.zone else None,
            description=base.scope.description
            if base and base.scope.zone == o.zone
            else Text(
                zh=f"在{voc.zones[o.zone].name.zh if o.zone in voc.zones else o.zone}注册并开展数据出境活动的数据处理者",
                en=f"data handlers registered in, and exporting from, {voc.zones[o.zone].name.en if o.zone in voc.zones else o.zone}",
            ),
        ).model_dump(exclude_none=True),
        sources=[s.model_dump(exclude_none=True) for s in sources],
        last_checked_on=today,
        status=o.status,
        coverage=coverage.model_dump(exclude_none=True),
        sectors=[s.model_dump(exclude_none=True) for s in scopes],
        items=[it.model_dump(exclude_none=True) for it in [*generated, *frame_items, *items]],
    )
    if base is None or base.id != o.list_id:  # dates of another edition do not carry over
        for k in ("effective_to", "trial_until", "effective_from_dates"):
            data.pop(k, None)
    if off_list is not None:
        data["off_list"] = off_list.model_dump(exclude_none=True)
    if counting is not None:
        data["counting"] = counting.model_dump(exclude_none=True)
    lf = ListFile.model_validate(data)
    return lf, kept, problems
