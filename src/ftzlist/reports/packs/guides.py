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
from ftzlist.schema.instruments import Instrument, Instruments

GUIDES_FILE = Path(__file__).with_name("guides.yaml")


class Template(Strict):
    """What we read of an edition's templates, and how sure we are of the structure drawn from it."""

    status: Status
    sources: list[str] = Field(min_length=1)
    note: Text | None = None


class Edition(Strict):
    instrument: str = Field(description="Id in the instruments registry (title, issuer, date, URL).")
    template: Template
    structure: bool = Field(True, description="False: its annexes were not available to us.")


class Guide(Strict):
    editions: list[Edition] = Field(min_length=1)

    def edition(self, day: dt.date | None, instruments: Instruments) -> tuple[Edition, Edition | None]:
        """The edition in force on `day` (the latest issued by then; the first when none was), and,
        when its annexes were not available, the latest edition whose structure we follow."""
        ordered = sorted(self.editions, key=lambda e: _issued(instruments, e))
        by = [e for e in ordered if day is not None and _issued(instruments, e) <= day]
        current = by[-1] if by else ordered[0]
        if current.structure:
            return current, None
        known = [
            e for e in ordered if e.structure and _issued(instruments, e) <= _issued(instruments, current)
        ]
        return current, known[-1] if known else None


def _instrument(instruments: Instruments, edition: Edition) -> Instrument:
    try:
        return instruments.by_id[edition.instrument]
    except KeyError:
        from ftzlist.errors import InputError

        raise InputError(
            f"guides: unknown instrument '{edition.instrument}'{instruments.nearest(edition.instrument)}",
            where=str(GUIDES_FILE),
        ) from None


def _issued(instruments: Instruments, edition: Edition) -> dt.date:
    ins = _instrument(instruments, edition)
    return ins.issued or ins.effective_from or dt.date.min


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

    def ref(self, document: str, day: dt.date | None, instruments: Instruments) -> GuideRef:
        """The guide edition `document` follows on `day` (see `Guide.edition`), with its facts from
        the instruments registry and the reading of its template from here."""
        spec = self.documents[document]
        e, follows = self.guides[spec.guide].edition(day, instruments)
        ins = _instrument(instruments, e)
        issued = _issued(instruments, e)
        notes: list[Pair] = [_pair(e.template.note)] if e.template.note else []
        if ins.note:  # the registry's notes are in English
            notes.append(("", ins.note))
        if day is not None and day < issued:
            notes.append(
                (
                    f"评估日期 {day} 时本指南尚未发布；结构按其首次发布的版本（{issued}）。",
                    f"On the assessment date {day} this guide had not been published; the structure is "
                    f"that of its first edition ({issued}).",
                )
            )
        if follows is not None:
            f = _instrument(instruments, follows)
            notes.append(
                (
                    f"结构沿用：{f.title.zh}（{_issued(instruments, follows)}）",
                    f"Structure followed: {f.title.en} ({_issued(instruments, follows)})",
                )
            )
        urls = [ins.url] if ins.url else []
        urls += [s.url for s in ins.sources if s.url and s.url not in urls]
        urls += [
            u for u in e.template.sources + (follows.template.sources if follows else []) if u not in urls
        ]
        return GuideRef(
            id=e.instrument,
            title=(ins.title.zh, ins.title.en),
            issuer=("、".join(i.zh for i in ins.issuers), ", ".join(i.en for i in ins.issuers)),
            date=issued,
            part=_pair(spec.part),
            status=e.template.status,
            sources=tuple(urls),
            note=(
                "\n".join(n[0] for n in notes if n[0]),
                "\n".join(n[1] for n in notes if n[1]),
            )
            if notes
            else None,
            instrument_status=ins.status,
            structure_status=(follows or e).template.status,
        )

    def skeleton(self, document: str, default: str = "V2") -> dict[str, Section]:
        """Empty sections of `document`, keyed by id (`overall.handler` for a child), in order;
        `default` is the status of a section the registry does not tag (the structure's)."""
        spec = self.documents[document]
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
