"""Generate a synthetic export log for `ftzlist count` benchmarks (Parquet or CSV), in DuckDB.

Realistic mix: a quarter as many persons as rows; three source systems each showing a person
under different identifiers (core: resident ID or passport/permit + phone; travel: passport +
phone + e-mail; CRM: customer id + phone + e-mail); 3% legacy 15-digit IDs, 0.5% corrupted check
characters, a shared switchboard number on 0.05% of rows, 2% exempt rows, dates over one year.

    python benchmarks/count_generate.py --rows 10000000 --out /tmp/ftz-bench/log10m.parquet
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from ftzlist.identifiers.sql import _check_char

MAPPING = """\
date: {column: export_date}
flow: {column: flow}
data_item: {column: item}
sensitivity: {column: sens, values: {S: sensitive, N: non_sensitive}}
exemption: {column: ground, values: {HR: cbdf-art5-2}}
identifiers:
  - {kind: resident_id, column: id_no}
  - {kind: passport, column: passport_no, country_column: passport_country}
  - {kind: hmt_permit, column: hmt_permit}
  - {kind: customer_id, column: customer_id, namespace: crm}
  - {kind: phone, column: mobile}
  - {kind: email, column: email}
"""


def generate(rows: int, out: Path, year: int = 2025, seed: int = 7) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = false")
    persons = max(1, rows // 4)
    areas = "['110105', '310104', '350203', '440305', '510107', '320102', '330106', '420106']"
    fmt = "parquet" if out.suffix == ".parquet" else "csv"
    con.execute(
        f"""COPY (
        WITH r AS (
          SELECT i, CAST(hash(i, {seed}) >> 1 AS BIGINT) AS hr,
                 CAST(hash(CAST(hash(i, {seed}) >> 1 AS BIGINT) % {persons}, {seed} + 1) >> 1 AS BIGINT) AS hp,
                 CAST(hash(i, {seed}) >> 1 AS BIGINT) % {persons} AS p
          FROM range({rows}) t(i)
        ), a AS (
          SELECT i, p, hr, hp, hr % 3 AS sys,
                 {areas}[1 + hp % 8] AS area,
                 DATE '1950-01-01' + CAST((hp >> 8) % 20000 AS INTEGER) AS birth,
                 lpad(CAST((hp >> 24) % 1000 AS VARCHAR), 3, '0') AS seq,
                 (hp >> 34) % 100 AS doc, (hp >> 41) % 100 AS has_mail, (hp >> 48) % 100 AS has_cust
          FROM r
        ), b AS (
          SELECT *, area || strftime(birth, '%Y%m%d') || seq AS n17 FROM a
        ), c AS (
          SELECT *, n17 || {_check_char("n17")} AS rid18 FROM b
        )
        SELECT
          DATE '{year}-01-01' + CAST((hr >> 20) % 365 AS INTEGER) AS export_date,
          'flow-' || CAST((hr >> 30) % 5 AS VARCHAR) AS flow,
          ['contact', 'account', 'health', 'travel', 'order', 'location', 'device', 'profile'][1 + (hr >> 35) % 8] AS item,
          CASE WHEN (hr >> 35) % 8 IN (1, 2, 5) THEN 'S' ELSE 'N' END AS sens,
          CASE WHEN (hr >> 40) % 100 < 2 THEN 'HR' END AS ground,
          CASE WHEN sys = 2 OR doc >= 90 THEN NULL
               WHEN sys = 1 AND doc < 20 THEN NULL
               WHEN (hr >> 44) % 1000 < 5 THEN substr(rid18, 1, 17) || CASE WHEN substr(rid18, 18, 1) = '0' THEN '1' ELSE '0' END
               WHEN (hr >> 44) % 100 < 3 AND birth < DATE '2000-01-01' THEN substr(rid18, 1, 6) || substr(rid18, 9, 9)
               ELSE rid18 END AS id_no,
          CASE WHEN sys <> 2 AND doc < 20 THEN 'E' || lpad(CAST(p % 100000000 AS VARCHAR), 8, '0') END AS passport_no,
          CASE WHEN sys <> 2 AND doc < 20 THEN ['CN', 'US', 'GB', 'SG', 'JP'][1 + p % 5] END AS passport_country,
          CASE WHEN sys = 0 AND doc >= 90 THEN 'H' || lpad(CAST(p % 100000000 AS VARCHAR), 8, '0') END AS hmt_permit,
          CASE WHEN sys = 2 AND has_cust < 90 THEN 'C' || CAST(p AS VARCHAR) END AS customer_id,
          CASE WHEN (hr >> 50) % 10000 < 5 THEN '021-6888' || '8888'
               WHEN (hp >> 55) % 100 < 95 THEN '1' || CAST(3 + (p % 7) AS VARCHAR) || lpad(CAST((p * 7919) % 1000000000 AS VARCHAR), 9, '0') END AS mobile,
          CASE WHEN sys > 0 AND has_mail < 50 THEN CASE WHEN hr % 2 = 0 THEN 'User' ELSE 'user' END || CAST(p AS VARCHAR) || '@example.com' END AS email
        FROM c
        ) TO '{out}' (FORMAT {fmt})"""
    )
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/ftz-bench/log10m.parquet"))
    args = ap.parse_args()
    t = time.perf_counter()
    generate(args.rows, args.out)
    args.out.with_name("mapping.yaml").write_text(MAPPING)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
