"""Which list items name a suggested category: "which list items they match" (issue 7).

A list item that lists `categories` catches a data item of that category or any descendant
(fideslang-style ancestor matching, `Vocabulary.covers`). Items that do not name categories (a
sector-wide band, the national sensitive-PI band) depend on facts a scan cannot see (sector,
scenario, persons), so they are left to `ftzlist assess`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ftzlist.loader import Law


def list_matches(categories: Iterable[str], law: Law, as_of: dt.date) -> dict[str, list[str]]:
    """For each category, `list-id/item-id` of the items in force on `as_of` whose categories cover it."""
    voc = law.vocabulary
    out: dict[str, list[str]] = {}
    for cat in sorted(set(categories)):
        if cat not in voc.categories:
            continue
        hits = [
            f"{lf.id}/{it.id}"
            for lf in law.lists.in_force(as_of)
            for it in lf.items
            if it.categories and voc.covers(it.categories, cat)
        ]
        if hits:
            out[cat] = sorted(hits)
    return out


__all__ = ["list_matches"]
