"""Issue 12 item 3: the engine's sentences come from one catalogue, Chinese and English side by side,
and every code the engine (or the law package) uses is in it with the same parameters in both."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ftzlist.law.reasons import UnknownCode, catalogue, message, say, template_fields
from ftzlist.render.labels import PATHWAYS
from ftzlist.schema.common import PATHWAY_LABEL, Pathway
from ftzlist.schema.decision import Message

SRC = Path(__file__).resolve().parents[2] / "src" / "ftzlist"
CODES = catalogue()["codes"]
TABLES = catalogue()["tables"]


def codes_used() -> dict[str, set[str]]:
    """code -> parameter names, for every `message("code", ...)` and `Message(code="...", params={...})`
    written in the source."""
    used: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name == "message" and node.args and isinstance(node.args[0], ast.Constant):
                code = node.args[0].value
                used.setdefault(code, set()).update(k.arg for k in node.keywords if k.arg)
            elif name == "Message":
                kw = {k.arg: k.value for k in node.keywords}
                if isinstance(kw.get("code"), ast.Constant):
                    code = kw["code"].value
                    params = kw.get("params")
                    keys = set()
                    if isinstance(params, ast.Dict):
                        keys = {k.value for k in params.keys if isinstance(k, ast.Constant)}
                    elif isinstance(params, ast.IfExp):  # cond.unknown / cond.hold in law/conditions.py
                        keys = {k.value for k in params.body.keys if isinstance(k, ast.Constant)}  # type: ignore[attr-defined]
                    used.setdefault(code, set()).update(keys)
    return used


def test_the_source_uses_codes_and_the_catalogue_has_them():
    used = codes_used()
    assert len(used) >= 20, sorted(used)
    unknown = sorted(set(used) - set(CODES))
    assert not unknown, f"codes used but not in law/reasons.yaml: {unknown}"


@pytest.mark.parametrize("code", sorted(codes_used()))
def test_a_used_code_is_given_only_parameters_it_declares(code):
    assert codes_used()[code] <= set(CODES[code]["params"]), code


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_chinese_and_english_with_the_same_parameters(code):
    entry = CODES[code]
    assert set(entry) >= {"params", "zh", "en"} and set(entry) <= {"params", "zh", "en", "one_language"}, code
    assert entry["zh"].strip() and entry["en"].strip()
    one_language = set(entry.get("one_language", []))
    assert template_fields(entry["zh"]) ^ template_fields(entry["en"]) <= one_language, code
    assert template_fields(entry["zh"]) | template_fields(entry["en"]) == set(entry["params"]), code
    for template in (entry["zh"], entry["en"]):
        for table in re.findall(r"\{\w+:(\w+)\}", template):
            assert table in TABLES, f"{code}: no table {table}"


def test_every_table_entry_has_both_languages():
    for name, table in TABLES.items():
        for value, words in table.items():
            assert set(words) == {"zh", "en"} and words["zh"] and words["en"], (name, value)


def test_pathway_words_are_the_labels_words():
    """One wording of a pathway: the table says what render.labels and PATHWAY_LABEL say."""
    for p in Pathway:
        assert TABLES["pathway"][p.value]["zh"] == PATHWAYS[p.value][0]
        assert TABLES["pathway"][p.value]["en"] in (PATHWAY_LABEL[p], PATHWAYS[p.value][1])


SAMPLES = {
    "actual": "sensitive",
    "expected": "non_sensitive",
    "fact": "scenario",
    "facts": ["ciio", "subject"],
    "value": "hr",
    "allowed": ["clinical_trial", "pharmacovigilance"],
    "category": "health.adverse_event",
    "ciio": False,
    "marker": "core_data",
    "thresholds": {"pi_persons": 1_000_000},
    "rule": "cn24.ciio",
    "clearances": ["export-licence"],
    "band": "[100000, 1000000)",
    "owner": "cn24.core",
    "owners": ["cn24.core"],
    "regime": "cn-national-2024",
    "list": "lingang-bio",
    "part": "categories",
    "description": "the catalogue of categories",
    "axis": "sensitive",
    "persons": 9_500,
    "threshold": 10_000,
    "subject": {"zh": "患者", "en": "patients"},
    "remaining": 500,
    "pathway": "security_assessment",
    "group": "pi",
    "ground": "hr_management",
    "fields": ["flows[0].data[0].subject"],
    "breaches": [
        {
            "zh": "条件 x 与 flows[0].scenario = hr 不符",
            "en": "condition x is contradicted by flows[0].scenario = hr",
        }
    ],
}

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")
"""Three English words in a row: a sentence, not an id (ids are dotted or dashed single tokens)."""


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_says_itself_in_both_languages(code):
    params = {p: SAMPLES[p] for p in CODES[code]["params"]}
    m = message(code, **params)
    assert m.text is not None and m.text.en == say(m, "en") and m.text.zh == say(m, "zh")
    for value in (v for v in params.values() if isinstance(v, int) and not isinstance(v, bool)):
        assert f"{value:,}" in m.text.en and f"{value:,}" in m.text.zh
    zh = m.text.zh
    for p, v in params.items():  # ids, free text from the list data and names are not ours to translate
        if p not in ("description",):
            for s in v if isinstance(v, list) else [v]:
                if isinstance(s, str):
                    zh = zh.replace(s, "")
    assert not ENGLISH_SENTENCE.search(zh), (code, m.text.zh)


def test_words_are_said_in_the_language_asked():
    m = message("cond.sensitivity", actual="sensitive", expected="non_sensitive")
    assert m.text.en == "data is sensitive, rule is about non_sensitive"
    assert m.text.zh == "数据属于敏感个人信息,该规则针对非敏感个人信息"
    assert message("cond.ciio", ciio=True).text.en == "handler is a CIIO"
    assert message("cond.ciio", ciio=False).text.en == "handler is not a CIIO"
    assert message("cond.ciio", ciio=False).text.zh == "处理者不是关键信息基础设施运营者"
    left = message(
        "headroom.left",
        axis="sensitive",
        persons=9500,
        threshold=10000,
        subject={"zh": "患者", "en": "patients"},
        remaining=500,
        pathway="security_assessment",
    )
    assert left.text.en == (
        "sensitive personal-information threshold: 9,500 of 10,000 patients: 500 left before security assessment"
    )
    assert (
        "患者" in left.text.zh
        and "数据出境安全评估" in left.text.zh
        and "敏感个人信息人数门槛" in left.text.zh
    )


def test_a_message_without_text_is_said_from_the_catalogue():
    assert say(Message(code="cond.marker", params={"marker": "core_data"}), "zh") == "数据未标记为核心数据"


def test_unknown_codes_and_wrong_parameters_are_refused():
    with pytest.raises(UnknownCode):
        message("no.such.code")
    with pytest.raises(UnknownCode):
        message("cond.marker")
    with pytest.raises(UnknownCode):
        message("cond.marker", marker="core_data", extra=1)
    with pytest.raises(UnknownCode):
        say(Message(code="no.such.code"), "en")
