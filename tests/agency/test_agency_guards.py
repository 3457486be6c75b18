"""The desk's tables keep their history like the register's (migration a001), on SQLite and on
PostgreSQL: no row is deleted, addresses and upward reports are never changed; the desk's writes
are in the register's audit chain, which `filings verify` still finds intact."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parents[1] / "filings"))  # filings_support (PostgreSQL helpers)

from filings_support import create_pg_db, drop_pg_db, pg_available

from ftzlist.agency.desk import Desk, DeskScope
from ftzlist.calendar import WorkingCalendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.filings.verify import verify
from ftzlist.loader import load_law

LAW = load_law()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'r.sqlite3'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    name, pg_url = create_pg_db()
    yield pg_url
    drop_pg_db(name)


def test_history_of_the_desk_cannot_be_rewritten(url):
    reg = Register.open(
        url, calendar=WorkingCalendar.load(), procedures=ProcedureBook.from_law(LAW), actor="xm"
    )
    desk = Desk(reg, LAW, DeskScope("fujian-ftz", "xiamen"))
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "crm")
    key = reg.open_proceeding("acme", "crm", "fj.list_filing", dt.date(2026, 3, 2))
    desk.address(key, "fujian-ftz/xiamen", dt.date(2026, 3, 2))
    desk.record_step(key, "area_notice", dt.date(2026, 3, 2))
    content = {
        "purpose": "p",
        "recipient": {"name": "R", "country": "SG"},
        "items": [{"id": "a", "category": "pi.basic"}],
    }
    reg.record_filing(key, dt.date(2026, 3, 3), FiledContent.model_validate(content))
    desk.record_opinion(key, dt.date(2026, 3, 4), "off_list")
    desk.report_opinion_up(key, dt.date(2026, 3, 4))
    desk.spot_check(key, dt.date(2026, 4, 1), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    cols = "id, proceeding_id, scope, addressed_on"
    copy = f"SELECT {cols} FROM agency_addresses"
    moved = "SELECT id, proceeding_id, 'fujian-ftz/fuzhou', addressed_on FROM agency_addresses WHERE true"
    routes = [
        # red team R3: REPLACE deleted the address without a trigger and moved it to another desk
        f"INSERT INTO agency_addresses ({cols}) {moved} ON CONFLICT DO NOTHING",
        "INSERT INTO agency_addresses (proceeding_id, scope, addressed_on) "
        "SELECT proceeding_id, scope, addressed_on FROM agency_addresses WHERE true ON CONFLICT DO NOTHING",
        "INSERT INTO agency_reports SELECT * FROM agency_reports WHERE true ON CONFLICT DO NOTHING",
        "INSERT INTO agency_spot_checks SELECT * FROM agency_spot_checks WHERE true ON CONFLICT DO NOTHING",
        "UPDATE agency_spot_checks SET id = id + 1000",
    ]
    if reg.engine.dialect.name == "sqlite":
        routes += [
            f"INSERT OR REPLACE INTO agency_addresses ({cols}) {moved}",
            f"REPLACE INTO agency_addresses ({cols}) {copy}",
            "INSERT OR REPLACE INTO agency_addresses (proceeding_id, scope, addressed_on) "
            "SELECT proceeding_id, 'fujian-ftz/fuzhou', addressed_on FROM agency_addresses",
            "INSERT OR REPLACE INTO agency_reports SELECT * FROM agency_reports",
            "INSERT OR REPLACE INTO agency_spot_checks SELECT * FROM agency_spot_checks",
            "UPDATE OR REPLACE agency_spot_checks SET id = id + 1000",
        ]
    for sql in routes:
        with pytest.raises(Exception, match="refused"), reg.engine.begin() as c:
            c.execute(text(sql))
    with reg.engine.connect() as c:
        assert c.scalar(text("SELECT scope FROM agency_addresses")) == "fujian-ftz/xiamen"
    for sql in (
        "DELETE FROM agency_addresses",
        "UPDATE agency_addresses SET scope = 'fujian-ftz/fuzhou'",
        "UPDATE agency_reports SET reported_on = '2026-01-01'",
        "DELETE FROM agency_reports",
        "DELETE FROM agency_spot_checks",
    ):
        with pytest.raises(Exception, match="refused"), reg.engine.begin() as c:
            c.execute(text(sql))
    report = verify(reg.engine)
    assert report.ok, report
    actions = {e.action for e in reg.audit()}
    assert {"agency_address", "agency_report_opinion", "agency_spot_check"} <= actions
    reg.close()


def test_verify_finds_a_desk_guard_dropped(url):
    """`filings verify` checks the desk's guards as it checks the register's (red team R3)."""
    reg = Register.open(
        url, calendar=WorkingCalendar.load(), procedures=ProcedureBook.from_law(LAW), actor="xm"
    )
    with reg.engine.begin() as c:
        on = " ON agency_addresses" if c.dialect.name == "postgresql" else ""
        c.exec_driver_sql(f"DROP TRIGGER ftzlist_agency_addresses_no_overwrite{on}")
    found = [str(p) for p in verify(reg.engine).problems]
    assert found == [
        "agency_addresses: trigger ftzlist_agency_addresses_no_overwrite is missing: rewrites are not refused"
    ]
    reg.close()
