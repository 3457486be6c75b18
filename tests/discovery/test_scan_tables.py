"""Scanning whole tables: every reader, findings per column, person facts, determinism, and no raw
value in any output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from ftzlist.discovery import synthetic as sy
from ftzlist.discovery.readers import open_source
from ftzlist.discovery.scanner import ScanOptions, scan
from ftzlist.errors import InputError
from ftzlist.identifiers import resident_id

AS_OF = dt.date(2026, 11, 21)
N = 400


def rid(area: str, birth: str, seq: str) -> str:
    first17 = area + birth + seq
    return first17 + resident_id.check_char(first17)


def make_table(n: int = N, seed: int = 11) -> pa.Table:
    rng = np.random.default_rng(seed)
    ids = sy.resident_ids(rng, n, born=(dt.date(1960, 1, 1), dt.date(1999, 12, 31)))
    # 10 children under 14 on AS_OF, one born exactly 14 years before (not a minor), repeated ids
    kids = [rid("350203", f"2015{m:02d}01", "101") for m in range(1, 11)]
    edge = [rid("350203", "20121121", "102")]
    id_col = ids.to_pylist()[: n - 13] + kids + edge + kids[:2]
    return pa.table(
        {
            "order_no": sy.order_ids(rng, n),
            "客户姓名": sy.chinese_names(rng, n),
            "证件号码": pa.array(id_col),
            "phone": sy.mobiles(rng, n),
            "email": sy.emails(rng, n),
            "bank_card": sy.bank_cards(rng, n),
            "vin": sy.vins(rng, n),
            "company_uscc": sy.usccs(rng, n),
            "lat": pa.array(np.char.mod("%.6f", rng.uniform(20, 40, n)).astype(str)),
            "出生日期": sy.iso_dates(rng, n, dt.date(1960, 1, 1), dt.date(2000, 1, 1)),
            "诊断": pa.array(["高血压"] * n),
            "remark": sy.remarks(rng, n, embed_every=50),
            "amount": sy.amounts(rng, n),
        }
    )


def write(table: pa.Table, path: Path) -> Path:
    suffix = path.suffix
    if suffix == ".parquet":
        pq.write_table(table, path)
    elif suffix == ".csv":
        pcsv.write_csv(table, path)
    elif suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in table.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("export")
        ws.append(table.column_names)
        for row in table.to_pylist():
            ws.append(list(row.values()))
        wb.save(path)
    return path


def run(path: Path | str, vocab, **kw) -> object:
    table = kw.pop("table", None)
    with open_source(str(path), table=table) as src:
        return scan(src, ScanOptions(as_of=AS_OF, **kw), vocab)


def kinds(report) -> dict[str, list[str]]:
    return {c.name: [f.kind for f in c.findings] for c in report.columns}


EXPECTED = {
    "order_no": [],
    "客户姓名": ["chinese_name"],
    "证件号码": ["resident_id"],
    "phone": ["phone"],
    "email": ["email"],
    "bank_card": ["bank_card"],
    "vin": ["vin"],
    "company_uscc": ["uscc"],
    "lat": ["coordinate"],
    "出生日期": ["birth_date"],
    "诊断": ["medical"],
    "remark": ["phone"],
    "amount": [],
}


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return make_table()


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl", ".xlsx"])
def test_every_format_gives_the_same_findings(tmp_path: Path, table: pa.Table, vocab, suffix: str) -> None:
    report = run(write(table, tmp_path / f"t{suffix}"), vocab)
    assert kinds(report) == EXPECTED
    assert report.rows_scanned == N


def test_findings_carry_evidence_category_and_sensitivity(tmp_path: Path, table: pa.Table, vocab) -> None:
    report = run(write(table, tmp_path / "t.parquet"), vocab)
    cols = {c.name: c for c in report.columns}
    f = cols["证件号码"].findings[0]
    assert (f.category, f.sensitive, f.sensitive_ground, f.personal) == (
        "identity.government_id.resident_id",
        True,
        "specific_identity",
        True,
    )
    ev = f.evidence[0]
    assert ev.detector == "identity_number:resident_id" and ev.matched == N and ev.examined == N
    assert len(ev.examples) == 3 and all("*" in e for e in ev.examples)
    assert f.evidence[1].detector == "column-name" and f.evidence[1].hint == "证件号"
    assert f.confidence >= 0.95
    uscc = cols["company_uscc"].findings[0]
    assert (uscc.personal, uscc.sensitive, uscc.category) == (False, False, "business.organisation_id")
    card = cols["bank_card"].findings[0]
    assert (card.sensitive_ground, card.category) == ("financial_account", "finance.bank_account")
    med = cols["诊断"].findings[0]
    assert med.sensitive_ground == "medical_health" and med.evidence[0].detector == "column-name"
    lat = cols["lat"].findings[0]
    assert lat.category == "location.precise" and lat.sensitive_ground == "whereabouts"
    remark = cols["remark"].findings[0]
    assert remark.embedded and remark.evidence[0].matched == N // 50


def test_person_facts_and_minors(tmp_path: Path, table: pa.Table, vocab) -> None:
    report = run(write(table, tmp_path / "t.parquet"), vocab)
    facts = {p.column: p for p in report.persons}
    ids = facts["证件号码"]
    assert ids.identifiers == N
    assert ids.distinct_persons == N - 2  # two children appear twice
    assert ids.minors_under_14 == 10  # born 2015; the one born 2012-11-21 turned 14 on AS_OF
    assert ids.strength == "strong" and ids.scope == "all_rows"
    assert facts["phone"].strength == "weak" and facts["phone"].minors_under_14 is None
    with open_source(str(tmp_path / "t.parquet")) as src:
        before = scan(src, ScanOptions(as_of=dt.date(2026, 11, 20)), vocab)
    assert {p.column: p for p in before.persons}["证件号码"].minors_under_14 == 11


def test_deterministic_whatever_the_batch_size(tmp_path: Path, table: pa.Table, vocab) -> None:
    path = write(table, tmp_path / "t.parquet")
    a = run(path, vocab, batch_rows=1000)
    b = run(path, vocab, batch_rows=37)
    assert a.model_dump() == b.model_dump()


def test_seeded_sample_is_repeatable_and_bounded(tmp_path: Path, table: pa.Table, vocab) -> None:
    path = write(table, tmp_path / "t.parquet")
    a = run(path, vocab, sample=50, seed=3, batch_rows=64)
    b = run(path, vocab, sample=50, seed=3, batch_rows=17)
    c = run(path, vocab, sample=50, seed=4, batch_rows=64)
    assert a.model_dump() == b.model_dump()
    assert a.rows_scanned == 50 and a.rows_total == N
    assert a.persons[0].scope == "sample"
    assert a.model_dump() != c.model_dump()
    assert kinds(a)["证件号码"] == ["resident_id"]


def test_no_raw_value_in_any_output(tmp_path: Path, table: pa.Table, vocab) -> None:
    from ftzlist.discovery.draft import draft_declaration

    path = write(table, tmp_path / "t.parquet")
    report = run(path, vocab)
    text = report.model_dump_json() + draft_declaration(report)
    raw = set()
    for name in ("证件号码", "phone", "email", "bank_card", "vin", "company_uscc", "客户姓名"):
        raw |= set(table.column(name).to_pylist())
    leaked = [v for v in raw if v in text]
    assert not leaked, f"{len(leaked)} raw values in the output"


def test_errors_do_not_quote_the_data(tmp_path: Path) -> None:
    secret = rid("110101", "19900307", "555")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1," + secret.encode() + b"\xff\n2,3\n")
    with pytest.raises(InputError) as info, open_source(str(bad)) as src:
        for _ in src.batches(10):
            pass
    message = info.value.render()
    assert secret not in message and "line" in message.lower()


def test_bad_inputs_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        open_source(str(tmp_path / "nope.csv"))
    (tmp_path / "t.docx").write_text("x")
    with pytest.raises(InputError, match="unknown table format"):
        open_source(str(tmp_path / "t.docx"))
    with pytest.raises(InputError, match="needs --table"):
        open_source("postgresql://postgres:secret@127.0.0.1/test")
    try:
        open_source("postgresql://postgres:secret@127.0.0.1:1/test", table="t")
    except InputError as exc:
        assert "secret" not in exc.render()


def test_empty_and_null_columns(tmp_path: Path, vocab) -> None:
    t = pa.table({"empty": pa.array([None, "", "  "], type=pa.string()), "x": ["a", "b", "c"]})
    report = run(write(t, tmp_path / "e.parquet"), vocab)
    assert [c.non_empty for c in report.columns] == [0, 3]
    assert report.persons == []


def test_whitespace_is_trimmed_like_the_scalar_form(tmp_path: Path, vocab) -> None:
    v = rid("110101", "19900307", "123")
    t = pa.table({"x": [f"  {v}", f"{v}\u3000", f"\u00a0{v}\t"]})
    report = run(write(t, tmp_path / "w.parquet"), vocab)
    assert report.columns[0].findings[0].evidence[0].matched == 3
    assert report.persons[0].distinct_persons == 1


def test_mixed_document_column(tmp_path: Path, vocab) -> None:
    rng = np.random.default_rng(2)
    values = pc.if_else(
        pa.array(np.arange(200) % 4 == 0), sy.hmt_permits(rng, 200), sy.resident_ids(rng, 200)
    )
    report = run(write(pa.table({"id_no": values}), tmp_path / "m.parquet"), vocab)
    got = {f.kind: f.evidence[0].matched for f in report.columns[0].findings}
    assert got == {"resident_id": 150, "hmt_residence_permit": 50}


def test_xlsx_sheet_by_name_and_json_array(tmp_path: Path, vocab) -> None:
    from openpyxl import Workbook

    v = rid("110101", "19900307", "123")
    wb = Workbook()
    wb.active.append(["other"])
    ws = wb.create_sheet("客户")
    ws.append(["证件号", "手机"])
    ws.append([v, 13812345678])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    report = run(path, vocab, table="客户")
    assert kinds(report) == {"证件号": ["resident_id"], "手机": ["phone"]}
    with pytest.raises(InputError, match="no sheet"):
        open_source(str(path), table="nope")
    js = tmp_path / "a.json"
    js.write_text(json.dumps([{"id_no": v}, {"id_no": v}]), encoding="utf-8")
    assert kinds(run(js, vocab)) == {"id_no": ["resident_id"]}


def test_gb18030_csv(tmp_path: Path, vocab) -> None:
    v = rid("110101", "19900307", "123")
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"姓名,身份证号\n张伟,{v}\n李娜,{v}\n".encode("gb18030"))
    with pytest.raises(InputError, match="gb18030") as info:
        open_source(str(path))
    assert v not in info.value.render()
    with open_source(str(path), encoding="gb18030") as src:
        report = scan(src, ScanOptions(as_of=AS_OF), vocab)
    assert kinds(report) == {"姓名": ["chinese_name"], "身份证号": ["resident_id"]}
    with pytest.raises(InputError, match="unknown encoding"):
        open_source(str(path), encoding="nope")
