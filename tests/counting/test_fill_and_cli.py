"""`fill_declaration`, the `count` command, privacy of every output, and the components adapter."""

from __future__ import annotations

import json
import random

import duckdb
from tests.counting.conftest import rid, row, run, write_csv
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.counting.engine import DuckDBEngine, SqlComponentsEngine
from ftzlist.counting.fill import fill_declaration
from ftzlist.schema.declaration import Declaration

DECLARATION = {
    "handler": {"name": "Example Trading Co."},
    "flows": [
        {
            "id": "f1",
            "recipient": {"name": "HQ", "country": "SG"},
            "purpose": "customer service",
            "data": [
                {"id": "contact", "category": "contact"},
                {"id": "not-in-log", "category": "identity.name"},
            ],
        },
        {
            "id": "f2",
            "recipient": {"name": "Lab", "country": "DE"},
            "purpose": "research",
            "data": [{"category": "health"}],
        },
    ],
}


def test_fill_declaration_sets_persons_and_cites_the_run(tmp_path):
    m = {
        "date": {"column": "date"},
        "flow": {"column": "flow"},
        "data_item": {"column": "item"},
        "category": {"column": "cat"},
        "sensitivity": {"column": "sens", "values": {"S": "sensitive", "N": "non_sensitive"}},
        "identifiers": [{"kind": "resident_id", "column": "rid"}],
    }
    cols = ["date", "flow", "item", "cat", "sens", "rid"]
    rows = [
        {**row(flow="f1", rid=rid(1)), "cat": "contact.phone"},
        {**row(flow="f1", rid=rid(2)), "cat": "contact.phone"},
        {**row(flow="f1", rid=rid(2)), "cat": "contact.email"},
        {**row(flow="f2", item="lab", sens="S", rid=rid(3)), "cat": "health.diagnosis"},
    ]
    write_csv(tmp_path / "log0.csv", rows, columns=cols)
    from tests.counting.conftest import AS_OF, KEY, fixture_list

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.mapping import Mapping

    result = count_persons(
        expand([tmp_path / "log0.csv"]),
        Mapping.model_validate(m),
        as_of=AS_OF,
        key=KEY,
        lists=[fixture_list()],
        detail=True,
    )
    decl = Declaration.model_validate(DECLARATION)
    filled = fill_declaration(decl, result)
    contact, missing = filled.flows[0].data
    assert (
        contact.persons == 2
        and result.run_id in contact.persons_source
        and "flow 'f1'" in contact.persons_source
    )
    assert missing.persons is None and missing.persons_source is None  # not in the log: stays unknown
    health = filled.flows[1].data[0]  # matched by category (health covers health.diagnosis)
    assert health.persons == 1 and "category 'health'" in health.persons_source
    assert decl.flows[0].data[0].persons is None  # the input is not changed


def _cli_log(tmp_path):
    secret_rid, secret_phone = rid(77), "13812345678"
    write_csv(tmp_path / "log.csv", [row(rid=secret_rid, phone=secret_phone), row(pp="E12345678", ppc="CN")])
    (tmp_path / "map.yaml").write_text(
        "date: {column: date}\nflow: {column: flow}\ndata_item: {column: item}\n"
        "sensitivity: {column: sens, values: {S: sensitive, N: non_sensitive}}\n"
        "identifiers:\n  - {kind: resident_id, column: rid}\n  - {kind: passport, column: pp, country_column: ppc}\n"
        "  - {kind: phone, column: phone}\n"
    )
    return secret_rid, secret_phone


def test_count_command_json_and_privacy(tmp_path, monkeypatch):
    secret_rid, secret_phone = _cli_log(tmp_path)
    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    ev = tmp_path / "evidence.parquet"
    res = CliRunner().invoke(
        app,
        [
            "count",
            str(tmp_path / "log.csv"),
            "--mapping",
            str(tmp_path / "map.yaml"),
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
            "--evidence",
            str(ev),
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["totals"]["any"] == 2 and out["rule"]["list_id"] == "cn-national-2024"
    assert any(c["threshold"] == 1_000_000 for c in out["crossings"])  # thresholds read from the list file
    table = CliRunner().invoke(
        app, ["count", str(tmp_path / "log.csv"), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30"]
    )
    assert table.exit_code == 0, table.output
    evidence = duckdb.sql(f"SELECT * FROM read_parquet('{ev}')").fetchall()
    for text in (res.output, table.output, str(evidence), ev.read_bytes().decode("latin-1")):
        for secret in (secret_rid, secret_phone, secret_rid[:17], "E12345678"):
            assert secret not in text


def test_count_command_without_key_is_a_clear_error(tmp_path, monkeypatch, capsys):
    _cli_log(tmp_path)
    monkeypatch.delenv("FTZLIST_HASH_KEY", raising=False)
    import sys

    import pytest

    from ftzlist.cli import main

    monkeypatch.setattr(
        sys, "argv", ["ftzlist", "count", str(tmp_path / "log.csv"), "-m", str(tmp_path / "map.yaml")]
    )
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 2
    assert "no hash key" in capsys.readouterr().err


def test_key_file_option(tmp_path, monkeypatch):
    _cli_log(tmp_path)
    monkeypatch.delenv("FTZLIST_HASH_KEY", raising=False)
    (tmp_path / "key").write_text("0123456789abcdef0123\n")
    res = CliRunner().invoke(
        app,
        [
            "count",
            str(tmp_path / "log.csv"),
            "-m",
            str(tmp_path / "map.yaml"),
            "--key-file",
            str(tmp_path / "key"),
            "--as-of",
            "2025-06-30",
            "-f",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output


def test_sql_components_agree_with_scipy():
    rnd = random.Random(3)
    for _ in range(6):
        n = rnd.randint(5, 60)
        edges = [(rnd.randrange(n), rnd.randrange(n)) for _ in range(rnd.randint(0, n))]
        labels = []
        for engine in (DuckDBEngine(), SqlComponentsEngine()):
            engine.execute("CREATE TEMP TABLE e (a BIGINT, b BIGINT)")
            if edges:
                engine.execute("INSERT INTO e VALUES " + ", ".join(f"({a}, {b})" for a, b in edges))
            engine.create("v", f"SELECT CAST(range AS BIGINT) AS nid FROM range({n})")
            engine.connected_components("e", "v", "cc")
            labels.append(engine.rows("SELECT nid, comp FROM cc ORDER BY nid"))
            engine.close()
        assert labels[0] == labels[1]
        # the smallest node id of each component labels it
        assert all(comp <= nid for nid, comp in labels[0])


def test_same_key_same_hashes_other_key_other_hashes(tmp_path):
    rows = [row(rid=rid(1), pp="E7777777", ppc="CN"), row(rid=rid(2), pp="E7777777", ppc="CN")]
    a = run(tmp_path, rows)
    assert a.suspicious and all(" h:" in i for i in a.suspicious[0].identifiers)
    from tests.counting.conftest import AS_OF, MAPPING

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.mapping import Mapping

    b = count_persons(
        expand([tmp_path / "log0.csv"]),
        Mapping.model_validate(MAPPING),
        as_of=AS_OF,
        key=b"another-key-0123456789",
    )
    assert a.suspicious[0].identifiers != b.suspicious[0].identifiers


def test_decision_cites_the_counts_it_used(tmp_path):
    import datetime as dt

    from tests.counting.conftest import KEY, MAPPING

    from ftzlist.counting import count_persons, expand
    from ftzlist.counting.fill import cite_counts
    from ftzlist.counting.mapping import Mapping
    from ftzlist.engine import decide
    from ftzlist.loader import load_law

    write_csv(tmp_path / "log.csv", [row(flow="f1", rid=rid(n)) for n in range(1, 6)])
    law = load_law()
    day = dt.date(2025, 6, 30)
    result = count_persons(
        expand([tmp_path / "log.csv"]),
        Mapping.model_validate(MAPPING),
        as_of=day,
        key=KEY,
        lists=[law.lists.national(day)],
        detail=True,
    )
    decl = fill_declaration(Declaration.model_validate(DECLARATION), result)
    assert decl.flows[0].data[0].persons == 5
    decisions = cite_counts(decide(decl, law, day), decl)
    f1 = next(f for f in decisions.flows if f.flow_id == "f1")
    assert any(result.run_id in w and "(5)" in w for w in f1.warnings)
    assert 5 in [i.persons for i in f1.items]  # the engine decided on the counted figure
