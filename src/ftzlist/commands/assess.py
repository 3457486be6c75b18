"""`ftzlist assess`: judge declarations and say, per flow, what it needs and why."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ftzlist.commands.common import (
    AsOfOption,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    format_option,
    law,
    output_path,
    outputs_for,
    replacing,
    write_text,
)
from ftzlist.errors import EXIT_OK, EXIT_UNDETERMINED, InputError

if TYPE_CHECKING:
    from ftzlist.compare.alternatives import Elsewhere
    from ftzlist.engine.stream import Assessment
    from ftzlist.law import Law
    from ftzlist.schema.decision import FlowDecision
    from ftzlist.schema.declaration import Declaration
    from ftzlist.schema.lists import ListFile


class ChecksChoice(StrEnum):
    """`--checks`: which rule checks each flow explains (see `ftzlist.engine.decide`)."""

    fired = "fired"
    all = "all"


def register(app: typer.Typer) -> None:
    app.command(name="assess")(assess)


def assess(
    files: Annotated[
        list[Path], typer.Argument(help="Declaration files (YAML or JSON).", show_default=False)
    ],
    as_of: AsOfOption = None,
    fmt: format_option("table", "json", "jsonl", "markdown", "xlsx") = "table",  # type: ignore[valid-type]
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every rule checked, fired or not.")
    ] = False,
    checks: Annotated[
        ChecksChoice | None,
        typer.Option(
            "--checks",
            metavar="fired|all",
            case_sensitive=False,
            help="Rule checks each flow explains: all (every rule evaluated; the default but for jsonl) "
            "or fired (those that bear on the answer: fired, lifted, unknown; the default for jsonl).",
            show_default=False,
        ),
    ] = None,
    lists: ListsOption = None,
    accept_suggestions: Annotated[
        bool,
        typer.Option("--accept-suggestions", help="Treat data items drafted by `ftzlist scan` as confirmed."),
    ] = False,
    alternatives: Annotated[
        bool,
        typer.Option(
            "--alternatives/--no-alternatives",
            help="Where the handler's zone list permits relying on other zones' lists, name lighter paths there.",
        ),
    ] = True,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write here instead of stdout (json, markdown); with xlsx the workbook, or a folder for "
            "several declarations (default FILE-decisions.xlsx beside each).",
        ),
    ] = None,
    force: ForceOption = False,
    logs: Annotated[
        list[str] | None,
        typer.Option(
            "--logs",
            help="Export logs (files, globs, folders; repeatable) to fill persons from: see `ftzlist count`.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="With --logs: the mapping YAML.", show_default=False)
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file", help="With --logs: HMAC key file (else $FTZLIST_HASH_KEY).", show_default=False
        ),
    ] = None,
) -> None:
    """Assess declarations: pathway, obligations, reasons with citations, headroom, what is missing.

    Exit code 0 when every flow is determined, 1 when any flow is undetermined, 2 on invalid input.
    """
    from ftzlist.compare import cross_zone_alternatives
    from ftzlist.counting.fill import cite_counts
    from ftzlist.engine import decide

    the_law = law(lists)
    if out is not None and fmt == "table":
        raise InputError("--out writes json, jsonl, markdown or xlsx; add --format")
    which = checks.value if checks is not None else ("fired" if fmt == "jsonl" else "all")
    if explain and which != "all":
        raise InputError("--explain shows every rule checked: leave out --checks fired, or pass --checks all")
    if fmt == "xlsx":  # every output checked before any work: never an input, never replaced silently
        targets = outputs_for(
            files, out, lambda p: p.with_name(f"{p.stem}-decisions.xlsx"), force=force, what="workbook"
        )
    elif out is not None:
        target = output_path(out, inputs=files, force=force)
    read = partial(
        _read,
        the_law=the_law,
        as_of=as_of,
        accept_suggestions=accept_suggestions,
        logs=logs,
        mapping=mapping,
        key_file=key_file,
    )
    if fmt in ("json", "jsonl"):  # one flow at a time: never the whole decision set in memory
        stream = partial(
            _stream, files, read, the_law=the_law, checks=which, alternatives=alternatives, fmt=fmt
        )
        if out is None:
            determined = stream(sys.stdout)
        else:
            with replacing(target) as tmp, tmp.open("w", encoding="utf-8") as text:
                determined = stream(text)
            console(stderr=True).print(f"wrote {target}", markup=False)
        raise typer.Exit(EXIT_OK if determined else EXIT_UNDETERMINED)
    declarations, results = [], []
    for path in files:
        declared, decl, day = read(path)
        declarations.append(declared)
        decision = (
            cross_zone_alternatives(decl, the_law, day, checks=which)
            if alternatives
            else decide(decl, the_law, day, checks=which)
        )
        results.append(cite_counts(decision, decl) if logs else decision)
    if fmt == "xlsx":
        from ftzlist.excel.inventory import read_inventory_full
        from ftzlist.reports.workbook import write_decisions

        for path, decl, r, target in zip(files, declarations, results, targets, strict=True):
            in_use = read_inventory_full(path, the_law).current_pathways if path.suffix == ".xlsx" else None
            with replacing(target) as tmp:
                write_decisions(r, the_law, tmp, declaration=decl, current_pathways=in_use)
            console(stderr=True).print(f"wrote {target}", markup=False)
    elif fmt == "markdown":
        from ftzlist.render.markdown import render

        text = "\n".join(render(r, explain) for r in results)
        if out is not None:
            write_text(target, text)
            console(stderr=True).print(f"wrote {target}", markup=False)
        else:
            sys.stdout.write(text)
    else:
        from ftzlist.render.terminal import render

        screen = console()
        for r in results:
            screen.print(render(r, explain))
    raise typer.Exit(EXIT_OK if all(r.determined for r in results) else EXIT_UNDETERMINED)


Reader = Callable[[Path], "tuple[Declaration, Declaration, dt.date]"]


def _read(
    path: Path,
    *,
    the_law: Law,
    as_of: dt.date | None,
    accept_suggestions: bool,
    logs: list[str] | None,
    mapping: Path | None,
    key_file: Path | None,
) -> tuple[Declaration, Declaration, dt.date]:
    """(as declared, with persons filled from `logs` if given, the assessment day) for one file."""
    from ftzlist.loader import load_declaration

    declared = load_declaration(path, the_law)
    unreviewed = declared.suggested_items()
    if unreviewed and not accept_suggestions:
        raise InputError(
            "data items drafted by `ftzlist scan` are not reviewed yet (remove `suggested: true` once "
            "checked, or pass --accept-suggestions)",
            where=str(path),
            problems=unreviewed,
        )
    day = as_of_day(as_of, declared.as_of)
    if not logs:
        return declared, declared, day
    from ftzlist.commands.count import fill_from_logs  # persons from the export logs, cited in the decision

    filled = fill_from_logs(declared, logs=logs, mapping=mapping, key_file=key_file, day=day, the_law=the_law)
    return declared, filled, day


def _stream(
    files: list[Path],
    read: Reader,
    out: TextIO,
    *,
    the_law: Law,
    checks: str,
    alternatives: bool,
    fmt: str,
) -> bool:
    """Write each declaration's decisions as JSON lines or as the JSON document (a list of them
    for several files), one flow at a time (ftzlist.render.jsonl); True when every flow is
    determined. A declaration is read whole (the counts behind every band are handler-wide);
    no decision is kept once written."""
    from ftzlist.compare.alternatives import decided_elsewhere, permitting_lists
    from ftzlist.counting.fill import count_citations
    from ftzlist.engine.decide import no_cyclic_gc
    from ftzlist.engine.stream import Assessment
    from ftzlist.render import jsonl

    determined = True
    several = fmt == "json" and len(files) > 1
    if several:
        out.write("[\n")
    for n, path in enumerate(files):
        _, decl, day = read(path)
        assessment = Assessment(decl, the_law, day, checks)  # type: ignore[arg-type]
        header = assessment.header()
        permits = permitting_lists(the_law, header) if alternatives and decl.handler.zone else []
        found = (
            decided_elsewhere(decl, the_law, day, header.governing_lists, like=assessment) if permits else {}
        )

        flows = _flows(assessment, found, permits, count_citations(decl))
        with no_cyclic_gc():
            if fmt == "jsonl":
                jsonl.write(out, header, flows, assessment.totals)
            else:
                out.write(",\n" if n else "")
                jsonl.write_document(out, header, flows, assessment.totals)
                out.write("" if several else "\n")
        out.flush()
        determined = determined and assessment.determined()
    if several:
        out.write("\n]\n")
    return determined


def _flows(
    assessment: Assessment,
    found: dict[int, list[Elsewhere]],
    permits: list[ListFile],
    cited: dict[str, list[str]],
) -> Iterator[FlowDecision]:
    """The assessment's flows, each with its alternatives elsewhere and the counts it used."""
    from ftzlist.compare.alternatives import with_alternatives
    from ftzlist.counting.fill import cite_flow_counts

    for i, fd in enumerate(assessment.flows()):
        yield cite_flow_counts(with_alternatives(fd, found[i], permits[0]) if i in found else fd, cited)
