"""The engine knows no zone, sector, scenario or list: the law lives in list files (DESIGN.md)."""

from __future__ import annotations

import re
from pathlib import Path

import ftzlist.engine

ENGINE = Path(ftzlist.engine.__file__).parent


def _code_lines() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(ENGINE.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            out.append((path.name, n, code))
    return out


def test_engine_names_no_vocabulary_id(law) -> None:
    voc = law.vocabulary
    names = set(voc.zones) | set(voc.sectors) | set(voc.scenarios) | set(law.lists.by_id)
    names |= {a.id for z in voc.zones.values() for a in z.areas}
    names |= {lf.family for lf in law.lists}
    names.discard("general")  # the generic sector is a word the engine may use in prose
    hits = []
    for fname, n, code in _code_lines():
        for name in names:
            if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", code):
                hits.append(f"{fname}:{n}: {name}")
    assert hits == []


def test_engine_names_no_place_or_industry_word() -> None:
    words = re.compile(
        r"fujian|beijing|shanghai|tianjin|hainan|zhejiang|chongqing|guangxi|jiangsu|pingtan|lingang|"
        r"xiamen|fuzhou|pharma|vehicle|retail|aircraft|hotel|clinical",
        re.I,
    )
    hits = [f"{f}:{n}" for f, n, code in _code_lines() if words.search(code)]
    assert hits == []


def test_engine_has_no_threshold_literals() -> None:
    """Person thresholds are list data; a large number literal in the engine would be law as code."""
    big = re.compile(r"(?<![\w.])\d{4,}(?![\w.])")
    hits = [f"{f}:{n}: {code.strip()}" for f, n, code in _code_lines() if big.search(code.replace("_", ""))]
    assert hits == []
