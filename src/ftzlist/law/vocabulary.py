"""The merged vocabularies and the one implementation of category ancestry.

Categories form a hierarchy by id (`health.genetic` is a child of `health`, fideslang-style). Every
question about a category -- is it under another, what kind of data is it, is it sensitive
personal information (PIPL Art. 28) -- is answered here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ftzlist.schema.common import DataClass
from ftzlist.schema.vocabulary import Category, Scenario, Sector, SubjectType, Zone

CategorySensitivity = Literal["sensitive", "non_sensitive", "mixed"]
"""What a category says about PIPL Art. 28 sensitivity: `sensitive` (it or an ancestor has a
ground), `non_sensitive` (neither it, an ancestor nor a descendant has one) or `mixed` (it has no
ground, but some descendant has: data declared under it may or may not be sensitive)."""


def parent_of(category_id: str) -> str | None:
    """`health.genetic` -> `health`; a top-level id has no parent."""
    return category_id.rpartition(".")[0] or None


def lineage(category_id: str) -> list[str]:
    """The category and its ancestors, nearest first (by id; no vocabulary needed)."""
    out, cur = [], category_id
    while cur:
        out.append(cur)
        cur = parent_of(cur)
    return out


def is_under(category_id: str, ancestor: str) -> bool:
    """True when `category_id` is `ancestor` or one of its descendants."""
    return category_id == ancestor or category_id.startswith(ancestor + ".")


@dataclass(frozen=True)
class Vocabulary:
    """Merged vocabulary files (see `ftzlist.schema.vocabulary`), with the hierarchy queries."""

    categories: dict[str, Category]
    subject_types: dict[str, SubjectType]
    sensitive_grounds: dict[str, object]
    sectors: dict[str, Sector]
    scenarios: dict[str, Scenario]
    zones: dict[str, Zone]
    enterprise_types: dict[str, str] = field(default_factory=dict)  # type id -> sector id

    @staticmethod
    def lineage(category_id: str) -> list[str]:
        """The category and its ancestors, nearest first."""
        return lineage(category_id)

    def covers(self, targets: Iterable[str], category_id: str) -> bool:
        """True when `category_id` is one of `targets` or descends from one."""
        return any(is_under(category_id, t) for t in targets)

    def kind(self, category_id: str) -> DataClass:
        """Data class, inherited from the nearest ancestor that sets one (default `other`)."""
        found = self._inherited.get(category_id)
        if found is not None:
            return found[0]
        for c in lineage(category_id):
            cat = self.categories.get(c)
            if cat is not None and cat.kind is not None:
                return cat.kind
        return DataClass.other

    def sensitive_ground(self, category_id: str) -> str | None:
        """The PIPL Art. 28 ground of the category or its nearest ancestor that has one."""
        found = self._inherited.get(category_id)
        if found is not None:
            return found[1]
        for c in lineage(category_id):
            cat = self.categories.get(c)
            if cat is not None and cat.sensitive_ground is not None:
                return cat.sensitive_ground
        return None

    @cached_property
    def _inherited(self) -> dict[str, tuple[DataClass, str | None]]:
        """(data class, sensitive ground) of every category, read up its ancestry once."""
        out: dict[str, tuple[DataClass, str | None]] = {}
        for cid in self.categories:
            chain = [self.categories.get(c) for c in lineage(cid)]
            kind = next((c.kind for c in chain if c is not None and c.kind is not None), DataClass.other)
            ground = next(
                (c.sensitive_ground for c in chain if c is not None and c.sensitive_ground is not None), None
            )
            out[cid] = (kind, ground)
        return out

    @cached_property
    def _sensitive_below(self) -> dict[str, list[str]]:
        """For every category, its descendants that carry a sensitive ground of their own."""
        out: dict[str, list[str]] = {}
        for cid, cat in self.categories.items():
            if cat.sensitive_ground is None:
                continue
            for anc in lineage(cid)[1:]:
                out.setdefault(anc, []).append(cid)
        return {k: sorted(v) for k, v in out.items()}

    def sensitive_descendants(self, category_id: str) -> list[str]:
        """Descendants of a category that are sensitive while it is not (empty if none)."""
        if self.sensitive_ground(category_id) is not None:
            return []
        return self._sensitive_below.get(category_id, [])

    def category_sensitivity(self, category_id: str) -> CategorySensitivity:
        """See `CategorySensitivity`. Only meaningful for personal-information categories."""
        if self.sensitive_ground(category_id) is not None:
            return "sensitive"
        return "mixed" if self._sensitive_below.get(category_id) else "non_sensitive"

    def categories_of_kind(self, kind: DataClass) -> list[str]:
        """Every category id whose (inherited) data class is `kind`, sorted."""
        return sorted(c for c in self.categories if self.kind(c) == kind)
