"""Scenario files as data: each case is a declaration with the pathway the law gives each flow.

The expectations were written from the text of the law (seeds and reference), independently of the
engine; see tests/scenarios/*.yaml. The runner is `ftzlist.authoring.scenarios`, the same one
`ftzlist lists test` uses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ftzlist.authoring.scenarios import Case, ScenarioFile, load_scenarios, run_case

SCENARIOS = Path(__file__).parent / "scenarios"


def _cases() -> list[Any]:
    params = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        doc = load_scenarios(path)
        for case in doc.cases:
            params.append(pytest.param(doc, case, id=f"{path.stem}: {case.name}"))
    return params


@pytest.mark.parametrize(("doc", "case"), _cases())
def test_scenario(law, doc: ScenarioFile, case: Case) -> None:
    result = run_case(doc, case, law)
    assert result.passed, "\n".join(result.failures)
