"""`ftzlist report`: the assessment as HTML, PDF, DOCX or XLSX, or the Chinese filing materials."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftzlist.commands.common import (
    AsOfOption,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    law,
    output_path,
    replacing,
)
from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.reports.model import CalendarEntry, ZoneComparison
    from ftzlist.schema.declaration import Declaration


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    docx = "docx"
    xlsx = "xlsx"


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


class Kind(StrEnum):
    report = "report"
    filing = "filing"


def register(app: typer.Typer) -> None:
    app.command(name="report")(report)


def report(
    declaration: Annotated[Path, typer.Argument(help="Declaration (YAML, JSON or the XLSX inventory).")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.pdf,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report.")] = Lang.bilingual,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output file (default: DECLARATION with the format's suffix)."),
    ] = None,
    kind: Annotated[
        Kind,
        typer.Option(
            "--kind",
            help="report: the assessment; filing: the Chinese application and filing materials (docx or xlsx).",
        ),
    ] = Kind.report,
    compare: Annotated[
        bool, typer.Option("--compare", help="Add the zone comparison (each flow's pathway in each zone).")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="List every rule checked, not only those that applied.")
    ] = False,
    counts: Annotated[
        Path | None,
        typer.Option(
            "--counts",
            metavar="FILE",
            help="Add person-count charts from `ftzlist count --format json` output.",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Register to read the filing calendar from (with --handler).",
            show_default=False,
        ),
    ] = None,
    handler: Annotated[
        str | None,
        typer.Option(
            "--handler", metavar="KEY", help="The handler's key in the register: adds its filing calendar."
        ),
    ] = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    lists: ListsOption = None,
) -> None:
    """Write a report a regulator and a board can read: a summary page (flows by pathway, what is due
    next), one section per flow (pathway, obligations, reasons with citations, headroom charts) and
    the list versions used with their hashes."""
    import time

    from ftzlist.engine import decide
    from ftzlist.loader import load_declaration
    from ftzlist.reports import render_filing, render_report
    from ftzlist.reports.model import ReportExtras

    started = time.monotonic()
    the_law = law(lists)
    decl = load_declaration(declaration, the_law)
    day = as_of_day(as_of, decl.as_of)
    ds = decide(decl, the_law, day)
    target = out or declaration.with_name(
        declaration.stem + ("-filing" if kind == Kind.filing else "-report") + f".{fmt.value}"
    )
    target = output_path(
        target, inputs=[declaration, *([counts] if counts else [])], force=force, what="report"
    )
    if (db is not None) and handler is None:
        raise InputError("--db needs --handler: the handler's key in the register")
    if kind == Kind.filing:
        if fmt not in (Format.docx, Format.xlsx):
            raise InputError("filing materials come as --format docx or --format xlsx")
        with replacing(target) as tmp:
            render_filing(ds, decl, the_law, fmt.value, tmp)  # type: ignore[arg-type]
    else:
        current = None
        if declaration.suffix.lower() == ".xlsx":
            from ftzlist.excel.inventory import read_inventory_full

            current = read_inventory_full(declaration, the_law).current_pathways
        series = []
        if counts is not None:
            from ftzlist.counting import CountResult
            from ftzlist.reports.model import series_from_count
            from ftzlist.yamlio import read_text

            try:
                series = series_from_count(
                    CountResult.model_validate_json(read_text(counts)), binding=ds.governing_lists
                )
            except ValueError as exc:
                raise InputError(
                    f"not an `ftzlist count --format json` result: {exc}", where=str(counts)
                ) from None
        extras = ReportExtras(
            counts=series,
            comparison=zone_comparison(decl, the_law, day) if compare else None,
            calendar=register_calendar(db, handler, day) if handler else [],
        )
        with replacing(target) as tmp:
            render_report(
                ds,
                decl,
                the_law,
                fmt.value,  # type: ignore[arg-type]
                tmp,
                lang=lang.value,  # type: ignore[arg-type]
                extras=extras,
                explain=explain,
                current_pathways=current,
            )
    console(stderr=True).print(
        f"wrote {target} ({target.stat().st_size:,} bytes, {time.monotonic() - started:.1f} s)", markup=False
    )


def register_calendar(db: str | None, handler: str, day: dt.date) -> list[CalendarEntry]:
    """The handler's open deadlines in the register (its proceedings' steps, renewals, expiries,
    incident reports), as on `day`: the report's filing calendar, with each row's owner."""
    from ftzlist.commands.common import open_register
    from ftzlist.reports.model import CalendarEntry

    reg = open_register(db)
    try:
        reg.list_proceedings(handler)  # an unknown handler is an error, not an empty calendar
        rows = [r for r in reg.due(day) if r.handler == handler]
    finally:
        reg.close()
    return [
        CalendarEntry(
            day=r.due_on,
            what=r.title,
            flow_id=r.flow,
            provisional=r.provisional,
            owner=getattr(r, "owner", None),
            status=r.status,
        )
        for r in rows
    ]


def zone_comparison(decl: Declaration, the_law: Law, day: dt.date) -> ZoneComparison:
    """Each flow's pathway in every placement `ftzlist compare` judges (the national baseline
    first, then each zone with a list in force), as the report's small comparison input."""
    from ftzlist.compare import compare
    from ftzlist.reports.model import ZoneComparison, ZoneRow

    cmp = compare(decl, the_law, day, alternatives=False)
    labels = [p.label for p in cmp.placements]
    return ZoneComparison(
        zones=labels,
        rows=[
            ZoneRow(
                flow_id=fid,
                pathways=[cmp.cells[fid][lab].pathway if lab in cmp.cells[fid] else None for lab in labels],
            )
            for fid in cmp.flows
        ],
    )
