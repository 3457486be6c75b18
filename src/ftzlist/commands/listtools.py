"""`ftzlist lists diff|impact|new|validate|test`: editions compared, their effect on a company, and
tools for users who transcribe a list themselves. Registered on the `lists` sub-app."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import (
    AsOfOption,
    DbOption,
    ForceOption,
    ListsOption,
    as_of_day,
    console,
    escape,
    group,
    law,
    list_arg,
    output_path,
    write_text,
)
from ftzlist.errors import EXIT_INVALID, EXIT_OK, InputError

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
EXIT_CASES_FAILED = 1
"""`lists test`: some scenario case did not give what it expects."""


def _v(value: object) -> object:
    """Bilingual text reads as its English side in the terminal (JSON keeps both)."""
    return value.get("en", value) if isinstance(value, dict) and "en" in value else value


lists_app = group("lists")


def register(app: typer.Typer) -> None:
    """The commands attach to `lists_app` at import; nothing to add to the root app."""


@lists_app.command("diff")
def diff_cmd(
    old: Annotated[str, typer.Argument(help="Old edition: a list file or a list id.")],
    new: Annotated[str, typer.Argument(help="New edition: a list file or a list id.")],
    as_json: JsonOption = False,
    lists: ListsOption = None,
) -> None:
    """Items added, removed, changed (field, old, new), renamed or split; bands loosened or tightened."""
    from ftzlist.listdiff import diff_lists

    (a, _), (b, _) = list_arg(old, lists), list_arg(new, lists)
    d = diff_lists(a, b)
    if as_json:
        sys.stdout.write(d.model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_OK)
    out = console()
    out.print(
        f"[bold]{d.old_id} → {d.new_id}[/bold]"
        + ("" if d.family_matches else " [red](different families)[/red]")
    )
    for c in d.metadata:
        out.print(f"  {c.field}: {_v(c.old)} → {_v(c.new)}")
    for s in d.sectors:
        extra = "".join(
            [
                f" +scenarios {', '.join(s.scenarios_added)}" if s.scenarios_added else "",
                f" -scenarios {', '.join(s.scenarios_removed)}" if s.scenarios_removed else "",
            ]
        )
        out.print(f"  sector {s.sector}: {s.change}{extra}")
    if d.scenarios_added or d.scenarios_removed:
        out.print(f"  scenarios: +{d.scenarios_added or []} -{d.scenarios_removed or []}")
    for title, rows in (("added", d.added), ("removed", d.removed)):
        for r in rows:
            out.print(f"  [{'green' if title == 'added' else 'red'}]{title}[/] {r.id}: {r.title}")
    for r in d.renamed:
        target = r.new_id if r.how == "id" else f"'{r.new_title}'"
        out.print(
            f"  [magenta]renamed[/] {r.old_id} → {target}"
            + (f" ({len(r.changes)} field(s) changed)" if r.changes else "")
        )
    for sp in d.split:
        out.print(f"  [magenta]split[/] {sp.old_id} → {', '.join(sp.new_ids)} (along {sp.along})")
    for r in d.changed:
        out.print(f"  [yellow]changed[/] {r.id}")
        for c in r.changes:
            out.print(f"      {c.field}: {_v(c.old)} → {_v(c.new)}")
    for bc in d.bands:
        colour = {"loosened": "green", "tightened": "red"}.get(bc.direction, "yellow")
        out.print(f"  [{colour}]{bc.direction}[/] {bc.item}: {bc.old} → {bc.new} ({bc.why})")
    for c in d.coverage:
        out.print(f"  coverage {c.field}: {c.old} → {c.new}")
    for c in d.procedures:
        out.print(f"  procedure {c.field}: {c.old} → {c.new}")
    if d.empty:
        out.print("  no differences")
    raise typer.Exit(EXIT_OK)


@lists_app.command("impact")
def impact_cmd(
    old: Annotated[str, typer.Argument(help="Old edition: a list file or a list id.")],
    new: Annotated[str, typer.Argument(help="New edition: a list file or a list id.")],
    declarations: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Declaration file(s); with --register, declarations of filed flows the register lacks."
        ),
    ] = None,
    register: Annotated[
        bool,
        typer.Option(
            "--register",
            help="Every flow filed in the register under OLD, and whether the change is material.",
        ),
    ] = False,
    db: DbOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    lists: ListsOption = None,
) -> None:
    """Which of the company's flows change pathway under the new edition (a declaration), or which
    filed flows of the register it changes and whether each needs a fresh filing (--register)."""
    from ftzlist.listdiff import impact
    from ftzlist.loader import load_declaration

    the_law = law(lists)
    decls = [load_declaration(p, the_law) for p in declarations or []]
    if register:
        _register_impact(old, new, decls, db, as_of, as_json, lists)
        return
    if len(decls) != 1:
        raise InputError("expected one declaration file (or --register for the filed flows of the register)")
    decl = decls[0]
    day = as_of_day(as_of, decl.as_of)
    result = impact(list_arg(old, lists), list_arg(new, lists), decl, the_law, day)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_OK)
    out = console()
    e = escape  # declaration and list text is never markup
    out.print(f"[bold]{e(result.old_id)} → {e(result.new_id)}[/bold] for {e(decl.handler.name)}, as of {day}")
    for n in result.notes:
        out.print(f"  [dim]note: {e(n)}[/dim]")
    for f in result.flows:
        mark = "·" if f.change == "unchanged" else "▶"
        out.print(e(f"  {mark} {f.flow_id}: {f.old.value} → {f.new.value} ({f.change})"))
        if f.change != "unchanged" or f.old_rules != f.new_rules:
            out.print(e(f"      rules {', '.join(f.old_rules) or '—'} → {', '.join(f.new_rules) or '—'}"))
    out.print(f"{len(result.changed)} of {len(result.flows)} flow(s) change pathway")
    raise typer.Exit(EXIT_OK)


LIST_CHANGE = {
    "newly_on": "newly on the list",
    "newly_off": "newly off the list",
    "stays_on": "on the list",
    "stays_off": "off the list",
}


def _register_impact(old, new, decls, db, as_of, as_json, lists) -> None:
    from rich.markup import escape

    from ftzlist.commands.common import open_register
    from ftzlist.listdiff.registered import filed_flows, register_impact

    the_law = law(lists)
    a, b = list_arg(old, lists), list_arg(new, lists)
    day = as_of_day(as_of)
    reg = open_register(db, lists)
    try:
        filed = filed_flows(reg.engine, a[0].id)
    finally:
        reg.close()
    result = register_impact(a, b, filed, the_law, day, decls)
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_OK)
    out = console()
    out.print(
        f"[bold]{result.old_id} → {result.new_id}[/bold]: {len(filed)} flow(s) filed under {result.old_id}, as of {day}"
    )
    for n in result.notes:
        out.print(f"  [dim]note: {escape(n)}[/dim]")
    for f in result.flows:
        moved = f in result.changed
        mark = "▶" if moved else "·"
        out.print(
            f"  {mark} {escape(f.handler)} / {escape(f.flow)} ({f.proceeding}): {f.old.value} → {f.new.value} "
            f"({f.change}; {LIST_CHANGE[f.list_change]})"
        )
        if moved:
            verdict = (
                "[red]material: fresh application[/red]" if f.material else "[green]not material[/green]"
            )
            out.print(
                f"      {verdict} — {escape(f.why)}" + (f" [{escape(f.citation)}]" if f.citation else "")
            )
            out.print(f"      rules {', '.join(f.old_rules) or '—'} → {', '.join(f.new_rules) or '—'}")
    for n in result.not_judged:
        out.print(
            f"  [yellow]?[/yellow] {escape(n.handler)} / {escape(n.flow)} ({n.proceeding}): not judged — {escape(n.why)}"
        )
    material = sum(1 for f in result.flows if f.material)
    out.print(
        f"{len(result.changed)} of {len(result.flows)} judged flow(s) change; {material} need a fresh filing; "
        f"{len(result.not_judged)} not judged"
    )
    raise typer.Exit(EXIT_OK)


@lists_app.command("new")
def new_cmd(
    list_id: Annotated[str, typer.Argument(help="Id of the new list version, e.g. hubei-ftz-2026.")],
    zone: Annotated[str, typer.Option("--zone", help="Zone id the list binds.")],
    kind: Annotated[str, typer.Option("--kind", help="negative_list or positive_list.")] = "negative_list",
    sector: Annotated[str, typer.Option("--sector", help="A first sector id.")] = "general",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here (default: stdout).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """A skeleton list file to fill in; `lists validate` rejects it until every TODO is replaced."""
    from ftzlist.authoring import skeleton

    if kind not in ("negative_list", "positive_list"):
        raise InputError(f"--kind: expected negative_list or positive_list, got '{kind}'")
    text = skeleton(list_id, zone=zone, kind=kind, sector=sector)
    if out_path is None:
        sys.stdout.write(text)
    else:
        out_path = output_path(out_path, force=force, what="list file")
        write_text(out_path, text)
        console(stderr=True).print(
            f"wrote {escape(out_path)}; next: ftzlist lists validate {escape(out_path)}"
        )
    raise typer.Exit(EXIT_OK)


@lists_app.command("validate")
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="List files to check.")],
    lists: ListsOption = None,
) -> None:
    """Schema, id uniqueness, overlapping or gapped bands, citations present, dates consistent.

    Exit code 0 when no errors (warnings allowed), 2 when any file has errors."""
    from ftzlist.authoring import validate_list

    the_law = law(lists)
    out = console()
    failed = False
    for path in files:
        problems = validate_list(path, the_law)
        errs = [p for p in problems if p.severity == "error"]
        failed |= bool(errs)
        status = "[red]invalid[/red]" if errs else "[green]valid[/green]"
        out.print(f"{path}: {status} ({len(errs)} error(s), {len(problems) - len(errs)} warning(s))")
        for p in problems:
            out.print(f"  {p}", markup=False, highlight=False)
    raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


@lists_app.command("test")
def test_cmd(
    list_ref: Annotated[str, typer.Argument(help="The list under test: a list file or a list id.")],
    scenarios: Annotated[Path, typer.Argument(help="Scenario file (the format of tests/scenarios/*.yaml).")],
    pathways_only: Annotated[
        bool,
        typer.Option(
            "--pathways-only",
            help="Check pathways only, not the rule ids that decide (for a list whose item ids differ).",
        ),
    ] = False,
    as_json: JsonOption = False,
    lists: ListsOption = None,
) -> None:
    """Run band-edge scenario cases on a list: each case's pathways, deciding rules, missing facts.

    The list under test takes the place of the list the cases were written for (the file's `list:`).
    Exit code 0 when every case passes, 1 when any fails, 2 on bad input."""
    from ftzlist.authoring.scenarios import load_scenarios, run_file, with_list

    doc = load_scenarios(scenarios)
    lf, sha = list_arg(list_ref, lists)
    the_law = with_list(law(lists), lf, sha, replacing=[doc.list_id])
    results = run_file(doc, the_law, pathways_only=pathways_only)
    failed = [r for r in results if not r.passed]
    if as_json:
        payload = {
            "list": lf.id,
            "written_for": doc.list_id,
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "cases": [
                {
                    "name": r.name,
                    "passed": r.passed,
                    "flows": {f.flow_id: {"expected": f.expected, "got": f.got} for f in r.flows},
                    "failures": r.failures,
                    "skipped": r.skipped,
                }
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(EXIT_CASES_FAILED if failed else EXIT_OK)
    out = console()
    head = f"[bold]{lf.id}[/bold]: {len(results)} case(s) from {scenarios}"
    if doc.list_id != lf.id:
        head += f" (written for {doc.list_id})"
    out.print(head)
    for r in results:
        mark = "[green]✓[/green]" if r.passed else "[red]✗[/red]"
        out.print(f"  {mark} ", end="")
        out.print(r.name, markup=False, highlight=False)
        for f in r.failures:
            out.print(f"      {f}", markup=False, highlight=False)
    skipped = sum(bool(r.skipped) for r in results)
    out.print(
        f"{len(results) - len(failed)} passed, {len(failed)} failed"
        + (f" ({skipped} case(s) checked on pathways only)" if skipped else "")
    )
    raise typer.Exit(EXIT_CASES_FAILED if failed else EXIT_OK)
