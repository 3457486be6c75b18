"""Benchmark `ftzlist scan` against a straightforward per-value Python loop over the same detectors.

    .venv/bin/python benchmarks/scan_benchmark.py                 # 10M rows x 12 columns
    .venv/bin/python benchmarks/scan_benchmark.py --rows 1000000  # quicker

Generates a 12-column table (identity numbers, names, phones, e-mail, cards, plates, IPs,
coordinates, addresses, free text, amounts, order numbers) in /tmp (not the repo), then, each in a
fresh process so memory figures are its own:

- scan: the whole `scan()` (read, detect, person facts, findings) over every row;
- loop: for each value, `classify_scalar` (every detector's scalar form, in the same claiming
  order), a count per column and kind, and a Python set of normalised identifiers per column for
  the person counts: the same job, one value at a time. It runs over the first --loop-rows rows
  (a full 120M-value loop takes about half an hour); values/second is a rate either way.

Prints values/second for both (wall clock and CPU time), the ratio, and each process's peak resident
memory; the scan runs again with a small DuckDB memory limit to show that memory stays bounded (the
distinct-person state spills to disk). No assertions: figures go in docs/discovery.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 21)
CHUNK = 1_000_000


def generate(path: Path, rows: int) -> None:
    import pyarrow.parquet as pq

    from ftzlist.discovery.synthetic import benchmark_table

    tmp = path.with_suffix(".tmp")
    writer = None
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        t = benchmark_table(n, seed=7 + done // CHUNK)
        if writer is None:
            writer = pq.ParquetWriter(tmp, t.schema)
        writer.write_table(t, row_group_size=262_144)
        done += n
    assert writer is not None
    writer.close()
    tmp.rename(path)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_scan(path: Path, sample: int | None, memory_limit: str = "384MB") -> dict:
    from ftzlist.discovery.readers import open_source
    from ftzlist.discovery.scanner import ScanOptions, scan

    t0, c0 = time.perf_counter(), time.process_time()
    with open_source(str(path)) as src:
        report = scan(src, ScanOptions(as_of=AS_OF, sample=sample, memory_limit=memory_limit))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    values = report.rows_scanned * len(report.columns)
    return {
        "mode": ("scan" if sample is None else f"scan --sample {sample}") + f" ({memory_limit})",
        "rows": report.rows_scanned,
        "values": values,
        "seconds": round(seconds, 2),
        "values_per_second": round(values / seconds),
        "cpu_seconds": round(cpu, 2),
        "values_per_cpu_second": round(values / cpu),
        "peak_rss_mb": round(peak_mb()),
        "findings": {c.name: [f.kind for f in c.findings] for c in report.columns},
        "persons": {p.column: p.distinct_persons for p in report.persons},
    }


def run_loop(path: Path, rows: int) -> dict:
    """The per-value baseline: what one would write without vectorising."""
    import pyarrow.parquet as pq

    from ftzlist.discovery.detectors import DETECTORS, Context, classify_scalar
    from ftzlist.discovery.hints import hint_for
    from ftzlist.identifiers import contact, resident_id

    normalise = {
        ("identity_number", 0): resident_id.normalise_resident_id,
        ("phone", 0): contact.normalise_phone,
        ("email", 0): contact.normalise_email,
    }
    t0, c0 = time.perf_counter(), time.process_time()
    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    ctxs = []
    for name in names:
        h = hint_for(name)
        ctxs.append(Context(AS_OF, h[0].kind if h else None))
    counts: dict[tuple[str, str, int], int] = {}
    persons: dict[str, set[str]] = {}
    seen = 0
    for batch in pf.iter_batches(batch_size=65_536):
        take = min(batch.num_rows, rows - seen)
        if take <= 0:
            break
        batch = batch.slice(0, take)
        seen += take
        for name, ctx, col in zip(names, ctxs, batch.columns, strict=True):
            for value in col.to_pylist():
                if value is None:
                    continue
                got = classify_scalar(str(value), ctx)
                if got is None:
                    continue
                key = (name, *got)
                counts[key] = counts.get(key, 0) + 1
                norm = normalise.get(got)
                if norm is not None:
                    k = norm(value)
                    if k is not None:
                        persons.setdefault(name, set()).add(k)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    values = seen * len(names)
    assert DETECTORS
    return {
        "mode": "per-value loop",
        "rows": seen,
        "values": values,
        "seconds": round(seconds, 2),
        "values_per_second": round(values / seconds),
        "cpu_seconds": round(cpu, 2),
        "values_per_cpu_second": round(values / cpu),
        "peak_rss_mb": round(peak_mb()),
        "persons": {k: len(v) for k, v in persons.items()},
    }


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--loop-rows", type=int, default=200_000)
    ap.add_argument("--sample", type=int, default=100_000, help="also time a seeded sample of this size")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/ftzlist-scan-bench"))
    ap.add_argument("--memory-limit", default="384MB", help="DuckDB memory limit for the scan")
    ap.add_argument(
        "--low-memory", default="64MB", help="also scan with this limit to show memory is bounded"
    )
    ap.add_argument("--mode", choices=["scan", "sample", "loop", "generate"], help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.mode == "scan":
        print(json.dumps(run_scan(a.path, None, a.memory_limit), ensure_ascii=False))
        return
    if a.mode == "sample":
        print(json.dumps(run_scan(a.path, a.sample), ensure_ascii=False))
        return
    if a.mode == "generate":
        generate(a.path, a.rows)
        return
    if a.mode == "loop":
        print(json.dumps(run_loop(a.path, a.loop_rows), ensure_ascii=False))
        return
    a.dir.mkdir(parents=True, exist_ok=True)
    path = a.dir / f"table-{a.rows}.parquet"
    if not path.exists():
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--mode", "generate", "--path", str(path), "--rows", str(a.rows)],
            check=True,
        )
        print(f"generated {a.rows:,} rows x 12 columns in {time.perf_counter() - t0:.0f} s: {path}")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    loop = child(["--mode", "loop", "--path", str(path), "--loop-rows", str(a.loop_rows)])
    scan = child(["--mode", "scan", "--path", str(path), "--memory-limit", a.memory_limit])
    low = (
        child(["--mode", "scan", "--path", str(path), "--memory-limit", a.low_memory])
        if a.low_memory
        else None
    )
    sample = child(["--mode", "sample", "--path", str(path), "--sample", str(a.sample)]) if a.sample else None
    for r in (scan, low, sample, loop):
        if r:
            print(
                f"{r['mode']:>34}: {r['values']:>12,} values in {r['seconds']:>8.2f} s wall = "
                f"{r['values_per_second']:>10,} values/s; {r['cpu_seconds']:>8.2f} s CPU = "
                f"{r['values_per_cpu_second']:>10,} values/CPU-s; peak RSS {r['peak_rss_mb']:,} MB"
            )
    wall = scan["values_per_second"] / loop["values_per_second"]
    cpu = scan["values_per_cpu_second"] / loop["values_per_cpu_second"]
    print(f"speed-up of the scan over the per-value loop: {wall:.1f}x wall clock, {cpu:.1f}x CPU time")
    print("scan findings:", json.dumps(scan["findings"], ensure_ascii=False))
    print("scan persons:", json.dumps(scan["persons"], ensure_ascii=False))
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
