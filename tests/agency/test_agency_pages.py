"""The desk in the browser (issue 15): every desk action as a form post with the session's CSRF
token. The handler's side (application, addressing, filing, exports, incident) goes through the
API here; the Chromium walk (tests/web/test_web_browser.py) does it through the pages where the
pages have them.

Checked: each page route with its right answer and with its refusals — another desk gets the
answer an unknown key gets, viewer/editor/approver cannot act as the desk, posts without the CSRF
token are refused and change nothing."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from web_support import CSRF, PASSWORD, login, make_app
from web_support import client as page_client

FILED = {
    "scenario": "pharma.clinical_trial",
    "purpose": "global safety database",
    "recipient": {"name": "Acme Pharma AG", "country": "CH"},
    "items": [{"id": "trial_subject_id", "category": "pi.health", "persons": 800}],
    "persons": 800,
}


def api(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def signed(app, name: str) -> tuple[TestClient, str]:
    c = page_client(app)
    assert login(c, name).status_code == 303
    home = c.get("/agency") if name.startswith("ag-") else c.get("/declarations")
    return c, CSRF.search(home.text).group(1)


def filed_at_xiamen(app, tokens, *, notice: bool = True) -> str:
    """Application (2026-03-02, addressed to Xiamen) and, when `notice`, the filing on 2026-03-10."""
    c = api(app)
    body = {"handler": "acme", "flow": "crm", "procedure": "fj.list_filing", "on": "2026-03-02"}
    key = ok(c.post("/api/v1/filings", json=body, headers=tokens["editor"]), 201)["key"]
    ok(
        c.post(
            f"/api/v1/filings/{key}/address",
            json={"area": "fujian-ftz/xiamen", "on": "2026-03-02"},
            headers=tokens["editor"],
        )
    )
    if notice:
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
    return key


def post(c, csrf, path, **data):
    return c.post(path, data={"csrf_token": csrf, **data})


def test_the_desk_acts_through_its_pages(app, tokens):
    key = filed_at_xiamen(app, tokens, notice=False)
    xm, csrf = signed(app, "ag-xiamen")
    page = xm.get(f"/agency/filings/{key}")
    assert page.status_code == 200 and 'action="/agency/filings/' + key + '/step"' in page.text
    # the opinion kinds come from the list data, names in both languages
    for kind in ("on_list", "off_list", "not_applicable"):
        assert f'value="{kind}"' in page.text
    assert 'id="spot-check-form"' in page.text and 'id="opinion-up-form"' in page.text

    # written notice (Art. 12(1)): a step the desk takes; a handler's step is refused with the list
    r = post(xm, csrf, f"/agency/filings/{key}/step", step_id="area_notice", on="2026-03-05")
    assert r.status_code == 303 and r.headers["location"] == f"/agency/filings/{key}"
    bad = post(xm, csrf, f"/agency/filings/{key}/step", step_id="application", on="2026-03-05")
    assert bad.status_code == 400 and "not a step of the agency" in bad.text and "area_notice" in bad.text
    assert "area_notice" in xm.get(f"/agency/filings/{key}").text

    ok(
        api(app).post(
            f"/api/v1/filings/{key}/filing",
            json={"on": "2026-03-10", "content": FILED},
            headers=tokens["approver"],
        )
    )
    # opinion: on the list must name a pathway; off the list takes none; a bad date is named
    r = post(xm, csrf, f"/agency/filings/{key}/opinion", kind="on_list", on="2026-03-16")
    assert r.status_code == 400 and "pathway" in r.text
    r = post(xm, csrf, f"/agency/filings/{key}/opinion", kind="off_list", on="2026-03-16", pathway="exempt")
    assert r.status_code == 400
    r = post(xm, csrf, f"/agency/filings/{key}/opinion", kind="off_list", on="16/03/2026")
    assert r.status_code == 400 and "on" in r.text
    r = post(xm, csrf, f"/agency/filings/{key}/opinion", kind="off_list", on="2026-03-16", reference="XM-7")
    assert r.status_code == 303
    view = xm.get(f"/agency/filings/{key}").text
    assert "off_list" in view and "2029-03-16" in view  # valid three years from the opinion (Art. 13)
    assert post(xm, csrf, f"/agency/filings/{key}/opinion/report-up", on="2026-03-16").status_code == 303
    assert post(xm, csrf, f"/agency/filings/{key}/opinion/report-up", on="2026-03-17").status_code == 400

    # exports, one with a data item the filing does not list
    c = api(app)
    for on, items in (
        ("2026-04-01", ["trial_subject_id"]),
        ("2026-04-15", ["trial_subject_id", "passport_no"]),
    ):
        body = {"handler": "acme", "flow": "crm", "on": on, "persons": 200, "data_items": items}
        ok(c.post("/api/v1/exports", json=body, headers=tokens["editor"]), 201)

    r = post(
        xm,
        csrf,
        f"/agency/filings/{key}/spot-check",
        on="2026-05-04",
        period_from="2026-04-30",
        period_to="2026-04-01",
    )
    assert r.status_code == 400 and "ends before it starts" in r.text
    r = post(
        xm,
        csrf,
        f"/agency/filings/{key}/spot-check",
        on="2026-05-04",
        period_from="2026-04-01",
        period_to="2026-04-30",
    )
    assert r.status_code == 303
    view = xm.get(f"/agency/filings/{key}").text
    rows = re.findall(r'<table class="grid small discrepancies">.*?</table>', view, re.S)
    assert len(rows) == 1 and "data_catalogue" in rows[0] and "passport_no" in rows[0]
    assert "[&#39;trial_subject_id&#39;]" in rows[0]  # the filed side shown beside the actual one
    cid = int(re.search(r'action="/agency/spot-checks/(\d+)/outcome"', view).group(1))

    # a discrepancy cannot be concluded consistent; rectify needs its date
    r = post(xm, csrf, f"/agency/spot-checks/{cid}/outcome", key=key, on="2026-05-06", outcome="consistent")
    assert r.status_code == 400
    r = post(
        xm,
        csrf,
        f"/agency/spot-checks/{cid}/outcome",
        key=key,
        on="2026-05-06",
        outcome="inconsistent",
        order="rectify",
    )
    assert r.status_code == 400
    r = post(
        xm,
        csrf,
        f"/agency/spot-checks/{cid}/outcome",
        key=key,
        on="2026-05-06",
        outcome="inconsistent",
        order="rectify",
        due_on="2026-06-05",
    )
    assert r.status_code == 303
    view = xm.get(f"/agency/filings/{key}").text
    oid = int(re.search(r'action="/agency/orders/(\d+)/complied"', view).group(1))
    assert "2026-06-05" in view and "inconsistent" in view
    # the order is on the handler's side too
    orders = ok(c.get("/api/v1/orders?today=2026-05-07", headers=tokens["editor"]))
    assert [(o["order"], o["due_on"], o["complied_on"]) for o in orders] == [("rectify", "2026-06-05", None)]
    r = post(xm, csrf, f"/agency/orders/{oid}/complied", key=key, on="2026-05-20", note="catalogue amended")
    assert r.status_code == 303 and r.headers["location"] == f"/agency/filings/{key}"
    orders = ok(c.get("/api/v1/orders?today=2026-05-21", headers=tokens["editor"]))
    assert orders[0]["complied_on"] == "2026-05-20"
    assert post(xm, csrf, f"/agency/orders/{oid}/complied", key=key, on="2026-05-21").status_code == 400

    # an incident reported by the handler is on the desk at once; the desk reports it up once
    body = {
        "handler": "acme",
        "flow": "crm",
        "discovered_on": "2026-05-22",
        "description": "misdirected export file",
    }
    ok(c.post("/api/v1/incidents", json=body, headers=tokens["editor"]), 201)
    desk = xm.get("/agency?today=2026-05-22").text
    iid = int(re.search(r'action="/agency/incidents/(\d+)/report-up"', desk).group(1))
    assert "misdirected export file" in desk
    assert post(xm, csrf, f"/agency/incidents/{iid}/report-up", on="2026-05-21").status_code == 400
    r = post(xm, csrf, f"/agency/incidents/{iid}/report-up", on="2026-05-22", reference="FJ-UP-1")
    assert r.status_code == 303 and r.headers["location"] == "/agency"
    assert f'action="/agency/incidents/{iid}/report-up"' not in xm.get("/agency").text
    assert post(xm, csrf, f"/agency/incidents/{iid}/report-up", on="2026-05-23").status_code == 400

    # the six-monthly report for 2026H1, both formats
    pdf = xm.get("/agency/report?half=2026H1&format=pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert 'filename="fujian-ftz-xiamen-2026H1.pdf"' in pdf.headers["content-disposition"]
    xlsx = xm.get("/agency/report?half=2026H1&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    assert "Figures" in load_workbook(BytesIO(xlsx.content)).sheetnames
    for bad in ("half=2026H3", "half=26H1", "half=2026H1&format=docx"):
        assert xm.get(f"/agency/report?{bad}").status_code == 400, bad

    # every desk action is in the audit trail under the desk's user
    from ftzlist.web.accounts import Principal

    audit = app.state.workspace.register(Principal(0, "test", "admin")).audit()
    mine = {e.action for e in audit if e.actor == "ag-xiamen"}
    wanted = {"record_step", "record_opinion", "agency_report_opinion", "agency_spot_check"}
    wanted |= {"agency_spot_check_outcome", "agency_order_complied"}
    assert wanted <= mine, wanted - mine


def test_a_filing_package_is_imported_through_the_page(app, tokens, tmp_path):
    key = filed_at_xiamen(app, tokens)
    zipped = api(app).get(f"/api/v1/filings/{key}/package", headers=tokens["editor"])
    assert zipped.status_code == 200
    other = make_app(f"sqlite:///{tmp_path / 'agency.sqlite3'}", tmp_path / "agency")
    try:
        other.state.workspace.accounts.add_user(
            "ag-xiamen", PASSWORD, "agency", scope="fujian-ftz/xiamen", actor="t"
        )
        other.state.workspace.accounts.add_user(
            "ag-fuzhou", PASSWORD, "agency", scope="fujian-ftz/fuzhou", actor="t"
        )
        fz, fcsrf = signed(other, "ag-fuzhou")
        r = fz.post("/agency/packages", data={"csrf_token": fcsrf}, files={"file": ("p.zip", zipped.content)})
        assert r.status_code == 400  # addressed to another desk
        xm, csrf = signed(other, "ag-xiamen")
        r = xm.post("/agency/packages", data={"csrf_token": csrf}, files={"file": ("p.zip", b"not a zip")})
        assert r.status_code == 400 and "p.zip" in r.text
        assert xm.post("/agency/packages", files={"file": ("p.zip", zipped.content)}).status_code == 403
        r = xm.post("/agency/packages", data={"csrf_token": csrf}, files={"file": ("p.zip", zipped.content)})
        assert r.status_code == 303
        new = r.headers["location"].rsplit("/", 1)[1]
        view = xm.get(f"/agency/filings/{new}").text
        assert "trial_subject_id" in view and "area_notice" in view
        again = xm.post(
            "/agency/packages", data={"csrf_token": csrf}, files={"file": ("p.zip", zipped.content)}
        )
        assert again.status_code == 400
    finally:
        other.state.counts.close()
        other.state.workspace.close()


ACTIONS = [
    ("/agency/filings/{key}/step", {"step_id": "area_notice", "on": "2026-03-05"}),
    ("/agency/filings/{key}/opinion", {"kind": "off_list", "on": "2026-03-16"}),
    ("/agency/filings/{key}/opinion/report-up", {"on": "2026-03-16"}),
    (
        "/agency/filings/{key}/spot-check",
        {"on": "2026-05-04", "period_from": "2026-04-01", "period_to": "2026-04-30"},
    ),
]


@pytest.mark.parametrize("path,data", ACTIONS)
def test_another_desk_is_answered_as_for_an_unknown_key(app, tokens, path, data):
    key = filed_at_xiamen(app, tokens)
    fz, csrf = signed(app, "ag-fuzhou")
    unknown = "FJ-2099-9999"
    for method in ("get", "post"):
        if method == "get":
            mine, none = fz.get(f"/agency/filings/{key}"), fz.get(f"/agency/filings/{unknown}")
        else:
            mine = post(fz, csrf, path.format(key=key), **data)
            none = post(fz, csrf, path.format(key=unknown), **data)
        assert mine.status_code == none.status_code == 400
        assert mine.text.replace(key, "?") == none.text.replace(unknown, "?")
    # and nothing happened: the Xiamen desk still has the opinion to give
    assert ok(api(app).get(f"/api/v1/agency/filings/{key}", headers=tokens["ag-xiamen"]))["opinions"] == []


@pytest.mark.parametrize("role", ["viewer", "editor", "approver"])
def test_handler_side_roles_cannot_act_as_the_desk(app, tokens, role):
    key = filed_at_xiamen(app, tokens)
    c, csrf = signed(app, role)
    assert c.get("/agency").status_code == 403
    assert c.get(f"/agency/filings/{key}").status_code == 403
    assert c.get("/agency/report?half=2026H1").status_code == 403
    for path, data in ACTIONS:
        assert post(c, csrf, path.format(key=key), **data).status_code == 403, path
    for path in (
        "/agency/spot-checks/1/outcome",
        "/agency/orders/1/complied",
        "/agency/incidents/1/report-up",
    ):
        assert post(c, csrf, path, key=key, on="2026-05-06", outcome="consistent").status_code == 403, path
    assert (
        c.post("/agency/packages", data={"csrf_token": csrf}, files={"file": ("p.zip", b"x")}).status_code
        == 403
    )
    assert ok(api(app).get(f"/api/v1/agency/filings/{key}", headers=tokens["ag-xiamen"]))["opinions"] == []


def test_posts_without_the_csrf_token_are_refused(app, tokens):
    key = filed_at_xiamen(app, tokens)
    xm, csrf = signed(app, "ag-xiamen")
    for path, data in ACTIONS:
        for sent in ({}, {"csrf_token": "forged"}):
            r = xm.post(path.format(key=key), data={**data, **sent})
            assert r.status_code == 403 and "CSRF" in r.text, path
    for path in (
        "/agency/spot-checks/1/outcome",
        "/agency/orders/1/complied",
        "/agency/incidents/1/report-up",
    ):
        r = xm.post(path, data={"key": key, "on": "2026-05-06", "outcome": "consistent"})
        assert r.status_code == 403 and "CSRF" in r.text, path
    detail = ok(api(app).get(f"/api/v1/agency/filings/{key}", headers=tokens["ag-xiamen"]))
    assert detail["opinions"] == []
    assert [s["step_id"] for s in detail["steps"]].count("area_notice") == 1  # the fixture's only
    # signed out: a post is answered 401, not acted on
    anon = page_client(app)
    assert (
        anon.post(f"/agency/filings/{key}/step", data={"csrf_token": csrf, **ACTIONS[0][1]}).status_code
        == 401
    )


def test_pages_speak_chinese(app, tokens):
    key = filed_at_xiamen(app, tokens)
    xm, _ = signed(app, "ag-xiamen")
    xm.cookies.set("ftzlist_lang", "zh")
    desk = xm.get("/agency").text
    assert "实施机构工作台" in desk and "半年度实施情况报告" in desk and "导入备案材料包" in desk
    page = xm.get(f"/agency/filings/{key}").text
    assert "出具意见" in page and "一致性抽查" in page and "<script>" not in page
