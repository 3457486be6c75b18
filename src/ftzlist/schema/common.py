"""Building blocks shared by every schema: bilingual text, citations, status tags, pathways."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Strict(BaseModel):
    """Base for everything read from a file: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$")]
"""A stable identifier: lower-case words joined by '.', e.g. `health.genetic`."""

Status = Literal["V", "V2", "U", "C"]
"""How sure a fact is (reference/ftz-lists.md): verified, single secondary source, uncertain,
sources conflict."""


class Text(Strict):
    """List content carries Chinese and English side by side."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Citation(Strict):
    """Where a rule comes from: the instrument and the article or part it encodes."""

    instrument: str = Field(min_length=1, description="Short name of the instrument, e.g. 'CBDF Provisions'.")
    ref: str = Field(min_length=1, description="Article, part or paragraph, e.g. 'Art. 7(2)'.")
    status: Status = "V"
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.instrument} {self.ref}"


class Pathway(StrEnum):
    """What a flow needs before it may leave China (DESIGN.md vocabulary)."""

    security_assessment = "security_assessment"
    standard_contract_or_certification = "standard_contract_or_certification"
    exempt = "exempt"
    other_lawful_path = "other_lawful_path"
    national_core_data = "national_core_data"
    export_control = "export_control"
    undetermined = "undetermined"


# Strictness order used to pick a flow's pathway from its data items' outcomes. `undetermined` is
# not on this scale: it is decided separately (a flow is undetermined when a fact it needs is missing).
PATHWAY_RANK: dict[Pathway, int] = {
    Pathway.exempt: 0,
    Pathway.standard_contract_or_certification: 1,
    Pathway.other_lawful_path: 2,
    Pathway.security_assessment: 3,
    Pathway.export_control: 4,
    Pathway.national_core_data: 5,
}


PATHWAY_LABEL: dict[Pathway, str] = {p: p.value.replace("_", " ") for p in Pathway}
"""How a pathway reads in prose ("standard contract or certification")."""


class Sensitivity(StrEnum):
    sensitive = "sensitive"
    non_sensitive = "non_sensitive"


class DataClass(StrEnum):
    personal_information = "personal_information"
    important_data = "important_data"
    other = "other"
