"""What a group run answers (`--format json` emits `GroupResult`)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionSet


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FlowRow(Out):
    """One flow of one entity, as the roll-ups see it."""

    entity: str
    flow_id: str
    recipient: str
    country: str
    pathway: Pathway
    lower_bound: Pathway | None = None
    persons: int | None = Field(description="Sum over the flow's data items; None if any is unknown.")
    persons_sensitive: int | None = Field(description="The same over its sensitive data items.")
    categories: list[str]


class Entity(Out):
    """One handler of the group, decided on its own."""

    key: str = Field(description="Short name used in the roll-ups (the declaration's file stem).")
    handler: str
    zone: str | None
    area: str | None
    source: str = Field(description="The declaration file.")
    flows: int
    by_pathway: dict[str, int]
    security_assessments: int
    standard_contracts: int = Field(
        description="Distinct recipients its contract flows go to: one contract each."
    )
    list_filings: int = Field(description="Flows with a zone list's filing or reporting duty.")
    undetermined: list[str]
    national_persons_non_sensitive: int | None = Field(description="The national handler-wide count.")
    national_persons_sensitive: int | None
    national_count_pathway: Pathway = Field(
        description="What the national count alone calls for; flows may need more (see by_pathway)."
    )
    strictest: Pathway = Field(description="The heaviest pathway any of its flows needs.")
    decision: DecisionSet


class GroupSummary(Out):
    entities: int
    flows: int
    by_pathway: dict[str, int]
    entities_needing_security_assessment: list[str]
    standard_contracts: int = Field(description="(entity, recipient) pairs with a contract flow.")
    list_filings: int
    undetermined: list[str] = Field(description="entity/flow of every undetermined flow.")
    zones: dict[str, list[str]] = Field(description="zone id (or 'none') -> entities registered there")


class RecipientRollup(Out):
    recipient: str
    country: str
    entities: list[str]
    flows: list[str] = Field(description="entity/flow")
    strictest: Pathway = Field(
        description="The heaviest pathway among its flows (undetermined: their lower bound)."
    )
    by_pathway: dict[str, int]
    contracts: list[str] = Field(description="Entities that need a standard contract with this recipient.")
    persons: int | None = Field(
        description="Sum over the group's flows to it: exposure, may count a person twice."
    )
    persons_sensitive: int | None
    categories: list[str]


class CountryRollup(Out):
    country: str
    recipients: list[str]
    entities: list[str]
    flows: int
    strictest: Pathway
    by_pathway: dict[str, int]
    persons: int | None
    persons_sensitive: int | None


class GroupResult(Out):
    name: str
    as_of: dt.date
    entities: list[Entity]
    summary: GroupSummary
    flows: list[FlowRow]
    by_recipient: list[RecipientRollup]
    by_country: list[CountryRollup]
    notes: list[str] = Field(default_factory=list)
