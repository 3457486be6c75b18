"""A resident ID, phone or bank-card number typed into the wrong field of a declaration is never
echoed back in an error: not on the CLI, not on the upload page, not in the flow form's field
errors, not in the API's problems (the value is masked as `ftzlist.identifiers.masking.shown`
masks it)."""

from __future__ import annotations

import contextlib
import io
import re

from web_support import upload_example

from ftzlist.cli import main

RESIDENT_ID = "11010519491231002x"
CARD = "6222021234567890128"
PHONE = "13812345678"

DECLARATION = f"""version: 1
handler:
  name: Test Co
  zone: fujian-ftz
flows:
  - id: f1
    recipient: {{name: R, country: US}}
    purpose: p
    data:
      - category: "{CARD}"
        subject: "{RESIDENT_ID}"
  - id: f2
    scenario: "{PHONE}"
    recipient: {{name: R, country: US}}
    purpose: p
    data:
      - category: contact.phone
"""


def raw_in(text: str) -> list[str]:
    return [v for v in (RESIDENT_ID, CARD, PHONE) if v in text]


def test_cli_does_not_echo_identifiers(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(DECLARATION, encoding="utf-8")
    out, code = io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(["assess", str(path)])
        except SystemExit as exc:
            code = exc.code
    text = out.getvalue()
    assert code == 2
    assert "unknown category '6222" in text and "unknown scenario" in text
    assert raw_in(text) == []


def test_upload_page_does_not_echo_identifiers(app, clients):
    c, csrf = clients["editor"]
    r = c.post(
        "/declarations/upload",
        files={"file": ("d.yaml", DECLARATION.encode(), "application/yaml")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 400 and "unknown subject type" in r.text
    assert raw_in(r.text) == []


def test_flow_form_errors_do_not_echo_identifiers(app, clients):
    c, csrf = clients["editor"]
    decl = upload_example(c, csrf)
    r = c.post(
        f"/declarations/{decl}/flows",
        data={
            "csrf_token": csrf,
            "id": "new",
            "scenario": PHONE,
            "recipient.name": "R",
            "recipient.country": "US",
            "purpose": "p",
            "data.0.category": CARD,
            "data.0.subject": RESIDENT_ID,
        },
    )
    assert r.status_code == 400
    errors = " ".join(re.findall(r'class="field-error"[^>]*>([^<]*)<', r.text))
    errors += " ".join(re.findall(r'<pre class="error">([^<]*)<', r.text))
    assert "unknown category" in errors and "unknown scenario" in errors
    assert raw_in(errors) == []


def test_api_problems_do_not_echo_identifiers(app):
    import yaml
    from web_support import client

    token = app.state.workspace.accounts.create_token("editor", "ids")
    r = client(app).post(
        "/api/v1/assess", json=yaml.safe_load(DECLARATION), headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 400 and len(r.json()["problems"]) == 3
    assert raw_in(r.text) == []
