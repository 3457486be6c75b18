"""The official layout of a zone list table (Pattern 1, seed 000) as ftzlist writes and checks it:
which items of a list are rows of the published table, and how each of their cells reads.

`lists export` writes these cells; `lists import` reads them and, for a table written by the export,
checks the visible cells against the item they came from (an edited cell is never ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from ftzlist.authoring.headers import BY_KEY
from ftzlist.authoring.volumes import Volume, format_volume
from ftzlist.law import Vocabulary
from ftzlist.schema.common import DataClass, Pathway
from ftzlist.schema.lists import Item, ListFile, SectorScope

TABLE_PATHWAYS = (
    Pathway.security_assessment,
    Pathway.standard_contract_or_certification,
    Pathway.other_lawful_path,
)


def is_table_item(item: Item) -> bool:
    """An item that is one row of a published table: a zone item of one sector with a table pathway,
    no handler-holdings rule, not the CIIO rule, and of personal information or important data. The
    rest of a list (overrides, the CIIO rule, reference rules on holdings, catalogue rules) comes
    from the measures' articles."""
    return (
        item.level == "zone"
        and item.sectors is not None
        and len(item.sectors) == 1
        and item.pathway in TABLE_PATHWAYS
        and not item.holdings
        and item.ciio is not True
        and item.data_class != DataClass.other
    )


COLUMNS = (
    "no", "sector", "enterprise_types", "pathway", "scenario", "data_class", "subclass",
    "features", "volume", "features_en", "notes", "item_id", "encoding",
)  # fmt: skip
MERGED = ("sector", "enterprise_types", "pathway", "data_class")
PATHWAY_WORDS = {
    Pathway.security_assessment: "数据出境安全评估",
    Pathway.standard_contract_or_certification: "个人信息出境标准合同或个人信息保护认证",
    Pathway.other_lawful_path: "其他合法合规路径",
}
TIER_ORDER = {p: n for n, p in enumerate(PATHWAY_WORDS)}
VISIBLE = {"id", "title", "pathway", "persons", "sensitivity", "note", "source"}
"""Item fields the visible columns carry; the encoding column holds the rest."""


def header(key: str) -> str:
    """Chinese over English, as bilingual annexes print them; the ftzlist columns say whose they are."""
    col = BY_KEY[key]
    zh = next(w for w in col.zh if w.startswith("ftzlist")) if key in ("item_id", "encoding") else col.zh[0]
    en = col.en[0]
    return f"{zh}\n{en[0].upper()}{en[1:]}"


def table_items(lf: ListFile) -> list[Item]:
    """The list's table rows in the official order: by sector, then pathway tier, then data
    category (important data first), keeping the list's own order within."""
    order = {s.sector: n for n, s in enumerate(lf.sectors)}
    rows = [it for it in lf.items if is_table_item(it)]
    position = {it.id: n for n, it in enumerate(lf.items)}
    return sorted(
        rows,
        key=lambda it: (
            order.get(it.sectors[0], len(order)),  # type: ignore[index]
            it.sectors[0],  # type: ignore[index]
            TIER_ORDER[it.pathway],
            it.data_class is not None,
            position[it.id],
        ),
    )


def _names(ids: Iterable[str] | None, table: dict[str, Any]) -> list[str]:
    return [table[i].name.zh if i in table else i for i in ids or []]


def data_class_word(item: Item) -> str:
    """个人信息 for personal information; 重要数据 for the rows that bind data whatever class a
    declaration gives it (important data: security assessment); a class-free row on another pathway
    (genetic data on the human-genetic-resources route) reads as 个人信息, as the lists print it."""
    if item.data_class == DataClass.personal_information:
        return "个人信息"
    if item.data_class is None and item.pathway != Pathway.security_assessment:
        return "个人信息"
    return "重要数据"


def subclass_text(item: Item, voc: Vocabulary) -> str:
    """How the export names an item's sub-class: its subject types, else its categories."""
    names = _names(item.subjects, voc.subject_types) or _names(item.categories, voc.categories)
    if names:
        return "、".join(names)
    word = data_class_word(item)
    if item.sensitivity is not None and word == "个人信息":
        word = "敏感个人信息" if item.sensitivity.value == "sensitive" else "个人信息（不含敏感个人信息）"
    return f"其他{word}" if item.catch_all else word


def scenario_text(item: Item, voc: Vocabulary) -> str:
    return "、".join(_names(item.scenarios, voc.scenarios)) if item.scenarios else "所有场景"


def types_text(scope: SectorScope | None, voc: Vocabulary) -> str:
    if scope is None or scope.enterprise_types is None:
        text = "所有企业"
    else:
        sector = voc.sectors.get(scope.sector)
        names = {e.id: e.name.zh for e in sector.enterprise_types} if sector else {}
        text = "、".join(names.get(t, t) for t in scope.enterprise_types)
    if scope is not None and scope.excludes:
        text += "（不含" + "、".join(x.zh for x in scope.excludes) + "）"
    return text


def volume_text(item: Item) -> str:
    if (
        item.persons is None
        and item.sensitivity is None
        and item.data_class != DataClass.personal_information
    ):
        return ""
    return format_volume(Volume(item.persons, item.sensitivity))


def encoding(item: Item) -> str:
    """The item's conditions that no visible column carries, as one line of YAML."""
    data = item.model_dump(mode="json", exclude=VISIBLE, exclude_none=True, exclude_defaults=True)
    return yaml.safe_dump(
        data, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False
    ).strip()
