"""Helpers shared by the register tests (procedure fixtures, dates, the PostgreSQL test server)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from functools import cache
from pathlib import Path

import yaml

from ftzlist.filings.procedures import ProcedureBook
from ftzlist.schema.lists import Procedure

HERE = Path(__file__).parent


def fixture_book() -> ProcedureBook:
    """The procedure fixtures (a fresh book each call; the parsed procedures are cached)."""
    book = ProcedureBook([])
    book.entries.update(_fixture_entries())
    return book


@cache
def _fixture_entries() -> dict:
    book = ProcedureBook([])
    raw = yaml.safe_load((HERE / "procedures.yaml").read_text(encoding="utf-8"))
    for list_id, spec in raw.items():
        for p in spec["procedures"]:
            book.add(list_id, Procedure.model_validate(p), spec["effective_from"])
    return dict(book.entries)


def bundled_book() -> ProcedureBook:
    """The procedures of the bundled list files, through the project loader."""
    from ftzlist.loader import load_law

    return ProcedureBook.from_law(load_law())


PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=test"


def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_DSN, connect_timeout=2):
            return True
    except Exception:
        return False


def create_pg_db() -> tuple[str, str]:
    """A uniquely named database for this test run: (name, SQLAlchemy URL)."""
    import psycopg

    name = f"ftzlist_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_DSN, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_db(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)
