"""Register fixtures: every register test runs on SQLite and on PostgreSQL.

PostgreSQL: one uniquely named database per test run (created, migrated once, dropped at the end);
each test starts from empty tables. SQLite: each test gets its own copy of a freshly migrated file.
PostgreSQL tests are skipped when no server answers at 127.0.0.1:5432.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make filings_support importable

from filings_support import create_pg_db, drop_pg_db, fixture_book, pg_available

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.db import make_engine, upgrade
from ftzlist.filings.models import Base
from ftzlist.filings.register import Register

PG = pg_available()


def reset_pg(engine) -> None:
    """Empty every table between tests. The register refuses TRUNCATE (and DELETE) from any client;
    the test server's superuser switches this transaction to replica mode, in which ordinary
    triggers do not fire. That is the owner's way round the guards, and the reason
    `ftzlist filings verify` checks rows against the audit trail, not only the triggers
    (test_filings_history.py shows it catching exactly this route)."""
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as c:
        c.exec_driver_sql("SET LOCAL session_replication_role = replica")
        c.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def pg_database():
    if not PG:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    name, url = create_pg_db()
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield url, engine
    finally:
        engine.dispose()
        drop_pg_db(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "register.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the main file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        target = tmp_path / "register.sqlite3"
        template = request.getfixturevalue("sqlite_template")
        shutil.copy(template, target)
        assert not template.with_name(template.name + "-wal").exists()
        yield f"sqlite:///{target}"
        return
    url, engine = request.getfixturevalue("pg_database")
    reset_pg(engine)
    yield url


@pytest.fixture
def reg(db_url):
    r = Register.open(
        db_url, calendar=bundled_calendar(), procedures=fixture_book(), actor="tester@example.com"
    )
    yield r
    r.close()
