"""`ftzlist lists import|export`: a zone's published table into a list file, and a list back into the
official layout for review beside the original. Registered on the `lists` sub-app."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    ForceOption,
    ListsOption,
    console,
    group,
    law,
    list_arg,
    output_path,
    parse_date,
    today,
    write_text,
)
from ftzlist.errors import EXIT_INVALID, EXIT_OK, InputError

lists_app = group("lists")


def register(app: typer.Typer) -> None:
    """The commands attach to `lists_app` at import; nothing to add to the root app."""


def _text(value: str | None, what: str):
    """'中文 | English' -> Text."""
    from ftzlist.schema.common import Text

    if value is None:
        return None
    zh, sep, en = value.partition("|")
    if not sep or not zh.strip() or not en.strip():
        raise InputError(f"{what}: expected 'Chinese | English', got '{value}'")
    return Text(zh=zh.strip(), en=en.strip())


@lists_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The published table: .xlsx, .csv or .docx (Word annex).")],
    list_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="Id of the list version, e.g. hubei-ftz-2026 (an export's own by default)."
        ),
    ] = None,
    zone: Annotated[
        str | None, typer.Option("--zone", help="Zone id the list binds, e.g. fujian-ftz.")
    ] = None,
    issued: Annotated[str | None, typer.Option("--issued", help="Date of issue, YYYY-MM-DD.")] = None,
    effective: Annotated[
        str | None, typer.Option("--effective", help="First day in force, YYYY-MM-DD.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Only this sheet (Excel) or table number (Word).")
    ] = None,
    terms: Annotated[
        Path | None, typer.Option("--terms", help="Term map: table words -> vocabulary ids (YAML).")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="A list (file or id) whose measures-level parts (procedures, counting, overrides, "
            "reference rules, catalogue, sector notes) the import keeps; its table rows are replaced.",
        ),
    ] = None,
    fills: Annotated[
        list[str] | None,
        typer.Option("--fills", help="A coverage.missing part of the base that this table fills (repeat)."),
    ] = None,
    measures_set_no_pathway: Annotated[
        bool,
        typer.Option(
            "--measures-set-no-pathway",
            help="Without --base: you confirm the list's measures add no pathway rule (else flows stay undetermined).",
        ),
    ] = False,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="Item-id prefix (default from the id, e.g. fuft25).")
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            help="Registry id the rows cite (default: the base's; else a new imported.<id> entry is "
            "written to instruments.yaml beside the list).",
        ),
    ] = None,
    family: Annotated[
        str | None, typer.Option("--family", help="List family (default: the id without its year).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="'中文标题 | English title'.")] = None,
    issuer: Annotated[
        list[str] | None, typer.Option("--issuer", help="'发布机关 | Issuer' (repeat).")
    ] = None,
    status: Annotated[
        str, typer.Option("--status", help="Status tag of the source: V (official text), V2, U.")
    ] = "V",
    source_url: Annotated[
        str | None, typer.Option("--source-url", help="Where the table was published.")
    ] = None,
    fill_down: Annotated[
        bool,
        typer.Option(
            "--fill-down", help="Excel/Word: a blank sector, pathway or category cell repeats the row above."
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="List file to write (default: <id>.yaml).")
    ] = None,
    force: ForceOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    lists: ListsOption = None,
) -> None:
    """Read a list table as published and write a list file; report every cell it could not read.

    A cell read with certainty becomes item conditions; a row it cannot read (a volume, a scenario or
    sub-class not in the vocabulary) is left out and listed under coverage.missing, so flows it could
    affect are undetermined. Vocabulary the table needs and ftzlist lacks is proposed in
    <out>.proposed-vocabulary.yaml for review. A layout or word it cannot read at all (a missing
    column, an unknown merge, an unknown pathway word, an unknown sector) writes nothing: exit 2."""
    from ftzlist.authoring.importer import Options, import_document
    from ftzlist.authoring.tables import read_document
    from ftzlist.authoring.terms import Lexicon, TermMap
    from ftzlist.loader import check_list

    if status not in ("V", "V2", "U", "C"):
        raise InputError(f"--status: expected V, V2, U or C, got '{status}'")
    the_law = law(lists)
    if zone is not None and zone not in the_law.vocabulary.zones:
        from ftzlist.law import nearest

        raise InputError(f"--zone: unknown zone '{zone}'{nearest(zone, the_law.vocabulary.zones)}")
    inputs = [file, *([terms] if terms else [])]
    target = output_path(
        out or Path(f"{list_id or file.stem}.yaml"), inputs=inputs, force=force, what="list file"
    )
    proposals_path = target.with_name(target.stem + ".proposed-vocabulary.yaml")
    options = Options(
        list_id=list_id,
        zone=zone,
        issued=parse_date(issued, "--issued") if issued else None,
        effective_from=parse_date(effective, "--effective") if effective else None,
        family=family,
        prefix=prefix,
        instrument=instrument,
        title=_text(title, "--title"),
        issuers=[_text(i, "--issuer") for i in issuer or []],
        status=status,  # type: ignore[arg-type]
        source_url=source_url,
        fill_down=fill_down,
        today=today(),
        fills=list(fills or []),
        measures_set_no_pathway=measures_set_no_pathway,
    )
    lex = Lexicon(the_law.vocabulary, TermMap.load(terms) if terms else None)
    base_list = list_arg(base, lists)[0] if base else None
    doc = read_document(file, sheet)
    result = import_document(doc, the_law, options, terms=lex, base=base_list)
    if result.list_file is not None:
        problems = check_list(result.list_file, the_law.vocabulary, str(terms or file))
        if problems:
            raise InputError(
                "the imported list refers to ids the vocabulary lacks (a term-map typo?)", problems=problems
            )
    text = None
    if result.list_file is not None:
        from ftzlist.authoring.validate import band_problems

        text = _list_yaml(result, doc)
        bands = band_problems(result.list_file, text, str(target))
        if bands:  # a list `lists validate` rejects is not written (persons would fall off the list)
            raise InputError(
                f"{file}: the table's bands leave persons off the list or catch them twice; "
                "nothing written (fix the rows named below)",
                problems=bands,
            )
    written: list[str] = []
    if result.proposals:
        output_path(proposals_path, inputs=inputs, force=force, what="proposed vocabulary")
        write_text(proposals_path, _proposals_yaml(result.proposals, file))
        written.append(str(proposals_path))
    if result.list_file is not None:
        for entry in [result.instrument, *result.also_register]:
            if entry is not None:
                written.append(_register(entry, target.parent / "instruments.yaml"))
        write_text(target, text or _list_yaml(result, doc))
        written.insert(0, str(target))
    _report(result, doc, written, as_json)
    raise typer.Exit(EXIT_INVALID if result.list_file is None else EXIT_OK)


def _list_yaml(result, doc) -> str:
    from ftzlist.authoring.listyaml import dump_list

    lf = result.list_file
    missing = len(result.uncertain)
    head = (
        f"# {lf.id}: imported by `ftzlist lists import` from {doc.path.name}\n"
        f"# (sha256 {doc.sha256}) on {lf.last_checked_on}. {len(lf.items)} items; "
        f"{missing} row(s) not encoded (coverage.missing).\n"
        "# Review every item against the official text before relying on it (docs/authoring-lists.md).\n"
    )
    return head + dump_list(lf)


def _register(entry, registry: Path) -> str:
    """Add the imported list's registry entry to the `instruments.yaml` beside it (created if absent),
    so the loader can check and label the list's citations."""
    import yaml

    from ftzlist.schema.instruments import InstrumentsFile
    from ftzlist.yamlio import load_model

    dump = entry.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if not registry.exists():
        head = "# Instruments registered for lists in this folder (ftzlist lists import).\n"
        write_text(
            registry, head + yaml.safe_dump({"instruments": [dump]}, allow_unicode=True, sort_keys=False)
        )
        return str(registry)
    known = load_model(InstrumentsFile, registry)
    if any(i.id == entry.id for i in known.instruments):
        return f"{registry} (already registers {entry.id})"
    text = registry.read_text(encoding="utf-8").rstrip("\n") + "\n"
    added = yaml.safe_dump([dump], allow_unicode=True, sort_keys=False)
    # the entries' indent as the file has it (our own registry writes them at column 0)
    indent = re.search(r"^( *)- ", text, re.MULTILINE)
    pad = indent.group(1) if indent else "  "
    text += "".join(f"{pad}{line}\n" for line in added.splitlines())
    try:
        ok = any(i.id == entry.id for i in InstrumentsFile.model_validate(yaml.safe_load(text)).instruments)
    except (ValueError, TypeError, AttributeError, yaml.YAMLError):  # not a shape we can append to
        ok = False
    if not ok:
        raise InputError(
            f"cannot add {entry.id} to this registry (its `instruments:` list is not last); add it by hand:\n{added}",
            where=str(registry),
        )
    write_text(registry, text)
    return f"{registry} (added {entry.id})"


def _proposals_yaml(proposals, file: Path) -> str:
    """A vocabulary file (valid as it stands) with every proposed entry, each under a comment that
    names the rows using it. Enterprise types of a sector the vocabulary already has cannot be added
    from another file; they are listed as comments, to map with --terms or to add by hand."""
    import yaml

    new_sectors = {p.id for p in proposals if p.kind == "sectors"}
    sections: dict[str, list[tuple[str, dict]]] = {}
    loose: list[str] = []
    for p in proposals:
        where = f"# {p.zh}: proposed by `lists import` from {file.name}, {'; '.join(p.rows[:5])}"
        name = {"zh": p.zh, "en": f"TODO English name of {p.zh}"}
        if p.kind == "enterprise_types":
            if p.sector in new_sectors:
                sec = next(e for c, e in sections["sectors"] if e["id"] == p.sector)
                sec.setdefault("enterprise_types", []).append({"id": p.id, "name": name})
            else:
                loose.append(
                    f"{where}: enterprise type '{p.id}' of {p.sector} (map it with --terms, or add it)"
                )
            continue
        entry: dict = {"id": p.id} | ({"sector": p.sector} if p.kind == "scenarios" else {}) | {"name": name}
        if p.kind == "categories":
            entry["kind"] = "important_data"
        sections.setdefault(p.kind, []).append((where, entry))
    out = [
        "# Vocabulary the table uses and ftzlist does not have yet: PROPOSED, NOT ADOPTED.",
        "# For each entry: choose a lasting id, give the English name, check the kind or parent; or map",
        "# the word to an existing id in a term map (--terms). Then put this file in a folder named",
        "# `vocabulary`, pass the folder with --lists, and run the import again.",
        *loose,
    ]
    for section, entries in sections.items():
        out.append(f"{section}:")
        for comment, entry in entries:
            out.append(f"  {comment}")
            dumped = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=110)
            out.extend(f"  {line}" for line in dumped.splitlines())
    return "\n".join(out) + "\n"


def _report(result, doc, written: list[str], as_json: bool) -> None:
    from ftzlist.identifiers.masking import message  # a table cell quoted is masked like any message

    if as_json:
        payload = {
            "file": str(doc.path),
            "sha256": doc.sha256,
            "written": written,
            "list": result.list_file.id if result.list_file else None,
            "items": len(result.list_file.items) if result.list_file else 0,
            "problems": [
                {
                    "severity": p.severity,
                    "where": p.where,
                    "text": message(p.text),
                    "message": message(p.message),
                    "expected": p.expected,
                }
                for p in result.problems
            ],
            "proposals": [
                {"kind": p.kind, "id": p.id, "zh": message(p.zh), "sector": p.sector, "rows": p.rows}
                for p in result.proposals
            ],
            "kept_from_base": result.kept_from_base,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out = console(stderr=result.list_file is None)
    labels = {
        "error": "[red]error[/red]",
        "uncertain": "[yellow]not encoded[/yellow]",
        "note": "[dim]note[/dim]",
    }
    for sev in ("error", "uncertain", "note"):
        for p in (q for q in result.problems if q.severity == sev):
            out.print(f"{labels[sev]}: ", end="")
            out.print(message(str(p)), markup=False, highlight=False)
    for p in result.proposals:
        out.print(f"proposed {p.kind[:-1].replace('_', ' ')} [bold]{p.id}[/bold]: ", end="")
        out.print(f"{message(p.zh)} ({len(p.rows)} row(s))", markup=False, highlight=False)
    if result.list_file is None:
        out.print(f"[red]nothing written[/red]: {len(result.errors)} error(s) in {doc.path.name}")
        for w in written:
            out.print(f"wrote {w} (for review)")
        return
    lf = result.list_file
    out.print(
        f"[green]wrote[/green] {written[0]}: {len(lf.items)} items in {len(lf.sectors)} sector(s); "
        f"{len(result.uncertain)} row(s) not encoded (coverage.missing)"
        + (f"; kept from the base: {len(result.kept_from_base)} item(s)" if result.kept_from_base else "")
    )
    for w in written[1:]:
        if w.endswith(".proposed-vocabulary.yaml"):
            out.print(f"wrote {w}: {len(result.proposals)} proposed vocabulary entries to review")
        else:  # the instruments registry beside the list
            out.print(f"wrote {w}")
    out.print(
        f"next: ftzlist lists validate {written[0]}; ftzlist lists export {lf.id} --lists {written[0]} --format xlsx"
    )


@lists_app.command("export")
def export_cmd(
    list_ref: Annotated[str, typer.Argument(help="A list id (bundled or --lists) or a list file.")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or docx.")] = "xlsx",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: <id>.<format>).")
    ] = None,
    force: ForceOption = False,
    lists: ListsOption = None,
) -> None:
    """Write a list in the official layout (industry → pathway → data category → sub-class →
    description, bands in Chinese), for review beside the published table.

    The rest of the list file travels in a `ftzlist` sheet (xlsx) or at the end of the annex (docx),
    so `ftzlist lists import` of the export gives the same list."""
    from ftzlist.authoring.export import unbundled, write_docx, write_xlsx
    from ftzlist.commands.common import replacing
    from ftzlist.loader import bundled_instruments

    if fmt not in ("xlsx", "docx"):
        raise InputError(f"--format: expected xlsx or docx, got '{fmt}'")
    lf, _ = list_arg(list_ref, lists)
    the_law = law(lists)
    target = output_path(out or Path(f"{lf.id}.{fmt}"), inputs=[Path(list_ref)], force=force, what="export")
    with replacing(target) as tmp:
        registered = unbundled(lf, the_law.instruments, bundled_instruments())
        (write_xlsx if fmt == "xlsx" else write_docx)(lf, the_law.vocabulary, tmp, registered)
    from ftzlist.authoring.layout import table_items

    rows = len(table_items(lf))
    console().print(
        f"wrote {target}: {rows} table row(s) of {lf.id}; {len(lf.items) - rows} other item(s) and the rest "
        "of the list file in the ftzlist part"
    )
    raise typer.Exit(EXIT_OK)
