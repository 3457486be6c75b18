"""Header words of published tables: the documented table of synonyms is the one the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ftzlist.authoring.headers import COLUMNS, AmbiguousHeader, match_header

DOC = Path(__file__).parents[2] / "docs" / "authoring-lists.md"


def test_the_documented_table_is_the_table_the_code_reads() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", text, re.M)}
    assert set(rows) == {c.key for c in COLUMNS}
    for c in COLUMNS:
        cells = [x.strip() for x in rows[c.key].split("|")[1:-1]]
        assert cells[1] == "、".join(c.zh) and cells[2] == ", ".join(c.en), c.key
        assert (cells[3] == "yes") == c.required


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("行业领域", "sector"),
        ("行业（领域）", "sector"),
        ("出境路径\nExport pathway", "pathway"),
        ("出境路径 Export pathway", "pathway"),
        ("ＤＡＴＡ　ＣＡＴＥＧＯＲＹ", "data_class"),
        ("基本特征及描述", "features"),
        ("Description (English)", "features_en"),
        ("数据子类\nData sub-class", "subclass"),
        ("备注", "notes"),
        ("ftzlist条目编号\nItem id", "item_id"),
        ("", None),
        ("联系人", None),
    ],
)
def test_header_words(text: str, key: str | None) -> None:
    assert match_header(text) == key


def test_a_cell_whose_halves_disagree() -> None:
    with pytest.raises(AmbiguousHeader, match="names several columns"):
        match_header("出境路径\nData category")
