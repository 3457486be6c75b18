"""Three-valued matching of one list item against one fact: True, False, or None (unknown).

A condition on a fact the declaration leaves unknown gives None and names the missing field; the
caller decides whether the unknown can change the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ftzlist.engine.facts import Fact
from ftzlist.law import Vocabulary
from ftzlist.law.reasons import message
from ftzlist.schema.common import DataClass
from ftzlist.schema.decision import Message
from ftzlist.schema.declaration import Handler
from ftzlist.schema.lists import Item


@dataclass
class Match:
    state: bool | None
    facts: dict[str, Any] = field(default_factory=dict)
    missing: list[tuple[str, Message]] = field(default_factory=list)  # (declaration field, why)
    reason: Message | None = None
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

    def fail(reason: Message, out_of_scope: bool = False) -> Match:
        m.state, m.reason, m.out_of_scope = False, reason, out_of_scope
        return m

    if item.data_class is not None:
        m.facts["data_class"] = fact.data_class.value
        if fact.data_class != item.data_class:
            return fail(
                message("cond.data_class", actual=fact.data_class.value, expected=item.data_class.value), True
            )

    def member(name: str, value: str | None, allowed: list[str], where: str, scope: bool = False) -> bool:
        """`value` must be one of `allowed`: unknown when not declared, a failure when outside."""
        m.facts[name] = value
        fact_name = name.rpartition(".")[2]
        if value is None:
            m.state = None
            m.missing.append((where, message("rule.needs_fact", rule=item.id, fact=fact_name)))
        elif value not in allowed:
            fail(message("cond.not_in", fact=fact_name, value=value, allowed=list(allowed)), scope)
            return False
        return True

    if item.sectors is not None and not member(
        "handler.sector", handler.sector, item.sectors, "handler.sector", True
    ):
        return m
    if item.scenarios is not None and not member(
        "flow.scenario", flow.scenario, item.scenarios, f"flows[{fact.flow_index}].scenario"
    ):
        return m
    if item.subjects is not None and not member("subject", d.subject, item.subjects, f"{fact.where}.subject"):
        return m
    if item.categories is not None:
        m.facts["category"] = d.category
        if not voc.covers(item.categories, d.category):
            return fail(message("cond.category", category=d.category, allowed=list(item.categories)))
    if item.sensitivity is not None:
        m.facts["sensitivity"] = fact.sensitivity.value if fact.sensitivity else None
        if fact.data_class == DataClass.personal_information and fact.sensitivity is None:
            m.state = None
            m.missing.append(
                (f"{fact.where}.sensitive", message("rule.needs_fact", rule=item.id, fact="sensitivity"))
            )
        elif fact.sensitivity != item.sensitivity:
            actual = fact.sensitivity.value if fact.sensitivity else "not_personal_information"
            return fail(message("cond.sensitivity", actual=actual, expected=item.sensitivity.value))
    if item.ciio is not None:
        m.facts["handler.ciio"] = handler.ciio
        if handler.ciio is None:
            m.state = None
            m.missing.append(("handler.ciio", message("rule.needs_fact", rule=item.id, fact="ciio")))
        elif handler.ciio != item.ciio:
            return fail(message("cond.ciio", ciio=handler.ciio))
    for marker in item.markers:
        value = getattr(d, marker)
        m.facts[marker] = value
        if not value:
            return fail(message("cond.marker", marker=marker))
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
                m.missing.append(
                    ("handler.holdings", message("rule.needs_fact", rule=item.id, fact="holdings"))
                )
            else:
                return fail(message("cond.holdings", thresholds={h.metric: h.min for h in item.holdings}))
    if m.state is None:
        m.reason = message("cond.unknown", rule=item.id, facts=[why.params["fact"] for _, why in m.missing])
    return m
