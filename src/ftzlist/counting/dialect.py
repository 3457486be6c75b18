"""The few SQL forms that differ between the engines counting runs on.

Counting is written once, as SQL, and runs on embedded DuckDB or on Spark. Nearly all of it is
common SQL (joins, `GROUP BY ALL`, `FILTER`, window functions, `bool_or`, `bit_or`); what is not
is named here (and, for identifier normalisation, in `ftzlist.identifiers.sql.SqlDialect`), as
methods that return SQL text, so no step of the pipeline spells an engine-specific function.
`Dialect` is DuckDB's, the reference; `ftzlist.counting.spark.SparkDialect` gives the same value
for every input (property tests run the same logs through both engines and compare every figure).

Regular expressions use the subset RE2 (DuckDB) and java.util.regex (Spark) read alike:
character classes, `{m,n}`, groups, alternation, `\\xHH`; no POSIX classes, no look-around.
"""

from __future__ import annotations

from ftzlist.identifiers.sql import SqlDialect

DATE_ONLY = r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
"""A calendar date without a time: read as that day (China Standard Time)."""


class Dialect(SqlDialect):
    """DuckDB's forms (the reference)."""

    bigint = "BIGINT"

    def cell(self, expr: str) -> str:
        """A cell as text, trimmed, NULL when blank."""
        return f"nullif({self.trim_ws(self.as_text(expr))}, '')"

    def day(self, raw: str, fmt: str | None = None) -> str:
        """The China Standard Time day of a text cell (NULL when unreadable).

        Without `fmt`: a date (`YYYY-MM-DD`, also `/` or `.` separated) is that day; a timestamp
        with a UTC offset (`Z`, `+08:00`, `-0500`) is converted to China time first; a timestamp
        without one is read as China time (the engine's session time zone is Asia/Shanghai).
        With `fmt` (strptime codes): parsed with it, `%z` honoured the same way."""
        if fmt is not None:
            return f"CAST(try_strptime({raw}, {self.lit(fmt)}) AS DATE)"
        return (
            f"CASE WHEN {self.full_match(raw, DATE_ONLY)} "
            f"THEN TRY_CAST(replace(replace({raw}, '/', '-'), '.', '-') AS DATE) "
            f"ELSE CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS DATE) END"
        )

    def digest(self, expr: str) -> str:
        """The engine-internal 128-bit digest of a text expression (never output)."""
        return f"md5_number({expr})"

    def digest_hex(self, expr: str) -> str:
        """A digest as the 32 hex digits of the MD5 (what is HMAC-ed for output; the same text on
        every engine). `md5_number` reads the MD5's bytes little-endian: they are put back in order."""
        parts = ", ".join(f"printf('%02x', CAST(({expr} >> {8 * i}) & 255 AS INTEGER))" for i in range(16))
        return f"concat({parts})"

    def hash64(self, exprs: list[str]) -> str:
        """A BIGINT hash (63 bits) of several nullable expressions (descriptive combinations)."""
        return f"CAST(hash({', '.join(exprs)}) & 9223372036854775807 AS BIGINT)"

    def utf8(self, expr: str) -> str:
        return f"encode({expr})"

    def sha256_hex(self, expr: str) -> str:
        return f"sha256({expr})"

    def row_ids(self) -> str:
        """Distinct BIGINT ids for the rows of a SELECT (dense here; Spark's are not)."""
        return "row_number() OVER ()"

    def starts_with(self, expr: str, prefix: str) -> str:
        return f"starts_with({expr}, {self.lit(prefix)})"


DUCKDB = Dialect()
