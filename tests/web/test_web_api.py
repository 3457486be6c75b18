"""The API for scripts: bearer tokens from `ftzlist tokens create`, roles, the same JSON as
`ftzlist assess --format json`, every endpoint."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner
from web_support import EXAMPLE, PASSWORD, client

from ftzlist.cli import app as cli
from ftzlist.errors import InputError

HANDLER = "xiamen-haixia-biologics-co-ltd"
CONTENT = {
    "purpose": "pharmacovigilance",
    "recipient": {"name": "Haixia Biologics Inc.", "country": "US"},
    "items": [{"id": "icsr", "category": "health.adverse_event", "persons": 12000}],
}


@pytest.fixture
def tokens(app):
    accounts = app.state.workspace.accounts
    return {
        role: accounts.create_token(role, f"{role}-script")
        for role in ("viewer", "editor", "approver", "admin")
    }


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def example() -> dict:
    import yaml

    return json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))


def test_openapi_document_is_served_and_complete(app):
    c = client(app)
    doc = c.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    assert {
        "/api/v1/declarations/{decl_id}/assessment",
        "/api/v1/filings",
        "/api/v1/due",
        "/api/v1/assess",
    } <= paths
    assert all(p.startswith("/api/v1/") for p in paths)  # pages are not part of the API
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert c.get("/docs").status_code == 404  # no Swagger UI: it would load scripts from elsewhere


def test_no_or_bad_token_is_401(app):
    c = client(app)
    for path in ("/api/v1/me", "/api/v1/declarations", "/api/v1/due", "/api/v1/lists"):
        r = c.get(path)
        assert r.status_code == 401 and r.json()["detail"] and r.headers["www-authenticate"] == "Bearer"
        assert c.get(path, headers=auth("ftz_wrong")).status_code == 401
    viewer_cookie_client, _ = __import__("web_support").signed_in(app, "admin")
    assert viewer_cookie_client.get("/api/v1/me").status_code == 401  # a session cookie is no API credential


def test_roles_on_the_api(app, tokens):
    c = client(app)
    decl = example()
    assert c.post("/api/v1/declarations", json=decl, headers=auth(tokens["viewer"])).status_code == 403
    r = c.post("/api/v1/declarations", json=decl, headers=auth(tokens["editor"]))
    assert r.status_code == 201 and r.json()["handler_key"] == HANDLER
    decl_id = r.json()["id"]
    assert (
        c.post(f"/api/v1/declarations/{decl_id}/snapshots", headers=auth(tokens["editor"])).status_code == 403
    )
    r = c.post(f"/api/v1/declarations/{decl_id}/snapshots?as_of=2026-03-31", headers=auth(tokens["approver"]))
    assert r.status_code == 201 and [s["flow"] for s in r.json()] == [f["id"] for f in decl["flows"]]
    opened = c.post(
        "/api/v1/filings",
        json={"handler": HANDLER, "flow": "pv", "procedure": "fj.list_filing", "on": "2026-02-10"},
        headers=auth(tokens["editor"]),
    )
    assert opened.status_code == 201
    key = opened.json()["key"]
    body = {"on": "2026-02-13", "content": CONTENT}
    assert (
        c.post(f"/api/v1/filings/{key}/filing", json=body, headers=auth(tokens["editor"])).status_code == 403
    )
    assert (
        c.post(
            f"/api/v1/filings/{key}/steps",
            json={"step_id": "area_notice", "on": "2026-02-12"},
            headers=auth(tokens["viewer"]),
        ).status_code
        == 403
    )
    assert (
        c.post(
            f"/api/v1/filings/{key}/steps",
            json={"step_id": "area_notice", "on": "2026-02-12"},
            headers=auth(tokens["editor"]),
        ).status_code
        == 200
    )
    r = c.post(f"/api/v1/filings/{key}/filing", json=body, headers=auth(tokens["approver"]))
    assert r.status_code == 200 and r.json()["filings"][0]["items"][0]["persons"] == 12000
    audit = app.state.workspace.register(
        __import__("ftzlist.web.accounts", fromlist=["Principal"]).Principal(0, "t", "viewer")
    ).audit()
    assert {(e.action, e.actor) for e in audit} >= {
        ("record_filing", "approver (token:approver-script)"),
        ("record_step", "editor (token:editor-script)"),
    }


def test_token_role_only_lowers_rights(app):
    accounts = app.state.workspace.accounts
    low = accounts.create_token("admin", "read-only", role="viewer")
    c = client(app)
    assert c.get("/api/v1/me", headers=auth(low)).json()["role"] == "viewer"
    assert c.post("/api/v1/declarations", json=example(), headers=auth(low)).status_code == 403
    with pytest.raises(InputError, match="cannot have the role admin"):
        accounts.create_token("editor", "escalate", role="admin")
    prefix = low[:10]
    accounts.revoke_token(prefix, actor="admin")
    assert c.get("/api/v1/me", headers=auth(low)).status_code == 401


def test_assessment_json_is_the_cli_json(app, tokens):
    c = client(app)
    r = c.post("/api/v1/declarations", json=example(), headers=auth(tokens["editor"]))
    decl_id = r.json()["id"]
    api = c.get(
        f"/api/v1/declarations/{decl_id}/assessment?as_of=2026-03-31", headers=auth(tokens["viewer"])
    ).json()
    out = CliRunner().invoke(cli, ["assess", str(EXAMPLE), "--as-of", "2026-03-31", "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    assert api == json.loads(out.stdout)
    posted = c.post("/api/v1/assess?as_of=2026-03-31", json=example(), headers=auth(tokens["viewer"])).json()
    assert posted == api


def test_bad_input_names_the_field(app, tokens):
    c = client(app)
    decl = example()
    decl["flows"][2]["scenario"] = "pharma.pharmacovigilanse"
    r = c.post("/api/v1/assess", json=decl, headers=auth(tokens["viewer"]))
    assert r.status_code == 400
    assert any("flows[2] (pv).scenario: unknown scenario" in p for p in r.json()["problems"])
    decl["flows"][2]["data"][0]["persons"] = "12,000"
    assert c.post("/api/v1/assess", json=decl, headers=auth(tokens["viewer"])).status_code == 422
    r = c.post(
        "/api/v1/filings/NOPE-1/steps",
        json={"step_id": "x", "on": "2026-01-01"},
        headers=auth(tokens["editor"]),
    )
    assert r.status_code == 400 and "unknown filing" in r.json()["detail"]
    assert c.get("/api/v1/declarations/99", headers=auth(tokens["viewer"])).status_code == 404
    assert c.get("/api/v1/lists/nope", headers=auth(tokens["viewer"])).status_code == 404


def test_every_endpoint_answers(app, tokens):
    c = client(app)
    h = auth(tokens["admin"])
    decl_id = c.post("/api/v1/declarations", json=example(), headers=h).json()["id"]
    assert c.put(f"/api/v1/declarations/{decl_id}", json=example(), headers=h).json()["revision"] == 2
    assert c.get(f"/api/v1/declarations/{decl_id}", headers=h).json()["handler"]["zone"] == "fujian-ftz"
    assert [d["id"] for d in c.get("/api/v1/declarations", headers=h).json()] == [decl_id]
    cmp = c.get(f"/api/v1/declarations/{decl_id}/comparison?as_of=2026-03-31", headers=h).json()
    assert cmp["placements"][0]["label"] == "national" and set(cmp["cells"]) == {
        f["id"] for f in example()["flows"]
    }
    lists = c.get("/api/v1/lists", headers=h).json()
    fj = c.get("/api/v1/lists/fujian-ftz-2025", headers=h).json()
    assert fj in lists and len(fj["sha256"]) == 64
    key = c.post(
        "/api/v1/filings",
        json={"handler": HANDLER, "flow": "pv", "procedure": "fj.list_filing", "on": "2026-02-10"},
        headers=h,
    ).json()["key"]
    c.post(f"/api/v1/filings/{key}/steps", json={"step_id": "area_notice", "on": "2026-02-12"}, headers=h)
    c.post(f"/api/v1/filings/{key}/filing", json={"on": "2026-02-13", "content": CONTENT}, headers=h)
    r = c.post(f"/api/v1/filings/{key}/opinions", json={"on": "2026-02-20", "outcome": "off_list"}, headers=h)
    assert (
        r.status_code == 200 and r.json()["state"] == "active" and r.json()["valid_until"].startswith("2029-")
    )
    r = c.post(
        "/api/v1/exports",
        json={"handler": HANDLER, "flow": "pv", "on": "2026-03-02", "persons": 13000, "data_items": ["icsr"]},
        headers=h,
    )
    assert r.status_code == 201 and any(
        "13,000 persons exported, 12,000 filed" in i for i in r.json()["inconsistencies"]
    )
    r = c.post(
        "/api/v1/incidents",
        json={
            "handler": HANDLER,
            "flow": "pv",
            "discovered_on": "2026-03-03",
            "description": "misdirected file",
        },
        headers=h,
    )
    assert r.status_code == 201
    due = c.get("/api/v1/due?today=2026-03-10", headers=h).json()
    assert due[0]["status"] == "overdue" and due[0]["kind"] == "incident"
    assert [p["key"] for p in c.get("/api/v1/filings", headers=h).json()] == [key]
    assert c.get(f"/api/v1/filings/{key}", headers=h).json()["opinions"][0]["outcome"] == "off_list"
    r = c.post(f"/api/v1/filings/{key}/renewal", json={"on": "2026-03-01"}, headers=h)
    assert r.status_code == 400  # outside the renewal window: the register says when it opens
    assert c.get("/api/v1/me", headers=h).json() == {
        "name": "admin",
        "role": "admin",
        "scope": None,
        "via": "token:admin-script",
    }


def test_users_and_tokens_commands(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    run = CliRunner()
    r = run.invoke(
        cli, ["users", "add", "ann", "--role", "admin", "--password-stdin", "--db", db], input=PASSWORD + "\n"
    )
    assert r.exit_code == 0, r.output
    r = run.invoke(
        cli, ["users", "add", "ann", "--role", "admin", "--password-stdin", "--db", db], input=PASSWORD + "\n"
    )
    assert isinstance(r.exception, InputError) and "already exists" in str(r.exception)  # exit 2 via main()
    r = run.invoke(
        cli, ["users", "add", "bob", "--role", "boss", "--password-stdin", "--db", db], input=PASSWORD + "\n"
    )
    assert isinstance(r.exception, InputError) and "unknown role 'boss'" in str(r.exception)
    r = run.invoke(cli, ["tokens", "create", "ci", "--user", "ann", "--db", db])
    assert r.exit_code == 0
    token = r.stdout.strip().splitlines()[0]
    assert token.startswith("ftz_") and len(token) > 40
    listed = run.invoke(cli, ["tokens", "list", "--db", db]).stdout
    assert token[:10] in listed and token not in listed  # only the prefix is ever shown again
    from sqlalchemy import create_engine, text

    with create_engine(db).connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users")).scalar()
        everything = " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_log")))
        tokens_col = conn.execute(text("SELECT token_sha256 FROM api_tokens")).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "$argon2" not in everything and token not in everything and PASSWORD not in everything
    assert token not in tokens_col
    assert run.invoke(cli, ["users", "list", "--db", db]).stdout.startswith("ann\tadmin")
