"""The law as the rest of ftzlist sees it: vocabularies, list versions, and the queries on them.

Every module that needs to know something about the law asks this package; none re-implements it.

- `Law`, `ListSet`: the list versions a decision is made on (`ftzlist.loader` reads the files).
- `Vocabulary`: categories with ancestry (`covers`, `kind`, `sensitive_ground`,
  `category_sensitivity`), subject types, sectors, scenarios, zones.
- `resolve_sensitivity` / `sensitivity_sql`: the one rule for PIPL Art. 28 sensitivity.
- `compile_item`: an item's conditions compiled once, evaluated in Python (`state`, `explain`) or
  emitted as SQL (`sql`).
"""

from ftzlist.law.conditions import CompiledItem, Facts, Match, SqlFilter, compile_item
from ftzlist.law.lists import Law, ListSet, nearest
from ftzlist.law.sensitivity import (
    ResolvedSensitivity,
    category_sensitivity_rows,
    resolve_sensitivity,
    sensitivity_sql,
)
from ftzlist.law.vocabulary import CategorySensitivity, Vocabulary, is_under, lineage, parent_of

__all__ = [
    "CategorySensitivity",
    "CompiledItem",
    "Facts",
    "Law",
    "ListSet",
    "Match",
    "ResolvedSensitivity",
    "SqlFilter",
    "Vocabulary",
    "category_sensitivity_rows",
    "compile_item",
    "is_under",
    "lineage",
    "nearest",
    "parent_of",
    "resolve_sensitivity",
    "sensitivity_sql",
]
