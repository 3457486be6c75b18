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
        s.label,
        [(p.day, p.persons) for p in s.points],
        [(t.persons, t.label) for t in s.thresholds],
        s.start,
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


def _with_other_list_and_first_export() -> CountResult:
    raw = _result().model_dump(mode="json")
    raw["quality"]["first_row_on"] = "2026-02-10"
    raw["crossings"].append(
        {
            "list_id": "shanghai-ftz-2024",
            "group": "retail.members",
            "sensitivity": None,
            "items": ["sh24.x"],
            "threshold": 100000,
            "count": 12000,
        }
    )
    return CountResult.model_validate(raw)


def test_charts_show_only_binding_lists_and_start_at_the_first_export():
    """Issue 13 §7: a chart never draws a line the handler is not held to, and its axis starts on
    the day of the first export, not on 1 January."""
    result = _with_other_list_and_first_export()
    assert {s.label for s in series_from_count(result)} == {
        "fujian-ftz-2025 · pharma.patients",
        "shanghai-ftz-2024 · retail.members",
    }
    (s,) = series_from_count(result, binding=["cn-national-2024", "fujian-ftz-2025"])
    assert s.label == "fujian-ftz-2025 · pharma.patients"
    assert s.start == dt.date(2026, 2, 10)
    assert s.points[0] == CountPoint(dt.date(2026, 2, 10), 0)
    assert all(p.day >= s.start for p in s.points)
    assert series_from_count(result, binding=["cn-national-2024"]) == []


def test_axis_ticks_follow_the_span():
    from ftzlist.reports.charts import _ticks

    long = _ticks(dt.date(2026, 2, 10), dt.date(2026, 9, 30))
    assert [d for d, _ in long][:2] == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    short = _ticks(dt.date(2026, 3, 4), dt.date(2026, 3, 31))
    assert [d for d, _ in short] == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 30),
    ]


def test_cli_report_charts_only_binding_lists(tmp_path):
    from pathlib import Path

    from typer.testing import CliRunner

    from ftzlist.cli import app

    counts = tmp_path / "count.json"
    counts.write_text(_with_other_list_and_first_export().model_dump_json(), encoding="utf-8")
    example = Path(__file__).resolve().parents[2] / "examples" / "xiamen-pharma.yaml"
    out = tmp_path / "r.html"
    r = CliRunner().invoke(
        app, ["report", str(example), "--format", "html", "--counts", str(counts), "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert 'alt="fujian-ftz-2025 · pharma.patients"' in html and "shanghai-ftz-2024" not in html
