"""The register on SQLite and PostgreSQL: the Fujian lifecycle from application to renewal, the
national tier after an on-list opinion, a Shanghai post-export report, the security assessment,
overdue detection. Every date below was worked out by hand on the 2026 calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from filings_support import d

from ftzlist.errors import InputError
from ftzlist.filings.content import FiledContent

CONTENT = FiledContent.model_validate(
    {
        "scenario": "pharma.pharmacovigilance",
        "purpose": "pharmacovigilance reporting to the marketing-authorisation holder",
        "method": "SFTP transfer",
        "scope": "adverse-event cases in China",
        "recipient": {"name": "Acme Pharma AG", "country": "CH"},
        "storage_place": "Basel, CH",
        "storage_period_months": 120,
        "legal_documents": ["dpa-2026-v1"],
        "list_subcategories": ["fj.pharma.pv.1"],
        "items": [
            {"id": "case_contact", "category": "pi.contact", "persons": 40000, "records": 50000},
            {
                "id": "case_health",
                "category": "pi.health",
                "sensitive": True,
                "persons": 8000,
                "records": 9000,
            },
        ],
        "persons": 40000,
    }
)


def setup_flow(reg, handler="acme", flow="pv"):
    reg.ensure_handler(handler, "Acme Pharma (Xiamen) Co., Ltd.", zone="fujian")
    reg.add_flow(
        handler,
        flow,
        scenario="pharma.pharmacovigilance",
        purpose="pharmacovigilance",
        recipient_name="Acme Pharma AG",
        recipient_country="CH",
        exist_ok=True,
    )


def due_keys(reg, today):
    return [(r.proceeding, r.kind, r.title.split(" (")[0], r.due_on, r.status) for r in reg.due(today)]


def test_fujian_lifecycle_application_to_renewal(reg):
    setup_flow(reg)
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    assert key == "FJ-2026-0001"
    # Art. 12(1): area notice within 5 working days: 11, 12, 13, 14 (in-lieu Sat), 24 Feb
    rows = reg.due(d("2026-02-11"))
    assert [(r.kind, r.due_on, r.actor) for r in rows] == [("step", d("2026-02-24"), "authority")]
    reg.record_step(key, "area_notice", d("2026-02-13"))
    assert reg.pending() == [(key, "acme / pv", "filing: filing")]  # no statutory date: listed apart
    reg.record_filing(key, d("2026-02-24"), CONTENT)
    assert reg.pending() == []
    # Art. 12(2): opinion within 5 working days of the filing: 25, 26, 27, 28 (in-lieu Sat) Feb, 2 Mar
    [opinion_due] = reg.due(d("2026-02-25"))
    assert opinion_due.due_on == d("2026-03-02") and opinion_due.actor == "authority"
    reg.record_opinion(key, d("2026-02-27"), "on_list", pathway="standard_contract_or_certification")

    v = reg.show(key, today=d("2026-03-01"))
    assert v.state == "active" and v.valid_from == d("2026-02-27")
    # Art. 13: valid 3 years from the opinion; 2029 has no calendar file -> provisional
    assert v.valid_until == d("2029-02-27") and v.valid_until_provisional
    assert any("national tier" in s for s in v.next_steps)
    assert reg.pending() == [
        (
            key,
            "acme / pv",
            "on-list data: open the national-tier proceeding (standard_contract_or_certification)",
        )
    ]
    assert v.filings[0]["items"][1]["category"] == "pi.health"

    # on-list data goes to the national tier: a standard-contract filing for this flow
    scc = reg.open_proceeding("acme", "pv", "cn.standard_contract", d("2026-03-02"), parent=key)
    reg.record_step(scc, "contract_effective", d("2026-03-05"))
    [scc_due] = [r for r in reg.due(d("2026-03-06")) if r.proceeding == scc]
    assert scc_due.due_on == d("2026-03-19")  # 10 working days: 6, 9-13, 16-19 Mar
    reg.record_filing(scc, d("2026-03-18"), CONTENT)
    assert reg.show(scc).state == "active"
    assert not any("national tier" in s for s in reg.show(key).next_steps)

    ok = reg.record_export("acme", "pv", d("2026-03-20"), persons=30000, data_items=["case_contact"])
    assert ok.inconsistencies == ()

    # renewal: within the 60 working days before expiry (provisional: 2028-2029 have no calendar)
    renewal = {r.kind: r for r in reg.due(d("2028-12-01"))}["renewal"]
    assert renewal.provisional and "2029" in (renewal.provisional_reason or "")
    assert renewal.due_on == d("2029-02-26")  # the last working day before expiry
    assert renewal.opens_on == reg.calendar.add_working_days(d("2029-02-27"), -60).date
    assert d("2028-11-01") < renewal.opens_on < d("2028-12-01")
    with pytest.raises(InputError, match="before its window opens"):
        reg.renew(key, renewal.opens_on - dt.timedelta(days=7))
    new = reg.renew(key, renewal.opens_on)
    assert reg.show(new).kind == "renewal" and reg.show(new).follows == key
    assert "renewal" not in {r.kind for r in reg.due(renewal.opens_on) if r.proceeding == key}
    reg.record_step(new, "area_notice", renewal.opens_on)
    reg.record_filing(new, renewal.opens_on, CONTENT)
    reg.record_opinion(new, renewal.due_on, "on_list")
    assert reg.show(key).state == "renewed"
    nv = reg.show(new)
    assert nv.state == "active" and nv.valid_until.year == renewal.due_on.year + 3
    # the old filing owes nothing any more; the new one owes its own renewal in 2031/2032
    assert all(r.proceeding != key for r in reg.due(d("2029-06-01")))


def test_security_assessment_across_in_lieu_sunday(reg):
    setup_flow(reg, "bank", "cards")
    key = reg.open_proceeding("bank", "cards", "cn.security_assessment", d("2026-09-18"))
    assert [s[0] for s in reg.show(key).steps] == ["self_assessment", "declaration"]
    # 5 working days: 20 (in-lieu Sunday), 21, 22, 23, 24 Sep
    assert [(r.due_on, r.actor) for r in reg.due(d("2026-09-19"))] == [(d("2026-09-24"), "authority")]
    reg.record_step(key, "completeness_check", d("2026-09-24"))
    # 7 working days: 28, 29, 30 Sep, 8, 9, 10 (in-lieu Sat), 12 Oct
    assert reg.due(d("2026-09-25"))[0].due_on == d("2026-10-12")
    reg.record_step(key, "acceptance", d("2026-10-12"))
    assert reg.due(d("2026-10-13"))[0].due_on == reg.calendar.add_working_days(d("2026-10-12"), 45).date
    reg.record_opinion(key, d("2026-11-20"), "approved")
    v = reg.show(key)
    assert v.state == "active" and v.valid_until is not None
    assert v.valid_until.isoformat().startswith("2029-11-2")  # 3 years (CBDF Art. 9), rolled if a rest day
    # with a favourable result the only handler duties left are the renewal window and the expiry
    assert reg.show(key).valid_from == d("2026-11-20")


def test_optional_step_is_a_window_never_overdue(reg):
    """A re-evaluation request (CAC Order 11 Art. 13) is a right: with `optional: true` in the list
    it is listed while open and lapses silently; it is never overdue."""
    setup_flow(reg, "bank", "cards")
    key = reg.open_proceeding("bank", "cards", "cn.security_assessment", d("2026-09-18"))
    for step, day in [("completeness_check", "2026-09-24"), ("acceptance", "2026-10-12")]:
        reg.record_step(key, step, d(day))
    reg.record_opinion(key, d("2026-11-20"), "rejected")
    assert reg.show(key).state == "refused"
    # 15 working days after the result: 23-27 Nov, 30 Nov-4 Dec, 7-11 Dec
    [window] = reg.due(d("2026-11-23"))
    assert (window.optional, window.due_on, window.actor, window.status) == (
        True,
        d("2026-12-11"),
        "handler",
        "upcoming",
    )
    assert reg.due(d("2026-12-14"))[0].status == "lapsed"  # never "overdue"
    assert reg.due(d("2026-12-14"), include_optional=False) == []
    reg.record_step(key, "re_evaluation_request", d("2026-12-01"))
    assert reg.due(d("2026-12-14")) == []


def test_shanghai_post_export_report_and_overdue(reg):
    setup_flow(reg, "shipco", "crew")
    key = reg.open_proceeding("shipco", "crew", "sh.post_export_report", d("2026-01-05"))
    assert reg.due(d("2026-01-06")) == []
    first = reg.record_export("shipco", "crew", d("2026-02-06"), persons=1200)
    [row] = first.deadlines
    assert row.due_on == d("2026-03-05")  # 15 working days across the Spring Festival
    reg.record_step(key, "report", d("2026-03-04"), export_id=first.export_id)
    assert reg.due(d("2026-03-06")) == []

    second = reg.record_export("shipco", "crew", d("2026-09-30"), persons=900)
    assert second.deadlines[0].due_on == d("2026-10-27")
    late = reg.due(d("2026-10-28"))
    assert [(r.status, r.due_on, r.proceeding) for r in late] == [("overdue", d("2026-10-27"), key)]
    v = reg.show(key, today=d("2026-10-28"))
    assert {(s[0], s[3]) for s in v.steps} == {("report", first.export_id)}


def test_overdue_first_then_by_date_and_within(reg):
    setup_flow(reg, "a", "f1")
    setup_flow(reg, "a", "f2")
    k1 = reg.open_proceeding("a", "f1", "fj.list_filing", d("2026-03-02"))  # notice due 2026-03-09
    k2 = reg.open_proceeding("a", "f2", "fj.list_filing", d("2026-03-20"))  # notice due 2026-03-27
    rows = reg.due(d("2026-03-16"))
    assert [(r.proceeding, r.status) for r in rows] == [(k1, "overdue"), (k2, "upcoming")]
    assert [r.proceeding for r in reg.due(d("2026-03-16"), within_days=5)] == [k1]
    assert [r.proceeding for r in reg.due(d("2026-03-16"), within_days=30)] == [k1, k2]


def test_incident_is_due_at_once(reg):
    setup_flow(reg)
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    inc = reg.record_incident("acme", "pv", d("2026-03-03"), "misdirected SFTP batch")
    [row] = [r for r in reg.due(d("2026-03-03")) if r.kind == "incident"]
    assert row.due_on == d("2026-03-03") and row.status == "due_today" and "Art. 15" in row.citation
    later = reg.due(d("2026-03-04"))
    assert [(r.kind, r.status) for r in later] == [("step", "overdue"), ("incident", "overdue")]
    reg.report_incident(inc, d("2026-03-03"))
    assert all(r.kind != "incident" for r in reg.due(d("2026-03-04")))
    assert key


def test_spot_check_against_filing(reg):
    setup_flow(reg)
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    reg.record_step(key, "area_notice", d("2026-02-13"))
    reg.record_filing(key, d("2026-02-24"), CONTENT)
    reg.record_opinion(key, d("2026-02-27"), "off_list")
    res = reg.record_export(
        "acme",
        "pv",
        d("2026-03-03"),
        persons=55000,
        data_items=["case_contact", "genome"],
        recipient_name="Other Corp",
        recipient_country="US",
    )
    text = " | ".join(res.inconsistencies)
    assert "genome" in text and "55,000 persons exported, 40,000 filed" in text
    assert "recipient Other Corp" in text and "recipient country US" in text


def test_list_not_applicable_closes_the_proceeding(reg):
    """Fujian Art. 12(2): where the list does not apply, current law governs; nothing more is owed here."""
    setup_flow(reg)
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2026-02-10"))
    reg.record_step(key, "area_notice", d("2026-02-13"))
    reg.record_filing(key, d("2026-02-24"), CONTENT)
    reg.record_opinion(key, d("2026-02-27"), "not_applicable")
    v = reg.show(key, d("2026-03-02"))
    assert (v.state, v.valid_until) == ("closed", None)
    assert reg.due(d("2026-03-02")) == [] and reg.pending() == []
    with pytest.raises(InputError, match="closed"):
        reg.renew(key, d("2026-03-02"))


def test_expiry_without_renewal_shows_expired(reg):
    setup_flow(reg)
    fj = reg.procedures.get("fujian-ftz-fixture", "fj.list_filing")
    reg.procedures.add("fujian-test-2023", fj, d("2023-01-01"))  # a list in force in 2023, for a 2026 expiry
    key = reg.open_proceeding("acme", "pv", "fj.list_filing", d("2023-02-10"), list_id="fujian-test-2023")
    reg.record_step(key, "area_notice", d("2023-02-13"))
    reg.record_filing(key, d("2023-02-14"), CONTENT)
    reg.record_opinion(key, d("2023-02-15"), "off_list")
    # 3 years: 15 Feb 2026 is a Sunday in the Spring Festival: the period ends on 24 Feb (Art. 203)
    assert reg.show(key).valid_until == d("2026-02-24")
    rows = {r.kind: r for r in reg.due(d("2026-03-02"))}
    assert rows["expiry"].status == "expired" and rows["renewal"].status == "overdue"
    assert not rows["expiry"].provisional
