"""Markdown rendering of a DecisionSet (for tickets, wikis and pull requests).

Text from a declaration or a list goes through `md`: a `|` cannot end a table cell, a line break
cannot end a row, `<`/`>` cannot open HTML, and `*`, `_`, backticks and brackets are text."""

from __future__ import annotations

import re

from ftzlist.render.labels import OUTCOME_MARK, PATHWAY_LABEL, undetermined_why
from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionSet

_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")


def md(value: object) -> str:
    """`value` as literal Markdown text on one line."""
    text = _SPECIAL.sub(r"\\\1", str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _n(v: int | None) -> str:
    return "unknown" if v is None else f"{v:,}"


def render(ds: DecisionSet, explain: bool = False) -> str:
    out = [
        f"# {md(ds.handler)} — cross-border data assessment as of {ds.as_of}",
        "",
        "Lists: " + ", ".join(f"{md(r.id)} (sha256 `{r.sha256[:12]}`)" for r in ds.lists),
        f"Input sha256 `{ds.input_sha256[:16]}` · {md(ds.engine_version)}",
        "",
        "| flow | scenario | pathway | headroom | missing |",
        "|---|---|---|---|---|",
    ]
    for fd in ds.flows:
        why = undetermined_why(fd) if fd.pathway == Pathway.undetermined else ""
        path = (
            PATHWAY_LABEL[fd.pathway]
            + (f" ({why})" if why else "")
            + (f" (at least {PATHWAY_LABEL[fd.lower_bound]})" if fd.lower_bound else "")
        )
        ref = fd.national_reference
        if ref is not None:
            path += f"<br>national rules alone: {PATHWAY_LABEL[ref.pathway]}"
        head = "<br>".join(md(h.label) for h in fd.headroom)
        miss = "<br>".join(
            f"{'' if m.kind == 'fact' else 'law not encoded: '}{md(m.field)}: {md(m.why)}" for m in fd.missing
        )
        out.append(f"| {md(fd.flow_id)} | {md(fd.scenario or '—')} | **{path}** | {head} | {miss} |")
    ht = ds.handler_totals
    out += [
        "",
        f"By the national count alone (flows the national ladder decides): {_n(ht.persons_non_sensitive)} "
        f"non-sensitive, {_n(ht.persons_sensitive)} sensitive → {PATHWAY_LABEL[ht.pathway]}; the flows need "
        f"at least {PATHWAY_LABEL[ht.flows_need]}"
        + (" (an undetermined flow may need more)" if ht.flows_may_need_more else ""),
    ]
    for fd in ds.flows:
        out += ["", f"## Flow {md(fd.flow_id)} — {PATHWAY_LABEL[fd.pathway]}", ""]
        if fd.obligations:
            out.append("Obligations:")
            out += [
                f"- {md(o.text.en)} / {md(o.text.zh)}{f' **due {o.due}**' if o.due else ''} ({md(o.citation)})"
                for o in fd.obligations
            ]
        for w in fd.warnings:
            out.append(f"> note: {md(w)}")
        for c in fd.conflicts:
            out.append(f"> conflict: {md(', '.join(c.rules))} — {md(c.resolution)}")
        if explain:
            out += ["", "| | rule | citation | data | reason |", "|---|---|---|---|---|"]
            out += [
                f"| {OUTCOME_MARK[c.outcome]} | {md(c.rule_id)} | {md(c.citation)} | {md(c.data_item)} | {md(c.reason)} |"
                for c in fd.checks
            ]
    return "\n".join(out) + "\n"
