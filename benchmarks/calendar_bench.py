"""How fast working-day counts are: every procedure period from every day of 2019-2026.

.venv/bin/python benchmarks/calendar_bench.py
"""

from __future__ import annotations

import datetime as dt
import time

from ftzlist.calendar import bundled_calendar


def main() -> None:
    t0 = time.perf_counter()
    cal = bundled_calendar()
    load = time.perf_counter() - t0
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(2922)]
    t0 = time.perf_counter()
    n = 0
    for d in days:
        for k in (1, 5, 7, 10, 15, 45, 60, -60):
            cal.add_working_days(d, k)
            n += 1
    count = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in days:
        cal.add_period(d, years=3)
    period = time.perf_counter() - t0
    print(f"load 8 calendar years: {load * 1000:.1f} ms")
    print(f"{n:,} working-day counts: {count:.2f} s ({n / count:,.0f}/s)")
    print(f"{len(days):,} 3-year periods (Art. 203, years 2022-2029 partly provisional): {period:.2f} s")


if __name__ == "__main__":
    main()
