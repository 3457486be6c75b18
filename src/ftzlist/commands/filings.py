"""`ftzlist filings`: the register of applications, filings, opinions, exports and incidents.

The register is SQLite in the user's data directory unless `--db URL` (or the FTZLIST_DB
environment variable, read here in the CLI layer only) names another database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftzlist.commands.common import (
    ActorOption,
    CalendarsOption,
    DbOption,
    ListsOption,
    as_of_day,
    console,
    date_cell,
    escape,
    format_option,
    law,
    open_register,
    parse_date,
    print_drift,
    read_key,
    status_badge,
    today,
)
from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.filings.register import Register

filings_app = typer.Typer(
    help="The filing register: applications, filings, opinions, exports.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(filings_app, name="filings")


def _content(path: Path):
    from ftzlist.filings.content import FiledContent
    from ftzlist.yamlio import load_model

    return load_model(FiledContent, path)


# -- commands -----------------------------------------------------------------------------------


@filings_app.command("add")
def add(
    handler: Annotated[str, typer.Argument(help="Handler key, e.g. acme-xiamen (created if new).")],
    flow: Annotated[str, typer.Argument(help="Flow key, e.g. pharmacovigilance (created if new).")],
    procedure: Annotated[str, typer.Argument(help="Procedure id from a list file, e.g. fj.list_filing.")],
    on: Annotated[str, typer.Option("--on", help="Date of the application (declaration), YYYY-MM-DD.")],
    list_id: Annotated[
        str | None, typer.Option("--list", help="List defining the procedure (default: in force on --on).")
    ] = None,
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent",
            help="Filing this follows from (e.g. the list filing that sent the flow to the national tier).",
        ),
    ] = None,
    handler_name: Annotated[str | None, typer.Option("--handler-name")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Recipient country, ISO alpha-2.")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Who in the team looks after it (`due --owner`).")
    ] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Open a proceeding: an application, a declaration, a standard-contract filing, a reporting duty."""
    day = parse_date(on, "--on")
    reg = open_register(db, lists, calendars, actor)
    reg.ensure_handler(handler, handler_name)
    reg.add_flow(
        handler, flow, scenario=scenario, recipient_name=recipient, recipient_country=country, exist_ok=True
    )
    key = reg.open_proceeding(handler, flow, procedure, day, list_id=list_id, parent=parent, owner=owner)
    e = escape  # keys and names are the user's text, never markup
    console().print(f"opened [bold]{e(key)}[/] ({e(procedure)}) for {e(handler)}/{e(flow)} on {day}")
    _print_view(reg, key)


@filings_app.command("owner")
def owner_cmd(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    name: Annotated[str | None, typer.Argument(help="Who looks after it; omit with --clear.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Name nobody.")] = False,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Name who in the team looks after a filing (audited); `due --owner NAME` shows theirs."""
    if (name is None) != clear:
        raise InputError("give the owner's name, or --clear (not both)")
    reg = open_register(db, lists, calendars, actor)
    reg.set_owner(key, name)
    console().print(escape(f"{key}: owner {name}" if name else f"{key}: no owner"))


@filings_app.command("snapshot")
def snapshot(
    handler: Annotated[str, typer.Argument(help="Handler key (created if new).")],
    decisions: Annotated[
        Path, typer.Argument(help="JSON from `ftzlist assess --format json` (a DecisionSet).")
    ],
    flow: Annotated[str | None, typer.Option("--flow", help="Keep only this flow's decision.")] = None,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Keep decisions as given (append-only): pathway, list versions and hashes, input hash, engine."""
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.yamlio import load_model

    ds = load_model(DecisionSet, decisions)
    reg = open_register(db, None, None, actor)
    reg.ensure_handler(handler, ds.handler)
    versions = {ref.id: ref.sha256 for ref in ds.lists}
    kept = 0
    for fd in ds.flows:
        if flow is not None and fd.flow_id != flow:
            continue
        reg.add_flow(handler, fd.flow_id, exist_ok=True)
        sid = reg.snapshot_decision(
            handler,
            fd.flow_id,
            as_of=ds.as_of,
            pathway=str(fd.pathway),
            list_versions=versions,
            input_hash=ds.input_sha256,
            engine_version=ds.engine_version,
            decision=fd.model_dump(mode="json") | {"governing_lists": ds.governing_lists},
        )
        console().print(
            escape(f"kept decision #{sid} for {handler}/{fd.flow_id}: {fd.pathway} (as of {ds.as_of})")
        )
        kept += 1
    if flow is not None and not kept:
        raise InputError(f"{decisions}: no decision for flow '{flow}'")


@filings_app.command("list")
def list_(
    handler: Annotated[str | None, typer.Option("--handler")] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """Every proceeding in the register."""
    from rich.text import Text

    from ftzlist.render.output import table

    reg = open_register(db, lists, calendars, must_exist=True)
    rows = []
    for v in reg.list_proceedings(handler):
        until = (
            Text.from_markup(date_cell(v.valid_until, v.valid_until_provisional)) if v.valid_until else "—"
        )
        rows.append(
            [v.key, f"{v.handler} / {v.flow}", v.procedure_id, v.kind, v.state, str(v.opened_on), until]
        )
    heads = ["key", "handler / flow", "procedure", "kind", "state", "opened", "valid until"]
    table(console(), heads, rows, title="filings")


@filings_app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="Filing key, e.g. FJ-2026-0001.")],
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """One proceeding: steps, what was filed, opinions, exports, deadlines, next steps."""
    reg = open_register(db, lists, calendars, must_exist=True)
    _print_view(reg, key, parse_date(as_of) if as_of else today())


def _print_view(reg: Register, key: str, as_of: dt.date | None = None) -> None:
    from rich.markup import escape as esc
    from rich.text import Text

    from ftzlist.render.output import table

    v = reg.show(key, as_of or today())
    out = console()
    out.print(
        f"[bold]{esc(v.key)}[/] · {esc(v.procedure_name)} · {esc(v.list_id)} · {v.kind} · state [bold]{v.state}[/]"
    )
    out.print(
        esc(
            f"{v.handler} / {v.flow} · opened {v.opened_on}"
            + (f" · owner {v.owner}" if v.owner else "")
            + (f" · follows {v.follows}" if v.follows else "")
            + (f" · from {v.parent}" if v.parent else "")
        )
    )
    if v.valid_until:
        mark = (
            " [magenta](provisional: no calendar file for that year)[/]" if v.valid_until_provisional else ""
        )
        out.print(f"valid {v.valid_from} → {v.valid_until}{mark}")
    for step, day, outcome, export in v.steps:
        out.print(
            esc(
                f"  ✓ {day}  {step}"
                + (f" ({outcome})" if outcome else "")
                + (f" for export #{export}" if export else "")
            )
        )
    for f in v.filings:
        items = ", ".join(f"{i['id']} [{i['category']}]" for i in f["items"])
        out.print(
            esc(
                f"  filed v{f['version']} on {f['filed_on']}: {f.get('scenario') or '—'} → "
                f"{f['recipient']['name']} ({f['recipient']['country']}); persons {f.get('persons')}; items: {items}"
            )
        )
    if v.deadlines:
        table(
            out,
            ["", "due", "who", "what"],
            [
                [
                    Text.from_markup(status_badge(r)),
                    Text.from_markup(date_cell(r.due_on, r.provisional)),
                    r.actor,
                    r.title,
                ]
                for r in v.deadlines
            ],
            show_header=True,
            box=None,
            padding=(0, 1),
        )
    for n in v.next_steps:
        out.print(f"  → next: {esc(n)}")
    for i in v.inconsistencies:
        out.print(
            f"  [bold red]inconsistent with the filing[/] #{i.id}: export #{i.export_id} on {i.exported_on}: "
            f"{esc(i.what)} [dim](until `filings resolve {i.id}`)[/]"
        )


@filings_app.command("record")
def record(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    step: Annotated[str, typer.Argument(help="Step id from the procedure, e.g. area_notice.")],
    on: Annotated[str, typer.Argument(help="Date, YYYY-MM-DD.")],
    outcome: Annotated[str | None, typer.Option("--outcome")] = None,
    export: Annotated[
        int | None, typer.Option("--export", help="Export id a post-export report covers.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Record a step of a procedure (a notice, an acceptance, a report)."""
    reg = open_register(db, lists, calendars, actor)
    reg.record_step(key, step, parse_date(on, "date"), outcome=outcome, note=note, export_id=export)
    _print_view(reg, key)


@filings_app.command("record-filing")
def record_filing(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    on: Annotated[str, typer.Argument(help="Date filed, YYYY-MM-DD.")],
    content: Annotated[
        Path,
        typer.Argument(help="YAML: scenario, items, persons, recipient, sub-categories (docs/filings.md)."),
    ],
    step: Annotated[
        str | None, typer.Option("--step", help="Step the filing is (default: filing/declaration/report).")
    ] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Record the filing and keep what was filed as structured data."""
    reg = open_register(db, lists, calendars, actor)
    reg.record_filing(key, parse_date(on, "date"), _content(content), step_id=step)
    _print_view(reg, key)


@filings_app.command("record-opinion")
def record_opinion(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    on: Annotated[str, typer.Argument(help="Date the opinion or result issued, YYYY-MM-DD.")],
    outcome: Annotated[
        str, typer.Argument(help="on_list | off_list | not_applicable | approved | rejected.")
    ],
    pathway: Annotated[
        str | None, typer.Option("--pathway", help="Pathway the opinion directs on-list data to.")
    ] = None,
    reference: Annotated[str | None, typer.Option("--reference")] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Record an authority's opinion or assessment result (a favourable one starts validity)."""
    reg = open_register(db, lists, calendars, actor)
    reg.record_opinion(key, parse_date(on, "date"), outcome, pathway=pathway, reference=reference)
    _print_view(reg, key)


@filings_app.command("record-export")
def record_export(
    handler: Annotated[str, typer.Argument()],
    flow: Annotated[str, typer.Argument()],
    on: Annotated[str, typer.Argument(help="Date of the export, YYYY-MM-DD.")],
    persons: Annotated[int | None, typer.Option("--persons", min=0)] = None,
    records: Annotated[int | None, typer.Option("--records", min=0)] = None,
    item: Annotated[list[str] | None, typer.Option("--item", help="Data item id exported (repeat).")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient")] = None,
    country: Annotated[str | None, typer.Option("--country")] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Record an actual export; it is checked against what was filed (Fujian Art. 16)."""
    reg = open_register(db, lists, calendars, actor)
    res = reg.record_export(
        handler,
        flow,
        parse_date(on, "date"),
        persons=persons,
        records=records,
        data_items=item,
        recipient_name=recipient,
        recipient_country=country,
    )
    out = console()
    out.print(
        escape(f"export #{res.export_id} recorded" + (f" under {res.proceeding}" if res.proceeding else ""))
    )
    for r in res.deadlines:
        out.print(f"  due {date_cell(r.due_on, r.provisional)}: {escape(r.title)}")
    for issue in res.inconsistencies:
        out.print(f"  [bold red]inconsistent with the filing:[/] {escape(issue)}")


@filings_app.command("change")
def change(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    on: Annotated[str, typer.Argument(help="Date of the change, YYYY-MM-DD.")],
    content: Annotated[
        Path, typer.Argument(help="YAML: the new declaration of the flow (same shape as a filing).")
    ],
    volume_ratio: Annotated[
        float,
        typer.Option(
            "--volume-ratio", help="A volume above this multiple of the filed figure is a large increase."
        ),
    ] = 1.5,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what it would need; change nothing.")
    ] = False,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Material change -> fresh application; otherwise a simplified change. Says which, and why."""
    from rich.text import Text

    from ftzlist.filings.changes import check_ratio
    from ftzlist.render.output import table

    try:
        check_ratio(volume_ratio)
    except ValueError as exc:
        raise InputError(f"--volume-ratio: {exc}") from None
    reg = open_register(db, lists, calendars, actor)
    result, new_key = reg.change(
        key, parse_date(on, "date"), _content(content), volume_ratio=volume_ratio, apply=not dry_run
    )
    out = console()
    colour = "red" if result.material else "green"
    out.print(f"[bold {colour}]{result.verdict}[/]")
    table(
        out,
        ["", "trigger", "before", "after", "why", "basis"],
        [
            [
                Text("material", style="red") if r.material else Text("minor", style="green"),
                r.trigger,
                str(r.before),
                str(r.after),
                r.why,
                r.citation,
            ]
            for r in result.reasons
        ],
        box=None,
        padding=(0, 1),
    )
    for n in result.notes:
        out.print(f"[dim]{escape(n)}[/]")
    if new_key and new_key != key:
        out.print(f"opened fresh application [bold]{escape(new_key)}[/] (follows {escape(key)})")
    elif new_key:
        out.print(f"simplified change registered on {escape(key)}")


@filings_app.command("renew")
def renew(
    key: Annotated[str, typer.Argument(help="Filing key.")],
    on: Annotated[str, typer.Argument(help="Date of the renewal application, YYYY-MM-DD.")],
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Apply for renewal (or extension) within the window before expiry."""
    reg = open_register(db, lists, calendars, actor)
    new = reg.renew(key, parse_date(on, "date"))
    console().print(f"renewal application [bold]{escape(new)}[/] opened for {escape(key)}")
    _print_view(reg, new)


@filings_app.command("incident")
def incident(
    handler: Annotated[str, typer.Argument()],
    flow: Annotated[str, typer.Argument()],
    on: Annotated[str, typer.Argument(help="Date discovered, YYYY-MM-DD.")],
    description: Annotated[str, typer.Argument()],
    reported: Annotated[
        str | None, typer.Option("--reported", help="Date reported, if already done.")
    ] = None,
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Record a data-export security incident: it must be reported at once (Fujian Art. 15)."""
    reg = open_register(db, lists, calendars, actor)
    inc = reg.record_incident(handler, flow, parse_date(on, "date"), description)
    if reported:
        reg.report_incident(inc, parse_date(reported, "--reported"))
    console().print(
        f"incident #{inc} recorded" + ("" if reported else " — [bold red]report it now[/] (立即报告)")
    )


@filings_app.command("incident-reported")
def incident_reported(
    incident_id: Annotated[int, typer.Argument()],
    on: Annotated[str, typer.Argument(help="Date reported, YYYY-MM-DD.")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Record that an incident was reported."""
    reg = open_register(db, None, None, actor)
    reg.report_incident(incident_id, parse_date(on, "date"))
    console().print(escape(f"incident #{incident_id} reported on {on}"))


@filings_app.command("audit")
def audit(
    table: Annotated[str | None, typer.Option("--table")] = None,
    row: Annotated[int | None, typer.Option("--row")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    db: DbOption = None,
) -> None:
    """The audit trail: who changed what, when, before and after."""
    from ftzlist.render.output import table as print_table

    reg = open_register(db, must_exist=True)
    rows = []
    for e in reversed(reg.audit(table=table, row_id=row)[-limit:]):
        if e.before is None:
            what = "inserted"
        elif e.after is None:
            what = "deleted"
        else:
            what = "; ".join(
                f"{k}: {e.before[k]} → {e.after[k]}" for k in e.after if e.before.get(k) != e.after[k]
            )
        rows.append([f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, f"{e.table_name}#{e.row_id}", what])
    print_table(
        console(), ["when", "who", "action", "row", "change"], rows, title="audit trail (latest first)"
    )


@filings_app.command("verify")
def verify(
    anchor: Annotated[
        str | None,
        typer.Option(
            "--anchor",
            help="SEQ:SHA256 printed by an earlier verify (kept elsewhere): it must still be in the chain.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    db: DbOption = None,
) -> None:
    """Check the history: the audit chain, every row against its last audited image, snapshot
    hashes, the guard triggers. Exit 0 if whole, 1 if anything was changed behind the register's back."""
    import json

    from ftzlist.errors import InputError
    from ftzlist.filings.verify import Anchor
    from ftzlist.filings.verify import verify as run_verify

    if fmt not in ("table", "json"):
        raise InputError(f"--format: '{fmt}' is not one of table, json")
    wanted = Anchor.parse(anchor) if anchor else None
    reg = open_register(db, must_exist=True)
    report = run_verify(reg.engine, anchor=wanted)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "ok": report.ok,
                    "head": str(report.head) if report.head else None,
                    "entries": report.entries,
                    "rows": report.rows,
                    "tables": report.tables,
                    "snapshots": report.snapshots,
                    "problems": [p.__dict__ for p in report.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out = console()
        out.print(
            f"{report.entries:,} audit entries · {report.rows:,} rows in {report.tables} tables · "
            f"{report.snapshots:,} decision snapshots"
        )
        if report.head:
            out.print(f"head of the chain (keep it to check later with --anchor): {report.head}")
        if report.ok:
            out.print(
                "[bold green]history whole[/]: chain unbroken, every row as audited, snapshots match, guards in place"
            )
        else:
            out.print(f"[bold red]{len(report.problems)} problem(s)[/]: changed behind the register's back")
            for p in report.problems:
                out.print(f"  • [{p.kind}] {escape(str(p))}")
    raise typer.Exit(0 if report.ok else 1)


@filings_app.command("resolve")
def resolve(
    inconsistency_id: Annotated[
        int, typer.Argument(help="Inconsistency id (shown by `due` and `filings show`).")
    ],
    on: Annotated[str, typer.Argument(help="Date resolved, YYYY-MM-DD.")],
    resolution: Annotated[
        str, typer.Argument(help="How: e.g. 'change filed FJ-2026-0004', 'export stopped'.")
    ],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Close an export's inconsistency with its filing (Fujian Art. 16)."""
    reg = open_register(db, None, None, actor)
    reg.resolve_inconsistency(inconsistency_id, parse_date(on, "date"), resolution)
    console().print(f"inconsistency #{inconsistency_id} resolved on {on}")


@filings_app.command("drift")
def drift_cmd(
    logs: Annotated[
        list[str] | None,
        typer.Option(
            "--logs", help="Export logs (files, globs, folders); repeatable. Without: the recorded exports."
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="Mapping YAML of the logs (with --logs).")
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="HMAC key file for the logs (else $FTZLIST_HASH_KEY).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Text encoding of CSV/JSON Lines logs, e.g. gb18030.")
    ] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="Only this handler.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="Count up to this date, YYYY-MM-DD.")
    ] = None,
    volume_ratio: Annotated[
        float,
        typer.Option("--volume-ratio", help="A volume above this multiple of the approved figure is large."),
    ] = 1.5,
    open_change: Annotated[
        bool,
        typer.Option(
            "--open-change",
            help="Open the fresh application of each flow past a band or the ratio (audited).",
        ),
    ] = False,
    fmt: format_option("table", "json") = "table",  # type: ignore[valid-type]
    db: DbOption = None,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
    actor: ActorOption = None,
) -> None:
    """Actual exports of each filed flow this year against the filed persons, the list's next band
    and the change ratio: warns before a line is reached (projected date at the current rate)."""
    import json

    from ftzlist.filings.changes import check_ratio
    from ftzlist.filings.drift import as_json, open_changes, register_drift

    try:
        check_ratio(volume_ratio)
    except ValueError as exc:
        raise InputError(f"--volume-ratio: {exc}") from None
    if bool(logs) != (mapping is not None):
        raise InputError("--logs and --mapping go together (or neither: the recorded exports are counted)")
    day = as_of_day(as_of)
    reg = open_register(db, lists, calendars, actor, must_exist=True)
    source = None
    if logs:
        from ftzlist.counting import expand, load_mapping

        key = read_key(key_file)
        files = expand(list(logs), encoding=encoding)
        national = law(lists).lists.national(day)
        bands = {
            lf.id: lf
            for ff in reg.filed_flows(handler)
            for lf in reg.band_lists(ff.list_id, ff.procedure_id, day)
        }
        source = (
            files,
            load_mapping(mapping),
            key,
            [national, *[lf for i, lf in bands.items() if i != national.id]],
        )
    drifts = register_drift(reg, as_of=day, handler=handler, volume_ratio=volume_ratio, logs=source)
    if open_change:
        open_changes(reg, drifts, day)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "as_of": day.isoformat(),
                    "volume_ratio": volume_ratio,
                    "flows": [as_json(d) for d in drifts],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print_drift(drifts, day)
