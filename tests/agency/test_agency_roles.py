"""Who sees what: an agency account sees only its desk's proceedings; a handler-side account
scoped to one handler never sees another's; the roles do not cross (an agency account has no
handler-side rights, a handler account none at the desk); addressing follows the list's scope."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from ftzlist.filings.models import Proceeding  # noqa: F401 - the register's tables are loaded

FJ = {"procedure": "fj.list_filing", "on": "2026-03-02"}


def client(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def opened(
    c, tokens, handler: str, flow: str, procedure: str = "fj.list_filing", on: str = "2026-03-02"
) -> str:
    body = {"handler": handler, "flow": flow, "procedure": procedure, "on": on}
    r = c.post("/api/v1/filings", json=body, headers=tokens["editor"])
    assert r.status_code == 201, r.text
    return r.json()["key"]


def address(c, tokens, key: str, area: str, on: str = "2026-03-02"):
    return c.post(f"/api/v1/filings/{key}/address", json={"area": area, "on": on}, headers=tokens["editor"])


def test_each_desk_sees_only_its_area(app, tokens):
    c = client(app)
    xm = opened(c, tokens, "acme", "crm")
    fz = opened(c, tokens, "beta", "hr")
    assert address(c, tokens, xm, "fujian-ftz/xiamen").status_code == 200
    assert address(c, tokens, fz, "fujian-ftz/fuzhou").status_code == 200
    seen = {
        desk: {p["key"] for p in c.get("/api/v1/agency/filings", headers=tokens[desk]).json()}
        for desk in ("ag-xiamen", "ag-fuzhou", "ag-shanghai")
    }
    assert seen == {"ag-xiamen": {xm}, "ag-fuzhou": {fz}, "ag-shanghai": set()}
    queues = {
        desk: {
            r["due"]["proceeding"]
            for r in c.get("/api/v1/agency/queue?today=2026-03-03", headers=tokens[desk]).json()
        }
        for desk in ("ag-xiamen", "ag-fuzhou")
    }
    assert queues == {"ag-xiamen": {xm}, "ag-fuzhou": {fz}}
    # an admin sees every desk
    assert {p["key"] for p in c.get("/api/v1/agency/filings", headers=tokens["admin"]).json()} == {xm, fz}
    # a desk cannot act on another desk's proceeding
    r = c.post(
        f"/api/v1/agency/filings/{fz}/steps",
        json={"step_id": "area_notice", "on": "2026-03-03"},
        headers=tokens["ag-xiamen"],
    )
    assert r.status_code == 400 and "unknown filing" in r.json()["detail"]


def test_roles_do_not_cross(app, tokens):
    c = client(app)
    for path in ("/api/v1/filings", "/api/v1/due", "/api/v1/declarations"):
        assert c.get(path, headers=tokens["ag-xiamen"]).status_code == 403, path
    for who in ("editor", "viewer", "approver", "acme-editor"):
        assert c.get("/api/v1/agency/queue", headers=tokens[who]).status_code == 403, who
    # an agency account never opens or addresses the handler's proceedings
    body = {"handler": "acme", "flow": "crm", **FJ}
    assert c.post("/api/v1/filings", json=body, headers=tokens["ag-xiamen"]).status_code == 403


def test_a_handler_never_sees_another_handlers(app, tokens):
    c = client(app)
    mine = opened(c, tokens, "acme", "crm")
    theirs = opened(c, tokens, "beta", "hr")
    listed = {p["key"] for p in c.get("/api/v1/filings", headers=tokens["acme-editor"]).json()}
    assert listed == {mine}
    assert c.get(f"/api/v1/filings/{mine}", headers=tokens["acme-editor"]).status_code == 200
    assert c.get(f"/api/v1/filings/{theirs}", headers=tokens["acme-editor"]).status_code == 404
    assert c.get("/api/v1/filings?handler=beta", headers=tokens["acme-editor"]).status_code == 404
    assert {
        r["handler"] for r in c.get("/api/v1/due?today=2026-03-03", headers=tokens["acme-editor"]).json()
    } == {"acme"}
    assert {r["handler"] for r in c.get("/api/v1/due?today=2026-03-03", headers=tokens["editor"]).json()} == {
        "acme",
        "beta",
    }
    writes = [
        ("/api/v1/filings", {"handler": "beta", "flow": "x", **FJ}),
        ("/api/v1/exports", {"handler": "beta", "flow": "hr", "on": "2026-03-03"}),
        (
            "/api/v1/incidents",
            {"handler": "beta", "flow": "hr", "discovered_on": "2026-03-03", "description": "x"},
        ),
        (f"/api/v1/filings/{theirs}/address", {"area": "fujian-ftz/xiamen", "on": "2026-03-02"}),
        (f"/api/v1/filings/{theirs}/steps", {"step_id": "area_notice", "on": "2026-03-03"}),
    ]
    for path, body in writes:
        assert c.post(path, json=body, headers=tokens["acme-editor"]).status_code == 404, path
    # its own writes work
    assert address(c, tokens, mine, "fujian-ftz/xiamen").status_code == 200


@pytest.mark.parametrize(
    ("area", "words"),
    [
        ("shanghai-ftz", "binds fujian-ftz"),  # another zone
        ("fujian-ftz", "one area of fujian-ftz"),  # the zone, but the desk is per area
        ("fujian-ftz/nowhere", "has no area 'nowhere'"),
        ("mars-ftz/xiamen", "unknown zone 'mars-ftz'"),
    ],
)
def test_addressing_follows_the_lists_scope(app, tokens, area, words):
    c = client(app)
    key = opened(c, tokens, "acme", "crm")
    r = address(c, tokens, key, area)
    assert r.status_code == 400 and words in r.json()["detail"], r.text


def test_addressed_once_and_not_before_the_application(app, tokens):
    c = client(app)
    key = opened(c, tokens, "acme", "crm")
    r = address(c, tokens, key, "fujian-ftz/xiamen", on="2026-03-01")
    assert r.status_code == 400 and "before the application" in r.json()["detail"]
    assert address(c, tokens, key, "fujian-ftz/xiamen").status_code == 200
    r = address(c, tokens, key, "fujian-ftz/fuzhou")
    assert r.status_code == 400 and "already addressed" in r.json()["detail"]


def test_shanghai_post_export_reports_reach_the_zone_desk(app, tokens):
    """Shanghai's model: the handler reports within 15 working days after each export to the
    zone's service centre (list data); the centre's desk sees each report's clock."""
    c = client(app)
    key = opened(c, tokens, "acme", "sh-crm", procedure="sh.post-export-report", on="2026-03-02")
    r = address(c, tokens, key, "shanghai-ftz/pudong")
    assert r.status_code == 400
    r = address(c, tokens, key, "shanghai-ftz")
    assert r.status_code == 200, r.text
    export = {"handler": "acme", "flow": "sh-crm", "on": "2026-03-02", "persons": 10}
    assert c.post("/api/v1/exports", json=export, headers=tokens["editor"]).status_code == 201
    q = c.get("/api/v1/agency/queue?today=2026-03-03", headers=tokens["ag-shanghai"]).json()
    assert [(r["side"], r["due"]["due_on"], r["scope"]) for r in q] == [
        ("handler", "2026-03-23", "shanghai-ftz")
    ]
    assert c.get("/api/v1/agency/queue?today=2026-03-03", headers=tokens["ag-xiamen"]).json() == []
    # the centre has no opinion kinds in the list data
    r = c.get(f"/api/v1/agency/filings/{key}/opinion-kinds", headers=tokens["ag-shanghai"])
    assert r.status_code == 400 and "names no opinion kinds" in r.json()["detail"]


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from ftzlist.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_users_add_agency_needs_an_area_the_list_data_names(tmp_path):
    db = ["--db", f"sqlite:///{tmp_path / 'r.sqlite3'}"]
    pw = "a long enough password\n"
    r = run_cli("users", "add", "ag1", "--role", "agency", "--password-stdin", *db, stdin=pw)
    assert r.returncode == 2 and "needs --area" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(
        "users",
        "add",
        "ag1",
        "--role",
        "agency",
        "--area",
        "fujian-ftz/gulangyu",
        "--password-stdin",
        *db,
        stdin=pw,
    )
    assert r.returncode == 2 and "fuzhou, xiamen, pingtan" in r.stderr
    r = run_cli(
        "users",
        "add",
        "ag1",
        "--role",
        "agency",
        "--area",
        "fujian-ftz/xiamen",
        "--password-stdin",
        *db,
        stdin=pw,
    )
    assert r.returncode == 0, r.stderr
    r = run_cli(
        "users",
        "add",
        "ed1",
        "--role",
        "editor",
        "--area",
        "fujian-ftz/xiamen",
        "--password-stdin",
        *db,
        stdin=pw,
    )
    assert r.returncode == 2 and "scoped to one handler" in r.stderr
    r = run_cli(
        "users", "add", "ed1", "--role", "editor", "--handler", "acme", "--password-stdin", *db, stdin=pw
    )
    assert r.returncode == 0, r.stderr
    listed = run_cli("users", "list", *db).stdout.splitlines()
    assert (
        "ag1\tagency\tfujian-ftz/xiamen\tactive" in listed and "ed1\teditor\thandler:acme\tactive" in listed
    )
    # an agency account cannot become a handler-side role with its desk scope, nor back without one
    r = run_cli("users", "set-role", "ag1", "admin", *db)
    assert r.returncode == 2 and "scoped to one handler" in r.stderr
    r = run_cli("users", "set-role", "ed1", "agency", *db)
    assert r.returncode == 2 and "needs --area" in r.stderr


def test_pages_refuse_an_account_scoped_to_one_handler(app):
    """The browser pages show every handler's records, so a handler-scoped account is refused
    there (403) and works through the API, which filters by handler."""
    from web_support import client as page_client
    from web_support import login

    c = page_client(app)
    assert login(c, "acme-editor").status_code == 303
    for path in ("/declarations", "/register", "/due"):
        assert c.get(path).status_code == 403, path
    c = page_client(app)
    assert login(c, "editor").status_code == 303
    assert c.get("/declarations").status_code == 200


def test_the_desk_page_shows_only_the_desks_queue(app, tokens):
    from web_support import client as page_client
    from web_support import login

    c = client(app)
    key = opened(c, tokens, "acme", "crm")
    assert address(c, tokens, key, "fujian-ftz/xiamen").status_code == 200
    xm = page_client(app)
    assert login(xm, "ag-xiamen").status_code == 303
    assert xm.get("/").headers["location"] == "/agency"
    page = xm.get("/agency?today=2026-03-03")
    assert (
        page.status_code == 200
        and key in page.text
        and "2026-03-09" in page.text
        and "fujian-ftz/xiamen" in page.text
    )
    assert xm.get("/declarations").status_code == 403
    fz = page_client(app)
    assert login(fz, "ag-fuzhou").status_code == 303
    other = fz.get("/agency?today=2026-03-03")
    assert other.status_code == 200 and key not in other.text
    ed = page_client(app)
    assert login(ed, "editor").status_code == 303
    assert ed.get("/agency").status_code == 403
