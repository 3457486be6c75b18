"""`ftzlist lists`: the bundled (and added) list versions, their dates, coverage and items."""

from __future__ import annotations

from typing import Annotated

import typer

from ftzlist.commands.common import (
    AsOfOption,
    ListsOption,
    as_of_day,
    console,
    escape,
    format_option,
    group,
    law,
)

lists_app = group("lists", help="Bundled list versions: dates, coverage, items.")


def register(app: typer.Typer) -> None:
    app.add_typer(lists_app, name="lists")


@lists_app.callback(invoke_without_command=True)
def lists_overview(ctx: typer.Context, lists: ListsOption = None, as_of: AsOfOption = None) -> None:
    """Every list version with its dates and coverage, and reminders for the lists in force: not
    checked against its sources for 12 months, or superseded by a newer edition."""
    if ctx.invoked_subcommand is not None:
        return
    from ftzlist.authoring.currency import reminders
    from ftzlist.render.output import table

    day = as_of_day(as_of)
    the_law = law(lists)
    rows = []
    for lf in the_law.lists:
        until = lf.effective_to.isoformat() if lf.effective_to else "…"
        cov = "complete" if lf.coverage.complete else f"partial ({len(lf.coverage.missing)} parts missing)"
        rows.append(
            [
                lf.id,
                lf.kind,
                lf.scope.zone or "national",
                f"{lf.effective_from} → {until}",
                str(len(lf.items)),
                cov,
                str(lf.last_checked_on or "—"),
                lf.status,
            ]
        )
    out = console()
    table(
        out,
        ["id", "kind", "zone", "in force", "items", "coverage", "checked", "status"],
        rows,
        title="ftzlist lists",
    )
    in_use = {lf.id for lf in the_law.lists.in_force(day)}
    notes = reminders(the_law.lists, in_use, day)
    if notes:
        out.print(f"[bold]Reminders for the lists in force on {day}[/bold]")
        for r in notes:
            out.print(f"  [yellow]•[/yellow] {escape(r.text.en)}")


@lists_app.command("show")
def show(
    list_id: Annotated[str, typer.Argument(help="List id, e.g. fujian-ftz-2025.")],
    fmt: format_option(  # type: ignore[valid-type]
        "table", "json", extra_help="json: the whole list file as loaded, with its sha256."
    ) = "table",
    lists: ListsOption = None,
) -> None:
    """One list: metadata, sectors, items with their bands and citations, procedures, coverage."""
    from ftzlist.render.output import table

    the_law = law(lists)
    lf = the_law.lists.get(list_id)
    if fmt == "json":
        import json

        data = {"sha256": the_law.lists.sha256[lf.id], "list": lf.model_dump(mode="json", exclude_none=True)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    e = escape  # list files may come from users (--lists): their text is never markup
    out.print(f"[bold]{e(lf.title.zh)}[/bold]\n{e(lf.title.en)}")
    out.print(
        e(
            f"id {lf.id} · family {lf.family} · {lf.kind} · in force {lf.effective_from} → {lf.effective_to or '…'}"
        )
    )
    out.print(e("issuers: " + "; ".join(f"{i.zh} ({i.en})" for i in lf.issuers)))
    out.print(f"sha256 {the_law.lists.sha256[lf.id]}")
    out.print(f"last checked against its sources: {lf.last_checked_on or 'not recorded'}")
    if lf.scope.zone:
        places = f"; also {', '.join(lf.scope.places)} (whole)" if lf.scope.places else ""
        sectors = "; every sector" if lf.scope.sectors == "all" else ""
        out.print(
            e(
                f"binds: {lf.scope.description.en} — zone {lf.scope.zone}, areas {', '.join(lf.scope.areas or ['all'])}"
                f"{places}{sectors}"
            )
        )
    if lf.filing_required:
        out.print(
            e(
                f"relied on only once the handler's filing of the list is recorded (handler.filings): "
                f"procedure {lf.filing_required.procedure} [{lf.filing_required.status}]"
            )
        )
    for s in lf.sectors:
        types = ", ".join(s.enterprise_types or ["all types"])
        out.print(
            f"sector [bold]{e(s.sector)}[/bold]: {e(types)}"
            + "".join(f"\n  excludes: {e(x.en)}" for x in s.excludes)
        )
    rows = []
    for it in lf.items:
        cond = []
        for name in (
            "data_class",
            "scenarios",
            "subjects",
            "categories",
            "sensitivity",
            "ciio",
            "markers",
            "holdings",
        ):
            v = getattr(it, name)
            if v not in (None, [], ()):
                cond.append(f"{name}={v}")
        if it.catch_all:
            cond.append("catch-all")
        rows.append(
            [
                it.id,
                it.level,
                it.pathway.value,
                "\n".join(cond),
                str(it.persons or ""),
                str(it.citation),
                it.status,
            ]
        )
    table(out, ["id", "level", "pathway", "conditions", "persons", "citation", "status"], rows, title="items")
    for p in lf.procedures:
        steps = " → ".join(
            f"{s.id}" + (f" (≤{s.working_days} WD)" if s.working_days else "") for s in p.steps
        )
        out.print(f"procedure [bold]{e(p.id)}[/bold] ({e(p.model)}): {e(steps)}")
    cov = "complete" if lf.coverage.complete else "partial"
    out.print(
        e(f"coverage: {cov}" + "".join(f"\n  missing {m.id}: {m.description}" for m in lf.coverage.missing))
    )
