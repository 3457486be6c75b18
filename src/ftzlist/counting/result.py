"""What a count run produces. No raw identifier appears here: groups are shown by keyed-hash
prefixes and column labels only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from ftzlist.identifiers.masking import label

Label = Annotated[str, AfterValidator(label)]
"""A flow, data-item, subject or category value read from a log: identifier-shaped values masked
(a phone number in the flow column is still a phone number)."""


class Axes(BaseModel):
    """Distinct persons on each axis. A person with both sensitive and non-sensitive data counts on
    both axes; `any` counts each person once; `unknown` rows (sensitivity not determinable) are
    counted on both axes."""

    sensitive: int = 0
    non_sensitive: int = 0
    any: int = 0


class Breakdown(BaseModel):
    flow: Label | None = None
    data_item: Label | None = None
    subject: Label | None = None
    category: Label | None = None
    rows: int = 0
    persons: Axes = Field(default_factory=Axes, description="Counted (not set apart).")
    exempt_rows: int = 0
    exempt_persons: Axes = Field(
        default_factory=Axes, description="In rows set apart under an exemption ground."
    )


class Crossing(BaseModel):
    """One threshold (a list item's `persons.min`, or a watched figure) and when the cumulative
    count met it: for the handler (`flow` None), a flow, or a flow's data item."""

    list_id: str | None = Field(
        description="The list whose items set the threshold (the rule's list for a watch)."
    )
    group: str | None = Field(description="The items' group, or a watch's label.")
    sensitivity: str | None
    threshold: int
    items: list[str]
    flow: Label | None = Field(None, description="None: handler-wide.")
    data_item: Label | None = Field(None, description="Set for a flow's data item (the log's item column).")
    count: int = Field(description="Persons counted up to as_of for this threshold's rows.")
    crossed_on: dt.date | None = None
    projected_on: dt.date | None = Field(None, description="At the year-to-date daily rate; None = no rate.")
    projected_within_window: bool | None = None
    note: str | None = None


class OverrideUse(BaseModel):
    """A reviewed sensitivity override of the mapping (`items: {...: {sensitivity_override}}`) that
    decided the sensitivity of counted rows: the only way a sensitive category is counted as not
    sensitive, so every output names it."""

    data_item: str
    sensitive: bool
    reviewed_by: str
    reviewed_on: dt.date
    basis: str
    rows: int = Field(description="In-window rows whose sensitivity the override decided.")


class Suspicious(BaseModel):
    kind: str
    reason: str
    size: int
    identifiers: list[str] = Field(
        default_factory=list, description="Column label and hash prefix, at most 10."
    )


class ColumnQuality(BaseModel):
    label: str
    kind: str
    links: bool
    present: int | None = Field(None, description="Rows with a value (linking columns only).")
    valid: int | None = None
    invalid: int | None = Field(None, description="Rows whose value is invalid: it links nothing.")
    distinct_valid: int = 0
    distinct_invalid: int = 0


class Quality(BaseModel):
    files: list[str]
    rows_read: int = 0
    rows_in_window: int = 0
    rows_before_window: int = 0
    rows_after_as_of: int = 0
    first_row_on: dt.date | None = Field(None, description="Day of the first in-window export row.")
    sensitivity_raised_rows: int = Field(
        0,
        description="Rows claiming non_sensitive (own column or item tag) on a sensitive category: "
        "counted as sensitive (a claim may raise sensitivity, never lower it).",
    )
    identifiers: list[ColumnQuality] = Field(default_factory=list)
    rows_without_linking_identifier: int = 0
    linked_groups: int = Field(
        0, description="Persons whose records were joined through two or more identifiers."
    )
    doubtful_groups: int = Field(
        0, description="Groups not merged: conflicting resident IDs or above the size limit."
    )
    weak_attached_rows: int = 0
    shared_weak_values: int = 0


class Rule(BaseModel):
    list_id: str | None
    window: str
    excluded_exemptions: list[str] | None = Field(
        None, description="None = every exemption ground is set apart."
    )
    citation: str | None = None


class CountResult(BaseModel):
    as_of: dt.date
    window_start: dt.date
    rule: Rule
    totals: Axes
    exempt_totals: Axes
    by_flow: list[Breakdown]
    by_subject: list[Breakdown]
    by_item: list[Breakdown] = Field(
        description="Per flow and data item (the log's item column); with detail."
    )
    by_category: list[Breakdown] = Field(description="Per flow, category and subject type; with detail.")
    crossings: list[Crossing] = Field(description="Handler-wide, then per flow and per flow and data item.")
    watched: list[Crossing] = Field(default_factory=list, description="Thresholds the caller asked about.")
    sensitivity_overrides: list[OverrideUse] = Field(default_factory=list)
    suspicious: list[Suspicious]
    quality: Quality
    readings: list[str]
    run_id: str = Field(description="Hash of inputs (file names and sizes, mapping, as_of, lists): cite it.")
