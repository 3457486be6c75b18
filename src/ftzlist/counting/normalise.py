"""Step 2: identifiers normalised (distinct values only) and reduced to digests; the row table.

Per identifier column, each distinct raw value of the in-window rows goes through
`ftzlist.identifiers.sql` once and becomes a 128-bit digest of its normalised key (NULL when
invalid), flagged when it is exclusive (a resident-identity number) and given a node id. The row
table (`rows`) then carries, per in-window row, its day, descriptive combination and the node id
of each linking identifier; raw values end there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ftzlist.counting import hashing
from ftzlist.counting.reading import date_sql, dim_exprs, in_window
from ftzlist.counting.result import ColumnQuality
from ftzlist.identifiers import sql as idsql

if TYPE_CHECKING:
    from ftzlist.counting.pipeline import CountRun


def _col(run: CountRun, column: str) -> str:
    return run.d.cell(f"s.{run.d.q(column)}")


def country(run: CountRun, ic) -> str:
    if ic.country_column:
        return _col(run, ic.country_column)
    return run.d.lit(ic.country)


def dictionaries(run: CountRun) -> list[ColumnQuality]:
    """Per identifier column `dict{n}(raw[, country], h, x, nid)`; node tables `snode` (strong
    identifiers share one id space) and `wnode` (linking weak ones): `(h, excl, c, nid)`."""
    e, d = run.e, run.d
    i_pad, o_pad = hashing.pads(run.key)
    import pyarrow as pa

    e.load(
        "ftz_key", pa.table({"ipad": pa.array([i_pad], pa.binary()), "opad": pa.array([o_pad], pa.binary())})
    )
    window = in_window(run, date_sql(run))
    quality = []
    for n, ic in enumerate(run.ids):
        quality.append(ColumnQuality(label=ic.label, kind=ic.kind.value, links=ic.links))
        if not ic.links and not run.m.linking.check_unlinked:
            continue  # not needed for counting; validated only on request
        col = _col(run, ic.column)
        extra = f", {country(run, ic)} AS country" if ic.kind.value == "passport" else ""
        rel = f"SELECT DISTINCT {col} AS raw{extra} FROM src s WHERE {col} IS NOT NULL AND {window}"
        keys = idsql.keys_query(ic.kind, rel, namespace=ic.namespace, dialect=d)
        e.create(
            f"dict{n}",
            f"SELECT raw{', country' if extra else ''}, {d.digest('key')} AS h, "
            f"coalesce({d.starts_with('key', 'rid:')}, FALSE) AS x FROM ({keys}) k",
        )
    for name, cols in (("snode", run.strong), ("wnode", run.weak)):
        union = " UNION ALL ".join(f"SELECT h, x, {n} AS c FROM dict{n} WHERE h IS NOT NULL" for n in cols)
        if not cols:
            union = f"SELECT {d.digest(d.lit(''))} AS h, FALSE AS x, 0 AS c WHERE FALSE"
        e.create(
            name,
            f"SELECT h, excl, c, CAST({d.row_ids()} - 1 AS {d.bigint}) AS nid "
            f"FROM (SELECT h, bool_or(x) AS excl, min(c) AS c FROM ({union}) u GROUP BY h) g",
        )
        for n in cols:
            e.create(f"dict{n}", f"SELECT t.*, s.nid FROM dict{n} t LEFT JOIN {name} s ON s.h = t.h")
    return quality


def rows(run: CountRun) -> None:
    """`rows(d, dimh, [rn,] n{k}..., p, xn, bits, fp)`: the in-window rows with the node id of each
    linking identifier, their first strong node `p` and first exclusive node `xn`, a bit per
    column whose value was present but invalid, and a digest of the whole row for rows without a
    strong identifier."""
    m, d = run.m, run.d
    joins, cols, bits = [], [], []
    for n, ic in enumerate(run.ids):
        if not ic.links:
            continue  # non-linking columns: quality from their dictionary, no join needed
        col = _col(run, ic.column)
        on = f"d{n}.raw = {col}"
        if ic.kind.value == "passport":
            on += f" AND d{n}.country IS NOT DISTINCT FROM {country(run, ic)}"
        joins.append(f"LEFT JOIN dict{n} d{n} ON {on}")
        cols.append(f"d{n}.nid AS n{n}")
        bits.append(
            f"CASE WHEN {col} IS NULL THEN 0 WHEN d{n}.h IS NULL THEN {1 << (2 * n + 1)} ELSE {1 << (2 * n)} END"
        )
    all_raw = " || chr(31) || ".join(f"coalesce({d.as_text(f's.{d.q(c)}')}, chr(30))" for c in m.columns())
    st = run.strong
    p_sql = ("coalesce(" + ", ".join(f"d{n}.nid" for n in st) + ")") if st else f"CAST(NULL AS {d.bigint})"
    x_sql = (
        ("coalesce(" + ", ".join(f"CASE WHEN d{n}.x THEN d{n}.nid END" for n in st) + ")")
        if st
        else f"CAST(NULL AS {d.bigint})"
    )
    dims = dim_exprs(run)
    run.e.create(
        "rows",
        f"""SELECT {date_sql(run)} AS d, {d.hash64(list(dims.values()))} AS dimh,{f" {d.row_ids()} AS rn," if run.weak else ""}
               {"".join(c + ", " for c in cols)}{p_sql} AS p, {x_sql} AS xn, CAST({" + ".join(bits) or "0"} AS {d.bigint}) AS bits,
               CASE WHEN {p_sql} IS NULL THEN {d.digest("'row' || chr(31) || " + all_raw)} END AS fp
        FROM src s {" ".join(joins)}
        WHERE {in_window(run, date_sql(run))}""",
    )
