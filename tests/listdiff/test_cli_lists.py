"""`ftzlist lists diff|impact|new|validate` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.errors import EXIT_INVALID, EXIT_OK

runner = CliRunner()
FIX = Path(__file__).parents[1] / "fixtures" / "lists"
NEXT = str(FIX / "fujian-ftz-2027.yaml")
VOC = str(FIX / "vocabulary")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "250"})


def test_diff_by_id_and_file() -> None:
    r = run("lists", "diff", "fujian-ftz-2025", NEXT)
    assert r.exit_code == EXIT_OK, r.output
    assert (
        "loosened fj25.retail.members-non-sensitive.t2: 500,000–<3,000,000 → 800,000–<5,000,000" in r.output
    )
    assert "renamed fj25.pharma.patients.t2 → fj27.pharma.adr-patients.t2" in r.output
    assert "removed fj25.pharma.id.device" in r.output


def test_diff_json() -> None:
    r = run("lists", "diff", "fujian-ftz-2025", NEXT, "--json")
    doc = json.loads(r.output)
    assert doc["scenarios_added"] == ["pharma.real_world_study"]


def test_impact() -> None:
    decl = str(Path(__file__).parent / "declarations" / "retail-fujian.yaml")
    r = run("lists", "impact", "fujian-ftz-2025", NEXT, decl, "--lists", VOC)
    assert r.exit_code == EXIT_OK, r.output
    assert "members: standard_contract_or_certification → exempt (lighter)" in r.output
    assert "1 of 2 flow(s) change pathway" in r.output


def test_new_then_validate(tmp_path) -> None:
    out = tmp_path / "testland-ftz-2026.yaml"
    r = run(
        "lists", "new", "testland-ftz-2026", "--zone", "tianjin-ftz", "--sector", "retail", "--out", str(out)
    )
    assert r.exit_code == EXIT_OK and out.exists()
    r = run("lists", "validate", str(out))
    assert r.exit_code == EXIT_INVALID
    assert "placeholder" in r.output


def test_validate_bundled_zone_file() -> None:
    from ftzlist.loader import BUNDLED

    r = run("lists", "validate", str(BUNDLED / "beijing-ftz-2024.yaml"))
    assert r.exit_code == EXIT_OK, r.output
    assert "valid (0 error(s)" in r.output
