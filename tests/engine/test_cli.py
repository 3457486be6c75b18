"""The CLI: exit codes CI pipelines gate on, JSON as the machine interface, errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.errors import EXIT_INVALID, EXIT_OK, EXIT_UNDETERMINED

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "250"})


def test_determined_declaration_exits_zero_and_json_is_stable(tmp_path, good_declaration) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(
        "as_of: 2026-06-30\n"
        + good_declaration.replace(
            "zone: fujian-ftz\n  area: xiamen\n  sector: pharma", "zone: null\n  sector: pharma"
        ).replace("persons: 12000", "persons: 8000"),
        encoding="utf-8",
    )
    first = run("assess", str(p), "--format", "json")
    assert first.exit_code == EXIT_OK, first.output
    doc = json.loads(first.output)
    assert doc["flows"][0]["pathway"] == "standard_contract_or_certification"
    assert doc["as_of"] == "2026-06-30" and len(doc["input_sha256"]) == 64
    assert run("assess", str(p), "--format", "json").output == first.output


def test_undetermined_exits_one(tmp_path, good_declaration) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(
        good_declaration.replace("persons: 12000", "subject: patient").replace(
            ", subject: patient, subject", ", subject"
        ),
        encoding="utf-8",
    )
    p.write_text(
        good_declaration.replace(", persons: 12000", "").replace("zone: fujian-ftz\n  area: xiamen\n  ", ""),
        encoding="utf-8",
    )
    result = run("assess", str(p), "--as-of", "2026-06-30", "--format", "json")
    assert result.exit_code == EXIT_UNDETERMINED, result.output
    flow = json.loads(result.output)["flows"][0]
    assert flow["pathway"] == "undetermined"
    assert any("persons" in m["field"] for m in flow["missing"])


def test_bad_as_of_is_a_clear_error_without_traceback(tmp_path, good_declaration) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(good_declaration, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ftzlist.cli import main; main()",
            "assess",
            str(p),
            "--as-of",
            "2026/06/30",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == EXIT_INVALID
    assert "--as-of: '2026/06/30' is not a date in the form YYYY-MM-DD" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_markdown_and_table_render(tmp_path, good_declaration) -> None:
    p = tmp_path / "d.yaml"
    p.write_text(good_declaration, encoding="utf-8")
    md = run("assess", str(p), "--as-of", "2026-06-30", "--format", "markdown", "--explain")
    assert "# Test Co" in md.output and "| ✔ |" in md.output
    table = run("assess", str(p), "--as-of", "2026-06-30", "--explain")
    assert "f1" in table.output and "obligations" in table.output


def test_lists_and_schema_commands() -> None:
    out = run("lists").output
    assert "cn-national-2024" in out and "cn-national-2022" in out
    assert "CBDF Provisions Art. 8" in run("lists", "show", "cn-national-2024").output
    for which in ("list", "declaration", "decision", "vocabulary"):
        schema = json.loads(run("schema", which).output)
        assert schema["type"] == "object"


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from ftzlist.cli import app; "
        "heavy = [m for m in ('duckdb', 'sqlalchemy', 'weasyprint', 'openpyxl', 'pyarrow', 'docx') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_examples_all_assess(tmp_path, good_declaration) -> None:
    examples = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
    assert len(examples) >= 4
    for ex in examples:
        result = run("assess", str(ex), "--as-of", "2026-06-30", "--format", "json")
        assert result.exit_code in (EXIT_OK, EXIT_UNDETERMINED), f"{ex.name}: {result.output}"
        assert json.loads(result.output)["flows"]


def test_assess_names_lighter_paths_in_other_zones_when_the_home_list_permits(tmp_path) -> None:
    """Fujian Art. 22 lets Fujian handlers rely on other zones' lists: assess says where that is lighter."""
    p = tmp_path / "d.yaml"
    p.write_text(
        "handler: {name: Fuzhou Motors, zone: fujian-ftz, area: fuzhou, sector: connected_vehicles,\n"
        "          enterprise_type: connected_vehicles.automaker, ciio: false,\n"
        "          holdings: {persons_pi: 0, persons_sensitive: 0, persons_sensitive_accounts_or_medical: 0}}\n"
        "flows:\n"
        "  - id: production\n"
        "    scenario: connected_vehicles.manufacturing\n"
        "    recipient: {name: Motors Production GmbH, country: DE}\n"
        "    purpose: global production planning\n"
        "    data: [{category: business.manufacturing}]\n",
        encoding="utf-8",
    )
    args = ("assess", str(p), "--as-of", "2026-03-02", "--format", "json")
    with_alt = json.loads(run(*args).output)["flows"][0]
    without = json.loads(run(*args, "--no-alternatives").output)["flows"][0]
    # Fujian cannot settle non-personal IoV data (its field-level detail is not encoded) ...
    assert with_alt["pathway"] == without["pathway"] == "undetermined"
    assert without["alternatives"] == []
    # ... but Beijing's 2024 list, which Art. 22 lets a Fujian handler rely on, has it off the list.
    assert any(
        a.startswith("exempt under beijing-ftz-2024") and "Art. 22" in a for a in with_alt["alternatives"]
    )
