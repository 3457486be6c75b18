"""Bad input: each a clear error naming file, row and column; nothing half-written; no raw
identifier in any message."""

from __future__ import annotations

import duckdb
import pytest
from tests.counting.conftest import AS_OF, COLUMNS, KEY, MAPPING, fixture_list, rid, row, write_csv

from ftzlist.counting import count_persons, expand
from ftzlist.counting.mapping import Mapping
from ftzlist.errors import InputError


def count(paths, mapping=MAPPING, **kw):
    return count_persons(
        expand(paths), Mapping.model_validate(mapping), as_of=AS_OF, key=KEY, lists=[fixture_list()], **kw
    )


def test_missing_mapped_column(tmp_path):
    p = write_csv(tmp_path / "a.csv", [row(rid=rid(1))], columns=[c for c in COLUMNS if c != "pp"])
    with pytest.raises(InputError) as e:
        count([p])
    assert "a.csv" in str(e.value) and "'pp'" in str(e.value) and "missing" in str(e.value)


def test_unparseable_date_names_file_line_and_column(tmp_path):
    rows = [row(rid=rid(1)), row(rid=rid(2)), row(date="2025-13-45", rid=rid(3))]
    p = write_csv(tmp_path / "b.csv", rows)
    with pytest.raises(InputError) as e:
        count([p])
    msg = str(e.value)
    assert "b.csv:4" in msg and "line 4" in msg and "'date'" in msg and "2025-13-45" in msg


def test_empty_date_is_an_error(tmp_path):
    p = write_csv(tmp_path / "c.csv", [row(rid=rid(1)), row(date="", rid=rid(2))])
    with pytest.raises(InputError, match=r"c\.csv:3.*empty"):
        count([p])


def test_empty_file(tmp_path):
    (tmp_path / "e.csv").write_text("")
    with pytest.raises(InputError, match=r"e\.csv: the file is empty"):
        count([tmp_path / "e.csv"])


def test_header_only_file(tmp_path):
    p = write_csv(tmp_path / "h.csv", [])
    with pytest.raises(InputError, match=r"h\.csv: the file has no data rows"):
        count([p])


def test_file_that_is_not_what_its_extension_says(tmp_path):
    csv_path = write_csv(tmp_path / "real.csv", [row(rid=rid(1))])
    fake_parquet = tmp_path / "fake.parquet"
    fake_parquet.write_bytes(csv_path.read_bytes())
    with pytest.raises(InputError, match=r"fake\.parquet: named \.parquet but is not a Parquet file"):
        count([fake_parquet])
    pq = tmp_path / "real.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) TO '{pq}' (FORMAT parquet)")
    fake_csv = tmp_path / "fake.csv"
    fake_csv.write_bytes(pq.read_bytes())
    with pytest.raises(InputError, match=r"fake\.csv: named \.csv but is a Parquet file"):
        count([fake_csv])
    fake_jsonl = tmp_path / "fake.jsonl"
    fake_jsonl.write_bytes(csv_path.read_bytes())
    with pytest.raises(
        InputError, match=r"fake\.jsonl:1: named \.jsonl but the first line is not a JSON object"
    ):
        count([fake_jsonl])


def test_unknown_extension_and_missing_file_and_empty_glob(tmp_path):
    (tmp_path / "x.xls").write_text("x")  # .xlsx is read since issue 13 §7; the old binary .xls is not
    with pytest.raises(InputError, match="unsupported log file type"):
        expand([tmp_path / "x.xls"])
    with pytest.raises(InputError, match="file not found"):
        expand([tmp_path / "nope.csv"])
    with pytest.raises(InputError, match="no file matches"):
        expand([str(tmp_path / "*.parquet")])


def test_malformed_csv_row(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text(
        ",".join(COLUMNS) + "\n2025-01-01,f1,contact,N," + rid(1) + ',,,,,,\n2025-01-02,f1,"unterminated\n'
    )
    with pytest.raises(InputError) as e:
        count([p])
    assert "m.csv" in str(e.value)


def test_nothing_half_written_and_no_raw_identifier_in_errors(tmp_path):
    secret = rid(42)
    rows = [row(rid=secret, phone="13812345678"), row(date="31/02/2025", rid=secret)]
    p = write_csv(tmp_path / "s.csv", rows)
    evidence = tmp_path / "evidence.parquet"
    with pytest.raises(InputError) as e:
        count([p], evidence=evidence)
    assert secret not in str(e.value) and "13812345678" not in str(e.value)
    assert not evidence.exists() and not list(tmp_path.glob("evidence*"))


def test_globs_and_directories(tmp_path):
    d = tmp_path / "logs"
    d.mkdir()
    write_csv(d / "a.csv", [row(rid=rid(1))])
    write_csv(d / "b.csv", [row(rid=rid(2))])
    (d / "notes.md").write_text("ignored")
    assert len(expand([d])) == 2
    assert len(expand([str(d / "*.csv")])) == 2
    r = count([d])
    assert r.totals.any == 2


def test_mapping_errors():
    with pytest.raises(ValueError, match="needs country_column or country"):
        Mapping.model_validate({**MAPPING, "identifiers": [{"kind": "passport", "column": "pp"}]})
    with pytest.raises(ValueError, match="no identifier links persons"):
        Mapping.model_validate({**MAPPING, "identifiers": [{"kind": "phone", "column": "phone"}]})


def test_error_listing_columns_masks_identifier_like_headers(tmp_path):
    # a header-less export: the first row is taken as the header; its values must not be printed
    secret = rid(9)
    p = tmp_path / "nohead.csv"
    p.write_text(f"2025-01-02,f1,x,N,{secret},,,13800138000,a@b.com,,\n" * 3)
    with pytest.raises(InputError) as e:
        count([p])
    assert secret not in str(e.value) and "13800138000" not in str(e.value) and "a@b.com" not in str(e.value)


def test_identifier_in_the_date_column_is_masked(tmp_path):
    secret = rid(5)
    p = write_csv(tmp_path / "d.csv", [row(date=secret, rid=rid(1))])
    with pytest.raises(InputError) as e:
        count([p])
    assert secret not in str(e.value) and "3502**********" in str(e.value)


def test_jsonl_mixed_types_missing_keys_and_bad_dates(tmp_path):
    import json

    p = tmp_path / "j.jsonl"
    recs = [
        {
            "date": "2025-02-01",
            "flow": "f1",
            "item": "contact",
            "sens": "N",
            "rid": rid(1),
            "pp": None,
            "ppc": None,
            "phone": 13800138000,
            "email": None,
            "cust": 77,
            "ground": None,
        },
        {
            "date": "2025-02-02",
            "flow": "f1",
            "item": "contact",
            "sens": "N",
            "rid": None,
            "pp": "E12345678",
            "ppc": "CN",
            "phone": "13800138000",
            "email": "a@b.com",
            "cust": "77",
            "ground": None,
        },
    ]
    p.write_text("".join(json.dumps(r) + "\n" for r in recs))
    r = count([p])
    assert r.totals.any == 1  # customer id 77 (number) and "77" (text) are the same key
    recs.append({**recs[0], "date": "not a date"})
    p.write_text("".join(json.dumps(r) + "\n" for r in recs))
    with pytest.raises(InputError, match=r"j\.jsonl:3.*'date'"):
        count([p])
    q = tmp_path / "k.jsonl"
    q.write_text(json.dumps({k: v for k, v in recs[0].items() if k != "cust"}) + "\n")
    with pytest.raises(InputError, match=r"k\.jsonl.*'cust'.*missing"):
        count([q])
