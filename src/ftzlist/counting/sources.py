"""Export-log files: expand globs and folders, and check each file is what its name says (the
content of gzip files included) before an engine reads it.

Every problem is an `InputError` naming the file (and the row and column where there is one).
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from ftzlist.errors import InputError
from ftzlist.tabular import TABULAR_SUFFIXES

FORMATS = {**TABULAR_SUFFIXES, ".json": "jsonl"}


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
    format: str  # csv | parquet | jsonl
    compressed: bool = False
    uri: str | None = None

    @property
    def where(self) -> str:
        """How messages name the file."""
        return self.uri or str(self.path)

    @property
    def remote(self) -> bool:
        return self.uri is not None

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
        if f.path.suffix.lower() != ".gz":
            return
        if not head.startswith(b"\x1f\x8b"):
            raise InputError("named .gz but is not gzip-compressed", where=str(f.path))
        head = _gunzip_head(f)
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


def _gunzip_head(f: LogFile, size: int = 65536) -> bytes:
    """The first `size` bytes of a gzip file's content (the text checks run on them)."""
    import gzip
    import zlib

    try:
        with gzip.open(f.path, "rb") as fh:
            return fh.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"damaged gzip file: {exc}", where=str(f.path)) from None


def expand(paths: list[str | Path], *, remote: bool = False) -> list[LogFile]:
    """Files named, matched by a glob, or found (recursively) in a folder; sorted, each checked.

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
            uris.append(LogFile(Path(text.rsplit("/", 1)[-1]), fmt, compressed, uri=text))
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
        f = LogFile(p, fmt, compressed)
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
