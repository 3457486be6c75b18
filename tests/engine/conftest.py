"""Fixtures for engine tests."""

from __future__ import annotations

import pytest

GOOD_DECLARATION = """\
handler:
  name: Test Co
  zone: fujian-ftz
  area: xiamen
  sector: pharma
  ciio: false
flows:
  - id: f1
    scenario: pharma.pharmacovigilance
    recipient: {name: Safety Ltd, country: GB}
    purpose: adverse event reporting
    data:
      - {category: health.adverse_event, subject: patient, persons: 12000}
"""


@pytest.fixture
def good_declaration() -> str:
    """A small, valid declaration: a Xiamen pharma company's pharmacovigilance flow."""
    return GOOD_DECLARATION
