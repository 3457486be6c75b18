"""`ftzlist due`: everything falling due, overdue first — the screen a compliance lead opens every
Monday. Provisional dates (from a year with no official calendar yet) are marked with ≈ and a
footnote that says why."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    CalendarsOption,
    DbOption,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    date_cell,
    escape,
    format_option,
    open_register,
    output_path,
    print_drift,
    replacing,
    status_badge,
)
from ftzlist.errors import InputError
from ftzlist.render.output import Column, panel, table


def register(app: typer.Typer) -> None:
    app.command("due")(due)


def parse_within(value: str) -> int:
    """'30d', '6w', '3m' (30-day months) or a bare number of days."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", value)
    if not m:
        raise InputError(f"--within: '{value}' is not a span like 30d, 6w or 3m")
    n, unit = int(m.group(1)), m.group(2) or "d"
    days = n * {"d": 1, "w": 7, "m": 30}[unit]
    if days > MAX_WITHIN_DAYS:
        raise InputError(
            f"--within: '{value}' is {days:,} days; the horizon is at most {MAX_WITHIN_DAYS:,} days (100 years)"
        )
    return days


MAX_WITHIN_DAYS = 36_500  # a horizon past this would run off the calendar (dates end at 9999)


def due(
    within: Annotated[
        str | None, typer.Option("--within", help="Horizon, e.g. 30d, 6w, 3m (overdue items always show).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Pretend today is this date, YYYY-MM-DD.")
    ] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="Only this handler.")] = None,
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="Only the filings this person looks after (`filings owner`)."),
    ] = None,
    fmt: format_option(  # type: ignore[valid-type]
        "table", "json", "ics", "xlsx", extra_help="ics and xlsx: one entry per deadline (xlsx needs --out)."
    ) = "table",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the feed to this file (ics: else standard output)."),
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """Everything falling due: overdue first, then by date; provisional dates marked. Beside the
    deadlines: exports inconsistent with their filing, and drift warnings (`filings drift`)."""
    from rich.text import Text

    from ftzlist.filings.changes import DEFAULT_VOLUME_RATIO
    from ftzlist.filings.drift import as_json, register_drift

    day = as_of_day(as_of)
    days = parse_within(within) if within else None
    if fmt == "xlsx" and out_file is None:
        raise InputError("--format xlsx writes a workbook: name it with --out FILE")
    target = output_path(out_file, force=force, what=f"{fmt} file") if out_file is not None else None
    reg = open_register(db, lists, calendars, must_exist=True)
    if handler is not None or owner is not None:
        # an unknown handler or owner is an error, not "Nothing is owed."
        known = reg.list_proceedings(handler)
        if owner is not None and owner.strip() not in {p.owner for p in known}:
            raise InputError(
                f"--owner: no filing{f' of {handler}' if handler else ''} has the owner '{owner}' "
                "(set one with `ftzlist filings owner KEY NAME`)"
            )
        owner = owner.strip() if owner is not None else None
    reg.refresh_deadlines()  # a calendar file added since the last run turns provisional dates final
    rows = [
        r
        for r in reg.due(day, within_days=days)
        if (handler is None or r.handler == handler) and (owner is None or r.owner == owner)
    ]
    if fmt in ("ics", "xlsx"):
        _feed(rows, fmt, target, day)
        return
    keys = {r.proceeding for r in rows} if owner is not None else None
    inconsistent = [i for i in reg.open_inconsistencies(handler) if keys is None or i.proceeding in keys]
    drifts = [
        d
        for d in register_drift(reg, as_of=day, handler=handler, volume_ratio=DEFAULT_VOLUME_RATIO)
        if d.warnings and (keys is None or d.proceeding in keys)
    ]
    if fmt == "json":
        out = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.__dict__.items()}
            for r in rows
        ]
        incs = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in i.__dict__.items()}
            for i in inconsistent
        ]
        typer.echo(
            json.dumps(
                {
                    "as_of": day.isoformat(),
                    "within_days": days,
                    "owner": owner,
                    "items": out,
                    "inconsistencies": incs,
                    "drift": [as_json(d) for d in drifts],
                },
                ensure_ascii=False,
                indent=2,
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
    panel(out, head, title="ftzlist due")
    if not rows:
        out.print("[green]Nothing is owed.[/]" + (f" (owner {escape(owner)})" if owner else ""))
    columns = [
        Column("status", no_wrap=True),
        Column("due", no_wrap=True),
        Column("when", no_wrap=True, justify="right"),
        Column("who", no_wrap=True),
        Column("filing", no_wrap=True),
        Column("handler / flow"),
        Column("what"),
        Column("basis"),
    ]
    cells = []
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
        cells.append(
            [
                Text.from_markup(status_badge(r)),
                Text.from_markup(due_text),
                Text.from_markup(when),
                Text.from_markup(who),
                r.proceeding or "—",
                f"{r.handler} / {r.flow}",
                Text.from_markup(what),
                r.citation or "",
            ]
        )
    if rows:
        # a Rich table only where every value fits whole; else records (issue 13 §6)
        table(out, columns, cells, header_style="bold", expand=False)
    pending = [p for p in reg.pending() if handler is None or p[1].startswith(f"{handler} /")]
    if pending:
        out.print("[bold]Your next steps with no statutory date[/]")
        for key, who, what in pending:
            out.print(f"  • {key} · {escape(who)} · {escape(what)}")
    for reason, n in notes.items():
        out.print(f"[magenta]≈ \\[{n}] provisional:[/] {escape(reason)}")
    if inconsistent:
        out.print(
            "[bold red]Exports inconsistent with their filing (until resolved: `filings resolve ID`)[/]"
        )
        for i in inconsistent:
            out.print(
                f"  • #{i.id} · {escape(i.proceeding)} · {escape(f'{i.handler} / {i.flow}')} · export "
                f"#{i.export_id} on {i.exported_on}: {escape(i.what)}"
            )
    print_drift(drifts, day, only_warnings=True)
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


def _feed(rows, fmt: str, target: Path | None, day: dt.date) -> None:
    """`--format ics|xlsx`: the deadlines as a calendar feed or a workbook."""
    from ftzlist.filings.feeds import to_ics, to_xlsx

    if fmt == "ics":
        data = to_ics(rows, stamp=dt.datetime.now(dt.UTC))
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        with replacing(target) as tmp:
            tmp.write_bytes(data)
    else:
        assert target is not None
        with replacing(target) as tmp:
            to_xlsx(rows, tmp, as_of=day)
    console(stderr=True).print(f"{len(rows)} deadline(s) written to {escape(str(target))}")
