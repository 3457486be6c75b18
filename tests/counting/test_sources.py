"""Logs in other encodings (GB18030/GBK) and Excel workbooks (issue 13 §7): read as their UTF-8 /
CSV equivalents would be, with errors naming the user's file, line or sheet row."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from tests.counting.conftest import AS_OF, COLUMNS, KEY, MAPPING, fixture_list, rid, row, totals, write_csv

from ftzlist.counting import count_persons, expand
from ftzlist.counting.mapping import Mapping
from ftzlist.errors import InputError


def count(files, mapping=MAPPING):
    return count_persons(files, Mapping.model_validate(mapping), as_of=AS_OF, key=KEY, lists=[fixture_list()])


def gb_csv(path, rows, encoding="gb18030"):
    text = ",".join(COLUMNS) + "\n" + "".join(",".join(r.get(c, "") for c in COLUMNS) + "\n" for r in rows)
    data = text.encode(encoding)
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


ROWS = [row(flow="客户服务", rid=rid(1)), row(flow="客户服务", rid=rid(2)), row(flow="人力资源", rid=rid(1))]


@pytest.mark.parametrize("name", ["gb.csv", "gb.csv.gz"])
def test_gb18030_log_with_encoding_counts_like_utf8(tmp_path, name):
    p = gb_csv(tmp_path / name, ROWS)
    utf8 = write_csv(tmp_path / "u.csv", ROWS)
    r = count(expand([p], encoding="gb18030"))
    assert {b.flow: b.persons.any for b in r.by_flow} == {"人力资源": 1, "客户服务": 2}
    assert r.model_dump(exclude={"run_id", "quality"}) == count(expand([utf8])).model_dump(
        exclude={"run_id", "quality"}
    )
    assert r.quality.files == [str(p)]  # messages and output name the user's file, not the copy


def test_gbk_log_without_encoding_says_which_to_pass(tmp_path):
    p = gb_csv(tmp_path / "gb.csv", ROWS, "gbk")
    with pytest.raises(InputError, match="--encoding gb18030"):
        expand([p])


def test_undecodable_byte_names_its_line(tmp_path):
    p = gb_csv(tmp_path / "gb.csv", ROWS)
    # a long valid prefix (the sniffed head decodes), then a byte GB18030 cannot start with
    p.write_bytes(
        p.read_bytes() * 1
        + b"".join(b"2025-03-01,f1,contact,N,,,,,,,\n" for _ in range(3000))
        + b"\xff\xff,\n"
    )
    with pytest.raises(InputError) as e:
        count(expand([p], encoding="gb18030"))
    assert "gb.csv:3005" in str(e.value) and "not gb18030 text" in str(e.value)


def test_unknown_encoding(tmp_path):
    p = write_csv(tmp_path / "u.csv", ROWS)
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        expand([p], encoding="klingon")


def _workbook(path, rows, *, blank_row_after: int | None = None, header=COLUMNS):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for n, r in enumerate(rows):
        ws.append([r.get(c) or None for c in COLUMNS])
        if blank_row_after == n:
            ws.append([None] * len(COLUMNS))
    wb.save(path)
    return path


def test_xlsx_log_counts_like_the_csv_export(tmp_path):
    rows = [
        {**row(rid=rid(1)), "date": dt.datetime(2025, 3, 1, 9, 30), "phone": 13800138000.0},
        {**row(rid=rid(2)), "date": dt.date(2025, 3, 2), "cust": 77},
        {**row(flow="f2", rid=rid(1)), "date": "2025-03-03"},
    ]
    p = _workbook(tmp_path / "log.xlsx", rows, blank_row_after=0)
    r = count(expand([p]))
    assert totals(r) == (2, 0, 2) and {b.flow: b.persons.any for b in r.by_flow} == {"f1": 2, "f2": 1}
    assert r.quality.files == [str(p)] and r.quality.rows_read == 3


def test_xlsx_errors_name_the_sheet_row(tmp_path):
    rows = [row(rid=rid(1)), row(rid=rid(2)), {**row(rid=rid(3)), "date": "31.13.2025"}]
    p = _workbook(tmp_path / "bad.xlsx", rows, blank_row_after=0)
    with pytest.raises(InputError) as e:
        count(expand([p]))
    assert "bad.xlsx:5" in str(e.value) and "row 5" in str(e.value)  # header, 2 rows, a blank row


def test_xlsx_with_a_duplicated_header_is_refused(tmp_path):
    p = _workbook(tmp_path / "dup.xlsx", [row(rid=rid(1))], header=[*COLUMNS[:-1], "rid"])
    with pytest.raises(InputError, match=r"dup\.xlsx.*'rid' twice"):
        count(expand([p]))


def test_file_named_xlsx_that_is_not_a_workbook(tmp_path):
    p = write_csv(tmp_path / "x.csv", ROWS)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(p.read_bytes())
    with pytest.raises(InputError, match=r"fake\.xlsx: named \.xlsx but is not an Excel workbook"):
        expand([fake])


def test_count_command_encoding_option(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ftzlist.cli import app

    monkeypatch.setenv("FTZLIST_HASH_KEY", "a-test-key-of-enough-length")
    p = gb_csv(tmp_path / "gb.csv", ROWS)
    (tmp_path / "map.yaml").write_text(json.dumps(MAPPING))
    args = ["count", str(p), "-m", str(tmp_path / "map.yaml"), "--as-of", "2025-06-30", "-f", "json"]
    assert CliRunner().invoke(app, args).exit_code != 0  # not UTF-8: refused
    res = CliRunner().invoke(app, [*args, "--encoding", "gb18030"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["totals"]["any"] == 2
