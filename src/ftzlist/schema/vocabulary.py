"""Shared vocabularies: data categories (a hierarchy, fideslang-style), subject types, sensitive
grounds (PIPL Art. 28), sectors, business scenarios, zones and their areas.

Lists and declarations both speak these ids, so one declaration can be judged under every zone.
Vocabulary files live in `lists/vocabulary/`; each file may contribute to any section and the loader
merges them, rejecting duplicate ids.
"""

from __future__ import annotations

from typing import Literal

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
    """Whose personal information it is (trial subject, patient, consumer member, ...).

    `may_fall_under`: a sensitive ground (PIPL Art. 28) some persons of this type fall under by who
    they are, whatever the category (minors: those under 14). Data about them is then sensitive
    only if the category or the declaration says so, and open otherwise (not non-sensitive)."""

    id: Id
    name: Text
    may_fall_under: Id | None = None
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
    """A place a handler can be registered in and a list can bind: a free trade zone (or port) with
    its areas (片区), or a wider or separate place some editions bind (a whole city, a park).

    `within` names the place that contains it (the Beijing FTZ lies within Beijing): a list binding
    a place binds every place within it. A handler declares the most specific place it is
    registered in (`handler.zone`)."""

    id: Id
    name: Text
    province: Text
    kind: Literal["free_trade_zone", "free_trade_port", "city", "park"] = "free_trade_zone"
    within: Id | None = Field(None, description="The place that contains this one (a zone id).")
    areas: list[Area] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Where the place and its extent are named.")
    note: str | None = None


class VocabularyFile(Strict):
    """One file of vocabulary; every section is optional."""

    sensitive_grounds: list[SensitiveGround] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    subject_types: list[SubjectType] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
