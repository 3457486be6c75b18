"""Agency-desk fixtures: a workspace on a fresh SQLite register with handler-side accounts (one
scoped to the handler `acme`), two area desks of the Fujian FTZ and Shanghai's zone-wide desk,
and a bearer token for each."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))  # web_support (shared app helpers)

from web_support import PASSWORD, make_app

DESKS = {"ag-xiamen": "fujian-ftz/xiamen", "ag-fuzhou": "fujian-ftz/fuzhou", "ag-shanghai": "shanghai-ftz"}


@pytest.fixture
def app(tmp_path):
    application = make_app(f"sqlite:///{tmp_path / 'register.sqlite3'}", tmp_path)
    accounts = application.state.workspace.accounts
    for name, scope in DESKS.items():
        accounts.add_user(name, PASSWORD, "agency", scope=scope, actor="test-setup")
    accounts.add_user("acme-editor", PASSWORD, "editor", scope="handler:acme", actor="test-setup")
    accounts.add_user("beta-editor", PASSWORD, "editor", scope="handler:beta", actor="test-setup")
    yield application
    application.state.counts.close()
    application.state.workspace.close()


@pytest.fixture
def tokens(app):
    accounts = app.state.workspace.accounts
    names = ("editor", "approver", "admin", "viewer", "acme-editor", "beta-editor", *DESKS)
    return {n: {"Authorization": f"Bearer {accounts.create_token(n, n + '-script')}"} for n in names}
