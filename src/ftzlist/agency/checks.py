"""Consistency spot-checks (Fujian measures Art. 16): what a handler actually exported, set
against what it filed — scenario, data catalogue, scale, overseas recipient — with both figures
for every difference.

Actual exports come either from a person count over the handler's export logs (exact, de-duplicated
persons) or from the exports recorded in the register. Recorded exports are not de-duplicated
across exports, so their persons are a range: at least the largest single export, at most the sum.
Reading taken (agency.persons-range): a figure above the filed scale at the lower bound is a
discrepancy; above it only at the upper bound it is listed as `possible` (a count run settles it),
never dropped. An export recorded without its persons leaves the upper bound unknown: the
persons are then listed as a `possible` discrepancy (reading agency.persons-unknown), never taken
as within the filing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ftzlist.errors import InputError


@dataclass(frozen=True)
class Observed:
    """What was actually exported in the period checked."""

    basis: str  # exports | count_run
    scenarios: frozenset[str] = frozenset()
    data_items: frozenset[str] = frozenset()
    persons_min: int | None = None
    persons_max: int | None = None
    records: int | None = None
    recipients: frozenset[tuple[str | None, str | None]] = frozenset()
    exports: int = 0
    persons_unknown: int = 0  # exports recorded without their persons
    notes: tuple[str, ...] = field(default_factory=tuple)


def discrepancy(aspect: str, filed: Any, actual: Any, what: str, *, certain: bool = True) -> dict[str, Any]:
    return {"aspect": aspect, "filed": filed, "actual": actual, "what": what, "certain": certain}


def compare(filing: dict[str, Any], obs: Observed) -> list[dict[str, Any]]:
    """Every difference between the filed content (`FiledContent` as JSON, with `persons` and
    `records` totals) and what was observed; each names the aspect, the filed and the actual figure."""
    out: list[dict[str, Any]] = []
    filed_scenario = filing.get("scenario")
    other = sorted(x for x in obs.scenarios if x != filed_scenario)
    if other:
        out.append(
            discrepancy(
                "scenario", filed_scenario, other, f"exports under scenario(s) not filed: {', '.join(other)}"
            )
        )
    items = filing.get("items", [])
    filed_items = {i["id"] for i in items} | {i["category"] for i in items}
    extra = sorted(obs.data_items - filed_items)
    if extra:
        out.append(
            discrepancy(
                "data_catalogue",
                sorted(i["id"] for i in items),
                extra,
                f"data items exported that the filed catalogue does not list: {', '.join(extra)}",
            )
        )
    persons = filing.get("persons")
    if persons is not None and obs.persons_min is not None and obs.persons_min > persons:
        out.append(
            discrepancy(
                "persons",
                persons,
                obs.persons_min
                if obs.persons_max in (None, obs.persons_min)
                else [obs.persons_min, obs.persons_max],
                f"{obs.persons_min:,} persons exported ({obs.basis}), {persons:,} filed",
            )
        )
    elif persons is not None and obs.persons_max is not None and obs.persons_max > persons:
        out.append(
            discrepancy(
                "persons",
                persons,
                [obs.persons_min, obs.persons_max],
                f"up to {obs.persons_max:,} persons exported (recorded exports, not de-duplicated: at least "
                f"{obs.persons_min or 0:,}), {persons:,} filed: run a count over the logs to settle it",
                certain=False,
            )
        )
    elif persons is not None and obs.persons_unknown:
        out.append(
            discrepancy(
                "persons",
                persons,
                None if obs.persons_min is None else [obs.persons_min, None],
                f"{obs.persons_unknown} of {obs.exports} recorded export(s) do not say how many persons: "
                f"the persons exported are unknown (at least {obs.persons_min or 0:,}), {persons:,} filed: "
                "run a count over the logs to settle it (reading agency.persons-unknown)",
                certain=False,
            )
        )
    records = filing.get("records")
    if records is not None and obs.records is not None and obs.records > records:
        out.append(
            discrepancy(
                "records", records, obs.records, f"{obs.records:,} records exported, {records:,} filed"
            )
        )
    rec = filing.get("recipient") or {}
    filed_rec = (rec.get("name"), rec.get("country"))
    for name, country in sorted(obs.recipients, key=lambda r: (r[0] or "", r[1] or "")):
        if (name is not None and name != filed_rec[0]) or (country is not None and country != filed_rec[1]):
            out.append(
                discrepancy(
                    "recipient",
                    {"name": filed_rec[0], "country": filed_rec[1]},
                    {"name": name, "country": country},
                    f"exported to {name or '?'} ({country or '?'}); filed {filed_rec[0]} ({filed_rec[1]})",
                )
            )
    return out


def from_exports(rows: list[Any], flow_scenario: str | None) -> Observed:
    """Observed from recorded `ExportEvent` rows of one flow (persons as a range, see above)."""
    persons = [r.persons for r in rows if r.persons is not None]
    records = [r.records for r in rows if r.records is not None]
    return Observed(
        basis="exports",
        scenarios=frozenset({flow_scenario} if flow_scenario and rows else set()),
        data_items=frozenset(d for r in rows for d in r.data_items),
        persons_min=max(persons) if persons else None,
        persons_max=sum(persons) if persons and len(persons) == len(rows) else None,
        persons_unknown=len(rows) - len(persons),
        records=sum(records) if records else None,
        recipients=frozenset(
            (r.recipient_name, r.recipient_country) for r in rows if r.recipient_name or r.recipient_country
        ),
        exports=len(rows),
    )


def from_count(result: dict[str, Any], flow: str, flow_scenario: str | None) -> Observed:
    """Observed from a count run's result (`CountResult` as JSON) for one flow: exact persons, the
    data items the logs name. The logs do not say the recipient, so none is compared."""
    mine = [b for b in result.get("by_flow", []) if b.get("flow") == flow]
    if not mine:
        flows = sorted({str(b.get("flow")) for b in result.get("by_flow", [])})
        raise InputError(
            f"the count run has no flow '{flow}'", problems=[f"flows counted: {', '.join(flows)}"]
        )
    persons = int(mine[0]["persons"]["any"])
    items = {
        str(b["data_item"]) for b in result.get("by_item", []) if b.get("flow") == flow and b.get("data_item")
    }
    return Observed(
        basis="count_run",
        scenarios=frozenset({flow_scenario} if flow_scenario else set()),
        data_items=frozenset(items),
        persons_min=persons,
        persons_max=persons,
        records=int(mine[0].get("rows", 0)),
        notes=(f"count run {result.get('run_id', '?')}",),
    )
