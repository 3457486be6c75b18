"""`ftzlist due`: everything falling due, overdue first — the screen a compliance lead opens every
Monday. Provisional dates (from a year with no official calendar yet) are marked with ≈ and a
footnote that says why."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer

from ftzlist.commands.common import (
    CalendarsOption,
    DbOption,
    ListsOption,
    console,
    date_cell,
    escape,
    open_register,
    parse_date,
    status_badge,
    today,
)
from ftzlist.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("due")(due)


def parse_within(value: str) -> int:
    """'30d', '6w', '3m' (30-day months) or a bare number of days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", value)
    if not m:
        raise InputError(f"--within: '{value}' is not a span like 30d, 6w or 3m")
    n, unit = int(m.group(1)), m.group(2) or "d"
    return n * {"d": 1, "w": 7, "m": 30}[unit]


def due(
    within: Annotated[
        str | None, typer.Option("--within", help="Horizon, e.g. 30d, 6w, 3m (overdue items always show).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Pretend today is this date, YYYY-MM-DD.")
    ] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="Only this handler.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """Everything falling due: overdue first, then by date; provisional dates marked."""
    from rich.panel import Panel
    from rich.table import Table

    day = parse_date(as_of) if as_of else today()
    days = parse_within(within) if within else None
    if fmt not in ("table", "json"):
        raise InputError(f"--format: '{fmt}' is not one of table, json")
    reg = open_register(db, lists, calendars)
    reg.refresh_deadlines()  # a calendar file added since the last run turns provisional dates final
    rows = [r for r in reg.due(day, within_days=days) if handler is None or r.handler == handler]
    if fmt == "json":
        out = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.__dict__.items()}
            for r in rows
        ]
        typer.echo(
            json.dumps(
                {"as_of": day.isoformat(), "within_days": days, "items": out}, ensure_ascii=False, indent=2
            )
        )
        return

    out = console()
    cal = reg.calendar
    counts = {
        s: sum(1 for r in rows if r.status == s)
        for s in ("overdue", "expired", "due_today", "window_open", "upcoming", "lapsed")
    }
    provisional = [r for r in rows if r.provisional]
    horizon = f"next {days} days" if days is not None else "all dates"
    head = (
        f"[bold]Due as of {day:%A %d %B %Y}[/] · {horizon} · register {reg.engine.url.render_as_string(hide_password=True)}\n"
        f"[bold red]{counts['overdue']} overdue[/] · "
        + (f"[bold red]{counts['expired']} expired[/] · " if counts["expired"] else "")
        + f"[yellow]{counts['due_today']} due today[/] · "
        f"[cyan]{counts['window_open']} windows open[/] · [green]{counts['upcoming']} upcoming[/]"
        + (f" · [magenta]{len(provisional)} provisional date(s) ≈[/]" if provisional else "")
        + (
            ""
            if cal.covers(day.year)
            else f"\n[magenta]No official calendar for {day.year}: every working-day count this year is provisional.[/]"
        )
    )
    out.print(Panel(head, title="ftzlist due", expand=False))
    if not rows:
        out.print("[green]Nothing is owed.[/]")
    table = Table(show_lines=False, header_style="bold", expand=False)
    table.add_column("status", no_wrap=True)
    table.add_column("due", no_wrap=True)
    table.add_column("when", no_wrap=True, justify="right")
    table.add_column("who", no_wrap=True)
    table.add_column("filing", no_wrap=True)
    table.add_column("handler / flow", overflow="fold")
    table.add_column("what", overflow="fold", ratio=3)
    table.add_column("basis", overflow="fold")
    notes: dict[str, int] = {}
    for r in rows:
        when = _when(r, day, cal)
        who = "you" if r.actor == "handler" else "[dim]authority[/]"
        what = escape(r.title) + (" [dim](optional: a right, not a duty)[/]" if r.optional else "")
        if r.opens_on and r.status in ("window_open", "upcoming"):
            what += f" [dim]· window opens {r.opens_on}[/]"
        if r.status == "overdue" and r.actor == "authority":
            what += " [yellow]· chase the authority[/]"
        due_text = date_cell(r.due_on, r.provisional)
        if r.provisional and r.provisional_reason:
            n = notes.setdefault(r.provisional_reason, len(notes) + 1)
            due_text += f" [magenta]\\[{n}][/]"
        table.add_row(
            status_badge(r),
            due_text,
            when,
            who,
            r.proceeding or "—",
            escape(f"{r.handler} / {r.flow}"),
            what,
            escape(r.citation or ""),
        )
    if rows:
        out.print(table)
    pending = [p for p in reg.pending() if handler is None or p[1].startswith(f"{handler} /")]
    if pending:
        out.print("[bold]Your next steps with no statutory date[/]")
        for key, who, what in pending:
            out.print(f"  • {key} · {escape(who)} · {escape(what)}")
    for reason, n in notes.items():
        out.print(f"[magenta]≈ \\[{n}] provisional:[/] {escape(reason)}")
    out.print(
        "[dim]Working days on the official PRC calendar; the day of the triggering event is not counted "
        "(docs/calendar.md).[/]"
    )


def _when(r, day, cal) -> str:
    if r.status in ("overdue", "expired"):
        late = cal.working_days_between(r.due_on, day)
        return f"[red]{(day - r.due_on).days}d late ({late} WD)[/]"
    if r.status == "due_today":
        return "[yellow]today[/]"
    if r.status == "lapsed":
        return f"[dim]{(day - r.due_on).days}d ago[/]"
    return f"in {(r.due_on - day).days}d ({cal.working_days_between(day, r.due_on)} WD)"
