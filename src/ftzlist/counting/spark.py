"""Counting on Apache Spark (`ftzlist count --engine spark [--spark-master URL]`).

The same steps as on DuckDB (`ftzlist.counting.pipeline`), through `SparkDialect`; connected
components as iterative SQL (`ftzlist.counting.components`, min-label propagation with pointer
jumping: a handful of rounds, each two joins spread over the workers). Every intermediate table
is materialised with a local checkpoint, so the plans of later steps stay short.

Logs are read by Spark itself (CSV, Parquet, JSON Lines, from any path or URI Spark reaches:
`s3a://`, `hdfs://`, `abfss://` ...); the driver receives only aggregates, a few rows to point at
an error, and keyed hashes. Raw identifiers stay on the executors and in Spark's own spill.

PySpark is an optional extra (`pip install 'ftzlist[spark]'`) and needs a Java runtime (17 or
later); without either, `--engine spark` says so and exits 2.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ftzlist.counting.dialect import DATE_ONLY, Dialect
from ftzlist.counting.engine import TIME_ZONE, PrivateTemp, header_cells
from ftzlist.counting.sources import LogFile
from ftzlist.errors import InputError
from ftzlist.identifiers.masking import redact

_STRFTIME_TO_JAVA = {
    "%Y": "yyyy",
    "%y": "yy",
    "%m": "MM",
    "%d": "dd",
    "%H": "HH",
    "%I": "hh",
    "%M": "mm",
    "%S": "ss",
    "%f": "SSSSSS",
    "%p": "a",
    "%b": "MMM",
    "%B": "MMMM",
    "%j": "DDD",
    "%z": "XX",
    "%%": "%",
}


def java_pattern(fmt: str) -> str:
    """A strptime format as a Java DateTimeFormatter pattern (literal text quoted)."""
    out, lit = [], []
    i = 0
    while i < len(fmt):
        code = fmt[i : i + 2]
        if fmt[i] == "%":
            if code not in _STRFTIME_TO_JAVA:
                raise InputError(
                    f"date format code {code!r} is not supported with --engine spark", where="mapping: date"
                )
            if lit:
                out.append("'" + "".join(lit).replace("'", "''") + "'")
                lit = []
            out.append(_STRFTIME_TO_JAVA[code])
            i += 2
            continue
        lit.append(fmt[i])
        i += 1
    if lit:
        out.append("'" + "".join(lit).replace("'", "''") + "'")
    return "".join(out)


class SparkDialect(Dialect):
    """Spark SQL's forms; values equal to DuckDB's for every input the pipeline gives them."""

    name = "spark"
    text = "STRING"

    @staticmethod
    def q(name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    @staticmethod
    def lit(value: object) -> str:
        if value is None:
            return "NULL"
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.lit('^(?:' + pattern + ')$')})"

    def matches(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.lit(pattern)})"

    def replace_all(self, expr: str, pattern: str, replacement: str = "") -> str:
        return f"regexp_replace({expr}, {self.lit(pattern)}, {self.lit(replacement)})"

    def extract(self, expr: str, pattern: str, group: int = 1) -> str:
        return f"coalesce(regexp_extract({expr}, {self.lit(pattern)}, {group}), '')"

    def trim_ws(self, expr: str) -> str:
        return f"trim(BOTH {self.lit(' ' + chr(9) + chr(10) + chr(13) + chr(12))} FROM {expr})"

    def yyyymmdd_valid(self, expr: str) -> str:
        return f"try_to_timestamp({expr}, 'yyyyMMdd') IS NOT NULL"

    def to_int(self, expr: str) -> str:
        return f"try_cast({expr} AS INT)"

    def day(self, raw: str, fmt: str | None = None) -> str:
        if fmt is not None:
            return f"CAST(try_to_timestamp({raw}, {self.lit(java_pattern(fmt))}) AS DATE)"
        return (
            f"CASE WHEN {self.full_match(raw, DATE_ONLY)} "
            f"THEN try_cast(replace(replace({raw}, '/', '-'), '.', '-') AS DATE) "
            f"ELSE CAST(try_cast({raw} AS TIMESTAMP) AS DATE) END"
        )

    def digest(self, expr: str) -> str:
        return f"md5({expr})"  # 32 hex digits: the digest itself

    def digest_hex(self, expr: str) -> str:
        return expr

    def hash64(self, exprs: list[str]) -> str:
        # NULL arguments are skipped by Spark's hashes: mark them (values never hold NUL, it is refused)
        args = ", ".join(f"coalesce({e}, chr(0))" for e in exprs)
        return f"(xxhash64({args}) & 9223372036854775807)"

    def utf8(self, expr: str) -> str:
        return f"encode({expr}, 'UTF-8')"

    def sha256_hex(self, expr: str) -> str:
        return f"sha2({expr}, 256)"

    def row_ids(self) -> str:
        return "monotonically_increasing_id()"

    def starts_with(self, expr: str, prefix: str) -> str:
        return f"startswith({expr}, {self.lit(prefix)})"


SPARK = SparkDialect()


def session(master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    """A SparkSession for counting: China Standard Time, non-ANSI casts, quiet; local mode by
    default (`local[*]`). `conf` adds Spark settings (e.g. spark.driver.memory)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(
            "--engine spark needs PySpark: pip install 'ftzlist[spark]' (and a Java runtime, 17 or later)"
        ) from None
    import os
    import sys

    local = (master or "local").startswith("local")
    if local:
        # the phone fallback runs ftzlist in the Python workers: locally, this interpreter; on a
        # cluster, an environment with ftzlist installed (see docs/counting.md)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("ftzlist-count").master(master or "local[*]")
    settings = {
        "spark.sql.session.timeZone": TIME_ZONE,
        "spark.sql.ansi.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8" if local else "200",
        "spark.sql.adaptive.enabled": "true",
        **({"spark.ui.enabled": "false"} if local else {}),
        **(conf or {}),
    }
    for k, v in settings.items():
        b = b.config(k, v)
    try:
        spark = b.getOrCreate()
    except Exception as exc:  # the JVM could not start (no Java, bad master URL)
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot start Spark: {redact(text[:300])}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine:
    """The counting engine on a SparkSession (one is started when none is given)."""

    dialect = SPARK

    def __init__(self, spark: Any = None, *, master: str | None = None, conf: dict[str, str] | None = None):
        if spark is None:
            try:
                from pyspark.sql import SparkSession

                spark = SparkSession.getActiveSession()
            except ImportError:
                pass
        self._own = spark is None  # a session this engine started is stopped by close()
        self.spark = spark or session(master, conf)
        self._tables: dict[str, Any] = {}
        self._files: dict[int, LogFile] = {}
        self._temp: PrivateTemp | None = None

    def staging_dir(self) -> Path:
        """Converted copies of local logs (workbooks, other encodings) live on this machine: the
        executors of local mode read them; a cluster's cannot."""
        if not str(self.spark.sparkContext.master).startswith("local"):
            raise InputError(
                "workbooks and non-UTF-8 logs are converted on this machine, which a cluster cannot read: "
                "convert them to Parquet or UTF-8 CSV first, or use local mode"
            )
        if self._temp is None:
            self._temp = PrivateTemp()
        return self._temp.path

    # ------------------------------------------------------------------ SQL
    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.spark.sql(sql, args=params) if params else self.spark.sql(sql)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def _keep(self, name: str, df: Any) -> None:
        df = df.localCheckpoint(eager=True)
        df.createOrReplaceTempView(name)
        old = self._tables.pop(name, None)
        if old is not None:
            old.unpersist()
        self._tables[name] = df

    def create(self, name: str, select: str) -> None:
        self._keep(name, self.spark.sql(select))

    def view(self, name: str, select: str) -> None:
        self.spark.sql(select).createOrReplaceTempView(name)

    def drop(self, *names: str) -> None:
        for n in names:
            df = self._tables.pop(n, None)
            if df is not None:
                df.unpersist()
            self.spark.catalog.dropTempView(n)

    def load(self, name: str, table: Any) -> None:
        df = (
            self.spark.createDataFrame(table)
            if table.num_rows
            else self.spark.createDataFrame([], _schema(table))
        )
        self._keep(name, df)

    def install_identifiers(self) -> None:
        import pyarrow as pa

        from ftzlist.identifiers import contact, resident_id
        from ftzlist.identifiers.sql import AREA_TABLE

        self.load(AREA_TABLE, pa.table({"code": sorted(resident_id.area_codes())}))

        def slow(v: str | None) -> str | None:
            return None if v is None else contact.phone_slow(v, "CN")

        self.spark.udf.register("ftz_phone_slow", slow, "string")

    def connected_components(self, edges: str, nodes: str, out: str) -> None:
        from ftzlist.counting.components import sql_connected_components

        sql_connected_components(self, edges, nodes, out)

    # ------------------------------------------------------------------ files
    def _path(self, f: LogFile) -> str:
        return f.uri or str(f.path.resolve())

    def _delimiter(self, f: LogFile) -> str:
        if f.remote:
            return ","
        import duckdb

        p = str(f.path).replace("'", "''")
        found = duckdb.sql(f"SELECT Delimiter FROM sniff_csv('{p}')").fetchall()
        return found[0][0] if found else ","

    def _reader(self, f: LogFile, *, failfast: bool = False) -> Any:
        r = self.spark.read
        if f.format == "parquet":
            return r.parquet(self._path(f))
        if f.format == "jsonl":
            if f.text_encoding:
                raise InputError("a JSON Lines file on Spark must be UTF-8", where=f.where)
            return r.text(self._path(f))
        opts = {"header": True, "sep": self._delimiter(f), "quote": '"', "escape": '"', "inferSchema": False}
        if f.text_encoding:
            opts["encoding"] = f.text_encoding
        if failfast:
            opts.update(mode="FAILFAST", unescapedQuoteHandling="RAISE_ERROR")
        return r.options(**opts).csv(self._path(f))

    def _error(self, exc: Exception, f: LogFile) -> InputError:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        text = re.sub(r"\[[^\]]*\]\.?\s*$", "", text)  # never quote a record
        return InputError(f"cannot read as {f.format.upper()}: {redact(text[:200])}", where=f.where)

    def file_columns(self, f: LogFile) -> list[str]:
        try:
            if f.format == "csv":
                if not f.remote:
                    return header_cells(f, self._delimiter(f))
                first = self.spark.read.text(self._path(f)).limit(1).collect()
                import csv

                return next(csv.reader([first[0][0]], delimiter=",")) if first else []
            if f.format == "parquet":
                if not f.remote:
                    import pyarrow.parquet as pq

                    return list(pq.read_schema(f.path).names)
                return list(self._reader(f).columns)
            keys = self.spark.read.text(self._path(f)).selectExpr("json_object_keys(value) AS k")
            keys.createOrReplaceTempView("_ftz_keys")
            dup = self.rows("SELECT count(*) FROM _ftz_keys WHERE size(k) <> size(array_distinct(k))")[0][0]
            names = [r[0] for r in self.rows("SELECT DISTINCT explode(k) FROM _ftz_keys ORDER BY 1")]
        except InputError:
            raise
        except Exception as exc:
            raise self._error(exc, f) from None
        if dup:
            line = self.rows(
                f"SELECT min(_line) FROM {self.numbered(f, [])} t WHERE size(json_object_keys(_json)) "
                "<> size(array_distinct(json_object_keys(_json)))"
            )[0][0]
            raise InputError(
                f"line {line}: a JSON object names the same key twice (which value is meant is ambiguous)",
                where=f"{f.where}:{line}",
            )
        return names

    def _select(self, f: LogFile, columns: list[str]) -> list[str]:
        d = self.dialect
        if f.format == "jsonl":
            return [
                f"get_json_object(value, {d.lit('$[' + repr(c) + ']' if not c.isidentifier() else '$.' + c)}) AS {d.q(c)}"
                for c in columns
            ]
        return [f"CAST({d.q(c)} AS STRING) AS {d.q(c)}" for c in columns]

    def _fault(self, f: LogFile, columns: list[str]) -> str:
        d = self.dialect
        nul = " OR ".join(f"contains({d.q(c)}, chr(0))" for c in columns) or "FALSE"
        quote = " OR ".join(f"contains({d.q(c)}, '\"')" for c in columns) if f.format == "csv" else "FALSE"
        return f"CASE WHEN {quote} THEN 1 WHEN {nul} THEN 2 ELSE 0 END"

    def file_relation(self, n: int, f: LogFile, columns: list[str]) -> str:
        self._files[n] = f
        view = f"_ftz_log{n}"
        self._reader(f, failfast=f.format == "csv").createOrReplaceTempView(view)
        cols = ", ".join(self.dialect.q(c) for c in columns)
        return (
            f"SELECT {n} AS _f, {cols}, {self._fault(f, columns)} AS _fault "
            f"FROM (SELECT {', '.join(self._select(f, columns))} FROM {view}) t{n}"
        )

    def numbered(self, f: LogFile, columns: list[str]) -> str:
        """Rows with their line (row) number in the file, through Spark's RDD index (slow path)."""
        if f.row_column:
            self._reader(f).createOrReplaceTempView("_ftz_numbered")
            sel = ", ".join(
                [*self._select(f, columns), f"CAST({self.dialect.q(f.row_column)} AS BIGINT) AS _line"]
            )
            return f"(SELECT *, {self._fault(f, columns)} AS _fault FROM (SELECT {sel} FROM _ftz_numbered) n)"
        df = self._reader(f)
        first = 2 if f.format == "csv" else 1
        indexed = df.rdd.zipWithIndex().map(lambda r: (*r[0], r[1] + first))
        names = [*df.columns, "_line"]
        from pyspark.sql.types import LongType, StructField, StructType

        schema = StructType([*df.schema.fields, StructField("_line", LongType())])
        self.spark.createDataFrame(indexed, schema).toDF(*names).createOrReplaceTempView("_ftz_numbered")
        if f.format == "jsonl":
            sel = ", ".join([*self._select(f, columns), "value AS _json"]) if columns else "value AS _json"
        else:
            sel = ", ".join(self._select(f, columns))
        return (
            f"(SELECT *, {self._fault(f, columns)} AS _fault FROM (SELECT {sel}, _line FROM _ftz_numbered) n)"
        )

    def locate(self, sql: str) -> list[tuple]:
        return self.rows(sql)

    def read_error(self, exc: Exception) -> InputError | None:
        """A file Spark could not parse (a malformed CSV record), named with its line where the
        file is local, never with the record's content; None for any other error."""
        text = str(exc)
        if "MALFORMED" not in text and "FAILED_READ_FILE" not in text:
            return None
        for f in self._files.values():
            if f.format == "csv" and (self._path(f) in text or f.path.name in text):
                line = None if f.remote else _odd_quote_line(f)
                return InputError(
                    (f"line {line}: " if line else "")
                    + 'a double quote (") inside a value: a stray or unbalanced quote in the CSV, which moves '
                    "values between columns; quote whole fields and double any quote inside one",
                    where=f"{f.where}:{line}" if line else f.where,
                )
        return InputError("a log file could not be read: " + redact(text.strip().splitlines()[0][:200]))

    def write_parquet(self, select: str, path: Path) -> None:
        import pyarrow.parquet as pq

        pq.write_table(self.spark.sql(select).toArrow(), path)

    def close(self) -> None:
        for name in list(self._tables):
            self.drop(name)
        if self._temp is not None:
            self._temp.close()
        if self._own:
            self.spark.stop()


def _odd_quote_line(f: LogFile) -> int | None:
    """The first line of a local CSV file holding an odd number of double quotes (an unbalanced
    quote opens a field that never closes)."""
    import gzip

    opener = gzip.open if f.compressed else open
    with opener(f.path, "rt", encoding="utf-8", errors="replace", newline="") as fh:
        for n, line in enumerate(fh, start=1):
            if line.count('"') % 2:
                return n
    return None


def _schema(table: Any) -> Any:
    from pyspark.sql.types import BinaryType, LongType, StringType, StructField, StructType

    types = {"string": StringType(), "int64": LongType(), "binary": BinaryType()}
    return StructType([StructField(f.name, types[str(f.type)]) for f in table.schema])
