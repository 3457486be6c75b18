"""A pack document laid out in one language choice: plain dicts the Word and PDF writers print as
they are, so the two never disagree.

Each value is followed by the number of its source; each top-level section ends with its sources
("[3] declaration:flows[pv].purpose"). A gap prints as 【待填写】 / [to complete] with the hint of
what to write, and no number (it has no source).
"""

from __future__ import annotations

from typing import Any

from ftzlist.reports import labels as T
from ftzlist.reports.packs.model import GAP, Field, PackDocument, Pair, Section

STATUS: dict[str, Pair] = {
    "V": ("已核对官方文本", "checked against the official text"),
    "V2": ("单一二手来源", "single secondary source"),
    "U": ("不确定", "uncertain"),
    "C": ("来源冲突", "sources conflict"),
}

WORDS: dict[str, Pair] = {
    "basis": ("依据", "Basis"),
    "guide": ("文件", "Document"),
    "part": ("部分", "Part"),
    "issuer": ("发布机关", "Issued by"),
    "date": ("日期", "Date"),
    "status": ("可靠性", "Status"),
    "sources": ("来源", "Sources"),
    "read_at": ("查阅出处", "Read at"),
    "note": ("说明", "Note"),
    "item": ("项目", "Item"),
    "value": ("内容", "Content"),
    "flows": ("涉及的数据出境活动", "Flows covered"),
    "handler": ("数据处理者", "Data handler"),
    "as_of": ("评估日期", "Assessment date"),
    "gaps": ("待填写项", "Items to complete"),
    "not_drafted": ("未起草的事项", "Not drafted"),
}


NUMERALS = "〇一二三四五六七八九十"


def numbered(number: str, title: str, lang: str = "bilingual") -> str:
    """A heading in the guide's style: 一、… ; （一）… ; 1. … (English: 1. … ; (1) …)."""
    if not number:
        return title
    inner = number.strip("（）")
    if all(c in NUMERALS for c in inner):
        value = str(NUMERALS.index(inner) if len(inner) == 1 else 10 + NUMERALS.index(inner[-1]))
        if lang == "en":
            return f"({value}) {title}" if number.startswith("（") else f"{value}. {title}"
        return f"{number}{title}" if number.startswith("（") else f"{number}、{title}"
    if number.isdigit():
        return f"{number}. {title}"
    return f"{number} {title}"


class _Numbers:
    """Source numbers in order of first use across the document."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}

    def __call__(self, f: Field) -> int | None:
        if f.is_gap:
            return None
        key = str(f.source)
        if key not in self.of:
            self.of[key] = len(self.of) + 1
        return self.of[key]


def _value(f: Field, lang: T.Lang) -> str:
    if f.value is None:
        return T.pick(GAP, lang, sep=" ")
    if isinstance(f.value, tuple):
        return T.pick(f.value, lang)
    return f.value


def _cell(f: Field, lang: T.Lang, number: _Numbers) -> dict[str, Any]:
    return {
        "label": T.pick(f.label, lang),
        "value": _value(f, lang),
        "gap": f.is_gap,
        "hint": T.pick(f.hint, lang) if f.hint else "",
        "ref": number(f),
        "source": str(f.source),
    }


def layout(doc: PackDocument, lang: T.Lang = "bilingual") -> dict[str, Any]:
    """Everything the writers print for `doc`, in `lang` (see the module doc)."""
    number = _Numbers()
    w = {k: T.pick(v, lang) for k, v in WORDS.items()}
    g = doc.guide
    sections: list[dict[str, Any]] = []

    def add(s: Section, level: int) -> None:
        sections.append(
            {
                "level": level,
                "heading": numbered(s.number, T.pick(s.title, lang, sep=" / "), lang),
                "ref": f"{s.guide_ref} [{s.status}]",
                "note": T.pick(s.note, lang) if s.note else "",
                "tables": [
                    {
                        "columns": [T.pick(c, lang, sep="\n") for c in t.columns],
                        "rows": [[_cell(f, lang, number) for f in row] for row in t.rows],
                    }
                    for t in s.tables
                    if t.rows
                ],
                # after the tables: the writers print tables first, and numbers run in reading order
                "fields": [_cell(f, lang, number) for f in s.fields],
                "sources": [],
            }
        )
        for sub in s.subsections:
            add(sub, level + 1)

    for s in doc.sections:
        start = len(number.of)
        add(s, 1)
        # the sources first used in a top-level section print after its last subsection
        sections[-1]["sources"] = [{"n": n, "source": src} for src, n in list(number.of.items())[start:]]
    gaps = doc.gaps()
    return {
        "lang": lang,
        "w": w,
        "id": doc.id,
        "title": T.pick(doc.title, lang, sep=" / "),
        "handler": doc.handler,
        "as_of": doc.as_of.isoformat(),
        "flows": ", ".join(doc.flows),
        "preface": [T.pick(p, lang, sep="\n") for p in doc.preface],
        "basis": [
            (w["guide"], T.pick(g.title, lang, sep=" / ") + f" ({g.id})"),
            (w["part"], T.pick(g.part, lang, sep=" / ")),
            (w["issuer"], T.pick(g.issuer, lang, sep=" / ")),
            (w["date"], g.date.isoformat()),
            (
                w["status"],
                f"[{g.status}] {T.pick(STATUS[g.status], lang)}"
                + (
                    f"; {T.pick(('所沿用的结构', 'structure followed'), lang)} [{g.structure_status}]"
                    if g.structure_status != g.status
                    else ""
                )
                + (
                    f"; {T.pick(('文件信息', 'document facts'), lang)} [{g.instrument_status}]"
                    if g.instrument_status != g.status
                    else ""
                ),
            ),
            (w["read_at"], "\n".join(g.sources)),
            *([(w["note"], T.pick(g.note, lang, sep="\n"))] if g.note else []),
        ],
        "gap_count": len(gaps),
        "sections": sections,
        "gap_mark": T.pick(GAP, lang, sep=" "),
    }
