"""A separate process writing to the register, for the reliability tests.

python filings_worker.py URL WORKER N          record N complete filings
python filings_worker.py URL WORKER hang       write inside one transaction, print FLUSHED, hang
python filings_worker.py URL WORKER loop       record filings until killed
python filings_worker.py URL WORKER vandal     try to rewrite history by every SQL route until killed;
                                               prints ROUND start REFUSED n OF m per round, or
                                               SUCCEEDED and the SQL
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from filings_support import fixture_book

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import Register

CONTENT = FiledContent.model_validate(
    {
        "purpose": "group HR",
        "recipient": {"name": "Parent GmbH", "country": "DE"},
        "items": [{"id": f"item{i}", "category": "pi.employment", "persons": 10 * i} for i in range(1, 6)],
    }
)


def one_filing(reg: Register, worker: str, j: int) -> str:
    flow = f"{worker}-{j}"
    reg.add_flow("shared", flow)
    key = reg.open_proceeding("shared", flow, "fj.list_filing", dt.date(2026, 3, 2))
    reg.record_step(key, "area_notice", dt.date(2026, 3, 3))
    reg.record_filing(key, dt.date(2026, 3, 4), CONTENT)
    return key


def vandal_routes(dialect: str, table: str, cols: list[str]) -> list[str]:
    """Every route that would change or remove an existing row of `table`."""
    names = ", ".join(cols)
    col = next(c for c in cols if c != "id")
    copy = f"SELECT {names} FROM {table} WHERE id = (SELECT min(id) FROM {table})"
    routes = [
        f"DELETE FROM {table}",
        f"INSERT INTO {table} ({names}) {copy} ON CONFLICT (id) DO UPDATE SET {col} = excluded.{col}",
    ]
    if dialect == "sqlite":
        routes += [
            f"INSERT OR REPLACE INTO {table} ({names}) {copy}",
            f"REPLACE INTO {table} ({names}) {copy}",
        ]
    else:
        routes += [f"TRUNCATE {table} CASCADE"]
    return routes


def vandal(reg: Register) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from ftzlist.filings.audit import APPEND_ONLY
    from ftzlist.filings.models import Base

    append_only = {m.__tablename__ for m in APPEND_ONLY}
    dialect = reg.engine.dialect.name
    while True:
        refused, total, started = 0, 0, time.time()
        for table in Base.metadata.sorted_tables:
            cols = [c.name for c in table.columns]
            routes = vandal_routes(dialect, table.name, cols)
            if table.name in append_only:
                routes.append(f"UPDATE {table.name} SET {cols[1]} = {cols[1]}")
            for sql in routes:
                total += 1
                try:
                    with reg.engine.begin() as c:
                        n = c.execute(text(sql)).rowcount
                    if n:  # an empty table has nothing to rewrite yet
                        print("SUCCEEDED", sql, flush=True)
                except DBAPIError as exc:
                    if "refused" not in str(exc) and "locked" not in str(exc):
                        print("ERROR", sql, str(exc).splitlines()[0], flush=True)
                    refused += 1
        print("ROUND", started, "REFUSED", refused, "OF", total, flush=True)


def main() -> None:
    url, worker, mode = sys.argv[1:4]
    migrate = sys.argv[4:5] == ["migrate"]  # several processes opening a fresh database at once
    reg = Register.open(
        url, calendar=bundled_calendar(), procedures=fixture_book(), actor=f"worker-{worker}", migrate=migrate
    )
    if migrate:
        reg.ensure_handler("shared", "Shared Handler")
    if mode == "hang":
        with reg._session("hang") as s:  # one transaction that never commits
            from ftzlist.filings.models import Flow, Handler

            h = s.query(Handler).filter_by(key="shared").one()
            for j in range(200):
                s.add(Flow(handler_id=h.id, key=f"{worker}-hang-{j}", created_at=reg.clock()))
            s.flush()
            print("FLUSHED", flush=True)
            time.sleep(120)
        return
    if mode == "vandal":
        vandal(reg)
    if mode == "loop":
        j = 0
        while True:
            one_filing(reg, worker, j)
            print(j, flush=True)
            j += 1
    for j in range(int(mode)):
        one_filing(reg, worker, j)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
