"""Three-valued matching of one list item against one fact: True, False, or None (unknown).

A condition on a fact the declaration leaves unknown gives None and names the missing field; the
caller decides whether the unknown can change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ftzlist.engine.facts import Fact
from ftzlist.law import Vocabulary
from ftzlist.schema.common import DataClass
from ftzlist.schema.declaration import Handler
from ftzlist.schema.lists import Item


@dataclass
class Match:
    state: bool | None
    facts: dict[str, Any] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)
    reason: str = ""
    out_of_scope: bool = False  # failed on data class or sector: not a rule about this data at all


Signature = tuple[Any, ...]


def signature(fact: Fact) -> Signature:
    """Everything of `fact` that `match_item` reads, and nothing else (not the flow's or item's id,
    position, persons, recipient or purpose): facts with equal signatures match every item alike
    under one handler, except for the locations named in `Match.missing`. The engine judges each
    signature once per item (a declaration of 100,000 flows has a few hundred signatures);
    tests/engine/test_streaming.py checks that varying anything outside the signature changes no
    match. Keep it in step with `match_item`."""
    d = fact.data
    return (
        fact.data_class,
        fact.sensitivity,
        fact.flow.scenario,
        d.category,
        d.subject,
        d.important_data,
        d.core_data,
        d.export_controlled,
    )


def match_item(item: Item, fact: Fact, handler: Handler, voc: Vocabulary) -> Match:
    """Every condition of `item` except `persons` (persons are aggregated across facts)."""
    m = Match(True)
    d, flow = fact.data, fact.flow

    def fail(reason: str, out_of_scope: bool = False) -> Match:
        m.state, m.reason, m.out_of_scope = False, reason, out_of_scope
        return m

    if item.data_class is not None:
        m.facts["data_class"] = fact.data_class.value
        if fact.data_class != item.data_class:
            return fail(f"data is {fact.data_class.value}, the rule is about {item.data_class.value}", True)

    def member(
        name: str, value: str | None, allowed: list[str], where: str, why: str, scope: bool = False
    ) -> bool:
        """`value` must be one of `allowed`: unknown when not declared, a failure when outside."""
        m.facts[name] = value
        if value is None:
            m.state = None
            m.missing.append((where, f"rule {item.id} {why}"))
        elif value not in allowed:
            fail(f"{name.rpartition('.')[2]} {value} is not {', '.join(allowed)}", scope)
            return False
        return True

    if item.sectors is not None and not member(
        "handler.sector", handler.sector, item.sectors, "handler.sector", "applies only in some sectors", True
    ):
        return m
    if item.scenarios is not None and not member(
        "flow.scenario",
        flow.scenario,
        item.scenarios,
        f"flows[{fact.flow_index}].scenario",
        "is scenario-specific",
    ):
        return m
    if item.subjects is not None and not member(
        "subject", d.subject, item.subjects, f"{fact.where}.subject", "depends on whose data it is"
    ):
        return m
    if item.categories is not None:
        m.facts["category"] = d.category
        if not voc.covers(item.categories, d.category):
            return fail(f"category {d.category} is not under {', '.join(item.categories)}")
    if item.sensitivity is not None:
        m.facts["sensitivity"] = fact.sensitivity.value if fact.sensitivity else None
        if fact.data_class == DataClass.personal_information and fact.sensitivity is None:
            m.state = None
            m.missing.append(
                (f"{fact.where}.sensitive", f"rule {item.id} depends on whether the data is sensitive")
            )
        elif fact.sensitivity != item.sensitivity:
            return fail(
                f"data is {fact.sensitivity.value if fact.sensitivity else 'not PI'}, rule is about {item.sensitivity.value}"
            )
    if item.ciio is not None:
        m.facts["handler.ciio"] = handler.ciio
        if handler.ciio is None:
            m.state = None
            m.missing.append(("handler.ciio", f"rule {item.id} depends on CIIO status"))
        elif handler.ciio != item.ciio:
            return fail(f"handler {'is' if handler.ciio else 'is not'} a CIIO")
    for marker in item.markers:
        value = getattr(d, marker)
        m.facts[marker] = value
        if not value:
            return fail(f"data is not marked {marker}")
    if item.holdings:
        held = handler.holdings
        states: list[bool | None] = []
        for h in item.holdings:
            value = getattr(held, h.metric) if held else None
            m.facts[f"handler.holdings.{h.metric}"] = value
            states.append(None if value is None else value >= h.min)
        if not any(s is True for s in states):
            if any(s is None for s in states):
                m.state = None
                m.missing.append(("handler.holdings", f"rule {item.id} depends on what the handler holds"))
            else:
                return fail("holdings are below every threshold of the rule")
    if m.state is None:
        m.reason = "unknown: " + "; ".join(why for _, why in m.missing)
    return m
