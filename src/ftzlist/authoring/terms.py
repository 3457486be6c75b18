"""How the words of a published table map to vocabulary ids: exact vocabulary names first, then a
reviewed term map, never a fuzzy guess.

A table cell names a sector, enterprise type, scenario, subject type or category when, normalised
(full-width to half-width, case, spaces and punctuation removed), it equals that entry's Chinese or
English name or its id. Anything else needs a term map (`--terms FILE`), which a reviewer writes
once per list family and which carries the item ids of earlier editions forward:

```yaml
sectors:
  车联网行业: {id: connected_vehicles, slug: iov}     # slug: the item-id segment
scenarios:
  其他场景: all                                      # every scenario of the sector
subclasses:
  受试者个人信息: {subjects: [trial_subject], id: trial-subjects}
  遗传信息: {categories: [health.genetic], exclusive: true, lifted_by: [hgr_cleared], id: genetic}
  其他个人信息（不含敏感个人信息）: {catch_all: true, id: catch-all-non-sensitive}
```
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Literal

from pydantic import Field

from ftzlist.law import Vocabulary
from ftzlist.schema.common import Id, Strict
from ftzlist.schema.lists import Marker
from ftzlist.yamlio import load_model

Slug = str
ALL = "all"


def norm(text: str) -> str:
    """Normal form of a table word for lookups."""
    t = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s()（）\[\]【】:：、,，;；/\\\-_*·.'\"“”]", "", t)


class SectorTerm(Strict):
    id: Id
    slug: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9\-]*$", description="Item-id segment.")


class SubclassTerm(Strict):
    """What a data sub-class means as item conditions. A term with none (only `id`) is the whole data
    category of its sector: every kind of personal information (or important data) in it."""

    id: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9\-.]*$", description="Item-id segment.")
    subjects: list[Id] | None = None
    categories: list[Id] | None = None
    catch_all: bool = False
    exclusive: bool = False
    lifted_by: list[Id] = Field(default_factory=list)
    markers: list[Marker] = Field(default_factory=list)


class TermMap(Strict):
    sectors: dict[str, Id | SectorTerm] = Field(default_factory=dict)
    enterprise_types: dict[str, Id] = Field(default_factory=dict)
    scenarios: dict[str, Id | Literal["all"]] = Field(default_factory=dict)
    subclasses: dict[str, SubclassTerm] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> TermMap:
        return load_model(cls, path)


CATCH_ALL_WORDS = {
    norm(w)
    for w in (
        "其他个人信息",
        "其他",
        "其他数据",
        "其他重要数据",
        "兜底",
        "other personal information",
        "other",
        "other data",
        "catch-all",
    )
}
ALL_SCENARIO_WORDS = {
    norm(w)
    for w in (
        "所有场景",
        "全部场景",
        "各场景",
        "所有业务场景",
        "各类场景",
        "全部业务场景",
        "all scenarios",
        "every scenario",
    )
}
ALL_TYPES_WORDS = {
    norm(w) for w in ("所有企业", "全部企业", "各类企业", "所有类型", "all enterprise types", "all types")
}
WHOLE_CLASS_WORDS = {
    norm(w)
    for w in (
        "个人信息",
        "敏感个人信息",
        "个人信息（不含敏感个人信息）",
        "一般个人信息",
        "personal information",
        "sensitive personal information",
    )
}
PI_SUFFIXES = ("的个人信息", "类个人信息", "个人信息", "类信息", "信息")


class Lexicon:
    """Vocabulary names and a term map, for exact lookups of table words."""

    def __init__(self, voc: Vocabulary, terms: TermMap | None = None):
        self.voc = voc
        self.terms = terms or TermMap()
        self._terms = {
            "sectors": {norm(k): v for k, v in self.terms.sectors.items()},
            "enterprise_types": {norm(k): v for k, v in self.terms.enterprise_types.items()},
            "scenarios": {norm(k): v for k, v in self.terms.scenarios.items()},
            "subclasses": {norm(k): v for k, v in self.terms.subclasses.items()},
        }
        self.sectors = self._names((s.id, s.name.zh, s.name.en) for s in voc.sectors.values())
        self.subject_types = self._names((s.id, s.name.zh, s.name.en) for s in voc.subject_types.values())
        self.categories = self._names((c.id, c.name.zh, c.name.en) for c in voc.categories.values())

    @staticmethod
    def _names(entries) -> dict[str, str | None]:
        """norm(name or id) -> id; a name two entries share maps to None (ambiguous: not matched)."""
        out: dict[str, str | None] = {}
        for ident, *names in entries:
            for n in {norm(ident), *(norm(x) for x in names)}:
                out[n] = ident if out.get(n, ident) == ident else None
        return out

    def sector(self, text: str) -> tuple[str, str] | None:
        """(sector id, item-id slug) or None."""
        t = self._terms["sectors"].get(norm(text))
        if isinstance(t, SectorTerm):
            return t.id, t.slug or t.id.replace("_", "-")
        found = t or self.sectors.get(norm(text))
        return (found, found.replace("_", "-")) if found else None

    def enterprise_type(self, sector: str, text: str) -> str | None:
        t = self._terms["enterprise_types"].get(norm(text))
        if t:
            return t
        sec = self.voc.sectors.get(sector)
        table = self._names((e.id, e.name.zh, e.name.en) for e in (sec.enterprise_types if sec else []))
        return table.get(norm(text))

    def enterprise_type_name(self, sector: str, text: str) -> str | None:
        """The English name of an enterprise type named `text`, for an exclusion's English side."""
        ident = self.enterprise_type(sector, text)
        sec = self.voc.sectors.get(sector)
        for e in sec.enterprise_types if sec else []:
            if e.id == ident:
                return e.name.en
        return None

    def scenario(self, sector: str, text: str) -> str | None:
        """A scenario id, `ALL` (every scenario), or None (unknown)."""
        key = norm(text)
        t = self._terms["scenarios"].get(key)
        if t:
            return t
        if key in ALL_SCENARIO_WORDS:
            return ALL
        table = self._names(
            (s.id, s.name.zh, s.name.en) for s in self.voc.scenarios.values() if s.sector == sector
        )
        return table.get(key)

    def subclass_term(self, text: str) -> SubclassTerm | None:
        return self._terms["subclasses"].get(norm(text))

    def subject(self, text: str) -> str | None:
        return self._lookup_pi(text, self.subject_types)

    def category(self, text: str) -> str | None:
        return self.categories.get(norm(text)) or self._lookup_pi(text, self.categories)

    @staticmethod
    def _lookup_pi(text: str, table: dict[str, str | None]) -> str | None:
        key = norm(text)
        if table.get(key):
            return table[key]
        for suffix in PI_SUFFIXES:
            s = norm(suffix)
            if key.endswith(s) and len(key) > len(s) and table.get(key[: -len(s)]):
                return table[key[: -len(s)]]
        return None


def strip_pi(name: str) -> str:
    """'受试者个人信息' -> '受试者': whose information it is, as a subject type is named."""
    for suffix in PI_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def match_runs(names: list[str], lookup) -> tuple[list[str], list[str]]:
    """Ids for a list of names where a vocabulary name may itself contain 、 ("软件和信息技术服务、
    互联网信息服务"): the longest run of adjacent names that matches wins. Returns (ids, unknown)."""
    ids: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(names):
        for j in range(len(names), i, -1):
            found = lookup("、".join(names[i:j]))
            if found:
                ids.append(found)
                i = j
                break
        else:
            unknown.append(names[i])
            i += 1
    return ids, unknown


def split_names(text: str) -> list[str]:
    """'临床试验、去中心化临床试验（DCT）、研发' -> the names; brackets inside a name are kept."""
    parts, depth, cur = [], 0, ""
    for ch in unicodedata.normalize("NFKC", text):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、,;/\n":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]
