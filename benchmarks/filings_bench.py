"""Register write throughput: complete Fujian filings (open, notice, filing with 5 items, opinion),
one process, then the due screen query.

    .venv/bin/python benchmarks/filings_bench.py [SQLALCHEMY_URL] [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import load_law

CONTENT = FiledContent.model_validate(
    {
        "purpose": "group HR",
        "recipient": {"name": "Parent GmbH", "country": "DE"},
        "items": [{"id": f"item{i}", "category": "pi.employment", "persons": 10 * i} for i in range(1, 6)],
    }
)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    reg = Register.open(
        url, calendar=bundled_calendar(), procedures=ProcedureBook.from_law(load_law()), actor="bench"
    )
    reg.ensure_handler("bench", "Bench")
    t0 = time.perf_counter()
    for j in range(n):
        flow = f"f{j}-{time.time_ns()}"
        reg.add_flow("bench", flow)
        key = reg.open_proceeding("bench", flow, "fj.list_filing", dt.date(2026, 3, 2))
        reg.record_step(key, "area_notice", dt.date(2026, 3, 3))
        reg.record_filing(key, dt.date(2026, 3, 4), CONTENT)
        reg.record_opinion(key, dt.date(2026, 3, 6), "off_list")
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = reg.due(dt.date(2028, 12, 1))
    query = time.perf_counter() - t0
    print(
        f"{url.split(':')[0]}: {n} complete filings in {write:.2f} s ({n / write:.1f}/s, 5 transactions each)"
    )
    print(f"due screen over {len(rows)} open items: {query * 1000:.0f} ms")


if __name__ == "__main__":
    main()
