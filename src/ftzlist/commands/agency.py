"""`ftzlist agency`: the area implementing agency's desk on the command line — its queue, the
six-monthly report (XLSX and PDF), and filing packages (export on the handler's side, import on the
agency's). The same desk as the workspace's `/api/v1/agency`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    ActorOption,
    CalendarsOption,
    DbOption,
    ListsOption,
    console,
    law,
    open_register,
    output_path,
    parse_date,
    replacing,
    today,
)

agency_app = typer.Typer(
    help="The agency's desk: queue, six-monthly report, filing packages.", no_args_is_help=True
)

AreaOption = Annotated[
    str,
    typer.Option(
        "--area", metavar="ZONE/AREA", help="The desk: a zone area (fujian-ftz/xiamen) or a zone-wide desk."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(agency_app, name="agency")


def _desk(db, lists, calendars, actor, area, *, must_exist=True):
    """The desk `area` on the register at `db`. Queue and report only read a register: one that
    does not exist is an error (a mistyped --db would show an empty queue and an all-zero report),
    never a new empty register; a package import may start one (`must_exist=False`)."""
    from ftzlist.agency.desk import Desk, parse_scope

    the_law = law(lists)
    reg = open_register(db, lists, calendars, actor, must_exist=must_exist)
    return Desk(reg, the_law, parse_scope(area, the_law))


@agency_app.command("queue")
def queue(
    area: AreaOption,
    on: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Judge the clocks on this day.")
    ] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """The desk's clocks: overdue first; `agency` rows are the desk's own steps; ≈ marks a provisional date."""
    desk = _desk(db, lists, calendars, None, area)
    day = parse_date(on, "--today") if on else today()
    rows = desk.queue(day)
    if not rows:
        typer.echo(f"nothing open at {desk.scope} on {day}")
    for r in rows:
        d = r.due
        mark = "≈" if d.provisional else " "
        typer.echo(
            f"{d.status:<12}{mark}{d.due_on}  {r.side:<8}{d.proceeding}  {d.handler}/{d.flow}  {d.title}"
        )


@agency_app.command("report")
def report(
    area: AreaOption,
    half: Annotated[str, typer.Option("--half", metavar="YYYYH1|YYYYH2", help="The half-year, e.g. 2026H1.")],
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help="Folder for <desk>-<half>.xlsx and .pdf.")
    ],
    record: Annotated[
        bool, typer.Option("--record", help="Record that the report was sent up (with the PDF's SHA-256).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace existing report files.")] = False,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """The six-monthly implementation report of the desk (Fujian measures Art. 17) as XLSX and PDF."""
    import hashlib

    from ftzlist.agency.halfyear import figures, half_year, write_pdf, write_xlsx
    from ftzlist.errors import InputError

    period = half_year(half)
    if not out.is_dir():
        raise InputError("--out: expected an existing folder", where=str(out))
    desk = _desk(db, lists, calendars, actor, area)
    stem = f"{str(desk.scope).replace('/', '-')}-{period.label}"
    targets = [output_path(out / f"{stem}.{ext}", force=force, what="report") for ext in ("xlsx", "pdf")]
    rep = figures(desk, period, today())
    with replacing(targets[0]) as tmp:
        write_xlsx(rep, tmp)
    with replacing(targets[1]) as tmp:
        write_pdf(rep, tmp)
    for t in targets:
        console(stderr=True).print(f"wrote {t}")
    if record:
        digest = hashlib.sha256(targets[1].read_bytes()).hexdigest()
        rid = desk.record_periodic(period.start, period.end, today(), sha256=digest)
        console(stderr=True).print(f"recorded as report #{rid} (PDF SHA-256 {digest})")


package_app = typer.Typer(help="Filing packages (zip) between deployments.", no_args_is_help=True)
agency_app.add_typer(package_app, name="package")


@package_app.command("export")
def package_export(
    key: Annotated[str, typer.Argument(help="The proceeding, e.g. FJ-2026-0001.")],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="The package file (.zip).")],
    force: Annotated[bool, typer.Option("--force")] = False,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """Write a filing package: filing.json with its SHA-256, the decision snapshot, the materials PDF."""
    from ftzlist.agency.package import export_package

    target = output_path(out, force=force, what="package")
    reg = open_register(db, lists, calendars, must_exist=True)
    with replacing(target) as tmp:
        export_package(reg, key, tmp)
    console(stderr=True).print(f"wrote {target}")


@package_app.command("import")
def package_import(
    path: Annotated[Path, typer.Argument(help="A filing package (.zip).")],
    area: AreaOption,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Check a package's hashes and rebuild its proceeding at this desk."""
    from ftzlist.agency.package import import_package
    from ftzlist.errors import InputError

    if not path.is_file():
        raise InputError("no such file", where=str(path))
    desk = _desk(db, lists, calendars, actor, area, must_exist=False)
    key = import_package(desk, path.read_bytes(), where=str(path))
    typer.echo(key)
