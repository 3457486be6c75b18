"""`ftzlist snapshots`: what changed between two decisions of a handler, as a memo for the file."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ftzlist.commands.common import (
    ForceOption,
    ListsOption,
    console,
    format_option,
    law,
    output_path,
    replacing,
)
from ftzlist.errors import InputError

if TYPE_CHECKING:
    from ftzlist.snapshots import HandlerSnapshot

snapshots_app = typer.Typer(
    help="Decisions kept over time: list a handler's snapshots, diff two of them.", no_args_is_help=True
)

DiffFormat = format_option("markdown", "docx", "json", default="markdown")
ListFormat = format_option("table", "json")
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL of the register (default: SQLite in the user data dir; env FTZLIST_DB).",
        show_default=False,
    ),
]


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


def register(app: typer.Typer) -> None:
    app.add_typer(snapshots_app, name="snapshots")


def _from_register(db: str | None, handler: str) -> list[HandlerSnapshot]:
    from ftzlist.commands.common import open_register
    from ftzlist.snapshots.diff import from_register

    reg = open_register(db)
    try:
        if not hasattr(reg, "flows"):  # pragma: no cover - until the register lists a handler's flows
            raise InputError(
                "this register cannot list a handler's flows yet; diff two `assess --format json` files"
            )
        flows = reg.flows(handler)
        rows = [(flow, s) for flow in flows for s in reg.snapshots(handler, flow)]
    finally:
        reg.close()
    if not rows:
        raise InputError(f"the register holds no decision snapshot for handler '{handler}'")
    return from_register(rows, handler)


def _pick(snaps: list[HandlerSnapshot], label: str | None, default: int, what: str) -> HandlerSnapshot:
    if label is None:
        return snaps[default]
    want = label if label.startswith("#") else f"#{label}"
    for s in snaps:
        if s.label == want:
            return s
    raise InputError(f"{what}: no decision {want} for this handler; `ftzlist snapshots list` shows them")


@snapshots_app.command("diff")
def diff_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Two `ftzlist assess --format json` files: before, after.", show_default=False),
    ] = None,
    handler: Annotated[
        str | None,
        typer.Option(
            "--handler", metavar="KEY", help="Read the handler's snapshots from the register instead."
        ),
    ] = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="#ID",
            help="With --handler: the earlier decision (#id; default the one before last).",
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="#ID", help="With --handler: the later decision (#id; default the last)."
        ),
    ] = None,
    fmt: DiffFormat = "markdown",  # type: ignore[valid-type]
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the memo.")] = Lang.en,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the memo to this file (docx needs it).")
    ] = None,
    force: ForceOption = False,
    db: DbOption = None,
    lists: ListsOption = None,
) -> None:
    """Which flows changed pathway between two decisions, and what differs that could explain it:
    the data, a list edition (new in force or revised), the date, or the engine — as a memo."""
    from ftzlist.schema.decision import DecisionSet
    from ftzlist.snapshots import diff, from_decision_set
    from ftzlist.snapshots.memo import markdown, write_docx
    from ftzlist.yamlio import load_model

    if handler is None:
        if not files or len(files) != 2:
            raise InputError("give two `assess --format json` files (before, after), or --handler")
        a, b = (from_decision_set(load_model(DecisionSet, p), p.name) for p in files)
    else:
        if files:
            raise InputError("give either two files or --handler, not both")
        snaps = _from_register(db, handler)
        if len(snaps) < 2 and (before is None or after is None):
            raise InputError(
                f"handler '{handler}' has {len(snaps)} decision(s) in the register: nothing to compare"
            )
        a = _pick(snaps, before, -2, "--from")
        b = _pick(snaps, after, -1, "--to")
    the_law = law(lists)
    result = diff(a, b, the_law)
    if fmt == "json":
        text = result.model_dump_json(indent=2) + "\n"
    elif fmt == "markdown":
        text = markdown(result, lang.value, the_law)  # type: ignore[arg-type]
    else:
        if out is None:
            raise InputError("--format docx writes a file: give --out")
        text = None
    if out is None:
        sys.stdout.write(text or "")
        return
    target = output_path(out, inputs=files or [], force=force, what="memo")
    with replacing(target) as tmp:
        if text is None:
            write_docx(result, tmp, lang.value, the_law)  # type: ignore[arg-type]
        else:
            tmp.write_text(text, encoding="utf-8")
    console(stderr=True).print(f"wrote {target}", markup=False)


@snapshots_app.command("list")
def list_cmd(
    handler: Annotated[str, typer.Argument(help="Handler key in the register.", show_default=False)],
    fmt: ListFormat = "table",  # type: ignore[valid-type]
    db: DbOption = None,
) -> None:
    """The handler's decisions kept in the register (flows snapshotted together form one)."""
    snaps = _from_register(db, handler)
    if fmt == "json":
        import json

        sys.stdout.write(
            json.dumps(
                [
                    {
                        "id": s.label,
                        "as_of": s.as_of.isoformat(),
                        "taken_at": s.taken_at.isoformat() if s.taken_at else None,
                        "input_sha256": s.input_sha256,
                        "engine_version": s.engine_version,
                        "lists": s.lists,
                        "flows": {f.flow_id: f.pathway.value for f in s.flows},
                    }
                    for s in snaps
                ],
                indent=2,
            )
            + "\n"
        )
        return
    from ftzlist.render.output import table

    table(
        console(),
        ["decision", "as of", "recorded", "input", "lists", "flows"],
        [
            [
                s.label,
                str(s.as_of),
                s.taken_at.isoformat(timespec="seconds") if s.taken_at else "",
                s.input_sha256[:16],
                ", ".join(sorted(s.lists)),
                ", ".join(f"{f.flow_id}: {f.pathway.value}" for f in s.flows),
            ]
            for s in snaps
        ],
        title=f"{handler}: decisions kept",
    )
