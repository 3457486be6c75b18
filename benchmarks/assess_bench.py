"""Benchmark: assess one generated declaration of N flows with full explanations.

Prints flows/second for `decide()` alone and for the JSON dump, and the peak memory.
Run: .venv/bin/python benchmarks/assess_bench.py [--flows 100000] [--zone fujian-ftz --area xiamen]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time

from ftzlist.engine import decide
from ftzlist.loader import load_law
from ftzlist.schema.declaration import Declaration

MIX = [
    ("pharma.clinical_trial", "health.clinical_trial", "trial_subject"),
    ("pharma.pharmacovigilance", "health.adverse_event", "patient"),
    ("pharma.hcp_engagement", "professional.healthcare_professional", "healthcare_professional"),
    ("pharma.other", "contact.email", "customer"),
    ("general.hr_management", "professional.employee", "employee"),
    ("pharma.rnd", "business.rnd", None),
]


def generate(n: int, zone: str | None, area: str | None, seed: int = 7) -> Declaration:
    rng = random.Random(seed)
    flows = []
    for i in range(n):
        scenario, category, subject = MIX[i % len(MIX)]
        data = [
            {"id": f"d{k}", "category": category, "subject": subject, "persons": rng.randint(0, 20)}
            for k in range(rng.randint(1, 3))
        ]
        flow = {
            "id": f"flow-{i:06d}",
            "scenario": scenario,
            "recipient": {"name": f"Recipient {i % 50}", "country": rng.choice(["US", "DE", "SG", "JP"])},
            "purpose": "generated",
            "data": data,
        }
        if scenario == "general.hr_management":
            flow["exemption"] = "hr_management"
        flows.append(flow)
    handler = {
        "name": "Bench Pharma",
        "zone": zone,
        "area": area,
        "sector": "pharma",
        "enterprise_type": "pharma.chemical_drugs",
        "ciio": False,
        "holdings": {
            "persons_pi": 50_000,
            "persons_sensitive": 20_000,
            "persons_sensitive_accounts_or_medical": 1_000,
        },
    }
    return Declaration.model_validate({"handler": handler, "flows": flows})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--flows", type=int, default=100_000)
    ap.add_argument("--zone", default="fujian-ftz")
    ap.add_argument("--area", default="xiamen")
    args = ap.parse_args()
    zone = None if args.zone in ("", "none") else args.zone
    law = load_law()
    t0 = time.perf_counter()
    decl = generate(args.flows, zone, args.area if zone else None)
    t1 = time.perf_counter()
    ds = decide(decl, law, dt.date(2026, 6, 30))
    t2 = time.perf_counter()
    payload = ds.model_dump_json()
    t3 = time.perf_counter()
    checks = sum(len(f.checks) for f in ds.flows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"flows: {args.flows:,}  data items: {sum(len(f.data) for f in decl.flows):,}  zone: {zone or 'none (national)'}"
    )
    print(f"generate+validate: {t1 - t0:.2f} s")
    print(
        f"decide:            {t2 - t1:.2f} s  -> {args.flows / (t2 - t1):,.0f} flows/s  ({checks:,} rule checks explained)"
    )
    print(f"json dump:         {t3 - t2:.2f} s  ({len(payload) / 1e6:,.1f} MB)")
    print(f"end to end:        {args.flows / (t3 - t1):,.0f} flows/s   peak RSS {peak:,.0f} MiB")
    print(f"pathways: {ds.summary}")


if __name__ == "__main__":
    main()
