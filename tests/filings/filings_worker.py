"""A separate process writing to the register, for the reliability tests.

python filings_worker.py URL WORKER N          record N complete filings
python filings_worker.py URL WORKER hang       write inside one transaction, print FLUSHED, hang
python filings_worker.py URL WORKER loop       record filings until killed
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from filings_support import fixture_book

from ftzlist.calendar import bundled_calendar
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import Register

CONTENT = FiledContent.model_validate(
    {
        "purpose": "group HR",
        "recipient": {"name": "Parent GmbH", "country": "DE"},
        "items": [{"id": f"item{i}", "category": "pi.employment", "persons": 10 * i} for i in range(1, 6)],
    }
)


def one_filing(reg: Register, worker: str, j: int) -> str:
    flow = f"{worker}-{j}"
    reg.add_flow("shared", flow)
    key = reg.open_proceeding("shared", flow, "fj.list_filing", dt.date(2026, 3, 2))
    reg.record_step(key, "area_notice", dt.date(2026, 3, 3))
    reg.record_filing(key, dt.date(2026, 3, 4), CONTENT)
    return key


def main() -> None:
    url, worker, mode = sys.argv[1:4]
    migrate = sys.argv[4:5] == ["migrate"]  # several processes opening a fresh database at once
    reg = Register.open(
        url, calendar=bundled_calendar(), procedures=fixture_book(), actor=f"worker-{worker}", migrate=migrate
    )
    if migrate:
        reg.ensure_handler("shared", "Shared Handler")
    if mode == "hang":
        with reg._session("hang") as s:  # one transaction that never commits
            from ftzlist.filings.models import Flow, Handler

            h = s.query(Handler).filter_by(key="shared").one()
            for j in range(200):
                s.add(Flow(handler_id=h.id, key=f"{worker}-hang-{j}", created_at=reg.clock()))
            s.flush()
            print("FLUSHED", flush=True)
            time.sleep(120)
        return
    if mode == "loop":
        j = 0
        while True:
            one_filing(reg, worker, j)
            print(j, flush=True)
            j += 1
    for j in range(int(mode)):
        one_filing(reg, worker, j)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
