"""Where a handler could be registered: the national baseline (no zone) and each zone, or each
group of areas a zone's lists bind differently. Nothing here knows a zone by name: placements come
from the vocabulary and the lists in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.errors import InputError
from ftzlist.law import Law, nearest
from ftzlist.law.scope import bound_places
from ftzlist.schema.declaration import Declaration


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placement(Out):
    """Where the handler is imagined registered: a zone and area, or None for no zone at all."""

    zone: str | None
    area: str | None = None
    label: str
    lists: list[str] = Field(default_factory=list, description="Zone lists in force there on the day.")


NATIONAL = "national"


def _label(zone: str | None, area: str | None) -> str:
    if zone is None:
        return NATIONAL
    return f"{zone}/{area}" if area else zone


def placements(
    law: Law, as_of: dt.date, zones: Iterable[str] | None, own: Declaration | None = None
) -> list[Placement]:
    """The national baseline plus one placement per zone, or one per area where a list binds only
    some areas of its zone (plus one for the rest of the zone). A place beyond the zones (a city or
    park some edition binds, issue 17 §7) is placed when asked for, or by default when a list in
    force binds it; a list binds a place when it is its zone, one of its `scope.places`, or within one."""
    voc = law.vocabulary
    wanted = list(voc.zones) if zones is None else list(zones)
    for z in wanted:
        if z not in voc.zones:
            raise InputError(f"--zones: unknown zone '{z}'{nearest(z, voc.zones)}")
    out = [Placement(zone=None, label=NATIONAL)]
    in_force = [lf for lf in law.lists.in_force(as_of) if lf.kind != "national"]
    for z in wanted:
        mine = [lf for lf in in_force if z in bound_places(lf, voc)]
        if zones is None and voc.zones[z].kind in ("city", "park") and not mine:
            continue  # a place beyond the zones, bound by no list that day: the national column
        if not any(lf.scope.areas and lf.scope.zone == z for lf in mine):
            own_area = own.handler.area if own is not None and own.handler.zone == z else None
            out.append(Placement(zone=z, area=own_area, label=z, lists=[lf.id for lf in mine]))
            continue
        # one placement per distinct set of binding lists; areas bound alike are one placement
        groups: dict[tuple[str, ...], list[str]] = {}
        for a in [x.id for x in voc.zones[z].areas]:
            bound = tuple(
                lf.id for lf in mine if lf.scope.areas is None or lf.scope.zone != z or a in lf.scope.areas
            )
            groups.setdefault(bound, []).append(a)
        for bound, areas in groups.items():
            label = z if len(groups) == 1 else _label(z, areas[0])
            out.append(Placement(zone=z, area=areas[0], label=label, lists=list(bound)))
    return out


def place(decl: Declaration, p: Placement) -> Declaration:
    handler = decl.handler.model_copy(update={"zone": p.zone, "area": p.area})
    return decl.model_copy(update={"handler": handler})
