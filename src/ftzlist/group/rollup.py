"""Decide each entity of a group, then roll the flows up by recipient and by recipient country."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from ftzlist.errors import InputError
from ftzlist.group.model import CountryRollup, Entity, FlowRow, GroupResult, GroupSummary, RecipientRollup
from ftzlist.reports.text import free_text
from ftzlist.schema.common import PATHWAY_RANK, Pathway, Strict

if TYPE_CHECKING:
    from ftzlist.law import Law
    from ftzlist.schema.decision import DecisionSet, FlowDecision
    from ftzlist.schema.declaration import Declaration

FILING_MODELS = ("pre_export_filing", "post_export_report")


class Member(Strict):
    declaration: str = Field(description="Path of the entity's declaration, relative to the group file.")
    key: str | None = Field(None, description="Short name in the roll-ups (default: the file's stem).")


class GroupFile(Strict):
    """A group file: `ftzlist group GROUP.yaml` reads its members' declarations."""

    version: int = 1
    name: str
    as_of: dt.date | None = None
    entities: list[Member] = Field(min_length=1)


def load_group(path: Path) -> tuple[GroupFile, list[tuple[str, Path]]]:
    """The group file and its members as (key, declaration path), paths resolved against it."""
    from ftzlist.yamlio import load_model

    group = load_model(GroupFile, path)
    return group, [(m.key or Path(m.declaration).stem, path.parent / m.declaration) for m in group.entities]


def _rank(p: Pathway) -> int:
    return PATHWAY_RANK.get(p, -1)


def _known(f: FlowDecision) -> Pathway:
    """A flow's pathway, or for an undetermined flow the least it needs."""
    if f.pathway == Pathway.undetermined:
        return f.lower_bound or Pathway.exempt
    return f.pathway


def _handler_key(decl: Declaration) -> str:
    h = decl.handler
    return f"uscc:{h.uscc}" if h.uscc else "name:" + re.sub(r"\s+", " ", h.name).strip().casefold()


def _recipient_key(name: str, country: str) -> tuple[str, str]:
    return re.sub(r"[\s.,]+", " ", name).strip().casefold(), country


def _sum(values: Iterable[int | None]) -> int | None:
    vals = list(values)
    return None if any(v is None for v in vals) else sum(v for v in vals if v is not None)


def _filing_flows(ds: DecisionSet, law: Law) -> int:
    from ftzlist.reports.lookup import find_procedure

    n = 0
    for f in ds.flows:
        for o in f.obligations:
            hit = find_procedure(law, o.list_id, o.procedure) if o.procedure else None
            if hit and hit[1].model in FILING_MODELS:
                n += 1
                break
    return n


def run_group(
    name: str, members: list[tuple[str, Declaration, str]], law: Law, as_of: dt.date
) -> GroupResult:
    """Decide every member `(key, declaration, source)` on `as_of` and roll the group up."""
    from ftzlist.engine import decide

    seen: dict[str, str] = {}
    keys: set[str] = set()
    for key, decl, source in members:
        hk = _handler_key(decl)
        if hk in seen:
            raise InputError(
                f"{source} and {seen[hk]} declare the same handler: a handler's exports are counted "
                "together, so put its flows in one declaration",
                where=source,
            )
        if key in keys:
            raise InputError(
                f"two entities are called '{key}'; give one a `key:` in the group file", where=source
            )
        seen[hk], _ = source, keys.add(key)

    entities, rows = [], []
    for key, decl, source in members:
        ds = decide(decl, law, as_of)
        entity, flow_rows = _entity(key, decl, ds, law, source)
        entities.append(entity)
        rows.extend(flow_rows)
    return GroupResult(
        name=free_text(name),
        as_of=as_of,
        entities=entities,
        summary=_summary(entities, rows),
        flows=rows,
        by_recipient=_by_recipient(rows),
        by_country=_by_country(rows),
        notes=[
            "Each entity is decided alone: the law counts persons per data handler (CBDF Arts. 7-8). "
            "Persons in the roll-ups add up the group's flows to show exposure; they may count one "
            "person twice and decide nothing.",
        ],
    )


def _entity(
    key: str, decl: Declaration, ds: DecisionSet, law: Law, source: str
) -> tuple[Entity, list[FlowRow]]:
    decl_flows = {f.id: f for f in decl.flows}
    rows = []
    for f in ds.flows:
        df = decl_flows[f.flow_id]
        rows.append(
            FlowRow(
                entity=key,
                flow_id=f.flow_id,
                recipient=free_text(df.recipient.name),
                country=df.recipient.country,
                pathway=f.pathway,
                lower_bound=f.lower_bound,
                persons=_sum(i.persons for i in f.items),
                persons_sensitive=_sum(i.persons for i in f.items if i.sensitive),
                categories=sorted({i.category for i in f.items}),
            )
        )
    by = Counter(f.pathway.value for f in ds.flows)
    contract_recipients = {
        _recipient_key(decl_flows[f.flow_id].recipient.name, decl_flows[f.flow_id].recipient.country)
        for f in ds.flows
        if f.pathway == Pathway.standard_contract_or_certification
    }
    ht = ds.handler_totals
    strictest = max((_known(f) for f in ds.flows), key=_rank, default=Pathway.exempt)
    entity = Entity(
        key=key,
        handler=free_text(decl.handler.name),
        zone=decl.handler.zone,
        area=decl.handler.area,
        source=source,
        flows=len(ds.flows),
        by_pathway=dict(sorted(by.items())),
        security_assessments=by.get(Pathway.security_assessment.value, 0),
        standard_contracts=len(contract_recipients),
        list_filings=_filing_flows(ds, law),
        undetermined=[f.flow_id for f in ds.flows if f.pathway == Pathway.undetermined],
        national_persons_non_sensitive=ht.persons_non_sensitive,
        national_persons_sensitive=ht.persons_sensitive,
        national_count_pathway=ht.pathway,
        strictest=strictest,
        decision=ds,
    )
    return entity, rows


def _summary(entities: list[Entity], rows: list[FlowRow]) -> GroupSummary:
    by: Counter[str] = Counter()
    zones: dict[str, list[str]] = {}
    for e in entities:
        by.update(e.by_pathway)
        zones.setdefault(e.zone or "none", []).append(e.key)
    return GroupSummary(
        entities=len(entities),
        flows=len(rows),
        by_pathway=dict(sorted(by.items())),
        entities_needing_security_assessment=[e.key for e in entities if e.security_assessments],
        standard_contracts=sum(e.standard_contracts for e in entities),
        list_filings=sum(e.list_filings for e in entities),
        undetermined=[f"{r.entity}/{r.flow_id}" for r in rows if r.pathway == Pathway.undetermined],
        zones=zones,
    )


def _strictest(rows: list[FlowRow]) -> Pathway:
    known = [
        r.pathway if r.pathway != Pathway.undetermined else (r.lower_bound or Pathway.exempt) for r in rows
    ]
    return max(known, key=_rank)


def _by_recipient(rows: list[FlowRow]) -> list[RecipientRollup]:
    groups: dict[tuple[str, str], list[FlowRow]] = {}
    for r in rows:
        groups.setdefault(_recipient_key(r.recipient, r.country), []).append(r)
    out = []
    for members in groups.values():
        out.append(
            RecipientRollup(
                recipient=members[0].recipient,
                country=members[0].country,
                entities=sorted({r.entity for r in members}),
                flows=[f"{r.entity}/{r.flow_id}" for r in members],
                strictest=_strictest(members),
                by_pathway=dict(sorted(Counter(r.pathway.value for r in members).items())),
                contracts=sorted(
                    {r.entity for r in members if r.pathway == Pathway.standard_contract_or_certification}
                ),
                persons=_sum(r.persons for r in members),
                persons_sensitive=_sum(r.persons_sensitive for r in members),
                categories=sorted({c for r in members for c in r.categories}),
            )
        )
    return sorted(out, key=lambda x: (-_rank(x.strictest), x.country, x.recipient))


def _by_country(rows: list[FlowRow]) -> list[CountryRollup]:
    groups: dict[str, list[FlowRow]] = {}
    for r in rows:
        groups.setdefault(r.country, []).append(r)
    out = [
        CountryRollup(
            country=country,
            recipients=sorted({r.recipient for r in members}),
            entities=sorted({r.entity for r in members}),
            flows=len(members),
            strictest=_strictest(members),
            by_pathway=dict(sorted(Counter(r.pathway.value for r in members).items())),
            persons=_sum(r.persons for r in members),
            persons_sensitive=_sum(r.persons_sensitive for r in members),
        )
        for country, members in groups.items()
    ]
    return sorted(out, key=lambda x: (-_rank(x.strictest), x.country))
