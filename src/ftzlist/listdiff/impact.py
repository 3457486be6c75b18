"""`lists impact OLD NEW DECLARATION`: which of a company's flows change pathway under a new edition.

Each edition is judged on its own: the law is the bundled law with every edition of the family
taken out and the one edition put in, as if in force on the assessment day (so a company can
read a draft or a future edition before it takes effect). The handler is placed in the edition's
zone when it is registered elsewhere, and the result says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.loader import Law, ListSet
from ftzlist.schema.common import PATHWAY_RANK, Pathway
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FlowImpact(Out):
    flow_id: str
    scenario: str | None
    old: Pathway
    new: Pathway
    change: Literal["unchanged", "lighter", "heavier", "now_determined", "now_undetermined", "changed"]
    old_rules: list[str]
    new_rules: list[str]
    old_missing: list[str] = Field(default_factory=list)
    new_missing: list[str] = Field(default_factory=list)


class Impact(Out):
    old_id: str
    new_id: str
    as_of: dt.date
    zone: str | None
    notes: list[str]
    flows: list[FlowImpact]

    @property
    def changed(self) -> list[FlowImpact]:
        return [f for f in self.flows if f.change != "unchanged"]


def law_with(law: Law, lf: ListFile, sha256: str, as_of: dt.date) -> Law:
    """`law` with `lf`'s family replaced by `lf` alone, in force on `as_of`."""
    edition = lf.model_copy(update={"effective_from": min(lf.effective_from, as_of), "effective_to": None})
    by_id = {i: x for i, x in law.lists.by_id.items() if x.family != lf.family}
    sha = {i: h for i, h in law.lists.sha256.items() if i in by_id}
    paths = {i: p for i, p in law.lists.paths.items() if i in by_id}
    by_id[lf.id], sha[lf.id] = edition, sha256
    return Law(vocabulary=law.vocabulary, lists=ListSet(by_id, sha, paths), instruments=law.instruments)


def _change(a: Pathway, b: Pathway) -> str:
    if a == b:
        return "unchanged"
    if a == Pathway.undetermined:
        return "now_determined"
    if b == Pathway.undetermined:
        return "now_undetermined"
    return "lighter" if PATHWAY_RANK[b] < PATHWAY_RANK[a] else "heavier"


def impact(
    old: tuple[ListFile, str], new: tuple[ListFile, str], declaration: Declaration, law: Law, as_of: dt.date
) -> Impact:
    """Judge `declaration` under each edition and report every flow whose pathway moves."""
    from ftzlist.engine import decide

    (old_lf, old_sha), (new_lf, new_sha) = old, new
    notes: list[str] = []
    if old_lf.family != new_lf.family:
        notes.append(
            f"{old_lf.id} and {new_lf.id} are of different families ({old_lf.family}, {new_lf.family})"
        )
    decl = declaration
    zone = new_lf.scope.zone
    if zone is not None and decl.handler.zone != zone:
        area = (new_lf.scope.areas or [None])[0]
        notes.append(
            f"the handler is registered in {decl.handler.zone or 'no zone'}; judged as if registered in {zone}"
            + (f" (area {area})" if area else "")
        )
        decl = decl.model_copy(
            update={"handler": decl.handler.model_copy(update={"zone": zone, "area": area})}
        )
    for lf in (old_lf, new_lf):
        if not lf.in_force(as_of):
            notes.append(f"{lf.id} is not in force on {as_of}; judged as if it were")
    a = decide(decl, law_with(law, old_lf, old_sha, as_of), as_of)
    b = decide(decl, law_with(law, new_lf, new_sha, as_of), as_of)
    flows = []
    for fa, fb in zip(a.flows, b.flows, strict=True):
        flows.append(
            FlowImpact(
                flow_id=fa.flow_id,
                scenario=fa.scenario,
                old=fa.pathway,
                new=fb.pathway,
                change=_change(fa.pathway, fb.pathway),  # type: ignore[arg-type]
                old_rules=sorted({r for it in fa.items for r in it.deciding_rules}),
                new_rules=sorted({r for it in fb.items for r in it.deciding_rules}),
                old_missing=[m.field for m in fa.missing],
                new_missing=[m.field for m in fb.missing],
            )
        )
    return Impact(old_id=old_lf.id, new_id=new_lf.id, as_of=as_of, zone=zone, notes=notes, flows=flows)
