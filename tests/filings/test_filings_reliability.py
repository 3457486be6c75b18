"""Reliability on SQLite and PostgreSQL: concurrent writer processes lose nothing; a process
killed mid-write leaves the database consistent."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filings_support import populate
from sqlalchemy import func, select, text

from ftzlist.filings.models import Application, AuditEntry, FiledItem, Filing, Flow, Proceeding, StepRecord
from ftzlist.filings.verify import verify

WORKER = Path(__file__).parent / "filings_worker.py"
PROCESSES, EACH = 4, 5


def spawn(url: str, worker: str, mode: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, worker, mode, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )


def counts(reg) -> dict[str, int]:
    with reg.engine.connect() as c:
        return {
            m.__tablename__: c.scalar(select(func.count()).select_from(m))
            for m in (Flow, Proceeding, Application, StepRecord, Filing, FiledItem, AuditEntry)
        }


def assert_consistent(reg, *, complete: bool) -> None:
    """Every committed transaction is whole: a proceeding has its application and opening steps,
    a filing step has its filing with all five items (and the other way round), every row has its
    audit entry. With `complete`, every proceeding got as far as its filing."""
    with reg.engine.connect() as c:
        if c.dialect.name == "sqlite":
            assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert c.execute(text("PRAGMA foreign_key_check")).all() == []
        for pid, key in c.execute(select(Proceeding.id, Proceeding.key)):
            steps = set(c.scalars(select(StepRecord.step_id).where(StepRecord.proceeding_id == pid)))
            assert "application" in steps, key
            assert (
                c.scalar(
                    select(func.count()).select_from(Application).where(Application.proceeding_id == pid)
                )
                == 1
            )
            filings = c.scalars(select(Filing.id).where(Filing.proceeding_id == pid)).all()
            assert len(filings) == ("filing" in steps), key
            if complete:
                assert {"application", "area_notice", "filing"} <= steps, key
            for fid in filings:
                assert (
                    c.scalar(select(func.count()).select_from(FiledItem).where(FiledItem.filing_id == fid))
                    == 5
                )
        for table, model in (
            ("proceedings", Proceeding),
            ("filings", Filing),
            ("flows", Flow),
            ("filed_items", FiledItem),
        ):
            ids = set(c.scalars(select(model.id)))
            audited = set(
                c.scalars(
                    select(AuditEntry.row_id).where(
                        AuditEntry.table_name == table, AuditEntry.before.is_(None)
                    )
                )
            )
            assert ids == audited, table
    report = verify(reg.engine)
    assert report.ok, report.problems


def test_concurrent_writers_lose_nothing(reg, db_url, record_property):
    reg.add_handler("shared", "Shared Handler")
    start = time.perf_counter()
    procs = [spawn(db_url, f"w{i}", str(EACH)) for i in range(PROCESSES)]
    outs = [p.communicate(timeout=180) for p in procs]
    elapsed = time.perf_counter() - start
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0 and "DONE" in out, err[-2000:]
    n = PROCESSES * EACH
    c = counts(reg)
    assert c["flows"] == n and c["proceedings"] == n and c["filings"] == n and c["filed_items"] == 5 * n
    with reg.engine.connect() as conn:
        keys = conn.scalars(select(Proceeding.key)).all()
    assert len(set(keys)) == n
    assert_consistent(reg, complete=True)
    record_property("filings_per_second", round(n / elapsed, 1))
    print(f"\n{db_url.split(':')[0]}: {PROCESSES} processes x {EACH} filings in {elapsed:.2f}s")


def test_concurrent_writers_and_a_vandal_rewriting_history(reg, db_url):
    """While writers record filings, another client tries every route round the append-only
    guarantee (DELETE, UPDATE, REPLACE, upsert, TRUNCATE) on every table: every attempt is refused,
    nothing is lost, and the history verifies whole."""
    populate(reg)  # a row in every table, so every route has something to rewrite
    reg.add_handler("shared", "Shared Handler")
    before = counts(reg)
    vandal = spawn(db_url, "v", "vandal")
    writers = [spawn(db_url, f"w{i}", str(EACH)) for i in range(PROCESSES)]
    outs = [p.communicate(timeout=180) for p in writers]
    finished = time.time()
    rounds = 0
    while True:
        line = vandal.stdout.readline()
        assert line, vandal.stderr.read()[-2000:]
        assert not line.startswith(("SUCCEEDED", "ERROR")), line
        _, started, _, refused_n, _, total = line.split()
        rounds += 1
        assert int(refused_n) == int(total) > 40, line  # every route on every table refused
        if float(started) > finished:  # a whole round after the writers finished
            break
    vandal.send_signal(signal.SIGKILL)  # killed mid-attempt: leaves nothing either
    vandal.wait(timeout=30)
    for p, (out, err) in zip(writers, outs, strict=True):
        assert p.returncode == 0 and "DONE" in out, err[-2000:]
    n = PROCESSES * EACH
    c = counts(reg)
    assert c["flows"] == before["flows"] + n and c["proceedings"] == before["proceedings"] + n
    assert c["filings"] == before["filings"] + n and c["filed_items"] == before["filed_items"] + 5 * n
    assert rounds >= 2
    assert_consistent(reg, complete=True)


def test_killed_mid_transaction_leaves_nothing_half_written(reg, db_url):
    reg.add_handler("shared", "Shared Handler")
    before = counts(reg)
    p = spawn(db_url, "k", "hang")
    line = p.stdout.readline()
    assert line.strip() == "FLUSHED", p.stderr.read()
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    assert counts(reg) == before
    # the database takes writes at once (SQLite lock released, PostgreSQL backend rolled back)
    reg.add_flow("shared", "after-kill")
    assert counts(reg)["flows"] == before["flows"] + 1
    assert_consistent(reg, complete=True)


def test_killed_at_random_moments_keeps_every_filing_whole(reg, db_url):
    reg.add_handler("shared", "Shared Handler")
    rng = random.Random(20261121)
    for round_ in range(2):
        p = spawn(db_url, f"r{round_}", "loop")
        p.stdout.readline()  # at least one filing committed
        time.sleep(rng.uniform(0.05, 0.4))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
    c = counts(reg)
    assert c["proceedings"] >= 2
    # each call is its own transaction: a filing may stop between calls, never inside one
    assert_consistent(reg, complete=False)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_processes_opening_a_fresh_database_at_once_migrate_it_once(backend, tmp_path):
    from filings_support import create_pg_db, drop_pg_db, fixture_book, pg_available

    from ftzlist.calendar import bundled_calendar
    from ftzlist.filings.db import current_revision, head_revision
    from ftzlist.filings.register import Register

    if backend == "postgres":
        if not pg_available():
            pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
        name, url = create_pg_db()
    else:
        name, url = None, f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    try:
        procs = [spawn(url, f"m{i}", "2", "migrate") for i in range(2)]
        outs = [p.communicate(timeout=180) for p in procs]
        for p, (out, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0 and "DONE" in out, err[-2000:]
        reg = Register.open(
            url, calendar=bundled_calendar(), procedures=fixture_book(), actor="t", migrate=False
        )
        assert current_revision(reg.engine) == head_revision()
        assert counts(reg)["proceedings"] == 4
        assert_consistent(reg, complete=True)
        reg.close()
    finally:
        if name:
            drop_pg_db(name)
