"""What a scan reports. Every field is a count, a masked example, an id or a label: a report can be
shared, logged and committed without disclosing anyone's data."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ftzlist.schema.common import Id, Strict


class Evidence(Strict):
    """Why a finding was made: which detector, on how many values, with masked examples."""

    detector: str = Field(description="Detector name, or 'column-name' for a header hint.")
    method: str = Field(description="What the detector checks, e.g. 'GB 11643 MOD 11-2 check + birth date'.")
    matched: int = Field(ge=0, description="Values that passed the detector.")
    examined: int = Field(ge=0, description="Non-empty values the detector was run on.")
    examples: list[str] = Field(default_factory=list, description="Masked matched values.")
    hint: str | None = Field(None, description="For 'column-name': the word in the column name.")


class Finding(Strict):
    """One kind of data found in one column."""

    kind: str = Field(description="What was found: resident_id, phone, bank_card, chinese_name, ...")
    category: Id = Field(description="Taxonomy category it suggests.")
    personal: bool = Field(description="Personal information (a natural person), per the taxonomy.")
    sensitive: bool = Field(description="Sensitive personal information (PIPL Art. 28), per the taxonomy.")
    sensitive_ground: Id | None = None
    confidence: float = Field(ge=0, le=1)
    embedded: bool = Field(False, description="Found inside free text rather than as the whole value.")
    evidence: list[Evidence]


class ColumnReport(Strict):
    name: str
    source_type: str = Field(description="The column's type in the source.")
    values: int = Field(ge=0, description="Rows scanned.")
    non_empty: int = Field(ge=0)
    findings: list[Finding] = Field(default_factory=list)


class PersonFact(Strict):
    """Distinct persons behind one identifier column (exact count of normalised identifiers)."""

    column: str
    kind: str
    strength: Literal["strong", "weak"] = Field(
        description="strong: a government identity number; weak: phones, e-mail (shared by several people)."
    )
    identifiers: int = Field(ge=0, description="Valid identifier values in the rows scanned.")
    distinct_persons: int = Field(ge=0)
    minors_under_14: int | None = Field(
        None, ge=0, description="Distinct persons under 14 on the assessment date (identity numbers only)."
    )
    scope: Literal["all_rows", "sample"]


class ScanReport(Strict):
    version: Literal[1] = 1
    engine: str = Field(description="ftzlist version that produced the report.")
    source: str = Field(description="File or database URL (password removed).")
    table: str | None = None
    as_of: dt.date = Field(description="Assessment date: minors are counted as of this day.")
    rows_scanned: int = Field(ge=0)
    rows_total: int = Field(ge=0)
    sample: int | None = Field(None, description="Sample size asked for; None = every row.")
    seed: int
    options_sha256: str
    columns: list[ColumnReport]
    persons: list[PersonFact] = Field(default_factory=list)
    list_matches: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Suggested category -> list items in force on as_of that name it (list-id/item-id).",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="How the table was read where it was not as given (a first row of data, not names).",
    )


__all__ = ["ColumnReport", "Evidence", "Finding", "PersonFact", "ScanReport"]
