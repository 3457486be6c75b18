"""Inputs that used to change a count silently (issue 11): each refused with the file and line
named, or read the way the regime reads it; and no raw identifier in any message."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.counting.conftest import (
    AS_OF,
    COLUMNS,
    KEY,
    MAPPING,
    fixture_list,
    national_exemptions,
    rid,
    row,
    run,
    totals,
    write_csv,
)

from ftzlist.counting import count_persons, expand
from ftzlist.counting.engine import TEMP_PREFIX, DuckDBEngine, sweep_stale
from ftzlist.counting.mapping import Mapping
from ftzlist.errors import InputError


def count(paths, mapping=MAPPING, lists=None, **kw):
    return count_persons(
        expand(paths),
        Mapping.model_validate(mapping),
        as_of=kw.pop("as_of", AS_OF),
        key=KEY,
        lists=lists if lists is not None else [fixture_list()],
        **kw,
    )


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    return ",".join(columns) + "\n" + "".join(",".join(r.get(c, "") for c in columns) + "\n" for r in rows)


# ---------------------------------------------------------------- duplicated columns
@pytest.mark.parametrize("second", ["rid", "RID", " rid"])
def test_duplicated_header_column_is_refused(tmp_path, second):
    cols = [*COLUMNS, second]
    p = tmp_path / "dup.csv"
    p.write_text(
        ",".join(cols)
        + "\n"
        + ",".join([*row(rid=rid(1)).values(), "", "", "", "", "", "", "", rid(2)])
        + "\n"
    )
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert "dup.csv:1" in msg and "twice" in msg and f"columns 5 and {len(cols)}" in msg


def test_duplicated_unmapped_column_is_refused_too(tmp_path):
    p = tmp_path / "dup2.csv"
    p.write_text(csv_text([row(rid=rid(1))], [*COLUMNS, "note", "note"]))
    with pytest.raises(InputError, match="'note' twice"):
        count([p])


def test_parquet_with_duplicated_column_is_refused(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    r = row(rid=rid(1))
    arrays = [pa.array([r.get(c, "")]) for c in COLUMNS] + [pa.array([rid(2)])]
    pq.write_table(pa.Table.from_arrays(arrays, names=[*COLUMNS, "rid"]), tmp_path / "d.parquet")
    with pytest.raises(InputError, match=r"d\.parquet.*'rid' twice"):
        count([tmp_path / "d.parquet"])


def test_jsonl_object_naming_a_key_twice_is_refused_with_its_line(tmp_path):
    good = json.dumps({**row(rid=rid(1)), "ground": None})
    p = tmp_path / "k.jsonl"
    p.write_text(good + "\n" + good[:-1] + f', "rid": "{rid(2)}"}}\n')
    with pytest.raises(InputError) as e:
        count([p])
    assert "k.jsonl:2" in str(e.value) and "same key twice" in str(e.value)
    assert rid(2) not in str(e.value)


# ---------------------------------------------------------------- CSV quoting
@pytest.mark.parametrize(
    ("flow", "line"),
    [('f1"', 3), ('"f1', 3), ('f"1', 3)],
)
def test_stray_quote_is_refused_with_its_line(tmp_path, flow, line):
    p = tmp_path / "q.csv"
    text = csv_text([row(rid=rid(1)), row(flow=flow, rid=rid(2)), row(rid=rid(3))])
    p.write_text(text)
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert f"q.csv:{line}" in msg and "double quote" in msg


def test_unbalanced_quote_with_a_properly_quoted_field_elsewhere(tmp_path):
    # the unbalanced quote makes the reader give up on quoting: the good field keeps its quotes
    rows = [row(rid=rid(1)), row(flow='"crm, hq"', rid=rid(2)), row(flow='"f1', rid=rid(3))]
    p = tmp_path / "u.csv"
    p.write_text(csv_text(rows))
    with pytest.raises(InputError, match=r"u\.csv:\d+.*double quote"):
        count([p])


def test_properly_quoted_fields_are_read(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text(csv_text([row(flow='"crm, hq"', rid=rid(1)), row(flow="f2", rid=rid(2))]))
    r = count([p])
    assert {b.flow for b in r.by_flow} == {"crm, hq", "f2"}


# ---------------------------------------------------------------- NUL bytes
def test_nul_byte_inside_a_gzip_log_is_refused(tmp_path):
    p = tmp_path / "n.csv.gz"
    text = csv_text([row(rid=rid(n)) for n in range(1, 5)] + [row(flow="f\x001", rid=rid(9))])
    with gzip.open(p, "wt") as fh:
        fh.write(text)
    with pytest.raises(InputError) as e:
        count([p])
    assert "n.csv.gz:6" in str(e.value) and "NUL" in str(e.value)


def test_nul_byte_after_the_first_64k_is_refused(tmp_path):
    rows = [row(rid=rid(n % 900 + 1)) for n in range(2000)] + [row(item="con\x00tact", rid=rid(5))]
    p = tmp_path / "late.csv"
    p.write_text(csv_text(rows))
    assert p.stat().st_size > 65536
    with pytest.raises(InputError, match=r"late\.csv:2002.*NUL"):
        count([p])


def test_binary_gzip_content_is_refused_up_front(tmp_path):
    p = tmp_path / "b.csv.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b"date,flow\x00\x01\x02" * 10)
    with pytest.raises(InputError, match=r"b\.csv\.gz.*binary"):
        expand([p])


# ---------------------------------------------------------------- unmapped values
def test_true_false_sensitivity_column_is_refused_with_each_value_and_its_rows(tmp_path):
    rows = [row(sens="true", rid=rid(1)), row(sens="true", rid=rid(2)), row(sens="false", rid=rid(3))]
    p = write_csv(tmp_path / "s.csv", rows)
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert "'true' (2 rows)" in msg and "'false' (1 rows)" in msg and "sensitivity.values" in msg


def test_sensitivity_values_mapped_to_null_state_nothing(tmp_path):
    m = {
        **MAPPING,
        "sensitivity": {"column": "sens", "values": {"S": "sensitive", "N": "non_sensitive", "-": None}},
    }
    p = write_csv(tmp_path / "s.csv", [row(sens="-", rid=rid(1)), row(sens="N", rid=rid(2))])
    r = count([p], mapping=m)
    assert totals(r) == (2, 1, 2)  # person 1: no claim, no category -> open -> both axes


def test_exemption_ground_names_are_read_as_their_exemption(tmp_path):
    # 'contract_necessity' is the ground of cbdf-art5-1, which the rule sets apart: not counted
    rows = [row(rid=rid(n), ground="contract_necessity") for n in range(1, 6)] + [row(rid=rid(9))]
    p = write_csv(tmp_path / "g.csv", rows)
    r = count([p], lists=[fixture_list(), national_exemptions()])
    assert r.totals.any == 1 and r.exempt_totals.any == 5


def test_unknown_exemption_value_is_refused_with_its_rows(tmp_path):
    rows = [row(rid=rid(1), ground="contract"), row(rid=rid(2), ground="contract"), row(rid=rid(3))]
    p = write_csv(tmp_path / "g.csv", rows)
    with pytest.raises(InputError) as e:
        count([p], lists=[fixture_list(), national_exemptions()])
    msg = str(e.value)
    assert "'contract' (2 rows)" in msg and "contract_necessity" in msg  # the known grounds are listed


def test_unknown_exemption_value_outside_the_window_is_not_read(tmp_path):
    p = write_csv(
        tmp_path / "g.csv", [row(date="2024-05-01", rid=rid(1), ground="contract"), row(rid=rid(2))]
    )
    assert count([p]).totals.any == 1


# ---------------------------------------------------------------- identifiers in messages
@pytest.mark.parametrize("value", ["138 0013 8000", "6222 0212 3456 7890 123", "13800138000", "a@b.com"])
def test_identifier_shaped_date_is_not_quoted(tmp_path, value):
    p = write_csv(tmp_path / "d.csv", [row(rid=rid(1)), row(date=value, rid=rid(2))])
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert "d.csv:3" in msg and value not in msg and "0013" not in msg and "3456" not in msg


def test_headerless_csv_is_named_as_such_and_its_first_row_not_quoted(tmp_path):
    first = row(rid=rid(7), phone="138 0013 8000", email="x.y@example.com")
    p = tmp_path / "nohead.csv"
    p.write_text("".join(",".join(r.get(c, "") for c in COLUMNS) + "\n" for r in [first, row(rid=rid(8))]))
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert "nohead.csv:1" in msg and "header line" in msg
    for secret in (rid(7), "138 0013 8000", "0013", "x.y@example.com", "2025-03-01"):
        assert secret not in msg


# ---------------------------------------------------------------- China Standard Time
@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2025-12-31T20:00:00Z", dt.date(2026, 1, 1)),  # 04:00 on 1 January in Beijing
        ("2025-12-31T15:59:59Z", dt.date(2025, 12, 31)),
        ("2025-12-31T16:00:00+00:00", dt.date(2026, 1, 1)),
        ("2025-12-31 23:30:00", dt.date(2025, 12, 31)),  # naive: read as China time
        ("2025-12-31T23:30:00+08:00", dt.date(2025, 12, 31)),
        ("2025-12-31T11:00:00-05:00", dt.date(2026, 1, 1)),
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("2025/12/31", dt.date(2025, 12, 31)),
    ],
)
def test_timestamps_count_on_the_china_standard_time_day(tmp_path, stamp, day):
    p = write_csv(tmp_path / "t.csv", [row(date=stamp, rid=rid(1))])
    old = count([p], as_of=dt.date(2025, 12, 31))
    new = count([p], as_of=dt.date(2026, 1, 1))
    assert (old.totals.any, new.totals.any) == ((1, 0) if day.year == 2025 else (0, 1))
    assert (old.quality.first_row_on or new.quality.first_row_on) == day


def test_strptime_format_with_an_offset_is_converted(tmp_path):
    m = {**MAPPING, "date": {"column": "date", "format": "%d/%m/%Y %H:%M %z"}}
    p = write_csv(tmp_path / "t.csv", [row(date="31/12/2025 20:00 +0000", rid=rid(1))])
    assert count([p], mapping=m, as_of=dt.date(2026, 1, 1)).quality.first_row_on == dt.date(2026, 1, 1)


# ---------------------------------------------------------------- spill files of a killed run
def test_temp_folder_of_a_killed_run_is_swept_at_the_next_start(tmp_path):
    code = (
        "import os, sys; from ftzlist.counting.engine import DuckDBEngine; "
        "e = DuckDBEngine(); print(e.temp_directory, flush=True); sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    folder = Path(proc.stdout.readline().strip())
    assert folder.is_dir() and folder.name.startswith(TEMP_PREFIX)
    assert folder not in sweep_stale()  # its run is alive: the lock is held
    proc.kill()
    proc.wait()
    assert folder.is_dir()  # a killed run cannot clean up ...
    e = DuckDBEngine()  # ... the next one does
    try:
        assert not folder.exists() and e.temp_directory.is_dir()
    finally:
        e.close()
    assert not e.temp_directory.exists()


def test_old_unlocked_temp_folder_is_swept_and_a_fresh_one_kept(tmp_path):
    old = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=tmp_path))
    fresh = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=tmp_path))
    os.utime(old, (0, 0))
    assert sweep_stale(tmp_path) == [old]
    assert fresh.exists() and not old.exists()


# ---------------------------------------------------------------- markup in values
def test_markup_in_a_flow_value_prints_as_written(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ftzlist.cli import app

    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    p = write_csv(tmp_path / "m.csv", [row(flow="[/]", rid=rid(1)), row(flow="[bold]x", rid=rid(2))])
    (tmp_path / "map.yaml").write_text(json.dumps(MAPPING))
    res = CliRunner().invoke(
        app, ["count", str(p), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30"]
    )
    assert res.exit_code == 0, res.output
    assert "[/]" in res.output and "[bold]x" in res.output


# ---------------------------------------------------------------- one sensitivity rule (issue 12)
HEALTH_MAP = {
    **MAPPING,
    "items": {"lab": {"category": "health"}, "allergy": {"category": "health"}},
}


def test_a_non_sensitive_row_on_a_sensitive_category_counts_as_sensitive(tmp_path):
    rows = [row(item="lab", sens="N", rid=rid(1)), row(item="contact", sens="N", rid=rid(2))]
    p = write_csv(tmp_path / "h.csv", rows)
    r = count([p], mapping=HEALTH_MAP)
    assert totals(r) == (1, 1, 2)  # person 1 on the sensitive axis only: health is sensitive
    assert r.quality.sensitivity_raised_rows == 1 and r.sensitivity_overrides == []
    sens = next(c for c in r.crossings if c.flow is None and c.sensitivity == "sensitive")
    assert sens.count == 1


def test_a_reviewed_override_lowers_it_and_the_output_names_it(tmp_path):
    override = {"sensitive": False, "reviewed_by": "DPO", "reviewed_on": "2025-02-01", "basis": "memo 12"}
    m = {
        **HEALTH_MAP,
        "items": {**HEALTH_MAP["items"], "allergy": {"category": "health", "sensitivity_override": override}},
    }
    rows = [row(item="allergy", sens="", rid=rid(1)), row(item="lab", sens="", rid=rid(2))]
    p = write_csv(tmp_path / "h.csv", rows)
    r = count([p], mapping=m)
    assert totals(r) == (1, 1, 2)
    (use,) = r.sensitivity_overrides
    assert (use.data_item, use.sensitive, use.reviewed_by, use.basis, use.rows) == (
        "allergy",
        False,
        "DPO",
        "memo 12",
        1,
    )
    # a row that claims sensitive is not lowered by the override
    p = write_csv(tmp_path / "h.csv", [row(item="allergy", sens="S", rid=rid(1))])
    assert totals(count([p], mapping=m)) == (0, 1, 1)


def test_override_is_named_in_the_table_and_json(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ftzlist.cli import app

    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    override = {"sensitive": False, "reviewed_by": "DPO", "reviewed_on": "2025-02-01", "basis": "memo 12"}
    m = {**MAPPING, "items": {"allergy": {"category": "health", "sensitivity_override": override}}}
    (tmp_path / "map.yaml").write_text(json.dumps(m))
    p = write_csv(tmp_path / "h.csv", [row(item="allergy", sens="", rid=rid(1))])
    args = ["count", str(p), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "override" in res.output and "memo 12" in res.output and "DPO" in res.output
    data = json.loads(CliRunner().invoke(app, [*args, "-f", "json"]).output)
    assert data["sensitivity_overrides"][0]["data_item"] == "allergy"


# ---------------------------------------------------------------- crossings per flow and item
def test_crossings_per_flow_and_data_item(tmp_path):
    rows = [
        row(date="2025-01-05", flow="f1", item="a", rid=rid(1)),
        row(date="2025-01-06", flow="f1", item="b", rid=rid(2)),
        row(date="2025-01-07", flow="f1", item="a", rid=rid(3)),
        row(date="2025-02-01", flow="f2", item="a", rid=rid(1)),
        row(date="2025-02-02", flow="f2", item="a", rid=rid(4)),
    ]
    r = run(tmp_path, rows)
    at3 = {(c.flow, c.data_item): (c.count, c.crossed_on) for c in r.crossings if c.threshold == 3}
    assert at3[(None, None)] == (4, dt.date(2025, 1, 7))
    assert at3[("f1", None)] == (3, dt.date(2025, 1, 7))
    assert at3[("f2", None)][0] == 2 and at3[("f2", None)][1] is None
    assert at3[("f1", "a")] == (2, None) and at3[("f1", "b")] == (1, None)


def test_watched_thresholds_per_flow(tmp_path):
    from ftzlist.counting.crossings import Watch

    rows = [row(date=f"2025-01-{d:02d}", flow="f1", rid=rid(d)) for d in range(1, 11)]
    r = run(
        tmp_path,
        rows,
        watch=[
            Watch(flow="f1", threshold=5, label="next band"),
            Watch(flow="f1", threshold=100, label="x1.5"),
        ],
    )
    five, hundred = r.watched
    assert (five.flow, five.group, five.count, five.crossed_on) == (
        "f1",
        "next band",
        10,
        dt.date(2025, 1, 5),
    )
    assert hundred.crossed_on is None and hundred.projected_on is not None


# ---------------------------------------------------------------- object-store URIs
def test_uris_pass_through_only_for_an_engine_that_reads_them():
    (f,) = expand(["s3a://bucket/exports/2025-03.parquet"], remote=True)
    assert f.remote and f.format == "parquet" and f.where == "s3a://bucket/exports/2025-03.parquet"
    (g,) = expand(["hdfs://nn/logs/a.csv.gz"], remote=True)
    assert g.format == "csv" and g.compressed
    with pytest.raises(InputError, match="--engine spark"):
        expand(["s3a://bucket/exports/2025-03.parquet"])
    with pytest.raises(InputError, match="unsupported log file type"):
        expand(["s3a://bucket/exports/2025-03.xlsx.gz"], remote=True)
