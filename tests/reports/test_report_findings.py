"""Issue 10 §8, report side: rejected exemption claims are said in the report and the workbook (not
only under --explain); the handler-wide national line is labelled as what it is and never stands as
the handler's answer beside flows that need more; `undetermined` says whether facts are missing or
the law is not encoded, with the national answer as the reference point."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from ftzlist.engine import decide
from ftzlist.loader import load_declaration
from ftzlist.reports import render_report
from ftzlist.reports.context import build_context
from ftzlist.reports.findings import national_reference, rejected_claims, split_missing, strictest
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration

ROOT = Path(__file__).resolve().parents[2]


def _decl(text: str) -> Declaration:
    return Declaration.model_validate(yaml.safe_load(text))


ART3 = _decl(
    """
version: 1
as_of: 2026-05-01
handler: {name: X, zone: null, ciio: false}
flows:
  - {id: f, exemption: trade_and_cooperation_non_personal, recipient: {name: R, country: SG}, purpose: p,
     data: [{id: a, category: contact.email, subject: customer, persons: 500000}]}
"""
)
GROUND_2022 = _decl(
    """
version: 1
as_of: 2023-09-01
handler: {name: X, zone: null, ciio: false, holdings: {persons_pi: 400000}}
flows:
  - {id: hr, exemption: hr_management, recipient: {name: R, country: SG}, purpose: p,
     data: [{id: a, category: professional.employee, subject: employee, persons: 500}]}
"""
)


def test_a_rejected_claim_is_said_in_every_format(law, tmp_path):
    ds = decide(ART3, law, ART3.as_of)
    (claim,) = rejected_claims(ds, ART3, law)
    assert (claim.flow_id, claim.rule_id, claim.outcome) == ("f", "cbdf-art3", "not_fired")
    html = render_report(ds, ART3, law, "html", tmp_path / "r.html", lang="en").read_text(encoding="utf-8")
    assert "Exemptions claimed but not granted" in html and "f: claimed data collected or generated" in html
    zh = render_report(ds, ART3, law, "html", tmp_path / "z.html", lang="zh").read_text(encoding="utf-8")
    assert "主张但未被采纳的豁免" in zh and "未被采纳（不适用）" in zh
    text = "\n".join(
        p.text
        for p in docx.Document(str(render_report(ds, ART3, law, "docx", tmp_path / "r.docx"))).paragraphs
    )
    assert "未被采纳" in text
    flows = openpyxl.load_workbook(render_report(ds, ART3, law, "xlsx", tmp_path / "r.xlsx", lang="en"))[
        "flows"
    ]
    head = [flows.cell(1, c).value for c in range(1, flows.max_column + 1)]
    col = head.index("Exemption claimed, not granted") + 1
    assert "not granted" in flows.cell(2, col).value


def test_a_ground_no_list_in_force_offers(law):
    ds = decide(GROUND_2022, law, GROUND_2022.as_of)
    (claim,) = rejected_claims(ds, GROUND_2022, law)
    assert claim.ground == "hr_management" and claim.available is False
    ctx = build_context(ds, GROUND_2022, law, "en")
    assert ctx["claims"] == [
        "hr: claimed ground hr_management is not offered by the lists in force; not applied"
    ]


def test_a_granted_claim_is_not_reported(law):
    example = load_declaration(ROOT / "examples" / "xiamen-pharma.yaml", law)
    ds = decide(example, law, example.as_of)
    assert rejected_claims(ds, example, law) == []  # hr: Art. 5(2) applies


@pytest.fixture(scope="module")
def fuzhou(law):
    decl = load_declaration(ROOT / "examples" / "fuzhou-connected-vehicles.yaml", law)
    return decl, decide(decl, law, decl.as_of)


def test_handler_totals_never_read_as_the_handlers_answer(fuzhou, law, tmp_path):
    decl, ds = fuzhou
    assert ds.handler_totals.pathway == Pathway.exempt  # the national count alone: 0 persons
    assert strictest(ds) == (Pathway.security_assessment, True)
    ctx = build_context(ds, decl, law, "en")
    assert ctx["totals"]["pathway"] == "exempt" and ctx["totals"]["lighter_than_flows"]
    assert ctx["totals"]["strictest"] == "security assessment (an undetermined flow may need more)"
    assert ctx["summary"][-1]["pathway"] == "undetermined (law not encoded)"
    html = render_report(ds, decl, law, "html", tmp_path / "r.html", lang="en").read_text(encoding="utf-8")
    section = html[html.index("Handler totals") :]
    section = section[: section.index("</table>")]
    assert "By the national count alone" in section and "Strictest pathway its flows need" in section
    assert "<b>security assessment" in section
    summary = openpyxl.load_workbook(render_report(ds, decl, law, "xlsx", tmp_path / "r.xlsx", lang="en"))[
        "summary"
    ]
    rows = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, summary.max_row + 1)}
    assert rows["By the national count alone"] == "exempt"
    assert rows["Strictest pathway its flows need"].startswith("security assessment")
    assert "Handler totals (national count)" not in rows  # no bare "exempt" line for the handler


def test_undetermined_says_why_and_gives_the_national_reference(fuzhou, law, tmp_path):
    decl, ds = fuzhou
    diag = next(f for f in ds.flows if f.flow_id == "diagnostics")
    facts, gaps = split_missing(diag)
    assert not facts and [m.field for m in gaps] == ["list fujian-ftz-2025: fj25.important-data-field-detail"]
    ref = national_reference(ds, decl, law)
    assert ref["diagnostics"].pathway == Pathway.exempt
    ctx = build_context(ds, decl, law, "en")
    flow = next(f for f in ctx["flows"] if f["id"] == "diagnostics")
    assert flow["pathway"] == "undetermined (law not encoded)"
    assert flow["national_ref"] == "exempt" and flow["missing_law"] and not flow["missing_facts"]
    assert any(d["what"].startswith("Parts of the law ftzlist has not encoded") for d in ctx["due"])
    zh = build_context(ds, decl, law, "zh")
    assert next(f for f in zh["flows"] if f["id"] == "diagnostics")["pathway"] == "待定（法律内容未编码）"


def test_missing_facts_read_as_facts_you_can_supply(law):
    decl = _decl(
        """
version: 1
as_of: 2026-05-01
handler: {name: X, zone: fujian-ftz, area: xiamen, sector: pharma, enterprise_type: pharma.biologics}
flows:
  - {id: pv, scenario: pharma.pharmacovigilance, recipient: {name: R, country: US}, purpose: p,
     data: [{id: icsr, category: health.adverse_event, subject: patient, persons: 12000}]}
"""
    )
    ds = decide(decl, law, decl.as_of)
    (f,) = ds.flows
    assert f.pathway == Pathway.undetermined  # CIIO status not stated
    facts, _ = split_missing(f)
    assert "handler.ciio" in [m.field for m in facts]
    ctx = build_context(ds, decl, law, "en")
    assert ctx["flows"][0]["pathway"] == "undetermined (facts missing)"
    assert ctx["flows"][0]["national_ref"].startswith(("undetermined", "security assessment"))
    assert any(d["what"].startswith("Facts you can supply: ") for d in ctx["due"])


def test_no_national_reference_outside_every_zone(law):
    ds = decide(ART3, law, ART3.as_of)
    assert national_reference(ds, ART3, law) == {}
