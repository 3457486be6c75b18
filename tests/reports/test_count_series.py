"""Person-count charts from an `ftzlist count` result: known points only, thresholds per band group."""

from __future__ import annotations

import datetime as dt

from ftzlist.counting import CountResult
from ftzlist.reports.charts import count_png
from ftzlist.reports.model import CountPoint, series_from_count


def _result() -> CountResult:
    axes = {"sensitive": 0, "non_sensitive": 0, "any": 0}
    crossing = {
        "list_id": "fujian-ftz-2025",
        "group": "pharma.patients",
        "sensitivity": "sensitive",
        "items": [],
    }
    return CountResult.model_validate(
        {
            "as_of": "2026-03-31",
            "window_start": "2026-01-01",
            "rule": {"list_id": "fujian-ftz-2025", "window": "current_year"},
            "totals": axes,
            "exempt_totals": axes,
            "by_flow": [],
            "by_subject": [],
            "by_item": [],
            "by_category": [],
            "crossings": [
                {
                    **crossing,
                    "threshold": 10000,
                    "items": ["fj25.pharma.patients.t2"],
                    "count": 12000,
                    "crossed_on": "2026-03-02",
                },
                {**crossing, "threshold": 50000, "items": ["fj25.pharma.patients.t1"], "count": 12000},
            ],
            "suspicious": [],
            "quality": {"files": ["log.csv"]},
            "readings": [],
            "run_id": "x",
        }
    )


def test_series_from_count():
    (s,) = series_from_count(_result())
    assert s.label == "fujian-ftz-2025 · pharma.patients"
    assert s.points == [
        CountPoint(dt.date(2026, 1, 1), 0),
        CountPoint(dt.date(2026, 3, 2), 10000),
        CountPoint(dt.date(2026, 3, 31), 12000),
    ]
    assert [t.persons for t in s.thresholds] == [10000, 50000]
    png = count_png(
        s.label, [(p.day, p.persons) for p in s.points], [(t.persons, t.label) for t in s.thresholds], 2026
    )
    assert png.startswith(b"\x89PNG")


def test_cli_report_with_counts(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from ftzlist.cli import app

    counts = tmp_path / "count.json"
    counts.write_text(_result().model_dump_json(), encoding="utf-8")
    example = Path(__file__).resolve().parents[2] / "examples" / "xiamen-pharma.yaml"
    out = tmp_path / "r.html"
    args = [
        "report",
        str(example),
        "--format",
        "html",
        "--lang",
        "zh",
        "--counts",
        str(counts),
        "--out",
        str(out),
    ]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert "累计人数与阈值" in html and 'alt="fujian-ftz-2025 · pharma.patients"' in html
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    r = CliRunner().invoke(app, [*args[:-4], "--counts", str(bad), "--out", str(out)])
    assert r.exit_code != 0
