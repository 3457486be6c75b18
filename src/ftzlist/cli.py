"""The `ftzlist` command: a thin Typer app over the modules below it.

Each sub-command lives in `ftzlist.commands.<name>` and exposes `register(app)`. Command modules
import heavy libraries inside the command functions, so `ftzlist --help` starts fast.
"""

from __future__ import annotations

import importlib
import sys

import typer

from ftzlist.errors import EXIT_INVALID, InputError

app = typer.Typer(
    name="ftzlist",
    help="China cross-border data export: national rules and FTZ negative lists, with reasons.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

COMMAND_MODULES = (
    *("assess", "lists", "listtools", "compare", "schema", "scan", "count", "report", "template"),
    *("filings", "due", "calendar"),
    "pack",
    *("serve", "accounts"),
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"ftzlist.commands.{_name}").register(app)


def main() -> None:
    """Console-script entry point: bad input is a message and exit code 2, never a traceback."""
    try:
        app()
    except InputError as exc:
        sys.stderr.write(f"error: {exc.render()}\n")
        raise SystemExit(EXIT_INVALID) from None
