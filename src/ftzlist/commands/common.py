"""Options and helpers shared by the command modules (the CLI layer may read the clock and env)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.loader import Law

ListsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--lists", help="Extra list files or folders (added to the bundled lists).", show_default=False
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Assessment date, YYYY-MM-DD (default: the declaration's as_of, else today).",
        show_default=False,
    ),
]


def parse_date(value: str, what: str = "--as-of") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what}: '{value}' is not a date in the form YYYY-MM-DD") from None


def law(extra: list[Path] | None) -> Law:
    from ftzlist.loader import load_law

    return load_law(extra or ())


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=False)
