"""One flow judged under two readings of the facts or of the law, made into one answer.

Two choices the declaration or the sources leave open are decided by judging the flow both ways:

- a fact that decides whether a list binds the handler (area, sector, enterprise type, scenario)
  is not given (issue 10 §3): `binding` gives `undetermined` between the two answers, naming the
  fact, with both bounds -- or the one answer when both ways agree;
- the sources give two first days in force for a list (`ListFile.effective_from_dates`, issue 10
  §5): `disputed` gives the stricter of "in force" and "not yet in force" (or `undetermined` when
  either is), naming the list's `first_day` reading.

Pure functions on `FlowDecision`s; the engine (`ftzlist.engine.decide`) runs the judgements.
"""

from __future__ import annotations

from collections.abc import Iterable

from ftzlist.schema.common import PATHWAY_LABEL, PATHWAY_RANK, Pathway
from ftzlist.schema.decision import FlowDecision, ItemDecision, Missing, ReadingOut

_RANKED = {rank: p for p, rank in PATHWAY_RANK.items()}


def _low(fd: FlowDecision) -> int:
    """Rank of the least the flow needs (-1: nothing known)."""
    p = fd.lower_bound if fd.pathway == Pathway.undetermined else fd.pathway
    return -1 if p is None else PATHWAY_RANK[p]


def _high(fd: FlowDecision) -> int:
    """Rank of the most the flow could need."""
    if fd.pathway != Pathway.undetermined:
        return PATHWAY_RANK[fd.pathway]
    up = fd.upper_bound or Pathway.security_assessment
    return PATHWAY_RANK[up]


def _label(fd: FlowDecision) -> str:
    if fd.pathway != Pathway.undetermined:
        return PATHWAY_LABEL[fd.pathway]
    lo = PATHWAY_LABEL[fd.lower_bound] if fd.lower_bound else "nothing known"
    hi = PATHWAY_LABEL[fd.upper_bound] if fd.upper_bound else "unknown"
    return f"undetermined ({lo} to {hi})"


def _union(*lists: Iterable, key) -> list:  # type: ignore[no-untyped-def]
    out: dict = {}
    for seq in lists:
        for x in seq:
            out.setdefault(key(x), x)
    return list(out.values())


def _items(base: FlowDecision, other: FlowDecision) -> list[ItemDecision]:
    """`base`'s items; an item the two judgements answer differently is undetermined."""
    theirs = {it.data_item: it for it in other.items}
    out = []
    for it in base.items:
        o = theirs.get(it.data_item)
        if o is not None and o.pathway != it.pathway:
            it = it.model_copy(update={"pathway": Pathway.undetermined})
        out.append(it)
    return out


def _undetermined(
    a: FlowDecision, b: FlowDecision, lower: int, upper: int, missing: list[Missing], note: str
) -> FlowDecision:
    base = b if _high(b) >= _high(a) else a
    other = a if base is b else b
    return base.model_copy(
        update={
            "pathway": Pathway.undetermined,
            "lower_bound": _RANKED.get(lower),
            "upper_bound": _RANKED.get(upper),
            "items": _items(base, other),
            "missing": _union(missing, base.missing, other.missing, key=lambda m: (m.field, m.why)),
            "obligations": _union(base.obligations, other.obligations, key=lambda o: o.id),
            "checks": _union(
                base.checks, other.checks, key=lambda c: (c.list_id, c.rule_id, c.data_item, c.outcome)
            ),
            "warnings": list(dict.fromkeys([*base.warnings, *other.warnings, note])),
            "readings": _union(base.readings, other.readings, key=lambda r: r.id),
        }
    )


def binding(
    unbound: FlowDecision, bound: FlowDecision, deciding: list[Missing], list_ids: list[str]
) -> FlowDecision:
    """`unbound`: the lists `list_ids`, whose binding turns on a missing fact, taken not to bind;
    `bound`: taken to bind. `deciding`: the missing facts. Undetermined between the two when the
    answers differ; when they agree, the answer, with a note of the list duties that may attach."""
    lists = ", ".join(list_ids)
    fields = ", ".join(dict.fromkeys(m.field for m in deciding))
    same_path = unbound.pathway == bound.pathway != Pathway.undetermined
    if same_path:
        extra = sorted({o.id for o in bound.obligations} - {o.id for o in unbound.obligations})
        note = (
            f"whether {lists} binds the handler turns on {fields} (not given); "
            f"{PATHWAY_LABEL[unbound.pathway]} either way"
        )
        if extra:
            note += f"; if it binds, its duties apply too: {', '.join(extra)}"
        return unbound.model_copy(update={"warnings": list(dict.fromkeys([*unbound.warnings, note]))})
    note = (
        f"whether {lists} binds the handler turns on {fields} (not given): if it binds, "
        f"{_label(bound)}; if not, {_label(unbound)}"
    )
    lower = min(_low(unbound), _low(bound))
    upper = max(_high(unbound), _high(bound))
    return _undetermined(unbound, bound, lower, upper, deciding, note)


def disputed(without: FlowDecision, with_: FlowDecision, readings: list[ReadingOut]) -> FlowDecision:
    """`without`: lists of a disputed first day taken as not yet in force; `with_`: as in force.
    The stricter answer (the in-force one on a tie: it carries the list's duties), or undetermined
    when either is; the lists' `first_day` readings are named."""
    ids = ", ".join(r.list_id for r in readings)
    differ = without.pathway != with_.pathway or {o.id for o in without.obligations} != {
        o.id for o in with_.obligations
    }
    warn = [f"reading {r.id} ({r.list_id}): {r.text.en}" for r in readings]
    if not differ:
        if with_.warnings == without.warnings:
            return with_
        # same answer, but a note depends on the list being in force: name the reading
        return with_.model_copy(
            update={
                "readings": _union(with_.readings, readings, key=lambda r: r.id),
                "warnings": list(dict.fromkeys([*with_.warnings, *warn])),
            }
        )
    note = (
        f"sources give two first days for {ids}: in force, {_label(with_)}; not yet in force, "
        f"{_label(without)}; the stricter is given"
    )
    if Pathway.undetermined in (without.pathway, with_.pathway):
        lower = max(_low(without), _low(with_))
        upper = max(_high(without), _high(with_))
        fd = _undetermined(without, with_, lower, upper, [], note)
    else:
        chosen = with_ if PATHWAY_RANK[with_.pathway] >= PATHWAY_RANK[without.pathway] else without
        fd = chosen.model_copy(update={"warnings": list(dict.fromkeys([*chosen.warnings, note]))})
    return fd.model_copy(
        update={
            "readings": _union(fd.readings, readings, key=lambda r: r.id),
            "warnings": list(dict.fromkeys([*fd.warnings, *warn])),
        }
    )
