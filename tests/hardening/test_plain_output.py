"""Issue 13 §6: output that survives a pipe, a CI log, cron mail and an 80-column terminal. Without
a terminal, or where a table would cut a value, records keep every value whole; a wide terminal
still gets its tables."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console
from rich.text import Text

from ftzlist.render.output import Column, records, table

from .conftest import run_main

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RETAIL = str(Path(__file__).parents[1] / "compare" / "declarations" / "retail.yaml")


def terminal(monkeypatch, width: int) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("NO_COLOR", raising=False)


def plain(text: str) -> str:
    return ANSI.sub("", text)


def whole(values: list[str], out: str) -> list[str]:
    """Values that do not appear whole in `out` (a cut or folded value)."""
    return [v for v in values if v and v not in out]


def test_records_keep_long_values_whole_and_never_parse_markup():
    buf = io.StringIO()
    con = Console(file=buf, width=40, force_terminal=False)
    con.soft_wrap = True
    long = "a reason that is much longer than forty columns and must stay on one line"
    records(con, [Column("id"), "why"], [["x[/]", long], ["y", Text("styled")]], title="t")
    out = buf.getvalue()
    assert "- id: x[/]" in out and f"  why: {long}" in out and "- id: y" in out


def test_table_falls_back_to_records_where_a_word_would_break():
    rows = [["undetermined", "standard_contract_or_certification", "2026-03-16"]]
    narrow, wide = io.StringIO(), io.StringIO()
    table(Console(file=narrow, width=30, force_terminal=True), ["a", "b", "c"], rows)
    table(Console(file=wide, width=120, force_terminal=True), ["a", "b", "c"], rows)
    assert "┃" not in plain(narrow.getvalue()) and "b: standard_contract_or_certification" in plain(
        narrow.getvalue()
    )
    assert "┃" in plain(wide.getvalue()) and "standard_contract_or_certification" in plain(wide.getvalue())


def test_lists_at_80_columns_and_wide(monkeypatch, law):
    ids = [lf.id for lf in law.lists]
    terminal(monkeypatch, 80)
    narrow = plain(run_main("lists").out)
    assert not whole(ids, narrow)
    assert max(len(line) for line in narrow.splitlines()) <= 80 or "- id:" in narrow
    terminal(monkeypatch, 220)
    wide = plain(run_main("lists").out)
    assert "┃" in wide and not whole(ids, wide)


def test_lists_show_at_80_columns(monkeypatch, law):
    lf = law.lists.get("fujian-ftz-2025")
    terminal(monkeypatch, 80)
    out = plain(run_main("lists", "show", lf.id).out)
    assert not whole([it.id for it in lf.items] + [str(it.citation) for it in lf.items], out)


def test_compare_at_80_columns_and_wide(monkeypatch):
    data = json.loads(run_main("compare", RETAIL, "--as-of", "2026-03-02", "-f", "json").out)
    pathways = {c["pathway"] for row in data["cells"].values() for c in row.values()}
    labels = [p["label"] for p in data["placements"]]
    terminal(monkeypatch, 80)
    narrow = plain(run_main("compare", RETAIL, "--as-of", "2026-03-02").out)
    assert "unde\n" not in narrow and "term" not in narrow.replace("undetermined", "")
    assert not whole(labels, narrow) and "undetermined" in narrow
    assert "undetermined" in pathways
    terminal(monkeypatch, 250)
    wide = plain(
        run_main("compare", RETAIL, "--as-of", "2026-03-02", "--zones", "fujian-ftz,shanghai-ftz").out
    )
    assert "┃" in wide and "fujian-ftz" in wide


def test_count_at_80_columns(monkeypatch, tmp_path):
    monkeypatch.setenv("FTZLIST_HASH_KEY", "test-key-0123456789abcdef")
    log = tmp_path / "log.csv"
    log.write_text(
        "date,flow,rid\n2025-03-01,a-very-long-flow-name-for-the-pharmacovigilance-exports,110101199003078515\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "date": {"column": "date"},
                "flow": {"column": "flow"},
                "identifiers": [{"kind": "resident_id", "column": "rid"}],
            }
        ),
        encoding="utf-8",
    )
    args = ("count", str(log), "--mapping", str(mapping), "--as-of", "2025-06-30")
    doc = json.loads(run_main(*args, "-f", "json").out)
    values = [b["flow"] for b in doc["by_flow"]] + [
        c["list_id"] for c in doc["crossings"] if c.get("list_id")
    ]
    terminal(monkeypatch, 80)
    narrow = plain(run_main(*args).out)
    assert not whole(values, narrow) and "…" not in narrow
    terminal(monkeypatch, 250)
    wide = plain(run_main(*args).out)
    assert "┃" in wide and not whole(values, wide)


def test_pipes_get_records_not_squeezed_tables(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = run_main("lists").out
    assert "\x1b[" not in out and "┃" not in out and "- id: cn-national-2024" in out


@pytest.mark.parametrize("width", [80, 200])
def test_vocab_never_cuts(monkeypatch, law, width):
    terminal(monkeypatch, width)
    out = plain(run_main("vocab", "categories").out)
    assert not whole([c.name.en for c in law.vocabulary.categories.values()], out)


def _register_with_deadlines(monkeypatch, tmp_path) -> list[str]:
    """A register with an overdue post-export report and a list filing's next step; the values
    `due` must show whole (issue 13 §6)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("FTZLIST_DB", raising=False)
    monkeypatch.setenv("FTZLIST_ACTOR", "lead@example.com")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    steps = [
        (
            "filings",
            "add",
            "acme-very-long-handler-name-ltd",
            "pharmacovigilance-flow",
            "fj.list_filing",
            "--on",
            "2026-02-10",
            "--recipient",
            "Acme AG",
            "--country",
            "CH",
        ),
        ("filings", "add", "ship", "crew", "sh.post-export-report", "--on", "2026-01-05"),
        ("filings", "record-export", "ship", "crew", "2026-02-06", "--persons", "10"),
    ]
    for args in steps:
        assert run_main(*args).code == 0
    doc = json.loads(run_main("due", "--as-of", "2026-03-10", "-f", "json").out)
    assert doc["items"], "the register owes something"
    return [v for i in doc["items"] for v in (i["title"], i["citation"], i["proceeding"], i["flow"])]


@pytest.mark.parametrize("width", [None, 80])
def test_due_keeps_every_value_whole(monkeypatch, tmp_path, width):
    values = _register_with_deadlines(monkeypatch, tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    if width:
        terminal(monkeypatch, width)
    out = plain(run_main("due", "--as-of", "2026-03-10").out)
    assert not whole(values, out), out
    assert str(tmp_path / "data") in out  # the register named whole, not cut by a box
    if width is None:
        assert "┃" not in out and "╭" not in out and "\x1b[" not in out


def test_due_on_a_wide_terminal_is_a_table(monkeypatch, tmp_path):
    values = _register_with_deadlines(monkeypatch, tmp_path)
    terminal(monkeypatch, 400)
    out = plain(run_main("due", "--as-of", "2026-03-10").out)
    assert "┃" in out and not whole(values, out)


CHANGE = """\
scenario: pharma.pharmacovigilance
purpose: pharmacovigilance reporting
method: SFTP
recipient: {name: Acme AG, country: CH}
storage_place: Basel
items:
  - {id: case_contact, category: pi.contact, persons: 40000}
persons: 40000
"""


def test_filings_screens_keep_every_value_whole_off_a_terminal(monkeypatch, tmp_path):
    """`filings change` (why a change is material), `filings show`, `filings audit` and `calendar
    years` in a pipe: records, not a table folding 'fujian-ftz-20/25' or an e-mail address."""
    _register_with_deadlines(monkeypatch, tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("FTZLIST_ACTOR", "a-long-actor-name@compliance.example.com")
    filed, bigger = tmp_path / "filed.yaml", tmp_path / "bigger.yaml"
    filed.write_text(CHANGE, encoding="utf-8")
    bigger.write_text(CHANGE.replace("40000", "90000"), encoding="utf-8")
    assert run_main("filings", "record", "FJ-2026-0001", "area_notice", "2026-02-13").code == 0
    assert run_main("filings", "record-filing", "FJ-2026-0001", "2026-02-24", str(filed)).code == 0
    out = run_main("filings", "change", "FJ-2026-0001", "2026-06-01", str(bigger), "--dry-run").out
    assert (
        "fujian-ftz-2025" in out
        and "security_assessment" in out
        and "standard_contract_or_certification" in out
    )
    assert "┃" not in out and "  why: " in out
    show = run_main("filings", "show", "FJ-2026-0001", "--as-of", "2026-03-10").out
    assert "files it with the provincial authorities and reports back to the handler" in show
    audit = run_main("filings", "audit", "--limit", "3").out
    assert "a-long-actor-name@compliance.example.com" in audit and "┃" not in audit
    years = run_main("calendar", "years").out
    assert "┃" not in years and "- year: " in years


@pytest.mark.parametrize("span", ["99999999999999999999d", "999999w", "3000000m"])
def test_due_within_beyond_the_calendar_is_bad_input_not_a_bug(monkeypatch, tmp_path, span):
    _register_with_deadlines(monkeypatch, tmp_path)
    r = run_main("due", "--within", span)
    assert r.code == 2 and "--within" in r.err and "internal error" not in r.err


def test_due_for_an_owner_nobody_is_is_an_error_not_nothing_owed(monkeypatch, tmp_path):
    _register_with_deadlines(monkeypatch, tmp_path)
    assert run_main("filings", "owner", "SH-2026-0002", "Li Wei").code == 0
    assert "SH-2026-0002" in run_main("due", "--as-of", "2026-03-10", "--owner", "Li Wei").out
    r = run_main("due", "--as-of", "2026-03-10", "--owner", "Li Wie")
    assert r.code == 2 and "Li Wie" in r.err and "Nothing is owed" not in r.out
