"""`ftzlist lists doc`: a list's reading document (what the instrument is, whom it binds, article by
article the rules that encode it and the readings taken), made from the list file. Registered on the
`lists` sub-app."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import ForceOption, ListsOption, group, law, list_arg, output_path, write_text
from ftzlist.errors import InputError

lists_app = group("lists")


class DocLang(StrEnum):
    en = "en"
    zh = "zh"


def register(app: typer.Typer) -> None:
    """The command attaches to `lists_app` at import; nothing to add to the root app."""


@lists_app.command("doc")
def doc_cmd(
    refs: Annotated[
        list[str] | None,
        typer.Argument(help="Lists: ids of bundled (or --lists) lists, or list files.", show_default=False),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Every list loaded (the bundled ones and --lists).", show_default=False),
    ] = False,
    lang: Annotated[DocLang, typer.Option("--lang", help="Language of the document.")] = DocLang.en,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="A file (one list) or a folder, where each list's document is <list id>.md "
            "(<list id>.zh.md in Chinese). Without it one list's document is printed.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    lists: ListsOption = None,
) -> None:
    """Write the reading document of a list as Markdown: every article the list keeps with the rules
    that encode it, every other citation with its rules, the readings taken, the parts not encoded.

    Nothing is written unless every output can be: an existing file needs --force."""
    from ftzlist.render.listdoc import reading_document

    the_law = law(lists)
    if every == bool(refs):
        raise InputError("name the lists to document, or pass --all (not both)")
    chosen = [(lf, the_law.lists.paths[lf.id].name) for lf in the_law.lists] if every else []
    for ref in refs or []:
        if ref in the_law.lists.by_id:
            chosen.append((the_law.lists.get(ref), the_law.lists.paths[ref].name))
        else:
            chosen.append((list_arg(ref, lists)[0], Path(ref).name))
    suffix = ".md" if lang is DocLang.en else f".{lang.value}.md"
    if out is None or not out.is_dir():
        if len(chosen) > 1:
            raise InputError(
                f"{len(chosen)} lists: --out must name an existing folder", where=str(out) if out else None
            )
        if out is None:
            lf, name = chosen[0]
            sys.stdout.write(reading_document(lf, the_law, lang.value, file=name))
            return
        targets = [out]
    else:
        targets = [out / f"{lf.id}{suffix}" for lf, _ in chosen]
    inputs = [the_law.lists.paths[lf.id] for lf, _ in chosen if lf.id in the_law.lists.paths]
    for target in targets:
        output_path(target, inputs=inputs, force=force, what="document")
    for (lf, name), target in zip(chosen, targets, strict=True):
        write_text(target, reading_document(lf, the_law, lang.value, file=name))
        typer.echo(f"{lf.id}: {target}")
