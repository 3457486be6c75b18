"""The bare reference pipeline `ftzlist count` is measured against (issue 3): one DuckDB query
set for the distinct counts and crossing dates, scipy's connected components for the linking.

No validation, no normalisation (raw values compared as written), no evidence, no exemption
handling beyond a filter, no privacy step: the floor the real pipeline's cost is compared with.

    python benchmarks/count_reference.py LOG.parquet --as-of 2025-12-31
"""

from __future__ import annotations

import argparse
import json
import time

import duckdb
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

STRONG = ["id_no", "passport_country || ':' || passport_no", "hmt_permit", "customer_id"]
THRESHOLDS = {"non_sensitive": [100_000, 1_000_000], "sensitive": [10_000]}


def run(path: str, as_of: str) -> dict:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = false")
    year = as_of[:4]
    con.execute(
        f"""CREATE TABLE r AS SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS rid, export_date AS d, flow, sens,
               ground, {", ".join(f"{c} AS k{i}" for i, c in enumerate(STRONG))}
        FROM read_parquet('{path}') WHERE export_date BETWEEN DATE '{year}-01-01' AND DATE '{as_of}'"""
    )
    n_rows = con.execute("SELECT count(*) FROM r").fetchone()[0]
    unpivot = " UNION ALL ".join(
        f"SELECT rid, '{i}:' || k{i} AS v FROM r WHERE k{i} IS NOT NULL" for i in range(len(STRONG))
    )
    con.execute(
        f"CREATE TABLE ids AS SELECT v, CAST({n_rows} + row_number() OVER () - 1 AS INTEGER) AS nid FROM (SELECT DISTINCT v FROM ({unpivot}))"
    )
    n_ids = con.execute("SELECT count(*) FROM ids").fetchone()[0]
    e = con.execute(f"SELECT u.rid AS a, ids.nid AS b FROM ({unpivot}) u JOIN ids USING (v)").fetchnumpy()
    n = n_rows + n_ids
    g = coo_matrix((np.ones(len(e["a"]), dtype=np.int8), (e["a"], e["b"])), shape=(n, n)).tocsr()
    _, labels = connected_components(g, directed=True, connection="weak")
    con.register("lab", {"rid": np.arange(n_rows, dtype=np.int32), "person": labels[:n_rows]})
    con.execute("CREATE TABLE p AS SELECT r.*, lab.person FROM r JOIN lab USING (rid)")
    counted = "ground IS NULL"
    out: dict = {"totals": {}, "by_flow": {}, "crossings": {}}
    for axis, s in (("sensitive", "S"), ("non_sensitive", "N")):
        out["totals"][axis] = con.execute(
            f"SELECT count(DISTINCT person) FROM p WHERE {counted} AND sens = '{s}'"
        ).fetchone()[0]
        out["by_flow"][axis] = dict(
            con.execute(
                f"SELECT flow, count(DISTINCT person) FROM p WHERE {counted} AND sens = '{s}' GROUP BY flow ORDER BY flow"
            ).fetchall()
        )
        series = con.execute(
            f"""SELECT d, sum(count(*)) OVER (ORDER BY d) FROM (SELECT person, min(d) AS d FROM p
                WHERE {counted} AND sens = '{s}' GROUP BY person) GROUP BY d ORDER BY d"""
        ).fetchall()
        for t in THRESHOLDS[axis]:
            out["crossings"][f"{axis}>={t}"] = next((str(d) for d, c in series if c >= t), None)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--as-of", default="2025-12-31")
    args = ap.parse_args()
    t = time.perf_counter()
    out = run(args.log, args.as_of)
    out["seconds"] = round(time.perf_counter() - t, 2)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
