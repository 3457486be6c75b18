"""Markdown rendering of a DecisionSet (for tickets, wikis and pull requests)."""

from __future__ import annotations

from ftzlist.render.labels import OUTCOME_MARK, PATHWAY_LABEL
from ftzlist.schema.decision import DecisionSet


def render(ds: DecisionSet, explain: bool = False) -> str:
    out = [
        f"# {ds.handler} — cross-border data assessment as of {ds.as_of}",
        "",
        "Lists: " + ", ".join(f"`{r.id}` (sha256 `{r.sha256[:12]}`)" for r in ds.lists),
        f"Input sha256 `{ds.input_sha256[:16]}` · {ds.engine_version}",
        "",
        "| flow | scenario | pathway | headroom | missing |",
        "|---|---|---|---|---|",
    ]
    for fd in ds.flows:
        path = PATHWAY_LABEL[fd.pathway] + (
            f" (at least {PATHWAY_LABEL[fd.lower_bound]})" if fd.lower_bound else ""
        )
        head = "<br>".join(h.label for h in fd.headroom)
        miss = "<br>".join(f"{m.field}: {m.why}" for m in fd.missing)
        out.append(f"| {fd.flow_id} | {fd.scenario or '—'} | **{path}** | {head} | {miss} |")
    for fd in ds.flows:
        out += ["", f"## Flow `{fd.flow_id}` — {PATHWAY_LABEL[fd.pathway]}", ""]
        if fd.obligations:
            out.append("Obligations:")
            out += [f"- {o.text.en} / {o.text.zh} ({o.citation})" for o in fd.obligations]
        for w in fd.warnings:
            out.append(f"> note: {w}")
        for c in fd.conflicts:
            out.append(f"> conflict: {', '.join(c.rules)} — {c.resolution}")
        if explain:
            out += ["", "| | rule | citation | data | reason |", "|---|---|---|---|---|"]
            out += [
                f"| {OUTCOME_MARK[c.outcome]} | `{c.rule_id}` | {c.citation} | {c.data_item} | {c.reason} |"
                for c in fd.checks
            ]
    return "\n".join(out) + "\n"
