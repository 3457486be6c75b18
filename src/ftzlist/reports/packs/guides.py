"""The guides registry (`guides.yaml`): which official guide each pack document follows, where it
was read, how sure we are of its structure, and each document's sections in the guide's numbering.

The structure is data so that a new edition of a guide is an edit to one file, reviewed like a list
file, and so that no pack code names a zone or a procedure.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from pydantic import Field

from ftzlist.reports.packs.model import GuideRef, Pair, Section
from ftzlist.schema.common import Status, Strict, Text

GUIDES_FILE = Path(__file__).with_name("guides.yaml")


class Edition(Strict):
    title: Text
    date: dt.date = Field(description="Published (the guides apply from publication).")
    status: Status
    sources: list[str] = Field(min_length=1)
    note: Text | None = None
    structure: bool = Field(True, description="False: its annexes were not available to us.")


class Guide(Strict):
    issuer: Text
    editions: list[Edition] = Field(min_length=1)

    def edition(self, day: dt.date | None) -> tuple[Edition, Edition | None]:
        """The edition in force on `day` (the latest published by then; the first when none was),
        and, when its annexes were not available, the latest edition whose structure we follow."""
        ordered = sorted(self.editions, key=lambda e: e.date)
        current = (
            ordered[0] if day is None or day < ordered[0].date else [e for e in ordered if e.date <= day][-1]
        )
        if current.structure:
            return current, None
        known = [e for e in ordered if e.structure and e.date <= current.date]
        return current, known[-1] if known else None


class SectionSpec(Strict):
    id: str
    number: str
    title: Text
    ref: str
    status: Status | None = None
    children: list[SectionSpec] = Field(default_factory=list)


class DocumentSpec(Strict):
    guide: str
    part: Text
    sections: list[SectionSpec] = Field(min_length=1)


class PackRules(Strict):
    by_procedure: dict[str, list[str]] = Field(default_factory=dict)
    by_model: dict[str, list[str]] = Field(default_factory=dict)


class Registry(Strict):
    guides: dict[str, Guide]
    documents: dict[str, DocumentSpec]
    packs: PackRules

    def ref(self, document: str, day: dt.date | None = None) -> GuideRef:
        """The guide edition `document` follows on `day` (see `Guide.edition`)."""
        spec = self.documents[document]
        g = self.guides[spec.guide]
        e, follows = g.edition(day)
        notes = [_pair(e.note)] if e.note else []
        if day is not None and day < e.date:
            notes.append(
                (
                    f"评估日期 {day} 时本指南尚未发布；结构按其首次发布的版本（{e.date}）。",
                    f"On the assessment date {day} this guide had not been published; the structure is "
                    f"that of its first edition ({e.date}).",
                )
            )
        if follows is not None:
            notes.append(
                (
                    f"结构沿用：{follows.title.zh}（{follows.date}）",
                    f"Structure followed: {follows.title.en} ({follows.date})",
                )
            )
        return GuideRef(
            id=spec.guide,
            title=_pair(e.title),
            issuer=_pair(g.issuer),
            date=e.date,
            part=_pair(spec.part),
            status=e.status,
            sources=tuple(e.sources + (follows.sources if follows else [])),
            note=("\n".join(n[0] for n in notes), "\n".join(n[1] for n in notes)) if notes else None,
        )

    def skeleton(self, document: str) -> dict[str, Section]:
        """Empty sections of `document`, keyed by id (`overall.handler` for a child), in order."""
        spec = self.documents[document]
        default = max(self.guides[spec.guide].editions, key=lambda e: e.date).status
        out: dict[str, Section] = {}

        def build(s: SectionSpec, prefix: str) -> Section:
            sec = Section(number=s.number, title=_pair(s.title), guide_ref=s.ref, status=s.status or default)
            out[prefix + s.id] = sec
            sec.subsections = [build(c, f"{prefix}{s.id}.") for c in s.children]
            return sec

        for s in spec.sections:
            build(s, "")
        return out

    def documents_for(self, procedure_id: str, model: str) -> list[str]:
        """The documents that serve a procedure (its id first, then its model); [] when none."""
        return self.packs.by_procedure.get(procedure_id) or self.packs.by_model.get(model, [])


def _pair(t: Text) -> Pair:
    return (t.zh, t.en)


@cache
def registry() -> Registry:
    """The bundled registry, validated (a bad edit names the line, exit 2 at the CLI)."""
    from ftzlist.yamlio import load_model

    reg = load_model(Registry, GUIDES_FILE)
    for name, doc in reg.documents.items():
        if doc.guide not in reg.guides:
            from ftzlist.errors import InputError

            raise InputError(f"document {name}: unknown guide '{doc.guide}'", where=str(GUIDES_FILE))
    for docs in [*reg.packs.by_procedure.values(), *reg.packs.by_model.values()]:
        for d in docs:
            if d not in reg.documents:
                from ftzlist.errors import InputError

                raise InputError(f"packs: unknown document '{d}'", where=str(GUIDES_FILE))
    return reg
