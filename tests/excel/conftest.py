"""Shared fixtures for the Excel tests (the bundled law comes from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftzlist.loader import load_declaration

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def pharma(law):
    """A Xiamen pharma declaration with a formula-like recipient name (tests/excel/fixtures)."""
    return load_declaration(FIXTURES / "pharma.yaml", law)
