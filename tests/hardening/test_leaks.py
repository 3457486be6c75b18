"""Issue 11, identifiers that leak: identifier-shaped values fed through every error path of count,
scan, assess, template, filings and lists import (and the data paths of count and scan), with all
of standard output, standard error, every file the run wrote or changed, and the temporary folder
scanned for them afterwards.

A planted value is a valid identity number, mobile number, bank card, e-mail or passport, or the
same numbers written in groups (`138 0013 8000`, `6222 0212 3456 7890 123`). None may appear raw,
nor with its digits run together (tests/fuzz/families.py `leaked`)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from tests.fuzz.families import IDENTIFIERS, SPACED, leaked

from ftzlist.errors import EXIT_INVALID

from .conftest import DECLARATION, run_main

KEY = "leak-test-key-0123456789abcdef"
PLANTED = [*IDENTIFIERS, *SPACED]
RID, RID2, PHONE, _, CARD, _, EMAIL, PASSPORT = IDENTIFIERS
SPACED_PHONE, SPACED_CARD, INTL_PHONE = SPACED

MAPPING = {
    "date": {"column": "date"},
    "flow": {"column": "flow"},
    "sensitivity": {"column": "sens", "values": {"S": "sensitive", "N": "non_sensitive"}},
    "exemption": {"column": "ground", "values": {"HR": "cbdf-art5-2"}},
    "identifiers": [{"kind": "resident_id", "column": "rid"}, {"kind": "phone", "column": "phone"}],
}
COLUMNS = ["date", "flow", "sens", "ground", "rid", "phone"]


def log_rows(**changes: str) -> list[list[str]]:
    """Three good rows; `changes` (column=value) rewrite the second."""
    rows = [
        ["2025-03-01", "pv", "S", "", RID, PHONE],
        ["2025-03-02", "pv", "N", "", RID2, "13912345678"],
        ["2025-04-01", "trial", "S", "", RID, ""],
    ]
    for col, value in changes.items():
        rows[1][COLUMNS.index(col)] = value
    return rows


def csv_bytes(rows: list[list[str]], header: list[str] | None = COLUMNS) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    if header is not None:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def declaration(**replace: str) -> bytes:
    text = DECLARATION
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.encode("utf-8")


@dataclass
class Case:
    files: dict[str, bytes]
    argv: list[str]
    code: int | tuple[int, ...] = EXIT_INVALID
    """The exit code(s) the run must end with: 2 for an error path."""


def _count(files: dict[str, bytes], *extra: str, code: int | tuple[int, ...] = EXIT_INVALID) -> Case:
    files = {"map.yaml": yaml.safe_dump(MAPPING).encode(), **files}
    log = next(n for n in files if n.startswith("log"))
    return Case(files, ["count", log, "-m", "map.yaml", "--as-of", "2025-06-30", *extra], code)


def _sensitivity_rows() -> dict[str, bytes]:
    return {"log.csv": csv_bytes(log_rows(sens=SPACED_PHONE))}


CASES: dict[str, Callable[[], Case]] = {
    # ---- count: every value a log can hold in a place that is an error
    "count: identifier as a date": lambda: _count({"log.csv": csv_bytes(log_rows(date=SPACED_PHONE))}),
    "count: bare identifier as a date": lambda: _count({"log.csv": csv_bytes(log_rows(date=RID2))}),
    "count: headerless log": lambda: _count({"log.csv": csv_bytes(log_rows(), header=None)}),
    "count: identifier as a sensitivity value": lambda: _count(_sensitivity_rows()),
    "count: identifier as an exemption ground": lambda: _count(
        {"log.csv": csv_bytes(log_rows(ground=SPACED_CARD))}
    ),
    "count: stray quote beside identifiers": lambda: _count(
        {"log.csv": csv_bytes(log_rows()).replace(b"pv,N", b'p"v,N')}
    ),
    "count: NUL inside a gzip log": lambda: _count(
        {"log.csv.gz": gzip.compress(csv_bytes(log_rows()).replace(RID2.encode(), RID2[:6].encode() + b"\0"))}
    ),
    "count: duplicated header beside identifiers": lambda: _count(
        {"log.csv": csv_bytes(log_rows(), header=[*COLUMNS[:-1], "rid"])}
    ),
    "count: identifier as a header": lambda: _count(
        {"log.csv": csv_bytes(log_rows(), header=[*COLUMNS[:-1], PHONE])}
    ),
    "count: JSON Lines with an identifier as a date": lambda: _count(
        {
            "log.jsonl": "\n".join(
                json.dumps(dict(zip(COLUMNS, r, strict=True))) for r in log_rows(date=EMAIL)
            ).encode()
        }
    ),
    "count: workbook with an identifier as a date": lambda: _count(
        {"log.xlsx": xlsx_bytes([COLUMNS, *log_rows(date=INTL_PHONE)])}
    ),
    "count: identifier as --as-of": lambda: Case(
        {"map.yaml": yaml.safe_dump(MAPPING).encode(), "log.csv": csv_bytes(log_rows())},
        ["count", "log.csv", "-m", "map.yaml", "--as-of", SPACED_PHONE],
    ),
    "count: identifier as --list": lambda: _count({"log.csv": csv_bytes(log_rows())}, "--list", RID),
    "count: mapping naming an identifier column": lambda: Case(
        {
            "map.yaml": yaml.safe_dump({**MAPPING, "flow": {"column": CARD}}).encode(),
            "log.csv": csv_bytes(log_rows()),
        },
        ["count", "log.csv", "-m", "map.yaml", "--as-of", "2025-06-30"],
    ),
    "count: identifiers as flow values, table and evidence": lambda: _count(
        {"log.csv": csv_bytes(log_rows(flow=SPACED_PHONE))}, "--evidence", "groups.parquet", code=0
    ),
    "count: identifiers as flow values, json": lambda: _count(
        {"log.csv": csv_bytes(log_rows(flow=EMAIL))}, "-f", "json", code=0
    ),
    # ---- scan: the table itself is personal information
    "scan: headerless table, table and draft": lambda: Case(
        {"data.csv": csv_bytes(log_rows(), header=None)},
        ["scan", "data.csv", "--draft-declaration", "draft.yaml"],
        0,
    ),
    "scan: headerless table, json": lambda: Case(
        {"data.csv": csv_bytes(log_rows(), header=None)}, ["scan", "data.csv", "-f", "json"], 0
    ),
    "scan: identifier as a header": lambda: Case(
        {"data.csv": csv_bytes(log_rows(), header=[*COLUMNS[:-1], SPACED_CARD])},
        ["scan", "data.csv", "-f", "json", "--draft-declaration", "draft.yaml"],
        0,
    ),
    "scan: identifier as --as-of": lambda: Case(
        {"data.csv": csv_bytes(log_rows())}, ["scan", "data.csv", "--as-of", RID]
    ),
    # ---- assess: a value typed in the wrong place of a declaration or inventory
    "assess: identifier as a scenario": lambda: Case(
        {"decl.yaml": declaration(**{"pharma.pharmacovigilance": PHONE})}, ["assess", "decl.yaml"]
    ),
    "assess: grouped identifier as a category": lambda: Case(
        {"decl.yaml": declaration(**{"health.adverse_event": f"'{SPACED_CARD}'"})}, ["assess", "decl.yaml"]
    ),
    "assess: identifier as a count": lambda: Case(
        {"decl.yaml": declaration(**{"persons: 12000": f"persons: '{SPACED_PHONE}'"})},
        ["assess", "decl.yaml"],
    ),
    "assess: identifier as the date": lambda: Case(
        {"decl.yaml": declaration(**{"as_of: 2026-03-31": f"as_of: {RID}"})}, ["assess", "decl.yaml"]
    ),
    "assess: identifier as a zone, JSON": lambda: Case(
        {
            "decl.json": json.dumps(
                yaml.safe_load(declaration(**{"zone: fujian-ftz": f"zone: {EMAIL}"})), default=str
            ).encode()
        },
        ["assess", "decl.json", "-f", "json"],
    ),
    "assess: identifier as a format": lambda: Case(
        {"decl.yaml": declaration()}, ["assess", "decl.yaml", "-f", PHONE]
    ),
    "assess: identifier as --as-of": lambda: Case(
        {"decl.yaml": declaration()}, ["assess", "decl.yaml", "--as-of", SPACED_PHONE]
    ),
    "assess: identifier in an inventory's scenario cell": lambda: Case(
        {"inv.xlsx": b""}, ["assess", "inv.xlsx", "-f", "json"]
    ),
    # ---- template
    "template: from a declaration with an identifier as a subject": lambda: Case(
        {"decl.yaml": declaration(**{"subject: patient": f"subject: {PASSPORT}"})},
        ["template", "--from", "decl.yaml", "--out", "inv.xlsx"],
    ),
    "template: identifier as the kind": lambda: Case({}, ["template", CARD, "--out", "inv.xlsx"]),
    # ---- filings
    "filings: identifier as a procedure": lambda: Case(
        {}, ["filings", "add", "h", "f", PHONE, "--on", "2026-03-02", "--db", "sqlite:///reg.db"]
    ),
    "filings: identifier as a date": lambda: Case(
        {}, ["filings", "add", "h", "f", "fj.list_filing", "--on", RID, "--db", "sqlite:///reg.db"]
    ),
    "filings: identifier as a list": lambda: Case(
        {},
        [
            *("filings", "add", "h", "f", "fj.list_filing", "--on", "2026-03-02"),
            *("--list", SPACED_CARD, "--db", "sqlite:///reg.db"),
        ],
    ),
    "filings: identifier as a filing key": lambda: Case(
        {}, ["filings", "show", SPACED_PHONE, "--db", "sqlite:///reg.db"]
    ),
    "filings: identifier in a change's content": lambda: Case(
        {"change.yaml": yaml.safe_dump({"recipient_country": RID, "persons": SPACED_PHONE}).encode()},
        ["filings", "change", "FJ-2026-0001", "2026-04-01", "change.yaml", "--db", "sqlite:///reg.db"],
    ),
    "filings: password in an unreachable --db": lambda: Case(
        {}, ["filings", "list", "--db", f"postgresql://ftz:{CARD}@127.0.0.1:1/reg"]
    ),
    "filings: password with an '@' in --db": lambda: Case(
        {}, ["filings", "list", "--db", f"postgresql://ftz:x@{RID}@127.0.0.1:1/reg"]
    ),
    # ---- lists import and validate
    "lists import: identifier as a pathway word": lambda: Case(
        {"table.csv": _official_table(pathway=SPACED_PHONE)},
        [
            "lists",
            "import",
            "table.csv",
            "--id",
            "test-ftz-2026",
            "--zone",
            "fujian-ftz",
            "--out",
            "out.yaml",
        ],
    ),
    "lists import: identifier as --issued": lambda: Case(
        {"table.csv": _official_table()},
        ["lists", "import", "table.csv", "--id", "test-ftz-2026", "--issued", RID, "--out", "out.yaml"],
    ),
    "lists validate: identifier in a list file": lambda: Case(
        {"lists/fujian-ftz-2025.yaml": _list_file(PHONE)},
        ["lists", "validate", "lists/fujian-ftz-2025.yaml"],
    ),
}


def _official_table(pathway: str | None = None) -> bytes:
    root = Path(__file__).resolve().parents[1] / "fixtures" / "official" / "fujian-ftz-2025-partc.csv"
    rows = list(csv.reader(io.StringIO(root.read_text(encoding="utf-8"))))[:4]
    if pathway is not None:
        rows[1][3] = pathway
    return csv_bytes(rows[1:], header=rows[0])


def _list_file(value: str) -> bytes:
    root = Path(__file__).resolve().parents[2] / "src" / "ftzlist" / "lists" / "fujian-ftz-2025.yaml"
    doc = yaml.safe_load(root.read_text(encoding="utf-8"))
    doc["effective_from"] = value
    doc["items"][0]["pathway"] = value
    doc["items"][0]["id"] = value
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def _inventory(where: Path) -> bytes:
    """The inventory workbook of the test declaration with an identifier in the scenario cell."""
    from openpyxl import load_workbook

    decl = where / "src.yaml"
    decl.write_bytes(declaration())
    inv = where / "src.xlsx"
    assert run_main("template", "--from", str(decl), "--out", str(inv)).code == 0
    wb = load_workbook(inv)
    ws = wb["flows"]
    for row in ws.iter_rows():
        for cell in row:
            if str(cell.value).startswith("pharma.pharmacovigilance"):
                cell.value = SPACED_PHONE
    buf = io.BytesIO()
    wb.save(buf)
    decl.unlink()
    inv.unlink()
    return buf.getvalue()


def texts_of(path: Path) -> list[str]:
    """What a person could read in a file we wrote: text, every part of a workbook or document,
    every value of a Parquet file."""
    data = path.read_bytes()
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)]
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [data.decode("utf-8", "replace")]


def _snapshot(folder: Path) -> dict[Path, float]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_identifier_leaves_by_any_output(name, tmp_path, monkeypatch):
    case = CASES[name]()
    work = tmp_path / "work"
    work.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    if name.startswith("assess: identifier in an inventory"):
        case.files["inv.xlsx"] = _inventory(tmp_path)
    for fname, data in case.files.items():
        (work / fname).parent.mkdir(parents=True, exist_ok=True)
        (work / fname).write_bytes(data)
    monkeypatch.chdir(work)
    monkeypatch.setenv("FTZLIST_HASH_KEY", KEY)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TMPDIR", str(scratch))  # spill and temporary files of the run land here
    monkeypatch.setattr(tempfile, "tempdir", None)
    inputs = _snapshot(work)

    r = run_main(*case.argv)

    allowed = case.code if isinstance(case.code, tuple) else (case.code,)
    assert r.code in allowed, (case.argv, r.code, r.err[-800:])
    if r.code == EXIT_INVALID:  # `lists validate` reports its findings on stdout
        said = r.err or r.out
        assert said.startswith(("error: ", "Usage: ")) or "invalid" in said, said
    assert "Traceback" not in r.output
    found = {"stdout": leaked(r.out), "stderr": leaked(r.err)}
    written = {p for p, t in _snapshot(work).items() if inputs.get(p) != t}
    for p in sorted(written):
        found[str(p.relative_to(work))] = [v for text in texts_of(p) for v in leaked(text)]
    left = [p for p in scratch.rglob("*") if p.is_file()]
    for p in left:
        found[f"temp {p.name}"] = [v for text in texts_of(p) for v in leaked(text)]
    assert not {k: v for k, v in found.items() if v}, found
    assert not left, f"temporary files left behind: {left}"
    for p, t in inputs.items():
        assert p.exists() and p.stat().st_mtime_ns == t, f"input changed: {p}"


def test_every_command_family_the_issue_names_is_covered():
    families = {name.split(":")[0] for name in CASES}
    assert {"count", "scan", "assess", "template", "filings", "lists import"} <= families


def test_the_planted_values_are_caught_by_the_scan():
    """The scan must see each planted value raw and in the grouped forms a writer may use."""
    for v in PLANTED:
        assert leaked(f"x {v} y") == [v] or leaked(f"x {v} y")
    assert leaked(os.linesep.join(["a", SPACED_CARD.replace(" ", ""), "b"]))
