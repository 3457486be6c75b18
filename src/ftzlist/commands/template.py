"""`ftzlist template xlsx`: the inventory workbook a compliance team fills in instead of YAML."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import ForceOption, ListsOption, console, escape, law, output_path, replacing


class Kind(StrEnum):
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command(name="template")(template)


def template(
    kind: Annotated[Kind, typer.Argument(help="What to write: xlsx (the inventory workbook).")] = Kind.xlsx,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="FILE", help="Where to write the workbook.")
    ] = Path("inventory.xlsx"),
    from_: Annotated[
        Path | None,
        typer.Option("--from", help="Fill the workbook in from this declaration (YAML, JSON or XLSX)."),
    ] = None,
    lists: ListsOption = None,
    force: ForceOption = False,
) -> None:
    """Write the inventory workbook: handler, flows and data-items sheets, drop-down lists of zones,
    sectors, scenarios, categories, subject types, exemptions and pathways, notes in Chinese and
    English. `ftzlist assess FILE.xlsx` reads it back like a YAML declaration."""
    from ftzlist.excel.template import write_template

    target = output_path(out, inputs=[from_] if from_ else [], force=force, what="workbook")
    the_law = law(lists)
    decl = None
    if from_ is not None:
        from ftzlist.loader import load_declaration

        decl = load_declaration(from_, the_law)
    with replacing(target) as tmp:
        write_template(the_law, tmp, decl)
    console(stderr=True).print(f"wrote {escape(target)}")
