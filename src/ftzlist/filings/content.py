"""What a handler files, as structured data (Fujian Art. 11(ii)): scenario, the export-data
catalogue by data item, scale in persons and records, recipient and country, the list
sub-categories relied on. Kept so actual exports can be checked against it (Fujian Art. 16) and a
new declaration compared with it (material change)."""

from __future__ import annotations

from pydantic import Field, StrictInt

from ftzlist.schema.common import Strict


class FiledItem(Strict):
    id: str = Field(min_length=1, description="Data item id, e.g. patient_contact.")
    category: str = Field(min_length=1, description="Taxonomy id of the data.")
    sensitive: bool | None = None
    persons: StrictInt | None = Field(None, ge=0)
    records: StrictInt | None = Field(None, ge=0)


class FiledRecipient(Strict):
    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2.")


class FiledContent(Strict):
    """The substance of a filing; a new declaration of the flow uses the same shape."""

    scenario: str | None = None
    purpose: str = Field(min_length=1)
    method: str | None = Field(None, description="How the data leaves, e.g. API transfer, remote access.")
    scope: str | None = None
    recipient: FiledRecipient
    storage_place: str | None = Field(None, description="Where the recipient stores the data.")
    storage_period_months: StrictInt | None = Field(None, ge=0)
    legal_documents: list[str] = Field(default_factory=list, description="Contract ids with their versions.")
    list_subcategories: list[str] = Field(default_factory=list)
    items: list[FiledItem] = Field(min_length=1)
    persons: StrictInt | None = Field(None, ge=0, description="De-duplicated persons over all items.")
    records: StrictInt | None = Field(None, ge=0)

    def total_persons(self) -> int | None:
        if self.persons is not None:
            return self.persons
        vals = [i.persons for i in self.items]
        return None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]

    def total_records(self) -> int | None:
        if self.records is not None:
            return self.records
        vals = [i.records for i in self.items]
        return None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]
