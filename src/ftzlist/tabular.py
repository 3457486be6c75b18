"""File suffixes of the tabular formats the project reads (export logs, tables to scan).

`.json` is left to each reader: export logs read it as newline-delimited records (`counting`), a
table to scan reads it as a JSON document (`discovery`).
"""

from __future__ import annotations

TABULAR_SUFFIXES: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
