"""The shape of a filing pack: documents made of sections, fields and tables, where every value
carries the input it came from, and every value the inputs do not hold is a gap to fill.

A pack is drafted once (`ftzlist.reports.packs.draft`) and laid out by each writer (Word, PDF, the
field list in JSON); the writers decide nothing. Text is a pair (Chinese, English) wherever ftzlist
writes it; values copied from a declaration stay as the user wrote them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Pair = tuple[str, str]
"""(Chinese, English)."""

SourceKind = Literal["declaration", "decision", "law", "count", "register", "gap"]

GAP: Pair = ("【待填写】", "[to complete]")
"""How a gap prints: the person completing the pack finds each one (highlighted in Word)."""


@dataclass(frozen=True)
class Source:
    """Where a value came from: a path into one of the inputs, or `gap` for a value no input holds.

    Paths read like the inputs: `declaration:flows[pv].data[icsr].persons`,
    `decision:flows[pv].checks[fj25.pharma.patients.t2]`, `law:vocabulary.categories[health.genetic]`,
    `count:by_item[pv/icsr]`. A gap's `ref` says what the person must supply.
    """

    kind: SourceKind
    ref: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True)
class Field:
    """One labelled value. `value` None is a gap; `hint` tells the person what to write there."""

    label: Pair
    value: str | Pair | None
    source: Source
    hint: Pair | None = None

    @property
    def is_gap(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Table:
    """Rows of fields under bilingual column headings (each cell keeps its own source)."""

    columns: list[Pair]
    rows: list[list[Field]]


@dataclass
class Section:
    """A part of a document as the guide numbers it (`number` e.g. "二（一）")."""

    number: str
    title: Pair
    guide_ref: str
    status: str = "V2"
    note: Pair | None = None
    fields: list[Field] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def walk(self) -> list[Section]:
        return [self, *(s for sub in self.subsections for s in sub.walk())]


@dataclass(frozen=True)
class GuideRef:
    """The official document a pack document follows, as the guides registry names it."""

    id: str
    title: Pair
    issuer: Pair
    date: dt.date
    part: Pair
    status: str
    sources: tuple[str, ...]
    note: Pair | None = None
    instrument_status: str = "V"
    """The registry's tag for the instrument's facts (title, date); `status` is the template's."""
    structure_status: str = "V2"
    """The tag of the template whose structure the document follows (another edition's, where
    this edition's annexes were not available)."""


@dataclass
class PackDocument:
    """One document of a filing pack (an annex, an assessment report, a form's data sections)."""

    id: str
    kind: str
    title: Pair
    guide: GuideRef
    handler: str
    as_of: dt.date
    flows: list[str]
    sections: list[Section]
    preface: list[Pair] = field(default_factory=list)
    not_drafted: list[tuple[str, Pair]] = field(default_factory=list)

    def fields(self) -> list[tuple[Section, Field]]:
        """Every field of the document with its section, tables included, in reading order."""
        out: list[tuple[Section, Field]] = []
        for top in self.sections:
            for s in top.walk():
                out.extend((s, f) for t in s.tables for row in t.rows for f in row)
                out.extend((s, f) for f in s.fields)
        return out

    def gaps(self) -> list[tuple[Section, Field]]:
        return [(s, f) for s, f in self.fields() if f.is_gap]
