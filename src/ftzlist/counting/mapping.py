"""The mapping file: which columns of an export log mean what.

A log is any table with one row per exported record (or per person per export). The mapping names
the export-date column, the flow, the data item or subject type, each identifier column, the
sensitivity (a column, or data-item tags it follows from) and any exemption ground. Unknown keys
are errors (`Strict`), so a typo is caught before a count is run.

Example::

    version: 1
    date: {column: exported_at}                     # ISO dates or timestamps; or format: "%d/%m/%Y"
    flow: {column: flow}                            # or {value: crm-to-hq} for a one-flow log
    data_item: {column: item}
    subject: {column: subject_type}
    category: {column: category}
    scenario: {column: scenario}
    sensitivity: {column: sens, values: {S: sensitive, N: non_sensitive, "-": null}}
    items:                                          # tags a data-item value stands for
      crm.contact: {category: contact, sensitive: false}
      crm.allergy:                                  # the only way to lower a sensitive category
        category: health
        sensitivity_override: {sensitive: false, reviewed_by: DPO, reviewed_on: 2025-02-01,
                               basis: "only 'no known allergy' flags, no health detail (memo 12)"}
    exemption: {column: ground, values: {HR: hr_management, NONE: null}}   # exemption ids or grounds
    identifiers:
      - {kind: resident_id, column: id_no}
      - {kind: passport, column: passport_no, country_column: passport_country}
      - {kind: phone, column: mobile}               # weak: links only with link: true
      - {kind: customer_id, column: cust_id, namespace: crm}
    linking: {max_group_identifiers: 20, max_weak_links: 5}
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from ftzlist.identifiers.kinds import KINDS, Kind
from ftzlist.schema.common import Id, Strict
from ftzlist.schema.declaration import SensitivityOverride


def _plain_column(name: str) -> str:
    # pydantic-core's pattern lets NUL and other C0 controls through its character class
    if not name.strip() or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise ValueError("a column name must be non-blank text without control characters")
    return name


ColumnName = Annotated[str, StringConstraints(min_length=1, max_length=256), AfterValidator(_plain_column)]
"""A column of the log as its header names it: not empty or blank, no control characters."""

MAX_IDENTIFIER_COLUMNS = 30
"""Each identifier column has two bits of a 64-bit row flag (valid / invalid value present)."""


class Column(Strict):
    """A value taken from a column (optionally recoded by `values`) or a constant `value`."""

    column: ColumnName | None = None
    value: str | None = None
    values: dict[str, str | None] | None = Field(
        None,
        description="Recode raw cell values (null: the cell states nothing); values not listed stay as "
        "they are, and in a sensitivity or exemption column must then be valid as written.",
    )
    format: str | None = Field(None, description="strptime format, for the date column only.")

    @model_validator(mode="after")
    def _one(self) -> Column:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of `column` or `value`")
        return self


class IdentifierColumn(Strict):
    kind: Kind
    column: ColumnName
    country_column: ColumnName | None = Field(None, description="Passport issuing country column.")
    country: str | None = Field(None, description="Passport issuing country for every row.")
    namespace: str = Field("", description="System that issued customer/device ids (scopes them).")
    link: bool | None = Field(None, description="Use for linking; default: strong kinds yes, weak kinds no.")
    name: str | None = Field(None, description="Label in reports; default the column name.")

    @property
    def strong(self) -> bool:
        return KINDS[self.kind].strong

    @property
    def links(self) -> bool:
        return self.strong if self.link is None else self.link

    @property
    def label(self) -> str:
        return self.name or self.column

    @model_validator(mode="after")
    def _passport_country(self) -> IdentifierColumn:
        if self.kind is Kind.passport and not (self.country_column or self.country):
            raise ValueError(f"passport column '{self.column}' needs country_column or country")
        return self


class ItemTags(Strict):
    """What a data-item value in the log stands for.

    `sensitive: true` raises the rows' sensitivity; `false` only settles a category whose
    sensitivity is open (a parent with sensitive children): it never lowers a sensitive category.
    That takes `sensitivity_override`, a reviewed and cited decision every count output names."""

    category: Id | None = None
    subject: Id | None = None
    sensitive: bool | None = None
    sensitivity_override: SensitivityOverride | None = None


class Linking(Strict):
    max_group_identifiers: int = Field(
        20, ge=2, description="A linked group with more distinct identifiers is suspicious and not merged."
    )
    max_weak_links: int = Field(
        5,
        ge=1,
        description="A weak value co-occurring with more other identifiers is shared (a switchboard).",
    )
    check_unlinked: bool = Field(
        False, description="Also validate identifier columns that do not link (quality report only; slower)."
    )


class Mapping(Strict):
    version: int = 1
    date: Column
    flow: Column
    data_item: Column | None = None
    subject: Column | None = None
    category: Column | None = None
    scenario: Column | None = None
    sensitivity: Column | None = None
    items: dict[str, ItemTags] = Field(default_factory=dict)
    exemption: Column | None = None
    identifiers: list[IdentifierColumn] = Field(min_length=1)
    linking: Linking = Field(default_factory=Linking)

    @model_validator(mode="after")
    def _check(self) -> Mapping:
        if self.sensitivity and self.sensitivity.values:
            bad = sorted(
                {
                    str(v)
                    for v in self.sensitivity.values.values()
                    if v is not None and v not in ("sensitive", "non_sensitive")
                }
            )
            if bad:
                raise ValueError(
                    f"sensitivity values must map to sensitive, non_sensitive or null, got {bad}"
                )
        if len(self.identifiers) > MAX_IDENTIFIER_COLUMNS:
            raise ValueError(f"at most {MAX_IDENTIFIER_COLUMNS} identifier columns")
        labels = [i.label for i in self.identifiers]
        if len(labels) != len(set(labels)):
            raise ValueError("identifier columns repeat; give each a distinct `name`")
        if not any(i.links for i in self.identifiers):
            raise ValueError(
                "no identifier links persons: map at least one strong identifier or set link: true"
            )
        return self

    def columns(self) -> list[str]:
        """Every source column the mapping reads (each must exist in every file)."""
        cols: list[str] = []
        for c in (
            self.date,
            self.flow,
            self.data_item,
            self.subject,
            self.category,
            self.scenario,
            self.sensitivity,
            self.exemption,
        ):
            if c is not None and c.column:
                cols.append(c.column)
        for i in self.identifiers:
            cols.append(i.column)
            if i.country_column:
                cols.append(i.country_column)
        return list(dict.fromkeys(cols))


def load_mapping(path: Path) -> Mapping:
    from ftzlist.yamlio import load_model

    return load_model(Mapping, path)
