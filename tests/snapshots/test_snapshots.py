"""What changed since last time (issue 13 §4): two decisions of one handler compared flow by flow;
each flow that changed pathway names what differs — the data (or a fact its rules read), a list
edition that came into force, a revised list, the date, the engine — and the memo says so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.engine import decide
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration
from ftzlist.snapshots import diff, from_decision_set
from ftzlist.snapshots.memo import markdown, write_docx

# A Xiamen biologics maker: 50,000 HCPs and 12,000 pharmacovigilance patients. The Fujian 2025 list
# is in force from 2025-12-25 (the measures say "on issuance", 2025-12-18: issue 10 §5); between the
# two dates the stricter answer is given, so the "before" snapshots are taken on 2025-12-17.
BASE = {
    "version": 1,
    "handler": {
        "name": "Xiamen Biologics Maker",
        "zone": "fujian-ftz",
        "area": "xiamen",
        "sector": "pharma",
        "enterprise_type": "pharma.biologics",
        "ciio": False,
        "holdings": {
            "persons_pi": 80000,
            "persons_sensitive": 60000,
            "persons_sensitive_accounts_or_medical": 0,
        },
    },
    "flows": [
        {
            "id": "hcp",
            "scenario": "pharma.hcp_engagement",
            "recipient": {"name": "R", "country": "US"},
            "purpose": "p",
            "data": [
                {
                    "id": "d",
                    "category": "professional.healthcare_professional",
                    "subject": "healthcare_professional",
                    "persons": 50000,
                }
            ],
        },
        {
            "id": "pv",
            "scenario": "pharma.pharmacovigilance",
            "recipient": {"name": "R", "country": "US"},
            "purpose": "p",
            "data": [
                {"id": "icsr", "category": "health.adverse_event", "subject": "patient", "persons": 12000}
            ],
        },
    ],
}


def decl(**changes) -> Declaration:
    data = json.loads(json.dumps(BASE))
    for path, value in changes.items():
        obj = data
        *parts, last = path.split(".")
        for p in parts:
            obj = obj[int(p)] if p.isdigit() else obj[p]
        obj[last] = value
    return Declaration.model_validate(data)


def snap(law, d: Declaration, day: str, label: str):
    return from_decision_set(decide(d, law, dt.date.fromisoformat(day)), label)


def by_flow(result):
    return {f.flow_id: f for f in result.flows}


def test_a_list_edition_coming_into_force_between_the_dates(law):
    result = diff(snap(law, decl(), "2025-12-17", "a"), snap(law, decl(), "2025-12-26", "b"), law)
    f = by_flow(result)
    assert (f["hcp"].before, f["hcp"].after) == (Pathway.exempt, Pathway.standard_contract_or_certification)
    assert (f["pv"].before, f["pv"].after) == (
        Pathway.security_assessment,
        Pathway.standard_contract_or_certification,
    )
    for fid in ("hcp", "pv"):
        assert [c.kind for c in f[fid].causes] == ["list_in_force"]  # the date moved the lists, nothing else
        (move,) = f[fid].causes[0].moves
        assert (move.list_id, move.change, move.on) == ("fujian-ftz-2025", "added", dt.date(2025, 12, 25))
    assert result.lists_added == ["fujian-ftz-2025"] and result.date_changed and not result.input_changed
    assert "fujian-ftz-2025/fj25.pharma.patients.t2" in f["pv"].rules_after


def test_the_data_changed(law):
    before = snap(law, decl(), "2025-12-26", "b")
    after = snap(law, decl(**{"flows.1.data.0.persons": 60000}), "2025-12-26", "c")
    f = by_flow(diff(before, after, law))
    assert f["hcp"].status == "unchanged" and not f["hcp"].causes
    assert f["pv"].status == "pathway_changed" and f["pv"].after == Pathway.security_assessment
    (cause,) = f["pv"].causes
    assert cause.kind == "data"
    assert ("pv/icsr", "persons", 12000, 60000) in [(i.item, i.field, i.before, i.after) for i in cause.items]


def test_a_fact_the_rules_read_changed(law):
    before = snap(law, decl(), "2025-12-26", "b")
    after = snap(law, decl(**{"handler.ciio": True}), "2025-12-26", "d")
    f = by_flow(diff(before, after, law))
    for fid in ("hcp", "pv"):
        assert f[fid].after == Pathway.security_assessment
        (cause,) = f[fid].causes
        assert cause.kind == "data"
        assert [(i.field, i.before, i.after) for i in cause.items] == [("handler.ciio", False, True)]


def test_same_day_other_input_without_visible_facts_is_handler_data(law):
    before = snap(law, decl(), "2025-12-26", "b")
    after = snap(law, decl(**{"flows.0.purpose": "another purpose"}), "2025-12-26", "e")
    result = diff(before, after, law)
    assert result.input_changed and not result.changed()  # the purpose decides nothing


def test_date_list_revision_and_engine_each_named(law):
    before = snap(law, decl(), "2025-12-26", "b")
    raw = json.loads(before.model_dump_json())
    raw["lists"]["fujian-ftz-2025"] = "f" * 64
    raw["engine_version"] = "ftzlist-engine 9.9.9"
    raw["as_of"] = "2026-01-05"
    raw["flows"][1]["pathway"] = "security_assessment"  # as if the revision had moved it
    moved = before.model_validate(raw)
    f = by_flow(diff(before, moved, law))
    assert [c.kind for c in f["pv"].causes] == ["list_revised", "date", "engine"]
    assert f["pv"].causes[0].lists == ["fujian-ftz-2025"]


def test_flows_added_and_removed(law):
    before = snap(law, decl(), "2025-12-26", "b")
    gone = json.loads(json.dumps(BASE))
    gone["flows"] = gone["flows"][:1]
    gone["flows"].append({**BASE["flows"][1], "id": "pv2"})
    result = diff(before, snap(law, Declaration.model_validate(gone), "2025-12-26", "f"), law)
    f = by_flow(result)
    assert f["pv"].status == "removed" and f["pv2"].status == "added"


def test_memo_markdown_and_docx(law, tmp_path):
    result = diff(snap(law, decl(), "2025-12-17", "a.json"), snap(law, decl(), "2025-12-26", "b.json"), law)
    md = markdown(result, "en", law)
    assert (
        "## Flow by flow" in md and "### pv: security assessment → standard contract or certification" in md
    )
    assert "fujian-ftz-2025 (in force from 2025-12-25, between the two dates)" in md
    assert "changed together" not in md  # one cause per flow here
    zh = markdown(result, "zh", law)
    assert "自2025-12-25起施行" in zh and "Why" not in zh
    d = docx.Document(str(write_docx(result, tmp_path / "m.docx", "bilingual", law)))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "原因 / Why:" in text and "fj25.pharma.patients.t2" in text


def test_memo_says_when_causes_came_together(law):
    before = snap(law, decl(), "2025-12-17", "a")
    after = snap(law, decl(**{"flows.1.data.0.persons": 60000}), "2025-12-26", "c")
    md = markdown(diff(before, after, law), "en", law)
    assert "These differences came together" in md
    assert "The input hash covers the assessment date" in md


@pytest.fixture
def assess_files(law, tmp_path) -> list[Path]:
    files = []
    for name, d, day in (("a.json", decl(), "2025-12-17"), ("b.json", decl(), "2025-12-26")):
        p = tmp_path / name
        p.write_text(decide(d, law, dt.date.fromisoformat(day)).model_dump_json(), encoding="utf-8")
        files.append(p)
    return files


def test_cli_diff_files(assess_files, tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["snapshots", "diff", *map(str, assess_files)])
    assert r.exit_code == 0, r.output
    assert "Flows whose pathway changed (2)" in r.stdout
    r = runner.invoke(app, ["snapshots", "diff", *map(str, assess_files), "--format", "json"])
    assert {f["flow_id"]: f["status"] for f in json.loads(r.stdout)["flows"]} == {
        "hcp": "pathway_changed",
        "pv": "pathway_changed",
    }
    memo = tmp_path / "memo.docx"
    r = runner.invoke(
        app, ["snapshots", "diff", *map(str, assess_files), "--format", "docx", "--out", str(memo)]
    )
    assert r.exit_code == 0 and memo.stat().st_size > 0
    r = runner.invoke(
        app, ["snapshots", "diff", *map(str, assess_files), "--format", "docx", "--out", str(memo)]
    )
    assert r.exit_code != 0 and "--force" in str(r.exception)
    r = runner.invoke(app, ["snapshots", "diff", str(assess_files[0])])
    assert r.exit_code != 0 and "two" in str(r.exception)


def test_register_snapshots_group_into_decisions(law, tmp_path, assess_files):
    """Flow snapshots kept by `filings snapshot` from one decision form one handler decision."""
    from ftzlist.calendar import bundled_calendar
    from ftzlist.filings.procedures import ProcedureBook
    from ftzlist.filings.register import Register
    from ftzlist.snapshots.diff import from_register

    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    runner = CliRunner()
    for f in assess_files:
        r = runner.invoke(app, ["filings", "snapshot", "acme", str(f), "--db", url])
        assert r.exit_code == 0, r.output
    reg = Register.open(url, calendar=bundled_calendar(), procedures=ProcedureBook.from_law(law), actor="t")
    try:
        rows = [(flow, s) for flow in ("hcp", "pv") for s in reg.snapshots("acme", flow)]
    finally:
        reg.close()
    snaps = from_register(rows, "acme")
    assert [s.as_of for s in snaps] == [dt.date(2025, 12, 17), dt.date(2025, 12, 26)]
    assert [s.label for s in snaps] == ["#1", "#3"]
    f = by_flow(diff(snaps[0], snaps[1], law))
    assert f["pv"].causes[0].kind == "list_in_force"
