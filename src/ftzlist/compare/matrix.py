"""`ftzlist compare`: the same declaration judged as if the handler were registered in each zone
(and outside every zone: the national baseline), with the burden each placement brings.

This answers "should we register in the FTZ?": per flow the pathway in each zone, and per zone
how many security assessments, standard contracts, list filings and post-export reports the
company would carry, and the earliest deadline. Nothing here knows a zone by name: placements come
from the vocabulary and the lists in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import Field

from ftzlist.compare.alternatives import alternatives_from
from ftzlist.compare.placements import Out, Placement, place, placements
from ftzlist.law import Law
from ftzlist.schema.common import Pathway
from ftzlist.schema.decision import DecisionSet
from ftzlist.schema.declaration import Declaration
from ftzlist.schema.lists import Procedure


class Cell(Out):
    flow_id: str
    pathway: Pathway
    lower_bound: Pathway | None = None
    regimes: list[str]
    rules: list[str]
    missing: list[str] = Field(default_factory=list)
    uncertain: list[str] = Field(default_factory=list, description="Deciding rules tagged [U], [V2] or [C].")
    alternatives: list[str] = Field(default_factory=list)


class Deadline(Out):
    working_days: int
    after: str
    step: str
    procedure: str
    list_id: str
    date: dt.date | None = Field(None, description="If the starting event happens on the assessment day.")
    provisional: bool = False


class Burden(Out):
    placement: str
    flows: int
    security_assessments: int
    standard_contracts: int
    other_lawful_paths: int
    exempt: int
    undetermined: int
    list_filings: int
    post_export_reports: int
    before_export: list[str] = Field(default_factory=list, description="Steps due before the first export.")
    earliest_deadline: Deadline | None = None


class Comparison(Out):
    as_of: dt.date
    handler: str
    placements: list[Placement]
    flows: list[str]
    cells: dict[str, dict[str, Cell]] = Field(description="flow id -> placement label -> cell")
    burden: list[Burden]

    def cell(self, flow_id: str, placement: str) -> Cell:
        return self.cells[flow_id][placement]


def _cells(ds: DecisionSet) -> dict[str, Cell]:
    out = {}
    for f in ds.flows:
        fired = {c.rule_id: c.status for c in f.checks if c.outcome == "fired"}
        rules = sorted({r for it in f.items for r in it.deciding_rules})
        out[f.flow_id] = Cell(
            flow_id=f.flow_id,
            pathway=f.pathway,
            lower_bound=f.lower_bound,
            regimes=sorted({it.regime for it in f.items}),
            rules=rules,
            missing=[m.field for m in f.missing],
            uncertain=sorted(f"{r} [{fired[r]}]" for r in rules if fired.get(r, "V") != "V"),
            alternatives=list(f.alternatives),
        )
    return out


def _procedures(law: Law, ds: DecisionSet) -> dict[tuple[str, str], tuple[str, Procedure]]:
    found: dict[tuple[str, str], tuple[str, Procedure]] = {}
    for lid in ds.governing_lists:
        lf = law.lists.get(lid)
        for p in lf.procedures:
            found[(lid, p.id)] = (lid, p)
    return found


def burden(law: Law, ds: DecisionSet, label: str) -> Burden:
    """Count the formalities of one placement's decisions; find the earliest deadline."""
    procs = _procedures(law, ds)
    national = next(lid for lid in ds.governing_lists if law.lists.get(lid).kind == "national")

    def lookup(list_id: str, proc_id: str) -> tuple[str, Procedure] | None:
        return procs.get((list_id, proc_id)) or procs.get((national, proc_id))

    counts = dict.fromkeys(("sa", "scc", "olp", "exempt", "und", "filing", "report"), 0)
    before: set[str] = set()
    deadlines: list[Deadline] = []
    for f in ds.flows:
        counts[
            {
                Pathway.security_assessment: "sa",
                Pathway.standard_contract_or_certification: "scc",
                Pathway.other_lawful_path: "olp",
                Pathway.exempt: "exempt",
            }.get(f.pathway, "und")
        ] += 1
        models: set[str] = set()
        for ob in f.obligations:
            if ob.procedure is None:
                continue
            hit = lookup(ob.list_id, ob.procedure)
            if hit is None:
                continue
            lid, proc = hit
            models.add(proc.model)
            for step in proc.steps:
                # optional steps are rights (a re-evaluation request), not duties
                if step.actor != "handler" or step.optional:
                    continue
                if step.before_export:
                    before.add(f"{proc.name.en}: {step.name.en}")
                if step.working_days:
                    deadlines.append(
                        Deadline(
                            working_days=step.working_days,
                            after=step.after or "export",
                            step=step.name.en,
                            procedure=proc.id,
                            list_id=lid,
                        )
                    )
        counts["filing"] += "pre_export_filing" in models
        counts["report"] += "post_export_report" in models
    earliest = min(deadlines, key=lambda d: (d.working_days, d.procedure), default=None)
    if earliest is not None:
        from ftzlist.calendar import bundled_calendar

        counted = bundled_calendar().add_working_days(ds.as_of, earliest.working_days)
        earliest = earliest.model_copy(update={"date": counted.date, "provisional": counted.provisional})
    return Burden(
        placement=label,
        flows=len(ds.flows),
        security_assessments=counts["sa"],
        standard_contracts=counts["scc"],
        other_lawful_paths=counts["olp"],
        exempt=counts["exempt"],
        undetermined=counts["und"],
        list_filings=counts["filing"],
        post_export_reports=counts["report"],
        before_export=sorted(before),
        earliest_deadline=earliest,
    )


def compare(
    declaration: Declaration,
    law: Law,
    as_of: dt.date,
    zones: Iterable[str] | None = None,
    *,
    alternatives: bool = True,
) -> Comparison:
    """Judge `declaration` in every placement (the national baseline first)."""
    from ftzlist.engine import decide

    where = placements(law, as_of, zones, declaration)
    decided: dict[str, DecisionSet] = {p.label: decide(place(declaration, p), law, as_of) for p in where}
    if alternatives:
        decided = alternatives_from(decided, where, law)
    cells: dict[str, dict[str, Cell]] = {f.id: {} for f in declaration.flows}
    for p in where:
        for fid, cell in _cells(decided[p.label]).items():
            cells[fid][p.label] = cell
    return Comparison(
        as_of=as_of,
        handler=declaration.handler.name,
        placements=where,
        flows=[f.id for f in declaration.flows],
        cells=cells,
        burden=[burden(law, decided[p.label], p.label) for p in where],
    )
