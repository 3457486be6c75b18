"""Smaller things a user met (issue 13 §7): `calendar add DATE -5` without `--`; `calendar` and
`lists show` in JSON. (`due` errors and the far-future warning: test_filings_feeds.py.)"""

from __future__ import annotations

import contextlib
import io
import json

import pytest


def cli(*args: str) -> tuple[int, str]:
    from ftzlist.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        ("-5", "2026-03-03"),  # back over a weekend: 9, 6, 5, 4, 3 March
        ("-1", "2026-03-09"),
        ("5", "2026-03-17"),
    ],
)
def test_calendar_add_takes_a_negative_number_without_dashes(n, expected):
    code, out = cli("calendar", "add", "2026-03-10", n, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert (data["date"], data["working_days"], data["provisional"]) == (expected, int(n), False)
    code, out = cli("calendar", "add", "2026-03-10", n)
    assert code == 0 and expected in out


def test_calendar_add_still_refuses_what_is_not_a_number():
    code, out = cli("calendar", "add", "2026-03-10", "-x")
    assert code == 2 and "Invalid value for 'N'" in out
    code, out = cli("calendar", "add", "2026-03-10", "0")
    assert code == 2 and "non-zero whole number" in out


def test_calendar_json_outputs():
    code, out = cli("calendar", "is-working-day", "2026-02-14", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["working"] is True and data["date"] == "2026-02-14"  # in-lieu Saturday
    code, out = cli("calendar", "is-working-day", "2026-02-16", "--format", "json")
    assert code == 1 and json.loads(out)["working"] is False
    data = json.loads(cli("calendar", "period", "2025-10-01", "--years", "1", "--format", "json")[1])
    assert data["date"] == "2026-10-08" and data["nominal"] == "2026-10-01"
    data = json.loads(cli("calendar", "years", "--format", "json")[1])
    y2026 = next(y for y in data["years"] if y["year"] == 2026)
    assert "2026-02-14" in y2026["working_weekends"] and y2026["number"] == "国办发明电〔2025〕7号"


def test_lists_show_json_is_the_list_as_loaded():
    code, out = cli("lists", "show", "fujian-ftz-2025", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["sha256"]) == 64 and data["list"]["id"] == "fujian-ftz-2025"
    t1 = next(i for i in data["list"]["items"] if i["id"] == "fj25.pharma.patients.t1")
    assert t1["persons"] == {"min": 50000} and t1["pathway"] == "security_assessment"
    [proc] = [p for p in data["list"]["procedures"] if p["id"] == "fj.list_filing"]
    assert {c["id"]: c["covers"] for c in proc["changes"]}["volume_increase"] == ["volume", "band"]
    code, out = cli("lists", "show", "fujian-ftz-2099", "--format", "json")
    assert code == 2
