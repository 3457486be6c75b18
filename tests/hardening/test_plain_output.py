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
