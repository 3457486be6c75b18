"""Counting in the workspace: logs and a mapping uploaded, the count run in the background with
its progress polled (HTMX fragment), results with crossing dates and a chart; the hash key is the
server's; no raw identifier is stored, shown or left on disk; the uploads are deleted."""

from __future__ import annotations

import re
import time

from sqlalchemy import text
from web_support import client, make_app, signed_in

from ftzlist.identifiers.resident_id import check_char

MAPPING = b"""version: 1
date: {column: date}
flow: {column: flow}
category: {column: category}
identifiers:
  - {kind: resident_id, column: rid}
"""


def rid(seq: int) -> str:
    first = f"350203{19900101}{seq:03d}"
    return first + check_char(first)


def log_csv(persons: int, flow: str = "pv", encoding: str = "utf-8") -> bytes:
    lines = ["date,flow,category,rid"]
    for n in range(persons):
        day = f"2026-{1 + n % 3:02d}-{1 + n % 27:02d}"
        lines.append(f"{day},{flow},health.adverse_event,{rid(n)}")
        lines.append(f"{day},{flow},health.adverse_event,{rid(n)}")  # the same person twice
    return ("\n".join(lines) + "\n").encode(encoding)


def wait_done(c, run_id: int, timeout_s: float = 120) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        r = c.get(f"/counting/{run_id}/progress", headers={"HX-Request": "true"})
        assert r.status_code == 200
        assert re.search(r'<progress max="100" value="\d+"', r.text)
        if "HX-Refresh" in r.headers:
            return r.text
        time.sleep(0.2)
    raise AssertionError("the count run did not finish")


def test_count_run_in_the_background(app, clients):
    c, csrf = clients["editor"]
    files = [
        ("logs", ("exports-q1.csv", log_csv(700, "药物警戒", "gb18030"), "text/csv")),
        ("mapping", ("mapping.yaml", MAPPING, "application/yaml")),
    ]
    data = {"csrf_token": csrf, "title": "Q1 safety reports", "as_of": "2026-03-31", "encoding": "gb18030"}
    r = c.post("/counting", files=files, data=data)
    assert r.status_code == 303, r.text[:800]
    run_id = int(r.headers["location"].rsplit("/", 1)[1])
    page = c.get(f"/counting/{run_id}").text
    assert 'id="progress"' in page
    fragment = wait_done(c, run_id)
    assert "done" in fragment, fragment
    page = c.get(f"/counting/{run_id}").text
    assert 'id="crossings"' in page and "700" in page
    assert "exports-q1.csv" in page  # the name uploaded, not the private copy
    charts = re.findall(r'src="(/counting/\d+/chart/\d+\.png)"', page)
    assert charts
    png = c.get(charts[0])
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    run = app.state.counts.get(run_id)
    assert run.state == "done" and run.progress == 100
    assert run.result["totals"]["any"] == 700
    assert [b["flow"] for b in run.result["by_flow"]] == ["药物警戒"]  # read as GB18030
    crossing = [x for x in run.result["crossings"] if x["crossed_on"]]
    assert crossing, run.result["crossings"]
    stored = str(run.result) + page
    for n in (0, 1, 350, 699):
        assert rid(n) not in stored and rid(n)[:14] not in stored
    with app.state.workspace.engine.connect() as conn:
        dump = " ".join(
            str(row) for t in ("count_runs", "audit_log") for row in conn.execute(text(f"SELECT * FROM {t}"))
        )
    assert rid(5) not in dump
    work = app.state.workspace.settings.work_dir
    assert not any(work.glob("count-*")) and not any(work.rglob("*.csv"))
    audit = app.state.workspace.register(
        __import__("ftzlist.web.accounts", fromlist=["x"]).Principal(0, "t", "viewer")
    ).audit(table="count_runs")
    assert audit and audit[0].actor == "editor"


def test_a_bad_mapping_is_named_and_nothing_is_kept(app, clients):
    c, csrf = clients["editor"]
    files = [
        ("logs", ("exports.csv", log_csv(3), "text/csv")),
        (
            "mapping",
            (
                "my-mapping.yaml",
                b"version: 1\ndate: {column: date}\nflow: {colum: flow}\n",
                "application/yaml",
            ),
        ),
    ]
    r = c.post("/counting", files=files, data={"csrf_token": csrf})
    assert r.status_code == 400 and "my-mapping.yaml" in r.text
    assert not any(app.state.workspace.settings.work_dir.glob("count-*"))
    files[1] = ("mapping", ("m.yaml", MAPPING, "application/yaml"))
    files[0] = ("logs", ("exports.exe", b"MZ", "application/octet-stream"))
    r = c.post("/counting", files=files, data={"csrf_token": csrf})
    assert r.status_code == 400 and "exports.exe" in r.text
    files[0] = ("logs", ("exports.csv", log_csv(3), "text/csv"))
    r = c.post("/counting", files=files, data={"csrf_token": csrf, "encoding": "latin-9"})
    assert r.status_code == 400 and "encoding: one of utf-8, gb18030, gbk" in r.text


def test_a_failing_run_ends_failed_and_cleans_up(app, clients):
    c, csrf = clients["editor"]
    files = [
        ("logs", ("broken.parquet", b"not parquet at all", "application/octet-stream")),
        ("mapping", ("m.yaml", MAPPING, "application/yaml")),
    ]
    r = c.post("/counting", files=files, data={"csrf_token": csrf, "as_of": "2026-03-31"})
    assert r.status_code == 303
    run_id = int(r.headers["location"].rsplit("/", 1)[1])
    wait_done(c, run_id)
    run = app.state.counts.get(run_id)
    assert run.state == "failed" and run.message and "broken.parquet" in run.message
    assert "count-" not in run.message and "log-000" not in run.message
    assert not any(app.state.workspace.settings.work_dir.glob("count-*"))


def test_counting_is_off_without_a_server_key(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, hash_key=None)
    try:
        c, csrf = signed_in(app, "editor")
        assert "--hash-key-file" in c.get("/counting").text
        files = [
            ("logs", ("a.csv", b"x\n", "text/csv")),
            ("mapping", ("m.yaml", MAPPING, "application/yaml")),
        ]
        r = c.post("/counting", files=files, data={"csrf_token": csrf})
        assert r.status_code == 400 and "no hash key" in r.text
        assert client(app).get("/counting").status_code == 303
    finally:
        app.state.counts.close()
        app.state.workspace.close()
