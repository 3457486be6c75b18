"""A real browser (Debian's Chromium, headless, driven by Playwright) against a real server on
127.0.0.1: sign in, upload examples/xiamen-pharma.yaml, see each flow's pathway, open a flow's
reasons, sign off a snapshot, open a proceeding, see the due screen, download the PDF report.

Set FTZLIST_SCREENSHOTS=DIR to keep a screenshot of each main page (docs/ holds the ones shown in
the README)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from web_support import EXAMPLE, PASSWORD, make_app, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(
        "no Chromium at /usr/bin/chromium (Debian package 'chromium'; .ci/run installs it)",
        allow_module_level=True,
    )


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def shot(page, name: str) -> None:
    target = os.environ.get("FTZLIST_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")  # the CJK face loads on first use
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(target) / f"web-{name}.png"), full_page=False)


def test_sign_in_upload_assess_snapshot_due_pdf(tmp_path, browser):
    app = make_app(f"sqlite:///{tmp_path / 'register.sqlite3'}", tmp_path)
    errors: list[str] = []
    try:
        with serving(app) as base:
            context = browser.new_context(
                accept_downloads=True, viewport={"width": 1360, "height": 900}, locale="en-GB"
            )
            page = context.new_page()
            page.set_default_timeout(180_000)  # a loaded CI machine renders the PDF slowly
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.goto(f"{base}/declarations")
            assert page.url.startswith(f"{base}/login")
            shot(page, "login")
            page.fill("#username", "approver")
            page.fill("#password", PASSWORD)
            page.click("#login")
            page.wait_for_url(f"{base}/declarations")

            page.set_input_files("#declaration-file", str(EXAMPLE))
            page.click("#upload")
            page.wait_for_url(re.compile(r".*/declarations/\d+$"))
            decl_url = page.url
            expected = {
                "trial": "standard-contract-or-certification",
                "dct": "standard-contract-or-certification",
                "pv": "standard-contract-or-certification",
                "hcp": "exempt",
                "biomarker": "other-lawful-path",
                "hr": "exempt",
            }
            for flow, pathway in expected.items():
                cell = page.locator(f"#flow-{flow} .pathway-cell .pw").first
                assert cell.is_visible()
                assert f"pw-{pathway}" in cell.get_attribute("class"), (flow, cell.get_attribute("class"))
            shot(page, "assessment")

            details = page.locator("#details-pv")
            assert details.get_attribute("open") is None
            details.locator("summary").click()
            assert details.get_attribute("open") is not None
            details.locator("table.reasons-table tbody tr").first.wait_for()  # loaded by HTMX on opening
            assert details.locator("td.cite").first.inner_text().strip()
            details.scroll_into_view_if_needed()
            shot(page, "reasons")

            page.click("#snapshot")
            page.wait_for_selector("#snapshot-kept")
            assert "#" in page.locator("#snapshot-kept").inner_text()

            page.goto(f"{decl_url}/compare")
            assert page.locator("#matrix tbody tr").count() == len(expected)
            shot(page, "compare")

            page.goto(f"{base}/register")
            page.locator("form[action='/register/open'] select[name=target]").select_option(
                value="xiamen-haixia-biologics-co-ltd/pv"
            )
            page.locator("form[action='/register/open'] select[name=procedure]").select_option(
                value="fujian-ftz-2025:fj.list_filing"
            )
            page.locator("form[action='/register/open'] input[name=on]").fill("2026-02-10")
            page.locator("form[action='/register/open'] button").click()
            page.wait_for_url(re.compile(r".*/register/FJ-2026-\d+$"))
            shot(page, "proceeding")

            page.goto(f"{base}/due?today=2026-03-31")
            rows = page.locator("#due tbody tr")
            assert rows.count() >= 1
            assert "overdue" in rows.first.get_attribute("class")
            shot(page, "due")

            page.goto(decl_url)
            with page.expect_download(timeout=240_000) as info:
                page.click("#download-pdf")
            pdf = Path(info.value.path()).read_bytes()
            assert pdf[:4] == b"%PDF" and len(pdf) > 10_000

            page.goto(f"{base}/lists/fujian-ftz-2025")
            shot(page, "list")
            page.goto(f"{base}/lang/zh?next=/declarations/1")
            assert "义务" in page.content()
            shot(page, "assessment-zh")
        assert errors == [], errors  # no CSP violation, no script error
    finally:
        app.state.counts.close()
        app.state.workspace.close()
