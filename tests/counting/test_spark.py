"""The Spark engine gives what DuckDB gives: the same random logs through both (Spark local[2]),
every count, crossing date and evidence group compared. Skipped, with the reason, only where
PySpark or a Java runtime is missing (`.ci/run` installs both)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.counting.conftest import AS_OF, KEY, MAPPING, bad_rid, fixture_list, rid, row, write_csv

from ftzlist.counting import count_persons, expand
from ftzlist.counting.engine import DuckDBEngine
from ftzlist.counting.mapping import Mapping
from ftzlist.errors import InputError


def _java_ok() -> bool:
    java = shutil.which("java")
    if not java:
        return False
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    try:
        major = int(out.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        return False
    return major >= 17


pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="PySpark is not installed (ftzlist[spark])"
    ),
    pytest.mark.skipif(not _java_ok(), reason="no Java runtime 17 or later (Spark needs one)"),
]

LINKING = {
    **MAPPING,
    "identifiers": [
        {"kind": "resident_id", "column": "rid"},
        {"kind": "passport", "column": "pp", "country_column": "ppc"},
        {"kind": "phone", "column": "phone", "link": True},
        {"kind": "email", "column": "email", "link": True},
        {"kind": "customer_id", "column": "cust", "namespace": "crm"},
    ],
}


@pytest.fixture(scope="module")
def spark_engine():
    from ftzlist.counting.spark import SparkEngine

    e = SparkEngine(master="local[2]", conf={"spark.sql.shuffle.partitions": "2"})
    yield e
    e.close()


def both(paths, spark_engine, mapping=LINKING, tmp=None, **kw):
    """The same count on DuckDB and on Spark, with evidence from each."""
    m = Mapping.model_validate(mapping)
    out = []
    for name, engine in (("duckdb", DuckDBEngine()), ("spark", spark_engine)):
        ev = tmp / f"ev-{name}.parquet" if tmp else None
        r = count_persons(
            expand(paths),
            m,
            as_of=kw.get("as_of", AS_OF),
            key=KEY,
            lists=[fixture_list()],
            detail=True,
            engine=engine,
            evidence=ev,
        )
        if name == "duckdb":
            engine.close()
        out.append((r, _groups(ev) if ev else None))
    return out


def _groups(path):
    """Evidence groups as sets of hashed identifiers (group ids are engine-internal)."""
    import pyarrow.parquet as pq

    t = pq.read_table(path).to_pylist()
    groups: dict = {}
    for r in t:
        groups.setdefault(r["group_id"], set()).add(
            (r["identifier_column"], r["identifier_hash"], r["doubtful"])
        )
    return sorted(sorted(g) for g in groups.values())


def assert_same(a, b):
    (ra, ga), (rb, gb) = a, b
    da, db = ra.model_dump(), rb.model_dump()
    for k in da:
        assert da[k] == db[k], k
    assert ga == gb


@st.composite
def logs(draw):
    n = draw(st.integers(1, 14))
    rows = []
    for _ in range(n):
        p = draw(st.integers(1, 7))
        kind = draw(st.sampled_from(["rid", "pp", "both", "cust", "phone", "email", "bad", "none"]))
        ids = {}
        if kind in ("rid", "both"):
            ids["rid"] = rid(p)
        if kind in ("pp", "both"):
            ids["pp"], ids["ppc"] = f"E{p:08d}", draw(st.sampled_from(["CN", "CHN"]))
        if kind == "cust":
            ids["cust"] = f"C{p}"
        if kind == "phone":
            ids["phone"] = draw(
                st.sampled_from([f"1380013800{p}", f"+86 138-0013-800{p}", f"+44 20 7946 00{p:02d}"])
            )
        if kind == "email":
            ids["email"] = f"u{p}@example.com"
        if kind == "bad":
            ids["rid"] = bad_rid(p)
        day = dt.date(2025, 1, 1) + dt.timedelta(days=draw(st.integers(0, 200)))
        date = draw(
            st.sampled_from(
                [
                    day.isoformat(),
                    f"{day.isoformat()}T{draw(st.integers(0, 23)):02d}:30:00Z",
                    f"{day:%Y/%m/%d}",
                    f"{day.isoformat()} 23:59:59",
                ]
            )
        )
        rows.append(
            row(
                date=date,
                flow=draw(st.sampled_from(["f1", "f2"])),
                item=draw(st.sampled_from(["contact", "health"])),
                sens=draw(st.sampled_from(["N", "S", ""])),
                ground=draw(st.sampled_from(["", "", "HR"])),
                **ids,
            )
        )
    return rows


# a Spark run takes seconds: few examples, no shrinking (a failure prints its example)
@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=logs())
def test_random_logs_give_the_same_answer_on_spark_and_duckdb(tmp_path, spark_engine, rows):
    p = write_csv(tmp_path / "log.csv", rows)
    a, b = both([p], spark_engine, tmp=tmp_path)
    assert_same(a, b)


def test_known_log_with_every_linking_rule(tmp_path, spark_engine):
    rows = [
        row(date="2025-01-02", rid=rid(1), pp="E00000001", ppc="CN"),
        row(date="2025-01-03", pp="E00000001", ppc="CN", cust="C9"),  # joins person 1 through the passport
        row(date="2025-01-04", cust="C9", flow="f2", sens="S"),
        row(date="2025-01-05", rid=rid(2), phone="13800138000"),
        row(date="2025-01-06", phone="13800138000", item="health"),  # attached to person 2 (link: true)
        row(date="2025-01-07", rid=rid(3), email="x@example.com", ground="HR"),
        row(date="2025-01-08", rid=rid(4), email="x@example.com"),  # shared e-mail: links nothing
        row(date="2025-01-09", rid=bad_rid(5)),  # invalid: its own person
        row(date="2025-12-31T20:00:00Z", rid=rid(6)),  # 1 January in China: outside 2025
    ]
    p = write_csv(tmp_path / "log.csv", rows)
    a, b = both([p], spark_engine, tmp=tmp_path, as_of=dt.date(2025, 12, 31))
    assert_same(a, b)
    r = b[0]
    assert (r.totals.any, r.exempt_totals.any) == (4, 1)
    assert r.quality.shared_weak_values == 1 and r.quality.weak_attached_rows == 1


def test_parquet_and_jsonl_logs(tmp_path, spark_engine):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [row(rid=rid(n), date=f"2025-02-{n:02d}") for n in range(1, 6)]
    cols = list(rows[0])
    table = {c: [r[c] for r in rows] for c in cols} | {"cust": pa.array([None] * len(rows), pa.string())}
    pq.write_table(pa.table(table), tmp_path / "a.parquet")
    (tmp_path / "b.jsonl").write_text("".join(json.dumps({**r, "cust": 77}) + "\n" for r in rows[:2]))
    m = {
        **MAPPING,
        "identifiers": [{"kind": "resident_id", "column": "rid"}, {"kind": "customer_id", "column": "cust"}],
    }
    m.pop("sensitivity"), m.pop("exemption")
    a, b = both([tmp_path / "a.parquet", tmp_path / "b.jsonl"], spark_engine, mapping=m)
    assert_same(a, b)
    assert b[0].totals.any == 5


def test_unbalanced_quote_is_refused_on_spark_too(tmp_path, spark_engine):
    p = write_csv(tmp_path / "q.csv", [row(rid=rid(1))])
    p.write_text(p.read_text() + '2025-03-02,"f1,contact,N,' + rid(2) + ",,,,,,\n")
    with pytest.raises(InputError) as e:
        count_persons(
            expand([p], remote=True),
            Mapping.model_validate(MAPPING),
            as_of=AS_OF,
            key=KEY,
            engine=spark_engine,
        )
    assert "q.csv:3" in str(e.value) and "double quote" in str(e.value) and rid(2) not in str(e.value)


def test_count_command_on_spark(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ftzlist.cli import app

    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    p = write_csv(tmp_path / "log.csv", [row(rid=rid(1)), row(rid=rid(2), flow="f2")])
    (tmp_path / "map.yaml").write_text(json.dumps(MAPPING))
    args = ["count", str(p), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30", "-f", "json"]
    duck = json.loads(CliRunner().invoke(app, args).output)
    res = CliRunner().invoke(app, [*args, "--engine", "spark", "--spark-master", "local[1]"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == duck
