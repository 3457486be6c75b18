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


def populate(reg) -> None:
    """At least one row in every register table (handler `acme`, flow `hr`, Fujian fixture)."""
    from ftzlist.filings.content import FiledContent

    content = FiledContent.model_validate(
        {
            "purpose": "group HR",
            "recipient": {"name": "Parent GmbH", "country": "DE"},
            "items": [
                {"id": f"item{i}", "category": "pi.employment", "persons": 10 * i} for i in range(1, 6)
            ],
        }
    )  # five items, like the reliability workers' filings
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "hr")
    reg.snapshot_decision(
        "acme",
        "hr",
        as_of=d("2026-03-01"),
        pathway="standard_contract_or_certification",
        list_versions={"fujian-ftz-2025": "ab" * 32},
        input_hash="cd" * 32,
        engine_version="test",
        decision={"pathway": "standard_contract_or_certification", "ratio": 1.25, "名": "数据"},
    )
    key = reg.open_proceeding("acme", "hr", "fj.list_filing", d("2026-03-02"))
    reg.record_step(key, "area_notice", d("2026-03-03"))
    reg.record_filing(key, d("2026-03-04"), content)
    reg.record_opinion(key, d("2026-03-06"), "off_list")
    assert reg.record_export("acme", "hr", d("2026-03-09"), persons=900).inconsistencies  # more than filed
    reg.record_incident("acme", "hr", d("2026-03-10"), "misdirected batch")
