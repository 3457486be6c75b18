"""A proceeding's whole life seen from both desks through the API (Fujian measures Arts. 11-17):
application -> notice -> filing -> opinion -> exports -> spot-check with one discrepancy -> order ->
rectification -> renewal, with the incident duty and every action in the audit trail by its user."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

FILED = {
    "scenario": "pharma.clinical_trial",
    "purpose": "global safety database",
    "recipient": {"name": "Acme Pharma AG", "country": "CH"},
    "items": [{"id": "trial_subject_id", "category": "pi.health", "persons": 800}],
    "persons": 800,
}


def client(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def open_xiamen(c, tokens, handler="acme", flow="crm", on="2026-03-02") -> str:
    body = {"handler": handler, "flow": flow, "procedure": "fj.list_filing", "on": on}
    key = ok(c.post("/api/v1/filings", json=body, headers=tokens["editor"]), 201)["key"]
    ok(
        c.post(
            f"/api/v1/filings/{key}/address",
            json={"area": "fujian-ftz/xiamen", "on": on},
            headers=tokens["editor"],
        )
    )
    return key


def test_lifecycle_through_the_api(app, tokens):
    c = client(app)
    key = open_xiamen(c, tokens)

    # the Xiamen desk sees the application with the notice clock (5 working days, Art. 12(1));
    # 2026-03-02 is a Monday and the week after has no holiday: due Monday 2026-03-09
    q = ok(c.get("/api/v1/agency/queue?today=2026-03-03", headers=tokens["ag-xiamen"]))
    notice = [r for r in q if r["side"] == "agency"]
    assert len(notice) == 1 and notice[0]["due"]["due_on"] == "2026-03-09"
    assert notice[0]["scope"] == "fujian-ftz/xiamen" and notice[0]["due"]["provisional"] is False
    # another desk does not see it, not even by key
    assert ok(c.get("/api/v1/agency/queue?today=2026-03-03", headers=tokens["ag-fuzhou"])) == []
    other = c.get(f"/api/v1/agency/filings/{key}", headers=tokens["ag-fuzhou"])
    unknown = c.get("/api/v1/agency/filings/FJ-2099-9999", headers=tokens["ag-fuzhou"])
    assert other.status_code == unknown.status_code == 400
    assert other.json()["detail"].replace(key, "?") == unknown.json()["detail"].replace("FJ-2099-9999", "?")
    # the agency role has no handler-side rights
    assert c.get("/api/v1/filings", headers=tokens["ag-xiamen"]).status_code == 403

    ok(
        c.post(
            f"/api/v1/agency/filings/{key}/steps",
            json={"step_id": "area_notice", "on": "2026-03-05"},
            headers=tokens["ag-xiamen"],
        )
    )
    ok(
        c.post(
            f"/api/v1/filings/{key}/filing",
            json={"on": "2026-03-10", "content": FILED},
            headers=tokens["approver"],
        )
    )

    # opinion clock: 5 working days from the filing (Art. 12(2)) -> 2026-03-17
    q = ok(c.get("/api/v1/agency/queue?today=2026-03-18", headers=tokens["ag-xiamen"]))
    opinion = [r for r in q if r["side"] == "agency"]
    assert opinion[0]["due"]["due_on"] == "2026-03-17" and opinion[0]["due"]["status"] == "overdue"

    kinds = ok(c.get(f"/api/v1/agency/filings/{key}/opinion-kinds", headers=tokens["ag-xiamen"]))
    assert [k["id"] for k in kinds] == ["on_list", "off_list", "not_applicable"]
    # on the list the opinion must name the pathway it guides to
    r = c.post(
        f"/api/v1/agency/filings/{key}/opinion",
        json={"on": "2026-03-16", "kind": "on_list"},
        headers=tokens["ag-xiamen"],
    )
    assert r.status_code == 400 and "pathway" in r.json()["detail"]
    r = c.post(
        f"/api/v1/agency/filings/{key}/opinion",
        json={"on": "2026-03-16", "kind": "off_list", "pathway": "exempt"},
        headers=tokens["ag-xiamen"],
    )
    assert r.status_code == 400
    r = c.post(
        f"/api/v1/agency/filings/{key}/opinion",
        json={"on": "2026-03-16", "kind": "approved"},
        headers=tokens["ag-xiamen"],
    )
    assert r.status_code == 400 and "on_list" in r.json()["problems"][0]
    detail = ok(
        c.post(
            f"/api/v1/agency/filings/{key}/opinion",
            json={"on": "2026-03-16", "kind": "off_list"},
            headers=tokens["ag-xiamen"],
        )
    )
    assert (
        detail["state"] == "active"
        and detail["valid_from"] == "2026-03-16"
        and detail["valid_until"] == "2029-03-16"
    )
    up = c.post(
        f"/api/v1/agency/filings/{key}/opinion/report-up",
        json={"on": "2026-03-16", "reference": "XM-2026-7"},
        headers=tokens["ag-xiamen"],
    )
    assert up.status_code == 201
    assert (
        c.post(
            f"/api/v1/agency/filings/{key}/opinion/report-up",
            json={"on": "2026-03-17"},
            headers=tokens["ag-xiamen"],
        ).status_code
        == 400
    )

    # exports: one names a data item the filing does not list
    ok(
        c.post(
            "/api/v1/exports",
            json={
                "handler": "acme",
                "flow": "crm",
                "on": "2026-04-01",
                "persons": 300,
                "data_items": ["trial_subject_id"],
                "recipient_name": "Acme Pharma AG",
                "recipient_country": "CH",
            },
            headers=tokens["editor"],
        ),
        201,
    )
    ok(
        c.post(
            "/api/v1/exports",
            json={
                "handler": "acme",
                "flow": "crm",
                "on": "2026-04-15",
                "persons": 200,
                "data_items": ["trial_subject_id", "passport_no"],
            },
            headers=tokens["editor"],
        ),
        201,
    )

    check = ok(
        c.post(
            f"/api/v1/agency/filings/{key}/spot-checks",
            json={"on": "2026-05-04", "period_from": "2026-04-01", "period_to": "2026-04-30"},
            headers=tokens["ag-xiamen"],
        ),
        201,
    )
    assert [d["aspect"] for d in check["discrepancies"]] == ["data_catalogue"]
    d = check["discrepancies"][0]
    assert d["filed"] == ["trial_subject_id"] and d["actual"] == ["passport_no"] and d["certain"] is True
    assert check["basis"] == "exports" and check["filing_version"] == 1

    # a check with a discrepancy cannot be called consistent; rectify needs its date
    cid = check["id"]
    assert (
        c.post(
            f"/api/v1/agency/spot-checks/{cid}/outcome",
            json={"on": "2026-05-06", "outcome": "consistent"},
            headers=tokens["ag-xiamen"],
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/api/v1/agency/spot-checks/{cid}/outcome",
            json={"on": "2026-05-06", "outcome": "inconsistent", "orders": [{"order": "rectify"}]},
            headers=tokens["ag-xiamen"],
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/api/v1/agency/spot-checks/{cid}/outcome",
            json={"on": "2026-05-06", "outcome": "inconsistent", "orders": [{"order": "terminate"}]},
            headers=tokens["ag-xiamen"],
        ).status_code
        == 400
    )
    orders = ok(
        c.post(
            f"/api/v1/agency/spot-checks/{cid}/outcome",
            json={
                "on": "2026-05-06",
                "outcome": "inconsistent",
                "orders": [{"order": "suspend"}, {"order": "rectify", "due_on": "2026-05-29"}],
            },
            headers=tokens["ag-xiamen"],
        )
    )
    assert [(o["order"], o["due_on"], o["status"]) for o in orders] == [
        ("suspend", None, "open"),
        ("rectify", "2026-05-29", "open"),
    ]

    # the handler sees the same date on its side: in /due and in its orders
    due = ok(c.get("/api/v1/due?today=2026-05-07", headers=tokens["editor"]))
    assert [r["due_on"] for r in due if r["kind"] == "order"] == ["2026-05-29"]
    mine = ok(c.get("/api/v1/orders?today=2026-06-01", headers=tokens["acme-editor"]))
    assert [o["status"] for o in mine] == ["open", "overdue"]
    assert ok(c.get("/api/v1/orders", headers=tokens["beta-editor"])) == []
    rid = orders[1]["id"]
    done = ok(
        c.post(
            f"/api/v1/agency/orders/{rid}/complied", json={"on": "2026-05-27"}, headers=tokens["ag-xiamen"]
        )
    )
    assert done["status"] == "complied"
    due = ok(c.get("/api/v1/due?today=2026-05-28", headers=tokens["editor"]))
    assert [r for r in due if r["kind"] == "order"] == []

    # an incident: the desk sees it at once and records its report up (Art. 15)
    inc = ok(
        c.post(
            "/api/v1/incidents",
            json={
                "handler": "acme",
                "flow": "crm",
                "discovered_on": "2026-06-02",
                "description": "misdirected upload",
            },
            headers=tokens["editor"],
        ),
        201,
    )
    seen = ok(c.get("/api/v1/agency/incidents", headers=tokens["ag-xiamen"]))
    assert [(i["id"], i["proceeding"], i["reported_up_on"]) for i in seen] == [
        (inc["incident_id"], key, None)
    ]
    assert ok(c.get("/api/v1/agency/incidents", headers=tokens["ag-fuzhou"])) == []
    ok(
        c.post(
            f"/api/v1/agency/incidents/{inc['incident_id']}/report-up",
            json={"on": "2026-06-02"},
            headers=tokens["ag-xiamen"],
        ),
        201,
    )
    assert (
        ok(c.get("/api/v1/agency/incidents", headers=tokens["ag-xiamen"]))[0]["reported_up_on"]
        == "2026-06-02"
    )

    # renewal within the 60 working days before expiry: the renewal lands on the same desk
    detail = ok(c.get(f"/api/v1/filings/{key}", headers=tokens["editor"]))
    window = next(r for r in detail["deadlines"] if r["kind"] == "renewal")
    new = ok(
        c.post(f"/api/v1/filings/{key}/renewal", json={"on": window["opens_on"]}, headers=tokens["approver"]),
        201,
    )
    assert new["kind"] == "renewal" and new["follows"] == key
    keys = {p["key"] for p in ok(c.get("/api/v1/agency/filings", headers=tokens["ag-xiamen"]))}
    assert keys == {key, new["key"]}
    q = ok(c.get(f"/api/v1/agency/queue?today={window['opens_on']}", headers=tokens["ag-xiamen"]))
    assert any(r["due"]["proceeding"] == new["key"] and r["side"] == "agency" for r in q)

    # the six-monthly report for the first half-year, as XLSX and PDF
    import io

    from openpyxl import load_workbook

    r = c.get("/api/v1/agency/report?half=2026H1&format=xlsx", headers=tokens["ag-xiamen"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxml")
    rows = load_workbook(io.BytesIO(r.content), read_only=True)["Figures"].iter_rows(
        min_row=2, values_only=True
    )
    got = {row[1]: row[4] for row in rows}
    assert (got["applications"], got["filings"], got["opinions.off_list"], got["clocks.opinion.within"]) == (
        1,
        1,
        1,
        1,
    )
    assert (got["exports"], got["exports.persons"], got["spot_checks.inconsistent"], got["orders"]) == (
        2,
        500,
        1,
        2,
    )
    assert (got["incidents"], got["incidents.reported_up"], got["orders.complied"]) == (1, 1, 1)
    r = c.get("/api/v1/agency/report?half=2026H1&format=pdf", headers=tokens["ag-xiamen"])
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert c.get("/api/v1/agency/report?half=2026H3", headers=tokens["ag-xiamen"]).status_code == 422

    # the filing package: the handler exports, a desk of another deployment imports (here: the
    # wrong desk refuses it)
    r = c.get(f"/api/v1/filings/{key}/package", headers=tokens["acme-editor"])
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert c.get(f"/api/v1/filings/{key}/package", headers=tokens["beta-editor"]).status_code == 404
    r = c.post(
        "/api/v1/agency/packages",
        content=r.content,
        headers=tokens["ag-fuzhou"] | {"content-type": "application/zip"},
    )
    assert r.status_code == 400 and "not to this desk" in r.json()["detail"]

    # every action by its user in the audit trail
    reg = app.state.workspace.register
    from ftzlist.web.accounts import Principal

    audit = reg(Principal(0, "test", "admin")).audit()
    by = {(e.action, e.actor) for e in audit}
    for action in (
        "agency_address",
        "record_step",
        "record_opinion",
        "agency_report_opinion",
        "agency_spot_check",
        "agency_spot_check_outcome",
        "agency_order_complied",
        "agency_report_incident",
    ):
        assert any(a == action for a, _ in by), action
    assert ("record_opinion", "ag-xiamen (token:ag-xiamen-script)") in by
    assert ("agency_spot_check_outcome", "ag-xiamen (token:ag-xiamen-script)") in by
    assert ("agency_address", "editor (token:editor-script)") in by
    assert dt.date(2026, 3, 16)  # the opinion day the validity runs from (asserted above)
