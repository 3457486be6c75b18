"""File suffixes of the tabular formats the project reads (export logs, tables to scan).

`.json` is left to each reader: export logs read it as newline-delimited records (`counting`), a
table to scan reads it as a JSON document (`discovery`).
"""

from __future__ import annotations

from pathlib import Path

from ftzlist.errors import InputError

TABULAR_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

UTF8 = frozenset({"utf-8", "utf8", "utf_8"})


def transcode(path: Path, encoding: str, into: Path) -> Path:
    """Copy a text file (gzip-compressed when its name ends in .gz) to UTF-8 in 1 MB pieces
    (bounded memory). A byte that does not decode is an error naming its line and byte offset,
    never its content."""
    import codecs
    import gzip

    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'", where=str(path)) from None
    offset, lines = 0, 1
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as src, into.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 20):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                line = lines + chunk.count(b"\n", 0, max(0, exc.start))
                raise InputError(
                    f"line {line}: not {encoding} text (byte {offset + exc.start})", where=f"{path}:{line}"
                ) from None
            offset += len(chunk)
            lines += chunk.count(b"\n")
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise InputError(
                f"not {encoding} text: the file ends inside a character", where=str(path)
            ) from None
    return into
