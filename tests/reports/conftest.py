"""Shared fixtures for the report tests: the Xiamen pharma example, decided, with every optional
section supplied (person counts, zone comparison, filing calendar)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ftzlist.engine import decide
from ftzlist.loader import load_declaration
from ftzlist.reports.model import CalendarEntry, CountPoint, CountSeries, ReportExtras, Threshold

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "xiamen-pharma.yaml"


@pytest.fixture(scope="session")
def decl(law):
    return load_declaration(EXAMPLE, law)


@pytest.fixture(scope="session")
def ds(decl, law):
    return decide(decl, law, decl.as_of)


@pytest.fixture(scope="session")
def extras(decl, law):
    from ftzlist.commands.report import zone_comparison

    year = decl.as_of.year
    points = [CountPoint(dt.date(year, m, 1), n) for m, n in ((1, 900), (2, 4100), (3, 9200), (3, 12000))]
    return ReportExtras(
        counts=[
            CountSeries(
                "pv · 患者 patients",
                points,
                [
                    Threshold(10000, "标准合同 / standard contract"),
                    Threshold(50000, "安全评估 / security assessment"),
                ],
            )
        ],
        comparison=zone_comparison(decl, law, decl.as_of),
        calendar=[
            CalendarEntry(
                dt.date(year, 4, 8), "片区书面通知申请审核结果 / area notifies the review", "trial"
            ),
            CalendarEntry(dt.date(2027, 1, 4), "续期申请截止 / renewal deadline", "pv", provisional=True),
        ],
    )
