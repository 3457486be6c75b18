"""`ftzlist calendar`: PRC working days on the official calendar (调休 included)."""

from __future__ import annotations

from typing import Annotated

import typer

from ftzlist.commands.common import CalendarsOption, calendar_dirs, console, parse_date, working_calendar

calendar_app = typer.Typer(
    help="PRC working days on the official calendar (in-lieu weekends included).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")


def _mark(provisional: bool) -> str:
    return "[magenta]provisional[/]" if provisional else "[green]final[/]"


@calendar_app.command("add")
def add(
    date: Annotated[str, typer.Argument(help="Day of the triggering event, YYYY-MM-DD (not counted).")],
    n: Annotated[int, typer.Argument(help="Working days to add (negative: count back).")],
    calendars: CalendarsOption = None,
) -> None:
    """The N-th working day after DATE (DATE itself not counted)."""
    cal = working_calendar(calendars)
    r = cal.add_working_days(parse_date(date, "DATE"), n)
    out = console()
    out.print(f"[bold]{r.date:%Y-%m-%d %A}[/] · {_mark(r.provisional)}")
    out.print(f"[dim]{r.rule}[/]")
    for s in r.sources:
        out.print(f"  source: {s}")
    for why in r.reasons:
        out.print(f"  [magenta]provisional:[/] {why}")


@calendar_app.command("is-working-day")
def is_working_day(
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD.")],
    calendars: CalendarsOption = None,
) -> None:
    """Whether DATE is a working day, and why. Exit status 0 if it is, 1 if not."""
    info = working_calendar(calendars).day(parse_date(date, "DATE"))
    answer = "[bold green]working day[/]" if info.working else "[bold red]not a working day[/]"
    console().print(f"{info.date:%Y-%m-%d %A}: {answer} · {_mark(info.provisional)} — {info.why}")
    console().print(f"  [dim]{info.source}[/]")
    raise typer.Exit(0 if info.working else 1)


@calendar_app.command("period")
def period(
    date: Annotated[str, typer.Argument(help="Start day, YYYY-MM-DD (not counted).")],
    years: Annotated[int, typer.Option("--years")] = 0,
    months: Annotated[int, typer.Option("--months")] = 0,
    calendars: CalendarsOption = None,
) -> None:
    """Last day of a period in years/months (Civil Code Arts. 201-203: a rest day moves it on)."""
    r = working_calendar(calendars).add_period(parse_date(date, "DATE"), years=years, months=months)
    console().print(f"[bold]{r.date:%Y-%m-%d %A}[/] · {_mark(r.provisional)}\n[dim]{r.rule}[/]")
    for why in r.reasons:
        console().print(f"  [magenta]provisional:[/] {why}")


@calendar_app.command("years")
def years(calendars: CalendarsOption = None) -> None:
    """The calendar years loaded, with their notices and files."""
    from rich.table import Table

    cal = working_calendar(calendars)
    t = Table(title="official calendar years")
    for col in ("year", "notice", "number", "issued", "days off", "in-lieu working weekends", "file"):
        t.add_column(col, overflow="fold")
    for y in sorted(cal.years):
        c = cal.years[y]
        off = sum(len(h.days()) for h in c.holidays)
        origin = cal.origins.get(y)
        t.add_row(
            str(y),
            c.main_notice.title,
            c.main_notice.number or "",
            str(c.main_notice.issued),
            str(off),
            ", ".join(str(w.date) for w in c.working_weekends),
            origin.name if origin else "",
        )
    console().print(t)
    console().print(f"[dim]Add a year: put YYYY.yaml in {calendar_dirs(None)[0]} (docs/calendar.md).[/]")
