"""Compare two decisions of one handler flow by flow and say what moved each flow.

A decision knows its inputs' fingerprints: the assessment date, the input (declaration) hash, the
list versions with their content hashes, the engine version, and per flow the data items it judged
(category, sensitivity, persons) and the rules that decided them. A flow whose pathway changed gets
every difference that could have moved it, the direct ones first:

- `data`: its own data items changed (added, removed, another category, sensitivity or persons), or
  a fact its rules read changed (the handler's CIIO status or holdings, persons pooled with other
  flows: each check records the facts it read);
- `handler_data`: the declaration changed (same date, another input hash) in a part this flow's
  rules do not show;
- `list_in_force`: the lists governing the handler differ (a new edition came into force, one
  lapsed, or the handler moved to another zone). Where the law dates every such move between the
  two assessment dates, the date is not listed as a cause of its own: it moved the lists;
- `list_revised`: a list this flow was decided under has new content (same id, new hash);
- `date`: the assessment date moved (transition periods, editions' dates, the counting year);
- `engine`: another engine version judged it.

When more than one is present they changed together, and the memo says so: the diff reports what
differs, it does not pretend to isolate a cause it cannot.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionSet, FlowDecision

if TYPE_CHECKING:
    from ftzlist.law import Law


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HandlerSnapshot(Out):
    """One decision of a handler: every flow decided together, with the inputs' fingerprints."""

    label: str = Field(description="A file name, or '#<first snapshot id>' in the register.")
    handler: str
    as_of: dt.date
    taken_at: dt.datetime | None = None
    engine_version: str
    input_sha256: str
    lists: dict[str, str] = Field(description="list id -> content SHA-256")
    governing: list[str]
    flows: list[FlowDecision]


class ItemChange(Out):
    item: str
    field: str = Field(description="added | removed | category | sensitive | persons | scenario")
    before: Any = None
    after: Any = None


class ListMove(Out):
    """A list that began or stopped governing the handler between the two decisions, and, where the
    law knows it, the day it came into or went out of force between the two dates."""

    list_id: str
    change: Literal["added", "removed"]
    on: dt.date | None = Field(
        None, description="In force from (added) or last day (removed), when between the dates."
    )


class Cause(Out):
    kind: Literal["data", "handler_data", "list_in_force", "list_revised", "date", "engine"]
    items: list[ItemChange] = Field(default_factory=list)
    lists: list[str] = Field(default_factory=list)
    moves: list[ListMove] = Field(default_factory=list)
    before: str | None = None
    after: str | None = None


class FlowChange(Out):
    flow_id: str
    status: Literal["pathway_changed", "reasons_changed", "added", "removed", "unchanged"]
    before: Pathway | None = None
    after: Pathway | None = None
    lower_before: Pathway | None = None
    lower_after: Pathway | None = None
    rules_before: list[str] = Field(default_factory=list, description="list_id/rule_id that fired")
    rules_after: list[str] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)


class SnapshotDiff(Out):
    handler: str
    before: HandlerSnapshot
    after: HandlerSnapshot
    date_changed: bool
    input_changed: bool = Field(description="Same date, another input hash: the declaration changed.")
    engine_changed: bool
    lists_added: list[str]
    lists_removed: list[str]
    lists_revised: list[str]
    moves: list[ListMove] = Field(default_factory=list)
    flows: list[FlowChange]

    def changed(self) -> list[FlowChange]:
        return [f for f in self.flows if f.status != "unchanged"]


def from_decision_set(ds: DecisionSet, label: str) -> HandlerSnapshot:
    return HandlerSnapshot(
        label=label,
        handler=ds.handler,
        as_of=ds.as_of,
        engine_version=ds.engine_version,
        input_sha256=ds.input_sha256,
        lists={r.id: r.sha256 for r in ds.lists},
        governing=list(ds.governing_lists),
        flows=list(ds.flows),
    )


def _rules(f: FlowDecision) -> list[str]:
    return sorted({f"{c.list_id}/{c.rule_id}" for c in f.checks if c.outcome == "fired"})


def _lists_of(f: FlowDecision) -> set[str]:
    return {c.list_id for c in f.checks if c.outcome == "fired"} | {i.regime for i in f.items}


def _item_changes(a: FlowDecision, b: FlowDecision) -> list[ItemChange]:
    out: list[ItemChange] = []
    if a.scenario != b.scenario:
        out.append(ItemChange(item=a.flow_id, field="scenario", before=a.scenario, after=b.scenario))
    ia, ib = {i.data_item: i for i in a.items}, {i.data_item: i for i in b.items}
    for key in sorted(ia.keys() - ib.keys()):
        out.append(ItemChange(item=key, field="removed", before=ia[key].category))
    for key in sorted(ib.keys() - ia.keys()):
        out.append(ItemChange(item=key, field="added", after=ib[key].category))
    for key in sorted(ia.keys() & ib.keys()):
        x, y = ia[key], ib[key]
        for fld in ("category", "sensitive", "persons"):
            if getattr(x, fld) != getattr(y, fld):
                out.append(ItemChange(item=key, field=fld, before=getattr(x, fld), after=getattr(y, fld)))
    return out


def _facts(f: FlowDecision) -> dict[tuple[str, str, str], Any]:
    """The facts each check of a flow read: (data item, list/rule, fact) -> value. Compared rule by
    rule, so a rule that only one decision checked (a new list's bands) shows no false change."""
    return {
        (c.data_item or f.flow_id, f"{c.list_id}/{c.rule_id}", key): value
        for c in f.checks
        for key, value in c.facts.items()
    }


def _fact_changes(a: FlowDecision, b: FlowDecision, covered: set[tuple[str, str]]) -> list[ItemChange]:
    fa, fb = _facts(a), _facts(b)
    out: dict[tuple[str, str], ItemChange] = {}
    for item, rule, key in sorted(fa.keys() & fb.keys()):
        x, y = fa[(item, rule, key)], fb[(item, rule, key)]
        if x != y and (item, key) not in covered and (item, key) not in out:
            out[(item, key)] = ItemChange(item=item, field=key, before=x, after=y)
    return list(out.values())


def _causes(d: dict[str, Any], a: FlowDecision, b: FlowDecision) -> list[Cause]:
    before, after = d["before"], d["after"]
    causes: list[Cause] = []
    items = _item_changes(a, b)
    items += _fact_changes(a, b, {(i.item, i.field) for i in items})
    if items:
        causes.append(Cause(kind="data", items=items))
    elif d["input_changed"]:
        causes.append(
            Cause(kind="handler_data", before=before.input_sha256[:16], after=after.input_sha256[:16])
        )
    touched = _lists_of(a) | _lists_of(b)
    moves = [m for m in d["moves"] if m.list_id in touched | set(before.governing) | set(after.governing)]
    if moves:
        causes.append(Cause(kind="list_in_force", lists=[m.list_id for m in moves], moves=moves))
    revised = sorted(set(d["lists_revised"]) & touched)
    if revised:
        causes.append(
            Cause(
                kind="list_revised",
                lists=revised,
                before=", ".join(before.lists[x][:12] for x in revised),
                after=", ".join(after.lists[x][:12] for x in revised),
            )
        )
    dated = bool(moves) and all(m.on is not None for m in moves)
    if d["date_changed"] and not dated:
        causes.append(Cause(kind="date", before=before.as_of.isoformat(), after=after.as_of.isoformat()))
    if d["engine_changed"]:
        causes.append(Cause(kind="engine", before=before.engine_version, after=after.engine_version))
    return causes


def _moves(before: HandlerSnapshot, after: HandlerSnapshot, law: Law | None) -> list[ListMove]:
    lo, hi = sorted((before.as_of, after.as_of))
    out = []
    for change, ids in (
        ("added", sorted(set(after.governing) - set(before.governing))),
        ("removed", sorted(set(before.governing) - set(after.governing))),
    ):
        for list_id in ids:
            lf = law.lists.by_id.get(list_id) if law is not None else None
            on = None
            if lf is not None:
                start, end = lf.effective_from, lf.effective_to
                if lo < start <= hi:
                    on = start
                elif end is not None and lo <= end < hi:
                    on = end
            out.append(ListMove(list_id=list_id, change=change, on=on))  # type: ignore[arg-type]
    return out


def diff(before: HandlerSnapshot, after: HandlerSnapshot, law: Law | None = None) -> SnapshotDiff:
    """Every flow of either decision, with what changed and the differences that could explain it.
    `law` dates the list editions that came into or out of force between the two days."""
    common = before.lists.keys() & after.lists.keys()
    facts: dict[str, Any] = {
        "before": before,
        "after": after,
        "date_changed": before.as_of != after.as_of,
        # the input hash covers the date: it shows a changed declaration only on the same day
        "input_changed": before.input_sha256 != after.input_sha256 and before.as_of == after.as_of,
        "engine_changed": before.engine_version != after.engine_version,
        "lists_added": sorted(set(after.governing) - set(before.governing)),
        "lists_removed": sorted(set(before.governing) - set(after.governing)),
        "lists_revised": sorted(x for x in common if before.lists[x] != after.lists[x]),
        "moves": _moves(before, after, law),
    }
    fa, fb = {f.flow_id: f for f in before.flows}, {f.flow_id: f for f in after.flows}
    changes: list[FlowChange] = []
    for fid in [*fa, *(k for k in fb if k not in fa)]:
        a, b = fa.get(fid), fb.get(fid)
        if a is None or b is None:
            f = a or b
            assert f is not None
            changes.append(
                FlowChange(
                    flow_id=fid,
                    status="removed" if b is None else "added",
                    before=a.pathway if a else None,
                    after=b.pathway if b else None,
                    lower_before=a.lower_bound if a else None,
                    lower_after=b.lower_bound if b else None,
                    rules_before=_rules(a) if a else [],
                    rules_after=_rules(b) if b else [],
                )
            )
            continue
        same_path = (a.pathway, a.lower_bound) == (b.pathway, b.lower_bound)
        rules_a, rules_b = _rules(a), _rules(b)
        status = (
            "unchanged"
            if same_path and rules_a == rules_b
            else "reasons_changed"
            if same_path
            else "pathway_changed"
        )
        changes.append(
            FlowChange(
                flow_id=fid,
                status=status,
                before=a.pathway,
                after=b.pathway,
                lower_before=a.lower_bound,
                lower_after=b.lower_bound,
                rules_before=rules_a,
                rules_after=rules_b,
                causes=[] if status == "unchanged" else _causes(facts, a, b),
            )
        )
    return SnapshotDiff(
        handler=after.handler,
        before=before,
        after=after,
        date_changed=facts["date_changed"],
        input_changed=facts["input_changed"],
        engine_changed=facts["engine_changed"],
        lists_added=facts["lists_added"],
        lists_removed=facts["lists_removed"],
        lists_revised=facts["lists_revised"],
        moves=facts["moves"],
        flows=changes,
    )


def from_register(rows: list[tuple[str, Any]], handler: str) -> list[HandlerSnapshot]:
    """The handler's decision snapshots (`(flow key, snapshot)` pairs read from the register) grouped
    into handler decisions: flows snapshotted from one decision share its input hash, date and
    engine. Oldest first; each labelled by its first snapshot id."""
    groups: dict[tuple[str, dt.date, str], list[tuple[str, Any]]] = {}
    for flow, s in sorted(rows, key=lambda r: r[1].id):
        groups.setdefault((s.input_hash, s.as_of, s.engine_version), []).append((flow, s))
    out = []
    for (input_hash, as_of, engine), members in groups.items():
        latest: dict[str, Any] = {}
        for flow, s in members:
            latest[flow] = s  # the last snapshot of a flow within one decision wins
        first = min(s.id for _, s in members)
        decisions = [
            FlowDecision.model_validate({k: v for k, v in s.decision.items() if k != "governing_lists"})
            for s in latest.values()
        ]
        governing = next(
            (s.decision.get("governing_lists") for s in latest.values() if s.decision.get("governing_lists")),
            None,
        )
        lists = dict(next(iter(latest.values())).list_versions)
        out.append(
            HandlerSnapshot(
                label=f"#{first}",
                handler=handler,
                as_of=as_of,
                taken_at=max(s.taken_at for s in latest.values()),
                engine_version=engine,
                input_sha256=input_hash,
                lists=lists,
                governing=list(governing) if governing else sorted(lists),
                flows=decisions,
            )
        )
    return sorted(out, key=lambda h: int(h.label[1:]))
