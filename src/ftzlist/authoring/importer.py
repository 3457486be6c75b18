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
from typing import Any

import yaml
from pydantic import ValidationError

from ftzlist.authoring.layout import is_table_item
from ftzlist.authoring.reading import Problem, Reader
from ftzlist.authoring.rows import NO_ENGLISH, TIER, Interpreter, Proposal
from ftzlist.authoring.tables import Document
from ftzlist.authoring.terms import Lexicon
from ftzlist.authoring.volumes import parse_window
from ftzlist.law import Law
from ftzlist.schema.common import DataClass, Pathway, Status, Text
from ftzlist.schema.instruments import Instrument, InstrumentsFile, InstrumentSource, citation_context, merge
from ftzlist.schema.lists import CountingRule, Item, ListFile, MissingPart, RowSource, SectorScope

READINGS = (
    "Read by `ftzlist lists import` from the published table: a row of important data catches the data "
    "it describes whatever class a declaration gives it; personal-information bands bind handlers that "
    "are not CIIOs (a CIIO's export of personal information needs a security assessment, CBDF Art. 7(1)); "
    "a band written 不满N人 starts at one person; data of a covered sector that no row catches is off the list."
)


@dataclass
class ImportResult:
    list_file: ListFile | None
    problems: list[Problem]
    proposals: list[Proposal]
    kept_from_base: list[str] = field(default_factory=list)
    instrument: Instrument | None = None
    """A registry entry for the imported list, when the registry has none (write it beside the list)."""
    also_register: list[Instrument] = field(default_factory=list)
    """Further entries an exported workbook carried that the registry lacks (write them beside it too)."""

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
    instrument: str | None = None
    """Registry id of the published list (default: the base's, else a new `imported.<id>` entry)."""
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


# --- the list file ---------------------------------------------------------------------------------------


def import_document(
    doc: Document,
    law: Law,
    options: Options,
    *,
    terms: Lexicon | None = None,
    base: ListFile | None = None,
) -> ImportResult:
    """Read `doc` into a list file. Errors leave `list_file` None; uncertain rows are missing parts.

    `base`: a list whose measures-level parts are kept (its table rows are replaced). A table written
    by `lists export` brings its own base (the `ftzlist` part)."""
    lex = terms or Lexicon(law.vocabulary)
    frame, order, problems, carried = _frame(doc)
    if frame is not None:
        base = frame
        options = dataclasses.replace(
            options,
            list_id=options.list_id or frame.id,
            zone=options.zone or frame.scope.zone,
            issued=options.issued or frame.issued,
            effective_from=options.effective_from or frame.effective_from,
        )
    elif not problems:
        missing = [
            n
            for k, n in (("list_id", "--id"), ("zone", "--zone"), ("effective_from", "--effective"))
            if getattr(options, k) is None
        ]
        if missing:
            need = f"{', '.join(missing)} needed: the table is not one written by `lists export`"
            return ImportResult(None, [Problem("error", doc.path.name, need)], [])
    reader = Reader(doc, lex, fill_down=options.fill_down)
    reader.problems.extend(problems)
    reader.read()
    interp = Interpreter(reader, law, lex, doc, status=options.status)
    interp.run()
    result = ImportResult(None, reader.problems, list(interp.proposals.values()))
    if result.errors:
        return result
    _Assembly(doc, law, options, interp, reader, base, order, carried).build(result)
    return result


def _frame(doc: Document) -> tuple[ListFile | None, list[str] | None, list[Problem], list[Instrument]]:
    """The rest of a list exported by `lists export`, the order of its items, and the registry
    entries the export carried (instruments the bundled registry lacks)."""
    if doc.frame is None:
        return None, None, [], []
    where = f"{doc.path.name}, the ftzlist part"
    try:
        data = yaml.safe_load(doc.frame)
    except yaml.YAMLError as exc:
        return None, None, [Problem("error", where, f"not YAML ({exc.__class__.__name__})")], []
    if not isinstance(data, dict) or not isinstance(data.get("ftzlist_export"), dict):
        return None, None, [Problem("error", where, "not written by `ftzlist lists export`")], []
    data = dict(data)
    meta = data.pop("ftzlist_export")
    try:
        lf = ListFile.model_validate(data)
        carried = InstrumentsFile.model_validate({"instruments": meta.get("instruments") or []}).instruments
    except ValidationError as exc:
        return (
            None,
            None,
            [
                Problem("error", where, f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
                for e in exc.errors(include_url=False)
            ],
            [],
        )
    return lf, [str(i) for i in meta.get("order") or []], [], list(carried)


def _most_cited(citations) -> str | None:
    counts: dict[str, int] = {}
    for c in citations:
        counts[c.instrument] = counts.get(c.instrument, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


class _Assembly:
    """The list file from what the rows gave: the base (or exported frame) with the table's items,
    sector scopes, coverage, counting rule and sources; citations to registered instruments."""

    def __init__(
        self, doc, law: Law, o: Options, interp: Interpreter, reader: Reader, base, order, carried=()
    ):
        self.doc, self.law, self.o, self.interp, self.reader = doc, law, o, interp, reader
        # registry entries an exported workbook carried that the registry lacks
        self.carried = {i.id: i for i in carried if i.id not in law.instruments}
        self.base: ListFile | None = base
        self.order: list[str] | None = order
        self.from_export = order is not None
        self.voc = law.vocabulary
        self.prefix = o.prefix or item_prefix(o.list_id or "list")
        self.today = o.today or dt.date.today()
        self.problems: list[Problem] = []
        self.covered = sorted(interp.sectors, key=lambda s: min(r.index for r in interp.sectors[s]["rows"]))
        # the base's scope is kept (same zone) and binds every sector: the table adds items, not scope
        self.every_sector = (
            not self.from_export
            and base is not None
            and base.scope.zone == o.zone
            and base.scope.sectors == "all"
        )

    # citations -----------------------------------------------------------------------------------
    def instrument(self) -> tuple[str, Instrument | None]:
        """The registry id the table's rows cite, and a new entry when the registry has none."""
        o, base = self.o, self.base
        if o.instrument:
            if o.instrument not in self.law.instruments:
                hint = self.law.instruments.nearest(o.instrument)
                self.problems.append(
                    Problem("error", "--instrument", f"no instrument '{o.instrument}' in the registry{hint}")
                )
            return o.instrument, None
        if base is not None:
            found = _most_cited(it.citation for it in base.items if is_table_item(it))
            found = found or _most_cited(s.citation for s in base.sectors)
            if found:
                return found, self.carried.get(found)
        ident = f"imported.{o.list_id}"
        if ident in self.law.instruments:
            return ident, None
        title = self.title()
        return ident, Instrument(
            id=ident,
            kind="list",
            title=title,
            issuers=list(o.issuers),
            issued=o.issued,
            effective_from=o.effective_from,
            url=o.source_url,
            status=o.status,
            sources=[
                InstrumentSource(
                    title=f"{self.doc.path.name} (sha256 {self.doc.sha256})",
                    url=o.source_url,
                    status=o.status,
                )
            ],
            note="Registered by `ftzlist lists import` for the list it imported; review the title, issuers and dates.",
        )

    def ref(self, grid_kind: str, sheet: str, rows: str, rows_zh: str) -> dict[str, str]:
        if grid_kind == "docx":
            return {"ref": f"table {sheet}, {rows}", "ref_zh": f"表{sheet}{rows_zh}"}
        return {"ref": f"sheet '{sheet}', {rows}", "ref_zh": f"工作表“{sheet}”{rows_zh}"}

    def title(self) -> Text:
        o, base, voc = self.o, self.base, self.voc
        if o.title:
            return o.title
        if base is not None:
            return base.title
        zone = voc.zones.get(o.zone or "")
        name = zone.name if zone else Text(zh=str(o.zone), en=str(o.zone))
        zh = next((t for t in self.reader.titles if "清单" in t), None) or f"{name.zh}数据出境负面清单"
        return Text(zh=zh, en=f"{name.en} data-export negative list {NO_ENGLISH}")

    # items ----------------------------------------------------------------------------------------
    def items(self, instrument: str) -> tuple[list[dict[str, Any]], list[str]]:
        base = self.base
        frame = [it for it in (base.items if base else []) if self.from_export or not is_table_item(it)]
        kept = [it.id for it in frame]
        used = set(kept)
        out: list[dict[str, Any]] = []
        for e in self.interp.encoded:
            if "item" in e.fields:
                item: Item = e.fields["item"]
                if item.id in used:
                    self.problems.append(
                        Problem("error", e.row.where("item_id"), "item id used twice", item.id)
                    )
                    continue
                used.add(item.id)
                out.append(item.model_dump(mode="json", exclude_none=True))
                continue
            tier = TIER[e.fields["pathway"]]
            stem = f"{self.prefix}.{e.sector_slug}." + ("id." if e.important else "") + e.slug
            ident = f"{stem}.{tier}" if tier and not e.important else stem
            if ident in used:
                ident, stem = f"{ident}-r{e.row.label}", f"{stem}-r{e.row.label}"
                self.problems.append(
                    Problem("note", e.row.where(), f"a second item with the same id; named {ident}")
                )
            used.add(ident)
            fields = {k: v for k, v in e.fields.items() if v is not None}
            if e.fields.get("persons") is not None:
                fields["group"] = stem
            g = e.row.grid
            cite = {
                "instrument": instrument,
                **self.ref(g.kind, g.name, f"row {e.row.label}", f"第{e.row.label}行"),
                "status": self.o.status,
            }
            item = Item.model_validate(
                {
                    **fields,
                    "id": ident,
                    "title": e.title,
                    "citation": cite,
                    "status": self.o.status,
                    "note": e.row.values.get("notes") or None,
                    "source": RowSource(sha256=self.doc.sha256, sheet=g.name, row=e.row.label),
                }
            )
            out.append(item.model_dump(mode="json", exclude_none=True))
        generated: list[dict[str, Any]] = []
        has_ciio_rule = any(it.ciio is True and it.data_class != DataClass.important_data for it in frame)
        if not self.from_export and not has_ciio_rule and self.covered:
            generated.append(
                Item(
                    id=f"{self.prefix}.ciio",
                    title=Text(
                        zh="关键信息基础设施运营者向境外提供个人信息，申报数据出境安全评估",
                        en="a CIIO providing personal information abroad needs a security assessment",
                    ),
                    pathway=Pathway.security_assessment,
                    data_class=DataClass.personal_information,
                    sectors=self.covered,
                    ciio=True,
                    citation={"instrument": "cn.cbdf", "ref": "Art. 7(1)"},
                    reading="Added by `lists import` to an imported negative list that has no CIIO rule of its "
                    "own: the table's personal-information bands are for non-CIIO handlers, and a CIIO's export "
                    "of personal information needs a security assessment whatever the volume (CBDF Art. 7(1)).",
                ).model_dump(mode="json", exclude_none=True)
            )
        frame_dumps = [it.model_dump(mode="json", exclude_none=True) for it in frame]
        if self.order is not None:
            rank = {i: n for n, i in enumerate(self.order)}
            return sorted([*frame_dumps, *out], key=lambda d: rank.get(d["id"], len(rank))), kept
        return [*generated, *frame_dumps, *out], kept

    # sectors --------------------------------------------------------------------------------------
    def sectors(self, instrument: str) -> list[dict[str, Any]]:
        if self.from_export:
            return [s.model_dump(mode="json", exclude_none=True) for s in self.base.sectors]  # type: ignore[union-attr]
        old_scopes = {s.sector: s for s in (self.base.sectors if self.base else [])}
        out = []
        for sector in self.covered:
            facts = self.interp.sectors[sector]
            rows = facts["rows"]
            if self.every_sector and facts["types"] is not None:
                self.problems.append(
                    Problem(
                        "error",
                        rows[0].where("enterprise_types"),
                        f"the base list binds every sector whole (scope.sectors: all), so the table cannot "
                        f"bind only some enterprise types of {sector}",
                        ", ".join(facts["types"]),
                        "no enterprise types (a blank column), or an import without --base (the list then "
                        "binds the sectors and types of the table)",
                    )
                )
            old = old_scopes.get(sector)
            old_en = {norm_key(x.zh): x.en for x in (old.excludes if old else [])}
            excludes = [
                Text(
                    zh=x,
                    en=old_en.get(norm_key(x))
                    or self.interp.lex.enterprise_type_name(sector, x)
                    or f"{NO_ENGLISH} {x}",
                )
                for x in facts["excludes"]
            ]
            g = rows[0].grid
            span = (
                (f"rows {rows[0].label}–{rows[-1].label}", f"第{rows[0].label}至{rows[-1].label}行")
                if len(rows) > 1
                else (f"row {rows[0].label}", f"第{rows[0].label}行")
            )
            scope = SectorScope(
                sector=sector,
                enterprise_types=None if self.every_sector else facts["types"],
                excludes=excludes,
                scenarios=None  # under `all` a row's scenario is its item's condition, not the scope's
                if facts["all"] or not facts["scenarios"] or self.every_sector
                else sorted(facts["scenarios"]),
                notes=list(old.notes) if old else [],
                citation={
                    "instrument": instrument,
                    **self.ref(g.kind, g.name, *span),
                    "status": self.o.status,
                },
            )
            out.append(scope.model_dump(mode="json", exclude_none=True))
        return out

    # coverage, counting -------------------------------------------------------------------------------
    def coverage(self) -> dict[str, Any]:
        o, base, doc = self.o, self.base, self.doc
        if self.from_export:
            return base.coverage.model_dump(mode="json", exclude_none=True)  # type: ignore[union-attr]
        missing: list[MissingPart] = [
            p for p in (base.coverage.missing if base else []) if p.id not in o.fills
        ]
        unknown = sorted(set(o.fills) - {p.id for p in (base.coverage.missing if base else [])})
        if unknown:
            self.problems.append(
                Problem("error", "--fills", f"the base has no missing part {', '.join(unknown)}")
            )
        for n, (row, sector, data_class, why) in enumerate(self.interp.missing, 1):
            text = " | ".join(v for v in row.values.values() if v)[:300]
            missing.append(
                MissingPart(
                    id=f"{self.prefix}.import.{n}",
                    description=f"{doc.path.name}, {row.where()}: {why}; the row reads: {text}",
                    sectors=[sector] if sector else None,
                    data_classes=[data_class]
                    if data_class and data_class != DataClass.important_data
                    else None,
                )
            )
        if base is None:
            confirmed = (
                " The person importing confirmed that they set no pathway (--measures-set-no-pathway)."
                if o.measures_set_no_pathway
                else " Until they are encoded (import with --base) or confirmed to set no pathway, flows of the "
                "covered sectors are undetermined."
            )
            missing.append(
                MissingPart(
                    id=f"{self.prefix}.measures",
                    description="The administrative measures that come with the table (filing procedure, obligations, "
                    "counting exclusions, and any rule identifying important data or listing other data) are not "
                    "imported from the table." + confirmed,
                    sectors=self.covered or None,
                    affects_pathways=not o.measures_set_no_pathway,
                )
            )
        notes = (base.coverage.notes + " ") if base and base.coverage.notes else ""
        notes += READINGS
        if self.reader.notes:
            notes += f" Table notes (verbatim): {' / '.join(self.reader.notes)}"
        return {
            "complete": not missing,
            "missing": [m.model_dump(mode="json", exclude_none=True) for m in missing],
            "notes": notes,
        }

    def counting(self, instrument: str) -> dict[str, Any] | None:
        counting = self.base.counting if self.base else None
        windows = self.interp.windows | {w for w in (parse_window(n) for n in self.reader.notes) if w}
        known = sorted(windows - {"cumulative"})
        if len(known) > 1:
            self.problems.append(
                Problem(
                    "uncertain",
                    self.doc.path.name,
                    f"the table states several counting windows ({', '.join(known)})",
                )
            )
        elif known and not self.from_export:
            if counting is None:
                counting = CountingRule(
                    window=known[0],  # type: ignore[arg-type]
                    citation={
                        "instrument": instrument,
                        "ref": "the table's counting words",
                        "ref_zh": "清单关于数量统计的表述",
                        "status": self.o.status,
                        "note": "No exemption is excluded from the count unless the measures say so (stricter).",
                    },
                )
            elif counting.window != known[0]:
                self.problems.append(
                    Problem(
                        "uncertain",
                        self.doc.path.name,
                        f"the table counts {known[0]}; the base list {counting.window}",
                    )
                )
        return counting.model_dump(mode="json", exclude_none=True) if counting else None

    # the list -------------------------------------------------------------------------------------------
    def build(self, result: ImportResult) -> None:
        o, base, doc = self.o, self.base, self.doc
        instrument, entry = self.instrument()
        items, kept = self.items(instrument)
        data: dict[str, Any] = base.model_dump(mode="json", exclude_none=True) if base else {}
        sources = [s for s in data.get("sources", [])]
        if not any(s.get("sha256") == doc.sha256 for s in sources):
            sources.append(
                {
                    "title": o.source_title or f"{doc.path.name} (published table, imported on {self.today})",
                    "url": o.source_url,
                    "status": o.status,
                    "sha256": doc.sha256,
                }
            )
        data.update(items=items, sectors=self.sectors(instrument), coverage=self.coverage(), sources=sources)
        counting = self.counting(instrument)
        if counting is not None:
            data["counting"] = counting
        same_edition = base is not None and base.id == o.list_id
        if not self.from_export or not same_edition:
            data.update(
                id=o.list_id,
                issued=o.issued,
                effective_from=o.effective_from,
                family=o.family or (base.family if base else re.sub(r"-\d{4}$", "", str(o.list_id))),
            )
        if not same_edition:
            for k in ("effective_to", "trial_until", "effective_from_dates"):
                data.pop(k, None)
        if not self.from_export:
            zone = self.voc.zones.get(o.zone or "")
            name = zone.name if zone else Text(zh=str(o.zone), en=str(o.zone))
            keep_scope = base is not None and base.scope.zone == o.zone
            data.update(
                kind="negative_list",
                title=self.title().model_dump(),
                issuers=[t.model_dump() for t in o.issuers] or data.get("issuers", []),
                last_checked_on=self.today.isoformat(),
                status=o.status,
                scope=base.scope.model_dump(mode="json", exclude_none=True)
                if keep_scope
                else {  # type: ignore[union-attr]
                    "zone": o.zone,
                    "description": {
                        "zh": f"在{name.zh}注册并开展数据出境活动的数据处理者",
                        "en": f"data handlers registered in, and exporting from, {name.en}",
                    },
                },
            )
            off_list = base.off_list if base else None
            if off_list is not None:
                covered = None if self.every_sector else self.covered  # every sector's data off the list
                data["off_list"] = off_list.model_copy(update={"sectors": covered}).model_dump(
                    mode="json", exclude_none=True
                )
            elif self.covered:
                data["off_list"] = Item(
                    id=f"{self.prefix}.off-list",
                    title=Text(
                        zh="已发布清单的行业领域内，清单以外的数据出境免予申报数据出境安全评估、订立标准合同、通过认证",
                        en="in a sector the list covers, data off the list is exempt from the security assessment, "
                        "the standard contract and certification",
                    ),
                    pathway=Pathway.exempt,
                    sectors=self.covered,
                    citation={"instrument": "cn.cbdf", "ref": "Art. 6"},
                ).model_dump(mode="json", exclude_none=True)
        elif o.zone != base.scope.zone:  # type: ignore[union-attr]
            data["scope"] = {**data["scope"], "zone": o.zone, "areas": None}
        registry = self.law.instruments
        added = [entry] if entry is not None else []
        added += [i for i in self.carried.values() if entry is None or i.id != entry.id]
        if added:
            registry = merge([("lists import", InstrumentsFile(instruments=added))], base=registry)
        result.also_register = [i for i in self.carried.values() if entry is None or i.id != entry.id]
        data = _without_labels(data)
        try:
            lf = ListFile.model_validate(data, context=citation_context(data, registry))
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                self.problems.append(
                    Problem("error", doc.path.name, f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
                )
            lf = None
        result.problems.extend(self.problems)
        result.kept_from_base = kept
        if not result.errors:
            result.list_file, result.instrument = lf, entry


def norm_key(text: str) -> str:
    return re.sub(r"\s", "", text)


def _without_labels(node: Any) -> Any:
    """Citations as a list file writes them: the registry makes `label` when the list is read."""
    if isinstance(node, dict):
        return {k: _without_labels(v) for k, v in node.items() if not (k == "label" and "instrument" in node)}
    if isinstance(node, list):
        return [_without_labels(v) for v in node]
    return node
