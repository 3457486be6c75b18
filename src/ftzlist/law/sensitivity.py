"""One rule for the sensitivity of personal information (PIPL Art. 28), for every module.

The category decides first: a category with a sensitive ground (or under one) is sensitive; a
category with no ground anywhere in its family is not; a category with no ground of its own but a
sensitive descendant (`location`, with `location.track`) is *open*. Then:

- a reviewed, cited override (`SensitivityOverride`, in a declaration or a count mapping) replaces
  the category's answer -- the only way to lower it, and every output names it;
- any claim (a log row's sensitivity column, a mapping item tag, a declaration's `sensitive`) may
  raise the answer to sensitive;
- a claim of `non_sensitive` settles an open answer, and is overruled (and reported) where the
  category or the override says sensitive: it never lowers.

What stays open is `None`: the engine asks for it, and counting puts the person on both axes.
`resolve_sensitivity` (Python) and `sensitivity_sql` (SQL) implement the same decision table; a
test checks that they agree on every combination.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ftzlist.law.vocabulary import CategorySensitivity, Vocabulary
from ftzlist.schema.common import Sensitivity
from ftzlist.schema.declaration import SensitivityOverride

Source = Literal["category", "override", "raised", "settled", "open"]


@dataclass(frozen=True)
class ResolvedSensitivity:
    """The answer and where it came from.

    `value` is None when the sensitivity is open. `overruled` names the claims that tried to lower
    a sensitive answer; `open_because` the sensitive descendants of an open category."""

    value: Sensitivity | None
    source: Source
    ground: str | None = None
    override: SensitivityOverride | None = None
    overruled: tuple[str, ...] = ()
    open_because: tuple[str, ...] = ()


def _category_answer(voc: Vocabulary, category: str | None) -> CategorySensitivity | None:
    return None if category is None or category not in voc.categories else voc.category_sensitivity(category)


def resolve_sensitivity(
    voc: Vocabulary,
    category: str | None,
    claims: Mapping[str, bool | None] | None = None,
    override: SensitivityOverride | None = None,
) -> ResolvedSensitivity:
    """Sensitivity of personal information of `category` given what the inputs claim.

    `claims` maps who claims (e.g. "declaration", "row", "item") to True (sensitive), False (not
    sensitive) or None (silent). `category` None (a log row without one) starts open. The caller
    decides that the data is personal information at all (`Vocabulary.kind`)."""
    claims = claims or {}
    cat = _category_answer(voc, category)
    ground = voc.sensitive_ground(category) if category else None
    raised = any(v is True for v in claims.values())
    lowered = tuple(who for who, v in claims.items() if v is False)
    if raised:
        source: Source = "category" if cat == "sensitive" and override is None else "raised"
        return ResolvedSensitivity(Sensitivity.sensitive, source, ground, override)
    if override is not None:
        value = Sensitivity.sensitive if override.sensitive else Sensitivity.non_sensitive
        overruled = lowered if override.sensitive else ()
        return ResolvedSensitivity(value, "override", ground, override, overruled)
    if cat == "sensitive":
        return ResolvedSensitivity(Sensitivity.sensitive, "category", ground, None, lowered)
    if cat == "non_sensitive":
        return ResolvedSensitivity(Sensitivity.non_sensitive, "category")
    if lowered:
        return ResolvedSensitivity(Sensitivity.non_sensitive, "settled")
    below = tuple(voc.sensitive_descendants(category)) if category else ()
    return ResolvedSensitivity(None, "open", open_because=below)


def sensitivity_sql(category: str, claims: list[str], override: str | None = None) -> str:
    """The same decision table as `resolve_sensitivity`, as a portable SQL CASE expression.

    `category` is an expression giving 'sensitive', 'non_sensitive', 'mixed' or NULL (join a table
    built from `category_sensitivity_rows`); each of `claims` and `override` gives 'sensitive',
    'non_sensitive' or NULL. The result is 'sensitive', 'non_sensitive' or 'unknown' (open)."""
    raised = " OR ".join(f"{c} = 'sensitive'" for c in claims) or "FALSE"
    lowered = " OR ".join(f"{c} = 'non_sensitive'" for c in claims) or "FALSE"
    over = f"WHEN {override} IN ('sensitive', 'non_sensitive') THEN {override} " if override else ""
    return (
        f"CASE WHEN {raised} THEN 'sensitive' {over}"
        f"WHEN {category} IN ('sensitive', 'non_sensitive') THEN {category} "
        f"WHEN {lowered} THEN 'non_sensitive' ELSE 'unknown' END"
    )


def category_sensitivity_rows(voc: Vocabulary) -> list[tuple[str, CategorySensitivity]]:
    """(category id, 'sensitive' | 'non_sensitive' | 'mixed') for every category, for SQL joins."""
    return [(c, voc.category_sensitivity(c)) for c in sorted(voc.categories)]
