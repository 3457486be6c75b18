"""Rich rendering of a DecisionSet for the terminal.

Every value that comes from a declaration or a list file (handler, flow, scenario, reasons, facts)
goes through `escape` or into a `Text`, so `acme[/x]` is printed, not read as markup."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ftzlist.render.labels import OUTCOME_MARK, PATHWAY_LABEL, PATHWAY_STYLE, undetermined_why
from ftzlist.render.output import escape as e
from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionSet, FlowDecision


def pathway_text(fd: FlowDecision, reference: bool = True) -> Text:
    t = Text(PATHWAY_LABEL[fd.pathway], style=PATHWAY_STYLE[fd.pathway])
    why = undetermined_why(fd) if fd.pathway == Pathway.undetermined else ""
    if why:
        t.append(f" ({why})", style=PATHWAY_STYLE[fd.pathway])
    if fd.lower_bound is not None:
        t.append(f"\n(at least {PATHWAY_LABEL[fd.lower_bound]})", style="dim")
    ref = fd.national_reference
    if reference and ref is not None:
        bound = f", at least {PATHWAY_LABEL[ref.lower_bound]}" if ref.lower_bound else ""
        t.append(f"\nnational rules alone: {PATHWAY_LABEL[ref.pathway]}{bound}", style="dim")
    return t


def render(ds: DecisionSet, explain: bool = False) -> RenderableType:
    lists = ", ".join(f"{e(r.id)} [dim]{r.sha256[:10]}[/dim]" for r in ds.lists)
    head = Panel(
        f"[bold]{e(ds.handler)}[/bold]  as of {ds.as_of}\nlists: {lists}\n[dim]input {ds.input_sha256[:16]} · {e(ds.engine_version)}[/dim]",
        title="ftzlist assess",
        expand=False,
    )
    table = Table(show_lines=True)
    for col in ("flow", "pathway", "headroom", "missing / notes"):
        table.add_column(col, overflow="fold")
    for fd in ds.flows:
        headroom = Text("\n".join(str(h.label) for h in fd.headroom))
        notes = [
            f"[cyan]missing fact[/cyan] {e(m.field)}: {e(m.why)}"
            if m.kind == "fact"
            else f"[magenta]law not encoded[/magenta] {e(m.field)}: {e(m.why)}"
            for m in fd.missing
        ]
        notes += [f"[red]conflict[/red] {e(', '.join(c.rules))}: {e(c.resolution)}" for c in fd.conflicts]
        notes += [f"[yellow]note[/yellow] {e(w)}" for w in fd.warnings]
        flow = Text(fd.flow_id, style="bold")
        flow.append(f"\n{fd.scenario or ''}", style="dim")
        table.add_row(flow, pathway_text(fd), headroom, "\n".join(notes))
    totals = ds.handler_totals
    foot = (
        f"by the national count alone (flows the national ladder decides): "
        f"{_n(totals.persons_non_sensitive)} non-sensitive, {_n(totals.persons_sensitive)} sensitive → "
        f"{PATHWAY_LABEL[totals.pathway]}"
    )
    if totals.excluded_exempt_flows:
        foot += f" (exempt flows not counted: {', '.join(totals.excluded_exempt_flows)})"  # a Text: no markup
    foot += f"\nthe handler's flows need at least: {PATHWAY_LABEL[totals.flows_need]}"
    if totals.flows_may_need_more:
        foot += " (an undetermined flow may need more)"
    parts: list[RenderableType] = [head, table, Text(foot, style="dim"), _obligations(ds)]
    if explain:
        parts.extend(_explain(fd) for fd in ds.flows)
    return Group(*parts)


def _obligations(ds: DecisionSet) -> Tree:
    tree = Tree("[bold]obligations[/bold]")
    for fd in ds.flows:
        branch = tree.add(Text.assemble(f"{fd.flow_id} ", pathway_text(fd, reference=False)))
        for o in fd.obligations:
            due = f"[bold]due {o.due}:[/bold] " if o.due else ""
            branch.add(f"{due}{e(o.text.en)} / {e(o.text.zh)} [dim]({e(o.citation)})[/dim]")
    return tree


def _n(v: int | None) -> str:
    return "unknown" if v is None else f"{v:,}"


def _explain(fd: FlowDecision) -> Tree:
    tree = Tree(Text.assemble(f"flow {fd.flow_id}: ", pathway_text(fd)))
    for item in fd.items:
        branch = tree.add(
            f"{e(item.data_item)} [dim]{e(item.category)}[/dim] → {PATHWAY_LABEL[item.pathway]} (regime {e(item.regime)})"
        )
        for c in fd.checks:
            if c.data_item != item.data_item:
                continue
            style = {"fired": "bold", "unknown": "cyan", "not_fired": "dim"}.get(c.outcome, "")
            facts = ", ".join(f"{k}={v}" for k, v in c.facts.items())
            branch.add(
                Text(
                    f"{OUTCOME_MARK[c.outcome]} {c.rule_id} [{c.citation}] {c.reason}"
                    + (f" · {facts}" if facts else ""),
                    style=style,
                )
            )
    return tree
