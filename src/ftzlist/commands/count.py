"""`ftzlist count`: de-duplicated natural persons from export logs, with threshold crossing dates."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftzlist.commands.common import (
    KEY_ENV,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    format_option,
    law,
    output_path,
    read_key,
)
from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.counting.result import CountResult
    from ftzlist.law import Law
    from ftzlist.schema.declaration import Declaration


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def parse_conf(items: list[str] | None) -> dict[str, str]:
    """`--spark-conf KEY=VALUE` options as a dict (InputError on a malformed one)."""
    out = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--spark-conf expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def register(app: typer.Typer) -> None:
    app.command(name="count")(count)


def threshold_lists(the_law: Law, day: dt.date, ids: list[str] | None) -> list:
    """The national list in force on `day` (its counting rule sets the window), plus named lists."""
    out = [the_law.lists.national(day)]
    for list_id in ids or ():
        lf = the_law.lists.get(list_id)
        if lf.id not in {x.id for x in out}:
            out.append(lf)
    return out


def run_count(
    logs: list[str],
    mapping: Path,
    *,
    day: dt.date,
    key: bytes,
    the_law: Law,
    list_ids: list[str] | None = None,
    evidence: Path | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    detail: bool = False,
    engine_name: EngineName = EngineName.duckdb,
    spark_master: str | None = None,
    spark_conf: dict[str, str] | None = None,
    encoding: str | None = None,
) -> CountResult:
    """Shared by `count` and `assess --logs`."""
    from ftzlist.counting import count_persons, expand, load_mapping
    from ftzlist.counting.engine import DuckDBEngine, Engine

    m = load_mapping(mapping)
    spark = engine_name == EngineName.spark
    files = expand(logs, remote=spark, encoding=encoding)
    engine: Engine
    if spark:
        from ftzlist.counting.spark import SparkEngine

        engine = SparkEngine(master=spark_master, conf=spark_conf)
    else:
        engine = DuckDBEngine(memory_limit=memory_limit, threads=threads)
    try:
        return count_persons(
            files,
            m,
            as_of=day,
            key=key,
            lists=threshold_lists(the_law, day, list_ids),
            vocabulary=the_law.vocabulary,
            engine=engine,
            evidence=evidence,
            detail=detail,
        )
    finally:
        engine.close()


def count(
    logs: Annotated[
        list[str],
        typer.Argument(
            help="Log files, globs or folders (.csv, .parquet, .jsonl, .xlsx).", show_default=False
        ),
    ],
    mapping: Annotated[Path, typer.Option("--mapping", "-m", help="Mapping YAML: which column means what.")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Count up to this date, YYYY-MM-DD (default today in China Standard Time).",
        ),
    ] = None,
    fmt: format_option("table", "json") = "table",  # type: ignore[valid-type]
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help=f"HMAC key file (else ${KEY_ENV}).", show_default=False)
    ] = None,
    list_ids: Annotated[
        list[str] | None,
        typer.Option("--list", help="Also report this list's thresholds (repeatable).", show_default=False),
    ] = None,
    lists: ListsOption = None,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence", help="Write merged groups (hashed identifiers only) to this Parquet file."
        ),
    ] = None,
    engine: Annotated[
        EngineName, typer.Option("--engine", help="duckdb (embedded), or spark (PySpark: ftzlist[spark]).")
    ] = EngineName.duckdb,
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", help="Spark master URL (default local[*]); with --engine spark."),
    ] = None,
    spark_conf: Annotated[
        list[str] | None,
        typer.Option(
            "--spark-conf", help="Spark setting KEY=VALUE (repeatable), e.g. spark.driver.memory=8g."
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Text encoding of CSV/JSON Lines logs, e.g. gb18030 (default UTF-8)."
        ),
    ] = None,
    force: ForceOption = False,
    memory_limit: Annotated[str, typer.Option("--memory-limit", help="DuckDB memory limit.")] = "2500MB",
    threads: Annotated[
        int | None, typer.Option("--threads", help="DuckDB threads (default: all cores).")
    ] = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="Also count per data item and per category (slower).")
    ] = False,
) -> None:
    """Count de-duplicated natural persons, cumulative from 1 January, per flow, subject type and
    sensitivity, with the date each threshold was (or will be) crossed.

    Identifiers are normalised and linked (strong identifiers always, weak ones only where the
    mapping says link: true); nothing raw is printed: groups appear as keyed hashes.
    """
    day = as_of_day(as_of)
    key = read_key(key_file)
    the_law = law(lists)
    if evidence is not None:  # never over a log, the mapping or the key; --force to replace a file
        from ftzlist.counting import expand

        inputs = [f.path for f in expand(logs)] + [mapping] + ([key_file] if key_file else [])
        evidence = output_path(evidence, inputs=inputs, force=force, what="evidence file")
    result = run_count(  # the evidence file is written under a temporary name and renamed
        logs,
        mapping,
        day=day,
        key=key,
        the_law=the_law,
        list_ids=list_ids,
        evidence=evidence,
        memory_limit=memory_limit,
        threads=threads,
        engine_name=engine,
        spark_master=spark_master,
        spark_conf=parse_conf(spark_conf),
        encoding=encoding,
        detail=detail,
    )
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    render(result)


def _axes_row(a) -> tuple[str, str, str]:
    return f"{a.non_sensitive:,}", f"{a.sensitive:,}", f"{a.any:,}"


def _proj(c) -> str:
    if c.crossed_on is not None:
        return ""
    if c.projected_on and c.projected_within_window:
        return str(c.projected_on)
    return "not this year at the current rate" if c.projected_within_window is False else ""


def render(r: CountResult) -> None:
    """The result as tables (records off a terminal or where a table would cut a value). Values from
    the logs and the mapping are plain text, never markup."""
    from rich.text import Text

    from ftzlist.render.output import Column, table

    out = console()
    out.print(
        Text.assemble(
            (f"Persons exported {r.window_start} to {r.as_of}", "bold"),
            f"  (rule: {r.rule.list_id or 'none'}{', ' + r.rule.citation if r.rule.citation else ''}; run {r.run_id})",
        )
    )
    axes = [Column("non-sensitive", "right"), Column("sensitive", "right"), Column("any", "right")]
    table(
        out,
        [Column("persons"), *axes],
        [["counted", *_axes_row(r.totals)], ["set apart (exempt)", *_axes_row(r.exempt_totals)]],
        title="Handler-wide (de-duplicated natural persons)",
    )
    for title, rows, key in (("Per flow", r.by_flow, "flow"), ("Per subject type", r.by_subject, "subject")):
        table(
            out,
            [
                Column(key),
                Column("rows", "right"),
                *axes,
                Column("exempt rows", "right"),
                Column("exempt persons", "right"),
            ],
            [
                [
                    str(getattr(b, key) or "(not stated)"),
                    f"{b.rows:,}",
                    *_axes_row(b.persons),
                    f"{b.exempt_rows:,}",
                    f"{b.exempt_persons.any:,}",
                ]
                for b in rows
            ],
            title=title,
        )
    handler = [c for c in r.crossings if c.flow is None]
    per_flow = [c for c in r.crossings if c.flow is not None and c.data_item is None]
    for title, rows, with_flow in (("Thresholds", handler, False), ("Thresholds per flow", per_flow, True)):
        if not rows:
            continue
        cols = [
            Column(c, "right" if c in ("threshold", "count") else "left")
            for c in ["list", "group", "threshold", "count", "crossed on", "projected", "items"]
        ]
        table(
            out,
            ([Column("flow")] if with_flow else []) + cols,
            [
                ([c.flow or ""] if with_flow else [])
                + [
                    c.list_id or "",
                    f"{c.group or ''} {c.sensitivity or ''}".strip(),
                    f"{c.threshold:,}",
                    f"{c.count:,}",
                    str(c.crossed_on or ""),
                    _proj(c),
                    ", ".join(c.items) + (f" ({c.note})" if c.note else ""),
                ]
                for c in rows
            ],
            title=title,
        )
    for o in r.sensitivity_overrides:
        out.print(
            Text(
                f"sensitivity override used: data item '{o.data_item}' counted as "
                f"{'sensitive' if o.sensitive else 'not sensitive'} in {o.rows:,} rows "
                f"(reviewed by {o.reviewed_by} on {o.reviewed_on}: {o.basis})",
                style="yellow",
            )
        )
    q = r.quality
    out.print(
        f"rows read {q.rows_read:,}; in window {q.rows_in_window:,}; before {q.rows_before_window:,}; "
        f"after as-of {q.rows_after_as_of:,}; without a linking identifier {q.rows_without_linking_identifier:,}; "
        f"linked groups {q.linked_groups:,}; doubtful (not merged) {q.doubtful_groups:,}",
        markup=False,
    )
    if q.sensitivity_raised_rows:
        out.print(
            f"{q.sensitivity_raised_rows:,} rows claimed non-sensitive on a sensitive category: counted as "
            "sensitive (only a reviewed override in the mapping lowers a category's sensitivity)",
            markup=False,
        )
    for c in q.identifiers:
        if c.present is None:
            out.print(
                Text(
                    f"  {c.label} ({c.kind}): not linking, not checked (linking.check_unlinked: true checks it)"
                )
            )
            continue
        out.print(
            Text(
                f"  {c.label} ({c.kind}): {c.valid:,} valid / {c.invalid:,} invalid rows; "
                f"distinct {c.distinct_valid:,} valid / {c.distinct_invalid:,} invalid"
            )
        )
    if r.suspicious:
        out.print(
            f"[yellow]{len(r.suspicious)} suspicious group(s)[/yellow] (identifiers shown as keyed hashes):"
        )
        for s in r.suspicious[:10]:
            out.print(Text(f"  {s.kind}: {s.reason} ({'; '.join(s.identifiers)})"))
    for reading in r.readings:
        out.print(Text(f"reading: {reading}", style="dim"))


def fill_from_logs(
    declaration: Declaration,
    *,
    logs: list[str],
    mapping: Path | None,
    key_file: Path | None,
    day: dt.date,
    the_law: Law,
) -> Declaration:
    """For `ftzlist assess --logs ... --mapping ...`: count the logs for `day` and return the
    declaration with persons filled (and cited) on every data item the logs cover. Follow the
    decision with `ftzlist.counting.fill.cite_counts(decision, filled)` so it cites the counts."""
    from ftzlist.counting.fill import fill_declaration

    if mapping is None:
        raise InputError("--logs needs --mapping (which column of the logs means what)")
    result = run_count(logs, mapping, day=day, key=read_key(key_file), the_law=the_law, detail=True)
    return fill_declaration(declaration, result)
