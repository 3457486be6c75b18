"""Workspace fixtures: an app on a fresh register (SQLite by default), one account per role, and
signed-in test clients. PostgreSQL variants are skipped when no server answers at 127.0.0.1:5432."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make web_support importable

from web_support import PASSWORD, ROLES, make_app, signed_in


@pytest.fixture
def app(tmp_path):
    application = make_app(f"sqlite:///{tmp_path / 'register.sqlite3'}", tmp_path)
    yield application
    application.state.counts.close()
    application.state.workspace.close()


@pytest.fixture
def clients(app):
    """role -> (signed-in client, its CSRF token)."""
    return {role: signed_in(app, role) for role in ROLES}


__all__ = ["PASSWORD"]
