"""An exemption claim judged against its ground's conditions (CBDF Arts. 3, 4, 5(1)-(3)).

A flow names the ground it claims (`flow.exemption`); the national list in force says which grounds
exist and what each requires (`Exemption.conditions`). The claim is:

- *granted* when every condition holds on the facts stated;
- *rejected* when a stated fact contradicts a condition (the flow is decided without the ground, and
  the decision warns naming the ground, the condition, the fact and the citation), or when no list
  in force offers the ground at all (e.g. an Art. 5 ground under the earlier national rules);
- *open* when a fact a condition needs is not stated: the flow is then `undetermined`, its lower
  bound the answer without the ground, and the fact is named as missing.

A contradiction outweighs a missing fact: the ground cannot apply whatever the missing fact is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ftzlist.engine.facts import Fact
from ftzlist.law import Vocabulary
from ftzlist.law.reasons import message
from ftzlist.schema.common import DataClass
from ftzlist.schema.decision import ConditionBreach, ExemptionClaim, Message, Missing
from ftzlist.schema.declaration import Flow, Handler
from ftzlist.schema.lists import Exemption, GroundCondition, ListFile


@dataclass(frozen=True)
class Contradiction:
    """A stated fact outside what one condition of the ground allows."""

    condition: GroundCondition
    where: str
    fact: str
    value: Any

    def sentence(self) -> str:
        c = self.condition
        return (
            f"condition {c.id} ({c.text.en}; {c.citation.text('en')}) is contradicted by "
            f"{self.where} = {self.value}"
        )

    def said(self) -> dict[str, str]:
        """The sentence in both languages, `{"zh": ..., "en": ...}` (a message parameter)."""
        c = self.condition
        zh = f"条件 {c.id}({c.text.zh};{c.citation.text('zh')})与 {self.where} = {self.value} 不符"
        return {"zh": zh, "en": self.sentence()}


@dataclass
class Claim:
    """The judgement of one flow's exemption claim.

    `state`: True granted, False rejected, None open (a needed fact is not stated). `exemption` is
    None when no ground of that name is offered by the list in force (`available` False)."""

    ground: str
    list_id: str
    exemption: Exemption | None
    state: bool | None
    contradictions: list[Contradiction] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    offered_by: list[str] = field(default_factory=list)
    asserted: list[tuple[GroundCondition, str, str]] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.exemption is not None

    def reason(self) -> str:
        """One line for the check's `reason` (English; `message()` has both languages)."""
        return self.message().text.en  # type: ignore[union-attr]

    def message(self) -> Message:
        """The check's reason as a code and its parameters (law/reasons.yaml)."""
        if self.exemption is None:
            return message("exemption.unavailable", ground=self.ground, list=self.list_id)
        if self.contradictions:
            return message("exemption.contradicted", breaches=[c.said() for c in self.contradictions])
        if self.missing:
            return message("exemption.not_stated", fields=[m.field for m in self.missing])
        return message("cond.hold")

    def out(self) -> ExemptionClaim:
        """The claim as the decision reports it (JSON `flows[].exemption`)."""
        ex = self.exemption
        outcome = (
            "unavailable" if ex is None else {True: "granted", False: "rejected", None: "open"}[self.state]
        )
        return ExemptionClaim(
            ground=self.ground,
            rule_id=ex.id if ex else None,
            list_id=self.list_id,
            outcome=outcome,  # type: ignore[arg-type]
            contradictions=[
                ConditionBreach(
                    condition=c.condition.id,
                    text=c.condition.text,
                    field=c.where,
                    value=c.value,
                    citation=c.condition.citation,
                )
                for c in self.contradictions
            ],
            missing=[m.field for m in self.missing],
            citation=ex.citation if ex else None,
        )

    def warnings(self, as_of: str) -> list[str]:
        """What the decision must say about a claim it does not grant."""
        if self.exemption is None:
            where = (
                f" (the ground is offered by {', '.join(self.offered_by)}, not in force then)"
                if self.offered_by
                else ""
            )
            return [
                f"exemption {self.ground} claimed but not granted: {self.list_id}, in force on {as_of}, "
                f"offers no such ground{where}; the flow is decided without it"
            ]
        ex = self.exemption
        head = f"exemption {self.ground} ({ex.citation.text('en')}) claimed but not granted"
        if self.contradictions:
            return [f"{head}: {c.sentence()}; the flow is decided without it" for c in self.contradictions]
        if self.missing:
            fields = ", ".join(m.field for m in self.missing)
            return [
                f"{head} yet: {fields} not stated; the flow is undetermined, at least what it needs "
                f"without the ground, until the fact is stated"
            ]
        return self.granted_notes()

    def granted_notes(self) -> list[str]:
        """What a granted claim rests on beyond the facts stated: the ground's reading (what the
        claim is taken to assert, for which the declaration has no field) and each condition met
        only by that assertion or by a fact read from another (issue 10 §5: no reading taken
        silently). Empty unless the claim is granted."""
        ex = self.exemption
        if ex is None or self.state is not True:
            return []
        head = f"exemption {self.ground} ({ex.citation.text('en')}) granted on the claim"
        notes = [f"{head}: reading taken in {ex.id}: {ex.reading}" if ex.reading else f"{head}"]
        for cond, where, how in self.asserted:
            why = f" ({cond.reading})" if cond.reading else ""
            notes.append(f"{head}: condition {cond.id} ({cond.text.en}): {where} {how}{why}")
        return notes


def judge_claim(
    flow_index: int,
    flow: Flow,
    facts: Iterable[Fact],
    handler: Handler,
    national: ListFile,
    voc: Vocabulary,
    all_lists: Iterable[ListFile] = (),
) -> Claim | None:
    """Judge `flow`'s claimed ground under `national` (the national list in force). None when the
    flow claims no ground. `all_lists` lets a rejection for an unavailable ground name the lists
    that do offer it."""
    if flow.exemption is None:
        return None
    ex = next((e for e in national.exemptions if e.ground == flow.exemption), None)
    if ex is None:
        offered = sorted(lf.id for lf in all_lists if any(e.ground == flow.exemption for e in lf.exemptions))
        return Claim(flow.exemption, national.id, None, False, offered_by=offered)
    claim = Claim(flow.exemption, national.id, ex, True)
    facts = list(facts)
    for cond in ex.conditions:
        _test(cond, flow_index, flow, facts, handler, voc, claim)
    if claim.contradictions:
        claim.state = False
        claim.missing = []
    elif claim.missing:
        claim.state = None
    return claim


def _test(
    cond: GroundCondition,
    flow_index: int,
    flow: Flow,
    facts: list[Fact],
    handler: Handler,
    voc: Vocabulary,
    claim: Claim,
) -> None:
    def contradicted(where: str, fact: str, value: Any) -> None:
        claim.contradictions.append(Contradiction(cond, where, fact, value))

    def needs(where: str, fact: str) -> None:
        if cond.if_unstated == "asserted_by_claim":
            claim.asserted.append((cond, where, f"not stated: the {fact} is taken from the claim"))
            return
        claim.missing.append(
            Missing(
                field=where,
                why=f"exemption {claim.ground}: condition {cond.id} ({cond.text.en}; "
                f"{cond.citation.text('en')}) needs the {fact}",
            )
        )

    if cond.ciio is not None:
        if handler.ciio is None:
            needs("handler.ciio", "CIIO status")
        elif handler.ciio != cond.ciio:
            contradicted("handler.ciio", "CIIO status", handler.ciio)
    tested = [f for f in facts if cond.about == "all_data" or f.data_class == DataClass.personal_information]
    if cond.scenarios is not None and tested:
        where = f"flows[{flow_index}].scenario"
        if flow.scenario is None:
            needs(where, "scenario")
        elif flow.scenario not in cond.scenarios:
            contradicted(where, "scenario", flow.scenario)
    for f in tested:
        d = f.data
        if cond.data_classes is not None and f.data_class not in cond.data_classes:
            contradicted(f"{f.where}.category", "data class", f"{d.category} ({f.data_class.value})")
        if cond.categories is not None and not voc.covers(cond.categories, d.category):
            contradicted(f"{f.where}.category", "category", d.category)
        for marker in cond.without_markers:
            if getattr(d, marker):
                contradicted(f"{f.where}.{marker}", marker, True)
        if cond.subjects is not None:
            if d.subject is None:
                if not (cond.subject_implied_by and voc.covers(cond.subject_implied_by, d.category)):
                    needs(f"{f.where}.subject", "subject type")
                else:
                    how = f"not stated: read from the category {d.category}"
                    claim.asserted.append((cond, f"{f.where}.subject", how))
            elif d.subject not in cond.subjects:
                contradicted(f"{f.where}.subject", "subject type", d.subject)
