"""`ftzlist assess`: judge declarations and say, per flow, what it needs and why."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    AsOfOption,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    format_option,
    law,
    output_path,
    outputs_for,
    replacing,
    write_text,
)
from ftzlist.errors import EXIT_OK, EXIT_UNDETERMINED, InputError


def register(app: typer.Typer) -> None:
    app.command(name="assess")(assess)


def assess(
    files: Annotated[
        list[Path], typer.Argument(help="Declaration files (YAML or JSON).", show_default=False)
    ],
    as_of: AsOfOption = None,
    fmt: format_option("table", "json", "markdown", "xlsx") = "table",  # type: ignore[valid-type]
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
        typer.Option(
            "--out",
            "-o",
            help="Write here instead of stdout (json, markdown); with xlsx the workbook, or a folder for "
            "several declarations (default FILE-decisions.xlsx beside each).",
        ),
    ] = None,
    force: ForceOption = False,
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
    if out is not None and fmt == "table":
        raise InputError("--out writes json, markdown or xlsx; add --format")
    if fmt == "xlsx":  # every output checked before any work: never an input, never replaced silently
        targets = outputs_for(
            files, out, lambda p: p.with_name(f"{p.stem}-decisions.xlsx"), force=force, what="workbook"
        )
    elif out is not None:
        target = output_path(out, inputs=files, force=force)
    declarations, results = [], []
    for path in files:
        decl = load_declaration(path, the_law)
        declarations.append(decl)
        unreviewed = decl.suggested_items()
        if unreviewed and not accept_suggestions:
            raise InputError(
                "data items drafted by `ftzlist scan` are not reviewed yet (remove `suggested: true` once "
                "checked, or pass --accept-suggestions)",
                where=str(path),
                problems=unreviewed,
            )
        day = as_of_day(as_of, decl.as_of)
        if logs:  # persons from the export logs (ftzlist count), cited in the decision
            from ftzlist.commands.count import fill_from_logs
            from ftzlist.counting.fill import cite_counts

            decl = fill_from_logs(
                decl, logs=logs, mapping=mapping, key_file=key_file, day=day, the_law=the_law
            )
        decision = cross_zone_alternatives(decl, the_law, day) if alternatives else decide(decl, the_law, day)
        results.append(cite_counts(decision, decl) if logs else decision)
    if fmt == "xlsx":
        from ftzlist.excel.inventory import read_inventory_full
        from ftzlist.reports.workbook import write_decisions

        for path, decl, r, target in zip(files, declarations, results, targets, strict=True):
            in_use = read_inventory_full(path, the_law).current_pathways if path.suffix == ".xlsx" else None
            with replacing(target) as tmp:
                write_decisions(r, the_law, tmp, declaration=decl, current_pathways=in_use)
            console(stderr=True).print(f"wrote {target}", markup=False)
    elif fmt in ("json", "markdown"):
        if fmt == "json":
            text = (
                results[0].model_dump_json(indent=2) + "\n"
                if len(results) == 1
                else "[\n" + ",\n".join(r.model_dump_json(indent=2) for r in results) + "\n]\n"
            )
        else:
            from ftzlist.render.markdown import render

            text = "\n".join(render(r, explain) for r in results)
        if out is not None:
            write_text(target, text)
            console(stderr=True).print(f"wrote {target}", markup=False)
        else:
            sys.stdout.write(text)
    else:
        from ftzlist.render.terminal import render

        screen = console()
        for r in results:
            screen.print(render(r, explain))
    raise typer.Exit(EXIT_OK if all(r.determined for r in results) else EXIT_UNDETERMINED)
