"""`ftzlist filings`, `ftzlist due` and `ftzlist calendar` end to end (SQLite in a temp dir)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from ftzlist.commands import calendar as calendar_cmd
from ftzlist.commands import due as due_cmd
from ftzlist.commands import filings as filings_cmd
from ftzlist.errors import InputError

CONTENT = """\
scenario: pharma.pharmacovigilance
purpose: pharmacovigilance reporting
method: SFTP
recipient: {name: Acme AG, country: CH}
storage_place: Basel
legal_documents: [dpa-v1]
list_subcategories: [fj.pharma.1]
items:
  - {id: case_contact, category: pi.contact, persons: 40000}
  - {id: case_health, category: pi.health, sensitive: true, persons: 8000}
persons: 40000
"""


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("FTZLIST_DB", raising=False)
    monkeypatch.setenv("FTZLIST_ACTOR", "lead@example.com")
    app = typer.Typer()
    for mod in (filings_cmd, due_cmd, calendar_cmd):
        mod.register(app)
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
        if isinstance(result.exception, InputError):
            raise result.exception
        assert result.exit_code == code, result.output + repr(result.exception)
        return result.output

    return run


def test_calendar_commands(cli):
    out = cli("calendar", "add", "2026-02-13", "5")
    assert "2026-02-27 Friday" in out and "final" in out and "国办发明电〔2025〕7号" in out
    out = cli("calendar", "add", "2026-12-25", "10")
    assert "2027-01-11" in out and "provisional" in out and "no official calendar for 2027" in out
    assert "in-lieu working Saturday" in cli("calendar", "is-working-day", "2026-02-14")
    assert "not a working day" in cli("calendar", "is-working-day", "2026-02-16", code=1)
    assert "2026-10-08" in cli("calendar", "period", "2025-10-01", "--years", "1")
    assert "2026" in cli("calendar", "years")
    with pytest.raises(InputError, match="not a date"):
        cli("calendar", "is-working-day", "2026-02-30")


def test_filings_lifecycle_and_due_screen(cli, tmp_path):
    content = tmp_path / "content.yaml"
    content.write_text(CONTENT, encoding="utf-8")
    out = cli(
        "filings",
        "add",
        "acme",
        "pv",
        "fj.list_filing",
        "--on",
        "2026-02-10",
        "--recipient",
        "Acme AG",
        "--country",
        "CH",
    )
    assert "FJ-2026-0001" in out
    assert (tmp_path / "data" / "ftzlist" / "register.sqlite3").exists()  # the default register
    cli("filings", "record", "FJ-2026-0001", "area_notice", "2026-02-13")
    cli("filings", "record-filing", "FJ-2026-0001", "2026-02-24", str(content))
    out = cli(
        "filings",
        "record-opinion",
        "FJ-2026-0001",
        "2026-02-27",
        "on_list",
        "--pathway",
        "standard_contract_or_certification",
    )
    assert "valid 2026-02-27 → 2029-02-27" in out and "provisional" in out and "national tier" in out
    cli(
        "filings",
        "add",
        "acme",
        "pv",
        "cn.standard_contract",
        "--on",
        "2026-03-02",
        "--parent",
        "FJ-2026-0001",
    )
    cli("filings", "record", "CN-2026-0002", "contract_effective", "2026-03-05")
    cli("filings", "add", "ship", "crew", "sh.post-export-report", "--on", "2026-01-05")
    out = cli("filings", "record-export", "ship", "crew", "2026-02-06", "--persons", "10")
    assert "2026-03-05" in out
    cli("filings", "incident", "acme", "pv", "2026-03-09", "misdirected batch")

    out = cli("due", "--as-of", "2026-03-10", "--within", "30d")
    # overdue: the Shanghai report (5 Mar) and the incident (9 Mar); upcoming: the SCC filing (19 Mar)
    assert "2 overdue" in out and "1 upcoming" in out
    assert out.index("SH-2026-0003") < out.index("misdirected") < out.index("CN-2026-0002")
    assert "5d late (3 WD)" in out and "in 9d (7 WD)" in out
    data = json.loads(cli("due", "--as-of", "2026-03-10", "--format", "json"))
    statuses = [(i["proceeding"], i["status"], i["due_on"]) for i in data["items"]]
    assert statuses[0][1] == "overdue"
    assert ("CN-2026-0002", "upcoming", "2026-03-19") in statuses
    assert [s for _, s, _ in statuses].count("overdue") == 2
    assert any(i["provisional"] for i in data["items"])  # the 2029 renewal window and expiry

    out = cli("filings", "list")
    assert "FJ-2026-0001" in out and "SH-2026-0003" in out
    out = cli("filings", "show", "FJ-2026-0001", "--as-of", "2026-03-10")
    assert "case_health [pi.health]" in out

    bigger = tmp_path / "bigger.yaml"
    bigger.write_text(CONTENT.replace("persons: 40000\n", "persons: 90000\n"), encoding="utf-8")
    out = cli("filings", "change", "FJ-2026-0001", "2026-06-01", str(bigger), "--dry-run")
    assert "fresh application required" in out and "volume" in out
    # x2.25 is under a ratio of 3, but 90,000 crosses the list's 50,000 line: material whatever the ratio
    out = cli(
        "filings", "change", "FJ-2026-0001", "2026-06-01", str(bigger), "--volume-ratio", "3", "--dry-run"
    )
    assert "fresh application required" in out and "band" in out and "50,000" in out
    within = tmp_path / "within.yaml"
    within.write_text(CONTENT.replace("persons: 40000\n", "persons: 48000\n"), encoding="utf-8")
    out = cli("filings", "change", "FJ-2026-0001", "2026-06-01", str(within), "--volume-ratio", "3")
    assert "simplified change" in out
    assert "lead@example.com" in cli("filings", "audit", "--table", "proceedings")


def test_cli_errors_change_nothing(cli):
    cli("filings", "add", "acme", "pv", "fj.list_filing", "--on", "2026-02-10")
    with pytest.raises(InputError, match="unknown filing"):
        cli("filings", "record", "FJ-2026-0099", "area_notice", "2026-02-13")
    with pytest.raises(InputError, match="before 'filing'"):
        cli("filings", "record-opinion", "FJ-2026-0001", "2026-02-12", "on_list")
    with pytest.raises(InputError, match="not a date"):
        cli("filings", "record", "FJ-2026-0001", "area_notice", "2026-13-01")
    with pytest.raises(InputError, match="30d, 6w or 3m"):
        cli("due", "--within", "soon")
    out = cli("filings", "show", "FJ-2026-0001", "--as-of", "2026-02-11")
    assert "area_notice" not in out.split("next:")[0].split("✓")[-1]


def test_snapshot_keeps_engine_decisions_append_only(cli, tmp_path):
    """`ftzlist assess --format json` output kept per flow, with list hashes and the input hash."""
    from pathlib import Path

    from ftzlist.engine import decide
    from ftzlist.filings.db import default_url
    from ftzlist.filings.procedures import ProcedureBook
    from ftzlist.filings.register import Register
    from ftzlist.loader import load_declaration, load_law

    example = Path(__file__).parents[2] / "examples" / "xiamen-pharma.yaml"
    law = load_law()
    ds = decide(load_declaration(example, law), law, d_("2026-03-31"))
    path = tmp_path / "decisions.json"
    path.write_text(ds.model_dump_json(), encoding="utf-8")
    out = cli("filings", "snapshot", "acme", str(path))
    assert out.count("kept decision #") == len(ds.flows)
    reg = Register.open(
        default_url(tmp_path / "data" / "ftzlist"), calendar=None, procedures=ProcedureBook([]), actor="x"
    )  # type: ignore[arg-type]
    first = ds.flows[0]
    [snap] = reg.snapshots("acme", first.flow_id)
    assert snap.input_hash == ds.input_sha256 and snap.pathway == str(first.pathway)
    assert snap.list_versions == {ref.id: ref.sha256 for ref in ds.lists}
    reg.close()
    with pytest.raises(InputError, match="no decision for flow"):
        cli("filings", "snapshot", "acme", str(path), "--flow", "nope")


def d_(s: str):
    import datetime as dt

    return dt.date.fromisoformat(s)


def test_verify_and_resolve_from_the_command_line(cli, tmp_path):
    import sqlite3

    content = tmp_path / "content.yaml"
    content.write_text(CONTENT, encoding="utf-8")
    cli("filings", "add", "acme", "pv", "fj.list_filing", "--on", "2026-02-10")
    cli("filings", "record", "FJ-2026-0001", "area_notice", "2026-02-13")
    cli("filings", "record-filing", "FJ-2026-0001", "2026-02-24", str(content))
    cli("filings", "record-opinion", "FJ-2026-0001", "2026-02-27", "off_list")
    out = cli("filings", "record-export", "acme", "pv", "2026-03-02", "--persons", "50000")
    assert "50,000 persons exported, 40,000 filed" in out
    out = cli("filings", "verify")
    assert "history whole" in out and "head of the chain" in out
    data = json.loads(cli("filings", "verify", "--format", "json"))
    assert data["ok"] and data["problems"] == [] and data["snapshots"] == 0
    head = data["head"]
    cli("filings", "resolve", "1", "2026-03-05", "simplified change filed")
    with pytest.raises(InputError, match="already resolved"):
        cli("filings", "resolve", "1", "2026-03-06", "again")
    assert json.loads(cli("filings", "verify", "--anchor", head, "--format", "json"))["ok"]
    with pytest.raises(InputError, match="--anchor"):
        cli("filings", "verify", "--anchor", "12:zz")
    db = tmp_path / "data" / "ftzlist" / "register.sqlite3"
    with sqlite3.connect(db) as c:
        c.execute("UPDATE proceedings SET state = 'refused'")
    out = cli("filings", "verify", code=1)
    assert "1 problem(s)" in out and "proceedings#1: changed outside ftzlist" in out and "state" in out


@pytest.mark.parametrize("command", [["verify"], ["list"], ["show", "FJ-2026-0001"], ["audit"]])
def test_reading_commands_refuse_a_register_that_is_not_there(cli, tmp_path, command):
    """`filings verify --db` with a mistyped path created an empty register there and said
    "history whole", exit 0 (red team R4): a check of nothing passed as a check."""
    missing = tmp_path / "typo" / "register.sqlite3"
    with pytest.raises(InputError, match="no register at"):
        cli("filings", *command, "--db", f"sqlite:///{missing}")
    assert not missing.exists() and not missing.parent.exists()
