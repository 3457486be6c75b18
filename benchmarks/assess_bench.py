"""Benchmark: `ftzlist assess` on generated declarations of 1k, 10k, 100k (and 1M) flows.

Each run is the CLI in a fresh process (`assess FILE --format F -o OUT`), measured from outside:
wall time, CPU time (user + system) and peak resident memory of that process (`wait4`), with the
1-minute load average before and after (the machine is shared: wall time depends on it, CPU time
much less). Prints one row per (flows, format, checks).

    .venv/bin/python benchmarks/assess_bench.py                       # 1k, 10k, 100k; json and jsonl
    .venv/bin/python benchmarks/assess_bench.py --flows 1000000 --formats jsonl
    .venv/bin/python benchmarks/assess_bench.py --flows 10000 --src /tmp/old/src   # another tree

`--src` runs the CLI from another source tree (e.g. `git archive <commit> src | tar -x -C /tmp/old`)
to measure before and after side by side. `--items N` generates one flow of N data items instead
(the 20,000-item declaration of issue 11). The declarations mix scenarios, categories, subjects,
unknown persons and exemption claims of a pharma handler in a zone whose list permits reliance
on other zones' lists (so the cross-zone alternatives are computed, as by default).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftzlist.schema.declaration import Declaration

SCENARIOS = [
    ("pharma.clinical_trial", ["health.clinical_trial", "health.medical_record", "contact.phone"]),
    ("pharma.pharmacovigilance", ["health.adverse_event", "contact.email", "contact.phone"]),
    ("pharma.hcp_engagement", ["professional.healthcare_professional", "contact.email"]),
    ("pharma.rnd", ["business.rnd", "health.medical_record"]),
    ("pharma.other", ["contact.email", "customer.membership", "finance.bank_account"]),
    ("general.hr_management", ["professional.employee", "identity.government_id.resident_id"]),
]
SUBJECTS = ["trial_subject", "patient", "healthcare_professional", "customer", "employee", None]
HANDLER = {
    "name": "Bench Pharma",
    "zone": "fujian-ftz",
    "area": "xiamen",
    "sector": "pharma",
    "enterprise_type": "pharma.chemical_drugs",
    "ciio": False,
    "holdings": {
        "persons_pi": 50_000,
        "persons_sensitive": 20_000,
        "persons_sensitive_accounts_or_medical": 1_000,
    },
}


def flow(i: int, rng: random.Random, items: int | None = None) -> dict:
    scenario, categories = SCENARIOS[i % len(SCENARIOS)]
    data = []
    for k in range(items if items is not None else rng.randint(1, 3)):
        item = {"id": f"d{k}", "category": rng.choice(categories)}
        subject = rng.choice(SUBJECTS)
        if subject:
            item["subject"] = subject
        if rng.random() > 0.02:  # some figures not known yet
            item["persons"] = rng.randint(0, 40)
        data.append(item)
    out = {
        "id": f"flow-{i:07d}",
        "scenario": scenario,
        "recipient": {"name": f"Recipient {i % 50}", "country": rng.choice(["US", "DE", "SG", "JP"])},
        "purpose": "generated",
        "data": data,
    }
    if scenario == "general.hr_management":
        out["exemption"] = "hr_management"
    return out


def generate(n: int, zone: str | None, area: str | None, seed: int = 7) -> Declaration:
    """The declaration of `write_declaration` as a model, placed in `zone`/`area` (benchmarks/web_bench.py)."""
    from ftzlist.schema.declaration import Declaration

    rng = random.Random(seed)
    handler = dict(HANDLER, zone=zone, area=area if zone else None)
    return Declaration.model_validate({"handler": handler, "flows": [flow(i, rng) for i in range(n)]})


def write_declaration(path: Path, flows: int, items: int | None, seed: int = 7) -> None:
    """A declaration of `flows` flows (or one flow of `items` items), written flow by flow."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"handler": ' + json.dumps(HANDLER) + ', "flows": [\n')
        for i in range(flows):
            out.write(("," if i else "") + json.dumps(flow(i, rng, items)) + "\n")
        out.write("]}\n")


def run(src: Path | None, decl: Path, fmt: str, checks: str | None, out: Path, extra: list[str]) -> dict:
    args = [sys.executable, "-c", "from ftzlist.cli import main; main()", "assess", str(decl)]
    args += ["--format", fmt, "--as-of", "2026-06-30", "-o", str(out), "--force"]
    if checks:
        args += ["--checks", checks]
    args += extra
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"assess failed ({code}): {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "out_mb": out.stat().st_size / 1e6,
        "load": (load_before, os.getloadavg()[0]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flows", default="1000,10000,100000", help="comma-separated flow counts")
    ap.add_argument("--items", type=int, default=None, help="one flow of this many data items instead")
    ap.add_argument("--formats", default="json,jsonl", help="comma-separated: json, jsonl")
    ap.add_argument("--checks", default="", help="'fired' or 'all' for every run (default: the format's)")
    ap.add_argument("--src", type=Path, default=None, help="run the CLI from this source tree")
    ap.add_argument("--no-alternatives", action="store_true", help="pass --no-alternatives to assess")
    args = ap.parse_args()
    sizes = [1] if args.items else [int(x) for x in args.flows.split(",")]
    unit = "items" if args.items else "flows"
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, src {args.src or 'installed'}"
        + (", --no-alternatives" if args.no_alternatives else "")
    )
    print(
        f"{'flows':>9} {'items':>9} {'format':>6} {'checks':>7} {'wall s':>8} {'CPU s':>8} "
        f"{unit + '/s wall':>12} {unit + '/s CPU':>11} {'peak MiB':>9} {'out MB':>8}  load 1-min"
    )
    with tempfile.TemporaryDirectory(prefix="assess-bench-") as tmp:
        for n in sizes:
            decl = Path(tmp) / f"decl-{n}.json"
            write_declaration(decl, n, args.items)
            n_items = (
                sum(len(f["data"]) for f in json.loads(decl.read_text())["flows"]) if n <= 100_000 else None
            )
            for fmt in args.formats.split(","):
                extra = ["--no-alternatives"] if args.no_alternatives else []
                r = run(args.src, decl, fmt, args.checks or None, Path(tmp) / f"out.{fmt}", extra)
                checks = args.checks or ("fired" if fmt == "jsonl" else "all")
                items = f"{n_items:,}" if n_items is not None else "~2n"
                units = args.items or n  # the rate is per data item with --items, else per flow
                print(
                    f"{n:>9,} {items:>9} {fmt:>6} {checks:>7} {r['wall']:>8.1f} {r['cpu']:>8.1f} "
                    f"{units / r['wall']:>12,.0f} {units / r['cpu']:>11,.0f} {r['rss_mib']:>9,.0f} {r['out_mb']:>8,.1f}"
                    f"  {r['load'][0]:.1f} -> {r['load'][1]:.1f}",
                    flush=True,
                )
                (Path(tmp) / f"out.{fmt}").unlink()


if __name__ == "__main__":
    main()
