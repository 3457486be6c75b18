"""`ftzlist compare`: one declaration judged in every zone (and nationally), side by side."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import AsOfOption, ListsOption, as_of_day, console, format_option, law
from ftzlist.errors import EXIT_OK


def register(app: typer.Typer) -> None:
    app.command(name="compare")(compare_cmd)


def compare_cmd(
    declaration: Annotated[Path, typer.Argument(help="Declaration file (YAML or JSON).", show_default=False)],
    zones: Annotated[
        list[str] | None,
        typer.Option("--zones", help="Zone ids to compare, or 'all' (default).", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    fmt: format_option("table", "json") = "table",  # type: ignore[valid-type]
    lists: ListsOption = None,
) -> None:
    """Flows by zone (plus the national baseline) with pathways, and the burden per zone:
    security assessments, standard contracts, list filings, post-export reports, earliest deadline."""
    from ftzlist.compare import compare
    from ftzlist.loader import load_declaration

    the_law = law(lists)
    decl = load_declaration(declaration, the_law)
    day = as_of_day(as_of, decl.as_of)
    wanted = None
    if zones:
        flat = [z for item in zones for z in item.split(",") if z]
        wanted = None if flat == ["all"] else flat
    result = compare(decl, the_law, day, wanted)
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_OK)
    render(console(), result)
    raise typer.Exit(EXIT_OK)


def render(out, result) -> None:  # type: ignore[no-untyped-def]
    """The matrix (flows by placement) and the burden per zone, as tables where they fit whole,
    else as records (one flow, then one zone, per record)."""
    from rich.text import Text

    from ftzlist.render.labels import PATHWAY_SHORT, PATHWAY_STYLE
    from ftzlist.render.output import Column, table

    notes: list[str] = []
    rows = []
    for fid in result.flows:
        row: list[Text | str] = [fid]
        for p in result.placements:
            c = result.cell(fid, p.label)
            t = Text(PATHWAY_SHORT[c.pathway], style=PATHWAY_STYLE[c.pathway])
            if c.lower_bound is not None:
                t.append(f" ≥ {PATHWAY_SHORT[c.lower_bound]}", style="dim")
            if c.uncertain:
                t.append(" †", style="yellow")
            if c.alternatives:
                t.append(" ⇄", style="green")
                notes.extend(f"{fid} @ {p.label}: {a}" for a in c.alternatives)
            row.append(t)
        rows.append(row)
    table(
        out,
        [Column("flow", style="bold"), *(Column(p.label) for p in result.placements)],
        rows,
        title=f"{result.handler} — pathways by zone, as of {result.as_of}",
        show_lines=True,
    )
    burden = []
    for b in result.burden:
        d = b.earliest_deadline
        due = (
            f"{d.working_days} WD after {d.after} ({d.procedure})"
            + (f" → {d.date}{' provisional' if d.provisional else ''} if today" if d.date else "")
            if d
            else ("before export" if b.before_export else "—")
        )
        burden.append(
            [
                b.placement,
                str(b.security_assessments),
                str(b.standard_contracts),
                str(b.list_filings),
                str(b.post_export_reports),
                str(b.undetermined),
                due,
            ]
        )
    heads = [
        "zone",
        "SA",
        "SCC/cert",
        "list filings",
        "post-export reports",
        "undetermined",
        "earliest deadline",
    ]
    table(out, heads, burden, title="burden per zone")
    out.print(
        Text(
            "≥ lower bound of an undetermined flow · † rests on a fact tagged [V2]/[U]/[C] · "
            "⇄ another zone's list, permitted here, gives a lighter path",
            style="dim",
        )
    )
    if notes:
        out.print(Text("\n".join(["cross-zone alternatives:", *notes])), soft_wrap=not out.is_terminal)
