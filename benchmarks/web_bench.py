"""Benchmark: the workspace under load, on a real server on 127.0.0.1 (SQLite register in a
temporary folder). A 50-flow declaration (the generator of assess_bench.py) is stored once; then:

- p50/p95 latency of the assessment page and of the API's assessment, cold (the assessment cache
  emptied before each request, so the engine runs every time) and warm (cached decision, page or
  JSON rendering only);
- requests/second with 16 concurrent clients, for the page and for the API (warm).

Bounded: a fixed number of requests, loopback only. Run:
  .venv/bin/python benchmarks/web_bench.py [--flows 50] [--requests 60] [--clients 16] [--per-client 25]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests" / "web"))
from web_support import PASSWORD, make_app, serving  # noqa: E402


def _generator():
    spec = importlib.util.spec_from_file_location("assess_bench", HERE / "assess_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.generate


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def timed(fn, n: int, before=None) -> list[float]:
    out = []
    for _ in range(n):
        if before:
            before()
        t = time.perf_counter()
        r = fn()
        out.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    return out


def line(name: str, ms: list[float]) -> str:
    return f"{name:<34} n={len(ms):<4} p50 {statistics.median(ms):8.1f} ms   p95 {pct(ms, 0.95):8.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--flows", type=int, default=50)
    ap.add_argument("--requests", type=int, default=60, help="sequential requests per latency figure")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-client", type=int, default=25, help="requests per client in the throughput runs")
    args = ap.parse_args()

    decl = _generator()(args.flows, "fujian-ftz", "xiamen")
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{Path(tmp) / 'register.sqlite3'}", Path(tmp))
        ws = app.state.workspace
        token = ws.accounts.create_token("viewer", "bench")
        decl_id = ws.save_declaration(decl, ws.accounts.by_token(token))
        with serving(app) as base:
            page = f"/declarations/{decl_id}?as_of=2026-06-30"
            api = f"/api/v1/declarations/{decl_id}/assessment?as_of=2026-06-30"
            bearer = {"Authorization": f"Bearer {token}"}

            def session() -> httpx.Client:
                c = httpx.Client(base_url=base, timeout=120)
                form = c.get("/login").text
                csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                c.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": csrf})
                return c

            browser = session()
            script = httpx.Client(base_url=base, timeout=120, headers=bearer)
            assert browser.get(page).status_code == 200 and script.get(api).status_code == 200
            print(f"declaration: {args.flows} flows, as of 2026-06-30; server: uvicorn on 127.0.0.1, SQLite")
            print(
                line(
                    "assessment page, cold",
                    timed(lambda: browser.get(page), args.requests, ws.forget_assessments),
                )
            )
            print(line("assessment page, warm", timed(lambda: browser.get(page), args.requests)))
            print(
                line(
                    "API assessment JSON, cold",
                    timed(lambda: script.get(api), args.requests, ws.forget_assessments),
                )
            )
            print(line("API assessment JSON, warm", timed(lambda: script.get(api), args.requests)))

            for name, make, path in (
                ("assessment page", session, page),
                ("API assessment", lambda: httpx.Client(base_url=base, timeout=120, headers=bearer), api),
            ):
                clients = [make() for _ in range(args.clients)]
                barrier = threading.Barrier(args.clients)

                def run(c: httpx.Client, path: str = path, barrier: threading.Barrier = barrier) -> int:
                    barrier.wait()
                    for _ in range(args.per_client):
                        c.get(path).raise_for_status()
                    return args.per_client

                t = time.perf_counter()
                with ThreadPoolExecutor(args.clients) as pool:
                    done = sum(pool.map(run, clients))
                elapsed = time.perf_counter() - t
                print(
                    f"{name + ', ' + str(args.clients) + ' clients (warm)':<34} {done} requests in {elapsed:5.1f} s: {done / elapsed:7.1f} requests/s"
                )
                for c in clients:
                    c.close()
        app.state.counts.close()
        ws.close()


if __name__ == "__main__":
    main()
