"""What a handler declares: who it is and what it sends abroad.

Unknown facts stay `None` (unknown is not false): the engine then answers `undetermined` and names
the fact. Cross-references (category, scenario, zone ids) are checked against the vocabularies by
`ftzlist.loader`, which can name the nearest valid ids.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

from pydantic import Field, StrictInt, field_validator, model_validator

from ftzlist.schema.common import Id, Sensitivity, Strict


class Holdings(Strict):
    """What the handler holds in China (not what it exports), for important-data reference rules."""

    persons_pi: StrictInt | None = Field(
        None, ge=0, description="Persons whose personal information it holds."
    )
    persons_sensitive: StrictInt | None = Field(None, ge=0)
    persons_sensitive_accounts_or_medical: StrictInt | None = Field(
        None, ge=0, description="Persons whose bank/insurance/registered accounts or diagnosis data it holds."
    )


class Handler(Strict):
    name: str = Field(min_length=1)
    uscc: str | None = Field(None, description="Unified social credit code (GB 32100), validated.")
    zone: Id | None = Field(None, description="Zone of registration; None = outside every zone.")
    area: Id | None = None
    sector: Id | None = None
    enterprise_type: Id | None = None
    ciio: bool | None = Field(None, description="Critical information infrastructure operator.")
    holdings: Holdings | None = None
    penalties_past_2y: list[str] | None = Field(None, description="Penalties or investigations; [] = none.")
    filings: list[Id] = Field(
        default_factory=list,
        description="Lists whose filing by this handler is recorded (list ids), for lists relied on only "
        "after a filing (`filing_required`); a list not named here is read as not filed.",
    )

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, v: str | None) -> str | None:
        if v is None:
            return v
        from ftzlist.errors import InputError
        from ftzlist.identifiers.uscc import validate_uscc

        try:
            return validate_uscc(v)
        except InputError as exc:
            raise ValueError(str(exc)) from None


class Recipient(Strict):
    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2.")


class SensitivityOverride(Strict):
    """A reviewed decision that data of a sensitive category is not sensitive here (or the reverse).

    The only way to lower a category's PIPL Art. 28 sensitivity: a person reviewed it, on a date,
    on a stated basis. Every output that shows the data item names the override."""

    sensitive: bool = Field(description="What the data is treated as, against its category.")
    reviewed_by: str = Field(min_length=1, description="Who reviewed and approved the override.")
    reviewed_on: dt.date
    basis: str = Field(min_length=1, description="Why: the reading or source relied on (cite it).")


class DataItem(Strict):
    """One kind of data in a flow, about one kind of person."""

    id: Id | None = None
    category: Id = Field(description="Taxonomy id; sensitivity follows from it unless stated.")
    subject: Id | None = Field(None, description="Subject type id; None = not stated.")
    sensitive: bool | None = Field(
        None,
        description="True makes the data sensitive; False only settles a category whose sensitivity is "
        "open (a parent with sensitive children). It never lowers a sensitive category: that takes "
        "`sensitivity_override`. None = follow the category (PIPL Art. 28).",
    )
    persons: StrictInt | None = Field(None, ge=0, description="De-duplicated persons, cumulative this year.")
    records: StrictInt | None = Field(None, ge=0)
    important_data: bool = Field(False, description="Notified or published as important data (CBDF Art. 2).")
    core_data: bool = Field(False, description="National core data (Data Security Law Art. 21).")
    export_controlled: bool = Field(False, description="Technical data on export-controlled items.")
    cleared: list[Id] = Field(default_factory=list, description="Clearances held, e.g. hgr_cleared.")
    anonymised: bool = False
    suggested: bool = Field(False, description="Drafted by `ftzlist scan`, not yet reviewed by a person.")
    persons_source: str | None = Field(
        None, description="Where the persons figure comes from (e.g. a count run)."
    )
    same_persons_as: Id | None = Field(
        None,
        description="Id of another data item of this flow whose persons include every person of this "
        "one (e.g. the phone numbers of the account holders): counted once wherever both count toward "
        "one band. Without it, items are summed.",
    )


class Flow(Strict):
    id: Id
    scenario: Id | None = Field(None, description="Scenario id, e.g. pharma.pharmacovigilance.")
    recipient: Recipient
    purpose: str = Field(min_length=1)
    exemption: Id | None = Field(None, description="Exemption ground claimed, e.g. contract_necessity.")
    data: list[DataItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_item_ids(self) -> Flow:
        ids = [d.id for d in self.data if d.id]
        if len(ids) != len(set(ids)):
            raise ValueError(f"flow {self.id}: data item ids repeat")
        by_id = {d.id: d for d in self.data if d.id}
        for i, d in enumerate(self.data):
            ref = d.same_persons_as
            if ref is None:
                continue
            where = f"flow {self.id}, data[{i}].same_persons_as"
            other = by_id.get(ref)
            if other is None or other is d:
                raise ValueError(f"{where}: '{ref}' must be the id of another data item of this flow")
            if other.same_persons_as is not None:
                raise ValueError(
                    f"{where}: '{ref}' itself names same_persons_as; name the item holding every person"
                )
            if d.persons is not None and other.persons is not None and d.persons > other.persons:
                raise ValueError(
                    f"{where}: {d.persons} persons cannot all be among the {other.persons} of '{ref}'"
                )
        return self


class Declaration(Strict):
    version: Literal[1] = 1
    as_of: dt.date | None = Field(None, description="Assessment date; the CLI's --as-of overrides it.")
    handler: Handler
    flows: list[Flow] = Field(min_length=1)

    def suggested_items(self) -> list[str]:
        """Data items drafted by `ftzlist scan` that no person has confirmed yet."""
        return [f"{f.id}/{d.id or i}" for f in self.flows for i, d in enumerate(f.data) if d.suggested]

    @model_validator(mode="after")
    def _unique_flow_ids(self) -> Declaration:
        dupes = sorted(i for i, n in Counter(f.id for f in self.flows).items() if n > 1)
        if dupes:
            raise ValueError(f"flow ids repeat: {', '.join(dupes)}")
        return self


__all__ = [
    "DataItem",
    "Declaration",
    "Flow",
    "Handler",
    "Holdings",
    "Recipient",
    "Sensitivity",
    "SensitivityOverride",
]
