"""Drift against the filings (issue 13 §2): a known-answer register plus export logs where one flow
crosses its band in May and another drifts past the change ratio; warnings and projected dates
checked exactly. Bands from the bundled Fujian 2025 list; logs counted by `ftzlist.counting`."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from filings_support import bundled_book, d

from ftzlist.calendar import bundled_calendar
from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent
from ftzlist.filings.drift import open_changes, register_drift
from ftzlist.filings.register import Register

KEY = b"drift-test-key-0123456789"
SC = "standard_contract_or_certification"

# pv: 400 new patients a day from 1 January; filed 40,000: above the filing on day 101 (11 Apr),
#     the 50,000 band line on day 125 (5 May), above x1.5 of 40,000 (60,001) on day 151 (31 May)
# mi: 110 new persons a day; filed 12,000: above the filing on day 110 (20 Apr), above x1.5
#     (18,001) on day 164 (13 Jun); the 50,000 line far off (projected into next year)
RATES = {"pv": 400, "mi": 110}


def filing(scenario: str, persons: int) -> FiledContent:
    return FiledContent.model_validate(
        {
            "scenario": scenario,
            "purpose": "safety reporting",
            "recipient": {"name": "Acme AG", "country": "CH"},
            "items": [{"id": "case", "category": "health.adverse_event", "persons": persons}],
        }
    )


def write_logs(folder: Path, until: dt.date) -> tuple[Path, Path]:
    log = folder / "exports.csv"
    with log.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "flow", "cust"])
        day, n = dt.date(2026, 1, 1), 0
        while day <= until:
            for flow, rate in RATES.items():
                for _ in range(rate):
                    n += 1
                    w.writerow([day.isoformat(), flow, f"C{n:07d}"])
            day += dt.timedelta(days=1)
    mapping = folder / "mapping.yaml"
    mapping.write_text(
        yaml.safe_dump(
            {
                "date": {"column": "date"},
                "flow": {"column": "flow"},
                "identifiers": [{"kind": "customer_id", "column": "cust", "namespace": "crm"}],
            }
        ),
        encoding="utf-8",
    )
    return log, mapping


@pytest.fixture
def dreg(db_url):
    r = Register.open(db_url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    r.add_handler("acme", "Acme Pharma")
    for flow, scenario, persons in (
        ("pv", "pharma.pharmacovigilance", 40_000),
        ("mi", "pharma.medical_inquiry", 12_000),
    ):
        r.add_flow("acme", flow, scenario=scenario)
        key = r.open_proceeding("acme", flow, "fj.list_filing", d("2025-12-29"))
        r.record_step(key, "area_notice", d("2025-12-30"))
        r.record_filing(key, d("2025-12-31"), filing(scenario, persons))
        r.record_opinion(key, d("2026-01-05"), "on_list", pathway=SC)
    yield r
    r.close()


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return write_logs(tmp_path_factory.mktemp("drift"), dt.date(2026, 6, 30))


def run(reg, logs, as_of):
    from ftzlist.counting import expand, load_mapping
    from ftzlist.loader import load_law

    log, mapping = logs
    law = load_law()
    threshold_lists = [law.lists.national(as_of), law.lists.get("fujian-ftz-2025")]
    source = (expand([log]), load_mapping(mapping), KEY, threshold_lists)
    return {x.flow: x for x in register_drift(reg, as_of=as_of, volume_ratio=1.5, logs=source)}


def by_kind(fd, kind, threshold=None):
    found = [s for s in fd.lines if s.kind == kind and (threshold is None or s.threshold == threshold)]
    assert found, (kind, threshold, fd.lines)
    return found[0]


def test_known_answer_after_the_crossings(dreg, logs):
    drifts = run(dreg, logs, d("2026-06-30"))
    pv, mi = drifts["pv"], drifts["mi"]
    assert (pv.count, mi.count) == (400 * 181, 110 * 181)
    assert (pv.filed_persons, pv.approved_persons, pv.source) == (40_000, 40_000, "logs")

    filed = by_kind(pv, "filed")
    assert (filed.threshold, filed.status, filed.crossed_on) == (40_001, "crossed", d("2026-04-11"))
    band = by_kind(pv, "band", 50_000)  # one flow crosses its band in May
    assert (band.status, band.crossed_on) == ("crossed", d("2026-05-05"))
    assert "fj25.pharma.patients.t1" in band.label or "fj25.pharma.patients.t2" in band.label
    assert "fresh application" in band.action
    ratio = by_kind(pv, "ratio")
    assert (ratio.threshold, ratio.crossed_on) == (60_001, d("2026-05-31"))
    assert pv.material

    ratio = by_kind(mi, "ratio")  # the other drifts past the change ratio, crossing no band
    assert (ratio.threshold, ratio.status, ratio.crossed_on) == (18_001, "crossed", d("2026-06-13"))
    assert by_kind(mi, "filed").crossed_on == d("2026-04-20")
    assert not [s for s in mi.lines if s.kind == "band" and s.status == "crossed"]
    nxt = by_kind(mi, "band", 50_000)  # at 110 a day: 30,090 more persons in 274 days
    assert (nxt.status, nxt.projected_on, nxt.projected_within_window) == ("ok", d("2027-03-31"), False)
    assert mi.material


def test_warnings_before_the_lines_are_reached(dreg, logs):
    """On 30 April: pv at 48,000 (rate 400) reaches 50,000 in 5 days; mi at 13,200 (rate 110)
    reaches 18,001 in ceil(4,801 / 110) = 44 days."""
    drifts = run(dreg, logs, d("2026-04-30"))
    pv, mi = drifts["pv"], drifts["mi"]
    assert (pv.count, mi.count) == (48_000, 13_200)
    band = by_kind(pv, "band", 50_000)
    assert (band.status, band.crossed_on, band.projected_on) == ("warning", None, d("2026-05-05"))
    assert "before then" in band.action
    ratio = by_kind(pv, "ratio")
    assert (ratio.status, ratio.projected_on) == ("warning", d("2026-05-31"))  # ceil(12,001 / 400) = 31
    ratio = by_kind(mi, "ratio")
    assert (ratio.status, ratio.projected_on) == ("warning", d("2026-06-13"))
    assert not pv.material and not mi.material
    # on each axis only the lines up to the first one not crossed: nothing beyond 50,000 for pv
    assert all(s.threshold <= 50_000 for s in pv.lines if s.kind == "band" and s.axis is None)


def test_open_change_opens_one_fresh_application_each_audited(dreg, logs):
    drifts = list(run(dreg, logs, d("2026-06-30")).values())
    open_changes(dreg, drifts, d("2026-07-01"))
    opened = {x.flow: x.opened for x in drifts}
    assert all(opened.values())
    for flow, key in opened.items():
        v = dreg.show(key)
        assert (v.kind, v.flow, v.state) == ("fresh", flow, "open")
    entries = [e for e in dreg.audit(table="applications") if e.action == "open_fresh"]
    assert len(entries) == 2
    # a second run opens nothing more, and opening by hand again is refused
    again = list(run(dreg, logs, d("2026-06-30")).values())
    open_changes(dreg, again, d("2026-07-01"))
    assert not any(x.opened for x in again)
    with pytest.raises(InputError, match="already has a fresh application"):
        dreg.open_fresh(again[0].proceeding, d("2026-07-02"), ["again"])


def test_drift_from_recorded_exports(dreg):
    """Without logs: the persons of the recorded exports of the year, summed."""
    pv = next(p for p in dreg.filed_flows() if p.flow == "pv")
    for day, n in (("2026-01-31", 20_000), ("2026-02-28", 20_001), ("2026-03-31", 15_000)):
        dreg.record_export("acme", "pv", d(day), persons=n)
    drifts = {x.flow: x for x in register_drift(dreg, as_of=d("2026-03-31"), volume_ratio=1.5)}
    fd = drifts["pv"]
    assert fd.source == "register exports" and fd.count == 55_001
    assert by_kind(fd, "band", 50_000).crossed_on == d("2026-03-31")
    assert by_kind(fd, "filed").crossed_on == d("2026-02-28")
    ratio = by_kind(fd, "ratio")  # 55,001 in 90 days: ceil(5,000 / (55,001 / 90)) = 9 days
    assert (ratio.status, ratio.projected_on) == ("warning", d("2026-04-09"))
    assert any("upper bound" in n for n in fd.notes)
    assert pv.proceeding == fd.proceeding


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


def test_cli_drift_and_due(tmp_path, logs, monkeypatch):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    reg = Register.open(url, calendar=bundled_calendar(), procedures=bundled_book(), actor="tester")
    reg.add_handler("acme", "Acme Pharma")
    reg.add_flow("acme", "pv", scenario="pharma.pharmacovigilance")
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2025-12-29"))
    reg.record_step(key, "area_notice", d("2025-12-30"))
    reg.record_filing(key, d("2025-12-31"), filing("pharma.pharmacovigilance", 40_000))
    reg.record_opinion(key, d("2026-01-05"), "on_list", pathway=SC)
    reg.record_export("acme", "pv", d("2026-02-02"), persons=45_000)  # more than filed
    reg.close()
    monkeypatch.setenv("FTZLIST_HASH_KEY", KEY.decode())
    log, mapping = logs
    code, out = cli("filings", "drift", "--db", url, "--logs", str(log), "--mapping", str(mapping),
                    "--as-of", "2026-04-30", "--format", "json")  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    [pv] = data["flows"]
    band = next(x for x in pv["lines"] if x["kind"] == "band" and x["threshold"] == 50_000)
    assert (band["status"], band["projected_on"]) == ("warning", "2026-05-05")
    code, out = cli("filings", "drift", "--db", url, "--logs", str(log), "--mapping", str(mapping),
                    "--as-of", "2026-06-30", "--open-change")  # fmt: skip
    assert code == 0 and "CROSSED" in out and "opened fresh application" in out, out
    # due: the inconsistent export and the drift warnings (from the recorded exports) beside the deadlines
    code, out = cli("due", "--db", url, "--as-of", "2026-03-02")
    assert code == 0, out
    assert "inconsistent with their filing" in out and "45,000 persons exported, 40,000 filed" in out
    assert "Drift against the filings" in out and "50,000" in out
    code, out = cli("due", "--db", url, "--as-of", "2026-03-02", "--format", "json")
    data = json.loads(out)
    assert data["inconsistencies"][0]["what"] == "45,000 persons exported, 40,000 filed"
    assert any(x["kind"] == "filed" and x["status"] == "crossed" for x in data["drift"][0]["lines"])
    # and `filings show` until resolved
    code, out = cli("filings", "show", key, "--db", url)
    assert "inconsistent with the filing" in out
    inc = data["inconsistencies"][0]["id"]
    assert cli("filings", "resolve", str(inc), "2026-03-03", "change filed", "--db", url)[0] == 0
    code, out = cli("due", "--db", url, "--as-of", "2026-03-04", "--format", "json")
    assert json.loads(out)["inconsistencies"] == []
    assert "inconsistent with the filing" not in cli("filings", "show", key, "--db", url)[1]


def test_cli_drift_refuses_bad_input(tmp_path, logs):
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    Register.open(url, calendar=bundled_calendar(), procedures=bundled_book(), actor="t").close()
    log, _ = logs
    code, out = cli("filings", "drift", "--db", url, "--logs", str(log))
    assert code == 2 and "--logs and --mapping go together" in out
    code, out = cli("filings", "drift", "--db", url, "--volume-ratio", "nan")
    assert code == 2 and "finite number above 1" in out
    code, out = cli("filings", "drift", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert code == 2 and "no register at" in out
    assert not (tmp_path / "none.sqlite3").exists()
