"""Deadline feeds and owners (issue 13 §5) and the `due` errors a user met (issue 13 §7):
`due --format ics|xlsx|json`, `--owner`, an unknown handler, a --db path that does not exist."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from filings_support import bundled_book, d

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import Register


def cli(*args: str) -> tuple[int, str]:
    from ftzlist.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue()


def ics(*args: str) -> bytes:
    """`ftzlist due --format ics` written to standard output (bytes)."""
    from ftzlist.cli import main

    class Out(io.StringIO):
        def __init__(self):
            super().__init__()
            self.buffer = io.BytesIO()

    out = Out()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.suppress(SystemExit),
    ):
        main(["due", "--format", "ics", *args])
    return out.buffer.getvalue()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    reg = Register.open(url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    reg.add_handler("acme", "Acme")
    reg.add_flow("acme", "pv")
    reg.add_flow("acme", "hr")
    a = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"), owner="li.wei")
    b = reg.open_proceeding("acme", "hr", "fj.list_filing", d("2026-02-11"), owner="=HYPERLINK(1)")
    reg.record_step(a, "area_notice", d("2026-02-24"))
    reg.record_filing(
        a,
        d("2026-02-25"),
        FiledContent.model_validate(
            {
                "purpose": "pv",
                "recipient": {"name": "Acme AG", "country": "CH"},
                "items": [{"id": "case", "category": "health.adverse_event", "persons": 900}],
            }
        ),
    )
    reg.record_opinion(a, d("2026-03-03"), "off_list")  # valid to 2029: the 2029 dates are provisional
    assert reg.show(b).owner == "=HYPERLINK(1)"
    reg.close()
    return url


def test_ics_feed_parses_back_one_all_day_event_per_deadline(url):
    from icalendar import Calendar

    data = json.loads(cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "json")[1])
    raw = ics("--db", url, "--as-of", "2026-03-04")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\n" in raw
    cal = Calendar.from_ical(raw)
    assert str(cal["version"]) == "2.0" and "ftzlist" in str(cal["prodid"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(data["items"]) >= 3
    by_uid = {str(e["uid"]): e for e in events}
    assert len(by_uid) == len(events)  # unique
    for item in data["items"]:
        e = by_uid[f"{item['uid']}@ftzlist"]
        start, end = e["dtstart"].dt, e["dtend"].dt
        assert type(start) is dt.date and end - start == dt.timedelta(days=1)  # all-day
        assert start.isoformat() == item["due_on"]
        assert e["dtstart"].params.get("VALUE") == "DATE"
        assert (str(e["status"]) == "TENTATIVE") is item["provisional"]
        assert (str(e["summary"]).startswith("≈ ")) is item["provisional"]
        if item["provisional"]:
            assert str(e["x-ftzlist-provisional"]) == "TRUE"
            assert "PROVISIONAL date: no official calendar for 2029" in str(e["description"])
    assert any(i["provisional"] for i in data["items"])
    # UIDs are stable: the same feed a day later names the same events
    again = Calendar.from_ical(ics("--db", url, "--as-of", "2026-03-05"))
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(by_uid)


def test_ics_to_a_file_and_owner_filter(url, tmp_path):
    from icalendar import Calendar

    target = tmp_path / "due.ics"
    code, out = cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "ics", "--owner", "li.wei",
                    "--out", str(target))  # fmt: skip
    assert code == 0, out
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert events and all(str(e["uid"]).startswith("FJ-2026-0001/") for e in events)
    assert all("owner: li.wei" in str(e["description"]) for e in events)
    code, out = cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "ics", "--out", str(target))
    assert code == 2 and "exists" in out  # never overwritten without --force


def test_xlsx_feed_with_safe_cells(url, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "due.xlsx"
    code, out = cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "xlsx", "--out", str(target))
    assert code == 0, out
    ws = load_workbook(target).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    assert header[:3] == ("status", "due", "provisional")
    data = json.loads(cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "json")[1])
    assert len(rows) - 2 == len(data["items"])
    owners = {r[header.index("owner")] for r in rows[2:]}
    assert owners == {"li.wei", "=HYPERLINK(1)"}
    cell = next(c for row in ws.iter_rows(min_row=3) for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    assert all(isinstance(r[1], dt.datetime) for r in rows[2:])  # dates are dates
    code, out = cli("due", "--db", url, "--format", "xlsx")
    assert code == 2 and "--out" in out


def test_owner_filter_and_changes_are_audited(url):
    data = json.loads(
        cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "json", "--owner", "li.wei")[1]
    )
    assert data["items"] and {i["owner"] for i in data["items"]} == {"li.wei"}
    assert cli("filings", "owner", "FJ-2026-0002", "zhang.min", "--db", url)[0] == 0
    data = json.loads(
        cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "json", "--owner", "zhang.min")[1]
    )
    assert {i["proceeding"] for i in data["items"]} == {"FJ-2026-0002"}
    code, out = cli("due", "--db", url, "--as-of", "2026-03-04", "--owner", "nobody")
    assert code == 2 and "no filing has the owner 'nobody'" in out and "Nothing is owed" not in out
    code, out = cli("filings", "owner", "FJ-2026-0002", "--db", url)
    assert code == 2 and "or --clear" in out
    assert cli("filings", "owner", "FJ-2026-0002", "--clear", "--db", url)[0] == 0
    reg = Register.open(url, calendar=bundled_calendar(), procedures=bundled_book(), actor="t")
    changes = [e for e in reg.audit(table="proceedings") if e.action == "set_owner"]
    reg.close()
    assert len(changes) == 2


def test_due_says_when_the_handler_or_the_register_does_not_exist(url, tmp_path):
    code, out = cli("due", "--db", url, "--handler", "acne")
    assert code == 2 and "unknown handler 'acne'" in out and "Nothing is owed" not in out
    missing = tmp_path / "elsewhere" / "register.sqlite3"
    code, out = cli("due", "--db", f"sqlite:///{missing}")
    assert code == 2 and "no register at" in out and str(missing) in out
    assert not missing.exists() and not missing.parent.exists()
    code, out = cli("due", "--db", url, "--handler", "acme", "--as-of", "2026-03-04", "--format", "json")
    assert code == 0 and {i["handler"] for i in json.loads(out)["items"]} == {"acme"}


def test_due_far_future_as_of_warns(url):
    code, out = cli("due", "--db", url, "--as-of", "2099-01-01", "--format", "json")
    assert code == 0 and "days ahead" in out
