"""What the engine answers: per flow the pathway, obligations, every rule checked, headroom and
what is missing; per handler the aggregate view. `--format json` emits `DecisionSet` and is the
stable machine interface (see docs/json-output.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.schema.common import Citation, Pathway, Status, Text


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Message(Out):
    """A reason, missing fact, warning, note or headroom line: a code and its parameters.

    The engine fills `code` and `params` through `ftzlist.law.reasons.message`, which also fills
    `text` (Chinese and English) from one catalogue (`ftzlist/law/reasons.yaml`); an edge says it in
    its language with `ftzlist.law.reasons.say`. Codes are stable within an interface version
    (docs/json-output.md lists them)."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)
    text: Text | None = Field(None, description="Chinese and English text; filled at output.")


class Check(Out):
    """One rule the engine evaluated, fired or not, with the facts it read."""

    list_id: str
    rule_id: str
    level: str
    pathway: Pathway | None
    outcome: Literal["fired", "not_fired", "unknown", "lifted", "overridden"]
    data_item: str | None = None
    citation: Citation
    status: Status = "V"
    facts: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field(description="The reason in English (= message.text.en when there is a message).")
    message: Message | None = Field(None, description="The reason as a code, its parameters and zh/en text.")


class ObligationOut(Out):
    id: str
    pathway: Pathway | None = None
    text: Text
    list_id: str
    rule_id: str
    procedure: str | None = None
    due: dt.date | None = Field(None, description="Deadline of a dated duty (e.g. a transition period).")
    citation: Citation


class Headroom(Out):
    """Distance to the next threshold on one person axis."""

    list_id: str
    group: str
    data_item: str | None
    persons: int
    current: Pathway
    next_threshold: int | None
    next_pathway: Pathway | None
    remaining: int | None
    label: str = Field(description="The line in English (= message.text.en when there is a message).")
    axis: str | None = Field(
        None,
        description="Which threshold: the person axis of the band group (sensitive, non_sensitive, "
        "personal_information) or the data class it measures (important_data, ...).",
    )
    message: Message | None = None


class Missing(Out):
    """A fact or list part that would settle an undetermined answer.

    `kind`: `fact`, a fact the user can state in the declaration (`field` names where), or `law`, a
    part of the law ftzlist has not encoded (`field` is `list <id>: <part>`), which no declaration
    can settle."""

    field: str
    why: str = Field(description="Why, in English (= message.text.en when there is a message).")
    kind: Literal["fact", "law"] = "fact"
    message: Message | None = Field(None, description="`why` as a code, its parameters and zh/en text.")


class ReadingOut(Out):
    """A reading a list takes where the text is open, named because this decision relies on it."""

    id: str
    list_id: str
    point: str
    text: Text


class Conflict(Out):
    rules: list[str]
    pathways: list[Pathway]
    resolution: str


class ItemDecision(Out):
    data_item: str
    category: str
    sensitive: bool | None
    persons: int | None
    pathway: Pathway
    regime: str = Field(description="List whose rules decided this item.")
    deciding_rules: list[str]


class ConditionBreach(Out):
    """A stated fact outside what one condition of an exemption ground allows."""

    condition: str = Field(description="Condition id in the list file, e.g. cbdf-art5-2.employees.")
    text: Text
    field: str = Field(description="Declaration field that holds the fact, e.g. flows[0].data[0].subject.")
    value: Any
    citation: Citation


class ExemptionClaim(Out):
    """The flow's claimed exemption ground and what became of it."""

    ground: str = Field(description="The ground claimed (flow.exemption).")
    rule_id: str | None = Field(None, description="The ground's id in the list; null if no list offers it.")
    list_id: str
    outcome: Literal["granted", "rejected", "open", "unavailable"] = Field(
        description="granted; rejected (a stated fact contradicts a condition); open (a needed fact is "
        "not stated: the flow is undetermined, at least its answer without the ground); unavailable "
        "(the list in force offers no such ground)."
    )
    contradictions: list[ConditionBreach] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Fields a condition needs stated.")
    citation: Citation | None = None


class NationalReference(Out):
    """The flow's answer under the national rules alone (the handler taken outside every zone): a
    point of reference beside an undetermined answer, never the answer itself."""

    list_id: str
    pathway: Pathway
    lower_bound: Pathway | None = None


class FlowDecision(Out):
    flow_id: str
    scenario: str | None
    pathway: Pathway
    lower_bound: Pathway | None = Field(None, description="When undetermined: the least it needs anyway.")
    upper_bound: Pathway | None = Field(
        None,
        description="When undetermined: the most it could turn out to need once the missing facts are known.",
    )
    items: list[ItemDecision]
    obligations: list[ObligationOut]
    checks: list[Check]
    headroom: list[Headroom]
    missing: list[Missing]
    conflicts: list[Conflict]
    warnings: list[str]
    alternatives: list[str] = Field(default_factory=list, description="Lighter lawful paths via other lists.")
    readings: list[ReadingOut] = Field(
        default_factory=list,
        description="Readings of open text this answer relies on (ids in the list files).",
    )
    exemption: ExemptionClaim | None = Field(None, description="The claimed ground and its outcome.")
    national_reference: NationalReference | None = Field(
        None,
        description="For an undetermined flow of a handler in a zone: the answer under the national "
        "rules alone, as a point of reference.",
    )


class HandlerTotals(Out):
    """The national aggregate: persons summed across the flows the national ladder decides.

    `pathway` is what the national ladder gives that handler-wide count *alone* (flows decided by a
    zone list, exempt flows and non-personal data are not in it): never the handler's answer.
    `flows_need` is the strictest pathway the handler's flows need (the lower bound of an
    undetermined flow; `flows_may_need_more` then says a flow may need more)."""

    persons_non_sensitive: int | None
    persons_sensitive: int | None
    excluded_exempt_flows: list[str]
    pathway: Pathway = Field(description="The national ladder's answer for the handler-wide count alone.")
    headroom: list[Headroom]
    flows_need: Pathway = Field(Pathway.exempt, description="The strictest pathway the flows need.")
    flows_may_need_more: bool = Field(
        False, description="An undetermined flow may need more than `flows_need`."
    )


class ListRef(Out):
    id: str
    family: str
    title: Text
    sha256: str
    coverage_complete: bool


class DecisionHeader(Out):
    """The part of a `DecisionSet` known before any flow is decided (the first line of
    `assess --format jsonl`)."""

    engine_version: str
    as_of: dt.date
    input_sha256: str
    lists: list[ListRef]
    handler: str
    governing_lists: list[str]


class DecisionTotals(Out):
    """The part of a `DecisionSet` known once every flow is decided (the last line of
    `assess --format jsonl`)."""

    handler_totals: HandlerTotals
    summary: dict[str, int]


class DecisionSet(Out):
    engine_version: str
    as_of: dt.date
    input_sha256: str
    lists: list[ListRef]
    handler: str
    governing_lists: list[str]
    flows: list[FlowDecision]
    handler_totals: HandlerTotals
    summary: dict[str, int]

    @property
    def determined(self) -> bool:
        return all(f.pathway != Pathway.undetermined for f in self.flows)
