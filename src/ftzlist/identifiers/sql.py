"""The same normalisation as `identity_key`, as set-based SQL (DuckDB), for whole columns.

Usage::

    from ftzlist.identifiers import sql
    sql.install(con)                      # area-code table + libphonenumber fallback function
    q = sql.keys_query("resident_id", "SELECT DISTINCT id_no AS raw FROM t")
    con.sql(q)                            # -> columns raw, key  (key NULL = invalid)

`keys_query(kind, relation)` takes any SQL relation with a VARCHAR column `raw` (and `country` for
passports) and returns a query giving each `raw` (and `country`) with the namespaced key that
`identity_key` gives for it: value for value, which a test checks on generated input. Run it
over DISTINCT values and join back: normalising each distinct value once is what makes it fast.

Each step is a CTE column computed once (DuckDB macros would re-expand nested arguments). The
only call back into Python is the phone fallback (`ftz_phone_slow`), reached only by values the
mainland-mobile rule does not recognise. A distributed engine gets the same queries from its
adapter; only `install` is engine-specific.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from ftzlist.identifiers import contact, documents, resident_id
from ftzlist.identifiers.kinds import Kind

AREA_TABLE = "ftz_area_codes"
_ASCII = r"[\x00-\x7F]*"


class SqlDialect:
    """The SQL forms identifier normalisation needs, as DuckDB spells them. An engine whose SQL
    differs (Spark) passes a subclass; every query below is built only through these methods."""

    name = "duckdb"
    text = "VARCHAR"

    @staticmethod
    def q(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    @staticmethod
    def lit(value: object) -> str:
        if value is None:
            return "NULL"
        return "'" + str(value).replace("'", "''") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        return f"regexp_full_match({expr}, {self.lit(pattern)})"

    def matches(self, expr: str, pattern: str) -> str:
        return f"regexp_matches({expr}, {self.lit(pattern)})"

    def replace_all(self, expr: str, pattern: str, replacement: str = "") -> str:
        return f"regexp_replace({expr}, {self.lit(pattern)}, {self.lit(replacement)}, 'g')"

    def extract(self, expr: str, pattern: str, group: int = 1) -> str:
        """The group's text; '' when there is no match."""
        return f"regexp_extract({expr}, {self.lit(pattern)}, {group})"

    def trim_ws(self, expr: str) -> str:
        """Leading and trailing blanks (space, tab, LF, CR, form feed) removed."""
        return f"trim({expr}, ' ' || chr(9) || chr(10) || chr(13) || chr(12))"

    def as_text(self, expr: str) -> str:
        return f"CAST({expr} AS {self.text})"

    def upper_ascii(self, expr: str) -> str:
        """Upper-cased when every character is ASCII (identifiers in other scripts kept as written)."""
        return f"CASE WHEN {self.full_match(expr, _ASCII)} THEN upper({expr}) ELSE {expr} END"

    def yyyymmdd_valid(self, expr: str) -> str:
        """TRUE when `expr` (8 digits) is a real calendar date written YYYYMMDD."""
        return f"try_strptime({expr}, '%Y%m%d') IS NOT NULL"

    def to_int(self, expr: str) -> str:
        return f"TRY_CAST({expr} AS INTEGER)"


DUCKDB = SqlDialect()


def _cls(chars: str) -> str:
    """A regex character class for `chars`."""
    return "[" + re.escape(chars) + "]"


def _compact(d: SqlDialect, expr: str, chars: str) -> str:
    """Separators removed."""
    return d.replace_all(expr, _cls(chars))


def _check_char(col: str) -> str:
    terms = " + ".join(
        f"{w} * (ascii(substr({col}, {i + 1}, 1)) - 48)" for i, w in enumerate(resident_id.WEIGHTS)
    )
    return f"substr('{resident_id.CHECK_CHARS}', (({terms}) % 11) + 1, 1)"


def _rid_stages(d: SqlDialect, src: str, col: str, extra: str) -> list[tuple[str, str]]:
    """CTEs taking `col` (already compacted, upper-cased) of `src` to `rid` (canonical or NULL)."""
    hmt = ", ".join(f"'{a}'" for a in resident_id.HMT_AREAS)
    return [
        (
            "r1",
            f"SELECT {extra}, CASE WHEN {d.full_match(col, '[0-9]{15}')} "
            f"THEN substr({col}, 1, 6) || '19' || substr({col}, 7) "
            f"WHEN {d.full_match(col, '[0-9]{17}[0-9X]')} THEN {col} END AS n0 FROM {src}",
        ),
        ("r2", f"SELECT {extra}, n0, {_check_char('n0')} AS chk FROM r1"),
        (
            "r3",
            f"SELECT {extra}, CASE WHEN length(n0) = 17 THEN n0 || chk ELSE n0 END AS n, chk FROM r2",
        ),
        (
            "r4",
            f"SELECT {extra}, CASE WHEN n IS NOT NULL AND substr(n, 18, 1) = chk "
            f"AND (substr(n, 1, 1) = '9' OR substr(n, 1, 6) IN ({hmt}) OR a.code IS NOT NULL) "
            f"AND {d.yyyymmdd_valid('substr(n, 7, 8)')} "
            f"AND {d.to_int('substr(n, 7, 4)')} >= {resident_id.MIN_BIRTH_YEAR} THEN n END AS rid "
            f"FROM r3 LEFT JOIN {AREA_TABLE} a ON a.code = substr(r3.n, 1, 6)",
        ),
    ]


def _with(ctes: list[tuple[str, str]], final: str) -> str:
    return "WITH " + ",\n".join(f"{name} AS ({body})" for name, body in ctes) + "\n" + final


def keys_query(kind: Kind | str, relation: str, *, namespace: str = "", dialect: SqlDialect = DUCKDB) -> str:
    """SQL giving `raw` (and `country` for passports) with `key`, the namespaced normalised key
    (NULL when invalid). `relation` is a table name or a parenthesised-able SELECT."""
    d = dialect
    kind = Kind(kind)
    src = f"src_{kind.value}"
    base = [(src, f"SELECT * FROM ({relation}) {src}_r")]
    extra = "raw, country" if kind is Kind.passport else "raw"
    doc_c = [
        ("c0", f"SELECT {extra}, {_compact(d, d.as_text('raw'), documents.STRIP_CHARS)} AS c0 FROM {src}")
    ]
    doc_c.append(("c1", f"SELECT {extra}, {d.upper_ascii('c0')} AS c FROM c0"))
    if kind is Kind.resident_id:
        ctes = [
            *base,
            (
                "c0",
                f"SELECT raw, {_compact(d, d.as_text('raw'), resident_id.STRIP_CHARS)} AS c0 FROM {src}",
            ),
            ("c1", f"SELECT raw, {d.upper_ascii('c0')} AS c FROM c0"),
            *_rid_stages(d, "c1", "c", "raw"),
        ]
        return _with(ctes, "SELECT raw, 'rid:' || rid AS key FROM r4")
    if kind is Kind.passport:
        ctes = [
            *base,
            *doc_c,
            ("p1", f"SELECT raw, country, c, {d.trim_ws(d.as_text('country'))} AS k0 FROM c1"),
            ("p2", f"SELECT raw, country, c, {d.upper_ascii('k0')} AS k FROM p1"),
        ]
        final = (
            f"SELECT raw, country, CASE WHEN {d.full_match('k', '[A-Z]{2,3}')} "
            f"AND {d.full_match('c', '[A-Z0-9]{5,17}')} AND {d.matches('c', '[0-9]')} "
            "THEN 'pp:' || k || ':' || c END AS key FROM p2"
        )
        return _with(ctes, final)
    if kind in (Kind.hmt_permit, Kind.foreign_pr):
        prefix, pattern = (
            ("hmt", documents.HMT_PERMIT.pattern)
            if kind is Kind.hmt_permit
            else ("fpr", documents.FOREIGN_PR_2004.pattern)
        )
        eighteen = "length(c) = 18" if kind is Kind.hmt_permit else "length(c) = 18 AND substr(c, 1, 1) = '9'"
        ctes = [
            *base,
            *doc_c,
            ("d1", f"SELECT raw, c, CASE WHEN {eighteen} THEN c END AS c18 FROM c1"),
            *_rid_stages(d, "d1", "c18", "raw, c, c18"),
        ]
        final = (
            f"SELECT raw, CASE WHEN c18 IS NOT NULL THEN 'rid:' || rid "
            f"WHEN {d.full_match('c', pattern[1:-1])} THEN '{prefix}:' || c END AS key FROM r4"
        )
        return _with(ctes, final)
    if kind is Kind.phone:
        ctes = [
            *base,
            ("t0", f"SELECT raw, {_compact(d, d.as_text('raw'), contact.PHONE_STRIP_CHARS)} AS c FROM {src}"),
            ("t1", f"SELECT raw, c, {d.extract('c', contact.CN_MOBILE)} AS m FROM t0"),
        ]
        final = (
            "SELECT raw, 'tel:' || CASE WHEN c IS NULL THEN NULL WHEN m <> '' THEN '+86' || m "
            "ELSE ftz_phone_slow(c) END AS key FROM t1"
        )
        return _with(ctes, final)
    if kind is Kind.email:
        ctes = [*base, ("e0", f"SELECT raw, lower({d.trim_ws(d.as_text('raw'))}) AS e FROM {src}")]
        final = f"SELECT raw, CASE WHEN {d.full_match('e', contact.EMAIL[1:-1])} THEN 'mail:' || e END AS key FROM e0"
        return _with(ctes, final)
    prefix = "cust" if kind is Kind.customer_id else "dev"
    return _with(
        base,
        f"SELECT raw, {d.lit(prefix + ':' + namespace + ':')} || nullif({d.trim_ws(d.as_text('raw'))}, '') AS key FROM {src}",
    )


def install(con: Any, *, region: str = "CN") -> None:
    """Create the area-code table and the `ftz_phone_slow` fallback in a DuckDB connection."""
    import duckdb
    import pyarrow as pa

    codes = pa.table({"code": sorted(resident_id.area_codes())})
    con.register("ftz_area_codes_arrow", codes)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {AREA_TABLE} AS SELECT code FROM ftz_area_codes_arrow")
    con.unregister("ftz_area_codes_arrow")

    def _slow(values):  # annotations omitted: DuckDB inspects them
        return pa.array(
            [None if v is None else contact.phone_slow(v, region) for v in values.to_pylist()],
            type=pa.string(),
        )

    with contextlib.suppress(duckdb.Error):
        con.remove_function("ftz_phone_slow")
    con.create_function(
        "ftz_phone_slow",
        _slow,
        [duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        type="arrow",
        side_effects=False,
        null_handling="special",
    )
