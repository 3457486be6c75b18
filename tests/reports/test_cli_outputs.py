"""The report command's output guard: never the declaration itself, never an existing file without
--force, and nothing half-written left behind."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ftzlist.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "outside-zone-logistics.yaml"


def test_report_output_guard(tmp_path):
    runner = CliRunner()
    decl = tmp_path / "d.yaml"
    decl.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(decl), "-f", "html", "--out", str(out)]).exit_code == 0
    first = out.read_bytes()
    r = runner.invoke(app, ["report", str(decl), "-f", "html", "--out", str(out), "--lang", "zh"])
    assert r.exit_code != 0 and "--force" in str(r.exception)
    assert out.read_bytes() == first  # untouched
    r = runner.invoke(app, ["report", str(decl), "-f", "html", "--out", str(out), "--lang", "zh", "--force"])
    assert r.exit_code == 0 and out.read_bytes() != first
    r = runner.invoke(app, ["report", str(decl), "-f", "html", "--out", str(decl), "--force"])
    assert r.exit_code != 0 and "input" in str(r.exception)
    assert decl.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml", "r.html"]  # no temp files left
