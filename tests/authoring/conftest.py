"""Helpers for the authoring tests: the CLI run exactly as `ftzlist` runs it (`ftzlist.cli.main`)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from ftzlist.cli import main


@dataclass
class Run:
    exit_code: int
    output: str


def cli(*args: str) -> Run:
    """`ftzlist ARGS` in this process: stdout and stderr together, the exit code main() gives."""
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, out.getvalue())
