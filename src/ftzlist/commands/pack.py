"""`ftzlist pack`: the filing packs a declaration's decision calls for, and the evidence bundle."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import AsOfOption, ListsOption, as_of_day, console, law
from ftzlist.errors import InputError


class Format(StrEnum):
    docx = "docx"
    pdf = "pdf"


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    bilingual = "bilingual"


def register(app: typer.Typer) -> None:
    app.command(name="pack")(pack)


def pack(
    declaration: Annotated[Path, typer.Argument(help="Declaration (YAML, JSON or the XLSX inventory).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Folder to write (default: DECLARATION-pack next to it)."
        ),
    ] = None,
    formats: Annotated[
        list[Format] | None,
        typer.Option("--format", "-f", help="docx and/or pdf (repeat the option; default both)."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the documents.")] = Lang.bilingual,
    evidence: Annotated[
        bool, typer.Option("--evidence/--no-evidence", help="Write the evidence bundle (evidence/).")
    ] = True,
    counts: Annotated[
        Path | None,
        typer.Option(
            "--counts",
            metavar="FILE",
            help="The count run behind the persons (`ftzlist count --format json`).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Register to extract for the evidence bundle (SQLAlchemy URL).",
            show_default=False,
        ),
    ] = None,
    handler: Annotated[
        str | None,
        typer.Option("--handler", metavar="KEY", help="The handler's key in the register (with --db)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a folder that is not empty.")] = False,
    as_of: AsOfOption = None,
    lists: ListsOption = None,
) -> None:
    """Draft the filing packs the decision calls for — standard contract (Appendix 1 per recipient,
    impact assessment), security assessment (declaration form's data sections, self-assessment
    report), a zone's list filing — bilingual, every value naming its source and every gap marked,
    plus the evidence bundle (decision, declaration, report, lists, count run, register extract,
    SHA-256 manifest)."""
    from ftzlist.engine import decide
    from ftzlist.loader import load_declaration
    from ftzlist.reports.packs import draft, write_documents
    from ftzlist.yamlio import read_text

    if (db is None) != (handler is None):
        raise InputError("--db and --handler go together: the register and the handler's key in it")
    the_law = law(lists)
    decl = load_declaration(declaration, the_law)
    day = as_of_day(as_of, decl.as_of)
    target = out or declaration.with_name(f"{declaration.stem}-pack")
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a folder", where=str(target))
    if target.exists() and any(target.iterdir()) and not force:
        raise InputError("the folder is not empty; use --force to write into it", where=str(target))
    count_json = read_text(counts) if counts is not None else None
    ds = decide(decl, the_law, day)
    result = draft(decl, ds, the_law)
    fmts = tuple(dict.fromkeys(f.value for f in (formats or [Format.docx, Format.pdf])))
    written = write_documents(result, target, formats=fmts, lang=lang.value)  # type: ignore[arg-type]
    if evidence:
        from ftzlist.reports.packs.evidence import register_extract, write_bundle

        extract = None
        if db is not None and handler is not None:
            from ftzlist.commands.common import open_register
            from ftzlist.filings.verify import verify

            reg = open_register(db)
            try:
                extract = register_extract(reg, handler, [f.flow_id for f in ds.flows], day)
                check = verify(reg.engine)
            finally:
                reg.close()
            # the register's own integrity check, and the anchor to re-check this extract against later
            extract["verification"] = {
                "ok": check.ok,
                "anchor": str(check.head) if check.head else None,
                "problems": [str(p) for p in check.problems[:50]],
                "recheck": "ftzlist filings verify --anchor <anchor>",
            }
        try:
            manifest = write_bundle(
                target / "evidence",
                decl,
                ds,
                the_law,
                lang=lang.value,
                count_json=count_json,
                register=extract,  # type: ignore[arg-type]
            )
        except ValueError as exc:
            raise InputError(
                f"not an `ftzlist count --format json` result: {exc}", where=str(counts)
            ) from None
        written.append(manifest)
    err = console(stderr=True)
    for d in result.documents:
        err.print(f"{d.id}: {len(d.gaps())} item(s) to complete")
    for what, why in result.not_drafted:
        err.print(f"not drafted: {what}: {why[1]}", markup=False)
    err.print(f"wrote {len(written)} file(s) to {target}", markup=False)
