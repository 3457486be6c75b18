"""Building blocks shared by every schema: bilingual text, citations, status tags, pathways."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, model_validator


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


class CitedAlso(Strict):
    """A further instrument cited together with a citation's main one (e.g. "PIPL Arts. 39, 55")."""

    instrument: str = Field(min_length=1, description="Instrument id from instruments.yaml, e.g. 'cn.pipl'.")
    ref: str = Field(min_length=1, description="Article, part or paragraph, e.g. 'Arts. 39, 55'.")
    ref_zh: str | None = Field(None, description="Chinese form of `ref` when it is not a plain article.")


class Citation(Strict):
    """Where a rule comes from: a registered instrument and the provision of it that the rule encodes.

    `instrument` is an id of the instruments registry (`lists/instruments.yaml`; a list folder may
    add its own `instruments.yaml`). `ref` locates the provision in English ("Art. 7(2)", "Arts. 7,
    8", or a part of a list such as "pharmaceuticals, tier 1"); article references are put into
    Chinese mechanically ("第7条(2)"), anything else needs `ref_zh`. `provision` links the rule to
    the list file's `provisions:` entry it encodes (same instrument). When a list is loaded, the
    loader checks the id and the link (an unknown one is an error naming file and line) and fills
    `label` with the citation as it reads in each language; list files never write `label`.
    """

    instrument: str = Field(min_length=1, description="Instrument id from instruments.yaml, e.g. 'cn.cbdf'.")
    ref: str = Field(min_length=1, description="Article, part or paragraph, e.g. 'Art. 7(2)'.")
    ref_zh: str | None = Field(None, description="Chinese form of `ref` when it is not a plain article.")
    provision: Id | None = Field(None, description="The list's `provisions:` entry this rule encodes.")
    also: list[CitedAlso] = Field(default_factory=list, description="Further instruments cited with it.")
    status: Status = "V"
    note: str | None = None
    label: Text | None = Field(
        None, description="How the citation reads (zh/en); filled from the registry at load, never written."
    )

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any, info: ValidationInfo) -> Any:
        """With a registry in the validation context: check ids and links, fill `label`."""
        registry = (info.context or {}).get("instruments")
        if registry is None or not isinstance(data, dict):
            return data
        return registry.resolve(data, (info.context or {}).get("provisions"))

    def text(self, lang: Literal["zh", "en"] = "en") -> str:
        """The citation as it reads in `lang` (without a registry: instrument id and ref)."""
        if self.label is not None:
            return self.label.zh if lang == "zh" else self.label.en
        parts = [f"{self.instrument} {self.ref_zh if lang == 'zh' and self.ref_zh else self.ref}"]
        parts += [f"{a.instrument} {a.ref_zh if lang == 'zh' and a.ref_zh else a.ref}" for a in self.also]
        return "; ".join(parts)

    def __str__(self) -> str:
        return self.text("en")


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
