"""Engines the counting logic runs on.

The logic (`ftzlist.counting.pipeline` and its steps) is SQL, built through the engine's
`dialect`, plus one graph primitive, `connected_components`. An engine supplies the SQL session,
the way it reads log files, small tables from Python, and the components. `DuckDBEngine` is the
embedded default; `ftzlist.counting.spark.SparkEngine` runs the same steps on Spark.

Temporary files: DuckDB spills to a private folder (mode 0700) under the system temporary
directory, named `ftzlist-count-*` and holding a lock file for as long as its process lives. The
folder is removed when the engine closes; a folder left by a killed run (its lock free) is removed
by the next engine that starts (`sweep_stale`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any, Protocol

from ftzlist.counting.dialect import DUCKDB, Dialect
from ftzlist.counting.sources import LogFile
from ftzlist.errors import InputError
from ftzlist.identifiers.masking import redact

TEMP_PREFIX = "ftzlist-count-"
LOCK_NAME = ".lock"
STALE_UNLOCKED_SECONDS = 3600
"""A temp folder without a lock file (a run killed between creating and locking it) is removed
once it is this old; one with a lock file is removed as soon as nobody holds the lock."""

TIME_ZONE = "Asia/Shanghai"
"""The regime's day is the China Standard Time day: naive timestamps are read in it, timestamps
with an offset are converted to it."""


class Engine(Protocol):
    dialect: Dialect

    def execute(self, sql: str, params: list[Any] | None = None) -> None: ...

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]: ...

    def create(self, name: str, select: str) -> None:
        """Materialise `select` as temporary table `name` (replacing it)."""
        ...

    def view(self, name: str, select: str) -> None: ...

    def drop(self, *names: str) -> None: ...

    def load(self, name: str, table: Any) -> None:
        """A small Arrow table from Python as temporary table `name` (masks, item tags, key pads)."""
        ...

    def connected_components(self, edges: str, nodes: str, out: str) -> None:
        """Create table `out(nid, comp)` for every `nid` of table `nodes` from the undirected edge
        relation `edges(a, b)`; comp = the smallest nid of the component."""
        ...

    def install_identifiers(self) -> None: ...

    def file_columns(self, f: LogFile) -> list[str]:
        """The file's column names as written (duplicates kept; JSON Lines: every key seen).
        InputError naming the file (and line) when it cannot be read or a JSON object repeats a key."""
        ...

    def file_relation(self, n: int, f: LogFile, columns: list[str]) -> str:
        """SQL reading `columns` of file number `n` as text: `_f` (= n), the columns, and `_fault`
        (0 clean, 1 a double quote inside a CSV value, 2 a NUL byte in a value)."""
        ...

    def numbered(self, f: LogFile, columns: list[str]) -> str:
        """A relation over the file with `_line` (the line or row a person finds it at): slow,
        used only to point at an error."""
        ...

    def locate(self, sql: str) -> list[tuple]:
        """Run a query that points at a line (row numbers follow the file)."""
        ...

    def read_error(self, exc: Exception) -> InputError | None:
        """The engine's error on reading the logs as an InputError (None: not a reading error)."""
        ...

    def write_parquet(self, select: str, path: Path) -> None: ...

    def staging_dir(self) -> Path:
        """A private local folder for converted copies of logs (removed with the engine)."""
        ...

    def close(self) -> None: ...


def _lock(path: Path) -> Any:
    """Hold an exclusive lock on `path` for the life of the returned file object (None where the
    platform has no flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fh = path.open("a")
    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fh


def sweep_stale(base: Path | None = None) -> list[Path]:
    """Remove temporary folders of count runs that ended without cleaning up (killed); return them.

    A folder is stale when nobody holds its lock file (the lock dies with its process), or, having
    none, when it is older than `STALE_UNLOCKED_SECONDS`. Only folders of this user are touched."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return []
    base = Path(base or tempfile.gettempdir())
    removed = []
    for d in base.glob(TEMP_PREFIX + "*"):
        try:
            if not d.is_dir() or d.is_symlink() or d.stat().st_uid != os.getuid():
                continue
            lock = d / LOCK_NAME
            if lock.exists():
                with lock.open("a") as fh:
                    try:
                        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except OSError:
                        continue  # a live run holds it
                    shutil.rmtree(d, ignore_errors=True)
            elif time.time() - d.stat().st_mtime > STALE_UNLOCKED_SECONDS:
                shutil.rmtree(d, ignore_errors=True)
            else:
                continue
        except OSError:
            continue
        removed.append(d)
    return removed


class PrivateTemp:
    """A private temporary folder (mode 0700) for one run: spill files and staged copies of logs.
    Removed by `close()` (or at garbage collection / interpreter exit); swept by the next run if
    this process is killed (the folder's lock dies with it)."""

    def __init__(self) -> None:
        sweep_stale()
        self.path = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        lockfh = _lock(self.path / LOCK_NAME)
        self._cleanup = weakref.finalize(self, _remove, str(self.path), lockfh)

    def close(self) -> None:
        self._cleanup()


class DuckDBEngine:
    """DuckDB in memory, spilling to a private temporary folder that is removed on close (and by
    the next run if this process is killed)."""

    dialect = DUCKDB

    def __init__(self, *, memory_limit: str | None = None, threads: int | None = None):
        import duckdb

        self._temp = PrivateTemp()
        self._tmp = str(self._temp.path)
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET enable_progress_bar = false")
        self.con.execute(f"SET TimeZone = '{TIME_ZONE}'")
        self.con.execute(f"SET temp_directory = '{self._tmp}'")
        self.con.execute("SET preserve_insertion_order = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self._threads = int(threads) if threads else None
        if self._threads:
            self.con.execute(f"SET threads = {self._threads}")

    @property
    def temp_directory(self) -> Path:
        return self._temp.path

    def staging_dir(self) -> Path:
        """Where converted copies of logs (workbooks, other encodings) go: the private folder."""
        return self._temp.path

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()

    def create(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}")

    def view(self, name: str, select: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

    def drop(self, *names: str) -> None:
        for n in names:
            self.con.execute(f"DROP TABLE IF EXISTS {n}")

    def load(self, name: str, table: Any) -> None:
        self.con.register("_ftz_load", table)
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _ftz_load")
        finally:
            self.con.unregister("_ftz_load")

    def install_identifiers(self) -> None:
        from ftzlist.identifiers import sql as idsql

        idsql.install(self.con)

    # ------------------------------------------------------------------ files
    def _read(self, f: LogFile, *, header: bool = True) -> str:
        p = str(f.path).replace("'", "''")
        if f.format == "parquet":
            return f"read_parquet('{p}')"
        if f.format == "jsonl":
            return f"read_ndjson_objects('{p}')"
        return f"read_csv('{p}', header = {str(header).lower()}, all_varchar = true)"

    def _error(self, exc: Exception, f: LogFile) -> InputError:
        """First line of a DuckDB error, without query text (which could quote a cell)."""
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return InputError(f"cannot read as {f.format.upper()}: {redact(text[:300])}", where=f.where)

    def file_columns(self, f: LogFile) -> list[str]:
        import duckdb

        try:
            if f.format == "parquet":
                import pyarrow.parquet as pq

                return list(pq.read_schema(f.path).names)
            if f.format == "csv":
                delim = self.rows(
                    f"SELECT Delimiter FROM sniff_csv('{str(f.path).replace(chr(39), chr(39) * 2)}')"
                )
                return header_cells(f, delim[0][0] if delim else ",")
            keys = self.con.execute(
                f"""SELECT k, bool_or(dup) FROM (
                      SELECT unnest(json_keys(json)) AS k,
                             len(json_keys(json)) <> len(list_distinct(json_keys(json))) AS dup
                      FROM {self._read(f)}) GROUP BY k ORDER BY min(k)"""
            ).fetchall()
        except duckdb.Error as exc:
            raise self._error(exc, f) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", where=f.where) from None
        if any(dup for _, dup in keys):
            line = self.rows(
                f"""SELECT _line FROM (SELECT json, row_number() OVER () AS _line FROM {self._read(f)})
                WHERE len(json_keys(json)) <> len(list_distinct(json_keys(json))) ORDER BY _line LIMIT 1"""
            )[0][0]
            raise InputError(
                f"line {line}: a JSON object names the same key twice (which value is meant is ambiguous)",
                where=f"{f.where}:{line}",
            )
        return [k for k, _ in keys]

    def _select(self, f: LogFile, columns: list[str]) -> list[str]:
        d = self.dialect
        if f.format == "jsonl":
            return [f"json ->> {d.lit(c)} AS {d.q(c)}" for c in columns]
        return [f"CAST({d.q(c)} AS VARCHAR) AS {d.q(c)}" for c in columns]

    def _fault(self, f: LogFile, columns: list[str]) -> str:
        d = self.dialect
        nul = " OR ".join(f"contains({d.q(c)}, chr(0))" for c in columns)
        quote = " OR ".join(f"contains({d.q(c)}, '\"')" for c in columns) if f.format == "csv" else "FALSE"
        return f"CASE WHEN {quote} THEN 1 WHEN {nul} THEN 2 ELSE 0 END"

    def file_relation(self, n: int, f: LogFile, columns: list[str]) -> str:
        cols = ", ".join(self.dialect.q(c) for c in columns)
        return (
            f"SELECT {n} AS _f, {cols}, {self._fault(f, columns)} AS _fault "
            f"FROM (SELECT {', '.join(self._select(f, columns))} FROM {self._read(f)})"
        )

    def numbered(self, f: LogFile, columns: list[str]) -> str:
        sel = ", ".join(self._select(f, columns))
        fault = self._fault(f, columns)
        if f.format == "parquet":
            p = str(f.path).replace("'", "''")
            line = self.dialect.q(f.row_column) if f.row_column else "file_row_number + 1"
            inner = f"SELECT {sel}, {line} AS _line FROM read_parquet('{p}', file_row_number = true)"
        else:
            first = 2 if f.format == "csv" else 1  # csv: the header is line 1
            inner = f"SELECT *, row_number() OVER () + {first - 1} AS _line FROM (SELECT {sel} FROM {self._read(f)})"
        return f"(SELECT *, {fault} AS _fault FROM ({inner}))"

    def locate(self, sql: str) -> list[tuple]:
        """Run a query that points at a line: one thread and insertion order kept, so row numbers
        follow the file."""
        self.con.execute("SET threads = 1")
        self.con.execute("SET preserve_insertion_order = true")
        try:
            return self.rows(sql)
        finally:
            self.con.execute("SET preserve_insertion_order = false")
            self.con.execute(f"SET threads = {self._threads}" if self._threads else "RESET threads")

    def read_error(self, exc: Exception) -> InputError | None:
        import duckdb

        if not isinstance(exc, duckdb.Error) or isinstance(exc, duckdb.InternalException):
            return None
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return InputError("cannot read the logs: " + redact(text[:300]))

    def write_parquet(self, select: str, path: Path) -> None:
        self.con.execute(f"COPY ({select}) TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")

    # ------------------------------------------------------------------ components
    def connected_components(self, edges: str, nodes: str, out: str) -> None:
        import numpy as np
        import pyarrow as pa
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        n = self.rows(f"SELECT count(*) FROM {nodes}")[0][0]  # ids are dense here: 0..n-1
        arr = self.con.execute(f"SELECT a, b FROM {edges}").fetchnumpy()
        a = np.asarray(arr["a"], dtype=np.int32)
        b = np.asarray(arr["b"], dtype=np.int32)
        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
        del a, b, arr
        _, labels = connected_components(graph, directed=True, connection="weak")
        del graph
        # scipy labels are arbitrary; the smallest node id of each component is the stable label
        rep = np.full(labels.max() + 1 if len(labels) else 0, np.iinfo(np.int32).max, dtype=np.int64)
        np.minimum.at(rep, labels, np.arange(len(labels), dtype=np.int64))
        self.load(
            out,
            pa.table({"nid": np.arange(n, dtype=np.int64), "comp": rep[labels].astype(np.int64)}),
        )

    def close(self) -> None:
        self.con.close()
        self._temp.close()


def header_cells(f: LogFile, delimiter: str) -> list[str]:
    """The first record of a CSV file (its header), as written: duplicates kept."""
    import csv
    import gzip
    import io

    opener = gzip.open if f.compressed else open
    with (
        opener(f.path, "rb") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text,
    ):
        return next(csv.reader(text, delimiter=delimiter or ","), [])


def _remove(path: str, lockfh: Any) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if lockfh is not None:
        with contextlib.suppress(OSError):
            lockfh.close()


class SqlComponentsEngine(DuckDBEngine):
    """DuckDB running connected components as portable iterative SQL (the form the Spark engine
    uses). Slower than scipy; used to check the two agree."""

    def connected_components(self, edges: str, nodes: str, out: str) -> None:
        from ftzlist.counting.components import sql_connected_components

        sql_connected_components(self, edges, nodes, out)
