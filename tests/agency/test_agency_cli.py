"""`ftzlist agency` on the command line: queue, report files, package export and import between two
registers; bad input is a message naming what was expected and exit 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from ftzlist.agency.desk import Desk
from ftzlist.calendar import WorkingCalendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law

LAW = load_law()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from ftzlist.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={"FTZLIST_ACTOR": "cli-test", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def test_queue_report_and_packages(tmp_path):
    handler_db = f"sqlite:///{tmp_path / 'h.sqlite3'}"
    reg = Register.open(
        handler_db, calendar=WorkingCalendar.load(), procedures=ProcedureBook.from_law(LAW), actor="dpo"
    )
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "crm", scenario="retail.membership")
    key = reg.open_proceeding("acme", "crm", "fj.list_filing", dt.date(2026, 3, 2))
    Desk(reg, LAW, None).address(key, "fujian-ftz/pingtan", dt.date(2026, 3, 2))
    reg.record_step(key, "area_notice", dt.date(2026, 3, 4))
    content = {
        "purpose": "membership",
        "recipient": {"name": "R", "country": "SG"},
        "items": [{"id": "member_no", "category": "pi.basic", "persons": 10}],
    }
    reg.record_filing(key, dt.date(2026, 3, 6), FiledContent.model_validate(content))
    reg.close()

    q = cli("agency", "queue", "--area", "fujian-ftz/pingtan", "--today", "2026-03-16", "--db", handler_db)
    assert q.returncode == 0, q.stderr
    assert "overdue" in q.stdout and "2026-03-13" in q.stdout and "agency" in q.stdout and key in q.stdout
    other = cli("agency", "queue", "--area", "fujian-ftz/xiamen", "--today", "2026-03-16", "--db", handler_db)
    assert other.returncode == 0 and key not in other.stdout

    zpath = tmp_path / "p.zip"
    r = cli("agency", "package", "export", key, "--out", str(zpath), "--db", handler_db)
    assert r.returncode == 0, r.stderr
    again = cli("agency", "package", "export", key, "--out", str(zpath), "--db", handler_db)
    assert again.returncode == 2 and "--force" in again.stderr
    agency_db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    r = cli("agency", "package", "import", str(zpath), "--area", "fujian-ftz/pingtan", "--db", agency_db)
    assert r.returncode == 0, r.stderr
    new = r.stdout.strip()
    q = cli("agency", "queue", "--area", "fujian-ftz/pingtan", "--today", "2026-03-16", "--db", agency_db)
    assert new in q.stdout and "2026-03-13" in q.stdout

    out = tmp_path / "reports"
    out.mkdir()
    r = cli(
        "agency",
        "report",
        "--area",
        "fujian-ftz/pingtan",
        "--half",
        "2026H1",
        "--out",
        str(out),
        "--record",
        "--db",
        agency_db,
    )
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "fujian-ftz-pingtan-2026H1.pdf",
        "fujian-ftz-pingtan-2026H1.xlsx",
    ]
    assert "recorded as report #1" in r.stderr

    for args, words in [
        (
            (
                "agency",
                "report",
                "--area",
                "fujian-ftz/pingtan",
                "--half",
                "2026H3",
                "--out",
                str(out),
                "--db",
                agency_db,
            ),
            "YYYYH1",
        ),
        (("agency", "queue", "--area", "fujian/pingtan", "--db", agency_db), "unknown zone 'fujian'"),
        (
            (
                "agency",
                "package",
                "import",
                str(out / "fujian-ftz-pingtan-2026H1.pdf"),
                "--area",
                "fujian-ftz/pingtan",
                "--db",
                agency_db,
            ),
            "not a zip file",
        ),
        (
            (
                "agency",
                "package",
                "import",
                str(tmp_path / "none.zip"),
                "--area",
                "fujian-ftz/pingtan",
                "--db",
                agency_db,
            ),
            "no such file",
        ),
    ]:
        r = cli(*args)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


def test_a_register_that_does_not_exist_is_an_error_not_an_empty_desk(tmp_path):
    """A mistyped --db showed an empty queue ('nothing open', exit 0) and created an empty register;
    the report would have been all zeros. Queue, report and package export only read a register."""
    db = tmp_path / "typo.sqlite3"
    url = f"sqlite:///{db}"
    for args in (
        ("agency", "queue", "--area", "fujian-ftz/xiamen", "--today", "2026-03-16"),
        ("agency", "report", "--area", "fujian-ftz/xiamen", "--half", "2026H1", "--out", str(tmp_path)),
        ("agency", "package", "export", "FJ-2026-0001", "--out", str(tmp_path / "p.zip")),
    ):
        r = cli(*args, "--db", url)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "no register at" in r.stderr and "Traceback" not in r.stderr
        assert not db.exists()
    assert not any(tmp_path.iterdir())  # no register, no report file, no package
