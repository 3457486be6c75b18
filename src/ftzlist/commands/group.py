"""`ftzlist group`: several handlers of one group in one run, with roll-ups by recipient and country."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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
    replacing,
)
from ftzlist.errors import InputError

Format = format_option("table", "json", "markdown", "xlsx")


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


def register(app: typer.Typer) -> None:
    app.command(name="group")(group)


def group(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The entities' declarations (YAML, JSON or XLSX), or one group file (name, as_of, entities).",
            show_default=False,
        ),
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="The group's name (default: the group file's).")
    ] = None,
    fmt: Format = "table",  # type: ignore[valid-type]
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language of the table, Markdown and workbook.")
    ] = Lang.en,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="With --format xlsx: the workbook.")] = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    lists: ListsOption = None,
) -> None:
    """Decide each subsidiary on its own declaration (in its zone or none) and show the group:
    per-entity answers, a group summary, and roll-ups by recipient and by recipient country.
    Thresholds stay per handler; the roll-ups show exposure, they decide nothing."""
    from ftzlist.group import load_group, run_group
    from ftzlist.loader import load_declaration

    the_law = law(lists)
    declared = None
    if len(files) == 1 and files[0].suffix.lower() in (".yaml", ".yml") and _is_group_file(files[0]):
        spec, members = load_group(files[0])
        group_name, declared = name or spec.name, spec.as_of
    else:
        members = [(p.stem, p) for p in files]
        group_name = name or "group"
    decls = [(key, load_declaration(path, the_law), str(path)) for key, path in members]
    dates = {d.as_of for _, d, _ in decls if d.as_of is not None}
    if as_of is None and declared is None and len(dates) > 1:
        raise InputError(
            "the declarations give different as_of dates "
            + ", ".join(sorted(str(d) for d in dates))
            + ": a group is judged on one day; give --as-of"
        )
    day = as_of_day(as_of, declared or (dates.pop() if dates else None))
    result = run_group(group_name, decls, the_law, day)
    if fmt == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    elif fmt == "markdown":
        from ftzlist.group.render import markdown

        sys.stdout.write(markdown(result, lang.value))  # type: ignore[arg-type]
    elif fmt == "xlsx":
        from ftzlist.group.render import write_xlsx

        target = output_path(
            out or Path(f"{group_name}-group.xlsx"), inputs=[p for _, p in members], force=force
        )
        with replacing(target) as tmp:
            write_xlsx(result, tmp, lang.value)  # type: ignore[arg-type]
        console(stderr=True).print(f"wrote {target}", markup=False)
    else:
        _print(result, lang.value)
    raise typer.Exit(1 if result.summary.undetermined else 0)


def _is_group_file(path: Path) -> bool:
    from ftzlist.yamlio import parse, read_text

    data = parse(read_text(path), str(path))
    return isinstance(data, dict) and "entities" in data


def _print(result, lang: str) -> None:
    from ftzlist.group.render import country_rows, entity_rows, recipient_rows, summary_rows, word
    from ftzlist.render.output import table

    c = console()
    table(
        c,
        [word("note", lang), ""],
        summary_rows(result, lang),
        title=f"{result.name} — {word('summary', lang)}",
    )  # type: ignore[arg-type]
    for title, (head, rows) in (
        ("per_entity", entity_rows(result, lang)),  # type: ignore[arg-type]
        ("per_recipient", recipient_rows(result, lang)),  # type: ignore[arg-type]
        ("per_country", country_rows(result, lang)),  # type: ignore[arg-type]
    ):
        table(c, head, rows, title=word(title, lang))  # type: ignore[arg-type]
    for n in result.notes:
        c.print(n, markup=False, soft_wrap=True)
