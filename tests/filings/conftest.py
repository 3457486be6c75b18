"""Register fixtures: every register test runs on SQLite and on PostgreSQL (a database created for
this test and dropped after; skipped when no server answers at 127.0.0.1:5432)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make filings_support importable

from filings_support import create_pg_db, drop_pg_db, fixture_book, pg_available

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.register import Register

PG = pg_available()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.sqlite3'}"
        return
    if not PG:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    name, url = create_pg_db()
    try:
        yield url
    finally:
        drop_pg_db(name)


@pytest.fixture
def reg(db_url):
    r = Register.open(
        db_url, calendar=bundled_calendar(), procedures=fixture_book(), actor="tester@example.com"
    )
    yield r
    r.close()
