"""Scanning a PostgreSQL table by SQLAlchemy URL (skipped when the server is not reachable)."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pytest

from ftzlist.discovery import synthetic as sy
from ftzlist.discovery.readers import open_source
from ftzlist.discovery.scanner import ScanOptions, scan

pytestmark = pytest.mark.postgres
URL = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture()
def pg_table():
    sa = pytest.importorskip("sqlalchemy")
    engine = sa.create_engine(URL.replace("postgresql://", "postgresql+psycopg://"))
    try:
        conn = engine.connect()
    except Exception:
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    name = f"scan_{uuid.uuid4().hex[:8]}"
    rng = np.random.default_rng(1)
    n = 300
    ids, phones, names = sy.resident_ids(rng, n), sy.mobiles(rng, n), sy.chinese_names(rng, n)
    with conn:
        conn.execute(
            sa.text(
                f'CREATE TABLE "{name}" (id serial PRIMARY KEY, "身份证号" text, mobile bigint, name text)'
            )
        )
        conn.execute(
            sa.text(f'INSERT INTO "{name}" ("身份证号", mobile, name) VALUES (:a, :b, :c)'),
            [
                {"a": a, "b": int(b), "c": c}
                for a, b, c in zip(ids.to_pylist(), phones.to_pylist(), names.to_pylist(), strict=False)
            ],
        )
        conn.commit()
    yield name, n
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP TABLE "{name}"'))
        conn.commit()
    engine.dispose()


def test_postgres_table(pg_table, vocab) -> None:
    name, n = pg_table
    with open_source(URL, table=f"public.{name}") as src:
        report = scan(src, ScanOptions(as_of=dt.date(2026, 11, 21), batch_rows=128), vocab)
        again = scan(src, ScanOptions(as_of=dt.date(2026, 11, 21), sample=100, seed=1), vocab)
    found = {c.name: [f.kind for f in c.findings] for c in report.columns}
    assert (
        found["身份证号"] == ["resident_id"]
        and found["mobile"] == ["phone"]
        and found["name"] == ["chinese_name"]
    )
    assert report.rows_scanned == n and report.persons[0].distinct_persons <= n
    assert again.rows_scanned == 100
    assert "postgres@127.0.0.1" in report.source
