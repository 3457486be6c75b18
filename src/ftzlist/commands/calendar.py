"""`ftzlist calendar`: PRC working days on the official calendar (调休 included)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any

import typer

from ftzlist.commands.common import (
    CalendarsOption,
    calendar_dirs,
    console,
    format_option,
    parse_date,
    working_calendar,
)

FormatOption = format_option("table", "json")
NEGATIVE_NUMBERS = {"ignore_unknown_options": True}
"""`calendar add DATE -5`: a negative number is the argument, not an unknown option."""

calendar_app = typer.Typer(
    help="PRC working days on the official calendar (in-lieu weekends included).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")


def _mark(provisional: bool) -> str:
    return "[magenta]provisional[/]" if provisional else "[green]final[/]"


def _echo_json(value: Any) -> None:
    def plain(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, tuple | list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    typer.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


def _counted(r: Any, **extra: Any) -> dict:
    return extra | {
        "date": r.date,
        "weekday": f"{r.date:%A}",
        "provisional": r.provisional,
        "rule": r.rule,
        "reasons": list(r.reasons),
        "sources": list(r.sources),
    }


@calendar_app.command("add", context_settings=NEGATIVE_NUMBERS)
def add(
    date: Annotated[str, typer.Argument(help="Day of the triggering event, YYYY-MM-DD (not counted).")],
    n: Annotated[int, typer.Argument(help="Working days to add (negative: count back, e.g. -5).")],
    fmt: FormatOption = "table",  # type: ignore[valid-type]
    calendars: CalendarsOption = None,
) -> None:
    """The N-th working day after DATE (DATE itself not counted)."""
    cal = working_calendar(calendars)
    start = parse_date(date, "DATE")
    r = cal.add_working_days(start, n)
    if fmt == "json":
        _echo_json(_counted(r, start=start, working_days=n))
        return
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
    fmt: FormatOption = "table",  # type: ignore[valid-type]
    calendars: CalendarsOption = None,
) -> None:
    """Whether DATE is a working day, and why. Exit status 0 if it is, 1 if not."""
    info = working_calendar(calendars).day(parse_date(date, "DATE"))
    if fmt == "json":
        _echo_json(dataclasses.asdict(info) | {"weekday": f"{info.date:%A}"})
        raise typer.Exit(0 if info.working else 1)
    answer = "[bold green]working day[/]" if info.working else "[bold red]not a working day[/]"
    console().print(f"{info.date:%Y-%m-%d %A}: {answer} · {_mark(info.provisional)} — {info.why}")
    console().print(f"  [dim]{info.source}[/]")
    raise typer.Exit(0 if info.working else 1)


@calendar_app.command("period")
def period(
    date: Annotated[str, typer.Argument(help="Start day, YYYY-MM-DD (not counted).")],
    years: Annotated[int, typer.Option("--years")] = 0,
    months: Annotated[int, typer.Option("--months")] = 0,
    fmt: FormatOption = "table",  # type: ignore[valid-type]
    calendars: CalendarsOption = None,
) -> None:
    """Last day of a period in years/months (Civil Code Arts. 201-203: a rest day moves it on)."""
    start = parse_date(date, "DATE")
    r = working_calendar(calendars).add_period(start, years=years, months=months)
    if fmt == "json":
        _echo_json(_counted(r, start=start, years=years, months=months, nominal=r.nominal))
        return
    console().print(f"[bold]{r.date:%Y-%m-%d %A}[/] · {_mark(r.provisional)}\n[dim]{r.rule}[/]")
    for why in r.reasons:
        console().print(f"  [magenta]provisional:[/] {why}")


@calendar_app.command("years")
def years(
    fmt: FormatOption = "table",  # type: ignore[valid-type]
    calendars: CalendarsOption = None,
) -> None:
    """The calendar years loaded, with their notices and files."""
    from ftzlist.render.output import table

    cal = working_calendar(calendars)
    if fmt == "json":
        rows = []
        for y in sorted(cal.years):
            c, origin = cal.years[y], cal.origins.get(y)
            rows.append(
                {
                    "year": y,
                    "notice": c.main_notice.title,
                    "number": c.main_notice.number,
                    "issued": c.main_notice.issued,
                    "days_off": sum(len(h.days()) for h in c.holidays),
                    "working_weekends": [w.date for w in c.working_weekends],
                    "file": origin.name if origin else None,
                }
            )
        _echo_json({"years": rows})
        return
    rows = []
    for y in sorted(cal.years):
        c = cal.years[y]
        off = sum(len(h.days()) for h in c.holidays)
        origin = cal.origins.get(y)
        rows.append(
            [
                str(y),
                c.main_notice.title,
                c.main_notice.number or "",
                str(c.main_notice.issued),
                str(off),
                ", ".join(str(w.date) for w in c.working_weekends),
                origin.name if origin else "",
            ]
        )
    table(
        console(),
        ["year", "notice", "number", "issued", "days off", "in-lieu working weekends", "file"],
        rows,
        title="official calendar years",
    )
    console().print(f"[dim]Add a year: put YYYY.yaml in {calendar_dirs(None)[0]} (docs/calendar.md).[/]")
