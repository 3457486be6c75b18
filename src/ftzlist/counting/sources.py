"""Export-log files: expand globs and folders, check each file is what its name says, and give
the SQL that reads it (all columns as text; the counting step parses them).

Every problem is an `InputError` naming the file (and the row and column where there is one).
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from ftzlist.errors import InputError
from ftzlist.tabular import TABULAR_SUFFIXES

FORMATS = {**TABULAR_SUFFIXES, ".json": "jsonl"}


@dataclass(frozen=True)
class LogFile:
    path: Path
    format: str  # csv | parquet | jsonl
    compressed: bool = False

    def read_sql(self) -> str:
        p = str(self.path).replace("'", "''")
        if self.format == "parquet":
            return f"read_parquet('{p}')"
        if self.format == "jsonl":
            return f"read_ndjson_objects('{p}')"
        return f"read_csv('{p}', header = true, all_varchar = true)"

    def columns_sql(self) -> str:
        """SQL listing the file's column names (JSON Lines: every key of every object)."""
        if self.format == "jsonl":
            return f"SELECT DISTINCT unnest(json_keys(json)) FROM {self.read_sql()}"
        return f"SELECT column_name FROM (DESCRIBE SELECT * FROM {self.read_sql()})"

    def select_sql(self, columns: list[str], prefix: str = "") -> str:
        """SQL reading `columns` as text (JSON scalars unquoted; a missing key is NULL)."""

        def q(c: str) -> str:
            return '"' + c.replace('"', '""') + '"'

        if self.format == "jsonl":
            sel = ", ".join(f"json ->> '{c.replace(chr(39), chr(39) * 2)}' AS {q(c)}" for c in columns)
        else:
            sel = ", ".join(f"CAST({q(c)} AS VARCHAR) AS {q(c)}" for c in columns)
        return f"SELECT {prefix}{sel} FROM {self.read_sql()}"

    def numbered_sql(self, columns: list[str]) -> str:
        """Rows with their 1-based data-row number (slow path, used to locate an error)."""
        if self.format == "jsonl":
            return f"(SELECT *, row_number() OVER () AS _rowno FROM ({self.select_sql(columns)}))"
        if self.format == "parquet":
            p = str(self.path).replace("'", "''")
            return (
                f"(SELECT *, file_row_number + 1 AS _rowno FROM read_parquet('{p}', file_row_number = true))"
            )
        return f"(SELECT *, row_number() OVER () AS _rowno FROM {self.read_sql()})"

    def row_label(self) -> str:
        return "line" if self.format in ("csv", "jsonl") else "row"


def _format_of(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] in (".gz", ".zst")
    ext = suffixes[-2] if compressed and len(suffixes) >= 2 else (suffixes[-1] if suffixes else "")
    fmt = FORMATS.get(ext)
    if fmt is None or (compressed and fmt == "parquet"):
        raise InputError(
            f"unsupported log file type '{''.join(path.suffixes) or '(none)'}': expected .csv, .parquet or .jsonl "
            "(optionally .csv.gz / .jsonl.gz)",
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
        if f.path.suffix.lower() == ".gz" and not head.startswith(b"\x1f\x8b"):
            raise InputError("named .gz but is not gzip-compressed", where=str(f.path))
        return
    if f.format == "parquet":
        if not (head.startswith(b"PAR1") and tail == b"PAR1"):
            raise InputError(
                "named .parquet but is not a Parquet file (no PAR1 magic bytes)", where=str(f.path)
            )
        return
    if head.startswith(b"PAR1"):
        raise InputError(f"named .{f.format} but is a Parquet file", where=str(f.path))
    if b"\x00" in head:
        raise InputError(f"named .{f.format} but holds binary data, not text", where=str(f.path))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            raise InputError(f"not UTF-8 text (byte {exc.start})", where=str(f.path)) from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise InputError("the file is empty (only whitespace)", where=str(f.path))
    if f.format == "jsonl" and not text.startswith(b"{"):
        raise InputError("named .jsonl but the first line is not a JSON object", where=str(f.path) + ":1")
    if f.format == "csv" and text.startswith((b"{", b"[")):
        raise InputError("named .csv but looks like JSON", where=str(f.path))


def expand(paths: list[str | Path]) -> list[LogFile]:
    """Files named, matched by a glob, or found (recursively) in a folder; sorted, each checked."""
    found: list[Path] = []
    for raw in paths:
        text = str(raw)
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
        f = LogFile(p, fmt, compressed)
        _sniff(f)
        out.append(f)
    if not out:
        raise InputError("no log files given")
    return out


def _known(p: Path) -> bool:
    try:
        _format_of(p)
    except InputError:
        return False
    return True
