"""Robustness figures (issue 11): generated inputs of every family through the CLI, and how each run
ended. Prints the table and, with --write, puts it into docs/robustness.md between its markers.

    .venv/bin/python benchmarks/robustness_figures.py --examples 300 --write

The inputs and the judgement are the fuzz suite's (tests/fuzz/families.py): the suite runs a few
dozen draws per family in CI and fails on the first problem; this script runs many more and counts.
Draws are derandomised: the same --examples gives the same inputs.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
DOC = ROOT / "docs" / "robustness.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def run_family(name: str, examples: int, base_inventory: bytes) -> dict[str, object]:
    from hypothesis import HealthCheck, Phase, given, settings

    from fuzz.families import FAMILIES, run_case

    strategy = FAMILIES[name](base_inventory) if name == "inventories" else FAMILIES[name]()
    tally: collections.Counter[str] = collections.Counter()
    examples_of: dict[str, str] = {}
    started = time.monotonic()

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def draw(case):  # type: ignore[no-untyped-def]
        with tempfile.TemporaryDirectory(prefix="ftzlist-fuzz-") as tmp:
            outcome = run_case(case, Path(tmp))
        tally["inputs"] += 1
        if outcome.code in (0, 1, 2):
            tally[f"exit {outcome.code}"] += 1
        found = {
            "crash": outcome.code not in (0, 1, 2) or any("traceback" in p for p in outcome.problems),
            "leak": any(p.startswith("identifier") for p in outcome.problems),
            "changed": any(p.startswith("input changed") for p in outcome.problems),
            "unnamed": any(p.startswith("exit 2 without") for p in outcome.problems),
        }
        for kind, hit in found.items():
            if hit:
                tally[kind] += 1
                examples_of.setdefault(kind, f"{' '.join(case.argv)}: {'; '.join(outcome.problems)[:200]}")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        draw()
    return {"family": name, "seconds": time.monotonic() - started, "tally": tally, "examples": examples_of}


def table(results: list[dict[str, object]]) -> str:
    head = "| family | inputs tried | exit 0 | exit 1 | exit 2 | crashes | leaks | inputs changed | exit 2 unnamed | seconds |"
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    rows = [head, rule]
    total: collections.Counter[str] = collections.Counter()
    for r in results:
        t = r["tally"]
        total.update(t)  # type: ignore[arg-type]
        rows.append(
            f"| {r['family']} | {t['inputs']:,} | {t['exit 0']:,} | {t['exit 1']:,} | {t['exit 2']:,} | "  # type: ignore[index]
            f"{t['crash']:,} | {t['leak']:,} | {t['changed']:,} | {t['unnamed']:,} | {r['seconds']:.0f} |"  # type: ignore[index]
        )
    rows.append(
        f"| **all** | {total['inputs']:,} | {total['exit 0']:,} | {total['exit 1']:,} | {total['exit 2']:,} | "
        f"{total['crash']:,} | {total['leak']:,} | {total['changed']:,} | {total['unnamed']:,} | "
        f"{sum(float(r['seconds']) for r in results):.0f} |"  # type: ignore[arg-type]
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="draws per family")
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    parser.add_argument("--write", action="store_true", help="write the table into docs/robustness.md")
    args = parser.parse_args()

    from fuzz.families import FAMILIES, inventory_bytes

    base = inventory_bytes(Path(tempfile.mkdtemp(prefix="ftzlist-fuzz-inv-")))
    results = [run_family(name, args.examples, base) for name in (args.family or list(FAMILIES))]
    text = table(results)
    print(text)
    for r in results:
        for kind, example in r["examples"].items():  # type: ignore[union-attr]
            print(f"  {r['family']} {kind}: {example}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    load = os.getloadavg()[0]
    stamp = (
        f"{len(results)} families, {args.examples} draws each (`benchmarks/robustness_figures.py --examples "
        f"{args.examples}`), commit {commit or 'unknown'}, {dt.date.today()}, load average {load:.1f} on "
        f"{os.cpu_count()} cores."
    )
    print(stamp)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        a, b = doc.index(START) + len(START), doc.index(END)
        DOC.write_text(doc[:a] + "\n" + text + "\n\n" + stamp + "\n" + doc[b:], encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
