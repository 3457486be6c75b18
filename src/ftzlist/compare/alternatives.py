"""Cross-zone reference: a list may let its handlers rely on other zones' lists (Fujian measures
Art. 22; the later Beijing and Shanghai editions). Where it does, a flow that another zone's list
would let through more lightly gets an alternative naming that list and the permission.

Implemented over the engine's outputs: decide under each other zone, keep a flow's answer there
only when that zone's own list decided it (not the national ladder) and it is lighter than, or
settles, the answer at home.
"""

from __future__ import annotations

import datetime as dt

from ftzlist.compare.placements import Placement, place, placements
from ftzlist.law import Law
from ftzlist.schema.common import PATHWAY_RANK, Pathway
from ftzlist.schema.decision import DecisionSet, FlowDecision
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile


def permitting_lists(law: Law, ds: DecisionSet) -> list[ListFile]:
    """The handler's own zone lists that allow reliance on other zones' lists."""
    return [
        lf
        for lf in (law.lists.get(i) for i in ds.governing_lists)
        if lf.kind != "national" and lf.references_other_lists is not None
    ]


def _lighter(home: FlowDecision, there: FlowDecision) -> bool:
    if there.pathway == Pathway.undetermined:
        return False
    if home.pathway == Pathway.undetermined:
        return True
    return PATHWAY_RANK[there.pathway] < PATHWAY_RANK[home.pathway]


def _alternative_text(flow: FlowDecision, there: FlowDecision, list_ids: list[str], permit: ListFile) -> str:
    c = permit.references_other_lists
    assert c is not None
    home = flow.pathway.value + (f" (at least {flow.lower_bound.value})" if flow.lower_bound else "")
    tag = f" [{c.status}]" if c.status != "V" else ""
    return (
        f"{there.pathway.value} under {', '.join(list_ids)} instead of {home}: "
        f"{permit.id} lets its handlers rely on other zones' lists ({c}){tag}"
    )


def alternatives_for(home: DecisionSet, others: dict[str, DecisionSet], law: Law) -> DecisionSet:
    """`home` with `FlowDecision.alternatives` filled from the decisions under other zones."""
    permits = permitting_lists(law, home)
    if not permits:
        return home
    home_zone_lists = set(home.governing_lists)
    flows = []
    for i, f in enumerate(home.flows):
        alts = list(f.alternatives)
        for ds in others.values():
            there = ds.flows[i]
            regimes = sorted({it.regime for it in there.items})
            zone_lists = [
                r for r in regimes if r not in home_zone_lists and law.lists.get(r).kind == "negative_list"
            ]
            if not zone_lists or (len(zone_lists) != len(regimes) and _needs_national(there, regimes, law)):
                continue
            if _lighter(f, there):
                alts.append(_alternative_text(f, there, zone_lists, permits[0]))
        flows.append(f.model_copy(update={"alternatives": list(dict.fromkeys(alts))}))
    return home.model_copy(update={"flows": flows})


def _needs_national(there: FlowDecision, regimes: list[str], law: Law) -> bool:
    """True when part of the flow was decided by the national ladder (not by the other zone's list)
    in a way that is not an exemption the flow claims anyway."""
    return any(
        law.lists.get(it.regime).kind == "national" and it.pathway != Pathway.exempt for it in there.items
    )


def alternatives_from(
    decided: dict[str, DecisionSet], where: list[Placement], law: Law
) -> dict[str, DecisionSet]:
    """Fill alternatives for every placement from the others (used by `compare`)."""
    out = dict(decided)
    for p in where:
        if p.zone is None:
            continue
        others = {q.label: decided[q.label] for q in where if q.zone is not None and q.zone != p.zone}
        out[p.label] = alternatives_for(decided[p.label], others, law)
    return out


def cross_zone_alternatives(declaration: Declaration, law: Law, as_of: dt.date) -> DecisionSet:
    """Decide `declaration` where it is registered, with alternatives from every other zone."""
    from ftzlist.engine import decide

    home = decide(declaration, law, as_of)
    if declaration.handler.zone is None or not permitting_lists(law, home):
        return home
    others = {
        p.label: decide(place(declaration, p), law, as_of)
        for p in placements(law, as_of, None, declaration)
        if p.zone is not None and p.zone != declaration.handler.zone
    }
    return alternatives_for(home, others, law)
