"""The draft declaration: valid, every item a suggestion, placeholders to fill; the review check;
the `ftzlist scan` command end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from ftzlist.discovery.draft import draft_declaration
from ftzlist.discovery.readers import open_source
from ftzlist.discovery.scanner import ScanOptions, scan
from ftzlist.schema.declaration import Declaration

from .test_scan_tables import AS_OF, N, make_table, write


@pytest.fixture(scope="module")
def parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(make_table(), tmp_path_factory.mktemp("draft") / "export_log.parquet")


def report_of(path: Path, vocab, **kw):
    with open_source(str(path)) as src:
        return scan(src, ScanOptions(as_of=AS_OF, **kw), vocab)


def test_draft_is_a_valid_declaration_of_suggestions(parquet: Path, vocab) -> None:
    text = draft_declaration(report_of(parquet, vocab))
    decl = Declaration.model_validate(yaml.safe_load(text))
    items = decl.flows[0].data
    assert all(d.suggested for d in items)
    cats = {d.category for d in items}
    assert {
        "identity.government_id.resident_id",
        "identity.name",
        "contact.phone",
        "contact.email",
        "finance.bank_account",
        "vehicle.vin",
        "health.medical_record",
        "minor.under_14",
    } <= cats
    assert "business.organisation_id" not in cats  # a company code is not personal information
    minors = next(d for d in items if d.category == "minor.under_14")
    assert minors.persons == 10
    rid = next(d for d in items if d.category == "identity.government_id.resident_id")
    assert rid.persons == N - 2 and "this table only" in rid.persons_source
    assert decl.handler.name.startswith("TODO") and decl.flows[0].recipient.country == "XX"
    assert "TODO" in decl.flows[0].purpose
    assert "suggested: true" in text and "# Every data item below is a SUGGESTION" in text


def test_sampled_draft_leaves_persons_to_fill(parquet: Path, vocab) -> None:
    text = draft_declaration(report_of(parquet, vocab, sample=100))
    decl = Declaration.model_validate(yaml.safe_load(text))
    assert all(d.persons is None for d in decl.flows[0].data)
    assert "a seeded sample of 100 of" in text


def test_empty_scan_still_drafts_a_valid_file(tmp_path: Path, vocab) -> None:
    path = tmp_path / "n.parquet"
    pq.write_table(pa.table({"sku": ["A1", "B2"]}), path)
    decl = Declaration.model_validate(yaml.safe_load(draft_declaration(report_of(path, vocab))))
    assert [d.category for d in decl.flows[0].data] == ["business"]


def test_unreviewed_items(parquet: Path, vocab) -> None:
    data = yaml.safe_load(draft_declaration(report_of(parquet, vocab)))
    decl = Declaration.model_validate(data)
    pending = decl.suggested_items()
    assert len(pending) == len(decl.flows[0].data)
    assert pending[0].startswith("scan-export-log-parquet/")
    for item in data["flows"][0]["data"]:
        item["suggested"] = False
    assert Declaration.model_validate(data).suggested_items() == []


def test_cli_scan_table_json_and_draft(parquet: Path, tmp_path: Path) -> None:
    from ftzlist.cli import app

    out = tmp_path / "draft.yaml"
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["scan", str(parquet), "--as-of", "2026-11-21", "--draft-declaration", str(out)],
        env={"COLUMNS": "250"},
    )
    assert res.exit_code == 0, res.output
    assert "resident_id" in res.output and "证件号码" in res.output
    Declaration.model_validate(yaml.safe_load(out.read_text(encoding="utf-8")))
    res = runner.invoke(
        app, ["scan", str(parquet), "--as-of", "2026-11-21", "--format", "json", "--sample", "50"]
    )
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["rows_scanned"] == 50 and doc["as_of"] == "2026-11-21"
    table = make_table()
    raw = set(table.column("证件号码").to_pylist()) | set(table.column("phone").to_pylist())
    assert not [v for v in raw if v in res.output]


def test_cli_bad_input_is_exit_2(tmp_path: Path) -> None:
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-c", "from ftzlist.cli import main; main()", "scan", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2 and "file not found" in res.stderr and "Traceback" not in res.stderr


def test_as_of_defaults_to_today_in_the_cli_only() -> None:
    assert ScanOptions(as_of=dt.date(2026, 1, 1)).as_of == dt.date(2026, 1, 1)


def test_every_suggested_category_is_in_the_vocabulary(vocab) -> None:
    from ftzlist.discovery.detectors import DETECTORS
    from ftzlist.discovery.hints import RULES

    used = {k.category for d in DETECTORS for k in d.kinds} | {r.category for r in RULES}
    assert used <= set(vocab.categories), sorted(used - set(vocab.categories))


def test_list_items_naming_a_category(law) -> None:
    from ftzlist.discovery.matching import list_matches

    hits = list_matches(["finance.bank_account", "contact.email", "not.a.category"], law, AS_OF)
    assert "contact.email" not in hits and "not.a.category" not in hits
    assert all("/" in h for h in hits.get("finance.bank_account", []))
    # descendants match: an item naming `health` catches `health.medical_record`
    for cat, items in list_matches(["health.medical_record"], law, AS_OF).items():
        assert cat == "health.medical_record" and items


def test_draft_names_the_list_items(parquet: Path, vocab) -> None:
    report = report_of(parquet, vocab).model_copy(
        update={"list_matches": {"finance.bank_account": ["some-list/some-item"]}}
    )
    text = draft_declaration(report)
    assert "named by list item some-list/some-item" in text
    Declaration.model_validate(yaml.safe_load(text))
