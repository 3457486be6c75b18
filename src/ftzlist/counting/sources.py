"""Export-log files: expand globs and folders, and check each file is what its name says (the
content of gzip files included) before an engine reads it.

Every problem is an `InputError` naming the file (and the row and column where there is one).
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

from ftzlist.errors import InputError
from ftzlist.tabular import TABULAR_SUFFIXES, UTF8, transcode

FORMATS = {**TABULAR_SUFFIXES, ".json": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx"}
ROW_COLUMN = "_ftzlist_sheet_row"


URI_SCHEMES = (
    "s3://",
    "s3a://",
    "s3n://",
    "gs://",
    "hdfs://",
    "abfs://",
    "abfss://",
    "wasbs://",
    "oss://",
    "cosn://",
    "obs://",
    "file://",
)
"""Object-store and cluster file-system addresses: passed through to an engine that reads them
(Spark); never opened here."""


@dataclass(frozen=True)
class LogFile:
    """One export-log file: a local path, or a URI an engine reads (`remote`)."""

    path: Path
    format: str  # csv | parquet | jsonl | xlsx (staged as Parquet before an engine reads it)
    compressed: bool = False
    uri: str | None = None
    encoding: str | None = None
    origin: str | None = field(default=None, repr=False)
    row_column: str | None = None  # a staged workbook: the column holding each row's sheet row

    @property
    def where(self) -> str:
        """How messages name the file (the user's file, also when a staged copy is read)."""
        return self.uri or self.origin or str(self.path)

    @property
    def remote(self) -> bool:
        return self.uri is not None

    def row_label(self) -> str:
        return "line" if self.format in ("csv", "jsonl") else "row"

    @property
    def text_encoding(self) -> str | None:
        """The encoding to convert from, None when the file is UTF-8 (or not text)."""
        if self.encoding is None or self.encoding.lower().replace("-", "_") in {
            e.replace("-", "_") for e in UTF8
        }:
            return None
        return self.encoding


def _format_of(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] in (".gz", ".zst")
    ext = suffixes[-2] if compressed and len(suffixes) >= 2 else (suffixes[-1] if suffixes else "")
    fmt = FORMATS.get(ext)
    if fmt is None or (compressed and fmt in ("parquet", "xlsx")):
        raise InputError(
            f"unsupported log file type '{''.join(path.suffixes) or '(none)'}': expected .csv, .parquet, .jsonl "
            "or .xlsx (optionally .csv.gz / .jsonl.gz)",
            where=str(path),
        )
    return fmt, compressed


def _sniff(f: LogFile) -> None:
    try:
        size = f.path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=str(f.path)) from None
    if size == 0:
        raise InputError("the file is empty", where=str(f.path))
    with f.path.open("rb") as fh:
        head = fh.read(65536)
        if f.format == "parquet":
            fh.seek(max(0, size - 4))
            tail = fh.read(4)
    if f.compressed:
        if f.path.suffix.lower() != ".gz":
            return
        if not head.startswith(b"\x1f\x8b"):
            raise InputError("named .gz but is not gzip-compressed", where=str(f.path))
        head = _gunzip_head(f)
    if f.format == "xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise InputError(f"named {f.path.suffix} but is not an Excel workbook", where=str(f.path))
        return
    if f.format == "parquet":
        if not (head.startswith(b"PAR1") and tail == b"PAR1"):
            raise InputError(
                "named .parquet but is not a Parquet file (no PAR1 magic bytes)", where=str(f.path)
            )
        return
    if head.startswith(b"PAR1"):
        raise InputError(f"named .{f.format} but is a Parquet file", where=str(f.path))
    if head.count(b"\x00") > len(head) // 100:  # a stray NUL in text is found (with its line) later
        raise InputError(f"named .{f.format} but holds binary data, not text", where=str(f.path))
    encoding = f.text_encoding or "utf-8"
    try:
        head.decode(encoding)
    except LookupError:
        raise InputError(f"unknown encoding '{f.encoding}'", where=str(f.path)) from None
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            hint = "" if f.text_encoding else "; if it is GBK/GB18030 text, pass --encoding gb18030"
            raise InputError(f"not {encoding} text (byte {exc.start}){hint}", where=str(f.path)) from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise InputError("the file is empty (only whitespace)", where=str(f.path))
    if f.format == "jsonl" and not text.startswith(b"{"):
        raise InputError("named .jsonl but the first line is not a JSON object", where=str(f.path) + ":1")
    if f.format == "csv" and text.startswith((b"{", b"[")):
        raise InputError("named .csv but looks like JSON", where=str(f.path))


def _gunzip_head(f: LogFile, size: int = 65536) -> bytes:
    """The first `size` bytes of a gzip file's content (the text checks run on them)."""
    import gzip
    import zlib

    try:
        with gzip.open(f.path, "rb") as fh:
            return fh.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"damaged gzip file: {exc}", where=str(f.path)) from None


def expand(paths: list[str | Path], *, remote: bool = False, encoding: str | None = None) -> list[LogFile]:
    """Files named, matched by a glob, or found (recursively) in a folder; sorted, each checked.

    `encoding` is the text encoding of CSV and JSON Lines files (default UTF-8; e.g. gb18030).
    With `remote` (an engine that reads object stores, e.g. Spark), a URI such as
    `s3a://bucket/exports/2025-*.parquet` is passed through unopened; its format comes from its
    suffix."""
    found: list[Path] = []
    uris: list[LogFile] = []
    for raw in paths:
        text = str(raw)
        if text.lower().startswith(URI_SCHEMES):
            if not remote:
                raise InputError(
                    "a URI is read only by an engine that reaches it (--engine spark)", where=text
                )
            fmt, compressed = _format_of(Path(text.rstrip("/").rsplit("/", 1)[-1]))
            if fmt == "xlsx":
                raise InputError("an Excel workbook is read from a local file only", where=text)
            uris.append(LogFile(Path(text.rsplit("/", 1)[-1]), fmt, compressed, uri=text, encoding=encoding))
            continue
        p = Path(text)
        if any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if not matches:
                raise InputError("no file matches this pattern", where=text)
            found.extend(matches)
        elif p.is_dir():
            inside = sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
            inside = [q for q in inside if _known(q)]
            if not inside:
                raise InputError("the folder holds no .csv, .parquet or .jsonl file", where=text)
            found.extend(inside)
        elif p.exists():
            found.append(p)
        else:
            raise InputError("file not found", where=text)
    out: list[LogFile] = []
    for p in dict.fromkeys(found):
        fmt, compressed = _format_of(p)
        f = LogFile(p, fmt, compressed, encoding=encoding if fmt in ("csv", "jsonl") else None)
        _sniff(f)
        out.append(f)
    out.extend(uris)
    if not out:
        raise InputError("no log files given")
    return out


def _known(p: Path) -> bool:
    try:
        _format_of(p)
    except InputError:
        return False
    return True


def stage(files: list[LogFile], into: Path) -> list[LogFile]:
    """Local files an engine cannot read as they are, converted into the private folder `into`:
    Excel workbooks (first sheet) to Parquet, text in another encoding to UTF-8. Messages keep
    naming the user's file, and its lines or rows."""
    out = []
    for n, f in enumerate(files):
        if f.remote:
            out.append(f)
        elif f.format == "xlsx":
            out.append(_xlsx_to_parquet(f, into / f"staged{n}.parquet"))
        elif f.text_encoding:
            target = into / f"staged{n}.{'csv' if f.format == 'csv' else 'jsonl'}"
            transcode(f.path, f.text_encoding, target)
            out.append(LogFile(target, f.format, origin=f.where))
        else:
            out.append(f)
    return out


def _cell_text(v: object) -> str | None:
    """An Excel cell as the text a CSV export would hold: whole numbers without `.0` (identifiers
    typed as numbers), dates and times in ISO 8601, booleans as true/false."""
    import datetime as dt

    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def _xlsx_to_parquet(f: LogFile, target: Path, batch: int = 50_000) -> LogFile:
    """The first sheet of a workbook as a Parquet file of text columns (row 1 is the header), plus
    `ROW_COLUMN`, each row's number in the sheet (for messages). Read-only and streaming: memory is
    bounded by `batch` rows, rows by the data, not the sheet's declared size; empty rows skipped."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    try:
        wb = load_workbook(f.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(f"cannot read the workbook: {type(exc).__name__}", where=f.where) from None
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError("the first sheet is empty", where=f.where)
        names = ["" if h is None else str(h).strip() for h in header]
        while names and not names[-1]:
            names.pop()
        schema = pa.schema(
            [*(pa.field(name, pa.string()) for name in names), pa.field(ROW_COLUMN, pa.int64())]
        )

        def flush(buf: list[list]) -> None:
            w.write_table(
                pa.Table.from_arrays(
                    [*(pa.array(c, pa.string()) for c in buf[:-1]), pa.array(buf[-1], pa.int64())],
                    schema=schema,
                )
            )

        with pq.ParquetWriter(target, schema) as w:
            buf: list[list] = [[] for _ in range(len(names) + 1)]
            for sheet_row, values in enumerate(rows, start=2):
                cells = [_cell_text(v) for v in values[: len(names)]]
                if not any(c is not None and c.strip() for c in cells):
                    continue
                for i in range(len(names)):
                    buf[i].append(cells[i] if i < len(cells) else None)
                buf[-1].append(sheet_row)
                if len(buf[-1]) >= batch:
                    flush(buf)
                    buf = [[] for _ in range(len(names) + 1)]
            if buf[-1]:
                flush(buf)
    finally:
        wb.close()
    return LogFile(target, "parquet", origin=f.where, row_column=ROW_COLUMN)
