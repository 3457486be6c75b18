"""Reading a table row as item conditions: sector, enterprise types, pathway, data category,
scenarios, sub-class, volumes. What it cannot read with certainty it reports and leaves out (the
row becomes a coverage.missing part); vocabulary the table needs and ftzlist lacks is proposed.

Readings taken (stated in every imported list's coverage notes): a row of important data binds the
data it describes whatever class a declaration gives it (no data-class condition); tier-1 and
tier-2 personal-information bands bind handlers that are not CIIOs (CBDF Art. 7(1)); a band written
"不满N人" starts at one person; a row with no volume binds at any volume only where that is the
strictest reading (security assessment, or important data), else it is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from ftzlist.authoring.headers import BY_KEY
from ftzlist.authoring.layout import data_class_word, scenario_text, subclass_text
from ftzlist.authoring.reading import (
    DATA_CLASS_EXPECTED,
    PATHWAY_EXPECTED,
    Reader,
    Row,
    read_data_class,
    read_pathway,
)
from ftzlist.authoring.tables import Document
from ftzlist.authoring.terms import (
    ALL,
    ALL_TYPES_WORDS,
    CATCH_ALL_WORDS,
    WHOLE_CLASS_WORDS,
    Lexicon,
    match_runs,
    norm,
    split_names,
    strip_pi,
)
from ftzlist.authoring.volumes import Volume, VolumeError, find_volumes, format_band, parse_volume
from ftzlist.law import Law
from ftzlist.schema.common import DataClass, Pathway, Sensitivity, Status, Text
from ftzlist.schema.lists import Item

TIER = {
    Pathway.security_assessment: "t1",
    Pathway.standard_contract_or_certification: "t2",
    Pathway.other_lawful_path: None,
}
NO_ENGLISH = "(no English in the source)"


@dataclass
class Proposal:
    """A vocabulary entry the table needs and the vocabulary lacks, for a person to review."""

    kind: Literal["sectors", "enterprise_types", "scenarios", "subject_types", "categories"]
    id: str
    zh: str
    sector: str | None = None
    rows: list[str] = field(default_factory=list)


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


class Interpreter:
    def __init__(self, reader: Reader, law: Law, lex: Lexicon, doc: Document, *, status: Status):
        self.r, self.law, self.lex, self.doc = reader, law, lex, doc
        self.proposals: dict[tuple[str, str, str | None], Proposal] = {}
        self.encoded: list[Encoded] = []
        self._missing: dict[int, tuple[Row, str | None, DataClass | None, list[str]]] = {}
        self.sectors: dict[str, dict[str, Any]] = {}  # sector -> scope facts
        self.windows: set[str] = set()
        self.status = status
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

    def _word(self, row: Row, section: dict[str, Any], key: str, read, message: str, expected: str) -> Any:
        """A closed-list word of the row (pathway, data category), from its cell or its section title;
        None, with an error naming the cell, when the word is not one of the list."""
        placed = self._value(row, section, key)
        if placed is None:
            return None
        how, value, where = placed
        found = value if how == "section" else read(value)
        if found is None:
            self.r.add("error", where, message, value, expected)
        return found

    def row(self, row: Row, section: dict[str, Any]) -> None:
        features = row.values.get("features", "")
        subclass = row.values.get("subclass", "")
        if not features and not subclass:
            self.r.add("uncertain", row.where(), "a row with neither a sub-class nor a description")
            self._miss(row, None, None, "a row with neither a sub-class nor a description")
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
        pathway = self._word(
            row, section, "pathway", read_pathway, "not a pathway word it knows", PATHWAY_EXPECTED
        )
        if pathway is None:
            return
        dc = self._word(
            row, section, "data_class", read_data_class, "not a data category it knows", DATA_CLASS_EXPECTED
        )
        if dc is None:
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
        # sub-class (read even when the scenario was not, so one review round covers the whole row) --------
        sub = self._subclass(row, sector, important, subclass or features)
        if sub is None or scenarios is False:
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
                proposed = self.propose(kind, name if important else strip_pi(name), row)
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
        if found and found.periods and volumes and any(v.band is not None for v in volumes):
            # "近1年内…1万人以上": persons counted over a period the list's counting window (since
            # 1 January, CBDF Arts. 7-9) does not match; read without it the band could count fewer
            self.r.add(
                "uncertain",
                row.where("features"),
                f"the description counts the persons over a period ({'; '.join(found.periods)}) that the "
                "list's counting window may not match; the row is not encoded",
                features,
                "a counting window the list states (当年累计, 自当年1月1日起累计) or none",
            )
            self._miss(row, sector, None if important else data_class, "counting period in the description")
            return None
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
        """The row is not encoded: one missing part per row, naming every reason. Data classes widen
        to all (None) when two reasons disagree on the class the row could affect."""
        key = id(row)
        if key in self._missing:
            _, sec, dc, whys = self._missing[key]
            self._missing[key] = (row, sec or sector, dc if dc == data_class else None, [*whys, why])
        else:
            self._missing[key] = (row, sector, data_class, [why])

    @property
    def missing(self) -> list[tuple[Row, str | None, DataClass | None, str]]:
        return [(r, s, d, "; ".join(w)) for r, s, d, w in self._missing.values()]

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
