"""Shared fixtures: the bundled law, loaded once per session."""

from __future__ import annotations

import pytest

from ftzlist.loader import Law, load_law


@pytest.fixture(scope="session")
def law() -> Law:
    return load_law()
