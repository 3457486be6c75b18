"""Helpers shared by the workspace tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from ftzlist.web.app import create_app
from ftzlist.web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "xiamen-pharma.yaml"
PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "editor", "approver", "admin")
HASH_KEY = b"workspace-test-key-0123456789abcdef"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(db_url: str, tmp_path: Path, **settings):
    settings.setdefault("hash_key", HASH_KEY)
    app = create_app(WebSettings(db_url=db_url, work_dir=tmp_path / "work", **settings))
    accounts = app.state.workspace.accounts
    for role in ROLES:
        accounts.add_user(role, PASSWORD, role, actor="test-setup")
    return app


def client(app) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", follow_redirects=False)


def login(c: TestClient, name: str, password: str = PASSWORD):
    page = c.get("/login")
    token = CSRF.search(page.text).group(1)
    return c.post(
        "/login", data={"username": name, "password": password, "csrf_token": token, "next": "/declarations"}
    )


def signed_in(app, role: str) -> tuple[TestClient, str]:
    c = client(app)
    r = login(c, role)
    assert r.status_code == 303, r.text
    page = c.get("/declarations")
    return c, CSRF.search(page.text).group(1)


def upload_example(c: TestClient, csrf: str, path: Path = EXAMPLE) -> int:
    r = c.post(
        "/declarations/upload",
        files={"file": (path.name, path.read_bytes(), "application/yaml")},
        data={"csrf_token": csrf},
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, *, timeout_s: float = 20.0):
    """Run `app` under uvicorn on a free loopback port in a thread; yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout_s)
