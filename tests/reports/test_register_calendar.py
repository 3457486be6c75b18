"""The report's filing calendar read from the register (issue 13 §5, report side): the handler's
open deadlines with their status (and owner where the register keeps one), an unknown handler
refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from ftzlist.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "xiamen-pharma.yaml"


def test_report_reads_the_filing_calendar_from_the_register(tmp_path):
    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    runner = CliRunner()
    for args in (
        ["filings", "add", "haixia", "pv", "fj.list_filing", "--on", "2026-03-02", "--db", url],
        ["filings", "add", "other", "x", "fj.list_filing", "--on", "2026-03-03", "--db", url],
    ):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, r.output
    out = tmp_path / "r.html"
    r = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLE),
            "--format",
            "html",
            "--lang",
            "en",
            "--db",
            url,
            "--handler",
            "haixia",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "Filing calendar" in html
    section = html[html.index("Filing calendar") : html.index("Handler totals")]
    assert "<td>pv</td>" in section and "<td>x</td>" not in section  # only this handler's rows
    assert any(s in section for s in ("upcoming", "overdue", "window open", "due today"))
    book = tmp_path / "r.xlsx"
    r = runner.invoke(
        app,
        ["report", str(EXAMPLE), "--format", "xlsx", "--db", url, "--handler", "haixia", "--out", str(book)],
    )
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(book)["calendar"]
    assert ws.max_row >= 2 and ws.cell(2, 2).value == "pv"


def test_unknown_handler_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    r = CliRunner().invoke(
        app,
        [
            "report",
            str(EXAMPLE),
            "--format",
            "html",
            "--db",
            url,
            "--handler",
            "nobody",
            "--out",
            str(tmp_path / "r.html"),
        ],
    )
    assert r.exit_code != 0 and "unknown handler" in str(r.exception)
    r = CliRunner().invoke(
        app, ["report", str(EXAMPLE), "--format", "html", "--db", url, "--out", str(tmp_path / "r.html")]
    )
    assert r.exit_code != 0 and "--handler" in str(r.exception)
