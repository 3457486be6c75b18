"""Every page and form, for every role: anonymous visitors see only the login page, a viewer
cannot write, an editor cannot sign off (snapshots, filings, changes, renewals), a post without the
session's CSRF token is refused, and a refused request changes nothing."""

from __future__ import annotations

import re

import pytest
from web_support import CSRF, EXAMPLE, ROLES, client, login, upload_example

from ftzlist.web.security import HEADERS

HANDLER = "xiamen-haixia-biologics-co-ltd"
FILED = "purpose: pharmacovigilance\nrecipient: {name: Haixia Biologics Inc., country: US}\nitems:\n  - {id: icsr, category: health.adverse_event, persons: 12000}\n"


@pytest.fixture
def world(app, clients):
    """A declaration, a proceeding with a notice, and the ids the routes need."""
    c, csrf = clients["admin"]
    decl = upload_example(c, csrf)
    r = c.post(
        "/register/open",
        data={
            "csrf_token": csrf,
            "target": f"{HANDLER}/pv",
            "procedure": "fujian-ftz-2025:fj.list_filing",
            "on": "2026-02-10",
        },
    )
    assert r.status_code == 303, r.text
    key = r.headers["location"].rsplit("/", 1)[1]
    return {"decl": decl, "key": key}


def audit_count(app) -> int:
    return len(app.state.workspace.register(_nobody()).audit())


def _nobody():
    from ftzlist.web.accounts import Principal

    return Principal(0, "test", "viewer")


READ_PAGES = [
    "/declarations",
    "/declarations/{decl}",
    "/declarations/{decl}/reasons/pv",
    "/declarations/{decl}?as_of=2025-06-01",
    "/declarations/{decl}/compare",
    "/register",
    "/register/{key}",
    "/due",
    "/due?today=2026-12-31",
    "/lists",
    "/lists/fujian-ftz-2025",
    "/lists/diff?old=shanghai-ftz-2024&new=shanghai-ftz-2025",
    "/audit",
    "/audit?table=declarations",
    "/counting",
]
WRITE_PAGES = [
    "/declarations/{decl}/flows/new",
    "/declarations/{decl}/flows/pv",
    "/declarations/{decl}/handler",
]
ADMIN_PAGES = ["/admin/users"]


def test_anonymous_sees_only_the_login_page(app, world):
    anon = client(app)
    for page in READ_PAGES + WRITE_PAGES + ADMIN_PAGES + ["/"]:
        r = anon.get(page.format(**world))
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    assert anon.get("/login").status_code == 200
    assert anon.get("/static/htmx.min.js").status_code == 200
    r = anon.get("/declarations/1", headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["HX-Redirect"] == "/login"
    for path, _, _ in POSTS:
        r = anon.post(path.format(**world), data={"csrf_token": "x"})
        assert r.status_code == 401, path


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(app, clients, world, role):
    c, _ = clients[role]
    for page in READ_PAGES:
        r = c.get(page.format(**world))
        assert r.status_code == 200, (page, r.text[:500])
        assert "<main>" in r.text
    for page in WRITE_PAGES:
        assert c.get(page.format(**world)).status_code == (403 if role == "viewer" else 200), page
    for page in ADMIN_PAGES:
        assert c.get(page).status_code == (200 if role == "admin" else 403), page


# path, permission, form data ({csrf} filled in)
POSTS = [
    ("/declarations/upload", "write", None),
    (
        "/declarations/{decl}/flows",
        "write",
        {
            "original_id": "hcp",
            "id": "hcp",
            "scenario": "pharma.hcp_engagement",
            "recipient.name": "Haixia Biologics Inc.",
            "recipient.country": "US",
            "purpose": "advisory boards",
            "data.0.id": "hcp-profile",
            "data.0.category": "professional.healthcare_professional",
            "data.0.subject": "healthcare_professional",
            "data.0.persons": "8600",
        },
    ),
    (
        "/declarations/{decl}/handler",
        "write",
        {
            "name": "Xiamen Haixia Biologics Co., Ltd.",
            "zone": "fujian-ftz",
            "area": "xiamen",
            "sector": "pharma",
            "enterprise_type": "pharma.biologics",
            "ciio": "false",
        },
    ),
    ("/declarations/{decl}/snapshot", "approve", {"as_of": "2026-03-31"}),
    (
        "/register/open",
        "write",
        {"target": f"{HANDLER}/trial", "procedure": "fujian-ftz-2025:fj.list_filing", "on": "2026-03-02"},
    ),
    ("/register/{key}/step", "write", {"step_id": "area_notice", "on": "2026-02-12"}),
    ("/register/{key}/opinion", "write", {"outcome": "off_list", "on": "2026-02-20"}),
    ("/register/{key}/filing", "approve", {"on": "2026-02-13", "content": FILED}),
    ("/register/{key}/change", "approve", {"on": "2026-03-13", "content": FILED}),
    ("/register/{key}/renew", "approve", {"on": "2028-12-01"}),
    ("/register/export", "write", {"target": f"{HANDLER}/hcp", "on": "2026-04-01", "persons": "10"}),
    (
        "/register/incident",
        "write",
        {"target": f"{HANDLER}/hcp", "on": "2026-04-02", "description": "misdirected e-mail"},
    ),
    ("/register/incident/reported", "write", {"incident_id": "1", "on": "2026-04-02"}),
    ("/counting", "write", None),
    ("/admin/users", "admin", {"name": "newcomer", "password": "another long password", "role": "viewer"}),
]
ALLOWED = {
    "write": {"editor", "approver", "admin"},
    "approve": {"approver", "admin"},
    "admin": {"admin"},
}


def _post(c, path, data, csrf):
    if path == "/declarations/upload":
        return c.post(
            path,
            files={"file": (EXAMPLE.name, EXAMPLE.read_bytes(), "application/yaml")},
            data={"csrf_token": csrf} if csrf else {},
        )
    if path == "/counting":
        files = [
            ("logs", ("log.csv", b"flow,resident_id,exported_on\n", "text/csv")),
            ("mapping", ("m.yaml", b"x: 1\n", "application/yaml")),
        ]
        return c.post(path, files=files, data={"csrf_token": csrf} if csrf else {})
    body = dict(data or {})
    if csrf:
        body["csrf_token"] = csrf
    return c.post(path, data=body)


@pytest.mark.parametrize(("path", "permission", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_posts_by_role_and_csrf(app, clients, world, path, permission, data):
    path = path.format(**world)
    for role in ROLES:
        c, csrf = clients[role]
        before = audit_count(app)
        r = _post(c, path, data, None)
        assert r.status_code == 403, (role, "no CSRF token", r.status_code)
        r = _post(c, path, data, "forged-" + csrf[:8])
        assert r.status_code == 403, (role, "wrong CSRF token")
        assert audit_count(app) == before, (role, "a refused post changed the register")
        r = _post(c, path, data, csrf)
        if role in ALLOWED[permission]:
            assert r.status_code in (303, 400), (role, r.status_code, r.text[:800])
        else:
            assert r.status_code == 403, (role, r.status_code)
            assert audit_count(app) == before


def test_editor_can_write_but_not_sign_off(app, clients, world):
    c, csrf = clients["editor"]
    r = c.post(
        f"/register/{world['key']}/step",
        data={"csrf_token": csrf, "step_id": "area_notice", "on": "2026-02-12"},
    )
    assert r.status_code == 303
    r = c.post(f"/declarations/{world['decl']}/snapshot", data={"csrf_token": csrf, "as_of": "2026-03-31"})
    assert r.status_code == 403
    r = c.post(
        f"/register/{world['key']}/filing", data={"csrf_token": csrf, "on": "2026-02-13", "content": FILED}
    )
    assert r.status_code == 403
    a, acsrf = clients["approver"]
    assert (
        a.post(
            f"/register/{world['key']}/filing",
            data={"csrf_token": acsrf, "on": "2026-02-13", "content": FILED},
        ).status_code
        == 303
    )
    entries = app.state.workspace.register(_nobody()).audit()
    by = {(e.action, e.actor) for e in entries}
    assert ("record_step", "editor") in by and ("record_filing", "approver") in by
    assert not any(e.action == "snapshot_decision" and e.actor == "editor" for e in entries)


def test_snapshot_is_kept_with_its_signer_and_hashes(app, clients, world):
    c, csrf = clients["approver"]
    r = c.post(f"/declarations/{world['decl']}/snapshot", data={"csrf_token": csrf, "as_of": "2026-03-31"})
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    assert 'id="snapshot-kept"' in page
    snaps = app.state.workspace.snapshots(world["decl"])
    assert len(snaps) == 6
    assert {s.as_of.isoformat() for s in snaps} == {"2026-03-31"}
    assert all(s.list_versions and all(len(h) == 64 for h in s.list_versions.values()) for s in snaps)
    rows = [e for e in app.state.workspace.register(_nobody()).audit(table="decision_snapshots")]
    assert len(rows) == 6 and {e.actor for e in rows} == {"approver"}


def test_security_headers_and_cookies(app):
    anon = client(app)
    r = anon.get("/login")
    for k, v in HEADERS.items():
        assert r.headers[k] == v
    assert "'unsafe-inline'" not in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    r = login(anon, "viewer")
    cookie = r.headers["set-cookie"]
    assert "ftzlist_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    for page in ("/login", "/declarations"):
        html = anon.get(page).text
        assert "<script>" not in html and " style=" not in html and "onclick" not in html.lower()
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/htmx.min.js" defer>']


def test_login_needs_its_csrf_token_and_throttles(app):
    anon = client(app)
    anon.get("/login")
    r = anon.post(
        "/login",
        data={"username": "viewer", "password": "correct horse battery staple", "csrf_token": "nope"},
    )
    assert r.status_code == 403 and "ftzlist_session" not in r.headers.get("set-cookie", "")
    for _ in range(5):
        assert login(anon, "viewer", "wrong password!").status_code == 401
    r = login(anon, "viewer")  # right password, but the account is throttled now
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert login(client(app), "editor").status_code == 303  # another account is unaffected


def test_logout_ends_the_session(app, clients):
    c, csrf = clients["viewer"]
    assert c.post("/logout", data={}).status_code == 403  # CSRF applies to sign-out too
    assert c.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert c.get("/declarations").status_code == 303


def test_open_redirects_are_refused(app):
    anon = client(app)
    page = anon.get("/login?next=https://evil.example/")
    assert 'name="next" value="/"' in page.text
    r = anon.get("/lang/zh?next=//evil.example/x")
    assert r.headers["location"] == "/declarations"


def test_language_switch_and_bilingual_content(app, clients, world):
    c, _ = clients["viewer"]
    en = c.get(f"/declarations/{world['decl']}").text
    assert "Assessment" in en or "Obligations" in en
    r = c.get(f"/lang/zh?next=/declarations/{world['decl']}")
    assert r.status_code == 303 and r.headers["location"] == f"/declarations/{world['decl']}"
    zh = c.get(f"/declarations/{world['decl']}").text
    assert "义务" in zh and "清单版本与哈希" in zh
    listing = c.get("/lists/fujian-ftz-2025").text
    assert 'lang="zh"' in listing and 'lang="en"' in listing  # list content in both, whatever the switch


def test_assessment_page_shows_each_flow_reasons_versions_and_asof(app, clients, world):
    c, _ = clients["viewer"]
    page = c.get(f"/declarations/{world['decl']}?as_of=2026-03-31").text
    ds = app.state.workspace.assess(app.state.workspace.declaration(world["decl"])[1], None)
    for f in ds.flows:
        row = re.search(rf'<tr id="flow-{f.flow_id}">(.*?)</tr>', page, re.S).group(1)
        assert f"pw-{f.pathway.value.replace('_', '-')}" in row
        assert f'id="details-{f.flow_id}"' in page
        fragment = c.get(
            f"/declarations/{world['decl']}/reasons/{f.flow_id}?as_of=2026-03-31",
            headers={"HX-Request": "true"},
        ).text
        assert "<main>" not in fragment and fragment.count('<tr class="o-') == len(f.checks)
        for check in f.checks:
            assert f"{check.list_id}:{check.rule_id}" in fragment
        full = c.get(f"/declarations/{world['decl']}/reasons/{f.flow_id}")  # without HTMX: a page
        assert full.status_code == 200 and "<main>" in full.text
    for ref in ds.lists:
        assert ref.sha256 in page
    assert ds.input_sha256 in page
    old = c.get(f"/declarations/{world['decl']}?as_of=2023-06-01").text
    assert "cn-national-2022" in old
    bad = c.get(f"/declarations/{world['decl']}?as_of=31/03/2026")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text


def test_upload_errors_name_the_file_line_and_field(app, clients):
    c, csrf = clients["editor"]
    broken = EXAMPLE.read_text(encoding="utf-8").replace(
        "scenario: pharma.pharmacovigilance", "scenario: pharma.pharmacovigilanse"
    )
    r = c.post(
        "/declarations/upload",
        files={"file": ("mine.yaml", broken.encode(), "application/yaml")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 400
    assert "flows[2] (pv).scenario: unknown scenario" in r.text and "pharma.pharmacovigilance" in r.text
    assert "mine.yaml" in r.text and "upload-" not in r.text  # the name uploaded, not the temporary file
    r = c.post(
        "/declarations/upload",
        files={"file": ("mine.yaml", b"version: 1\nhandler: {name: X}\nflows: []\n", "application/yaml")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 400 and re.search(r"mine\.yaml:\d+: flows", r.text)
    r = c.post(
        "/declarations/upload",
        files={"file": ("run.sh", b"#!/bin/sh\nrm -rf /\n", "text/plain")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 400 and "expected a .yaml" in r.text
    assert not any(app.state.workspace.settings.work_dir.glob("upload-*"))  # removed after use


def test_excel_inventory_upload(app, clients, tmp_path):
    """The Excel inventory goes through the CLI's reader: filled from the example, it gives the
    same declaration; a bad cell is named by sheet and cell."""
    from openpyxl import load_workbook

    from ftzlist.excel.template import write_template
    from ftzlist.loader import load_declaration

    law = app.state.workspace.law
    decl = load_declaration(EXAMPLE, law)
    c, csrf = clients["editor"]
    target = write_template(law, tmp_path / "inventory.xlsx", decl)
    r = c.post(
        "/declarations/upload",
        files={"file": ("inventory.xlsx", target.read_bytes(), "application/octet-stream")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 303, r.text[:800]
    decl_id = int(r.headers["location"].rsplit("/", 1)[1])
    stored = app.state.workspace.declaration(decl_id)[1]
    assert [f.id for f in stored.flows] == [f.id for f in decl.flows]
    assert [d.persons for f in stored.flows for d in f.data] == [
        d.persons for f in decl.flows for d in f.data
    ]
    wb = load_workbook(target)
    sheet = wb["data_items"]
    col = next(c.column_letter for c in sheet[1] if str(c.value).startswith("persons"))
    sheet[f"{col}2"] = "lots"
    wb.save(target)
    r = c.post(
        "/declarations/upload",
        files={"file": ("inventory.xlsx", target.read_bytes(), "application/octet-stream")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 400 and "inventory.xlsx" in r.text and f"{col}2" in r.text, r.text[-1500:]


def test_uploads_are_size_limited(app, clients):
    c, csrf = clients["editor"]
    big = b"#" * (app.state.workspace.settings.max_upload_bytes + 1)
    r = c.post(
        "/declarations/upload",
        files={"file": ("big.yaml", big, "application/yaml")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 413


def test_flow_form_puts_errors_at_their_fields_and_saves(app, clients, world):
    c, csrf = clients["editor"]
    base = {
        "csrf_token": csrf,
        "original_id": "pv",
        "id": "pv",
        "recipient.name": "Haixia Biologics Inc.",
        "purpose": "ICSRs",
        "data.0.id": "icsr",
        "data.0.subject": "patient",
    }
    r = c.post(
        f"/declarations/{world['decl']}/flows",
        data=base
        | {
            "scenario": "pharma.pharmacovigilanse",
            "recipient.country": "US",
            "data.0.category": "health.adverse_event",
            "data.0.persons": "12,000",
        },
    )
    assert r.status_code == 400
    assert re.search(
        r'name="scenario".*?class="field-error"[^>]*>flows\[2\] \(pv\)\.scenario: unknown scenario',
        r.text,
        re.S,
    )
    r = c.post(
        f"/declarations/{world['decl']}/flows",
        data=base
        | {
            "scenario": "pharma.pharmacovigilance",
            "recipient.country": "usa",
            "data.0.category": "health.adverse_event",
            "data.0.persons": "twelve",
        },
    )
    assert r.status_code == 400
    assert re.search(
        r'name="recipient.country".*?field-error[^>]*>flows\.2\.recipient\.country:', r.text, re.S
    )
    assert re.search(r'name="data.0.persons".*?field-error[^>]*>flows\.2\.data\.0\.persons:', r.text, re.S)
    r = c.post(
        f"/declarations/{world['decl']}/flows",
        data=base
        | {
            "scenario": "pharma.pharmacovigilance",
            "recipient.country": "US",
            "data.0.category": "health.adverse_event",
            "data.0.persons": "60,000",
        },
    )
    assert r.status_code == 303
    _, decl = app.state.workspace.declaration(world["decl"])
    pv = next(f for f in decl.flows if f.id == "pv")
    assert pv.data[0].persons == 60000
    page = c.get(f"/declarations/{world['decl']}").text
    assert "pw-security-assessment" in re.search(r'<tr id="flow-pv">(.*?)</tr>', page, re.S).group(1)
    revs = [e for e in app.state.workspace.register(_nobody()).audit(table="declarations") if e.before]
    assert revs[-1].actor == "editor" and revs[-1].after["revision"] == 2


def test_reports_and_filing_materials_download(app, clients, world):
    c, _ = clients["viewer"]
    expected = {
        "report.pdf": b"%PDF",
        "report.docx": b"PK",
        "report.xlsx": b"PK",
        "report.html": b"<!doctype",
        "filing.docx": b"PK",
        "filing.xlsx": b"PK",
    }
    for name, magic in expected.items():
        r = c.get(f"/declarations/{world['decl']}/{name}?as_of=2026-03-31")
        assert r.status_code == 200, name
        assert r.content[: len(magic)].lower() == magic.lower(), name
        assert "attachment" in r.headers["content-disposition"]
    assert c.get(f"/declarations/{world['decl']}/report.exe").status_code == 404
    assert not any(app.state.workspace.settings.work_dir.glob("render-*"))


def test_register_pages_record_the_lifecycle(app, clients, world):
    c, csrf = clients["approver"]
    key = world["key"]
    for path, data in [
        (f"/register/{key}/step", {"step_id": "area_notice", "on": "2026-02-12"}),
        (f"/register/{key}/filing", {"on": "2026-02-13", "content": FILED}),
        (f"/register/{key}/opinion", {"outcome": "off_list", "on": "2026-02-20", "reference": "XM-2026-7"}),
        (
            "/register/export",
            {"target": f"{HANDLER}/pv", "on": "2026-03-02", "persons": "100", "data_items": "icsr"},
        ),
        (
            "/register/incident",
            {"target": f"{HANDLER}/pv", "on": "2026-03-03", "description": "mis-sent file"},
        ),
    ]:
        r = c.post(path, data=data | {"csrf_token": csrf})
        assert r.status_code == 303, (path, r.text[:600])
    page = c.get(f"/register/{key}").text
    assert "area_notice" in page and "off_list" in page and "2029-" in page
    due = c.get("/due?today=2026-03-10").text
    rows = re.findall(r'<tr class="st-([a-z_]+)', due)
    assert rows and rows[0] == "overdue"  # the incident report, due at once, comes first
    r = c.post(
        "/register/incident/reported", data={"csrf_token": csrf, "incident_id": "1", "on": "2026-03-03"}
    )
    assert r.status_code == 303
    r = c.post(
        f"/register/{key}/step", data={"csrf_token": csrf, "step_id": "area_notice", "on": "not a date"}
    )
    assert r.status_code == 400 and "YYYY-MM-DD" in r.text


def test_unknown_records_are_404(app, clients):
    c, _ = clients["viewer"]
    for page in ("/declarations/999", "/lists/nope", "/counting/999", "/declarations/1/flows/x"):
        assert c.get(page).status_code in (403, 404), page
    r = c.get("/register/NOPE-1")  # the register's own message for an unknown filing
    assert r.status_code == 400 and "unknown filing" in r.text


def test_admin_adds_an_account_audited_without_its_hash(app, clients):
    c, csrf = clients["admin"]
    r = c.post(
        "/admin/users", data={"csrf_token": csrf, "name": "dora", "password": "short", "role": "viewer"}
    )
    assert r.status_code == 400 and "at least 10" in r.text
    r = c.post(
        "/admin/users",
        data={"csrf_token": csrf, "name": "dora", "password": "a much longer one", "role": "editor"},
    )
    assert r.status_code == 303
    entry = app.state.workspace.register(_nobody()).audit(table="users")[-1]
    assert entry.actor == "admin" and entry.after == {
        "name": "dora",
        "role": "editor",
        "scope": None,
        "active": True,
    }
    dora = client(app)
    assert login(dora, "dora", "a much longer one").status_code == 303
    assert CSRF.search(dora.get("/declarations").text)


def test_the_register_verifies_clean_after_workspace_use(app, clients, world):
    """Workspace writes (accounts, declarations, snapshots, proceedings) extend the register's
    audit chain; `ftzlist filings verify` finds nothing wrong."""
    from ftzlist.filings.verify import verify

    c, csrf = clients["admin"]
    assert (
        c.post(
            f"/declarations/{world['decl']}/snapshot", data={"csrf_token": csrf, "as_of": "2026-03-31"}
        ).status_code
        == 303
    )
    report = verify(app.state.workspace.engine)
    assert report.ok, report.problems
    assert report.entries > 10


def test_handler_form_keeps_unknown_facts_unknown_and_names_bad_fields(app, clients, world):
    c, csrf = clients["editor"]
    url = f"/declarations/{world['decl']}/handler"
    form = c.get(url).text
    assert 'name="zone"' in form and 'value="180000"' in form  # the holdings as declared
    base = {
        "csrf_token": csrf,
        "name": "Xiamen Haixia Biologics Co., Ltd.",
        "sector": "pharma",
        "enterprise_type": "pharma.biologics",
        "holdings.persons_pi": "180000",
    }
    r = c.post(url, data=base | {"zone": "fujian-ftz", "area": "xiamn", "ciio": ""})
    assert r.status_code == 400
    assert re.search(
        r'name="area".*?field-error[^>]*>handler\.area: unknown area of fujian-ftz .{1,6}xiamn.{1,6}; nearest valid: xiamen',
        r.text,
        re.S,
    ), r.text[-3000:]
    r = c.post(
        url,
        data=base | {"zone": "fujian-ftz", "area": "xiamen", "ciio": "", "holdings.persons_sensitive": "-5"},
    )
    assert r.status_code == 400 and re.search(
        r'name="holdings.persons_sensitive".*?field-error', r.text, re.S
    )
    r = c.post(url, data=base | {"zone": "fujian-ftz", "area": "xiamen", "ciio": "", "as_of": "2026-03-31"})
    assert r.status_code == 303
    _, decl = app.state.workspace.declaration(world["decl"])
    assert decl.handler.ciio is None  # unknown stays unknown, never false
    assert decl.handler.holdings.persons_sensitive is None and decl.handler.penalties_past_2y == []
    page = c.get(f"/declarations/{world['decl']}").text
    assert "handler.ciio" in page or "ciio" in page  # the engine names the missing fact
