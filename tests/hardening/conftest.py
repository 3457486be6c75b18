"""Fixtures for the hardening tests: a small valid declaration and a CLI runner that goes through
`ftzlist.cli.main` (the console script), so exit codes and messages are the ones users get."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DECLARATION = """\
as_of: 2026-03-31
handler:
  name: Test Co
  zone: fujian-ftz
  area: xiamen
  sector: pharma
  ciio: false
flows:
  - id: f1
    scenario: pharma.pharmacovigilance
    recipient: {name: Safety Ltd, country: GB}
    purpose: adverse event reporting
    data:
      - {category: health.adverse_event, subject: patient, persons: 12000}
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Run:
    """Run `ftzlist ARGS` in a fresh interpreter (no terminal: stdout is a pipe)."""
    import os

    proc = subprocess.run(
        [sys.executable, "-c", "from ftzlist.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", **(env or {})},
        cwd=cwd,
        timeout=300,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_main(*args: str, monkeypatch: pytest.MonkeyPatch | None = None) -> Run:
    """`ftzlist ARGS` in this process through `main()` (faster; no terminal)."""
    from ftzlist.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        sys.stdout, sys.stderr = old
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def declaration(tmp_path: Path) -> Path:
    p = tmp_path / "decl.yaml"
    p.write_text(DECLARATION, encoding="utf-8")
    return p
