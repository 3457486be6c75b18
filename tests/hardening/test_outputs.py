"""Issue 11, crashes and overwrites; issue 13 §6, plain output. Outputs never overwrite inputs, an
existing file is replaced only with --force, --out with several inputs is handled, user text is
never markup, and without a terminal every value is printed whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from ftzlist.errors import EXIT_INVALID

from .conftest import DECLARATION, run_main


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def inventory(tmp_path, declaration) -> Path:
    inv = tmp_path / "inv.xlsx"
    r = run_main("template", "--from", str(declaration), "--out", str(inv))
    assert r.code == 0, r.err
    return inv


def test_assess_refuses_to_write_its_input_workbook(inventory):
    before = digest(inventory)
    r = run_main("assess", str(inventory), "--format", "xlsx", "--out", str(inventory))
    assert r.code == EXIT_INVALID and "would overwrite an input file" in r.err
    assert digest(inventory) == before


def test_assess_refuses_an_input_reached_through_a_link(tmp_path, declaration):
    link = tmp_path / "link.yaml"
    link.symlink_to(declaration)
    before = digest(declaration)
    r = run_main("assess", str(declaration), "--format", "json", "--out", str(link))
    assert r.code == EXIT_INVALID and "would overwrite an input file" in r.err
    assert digest(declaration) == before


def test_assess_out_with_several_inputs(tmp_path, declaration):
    other = tmp_path / "other.yaml"
    other.write_text(DECLARATION.replace("Test Co", "Other Co"), encoding="utf-8")
    r = run_main("assess", str(declaration), str(other), "-f", "xlsx", "--out", str(tmp_path / "one.xlsx"))
    assert r.code == EXIT_INVALID and "--out names one file but 2 inputs" in r.err
    assert not (tmp_path / "one.xlsx").exists()
    folder = tmp_path / "out"
    folder.mkdir()
    r = run_main("assess", str(declaration), str(other), "-f", "xlsx", "--out", str(folder))
    assert r.code in (0, 1), r.err
    assert sorted(p.name for p in folder.iterdir()) == ["decl-decisions.xlsx", "other-decisions.xlsx"]
    # the same again: both files exist now, nothing is replaced without --force
    r = run_main("assess", str(declaration), str(other), "-f", "xlsx", "--out", str(folder))
    assert r.code == EXIT_INVALID and "exists; pass --force" in r.err
    assert run_main(
        "assess", str(declaration), str(other), "-f", "xlsx", "--out", str(folder), "--force"
    ).code in (0, 1)


def test_assess_json_to_a_file_and_table_refuses_out(tmp_path, declaration):
    target = tmp_path / "d.json"
    r = run_main("assess", str(declaration), "-f", "json", "--out", str(target))
    assert r.code in (0, 1), r.err
    assert json.loads(target.read_text())["handler"] == "Test Co" and r.out == ""
    r = run_main("assess", str(declaration), "--out", str(tmp_path / "t.txt"))
    assert r.code == EXIT_INVALID and "--out writes json" in r.err and "add --format" in r.err


def test_scan_refuses_to_draft_over_the_table(tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("phone,name\n13800138000,王小明\n13900139000,李四\n", encoding="utf-8")
    before = digest(data)
    r = run_main("scan", str(data), "--draft-declaration", str(data))
    assert r.code == EXIT_INVALID and "would overwrite an input file" in r.err
    assert digest(data) == before
    draft = tmp_path / "draft.yaml"
    assert run_main("scan", str(data), "--draft-declaration", str(draft)).code == 0
    assert run_main("scan", str(data), "--draft-declaration", str(draft)).code == EXIT_INVALID
    assert run_main("scan", str(data), "--draft-declaration", str(draft), "--force").code == 0


def test_template_asks_for_force(tmp_path):
    out = tmp_path / "inv.xlsx"
    assert run_main("template", "--out", str(out)).code == 0
    before = digest(out)
    r = run_main("template", "--out", str(out))
    assert r.code == EXIT_INVALID and "exists; pass --force to replace it" in r.err
    assert digest(out) == before
    assert run_main("template", "--out", str(out), "--force").code == 0
    assert run_main("template", "--out", str(tmp_path / "nofolder" / "x.xlsx")).code == EXIT_INVALID


def test_report_refuses_its_declaration_and_asks_for_force(tmp_path, declaration):
    r = run_main("report", str(declaration), "-f", "html", "--out", str(declaration))
    assert r.code == EXIT_INVALID and "would overwrite an input file" in r.err
    out = tmp_path / "r.html"
    assert run_main("report", str(declaration), "-f", "html", "--out", str(out)).code == 0
    assert run_main("report", str(declaration), "-f", "html", "--out", str(out)).code == EXIT_INVALID


def test_count_evidence_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.setenv("FTZLIST_HASH_KEY", "test-key-0123456789abcdef")
    log = tmp_path / "log.csv"
    log.write_text("date,flow,rid\n2025-03-01,f1,110101199003078515\n", encoding="utf-8")
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
    before = digest(log)
    args = ("count", str(log), "--mapping", str(mapping), "--as-of", "2025-06-30")
    r = run_main(*args, "--evidence", str(log))
    assert r.code == EXIT_INVALID and "would overwrite an input file" in r.err
    assert digest(log) == before
    r = run_main(*args, "--evidence", str(mapping))
    assert r.code == EXIT_INVALID
    ev = tmp_path / "ev.parquet"
    ev.write_bytes(b"keep me")
    r = run_main(*args, "--evidence", str(ev))
    assert r.code == EXIT_INVALID and "exists; pass --force" in r.err and ev.read_bytes() == b"keep me"
    assert run_main(*args, "--evidence", str(ev), "--force").code == 0, "replaced with --force"


# --- dates ------------------------------------------------------------------------------------------


def test_default_as_of_is_the_china_standard_time_day(monkeypatch, tmp_path):
    import ftzlist.commands.common as common

    # 20:00 UTC on 31 December is 04:00 on 1 January in China
    monkeypatch.setattr(
        common, "now", lambda: dt.datetime(2025, 12, 31, 20, 0, tzinfo=dt.UTC).astimezone(common.CST)
    )
    assert common.today() == dt.date(2026, 1, 1)
    p = tmp_path / "d.yaml"
    p.write_text(DECLARATION.replace("as_of: 2026-03-31\n", ""), encoding="utf-8")
    r = run_main("assess", str(p), "-f", "json")
    assert json.loads(r.out)["as_of"] == "2026-01-01"


def test_far_future_as_of_warns(declaration):
    r = run_main("assess", str(declaration), "-f", "json", "--as-of", "2099-01-01")
    assert r.code in (0, 1)
    assert "warning: the assessment date 2099-01-01 is" in r.err and "days ahead" in r.err
    assert json.loads(r.out)["as_of"] == "2099-01-01"
    r = run_main("assess", str(declaration), "-f", "json")
    assert "warning" not in r.err


@pytest.mark.parametrize("bad", ["2026/06/30", "20260630", "2026-6-30", "tomorrow", "2026-02-30"])
def test_as_of_must_be_iso(declaration, bad):
    r = run_main("assess", str(declaration), "--as-of", bad)
    assert r.code == EXIT_INVALID and "is not a date in the form YYYY-MM-DD" in r.err


# --- markup in user text --------------------------------------------------------------------------


MARKUP = ["acme[/x]", "[/]", "[bold]x", "[link=http://x]y", ":phone: 1", "a\\[b]"]


@pytest.mark.parametrize("text", MARKUP)
def test_markup_in_declaration_text_is_printed_as_text(tmp_path, text):
    p = tmp_path / "d.yaml"
    p.write_text(
        DECLARATION.replace("name: Test Co", f"name: {json.dumps(text)}").replace(
            "purpose: adverse event reporting", f"purpose: {json.dumps(text)}"
        ),
        encoding="utf-8",
    )
    for fmt in ("table", "markdown", "json"):
        r = run_main("assess", str(p), "-f", fmt, "--explain")
        assert r.code in (0, 1), (fmt, r.err)
        assert "internal error" not in r.err
    r = run_main("assess", str(p))
    assert text in r.out
    r = run_main("compare", str(p), "--zones", "fujian-ftz")
    assert r.code == 0 and text in r.out


@pytest.mark.parametrize("text", MARKUP[:3])
def test_markup_in_register_keys_commits_and_stays_readable(tmp_path, text):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    r = run_main("filings", "add", text, "pv", "fj.list_filing", "--on", "2026-01-05", "--db", db)
    assert r.code == 0, r.err
    listed = run_main("filings", "list", "--db", db)
    assert listed.code == 0 and text in listed.out
    key = next(line.split(": ", 1)[1] for line in listed.out.splitlines() if "key: " in line)
    shown = run_main("filings", "show", key, "--db", db)
    assert shown.code == 0 and text in shown.out
