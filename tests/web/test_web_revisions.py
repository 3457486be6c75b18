"""Edits and sign-offs are bound to the revision the user saw: two people editing the same
declaration never silently overwrite each other (a stale form would put back an older, lower
count: a lighter pathway than the declaration now supports), and an approver never signs off a
revision they have not looked at. Pages answer 409, the API 412 on a stale If-Match; nothing is
saved or kept. A new declaration never joins another handler's register record by its key.
Record ids beyond what the database holds are unknown records (404), never a 500."""

from __future__ import annotations

import html
import json
import re

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import CSRF, EXAMPLE, client, upload_example

REVISION = re.compile(r'name="revision" value="(\d+)"')


def form_values(page: str) -> dict[str, str]:
    """What a browser would post for the form on `page` unchanged (inputs, checked boxes, the
    selected option or, for a select without one, its first option)."""
    values: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", page):
        attrs = m.group(1)
        name = re.search(r'name="([^"]+)"', attrs)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', attrs)
        if 'type="checkbox"' in attrs:
            if re.search(r"\bchecked\b", attrs):
                values[name.group(1)] = "on"
            continue
        values[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for m in re.finditer(r"<select([^>]*)>(.*?)</select>", page, re.S):
        name = re.search(r'name="([^"]+)"', m.group(1)).group(1)
        options = re.findall(r"<option([^>]*)>([^<]*)</option>", m.group(2))
        attrs, text = ([o for o in options if re.search(r"\bselected\b", o[0])] or options)[0]
        value = re.search(r'value="([^"]*)"', attrs)
        values[name] = html.unescape(value.group(1) if value else text)
    return values


def pv_pathway(app, decl_id: int) -> str:
    ws = app.state.workspace
    _, decl = ws.declaration(decl_id)
    return next(str(f.pathway) for f in ws.assess(decl).flows if f.flow_id == "pv")


def pv_persons(app, decl_id: int) -> int:
    _, decl = app.state.workspace.declaration(decl_id)
    return next(f for f in decl.flows if f.id == "pv").data[0].persons


def test_a_stale_flow_form_cannot_undo_a_newer_count(app, clients):
    editor, csrf = clients["editor"]
    admin, _ = clients["admin"]
    decl = upload_example(editor, csrf)
    assert pv_pathway(app, decl) == "standard_contract_or_certification"  # 12,000 patients
    a = form_values(editor.get(f"/declarations/{decl}/flows/pv").text)
    b = form_values(admin.get(f"/declarations/{decl}/flows/pv").text)
    assert a["revision"] == b["revision"] == "1"
    b["data.0.persons"] = "60,000"  # the new count: over 50,000 patients
    assert admin.post(f"/declarations/{decl}/flows", data=b).status_code == 303
    assert pv_pathway(app, decl) == "security_assessment"
    a["purpose"] += " (wording)"  # the other editor fixes a typo on the form opened before
    r = editor.post(f"/declarations/{decl}/flows", data=a)
    assert r.status_code == 409
    assert "changed since you opened it" in html.unescape(r.text) and "revision 2" in r.text
    assert REVISION.search(r.text).group(1) == "1"  # the form keeps the revision it was opened on
    assert editor.post(f"/declarations/{decl}/flows", data=a).status_code == 409  # again: refused
    assert pv_persons(app, decl) == 60000 and pv_pathway(app, decl) == "security_assessment"
    row, _ = app.state.workspace.declaration(decl)
    assert row.revision == 2
    # reopened, the form shows the current facts and saves
    fresh = form_values(editor.get(f"/declarations/{decl}/flows/pv").text)
    assert fresh["revision"] == "2" and fresh["data.0.persons"] == "60000"
    fresh["purpose"] += " (wording)"
    assert editor.post(f"/declarations/{decl}/flows", data=fresh).status_code == 303
    assert pv_persons(app, decl) == 60000


def test_a_failed_post_keeps_the_revision_it_was_opened_on(app, clients):
    editor, csrf = clients["editor"]
    admin, _ = clients["admin"]
    decl = upload_example(editor, csrf)
    a = form_values(editor.get(f"/declarations/{decl}/flows/pv").text)
    b = form_values(admin.get(f"/declarations/{decl}/flows/pv").text)
    b["data.0.persons"] = "60000"
    assert admin.post(f"/declarations/{decl}/flows", data=b).status_code == 303
    r = editor.post(f"/declarations/{decl}/flows", data=a | {"recipient.country": "usa"})
    assert r.status_code in (400, 409)
    again = form_values(r.text)  # corrected on the re-shown form: still the stale revision
    assert again["revision"] == "1"
    assert (
        editor.post(f"/declarations/{decl}/flows", data=again | {"recipient.country": "US"}).status_code
        == 409
    )
    assert pv_persons(app, decl) == 60000


def test_a_stale_handler_form_cannot_undo_newer_facts(app, clients):
    editor, csrf = clients["editor"]
    admin, _ = clients["admin"]
    decl = upload_example(editor, csrf)
    a = form_values(editor.get(f"/declarations/{decl}/handler").text)
    b = form_values(admin.get(f"/declarations/{decl}/handler").text)
    assert a["ciio"] == "false"
    b["ciio"] = "true"  # found out: a CIIO, so every flow of personal information is assessed
    assert admin.post(f"/declarations/{decl}/handler", data=b).status_code == 303
    assert pv_pathway(app, decl) == "security_assessment"
    a["name"] += " "  # a cosmetic edit on the stale form
    r = editor.post(f"/declarations/{decl}/handler", data=a)
    assert r.status_code == 409 and "changed since you opened it" in html.unescape(r.text)
    _, now = app.state.workspace.declaration(decl)
    assert now.handler.ciio is True and pv_pathway(app, decl) == "security_assessment"


def test_a_sign_off_is_of_the_revision_the_approver_saw(app, clients):
    editor, csrf = clients["editor"]
    approver, _ = clients["approver"]
    decl = upload_example(editor, csrf)
    page = approver.get(f"/declarations/{decl}").text
    seen = form_values(page[page.index('action="/declarations/') :])
    assert seen["revision"] == "1"
    form = form_values(editor.get(f"/declarations/{decl}/flows/pv").text)
    form["data.0.persons"] = "60000"
    assert editor.post(f"/declarations/{decl}/flows", data=form).status_code == 303
    before = len(app.state.workspace.snapshots(decl))
    r = approver.post(f"/declarations/{decl}/snapshot", data=seen)
    assert r.status_code == 409 and "Nothing was saved or signed off" in html.unescape(r.text)
    assert len(app.state.workspace.snapshots(decl)) == before
    page = approver.get(f"/declarations/{decl}").text
    current = form_values(page[page.index(f'action="/declarations/{decl}/snapshot"') :])
    assert current["revision"] == "2"
    r = approver.post(f"/declarations/{decl}/snapshot", data=current)
    assert r.status_code == 303
    kept = app.state.workspace.snapshots(decl)
    pv = next(s for s in kept if s.decision["flow_id"] == "pv")
    assert pv.pathway == "security_assessment"
    assert pv.decision["declaration"] == {"id": decl, "revision": 2}


@pytest.fixture
def tokens(app):
    accounts = app.state.workspace.accounts
    return {role: accounts.create_token(role, f"{role}-rev") for role in ("editor", "approver")}


def test_api_if_match_guards_put_and_sign_off(app, clients, tokens):
    c = client(app)
    ed = {"Authorization": f"Bearer {tokens['editor']}"}
    ap = {"Authorization": f"Bearer {tokens['approver']}"}
    doc = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    decl = c.post("/api/v1/declarations", json=doc, headers=ed).json()["id"]
    got = c.get(f"/api/v1/declarations/{decl}", headers=ed)
    assert got.headers["etag"] == '"1"'
    mine, theirs = got.json(), got.json()
    theirs["flows"][2]["data"][0]["persons"] = 60000
    assert (
        c.put(f"/api/v1/declarations/{decl}", json=theirs, headers=ed | {"If-Match": '"1"'}).status_code
        == 200
    )
    mine["flows"][2]["purpose"] = "ICSRs"
    r = c.put(f"/api/v1/declarations/{decl}", json=mine, headers=ed | {"If-Match": '"1"'})
    assert r.status_code == 412 and r.headers["etag"] == '"2"' and "revision 2" in r.json()["detail"]
    assert pv_persons(app, decl) == 60000
    assert (
        c.put(f"/api/v1/declarations/{decl}", json=mine, headers=ed | {"If-Match": "soon"}).status_code == 400
    )
    r = c.post(f"/api/v1/declarations/{decl}/snapshots", headers=ap | {"If-Match": '"1"'})
    assert r.status_code == 412 and app.state.workspace.snapshots(decl) == []
    r = c.post(f"/api/v1/declarations/{decl}/snapshots", headers=ap | {"If-Match": 'W/"2"'})
    assert r.status_code == 201
    doc = c.get("/api/openapi.json").json()
    assert "412" in doc["paths"]["/api/v1/declarations/{decl_id}"]["put"]["responses"]


BIG = "99999999999999999999999"


@pytest.mark.parametrize(
    "page",
    [
        f"/declarations/{BIG}",
        f"/declarations/{BIG}/compare",
        f"/declarations/{BIG}/report.pdf",
        f"/declarations/{BIG}/filing.docx",
        f"/declarations/{BIG}/reasons/pv",
        f"/declarations/{BIG}/handler",
        f"/declarations/{BIG}/flows/new",
        "/declarations/2147483648",
        "/declarations/0",
        f"/counting/{BIG}",
        f"/counting/{BIG}/progress",
        "/counting/9223372036854775808",
    ],
)
def test_record_ids_beyond_the_database_are_unknown_not_errors(app, clients, page):
    c, _ = clients["admin"]
    assert c.get(page).status_code == 404


@pytest.mark.parametrize("action", ["snapshot", "handler", "flows"])
def test_posts_to_ids_beyond_the_database_are_unknown_not_errors(app, clients, action):
    c, csrf = clients["admin"]
    r = c.post(f"/declarations/{BIG}/{action}", data={"csrf_token": csrf})
    assert r.status_code == 404 and CSRF.search(r.text)


PINGTAN = EXAMPLE.parent / "pingtan-hotel-membership.yaml"
XIAMEN_KEY = "xiamen-haixia-biologics-co-ltd"


def register_flows(app, key: str) -> set[str]:
    from ftzlist.filings.models import Flow, Handler

    with Session(app.state.workspace.engine) as s:
        return set(
            s.scalars(select(Flow.key).join(Handler, Handler.id == Flow.handler_id).where(Handler.key == key))
        )


def test_a_new_declaration_cannot_take_another_handlers_key(app, clients):
    c, csrf = clients["editor"]
    upload_example(c, csrf)
    before = register_flows(app, XIAMEN_KEY)
    r = c.post(
        "/declarations/upload",
        files={"file": (PINGTAN.name, PINGTAN.read_bytes(), "application/yaml")},
        data={"csrf_token": csrf, "key": XIAMEN_KEY},
    )
    assert r.status_code == 400
    assert "is the register key of handler &#39;Xiamen Haixia Biologics Co., Ltd.&#39;" in r.text
    assert register_flows(app, XIAMEN_KEY) == before  # the hotel's flows did not join the record
    assert len(app.state.workspace.declarations()) == 1
    upload_example(c, csrf, PINGTAN)  # under its own key: fine
    upload_example(c, csrf)  # the same handler again (a new declaration of it): same key, fine
    assert [r.handler_key for r in app.state.workspace.declarations()].count(XIAMEN_KEY) == 2


def test_two_handlers_whose_names_make_the_same_key_stay_apart(app, clients):
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    token = app.state.workspace.accounts.create_token("editor", "keys")
    api = client(app)
    auth = {"Authorization": f"Bearer {token}"}
    first = json.loads(json.dumps(doc | {"handler": doc["handler"] | {"name": "ACME Co."}}, default=str))
    second = json.loads(json.dumps(doc | {"handler": doc["handler"] | {"name": "Acme Co"}}, default=str))
    assert api.post("/api/v1/declarations", json=first, headers=auth).status_code == 201
    r = api.post("/api/v1/declarations", json=second, headers=auth)
    assert (
        r.status_code == 400 and "'acme-co' is the register key of handler 'ACME Co.'" in r.json()["detail"]
    )
