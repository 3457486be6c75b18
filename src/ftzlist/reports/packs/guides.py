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


class Guide(Strict):
    title: Text
    issuer: Text
    date: dt.date
    status: Status
    sources: list[str] = Field(min_length=1)
    note: Text | None = None


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

    def ref(self, document: str) -> GuideRef:
        spec = self.documents[document]
        g = self.guides[spec.guide]
        return GuideRef(
            id=spec.guide,
            title=_pair(g.title),
            issuer=_pair(g.issuer),
            date=g.date,
            part=_pair(spec.part),
            status=g.status,
            sources=tuple(g.sources),
            note=_pair(g.note) if g.note else None,
        )

    def skeleton(self, document: str) -> dict[str, Section]:
        """Empty sections of `document`, keyed by id (`overall.handler` for a child), in order."""
        spec = self.documents[document]
        default = self.guides[spec.guide].status
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
