"""Helpers for the authoring tests: the CLI run the way `ftzlist.cli.main` runs it."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from ftzlist.cli import app
from ftzlist.errors import EXIT_INVALID, InputError

_runner = CliRunner()


@dataclass
class Run:
    exit_code: int
    output: str


def cli(*args: str) -> Run:
    """Bad input ends as `main` ends it: the message and exit code 2, never a traceback."""
    r = _runner.invoke(app, list(args), catch_exceptions=True, env={"COLUMNS": "200"})
    if isinstance(r.exception, InputError):
        return Run(EXIT_INVALID, r.output + "error: " + r.exception.render() + "\n")
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return Run(r.exit_code, r.output)
