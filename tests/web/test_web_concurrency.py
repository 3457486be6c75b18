"""20 clients write filings at once through the API, against a real server on 127.0.0.1, on
SQLite and on PostgreSQL: every proceeding, step and filing arrives, keys are unique, and every
change is in the audit trail with the token that made it. Bounded: 20 clients x 4 filings."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from web_support import make_app, serving

sys.path.insert(0, str(Path(__file__).parents[1] / "filings"))
from filings_support import create_pg_db, drop_pg_db, pg_available

CLIENTS = 20
PER_CLIENT = 4
CONTENT = {
    "purpose": "group HR",
    "recipient": {"name": "Parent GmbH", "country": "DE"},
    "items": [{"id": "staff", "category": "identity.name", "persons": 100}],
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'register.sqlite3'}"
        return
    if not pg_available():
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    name, url = create_pg_db()
    try:
        yield url
    finally:
        drop_pg_db(name)


def writer(base: str, token: str, n: int) -> list[str]:
    keys = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
        for i in range(PER_CLIENT):
            flow = f"flow-{n:02d}-{i}"
            r = c.post(
                "/api/v1/filings",
                json={
                    "handler": f"acme-{n:02d}",
                    "flow": flow,
                    "procedure": "fj.list_filing",
                    "on": "2026-02-10",
                },
            )
            r.raise_for_status()
            key = r.json()["key"]
            c.post(
                f"/api/v1/filings/{key}/steps", json={"step_id": "area_notice", "on": "2026-02-12"}
            ).raise_for_status()
            c.post(
                f"/api/v1/filings/{key}/filing", json={"on": "2026-02-13", "content": CONTENT}
            ).raise_for_status()
            keys.append(key)
    return keys


def test_twenty_clients_lose_nothing(db_url, tmp_path):
    app = make_app(db_url, tmp_path)
    accounts = app.state.workspace.accounts
    tokens = [accounts.create_token("approver", f"client-{n:02d}") for n in range(CLIENTS)]
    try:
        with serving(app) as base, ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(writer, [base] * CLIENTS, tokens, range(CLIENTS)))
        keys = [k for ks in results for k in ks]
        assert len(keys) == len(set(keys)) == CLIENTS * PER_CLIENT
        from ftzlist.web.accounts import Principal

        reg = app.state.workspace.register(Principal(0, "check", "viewer"))
        views = reg.list_proceedings()
        assert sorted(v.key for v in views) == sorted(keys)
        for key in keys:
            v = reg.show(key)
            assert [s[0] for s in v.steps][-2:] == ["area_notice", "filing"], key
            assert len(v.filings) == 1 and v.filings[0]["items"][0]["persons"] == 100
        audit = reg.audit(table="filings")
        assert len(audit) == CLIENTS * PER_CLIENT
        assert {e.actor for e in audit} == {f"approver (token:client-{n:02d})" for n in range(CLIENTS)}
    finally:
        app.state.counts.close()
        app.state.workspace.close()
