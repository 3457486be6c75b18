"""`ftzlist scan`: find the personal information in a table and draft the declaration items."""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    escape,
    format_option,
    output_path,
    write_text,
)
from ftzlist.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)


def scan(
    target: Annotated[
        str,
        typer.Argument(
            help="A CSV, Parquet, JSONL or XLSX file, a database URL (postgresql://user@host/db), or - "
            "for CSV on standard input.",
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
            help="Assessment date YYYY-MM-DD: minors are counted as of it (default today in China Standard Time).",
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
    fmt: format_option("table", "json") = "table",  # type: ignore[valid-type]
    lists: ListsOption = None,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit", help="Memory for the distinct-person state (beyond it: hashes spill to disk)."
        ),
    ] = "384MB",
    force: ForceOption = False,
) -> None:
    """Scan a table: per column, the kinds of personal information found, with evidence (masked
    examples), confidence, taxonomy category and sensitivity; distinct persons per identifier column
    and minors under 14. No raw value is ever printed."""
    from ftzlist.discovery.draft import draft_declaration
    from ftzlist.discovery.readers import is_url, open_source
    from ftzlist.discovery.scanner import ScanOptions
    from ftzlist.discovery.scanner import scan as run_scan
    from ftzlist.identifiers.masking import safe_url

    day = as_of_day(as_of)
    if draft is not None:  # checked before the scan: never the scanned file, never replaced silently
        draft = output_path(
            draft, inputs=[] if is_url(target) else [target], force=force, what="draft declaration"
        )
    options = ScanOptions(as_of=day, sample=sample, seed=seed, memory_limit=memory_limit)
    try:
        with _local(target) as path, open_source(path, table=table, encoding=encoding) as source:
            report = run_scan(source, options)
    except InputError:
        raise
    except Exception as exc:  # a library's message may quote a cell: keep only the error's type
        where = safe_url(target) if is_url(target) else target
        raise InputError(f"the scan failed ({type(exc).__name__}); no data is shown", where=where) from None
    if target == "-":
        report = report.model_copy(update={"source": "<stdin>"})
    report = _with_list_matches(report, lists)
    if draft is not None:
        write_text(draft, draft_declaration(report))
    if fmt == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _render(report)
    if draft is not None:
        console(stderr=True).print(
            f"draft declaration written to {escape(draft)}: every item is marked `suggested: true` until reviewed"
        )


@contextlib.contextmanager
def _local(target: str) -> Iterator[str]:
    """`target` itself, or for `-` a private temporary CSV copy of standard input (removed after)."""
    if target != "-":
        yield target
        return
    with tempfile.TemporaryDirectory(prefix="ftzlist-scan-") as tmp:
        path = Path(tmp) / "stdin.csv"
        with path.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        yield str(path)


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
    """Findings and person facts as tables (records off a terminal or where a table would cut a
    value); every value is plain text (no markup, no emoji codes such as ":phone:")."""
    from rich.text import Text

    from ftzlist.render.output import table

    out = console()
    scope = (
        f"sample of {report.rows_scanned} of {report.rows_total} rows (seed {report.seed})"
        if report.sample is not None and report.rows_total > report.rows_scanned
        else f"{report.rows_scanned} rows"
    )
    title = f"ftzlist scan · {report.source}" + (f" · {report.table}" if report.table else "")
    rows = []
    for col in report.columns:
        if not col.findings:
            rows.append([col.name, Text("—", style="dim"), "", "", "", f"{col.non_empty} values", ""])
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
                Text.assemble(("yes", "red"), f" ({f.sensitive_ground})")
                if f.sensitive
                else ("no" if f.personal else "not PI")
            )
            rows.append(
                [
                    col.name if i == 0 else "",
                    f.kind + (" (in text)" if f.embedded else ""),
                    f.category,
                    sens,
                    f"{f.confidence:.2f}",
                    how,
                    ", ".join(ev.examples),
                ]
            )
    heads = ["column", "kind", "category", "sensitive", "confidence", "evidence", "examples (masked)"]
    table(out, heads, rows, title=f"{title} · {scope} · as of {report.as_of}")
    for note in report.notes:
        out.print(Text(f"note: {note}", style="yellow"), soft_wrap=not out.is_terminal)
    if report.list_matches:
        out.print(
            Text.assemble(
                ("list items naming these categories", "bold"), " (in force on the assessment date):"
            )
        )
        for cat, hits in report.list_matches.items():
            out.print(Text(f"  {cat}: {', '.join(hits)}"), soft_wrap=not out.is_terminal)
    if report.persons:
        heads = ["column", "identifier", "strength", "values", "distinct persons", "minors under 14", "scope"]
        rows = [
            [
                f.column,
                f.kind,
                f.strength,
                str(f.identifiers),
                str(f.distinct_persons),
                "" if f.minors_under_14 is None else str(f.minors_under_14),
                f.scope,
            ]
            for f in report.persons
        ]
        table(out, heads, rows, title="persons (distinct normalised identifiers)")
