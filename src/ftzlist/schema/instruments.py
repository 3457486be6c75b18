"""The instruments registry: every law, rule, list and official Q&A a citation may name.

A citation names an instrument by id and the provision by `ref` (`schema.common.Citation`); the
registry (`lists/instruments.yaml`, plus an `instruments.yaml` in any list folder a user adds) holds
what the instrument is: its Chinese and English title, issuers, document number (文号), dates, URL
and how sure those facts are (status tag, sources). Labels are made here, once, in both languages,
so every output cites the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ftzlist.schema.common import Citation, Id, Status, Strict, Text

InstrumentKind = Literal[
    "law",
    "administrative_regulation",
    "departmental_rules",
    "measures",
    "list",
    "reference_rule",
    "guidance",
    "qa",
]
"""law (法律), administrative regulation (行政法规), departmental rules (部门规章, e.g. CAC Orders),
local measures (管理办法), a data-export list (清单), an annexed reference rule (参考规则),
guidance (指引/指南), an official Q&A (问答)."""


class InstrumentSource(Strict):
    """Where the facts of a registry entry come from."""

    title: str = Field(min_length=1)
    url: str | None = None
    status: Status = "V"


class Instrument(Strict):
    """One instrument. Facts the sources do not give stay empty (never guessed)."""

    id: Id = Field(description="Stable id, '<jurisdiction>.<name>', e.g. 'cn.cbdf', 'fujian.ftz-list-2025'.")
    kind: InstrumentKind
    title: Text = Field(description="Official Chinese title and an English rendering.")
    short: Text | None = Field(None, description="Short name used in citations, e.g. 'CBDF Provisions'.")
    issuers: list[Text] = Field(default_factory=list)
    number: str | None = Field(
        None, description="Document number (文号), e.g. '国家互联网信息办公室令第16号'."
    )
    issued: dt.date | None = Field(None, description="Date issued (成文 or published, see `note`).")
    effective_from: dt.date | None = None
    url: str | None = Field(None, description="Official text, when known.")
    part_of: Id | None = Field(None, description="The instrument this one is annexed to or issued with.")
    status: Status = Field(description="How sure the facts of this entry are (ftz-lists.md tags).")
    sources: list[InstrumentSource] = Field(default_factory=list)
    note: str | None = None


class InstrumentsFile(Strict):
    """`instruments.yaml`: the registry file."""

    instruments: list[Instrument]


_ART = re.compile(r"^Arts?\.\s+(?P<body>\d+(?:\(\d+\))*(?:\s*(?:,|-|–|and)\s*\d+(?:\(\d+\))*)*)$")
_SPEC = re.compile(r"(\d+)((?:\(\d+\))*)")


def article_zh(ref: str) -> str | None:
    """A plain article reference in Chinese, or None when `ref` is not one.

    'Art. 7' -> '第7条'; 'Art. 7(2)' -> '第7条(2)'; 'Arts. 7, 8' -> '第7、8条'; 'Arts. 5-14' ->
    '第5至14条'; 'Arts. 2, 7(2)' -> '第2条、第7条(2)'. The bracketed numbers are kept as written:
    whether one is a paragraph (款) or an item (项) is not known from the English.
    """
    m = _ART.match(ref.strip())
    if m is None:
        return None
    body = m.group("body")
    specs = _SPEC.findall(body)
    joins = ["至" if s.strip() in ("-", "–") else "、" for s in re.split(r"\d+(?:\(\d+\))*", body)[1:-1]]
    if all(not sub for _, sub in specs):
        return "第" + specs[0][0] + "".join(j + n for j, (n, _) in zip(joins, specs[1:], strict=True)) + "条"
    pieces = [f"第{n}条{sub}" for n, sub in specs]
    return pieces[0] + "".join(j + piece for j, piece in zip(joins, pieces[1:], strict=True))


def placeholder(value: str) -> bool:
    """A value left to be filled in (`TODO ...`), as `lists new` writes it."""
    return value.strip().lower().startswith("todo")


@dataclass(frozen=True)
class Instruments:
    """The merged registry, by id."""

    by_id: Mapping[str, Instrument]

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self.by_id

    def __iter__(self) -> Iterator[Instrument]:
        return iter(sorted(self.by_id.values(), key=lambda i: i.id))

    def __len__(self) -> int:
        return len(self.by_id)

    def nearest(self, value: str) -> str:
        """'; nearest: a (Short name), ...' for an unknown id; old free-text names match by name."""
        names = {i.id: [i.id, i.title.en, *((i.short.en,) if i.short else ())] for i in self.by_id.values()}
        lowered = value.strip().lower()
        hits = [iid for iid, ns in names.items() if any(n.lower() == lowered for n in ns[1:])]
        if not hits:
            pool = {n.lower(): iid for iid, ns in names.items() for n in ns}
            hits = list(
                dict.fromkeys(pool[n] for n in difflib.get_close_matches(lowered, pool, n=3, cutoff=0.5))
            )
        shown = [
            f"{h} ({self.by_id[h].short.en if self.by_id[h].short else self.by_id[h].title.en})" for h in hits
        ]
        return f"; nearest: {', '.join(shown)}" if shown else ""

    def _name(self, instrument_id: str, lang: Literal["zh", "en"]) -> str:
        ins = self.by_id[instrument_id]
        if lang == "zh":
            return f"《{ins.short.zh if ins.short else ins.title.zh}》"
        return ins.short.en if ins.short else ins.title.en

    def _one(self, instrument_id: str, ref: str, ref_zh: str | None) -> Text:
        zh_ref = ref_zh or article_zh(ref) or ref
        return Text(
            zh=f"{self._name(instrument_id, 'zh')}{zh_ref}", en=f"{self._name(instrument_id, 'en')} {ref}"
        )

    def label(self, citation: Citation) -> Text:
        """How `citation` reads, e.g. en 'CBDF Provisions Art. 7(2)', zh '《促进和规范数据跨境流动规定》第7条(2)'."""
        parts = [self._one(citation.instrument, citation.ref, citation.ref_zh)]
        parts += [self._one(a.instrument, a.ref, a.ref_zh) for a in citation.also]
        return Text(zh="；".join(p.zh for p in parts), en="; ".join(p.en for p in parts))

    def cite(self, instrument: str, ref: str, **fields: Any) -> Citation:
        """A labelled citation built in code (the id must be registered). Raises KeyError if not."""
        if instrument not in self.by_id:
            raise KeyError(f"unknown instrument '{instrument}'{self.nearest(instrument)}")
        c = Citation(instrument=instrument, ref=ref, **fields)
        return c.model_copy(update={"label": self.label(c)})

    def resolve(self, data: dict[str, Any], provisions: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Check a raw citation mapping against the registry and the list's provisions; add `label`.

        Raises ValueError (reported by pydantic with the citation's location, so with file and line)
        for an unknown instrument id, and a `provision` the list does not define or one of another
        instrument. A `label` in the data (a list written back from a loaded one) is replaced by
        the registry's, so no label can claim what the registry does not say.
        """
        data = {k: v for k, v in data.items() if k != "label"}
        ids = [data.get("instrument")] + [
            a.get("instrument") for a in data.get("also") or () if isinstance(a, dict)
        ]
        if any(isinstance(i, str) and placeholder(i) for i in ids):
            return data  # a `lists new` skeleton: `lists validate` reports the placeholder
        for iid in ids:
            if isinstance(iid, str) and iid not in self.by_id:
                raise ValueError(f"unknown instrument '{iid}'{self.nearest(iid)}")
        prov = data.get("provision")
        if prov is not None and provisions is not None:
            if prov not in provisions:
                known = ", ".join(sorted(provisions)[:5]) or "none"
                raise ValueError(f"provision '{prov}' is not in this list's provisions (e.g. {known})")
            if provisions[prov] != data.get("instrument"):
                raise ValueError(
                    f"provision '{prov}' is a provision of '{provisions[prov]}', "
                    f"but the citation cites '{data.get('instrument')}'"
                )
        try:
            c = Citation.model_validate(data)
        except ValidationError:  # field errors are reported by the outer validation, with their place
            return data
        return {**data, "label": self.label(c).model_dump()}

    def check_ids(self, ids: Iterable[str]) -> None:
        """Raise ValueError for the first id not in the registry."""
        for iid in ids:
            if iid not in self.by_id:
                raise ValueError(f"unknown instrument '{iid}'{self.nearest(iid)}")


def merge(files: Iterable[tuple[str, InstrumentsFile]], base: Instruments | None = None) -> Instruments:
    """One registry from `base` and several files. An id defined twice with different content is a
    ValueError naming both places (the same file read twice is harmless)."""
    by_id: dict[str, Instrument] = dict(base.by_id) if base is not None else {}
    where: dict[str, str] = {i: "the registry already loaded" for i in by_id}
    problems = []
    for path, f in files:
        for ins in f.instruments:
            if ins.id in by_id and by_id[ins.id] != ins:
                problems.append(
                    f"{path}: instrument '{ins.id}' is also defined, differently, in {where[ins.id]}"
                )
                continue
            by_id[ins.id] = ins
            where.setdefault(ins.id, path)
    for ins in by_id.values():
        if ins.part_of is not None and ins.part_of not in by_id:
            problems.append(
                f"{where[ins.id]}: instrument '{ins.id}': part_of '{ins.part_of}' is not registered"
            )
    if problems:
        raise ValueError("; ".join(problems))
    return Instruments(by_id)


def citation_context(data: Any, instruments: Instruments) -> dict[str, Any]:
    """The validation context for a raw list document: the registry and its provision ids.

    A list may cite itself by its own id (an imported or new list whose instrument is not yet
    registered): the list's title then names the instrument, tagged with the list's status. Pass
    the result to `model_validate(..., context=...)` so each citation is checked where it stands.
    """
    provisions: dict[str, str] = {}
    if not isinstance(data, dict):
        return {"instruments": instruments, "provisions": provisions}
    if isinstance(data.get("provisions"), list):
        for p in data["provisions"]:
            if isinstance(p, dict) and isinstance(p.get("id"), str):
                provisions[p["id"]] = str(p.get("instrument"))
    own = data.get("id")
    if isinstance(own, str) and own not in instruments.by_id:
        try:
            itself = Instrument(
                id=own,
                kind="list",
                title=Text.model_validate(data.get("title")),
                status=data.get("status", "U"),
                sources=[InstrumentSource(title=f"the list file {own} itself", status="U")],
            )
        except ValidationError:  # the list's own fields are reported by the outer validation
            itself = None
        if itself is not None:
            instruments = Instruments({**instruments.by_id, own: itself})
    return {"instruments": instruments, "provisions": provisions}


def walk_citations(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Citation]]:
    """Every citation inside a loaded model (a list file, a vocabulary), with its location path."""
    if isinstance(node, Citation):
        yield loc, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from walk_citations(getattr(node, name), (*loc, name))
    elif isinstance(node, list | tuple):
        for i, v in enumerate(node):
            yield from walk_citations(v, (*loc, i))
