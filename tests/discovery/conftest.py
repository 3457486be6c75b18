"""Fixtures for the discovery tests: a fixed assessment date and the detector vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest

from ftzlist.discovery.taxonomy import detector_vocabulary

AS_OF = dt.date(2026, 11, 21)


@pytest.fixture(scope="session")
def vocab():
    return detector_vocabulary()


@pytest.fixture()
def as_of() -> dt.date:
    return AS_OF
