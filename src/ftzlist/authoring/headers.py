"""The columns of a published list table and the header words that name them (Chinese or English).

The zone lists share one structure (Pattern 1): industry with its enterprise types → export pathway →
data category (important data / personal information) → data sub-class → basic features and
description, with the volume band written in Chinese, in a column of its own or in the description.
A header cell names a column when, after normalising (full-width to half-width, case, spaces and
punctuation removed), it equals one of the synonyms below, or each of its lines (or its Chinese and
English halves) does and they agree. docs/authoring-lists.md prints this table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    what: str
    required: bool = False
    """Required: the import stops without it (sector, pathway and data category may instead come
    from section rows of the table, e.g. "一、需申报数据出境安全评估的数据")."""


COLUMNS: tuple[Column, ...] = (
    Column("no", ("序号", "编号", "序列号"), ("no.", "no", "number", "#", "item no."), "row number (kept as provenance only)"),
    Column(
        "sector",
        ("行业领域", "行业", "所属行业", "行业类别", "行业（领域）", "领域", "重点行业", "行业/领域"),
        ("industry", "sector", "industry/sector", "industry (sector)", "sector/industry"),
        "industry or sector; may carry its enterprise types in brackets",
        True,
    ),
    Column(
        "enterprise_types",
        ("适用企业类型", "企业类型", "适用主体", "适用对象", "适用企业", "主体类型", "适用企业范围"),
        ("applicable enterprise types", "enterprise types", "enterprise type", "applicable entities", "entities"),
        "enterprise types the sector binds; （不含…） names exclusions",
    ),
    Column(
        "scenario",
        ("业务场景", "场景", "数据出境场景", "出境场景", "应用场景", "业务场景名称"),
        ("business scenario", "scenario", "scenarios", "export scenario", "business scenarios"),
        "business scenarios (several separated by 、); 所有场景 = every scenario",
    ),
    Column(
        "pathway",
        ("出境路径", "数据出境路径", "所需出境路径", "出境方式", "出境管理路径", "适用路径", "出境路径要求"),
        ("export pathway", "pathway", "cross-border path", "cross-border pathway", "export path", "required pathway"),
        "security assessment / standard contract or certification / other lawful path",
        True,
    ),
    Column(
        "data_class",
        ("数据类别", "数据类型", "数据分类", "类别", "数据种类"),
        ("data category", "data class", "category", "data type"),
        "important data (重要数据) or personal information (个人信息, 敏感个人信息)",
        True,
    ),
    Column(
        "subclass",
        ("数据子类", "数据子类别", "子类", "数据细类", "数据小类", "子类别"),
        ("data sub-class", "data subclass", "sub-class", "subclass", "sub-category", "data sub-category"),
        "data sub-class: whose personal information, or which kind of important data",
        True,
    ),
    Column(
        "features",
        ("基本特征及描述", "基本特征和描述", "基本特征与描述", "基本特征", "特征描述", "描述", "数据描述", "具体描述", "数据特征", "特征及描述"),
        ("basic features and description", "basic features", "description", "features", "data description", "features and description"),
        "basic features and description, kept verbatim as the item's Chinese title",
        True,
    ),
    Column(
        "volume",
        ("出境规模", "数据规模", "数量", "规模", "出境数量", "数量级", "数量规模", "人数", "数量/规模", "出境数据规模", "数据量"),
        ("volume", "persons", "threshold", "scale", "number of persons", "volume threshold", "volume band"),
        "the volume band (10万人以上不满100万人); when absent or blank, the band is read from the description",
    ),
    Column(
        "features_en",
        ("英文", "英文描述", "英文译文", "英文翻译"),
        ("english", "english description", "description (english)", "features (english)", "english translation", "translation"),
        "English of the description (the item's English title)",
    ),
    Column("notes", ("备注", "附注", "说明"), ("notes", "note", "remarks", "remark"), "remarks, kept as the item's note"),
    Column(
        "item_id",
        ("条目编号", "ftzlist条目编号"),
        ("item id", "ftzlist item id", "ftzlist id"),
        "written by `lists export`: the stable item id",
    ),
    Column(
        "encoding",
        ("ftzlist编码", "编码"),
        ("ftzlist encoding", "encoding"),
        "written by `lists export`: the item's conditions the official layout has no column for",
    ),
)  # fmt: skip

BY_KEY = {c.key: c for c in COLUMNS}


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s()（）\[\]【】:：、/\\\-_*·.,，;；'\"“”]", "", t)


_SYNONYMS: dict[str, str] = {}
for _col in COLUMNS:
    for _word in (*_col.zh, *_col.en):
        _SYNONYMS.setdefault(_norm(_word), _col.key)


class AmbiguousHeader(ValueError):
    """A header cell whose parts name different columns."""


def match_header(text: str) -> str | None:
    """The column a header cell names, or None. Raises AmbiguousHeader when its parts disagree."""
    if not text.strip():
        return None
    whole = _SYNONYMS.get(_norm(text))
    if whole:
        return whole
    parts = [p for p in text.splitlines() if p.strip()]
    t = unicodedata.normalize("NFKC", text)
    cjk = "".join(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）]+", t))
    latin = re.sub(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef（）]+", " ", t)
    parts += [cjk, latin]
    keys = {k for k in (_SYNONYMS.get(_norm(p)) for p in parts if p.strip()) if k}
    if len(keys) > 1:
        raise AmbiguousHeader(f"'{text}' names several columns ({', '.join(sorted(keys))})")
    return keys.pop() if keys else None


def header_row_text(c: Column) -> str:
    """How `lists export` writes a column's header: Chinese above English."""
    return f"{c.zh[0]}\n{c.en[0][0].upper()}{c.en[0][1:]}"
