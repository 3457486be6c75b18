"""Cross-zone reference: a list may let its handlers rely on other zones' lists (Fujian measures
Art. 22; the later Beijing and Shanghai editions). Where it does, a flow that another zone's list
would let through more lightly gets an alternative naming that list and the permission.

Implemented over the engine's outputs: decide under each other zone, keep a flow's answer there
only when that zone's own list decided it (not the national ladder) and it is lighter than, or
settles, the answer at home. Under another zone only the flows some of whose data that zone's
lists govern are decided (no other flow can be decided there by a zone list), and only the flows
that need more than the lightest pathway at home: tests/engine/test_streaming.py holds the result
equal to deciding the whole declaration under every zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from ftzlist.compare.placements import Placement, place, placements
from ftzlist.engine.decide import Checks
from ftzlist.engine.stream import Assessment
from ftzlist.law import Law
from ftzlist.schema.common import PATHWAY_RANK, Pathway
from ftzlist.schema.decision import DecisionHeader, DecisionSet, FlowDecision
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile


def permitting_lists(law: Law, ds: DecisionSet | DecisionHeader) -> list[ListFile]:
    """The handler's own zone lists that allow reliance on other zones' lists."""
    return [
        lf
        for lf in (law.lists.get(i) for i in ds.governing_lists)
        if lf.kind != "national" and lf.references_other_lists is not None
    ]


Elsewhere = tuple[Pathway, list[str]]
"""A flow's pathway under another zone, and the lists of that zone that decided it."""

LIGHTEST = min(PATHWAY_RANK.values())


def _lighter(home: FlowDecision, there: Pathway) -> bool:
    if there == Pathway.undetermined:
        return False
    if home.pathway == Pathway.undetermined:
        return True
    return PATHWAY_RANK[there] < PATHWAY_RANK[home.pathway]


def _alternative_text(flow: FlowDecision, there: Pathway, list_ids: list[str], permit: ListFile) -> str:
    c = permit.references_other_lists
    assert c is not None
    home = flow.pathway.value + (f" (at least {flow.lower_bound.value})" if flow.lower_bound else "")
    tag = f" [{c.status}]" if c.status != "V" else ""
    return (
        f"{there.value} under {', '.join(list_ids)} instead of {home}: "
        f"{permit.id} lets its handlers rely on other zones' lists ({c}){tag}"
    )


def _decided_by_zone(there: FlowDecision, home_zone_lists: set[str], law: Law) -> Elsewhere | None:
    """`there`'s pathway when another zone's own lists decided the flow (not the national ladder,
    bar the flow's exemptions), with those lists; None otherwise."""
    regimes = sorted({it.regime for it in there.items})
    zone_lists = [r for r in regimes if r not in home_zone_lists and law.lists.get(r).kind == "negative_list"]
    if not zone_lists or (len(zone_lists) != len(regimes) and _needs_national(there, regimes, law)):
        return None
    return there.pathway, zone_lists


def with_alternatives(flow: FlowDecision, found: Iterable[Elsewhere], permit: ListFile) -> FlowDecision:
    """`flow` with an alternative for each answer elsewhere that is lighter than, or settles, its own."""
    alts = list(flow.alternatives) + [
        _alternative_text(flow, there, ids, permit) for there, ids in found if _lighter(flow, there)
    ]
    return flow.model_copy(update={"alternatives": list(dict.fromkeys(alts))})


def alternatives_for(home: DecisionSet, others: dict[str, DecisionSet], law: Law) -> DecisionSet:
    """`home` with `FlowDecision.alternatives` filled from the decisions under other zones."""
    permits = permitting_lists(law, home)
    if not permits:
        return home
    home_zone_lists = set(home.governing_lists)
    flows = []
    for i, f in enumerate(home.flows):
        found = [_decided_by_zone(ds.flows[i], home_zone_lists, law) for ds in others.values()]
        flows.append(with_alternatives(f, [x for x in found if x], permits[0]))
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


def decided_elsewhere(
    declaration: Declaration,
    law: Law,
    as_of: dt.date,
    home_lists: Iterable[str],
    wanted: Iterable[int] | None = None,
    like: Assessment | None = None,
) -> dict[int, list[Elsewhere]]:
    """Per flow index (of `wanted`, default all), its answers under every other zone whose own
    lists decided it, in placement order. Under each zone only the flows some of whose data a
    list of that zone (not one of `home_lists`) governs are decided; memory: one zone's shared
    tables at a time and two small values per answer kept. `like`: an assessment of the same flows
    (at home) whose resolved data items are reused."""
    home = set(home_lists)
    indexes = range(len(declaration.flows)) if wanted is None else sorted(set(wanted))
    out: dict[int, list[Elsewhere]] = defaultdict(list)
    first = like
    for p in placements(law, as_of, None, declaration):
        if p.zone is None or p.zone == declaration.handler.zone:
            continue
        # the lists that can govern data there are among the zone's lists in force (`p.lists`)
        if not any(_zone_list(law, i, home) for i in p.lists):
            continue
        there = Assessment(place(declaration, p), law, as_of, checks="fired", like=first)
        first = first or there
        alike: dict[tuple, Elsewhere | None] = {}  # flows decided alike are decided once
        for i in indexes:
            if any(_zone_list(law, r, home) for r in there.governed_by(i)):
                key = there.flow_class(i)
                if key not in alike:
                    alike[key] = _decided_by_zone(there.flow(i), home, law)
                if alike[key]:
                    out[i].append(alike[key])  # type: ignore[arg-type]
    return dict(out)


def _zone_list(law: Law, list_id: str, home: set[str]) -> bool:
    return list_id not in home and law.lists.get(list_id).kind == "negative_list"


def cross_zone_alternatives(
    declaration: Declaration, law: Law, as_of: dt.date, checks: Checks = "all"
) -> DecisionSet:
    """Decide `declaration` where it is registered, with alternatives from every other zone.

    Equal to `alternatives_for(home, {zone: decide(placed there)...}, law)`; only the flows that
    need more than the lightest pathway at home are decided elsewhere (`decided_elsewhere`).
    `checks` as for `decide`."""
    from ftzlist.engine import decide

    home = decide(declaration, law, as_of, checks)
    permits = permitting_lists(law, home)
    if declaration.handler.zone is None or not permits:
        return home
    wanted = [i for i, f in enumerate(home.flows) if PATHWAY_RANK.get(f.pathway, LIGHTEST + 1) > LIGHTEST]
    found = decided_elsewhere(declaration, law, as_of, home.governing_lists, wanted)
    flows = [
        with_alternatives(f, found[i], permits[0]) if i in found else f for i, f in enumerate(home.flows)
    ]
    return home.model_copy(update={"flows": flows})
