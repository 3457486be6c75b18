"""Fill a declaration's person figures from a count run (`ftzlist assess --logs --mapping`).

Pure: takes a `Declaration` and a `CountResult`, returns a new `Declaration`. A data item is
filled when the run covers it:

1. by data item id: the log's data-item column names the declared item's `id` within the flow;
2. otherwise by category (and subject type, when the declared item states one): the rows of the
   flow whose category is the item's category or a descendant of it.

The figure is the item's counted persons on any axis (each person once, exempt rows set apart),
which is never lower than either axis alone. `persons_source` cites the run, the window, the rule
and the rows read, so the decision shows which counts it used. Items the run does not cover are
left as they were (unknown stays unknown).
"""

from __future__ import annotations

from typing import Any

from ftzlist.counting.result import Breakdown, CountResult
from ftzlist.law import is_under
from ftzlist.schema.declaration import DataItem, Declaration


def _match(result: CountResult, flow_id: str, item: DataItem) -> tuple[int, int, int, str] | None:
    if item.id is not None:
        hits = [b for b in result.by_item if b.flow == flow_id and b.data_item == item.id]
        if hits:
            b = hits[0]
            return b.persons.any, b.rows, b.exempt_persons.any, f"data item '{item.id}'"
    hits = [
        b
        for b in result.by_category
        if b.flow == flow_id
        and b.category is not None
        and is_under(b.category, item.category)
        and (item.subject is None or b.subject == item.subject)
    ]
    if not hits:
        return None
    if len(hits) == 1:
        b = hits[0]
        return b.persons.any, b.rows, b.exempt_persons.any, f"category '{item.category}'"
    # several (category, subject) groups: persons may repeat across them, so the sum over-counts,
    # never under-counts; say so
    persons = sum(b.persons.any for b in hits)
    return (
        persons,
        sum(b.rows for b in hits),
        sum(b.exempt_persons.any for b in hits),
        f"category '{item.category}' ({len(hits)} groups summed: an upper bound)",
    )


def source_text(result: CountResult, flow_id: str, what: str, persons: int, rows: int, exempt: int) -> str:
    rule = result.rule.list_id or "no list"
    text = (
        f"ftzlist count {result.run_id}: {persons:,} persons in {rows:,} rows, flow '{flow_id}', {what}, "
        f"{result.window_start} to {result.as_of} under {rule}"
    )
    if exempt:
        text += f"; {exempt:,} persons in rows set apart under exemption grounds (not counted)"
    return text


def fill_declaration(declaration: Declaration, counts: CountResult) -> Declaration:
    """A copy of `declaration` with `persons` and `persons_source` set on every data item the
    count run covers."""
    flows = []
    for flow in declaration.flows:
        items = []
        for item in flow.data:
            hit = _match(counts, flow.id, item)
            if hit is None:
                items.append(item)
                continue
            persons, rows, exempt, what = hit
            items.append(
                item.model_copy(
                    update={
                        "persons": persons,
                        "persons_source": source_text(counts, flow.id, what, persons, rows, exempt),
                    }
                )
            )
        flows.append(flow.model_copy(update={"data": items}))
    return declaration.model_copy(update={"flows": flows})


def covered(counts: CountResult) -> list[Breakdown]:
    """The (flow, data item) groups a run counted, for messages about unmatched flows."""
    return list(counts.by_item)


def cite_counts(decisions: Any, declaration: Declaration) -> Any:
    """A copy of a `DecisionSet` whose flow decisions cite the counts they used: one line per
    data item whose persons were filled from the logs (its `persons_source`), in `warnings`
    (the decision's free-text channel), so the figures behind every band are traceable."""
    cited = count_citations(declaration)
    return decisions.model_copy(update={"flows": [cite_flow_counts(fd, cited) for fd in decisions.flows]})


def count_citations(declaration: Declaration) -> dict[str, list[str]]:
    """Per flow id, the lines `cite_flow_counts` adds (flows without counted items left out)."""
    out = {}
    for f in declaration.flows:
        lines = [
            f"persons of data item '{d.id or d.category}' ({d.persons:,}) from {d.persons_source}"
            for d in f.data
            if d.persons_source and d.persons_source.startswith("ftzlist count ")
        ]
        if lines:
            out[f.id] = lines
    return out


def cite_flow_counts(fd: Any, cited: dict[str, list[str]]) -> Any:
    """A `FlowDecision` with its lines of `count_citations` appended to its warnings."""
    lines = cited.get(fd.flow_id)
    return fd.model_copy(update={"warnings": [*fd.warnings, *lines]}) if lines else fd
