"""Issue 11, crashes: an empty column name in a count mapping was a traceback with exit 1. Every
column a mapping names must be non-blank text without control characters; each variant is exit 2
naming the mapping's file, line and field, before any log is read."""

from __future__ import annotations

import pytest
import yaml

from ftzlist.errors import EXIT_INVALID

from .conftest import run_main

MAPPING = {
    "date": {"column": "date"},
    "flow": {"column": "flow"},
    "identifiers": [{"kind": "resident_id", "column": "rid"}],
}


@pytest.mark.parametrize(
    ("place", "column"),
    [
        ("flow", ""),  # the input quoted in the issue
        ("flow", "   "),
        ("flow", "\t"),
        ("date", "da\x00te"),
        ("date", "line\nbreak"),
        ("identifiers", ""),
    ],
)
def test_blank_or_control_column_names_are_refused(tmp_path, monkeypatch, place, column):
    monkeypatch.setenv("FTZLIST_HASH_KEY", "mapping-test-key-0123456789")
    mapping = yaml.safe_load(yaml.safe_dump(MAPPING))
    if place == "identifiers":
        mapping["identifiers"][0]["column"] = column
    else:
        mapping[place]["column"] = column
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("date,flow,rid\n2025-03-01,pv,350203199001010018\n", encoding="utf-8")
    r = run_main("count", str(log), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30")
    assert r.code == EXIT_INVALID, r.output
    assert r.err.startswith("error: ") and "map.yaml:" in r.err and ".column" in r.err
    assert "Traceback" not in r.output and "internal error" not in r.err


def test_a_named_column_still_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("FTZLIST_HASH_KEY", "mapping-test-key-0123456789")
    (tmp_path / "map.yaml").write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    log = tmp_path / "log.csv"
    log.write_text("date,flow,rid\n2025-03-01,pv,350203199001010018\n", encoding="utf-8")
    r = run_main("count", str(log), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30", "-f", "json")
    assert r.code == 0, r.err
    assert '"any": 1' in r.out
