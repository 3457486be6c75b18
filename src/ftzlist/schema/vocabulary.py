"""Shared vocabularies: data categories (a hierarchy, fideslang-style), subject types, sensitive
grounds (PIPL Art. 28), sectors, business scenarios, zones and their areas.

Lists and declarations both speak these ids, so one declaration can be judged under every zone.
Vocabulary files live in `lists/vocabulary/`; each file may contribute to any section and the loader
merges them, rejecting duplicate ids.
"""

from __future__ import annotations

from pydantic import Field

from ftzlist.schema.common import Citation, DataClass, Id, Strict, Text


class SensitiveGround(Strict):
    """A ground that makes personal information sensitive (PIPL Art. 28)."""

    id: Id
    name: Text
    citation: Citation


class Category(Strict):
    """A data category. Its parent is its id without the last segment (`health.genetic` -> `health`).

    `kind` and `sensitive_ground` are inherited from the nearest ancestor that sets them.
    """

    id: Id
    name: Text
    kind: DataClass | None = None
    sensitive_ground: Id | None = None
    note: str | None = None


class SubjectType(Strict):
    """Whose personal information it is (trial subject, patient, consumer member, ...)."""

    id: Id
    name: Text
    note: str | None = None


class EnterpriseType(Strict):
    id: Id
    name: Text


class Sector(Strict):
    id: Id
    name: Text
    enterprise_types: list[EnterpriseType] = Field(default_factory=list)


class Scenario(Strict):
    """A business scenario, always within one sector (`pharma.clinical_trial`)."""

    id: Id
    sector: Id
    name: Text
    note: str | None = None


class Area(Strict):
    id: Id
    name: Text


class Zone(Strict):
    """A free trade zone (or port) and its areas (片区)."""

    id: Id
    name: Text
    province: Text
    areas: list[Area] = Field(default_factory=list)


class VocabularyFile(Strict):
    """One file of vocabulary; every section is optional."""

    sensitive_grounds: list[SensitiveGround] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    subject_types: list[SubjectType] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
