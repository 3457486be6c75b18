"""The lifecycle through a real browser (headless Chromium, Playwright) against a real server,
both sides of issue 15 in two browser contexts: the handler's approver (pages: upload, application,
filing, exports, renewal) and the Xiamen desk (pages: notice, opinion, spot-check with its one
discrepancy, order, rectification). Addressing the application to the desk has no page on the
handler's side: it goes through the API (POST /api/v1/filings/KEY/address).

FTZLIST_SCREENSHOTS=DIR keeps a screenshot of the desk (docs/web-agency-desk.png is one)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import EXAMPLE, PASSWORD, make_app, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip("no Chromium at /usr/bin/chromium", allow_module_level=True)

FILING = """scenario: pharma.pharmacovigilance
purpose: individual case safety reports for the global safety database
recipient: {name: Haixia Biologics Inc. (global safety), country: US}
items:
  - {id: icsr, category: health.adverse_event, persons: 12000}
"""


def shot(page, name: str) -> None:
    target = os.environ.get("FTZLIST_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(target) / f"web-{name}.png"), full_page=True)


def sign_in(browser, base: str, name: str, errors: list[str]):
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1360, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_load_state()
    return page


def submit(page, form: str, **fields) -> None:
    f = page.locator(form).first
    for name, value in fields.items():
        el = f.locator(f"[name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value=value)
        else:
            el.fill(value)
    with page.expect_navigation():
        f.locator("button[type=submit]").click()
    assert "error" not in (page.title() or "").lower(), page.content()[:2000]


def test_lifecycle_through_the_browser(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'register.sqlite3'}", tmp_path)
    accounts = app.state.workspace.accounts
    accounts.add_user("ag-xiamen", PASSWORD, "agency", scope="fujian-ftz/xiamen", actor="test-setup")
    token = {"Authorization": f"Bearer {accounts.create_token('approver', 'address')}"}
    errors: list[str] = []
    try:
        with sync_api.sync_playwright() as p, serving(app) as base:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            h = sign_in(browser, base, "approver", errors)
            h.goto(f"{base}/declarations")
            h.set_input_files("#declaration-file", str(EXAMPLE))
            h.click("#upload")
            h.wait_for_url(re.compile(r".*/declarations/\d+$"))

            # application (handler's page), addressed to the Xiamen desk (API: no page for it)
            h.goto(f"{base}/register")
            target = "xiamen-haixia-biologics-co-ltd/pv"
            submit(
                h,
                "form[action='/register/open']",
                target=target,
                procedure="fujian-ftz-2025:fj.list_filing",
                on="2026-03-02",
            )
            key = h.url.rsplit("/", 1)[1]
            with TestClient(app, base_url="http://127.0.0.1") as c:
                r = c.post(
                    f"/api/v1/filings/{key}/address",
                    json={"area": "fujian-ftz/xiamen", "on": "2026-03-02"},
                    headers=token,
                )
                assert r.status_code == 200, r.text

            # the desk: notice within 5 working days
            a = sign_in(browser, base, "ag-xiamen", errors)
            a.goto(f"{base}/agency?today=2026-03-03")
            assert (
                key in a.locator("#queue").inner_text() and "2026-03-09" in a.locator("#queue").inner_text()
            )
            a.goto(f"{base}/agency/filings/{key}")
            submit(a, "#step-form", step_id="area_notice", on="2026-03-05")
            assert "area_notice" in a.locator("#timeline").inner_text()

            # filing (handler's page)
            h.goto(f"{base}/register/{key}")
            submit(h, f"form[action='/register/{key}/filing']", on="2026-03-10", content=FILING)

            # opinion: off the list, filed upward
            a.goto(f"{base}/agency/filings/{key}")
            submit(a, "#opinion-form", kind="off_list", on="2026-03-16", reference="XM-2026-7")
            assert "off_list" in a.locator("#timeline").inner_text()
            submit(a, "#opinion-up-form", on="2026-03-16")

            # exports (handler's page): the second names a data item the filing does not list
            for on, items in (("2026-04-01", "icsr"), ("2026-04-15", "icsr, passport_no")):
                h.goto(f"{base}/register")
                submit(
                    h,
                    "form[action='/register/export']",
                    target=target,
                    on=on,
                    persons="100",
                    data_items=items,
                )

            # spot-check with one discrepancy, order to rectify by a date, rectification
            a.goto(f"{base}/agency/filings/{key}")
            submit(a, "#spot-check-form", period_from="2026-04-01", period_to="2026-04-30", on="2026-05-04")
            rows = a.locator("table.discrepancies tbody tr")
            assert rows.count() == 1 and "data_catalogue" in rows.first.inner_text()
            assert "passport_no" in rows.first.inner_text() and "icsr" in rows.first.inner_text()
            submit(
                a,
                "form.conclude",
                outcome="inconsistent",
                order="rectify",
                due_on="2026-06-05",
                on="2026-05-06",
            )
            assert "2026-06-05" in a.locator("#orders").inner_text()
            submit(a, "form[action^='/agency/orders/']", on="2026-05-20", note="catalogue amended")
            assert "2026-05-20" in a.locator("#orders").inner_text()
            a.goto(f"{base}/agency?today=2026-05-21")
            shot(a, "agency-desk")

            # renewal (handler's page) on the day the 60-working-day window opens
            h.goto(f"{base}/register/{key}")
            with TestClient(app, base_url="http://127.0.0.1") as c:
                detail = c.get(f"/api/v1/filings/{key}", headers=token).json()
            opens = next(d["opens_on"] for d in detail["deadlines"] if d["kind"] == "renewal")
            submit(h, f"form[action='/register/{key}/renew']", on=opens)
            renewal = h.url.rsplit("/", 1)[1]
            assert renewal != key
            a.goto(f"{base}/agency")
            assert renewal in a.locator("#proceedings").inner_text()  # the renewal reaches the same desk
            browser.close()
        assert errors == [], errors  # no CSP violation, no script error
    finally:
        app.state.counts.close()
        app.state.workspace.close()
