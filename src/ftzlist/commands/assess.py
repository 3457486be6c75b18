"""`ftzlist assess`: judge declarations and say, per flow, what it needs and why."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import AsOfOption, ListsOption, console, law, parse_date
from ftzlist.errors import EXIT_OK, EXIT_UNDETERMINED, InputError


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    app.command(name="assess")(assess)


def assess(
    files: Annotated[
        list[Path], typer.Argument(help="Declaration files (YAML or JSON).", show_default=False)
    ],
    as_of: AsOfOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="Output format; json is the stable machine interface.")
    ] = Format.table,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every rule checked, fired or not.")
    ] = False,
    lists: ListsOption = None,
    accept_suggestions: Annotated[
        bool,
        typer.Option("--accept-suggestions", help="Treat data items drafted by `ftzlist scan` as confirmed."),
    ] = False,
    alternatives: Annotated[
        bool,
        typer.Option(
            "--alternatives/--no-alternatives",
            help="Where the handler's zone list permits relying on other zones' lists, name lighter paths there.",
        ),
    ] = True,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="With --format xlsx: the workbook (default FILE-decisions.xlsx)."),
    ] = None,
    logs: Annotated[
        list[str] | None,
        typer.Option(
            "--logs",
            help="Export logs (files, globs, folders; repeatable) to fill persons from: see `ftzlist count`.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="With --logs: the mapping YAML.", show_default=False)
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file", help="With --logs: HMAC key file (else $FTZLIST_HASH_KEY).", show_default=False
        ),
    ] = None,
) -> None:
    """Assess declarations: pathway, obligations, reasons with citations, headroom, what is missing.

    Exit code 0 when every flow is determined, 1 when any flow is undetermined, 2 on invalid input.
    """
    from ftzlist.compare import cross_zone_alternatives
    from ftzlist.engine import decide
    from ftzlist.loader import load_declaration

    the_law = law(lists)
    results = []
    for path in files:
        decl = load_declaration(path, the_law)
        unreviewed = decl.suggested_items()
        if unreviewed and not accept_suggestions:
            raise InputError(
                "data items drafted by `ftzlist scan` are not reviewed yet (remove `suggested: true` once "
                "checked, or pass --accept-suggestions)",
                where=str(path),
                problems=unreviewed,
            )
        day = parse_date(as_of) if as_of else (decl.as_of or dt.date.today())
        if logs:  # persons from the export logs (ftzlist count), cited in the decision
            from ftzlist.commands.count import fill_from_logs
            from ftzlist.counting.fill import cite_counts

            decl = fill_from_logs(
                decl, logs=logs, mapping=mapping, key_file=key_file, day=day, the_law=the_law
            )
        decision = cross_zone_alternatives(decl, the_law, day) if alternatives else decide(decl, the_law, day)
        results.append(cite_counts(decision, decl) if logs else decision)
    if fmt == Format.xlsx:
        from ftzlist.excel.inventory import read_inventory_full
        from ftzlist.reports.workbook import write_decisions

        for path, r in zip(files, results, strict=True):
            target = out if (out and len(files) == 1) else path.with_name(f"{path.stem}-decisions.xlsx")
            in_use = read_inventory_full(path, the_law).current_pathways if path.suffix == ".xlsx" else None
            write_decisions(
                r, the_law, target, declaration=load_declaration(path, the_law), current_pathways=in_use
            )
            console(stderr=True).print(f"wrote {target}")
    elif fmt == Format.json:
        if len(results) == 1:
            sys.stdout.write(results[0].model_dump_json(indent=2) + "\n")
        else:
            sys.stdout.write("[\n" + ",\n".join(r.model_dump_json(indent=2) for r in results) + "\n]\n")
    elif fmt == Format.markdown:
        from ftzlist.render.markdown import render

        sys.stdout.write("\n".join(render(r, explain) for r in results))
    else:
        from ftzlist.render.terminal import render

        out = console()
        for r in results:
            out.print(render(r, explain))
    raise typer.Exit(EXIT_OK if all(r.determined for r in results) else EXIT_UNDETERMINED)
