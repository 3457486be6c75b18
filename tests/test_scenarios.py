"""Scenario files as data: each case is a declaration with the pathway the law gives each flow.

The expectations were written from the text of the law (seeds and reference), independently of the
engine; see tests/scenarios/*.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from ftzlist.engine import decide
from ftzlist.loader import check_declaration
from ftzlist.schema.declaration import Declaration

SCENARIOS = Path(__file__).parent / "scenarios"


def _cases() -> list[Any]:
    params = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults = doc.get("defaults", {}).get("handler", {})
        for case in doc["cases"]:
            params.append(pytest.param(defaults, case, id=f"{path.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize(("defaults", "case"), _cases())
def test_scenario(law, defaults: dict, case: dict) -> None:
    handler = {**defaults, **(case.get("handler") or {})}
    decl = Declaration.model_validate({"handler": handler, "flows": case["flows"]})
    assert check_declaration(decl, law) == []
    as_of = case["as_of"] if isinstance(case["as_of"], dt.date) else dt.date.fromisoformat(case["as_of"])
    ds = decide(decl, law, as_of)
    got = {f.flow_id: f for f in ds.flows}
    for flow_id, pathway in case["expect"].items():
        fd = got[flow_id]
        explain = [f"{c.outcome} {c.rule_id}: {c.reason}" for c in fd.checks if c.outcome != "not_fired"]
        assert fd.pathway.value == pathway, (
            f"{flow_id}: got {fd.pathway.value}, expected {pathway}; {explain}; missing={fd.missing}"
        )
    for flow_id, rules in (case.get("expect_fired") or {}).items():
        fired = {r for i in got[flow_id].items for r in i.deciding_rules}
        assert set(rules) <= fired, f"{flow_id}: {sorted(fired)} lacks {sorted(set(rules) - fired)}"
    for flow_id, fields in (case.get("expect_missing") or {}).items():
        text = " ".join(f"{m.field} {m.why}" for m in got[flow_id].missing)
        for f in fields:
            assert f in text, f"{flow_id}: missing facts {text!r} do not mention {f!r}"
