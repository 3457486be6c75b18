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

_WS = "' ' || chr(9) || chr(10) || chr(13) || chr(12)"
AREA_TABLE = "ftz_area_codes"


def _cls(chars: str) -> str:
    """A regex character class for `chars`, as an SQL string literal."""
    return "'[" + re.escape(chars).replace("'", "''") + "]'"


def _compact(expr: str, chars: str) -> str:
    """Separators removed, upper-cased when ASCII (two-stage to evaluate the replace once)."""
    return f"regexp_replace({expr}, {_cls(chars)}, '', 'g')"


def _upper_ascii(col: str) -> str:
    return f"CASE WHEN regexp_full_match({col}, '[[:ascii:]]*') THEN upper({col}) ELSE {col} END"


def _check_char(col: str) -> str:
    terms = " + ".join(
        f"{w} * (ascii(substr({col}, {i + 1}, 1)) - 48)" for i, w in enumerate(resident_id.WEIGHTS)
    )
    return f"substr('{resident_id.CHECK_CHARS}', (({terms}) % 11) + 1, 1)"


def _rid_stages(src: str, col: str, extra: str) -> list[tuple[str, str]]:
    """CTEs taking `col` (already compacted, upper-cased) of `src` to `rid` (canonical or NULL)."""
    hmt = ", ".join(f"'{a}'" for a in resident_id.HMT_AREAS)
    return [
        (
            "r1",
            f"SELECT {extra}, CASE WHEN regexp_full_match({col}, '[0-9]{{15}}') "
            f"THEN substr({col}, 1, 6) || '19' || substr({col}, 7) "
            f"WHEN regexp_full_match({col}, '[0-9]{{17}}[0-9X]') THEN {col} END AS n0 FROM {src}",
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
            f"AND try_strptime(substr(n, 7, 8), '%Y%m%d') IS NOT NULL "
            f"AND CAST(substr(n, 7, 4) AS INTEGER) >= {resident_id.MIN_BIRTH_YEAR} THEN n END AS rid "
            f"FROM r3 LEFT JOIN {AREA_TABLE} a ON a.code = substr(r3.n, 1, 6)",
        ),
    ]


def _with(ctes: list[tuple[str, str]], final: str) -> str:
    return "WITH " + ",\n".join(f"{name} AS ({body})" for name, body in ctes) + "\n" + final


def keys_query(kind: Kind | str, relation: str, *, namespace: str = "") -> str:
    """SQL giving `raw` (and `country` for passports) with `key`, the namespaced normalised key
    (NULL when invalid). `relation` is a table name or a parenthesised-able SELECT."""
    kind = Kind(kind)
    src = f"src_{kind.value}"
    base = [(src, f"SELECT * FROM ({relation})")]
    extra = "raw, country" if kind is Kind.passport else "raw"
    doc_c = [
        ("c0", f"SELECT {extra}, {_compact('CAST(raw AS VARCHAR)', documents.STRIP_CHARS)} AS c0 FROM {src}")
    ]
    doc_c.append(("c1", f"SELECT {extra}, {_upper_ascii('c0')} AS c FROM c0"))
    if kind is Kind.resident_id:
        ctes = [
            *base,
            (
                "c0",
                f"SELECT raw, {_compact('CAST(raw AS VARCHAR)', resident_id.STRIP_CHARS)} AS c0 FROM {src}",
            ),
            ("c1", f"SELECT raw, {_upper_ascii('c0')} AS c FROM c0"),
            *_rid_stages("c1", "c", "raw"),
        ]
        return _with(ctes, "SELECT raw, 'rid:' || rid AS key FROM r4")
    if kind is Kind.passport:
        ctes = [
            *base,
            *doc_c,
            ("p1", f"SELECT raw, country, c, trim(CAST(country AS VARCHAR), {_WS}) AS k0 FROM c1"),
            ("p2", f"SELECT raw, country, c, {_upper_ascii('k0')} AS k FROM p1"),
        ]
        final = (
            "SELECT raw, country, CASE WHEN regexp_full_match(k, '[A-Z]{2,3}') "
            "AND regexp_full_match(c, '[A-Z0-9]{5,17}') AND regexp_matches(c, '[0-9]') "
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
            *_rid_stages("d1", "c18", "raw, c, c18"),
        ]
        final = (
            f"SELECT raw, CASE WHEN c18 IS NOT NULL THEN 'rid:' || rid "
            f"WHEN regexp_full_match(c, '{pattern[1:-1]}') THEN '{prefix}:' || c END AS key FROM r4"
        )
        return _with(ctes, final)
    if kind is Kind.phone:
        ctes = [
            *base,
            (
                "t0",
                f"SELECT raw, {_compact('CAST(raw AS VARCHAR)', contact.PHONE_STRIP_CHARS)} AS c FROM {src}",
            ),
            ("t1", f"SELECT raw, c, regexp_extract(c, '{contact.CN_MOBILE}', 1) AS m FROM t0"),
        ]
        final = (
            "SELECT raw, 'tel:' || CASE WHEN c IS NULL THEN NULL WHEN m <> '' THEN '+86' || m "
            "ELSE ftz_phone_slow(c) END AS key FROM t1"
        )
        return _with(ctes, final)
    if kind is Kind.email:
        ctes = [*base, ("e0", f"SELECT raw, lower(trim(CAST(raw AS VARCHAR), {_WS})) AS e FROM {src}")]
        final = f"SELECT raw, CASE WHEN regexp_full_match(e, '{contact.EMAIL[1:-1]}') THEN 'mail:' || e END AS key FROM e0"
        return _with(ctes, final)
    prefix = "cust" if kind is Kind.customer_id else "dev"
    ns = namespace.replace("'", "''")
    return _with(
        base,
        f"SELECT raw, '{prefix}:{ns}:' || nullif(trim(CAST(raw AS VARCHAR), {_WS}), '') AS key FROM {src}",
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
