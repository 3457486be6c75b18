"""`ftzlist scan`: find the personal information in a table and draft the declaration items."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import ListsOption, console, parse_date
from ftzlist.errors import InputError


class ScanFormat(StrEnum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def scan(
    target: Annotated[
        str,
        typer.Argument(
            help="A CSV, Parquet, JSONL or XLSX file, or a database URL (postgresql://user@host/db).",
            show_default=False,
        ),
    ],
    table: Annotated[
        str | None,
        typer.Option("--table", help="Database table (schema.table) or XLSX sheet.", show_default=False),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=1, help="Scan a seeded sample of N rows instead of every row.", show_default=False
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sample.")] = 0,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of a CSV/JSON file, e.g. gb18030 (default UTF-8).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Assessment date YYYY-MM-DD: minors are counted as of it (default today).",
            show_default=False,
        ),
    ] = None,
    draft: Annotated[
        Path | None,
        typer.Option(
            "--draft-declaration",
            help="Write a draft declaration (every item marked as a suggestion) to this YAML file.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="Output format; json is the stable interface.")
    ] = ScanFormat.table,
    lists: ListsOption = None,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit", help="Memory for the distinct-person state (beyond it: hashes spill to disk)."
        ),
    ] = "384MB",
) -> None:
    """Scan a table: per column, the kinds of personal information found, with evidence (masked
    examples), confidence, taxonomy category and sensitivity; distinct persons per identifier column
    and minors under 14. No raw value is ever printed."""
    from ftzlist.discovery.draft import draft_declaration
    from ftzlist.discovery.readers import open_source
    from ftzlist.discovery.scanner import ScanOptions
    from ftzlist.discovery.scanner import scan as run_scan

    day = parse_date(as_of) if as_of else dt.date.today()
    options = ScanOptions(as_of=day, sample=sample, seed=seed, memory_limit=memory_limit)
    try:
        with open_source(target, table=table, encoding=encoding) as source:
            report = run_scan(source, options)
    except InputError:
        raise
    except Exception as exc:  # a library's message may quote a cell: keep only the error's type
        from ftzlist.discovery.readers import is_url, safe_url

        where = safe_url(target) if is_url(target) else target
        raise InputError(f"the scan failed ({type(exc).__name__}); no data is shown", where=where) from None
    report = _with_list_matches(report, lists)
    if draft is not None:
        try:
            draft.write_text(draft_declaration(report), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the draft ({exc.strerror})", where=str(draft)) from None
    if fmt == ScanFormat.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _render(report)
    if draft is not None:
        console(stderr=True).print(
            f"draft declaration written to {draft}: every item is marked `suggested: true` until reviewed"
        )


def _with_list_matches(report, lists):  # type: ignore[no-untyped-def]
    """Add the list items naming each suggested category; a scan still reports when the lists
    cannot be loaded (the note says why)."""
    from ftzlist.discovery.matching import list_matches
    from ftzlist.loader import load_law

    cats = {f.category for c in report.columns for f in c.findings}
    try:
        law = load_law(lists or ())
    except InputError as exc:
        console(stderr=True).print(f"note: list items not matched, the lists did not load: {exc}")
        return report
    return report.model_copy(update={"list_matches": list_matches(cats, law, report.as_of)})


def _render(report) -> None:  # type: ignore[no-untyped-def]
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    out = console()
    scope = (
        f"sample of {report.rows_scanned} of {report.rows_total} rows (seed {report.seed})"
        if report.sample is not None and report.rows_total > report.rows_scanned
        else f"{report.rows_scanned} rows"
    )
    title = f"ftzlist scan · {escape(report.source)}" + (f" · {escape(report.table)}" if report.table else "")
    t = Table(title=f"{title} · {scope} · as of {report.as_of}")
    for col in ("column", "kind", "category", "sensitive", "confidence", "evidence", "examples (masked)"):
        t.add_column(col, overflow="fold")
    for col in report.columns:
        if not col.findings:
            t.add_row(Text(col.name), "[dim]—[/dim]", "", "", "", f"{col.non_empty} values", "")
            continue
        for i, f in enumerate(col.findings):
            ev = f.evidence[0]
            how = (
                f"column name '{ev.hint or ''}'"
                if ev.detector == "column-name"
                else f"{ev.detector}: {ev.matched}/{ev.examined}"
            )
            if len(f.evidence) > 1:
                how += " + column name"
            sens = (
                f"[red]yes[/red] ({f.sensitive_ground})"
                if f.sensitive
                else ("no" if f.personal else "not PI")
            )
            t.add_row(
                Text(col.name) if i == 0 else "",
                Text(f.kind + (" (in text)" if f.embedded else "")),
                Text(f.category),
                sens,
                f"{f.confidence:.2f}",
                Text(how),  # plain text: no markup, no emoji codes (":phone:")
                Text(", ".join(ev.examples)),
            )
    out.print(t)
    if report.list_matches:
        out.print("[bold]list items naming these categories[/bold] (in force on the assessment date):")
        for cat, hits in report.list_matches.items():
            out.print(f"  {cat}: {', '.join(hits)}")
    if report.persons:
        p = Table(title="persons (distinct normalised identifiers)")
        for col in (
            "column",
            "identifier",
            "strength",
            "values",
            "distinct persons",
            "minors under 14",
            "scope",
        ):
            p.add_column(col)
        for f in report.persons:
            p.add_row(
                Text(f.column),
                f.kind,
                f.strength,
                str(f.identifiers),
                str(f.distinct_persons),
                "" if f.minors_under_14 is None else str(f.minors_under_14),
                f.scope,
            )
        out.print(p)
