"""`ftzlist lists test LIST SCENARIOS.yaml`: band-edge cases as data, on any list under test."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .conftest import cli

ROOT = Path(__file__).parents[2]
FUJIAN_CASES = ROOT / "tests" / "scenarios" / "fujian-ftz-2025.yaml"

HANDLER = {
    "name": "Test Co",
    "zone": "fujian-ftz",
    "area": "xiamen",
    "sector": "pharma",
    "enterprise_type": "pharma.chemical_drugs",
    "ciio": False,
    "holdings": {"persons_pi": 0, "persons_sensitive": 0, "persons_sensitive_accounts_or_medical": 0},
}


def flow(persons: int) -> list[dict]:
    return [
        {
            "id": "f1",
            "scenario": "pharma.pharmacovigilance",
            "recipient": {"name": "Parent Co", "country": "US"},
            "purpose": "pv",
            "data": [
                {"id": "d1", "category": "health.adverse_event", "subject": "patient", "persons": persons}
            ],
        }
    ]


def write(tmp_path: Path, cases: list[dict]) -> Path:
    path = tmp_path / "cases.yaml"
    doc = {"list": "fujian-ftz-2025", "defaults": {"handler": HANDLER}, "cases": cases}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str):
    return cli("lists", "test", *args)


def test_every_bundled_fujian_case_passes() -> None:
    r = run("fujian-ftz-2025", str(FUJIAN_CASES))
    assert r.exit_code == 0, r.output
    n = len(yaml.safe_load(FUJIAN_CASES.read_text(encoding="utf-8"))["cases"])
    assert f"{n} passed, 0 failed" in r.output


def test_a_wrong_expectation_fails_and_says_why(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            {"name": "49,999 patients: tier 2", "as_of": "2026-06-30", "flows": flow(49_999),
             "expect": {"f1": "standard_contract_or_certification"},
             "expect_fired": {"f1": ["fj25.pharma.patients.t2"]}},
            {"name": "50,000 patients: tier 2 (wrong: the band ends below 50,000)", "as_of": "2026-06-30",
             "flows": flow(50_000), "expect": {"f1": "standard_contract_or_certification"}},
        ],
    )  # fmt: skip
    r = run("fujian-ftz-2025", str(path))
    assert r.exit_code == 1, r.output
    assert "1 passed, 1 failed" in r.output
    assert "f1: got security_assessment, expected standard_contract_or_certification" in r.output
    assert "fj25.pharma.patients.t1" in r.output  # the deciding rule is named
    doc = json.loads(run("fujian-ftz-2025", str(path), "--json").output)
    assert [c["passed"] for c in doc["cases"]] == [True, False]
    assert doc["cases"][1]["flows"]["f1"] == {
        "expected": "standard_contract_or_certification",
        "got": "security_assessment",
    }


def test_rule_expectations_and_pathways_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [{"name": "10,000 patients", "as_of": "2026-06-30", "flows": flow(10_000),
          "expect": {"f1": "standard_contract_or_certification"},
          "expect_fired": {"f1": ["some.other-list.rule"]}}],
    )  # fmt: skip
    r = run("fujian-ftz-2025", str(path))
    assert r.exit_code == 1 and "some.other-list.rule did not decide" in r.output
    r = run("fujian-ftz-2025", str(path), "--pathways-only")
    assert r.exit_code == 0, r.output
    assert "checked on pathways only" in r.output


def test_a_list_file_replaces_the_list_the_cases_were_written_for(tmp_path: Path) -> None:
    src = yaml.safe_load((ROOT / "src/ftzlist/lists/fujian-ftz-2025.yaml").read_text(encoding="utf-8"))
    src["id"] = "fujian-ftz-2025-draft"
    for it in src["items"]:  # the draft moves the patients' tier-1 line from 50,000 to 60,000
        if it["id"] == "fj25.pharma.patients.t2":
            it["persons"]["max"] = 60_000
        if it["id"] == "fj25.pharma.patients.t1":
            it["persons"]["min"] = 60_000
    draft = tmp_path / "draft.yaml"
    draft.write_text(yaml.safe_dump(src, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = write(
        tmp_path,
        [{"name": "55,000 patients", "as_of": "2026-06-30", "flows": flow(55_000),
          "expect": {"f1": "security_assessment"}}],
    )  # fmt: skip
    assert run("fujian-ftz-2025", str(path)).exit_code == 0
    r = run(str(draft), str(path))
    assert r.exit_code == 1
    assert "written for fujian-ftz-2025" in r.output
    assert "got standard_contract_or_certification, expected security_assessment" in r.output


def test_bad_scenario_files_name_the_place(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [{"name": "typo", "as_of": "2026-06-30", "flows": flow(10), "expect": {"f1": "standard_contract"}}],
    )
    r = run("fujian-ftz-2025", str(path))
    assert r.exit_code == 2
    assert "cases.0.expect.f1" in r.output and "cases.yaml:" in r.output
    path = write(
        tmp_path, [{"name": "no flow", "as_of": "2026-06-30", "flows": flow(10), "expect": {"f9": "exempt"}}]
    )
    r = run("fujian-ftz-2025", str(path))
    assert r.exit_code == 2 and "expect names no flow 'f9'" in r.output
    bad = flow(10)
    bad[0]["data"][0]["persons"] = -1
    path = write(
        tmp_path, [{"name": "negative", "as_of": "2026-06-30", "flows": bad, "expect": {"f1": "exempt"}}]
    )
    r = run("fujian-ftz-2025", str(path))
    assert r.exit_code == 2 and "cases.0 (negative): flows.0.data.0.persons" in r.output
    r = run("no-such-list", str(FUJIAN_CASES))
    assert r.exit_code == 2 and "no list 'no-such-list'" in r.output
