"""What a report must say about a decision beyond its pathways (issue 10 §8), computed once for every
format: exemption claims the decision did not grant, missing facts split by who can settle them,
the national answer as a reference for undetermined flows, and the strictest pathway the handler's
flows need (so the handler-wide national count is never shown as the handler's answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ftzlist.schema.common import PATHWAY_RANK, Pathway

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.schema.common import Citation
    from ftzlist.schema.decision import DecisionSet, FlowDecision, Missing
    from ftzlist.schema.declaration import Declaration


@dataclass(frozen=True)
class RejectedClaim:
    """An exemption ground a flow claims that the decision did not apply."""

    flow_id: str
    ground: str
    rule_id: str | None = None
    name: tuple[str, str] | None = None
    citation: Citation | None = None
    outcome: str | None = None
    reason: str | None = None
    """The engine's explanation (English until reasons are structured)."""
    available: bool = True
    """False when no list in force offers the ground at all (e.g. a 2024 ground under the 2022 rules)."""


def rejected_claims(ds: DecisionSet, decl: Declaration | None, law: Law | None) -> list[RejectedClaim]:
    """Every flow whose claimed exemption ground was not granted, with the rule that judged it."""
    if decl is None or law is None:
        return []
    claimed = {f.id: f.exemption for f in decl.flows if f.exemption}
    governing = [law.lists.by_id[i] for i in ds.governing_lists if i in law.lists.by_id]
    out: list[RejectedClaim] = []
    for f in ds.flows:
        ground = claimed.get(f.flow_id)
        if ground is None:
            continue
        rules = {e.id: (lf, e) for lf in governing for e in lf.exemptions if e.ground == ground}
        checks = [c for c in f.checks if c.rule_id in rules]
        if any(c.outcome == "fired" for c in checks):
            continue
        if not checks:
            out.append(
                RejectedClaim(flow_id=f.flow_id, ground=ground, available=not governing or bool(rules))
            )
            continue
        c = checks[0]
        _, e = rules[c.rule_id]
        out.append(
            RejectedClaim(
                flow_id=f.flow_id,
                ground=ground,
                rule_id=c.rule_id,
                name=(e.name.zh, e.name.en),
                citation=c.citation,
                outcome=c.outcome,
                reason=c.reason,
            )
        )
    return out


def is_law_gap(m: Missing) -> bool:
    """A missing part of the law (a list part ftzlist has not encoded), not a fact the user holds."""
    return m.kind == "law"


def split_missing(f: FlowDecision) -> tuple[list[Missing], list[Missing]]:
    """(facts the user can supply, parts of the law not encoded)."""
    facts = [m for m in f.missing if not is_law_gap(m)]
    gaps = [m for m in f.missing if is_law_gap(m)]
    return facts, gaps


def national_reference(ds: DecisionSet, decl: Declaration | None, law: Law | None) -> dict[str, FlowDecision]:
    """For each undetermined flow of a handler in a zone: the decision under the national rules alone
    (the handler placed outside every zone), as a point of reference. {} when there is none."""
    if decl is None or law is None or decl.handler.zone is None:
        return {}
    wanted = {f.flow_id for f in ds.flows if f.pathway == Pathway.undetermined}
    if not wanted:
        return {}
    from ftzlist.engine import decide

    outside = decl.model_copy(
        update={"handler": decl.handler.model_copy(update={"zone": None, "area": None})}
    )
    national = decide(outside, law, ds.as_of)
    return {f.flow_id: f for f in national.flows if f.flow_id in wanted}


def strictest(ds: DecisionSet) -> tuple[Pathway, bool]:
    """The heaviest pathway the handler's flows need, and whether an undetermined flow may need
    more (then the pathway is its lower bound)."""
    known = [
        (f.lower_bound or Pathway.exempt) if f.pathway == Pathway.undetermined else f.pathway
        for f in ds.flows
    ]
    top = max(known, key=lambda p: PATHWAY_RANK.get(p, -1), default=Pathway.exempt)
    return top, any(f.pathway == Pathway.undetermined for f in ds.flows)
