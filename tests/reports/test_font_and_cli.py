"""The shipped font (licence, size, coverage of the bundled law) and the report/template commands."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.reports import fonts

ROOT = Path(__file__).resolve().parents[2]


def test_font_is_shipped_with_its_licence():
    assert fonts.REGULAR.exists() and fonts.BOLD.exists()
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert fonts.REGULAR.stat().st_size + fonts.BOLD.stat().st_size < 5_000_000


def test_font_covers_every_character_of_the_bundled_law():
    """A list adding a character outside the subset fails here: re-run ftzlist.reports.fontsubset."""
    text = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "src" / "ftzlist" / "lists").rglob("*.yaml")
    )
    assert fonts.missing_glyphs(text) == []


def test_font_covers_gb2312():
    from ftzlist.reports.fontsubset import gb2312

    assert fonts.missing_glyphs("".join(gb2312())) == []


def test_cli_template_and_report(tmp_path):
    runner = CliRunner()
    inv = tmp_path / "inv.xlsx"
    r = runner.invoke(
        app, ["template", "xlsx", "--out", str(inv), "--from", str(ROOT / "examples" / "xiamen-pharma.yaml")]
    )
    assert r.exit_code == 0, r.output
    assert openpyxl.load_workbook(inv).sheetnames[1:4] == ["handler", "flows", "data_items"]
    html = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(inv), "--format", "html", "--lang", "zh", "--out", str(html)])
    assert r.exit_code == 0, r.output
    assert "下一步应办事项" in html.read_text(encoding="utf-8")
    filing = tmp_path / "f.xlsx"
    r = runner.invoke(app, ["report", str(inv), "--kind", "filing", "--format", "xlsx", "--out", str(filing)])
    assert r.exit_code == 0, r.output
    assert "申请表" in openpyxl.load_workbook(filing).sheetnames
    r = runner.invoke(app, ["assess", str(inv), "--format", "xlsx", "--out", str(tmp_path / "d.xlsx")])
    assert r.exit_code in (0, 1), r.output
    flows = openpyxl.load_workbook(tmp_path / "d.xlsx")["flows"]
    assert "Haixia Biologics Inc. (sponsor) (US)" in [
        flows.cell(r, 4).value for r in range(2, flows.max_row + 1)
    ]
