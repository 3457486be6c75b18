"""Benchmark `ftzlist count` against the bare reference pipeline on the same generated log.

Generates the log if missing (DuckDB, into /tmp, never the repo), then runs, one after the other,
each in its own process under /usr/bin/time:

- `ftzlist count LOG --mapping mapping.yaml --format json` (validation, normalisation, linking
  with evidence, exemptions, all breakdowns, crossing dates), and
- `benchmarks/count_reference.py LOG` (a DuckDB query for the distinct counts and crossing dates
  plus scipy connected components on raw values),

and prints wall time and peak resident memory side by side.

    python benchmarks/count_bench.py --rows 10000000
    python benchmarks/count_bench.py --rows 50000000 --skip-reference
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from count_generate import MAPPING, generate  # noqa: E402


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB, stdout."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB=%M", *cmd], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr[-3000:]}")
    kb = int(re.findall(r"MAXRSS_KB=(\d+)", p.stderr)[-1])
    return wall, kb / 1024, p.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/ftz-bench"))
    ap.add_argument("--as-of", default="2025-12-31")
    ap.add_argument("--skip-reference", action="store_true")
    ap.add_argument("--memory-limit", default="2500MB")
    args = ap.parse_args()
    log = args.dir / f"log{args.rows}.parquet"
    mapping = args.dir / "mapping.yaml"
    if not log.exists():
        t = time.perf_counter()
        generate(args.rows, log)
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - t:.0f} s: {log} ({log.stat().st_size / 2**20:.0f} MiB)"
        )
    mapping.write_text(MAPPING)
    env = {**os.environ, "FTZLIST_HASH_KEY": "benchmark-key-0123456789"}
    ftz = [
        str(Path(sys.executable).with_name("ftzlist")),
        "count",
        str(log),
        "--mapping",
        str(mapping),
        "--as-of",
        args.as_of,
        "--format",
        "json",
        "--memory-limit",
        args.memory_limit,
    ]
    wall, rss, out = timed(ftz, env)
    res = json.loads(out)
    rows = [("ftzlist count", wall, rss, res["totals"])]
    if not args.skip_reference:
        rwall, rrss, rout = timed(
            [sys.executable, str(HERE / "count_reference.py"), str(log), "--as-of", args.as_of], env
        )
        rows.append(("reference (DuckDB + scipy)", rwall, rrss, json.loads(rout)["totals"]))
    print(f"\n{args.rows:,} rows, {os.cpu_count()} cores")
    print(f"{'pipeline':<28}{'wall s':>10}{'peak MiB':>12}  totals")
    for name, w, r, tot in rows:
        print(f"{name:<28}{w:>10.1f}{r:>12.0f}  {tot}")
    if len(rows) == 2:
        print(
            f"ratio ftzlist/reference: wall {rows[0][1] / rows[1][1]:.2f}x, memory {rows[0][2] / rows[1][2]:.2f}x"
        )
    crossings = [
        (c["sensitivity"], c["threshold"], c["crossed_on"], c["projected_on"]) for c in res["crossings"]
    ]
    print("crossings:", crossings)
    q = res["quality"]
    print(
        f"linked groups {q['linked_groups']:,}, doubtful {q['doubtful_groups']:,}, rows without linking id "
        f"{q['rows_without_linking_identifier']:,}"
    )


if __name__ == "__main__":
    main()
