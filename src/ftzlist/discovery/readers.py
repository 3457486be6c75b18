"""Readers: any supported table as a stream of Arrow record batches whose columns are all strings.

CSV, Parquet and JSONL are read by DuckDB (streaming, bounded memory, every column cast to text);
XLSX by openpyxl in read-only mode; a database table through SQLAlchemy with a server-side cursor.
The scanner sees one interface whatever the source, and never more than one batch at a time.

Errors never quote the data: a parser's message often contains the offending line, so we keep only
where it happened (file, line, column) and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ftzlist.errors import InputError
from ftzlist.identifiers.masking import safe_url
from ftzlist.tabular import TABULAR_SUFFIXES, UTF8, transcode

FILE_FORMATS = {**TABULAR_SUFFIXES, ".json": "json", ".xlsx": "xlsx", ".xlsm": "xlsx"}


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    source_type: str


class Source:
    """A table to scan: its columns and a stream of all-string batches."""

    label: str
    table: str | None
    columns: list[ColumnInfo]
    notes: list[str]

    def batches(self, rows: int) -> Iterator[pa.RecordBatch]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


HEADERLESS_NOTE = (
    "the first row holds values, not column names (an identifier where a name should be): the table "
    "was read without a header row and its columns are named by position"
)


def looks_like_data(name: str) -> bool:
    """True when a column name is a value a detector recognises on its own (an identity number, a
    phone, an e-mail, a card, a plate...) or has the shape of an identifier: the file has no header
    row, and its first row must neither name columns nor reach any output."""
    from ftzlist.discovery.detectors import DETECTORS, WEAK, Context, classify_scalar
    from ftzlist.identifiers.masking import redact

    if not name or redact(name) != name:
        return bool(name)
    hit = classify_scalar(name, Context(as_of=dt.date.max))
    if hit is None:
        return False
    det = next(d for d in DETECTORS if d.name == hit[0])
    kind = det.kinds[hit[1]]
    return not det.embedded and kind.strength >= WEAK


def is_url(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.\-]*://", target))


def open_source(
    target: str,
    *,
    table: str | None = None,
    encoding: str | None = None,
    memory_limit: str = "256MB",
    threads: int = 2,
) -> Source:
    """Open a file (by suffix) or a database URL (SQLAlchemy) for scanning. `encoding` applies to
    CSV and JSON text (default UTF-8; exports from Chinese systems are often GB18030/GBK)."""
    if is_url(target):
        if not table:
            raise InputError("a database URL needs --table (schema.table or table)", where=safe_url(target))
        return DatabaseSource(target, table)
    path = Path(target)
    if not path.exists():
        raise InputError("file not found", where=target)
    if path.is_dir():
        raise InputError("is a directory, expected a table file", where=target)
    fmt = FILE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FILE_FORMATS))
        raise InputError(f"unknown table format '{path.suffix}'; expected one of {known}", where=target)
    if fmt == "xlsx":
        return XlsxSource(path, table)
    if table:
        raise InputError("--table applies to XLSX sheets and database tables, not to this file", where=target)
    return DuckDBSource(path, fmt, memory_limit=memory_limit, threads=threads, encoding=encoding)


def _scrub(message: str) -> str:
    """Keep where a parser failed (line, column) and drop what it quotes."""
    first = message.strip().splitlines()[0] if message.strip() else ""
    first = re.sub(r"[\"'].*?[\"']", "'…'", first)
    first = first.split(":", 2)
    where = re.findall(r"(?:line|row)\s*:?\s*\d+", message, flags=re.I)
    base = first[0].strip() if first else "read error"
    return base + (f" ({where[0]})" if where else "")


# --- DuckDB: CSV, Parquet, JSONL ----------------------------------------------------------------------


class DuckDBSource(Source):
    def __init__(self, path: Path, fmt: str, *, memory_limit: str, threads: int, encoding: str | None = None):
        import tempfile

        import duckdb

        self.label = str(path)
        self.table = None
        self.path = path
        self.tmp: tempfile.TemporaryDirectory[str] | None = None
        read = path
        if encoding and encoding.lower() not in UTF8 and fmt != "parquet":
            self.tmp = tempfile.TemporaryDirectory(prefix="ftzlist-scan-")
            read = transcode(path, encoding, Path(self.tmp.name) / f"utf8{path.suffix}")
        self.con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
        lit = "'" + str(read).replace("'", "''") + "'"
        self.notes = []
        self.relation = {
            "csv": f"read_csv({lit}, all_varchar = true, header = true)",
            "parquet": f"read_parquet({lit})",
            "jsonl": f"read_json({lit}, format = 'newline_delimited')",
            "json": f"read_json({lit}, format = 'auto')",
        }[fmt]
        described = self._describe(fmt, path)
        if fmt == "csv" and any(looks_like_data(str(r[0])) for r in described):
            self.relation = f"read_csv({lit}, all_varchar = true, header = false)"
            described = self._describe(fmt, path)
            self.notes.append(HEADERLESS_NOTE)
        self.columns = [ColumnInfo(str(r[0]), str(r[1])) for r in described]
        if not self.columns:
            raise InputError("the table has no columns", where=str(path))

    def _describe(self, fmt: str, path: Path) -> list[Any]:
        import duckdb

        try:
            return self.con.execute(f"DESCRIBE SELECT * FROM {self.relation}").fetchall()
        except duckdb.Error as exc:
            hint = (
                "; if it is GBK/GB18030 text, pass --encoding gb18030"
                if "unicode" in str(exc).lower()
                else ""
            )
            raise InputError(
                f"cannot read {fmt.upper()}: {_scrub(str(exc))}{hint}", where=str(path)
            ) from None

    def batches(self, rows: int) -> Iterator[pa.RecordBatch]:
        import duckdb

        cols = ", ".join(f'CAST("{c.name.replace(chr(34), chr(34) * 2)}" AS VARCHAR)' for c in self.columns)
        try:
            reader = self.con.sql(f"SELECT {cols} FROM {self.relation}").to_arrow_reader(rows)
            names = [c.name for c in self.columns]
            for batch in reader:
                yield pa.RecordBatch.from_arrays(list(batch.columns), names=names)
        except duckdb.Error as exc:
            raise InputError(f"cannot read table: {_scrub(str(exc))}", where=self.label) from None

    def close(self) -> None:
        self.con.close()
        if self.tmp is not None:
            self.tmp.cleanup()


# --- XLSX ------------------------------------------------------------------------------------------


def _cell_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return str(v)


class XlsxSource(Source):
    """First row is the header; `table` names the sheet (default: the first)."""

    def __init__(self, path: Path, sheet: str | None):
        from openpyxl import load_workbook

        self.label = str(path)
        self.table = sheet
        try:
            self.wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InputError(f"cannot open XLSX ({type(exc).__name__})", where=str(path)) from None
        if sheet is not None and sheet not in self.wb.sheetnames:
            raise InputError(f"no sheet '{sheet}'; sheets: {', '.join(self.wb.sheetnames)}", where=str(path))
        self.ws = self.wb[sheet] if sheet else self.wb.worksheets[0]
        header = next(self.ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if not header:
            raise InputError("the sheet is empty; expected a header row", where=str(path))
        self.notes = []
        self.first_data_row = 2
        if any(looks_like_data(_cell_text(h) or "") for h in header):
            header = [None] * len(header)
            self.first_data_row = 1
            self.notes.append(HEADERLESS_NOTE)
        names: list[str] = []
        for i, h in enumerate(header):
            name = _cell_text(h) or f"column_{i + 1}"
            names.append(name if name not in names else f"{name}_{i + 1}")
        self.columns = [ColumnInfo(n, "xlsx") for n in names]

    def batches(self, rows: int) -> Iterator[pa.RecordBatch]:
        width = len(self.columns)
        names = [c.name for c in self.columns]
        buf: list[list[str | None]] = [[] for _ in range(width)]
        for row in self.ws.iter_rows(min_row=self.first_data_row, values_only=True):
            if row is None or all(v is None for v in row):
                continue
            for i in range(width):
                buf[i].append(_cell_text(row[i]) if i < len(row) else None)
            if len(buf[0]) >= rows:
                yield pa.RecordBatch.from_arrays([pa.array(c, type=pa.string()) for c in buf], names=names)
                buf = [[] for _ in range(width)]
        if buf[0]:
            yield pa.RecordBatch.from_arrays([pa.array(c, type=pa.string()) for c in buf], names=names)

    def close(self) -> None:
        self.wb.close()


# --- databases (SQLAlchemy) --------------------------------------------------------------------------


class DatabaseSource(Source):
    """A table read through SQLAlchemy, every column cast to text by the database, streamed with a
    server-side cursor. Rows come in primary-key order (PostgreSQL without a key: physical order), so
    a seeded sample is the same sample on every run over the same table."""

    def __init__(self, url: str, table: str):
        import sqlalchemy as sa

        self.label = safe_url(url)
        self.table = table
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            self.engine = sa.create_engine(url)
            schema, _, name = table.rpartition(".")
            self.schema, self.name = (schema or None), name
            insp = sa.inspect(self.engine)
            if not insp.has_table(self.name, schema=self.schema):
                raise InputError(f"no table '{table}'", where=self.label)
            cols = insp.get_columns(self.name, schema=self.schema)
            pk = insp.get_pk_constraint(self.name, schema=self.schema).get("constrained_columns") or []
        except InputError:
            raise
        except Exception as exc:
            raise InputError(f"cannot open the database ({type(exc).__name__})", where=self.label) from None
        self.columns = [ColumnInfo(str(c["name"]), str(c["type"])) for c in cols]
        self.pk = list(pk)
        self.notes = []

    def batches(self, rows: int) -> Iterator[pa.RecordBatch]:
        import sqlalchemy as sa

        t = sa.table(self.name, *[sa.column(c.name) for c in self.columns], schema=self.schema)
        query = sa.select(*[sa.cast(t.c[c.name], sa.Text).label(c.name) for c in self.columns]).select_from(t)
        if self.pk:
            query = query.order_by(*[t.c[c] for c in self.pk])
        elif self.engine.dialect.name == "postgresql":
            query = query.order_by(sa.literal_column("ctid"))
        names = [c.name for c in self.columns]
        try:
            with self.engine.connect() as conn:
                result = conn.execution_options(stream_results=True, yield_per=rows).execute(query)
                for part in result.partitions(rows):
                    cols = list(zip(*part, strict=True)) if part else [() for _ in names]
                    yield pa.RecordBatch.from_arrays(
                        [pa.array(list(c), type=pa.string()) for c in cols], names=names
                    )
        except Exception as exc:
            raise InputError(
                f"cannot read table '{self.table}' ({type(exc).__name__})", where=self.label
            ) from None

    def close(self) -> None:
        self.engine.dispose()


__all__ = ["FILE_FORMATS", "ColumnInfo", "Source", "is_url", "looks_like_data", "open_source", "safe_url"]
