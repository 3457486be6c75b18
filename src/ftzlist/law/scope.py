"""Whether a list binds a handler, and whether the handler may rely on it yet (issue 17 §7).

A list's `scope` names the places it binds — its own zone (or some areas of it) and `places`
bound whole, each with every place `within` it (a city-wide edition binds the zone inside the
city too) — and whether it binds every sector (`sectors: all`, a category-based list) or only
the sectors its `sectors` entries name. A positive list with `filing_required` lightens a flow
only once the handler's filing of that list is recorded (`handler.filings`).

Each question answers True, False or None (a fact the declaration leaves unknown), with the
missing facts named as `Missing` entries for the decision.
"""

from __future__ import annotations

from ftzlist.law.vocabulary import Vocabulary
from ftzlist.schema.common import DataClass
from ftzlist.schema.decision import Missing, ObligationOut
from ftzlist.schema.declaration import Handler
from ftzlist.schema.lists import ListFile, Procedure


def enclosing(place: str, voc: Vocabulary) -> list[str]:
    """`place` and every place containing it, innermost first (`Zone.within`, followed upwards).

    A cycle in the vocabulary (rejected when it is loaded) ends the walk rather than looping."""
    out: list[str] = []
    cur: str | None = place
    while cur is not None and cur not in out:
        out.append(cur)
        zone = voc.zones.get(cur)
        cur = zone.within if zone is not None else None
    return out


def binds_place(lf: ListFile, handler: Handler, voc: Vocabulary) -> tuple[bool | None, list[Missing]]:
    """Whether `lf` binds a handler registered where `handler.zone`/`handler.area` say.

    True when the handler's place (or a place containing it) is one of `scope.places`, or is the
    list's own zone and, where the list binds only some areas, the handler's area is one of them.
    None (with the missing area named) when the list binds some areas of the handler's zone and
    the handler gives none. A nationwide list (`scope.zone` None) binds everyone; a handler with no
    zone is outside every zone list."""
    scope = lf.scope
    if scope.zone is None:
        return True, []
    if handler.zone is None:
        return False, []
    around = enclosing(handler.zone, voc)
    if any(p in scope.places for p in around):
        return True, []
    if scope.zone not in around:
        return False, []
    if scope.areas is None or scope.zone != handler.zone:
        return True, []
    if handler.area is None:
        return None, [Missing(field="handler.area", why=f"{lf.id} binds only areas {', '.join(scope.areas)}")]
    return handler.area in scope.areas, []


def scope_warnings(lf: ListFile, handler: Handler, voc: Vocabulary) -> list[str]:
    """What a decision says about how `lf` binds the handler, when that rests on an uncertain source:
    bound only through `scope.places` (the handler is not in the list's own zone) with a scope
    citation tagged [U] or [C]."""
    cite = lf.scope.citation
    if handler.zone is None or cite is None or cite.status not in ("U", "C"):
        return []
    around = enclosing(handler.zone, voc)
    via = [p for p in around if p in lf.scope.places]
    if not via or lf.scope.zone in around:  # bound through its own zone: nothing unsure to say
        return []
    note = f" ({cite.note})" if cite.note else ""
    return [
        f"{lf.id} binds this handler through its scope place {via[0]} (registered in {handler.zone}), "
        f"a scope resting on a source tagged [{cite.status}]{note}"
    ]


def lighter_parts(
    lf: ListFile, handler: Handler, scenario: str | None, data_class: DataClass, flow_index: int
) -> list[str]:
    """What a decision says when a positive list binding the handler has a part not encoded that
    could let this data flow more lightly (its sector and data class): the part is named and not
    applied — a positive list's gap never makes an answer lighter, and never undetermined either,
    since the rest of the law's answer stands until the part is encoded."""
    if lf.kind != "positive_list":
        return []
    state, _ = binds_sector(lf, handler, scenario, flow_index)
    if state is not True:
        return []
    after = " once its filing is recorded" if lf.filing_required is not None else ""
    return [
        f"{lf.id} binds this handler but its part {part.id} is not encoded: it may let this data flow "
        f"without the three formalities{after}; not applied, the answer stands without it"
        for part in lf.coverage.missing
        if part.affects_pathways
        and (part.sectors is None or handler.sector in part.sectors)
        and (part.data_classes is None or data_class in part.data_classes)
    ]


def bound_places(lf: ListFile, voc: Vocabulary) -> list[str]:
    """Every vocabulary place `lf` binds at least in part: its zone, its `places`, and every place
    within one of them (for placements: where a handler could be registered to be bound)."""
    if lf.scope.zone is None:
        return list(voc.zones)
    roots = {lf.scope.zone, *lf.scope.places}
    return [z for z in voc.zones if roots & set(enclosing(z, voc))]


def binds_sector(
    lf: ListFile, handler: Handler, scenario: str | None, flow_index: int
) -> tuple[bool | None, list[Missing]]:
    """Whether `lf` binds the handler's sector (and the flow's scenario) for one flow.

    `scope.sectors: all` binds every sector, declared or not. Otherwise the handler's sector must
    have an entry in `lf.sectors`; an entry naming enterprise types or scenarios binds only those.
    None, with the missing fact named, when the answer depends on a fact left unknown."""
    if lf.scope.sectors == "all":
        return True, []
    if handler.sector is None:
        return None, [Missing(field="handler.sector", why=f"{lf.id} binds handlers by sector")]
    entry = next((s for s in lf.sectors if s.sector == handler.sector), None)
    if entry is None:
        return False, []
    if entry.enterprise_types is not None:
        if handler.enterprise_type is None:
            why = f"{lf.id} binds only some enterprise types of {handler.sector}"
            return None, [Missing(field="handler.enterprise_type", why=why)]
        if handler.enterprise_type not in entry.enterprise_types:
            return False, []
    if entry.scenarios is not None:
        if scenario is None:
            why = f"{lf.id} covers only some scenarios of {handler.sector}"
            return None, [Missing(field=f"flows[{flow_index}].scenario", why=why)]
        if scenario not in entry.scenarios:
            return False, []
    return True, []


def filing_recorded(lf: ListFile, handler: Handler) -> bool:
    """True when `lf` may be relied on as far as filing goes: it needs no filing, or the handler's
    filing of this very list id is recorded (`handler.filings`; a list not named is not filed —
    the stricter reading, since relying on a list without the filing it needs is the costly error)."""
    return lf.filing_required is None or lf.id in handler.filings


def filing_procedure(lf: ListFile) -> Procedure:
    """The procedure that carries out `lf`'s required filing (the schema checks it exists)."""
    gate = lf.filing_required
    assert gate is not None, f"{lf.id} requires no filing"
    return next(p for p in lf.procedures if p.id == gate.procedure)


def filing_obligation(lf: ListFile) -> ObligationOut:
    """The duty to file before relying on `lf` (CBDF Art. 6 lists used through their zone's procedure)."""
    gate = lf.filing_required
    assert gate is not None, f"{lf.id} requires no filing"
    proc = filing_procedure(lf)
    return ObligationOut(
        id=f"{lf.id}:{proc.id}",
        pathway=None,
        text=proc.name,
        list_id=lf.id,
        rule_id=proc.id,
        procedure=proc.id,
        citation=gate.citation,
    )


def filing_warning(lf: ListFile, lighter: bool = True) -> str:
    """What a decision says when `lf` applies to the data but its filing is not recorded: the rest of
    the law decides until then; `lighter` says whether the list would have given a lighter answer
    (then the filing is a duty to rely on it, and the decision lists it as an obligation)."""
    gate = lf.filing_required
    assert gate is not None, f"{lf.id} requires no filing"
    text = (
        f"{lf.id} applies to this data, but its free flow starts only after the handler's filing of "
        f"the list ({gate.procedure}), which is not recorded (handler.filings): the rest of the law "
        + (
            "decides until then, and the filing is listed as an obligation"
            if lighter
            else "decides, and gives this answer without the list anyway"
        )
    )
    if gate.reading:
        text += f"; reading taken: {gate.reading}"
    if gate.status in ("U", "C"):
        text += f" [{gate.status}]"
    return text
