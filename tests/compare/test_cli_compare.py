"""`ftzlist compare`: the table reads, JSON is the machine interface, bad zones are clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.errors import EXIT_OK

runner = CliRunner()
DECL = str(Path(__file__).parent / "declarations" / "retail.yaml")


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "250"})


def test_table_shows_matrix_and_burden() -> None:
    r = run("compare", DECL, "--zones", "fujian-ftz,shanghai-ftz", "--as-of", "2026-03-02")
    assert r.exit_code == EXIT_OK, r.output
    assert "national" in r.output and "fujian-ftz" in r.output and "shanghai-ftz" in r.output
    assert "burden per zone" in r.output
    assert "exempt under fujian-ftz-2025" in r.output  # the cross-zone alternative for Shanghai


def test_json_all_zones() -> None:
    r = run("compare", DECL, "--zones", "all", "--format", "json", "--as-of", "2026-03-02")
    assert r.exit_code == EXIT_OK, r.output
    doc = json.loads(r.output)
    assert doc["cells"]["members"]["fujian-ftz"]["pathway"] == "exempt"
    assert doc["cells"]["members"]["national"]["pathway"] == "standard_contract_or_certification"
    assert len(doc["placements"]) == 12  # Shanghai placed as Lingang and the rest; Guangdong


def test_unknown_zone_is_an_input_error() -> None:
    from ftzlist.errors import InputError

    try:
        run("compare", DECL, "--zones", "fujain-ftz")
    except InputError as exc:
        assert "nearest valid: fujian-ftz" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected an InputError")
