"""`lists impact OLD NEW --register`: every flow filed under an edition that the next edition changes,
and whether that change is material (a fresh application) under the list's own change rules.

A flow is filed under OLD when a live proceeding of the register was opened under OLD's procedure,
or follows from one (a national-tier proceeding opened after OLD's opinion). Each such flow is judged
under both editions with the declaration the register holds for it (or one given on the command
line), all flows of one handler together, since bands count persons over every flow. The answer
says whether the flow moves tier (up or down), comes newly onto the list or falls off it, and reads
the materiality from the procedure the flow was filed under: the change trigger that covers a change
of pathway (Fujian Art. 13: a change that could affect export security needs a fresh application).
A list that names no such trigger gets the stricter reading: material.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, aliased

from ftzlist.filings.models import Flow, Handler, Proceeding
from ftzlist.law import Law
from ftzlist.listdiff.impact import impact
from ftzlist.schema.common import Pathway
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import ListFile, Procedure

LIVE = ("open", "active")
"""Proceeding states of a flow that is filed and in use (the register's own set)."""


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class FiledFlow:
    handler: str
    handler_name: str
    flow: str
    proceeding: str
    procedure_id: str
    declaration: dict[str, Any] | None


class FiledFlowImpact(Out):
    handler: str
    flow: str
    proceeding: str
    old: Pathway
    new: Pathway
    change: str = Field(
        description="unchanged | heavier | lighter | now_determined | now_undetermined | changed"
    )
    on_list_old: bool
    on_list_new: bool
    list_change: Literal["newly_on", "newly_off", "stays_on", "stays_off"]
    material: bool | None = Field(description="None when nothing changed.")
    trigger: str | None = Field(None, description="The change trigger of the filed procedure read.")
    citation: str | None = None
    why: str
    old_rules: list[str]
    new_rules: list[str]


class NotJudged(Out):
    handler: str
    flow: str
    proceeding: str
    why: str


class RegisterImpact(Out):
    old_id: str
    new_id: str
    as_of: dt.date
    flows: list[FiledFlowImpact]
    not_judged: list[NotJudged]
    notes: list[str]

    @property
    def changed(self) -> list[FiledFlowImpact]:
        return [
            f for f in self.flows if f.change != "unchanged" or f.list_change in ("newly_on", "newly_off")
        ]


def filed_flows(engine: Engine, list_id: str) -> list[FiledFlow]:
    """Flows with a live proceeding under `list_id`, or one that follows from such a proceeding."""
    parent = aliased(Proceeding)
    with Session(engine) as s:
        direct = select(Proceeding).where(Proceeding.list_id == list_id, Proceeding.state.in_(LIVE))
        child = (
            select(Proceeding)
            .join(parent, Proceeding.parent_id == parent.id)
            .where(parent.list_id == list_id, Proceeding.state.in_(LIVE))
        )
        found: dict[int, FiledFlow] = {}
        for p in [*s.scalars(direct), *s.scalars(child)]:
            if p.flow_id in found:
                continue
            f = s.get(Flow, p.flow_id)
            h = s.get(Handler, f.handler_id)
            found[p.flow_id] = FiledFlow(h.key, h.name, f.key, p.key, p.procedure_id, f.declaration)
    return sorted(found.values(), key=lambda x: (x.handler, x.flow))


def _declared_flow(stored: dict[str, Any], flow: str) -> tuple[dict | None, dict | None]:
    """(handler, flow) from a stored declaration: a whole declaration, or {handler, flow}."""
    handler = stored.get("handler")
    if isinstance(stored.get("flows"), list):
        match = next((f for f in stored["flows"] if isinstance(f, dict) and f.get("id") == flow), None)
        return handler, match
    return handler, stored.get("flow")


def _from_files(declarations: list[Declaration], filed: FiledFlow) -> tuple[dict | None, dict | None]:
    """A flow of a declaration given on the command line: same handler name and flow id."""
    for d in declarations:
        if d.handler.name in (filed.handler_name, filed.handler):
            for f in d.flows:
                if f.id == filed.flow:
                    return d.handler.model_dump(mode="json"), f.model_dump(mode="json")
    return None, None


def _pathway_trigger(proc: Procedure | None):
    return proc.trigger_for("pathway") if proc is not None else None  # typed change triggers


def register_impact(
    old: tuple[ListFile, str],
    new: tuple[ListFile, str],
    filed: list[FiledFlow],
    law: Law,
    as_of: dt.date,
    declarations: list[Declaration] = (),  # type: ignore[assignment]
) -> RegisterImpact:
    old_lf, new_lf = old[0], new[0]
    not_judged: list[NotJudged] = []
    notes: list[str] = []
    by_handler: dict[str, list[tuple[FiledFlow, dict, dict]]] = defaultdict(list)
    for ff in filed:
        handler, flow = _declared_flow(ff.declaration, ff.flow) if ff.declaration else (None, None)
        if flow is None:
            handler, flow = _from_files(list(declarations), ff)
        if flow is None or handler is None:
            not_judged.append(
                NotJudged(
                    handler=ff.handler,
                    flow=ff.flow,
                    proceeding=ff.proceeding,
                    why="the register holds no declaration for this flow and none was given "
                    "(pass the handler's declaration file)",
                )
            )
            continue
        by_handler[ff.handler].append((ff, handler, flow))
    procedures = {p.id: p for p in old_lf.procedures}
    old_items = {it.id for it in old_lf.items}
    new_items = {it.id for it in new_lf.items}
    out: list[FiledFlowImpact] = []
    for key, rows in sorted(by_handler.items()):
        handlers = {repr(h) for _, h, _ in rows}
        if len(handlers) > 1:
            notes.append(
                f"{key}: the flows' stored declarations give different handler facts; the first is used"
            )
        try:
            decl = Declaration.model_validate({"handler": rows[0][1], "flows": [f for _, _, f in rows]})
        except ValidationError as exc:
            for ff, _, _ in rows:
                not_judged.append(
                    NotJudged(handler=ff.handler, flow=ff.flow, proceeding=ff.proceeding,
                              why=f"its declaration is not valid ({exc.errors()[0]['msg']})")
                )  # fmt: skip
            continue
        result = impact(old, new, decl, law, as_of)
        notes.extend(f"{key}: {n}" for n in result.notes)
        if any(n.handler == key for n in not_judged):
            notes.append(
                f"{key}: persons are summed over the judged flows only; a band reached with the other "
                "filed flows would not show (give their declarations)"
            )
        for (ff, _, _), fi in zip(rows, result.flows, strict=True):
            on_old = any(r in old_items for r in fi.old_rules)
            on_new = any(r in new_items for r in fi.new_rules)
            list_change = (
                "newly_on" if on_new and not on_old else "newly_off" if on_old and not on_new
                else "stays_on" if on_new else "stays_off"
            )  # fmt: skip
            moved = fi.change != "unchanged" or list_change in ("newly_on", "newly_off")
            trigger = _pathway_trigger(procedures.get(ff.procedure_id)) if moved else None
            if not moved:
                material, why = None, "the new edition gives the same pathway"
            elif trigger is not None:
                material = trigger.material
                why = (
                    f"a change of pathway is covered by the change trigger '{trigger.id}' of "
                    f"{ff.procedure_id}: " + ("material, a fresh application" if material else "not material")
                )
            else:
                material = True
                why = (
                    f"{ff.procedure_id} names no change trigger for a change of pathway; read as material "
                    "(a fresh application), the stricter reading"
                )
            out.append(
                FiledFlowImpact(
                    handler=ff.handler,
                    flow=ff.flow,
                    proceeding=ff.proceeding,
                    old=fi.old,
                    new=fi.new,
                    change=fi.change,
                    on_list_old=on_old,
                    on_list_new=on_new,
                    list_change=list_change,  # type: ignore[arg-type]
                    material=material,
                    trigger=trigger.id if trigger is not None else None,
                    citation=trigger.citation.text("en") if trigger is not None else None,
                    why=why,
                    old_rules=fi.old_rules,
                    new_rules=fi.new_rules,
                )
            )
    return RegisterImpact(
        old_id=old_lf.id, new_id=new_lf.id, as_of=as_of, flows=out, not_judged=not_judged, notes=notes
    )
