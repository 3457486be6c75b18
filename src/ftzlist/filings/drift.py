"""Drift against the filings (issue 13 §2): how many persons each filed flow has actually exported
this year, against what was filed, the list's next band and the material-change ratio, with the
day each line was crossed or, at the current rate, will be.

For each live proceeding with a filing, three kinds of line are watched:

- `filed`: one person above the latest filed figure. Exports beyond it differ from the filing
  (Fujian Art. 16): file a change, which `filings change` judges.
- `ratio`: the first figure above the change ratio times the approved figure (the filing the
  authority approved, not a later simplified version): a large increase in volume, a material
  change (Fujian Art. 13; the 1.5 default is ftzlist's reading, see `ftzlist.filings.changes`).
- `band`: each band line of the list above the filed figure, on the person axis the list's item
  counts (any, sensitive or non-sensitive): crossing one is always material (Fujian Art. 13).
  Lines come from `ftzlist.filings.bands` (the list's own conditions on what was filed).

The count comes from export logs (`ftzlist.counting`, de-duplicated natural persons, each watched
line a `counting.crossings.Watch`) or, without logs, from the exports recorded in the register:
the persons of each recorded export of the year summed (exports to the same persons are counted
again: an upper bound, the stricter reading). Projections use counting's one rule
(`counting.crossings.crossing_for`): the year-to-date daily rate continues; a projected day after
31 December is outside the window (the count restarts on 1 January).

Status of a line: `crossed` (with the day), `warning` (projected within this year's window), or
`ok`. Only lines up to the first one not crossed on each axis are reported.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ftzlist.counting.crossings import crossing_for
from ftzlist.filings.bands import persons_for
from ftzlist.filings.content import FiledContent
from ftzlist.law import Vocabulary
from ftzlist.schema.lists import ChangeKind, ListFile, Procedure

if TYPE_CHECKING:
    from ftzlist.filings.register import Register

Kind = Literal["filed", "ratio", "band"]
Status = Literal["crossed", "warning", "ok"]


@dataclass(frozen=True)
class FiledFlow:
    """What the register holds for one live proceeding with a filing."""

    proceeding: str
    handler: str
    flow: str
    list_id: str
    procedure_id: str
    approved: FiledContent
    latest: FiledContent
    exports: tuple[tuple[dt.date, int | None], ...] = ()
    has_fresh: bool = False


@dataclass(frozen=True)
class Line:
    """A figure watched for a filed flow: `threshold` persons on `axis` (None: any)."""

    kind: Kind
    threshold: int
    label: str
    axis: str | None = None
    citation: str = ""


@dataclass(frozen=True)
class LineState:
    kind: Kind
    threshold: int
    label: str
    axis: str | None
    count: int
    crossed_on: dt.date | None
    projected_on: dt.date | None
    projected_within_window: bool | None
    status: Status
    action: str
    citation: str


@dataclass
class FlowDrift:
    proceeding: str
    handler: str
    flow: str
    list_id: str
    filed_persons: int | None
    approved_persons: int | None
    count: int
    source: str
    lines: list[LineState] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    opened: str | None = None

    @property
    def material(self) -> bool:
        """A band or the change ratio has been crossed: a fresh application is needed."""
        return any(s.status == "crossed" and s.kind in ("band", "ratio") for s in self.lines)

    @property
    def warnings(self) -> list[LineState]:
        return [s for s in self.lines if s.status != "ok"]


def _basis(procedure: Procedure | None, kind: ChangeKind) -> str:
    """The citation of the procedure's change trigger covering `kind` (else the procedure's own)."""
    if procedure is None:
        return "ftzlist reading"
    t = procedure.trigger_for(kind)
    if t is not None:
        return f"{t.citation.text('en')} ({t.id})"
    return f"{procedure.citation.text('en')} (no trigger of its own: ftzlist reading)"


def lines_for(
    ff: FiledFlow,
    lists: list[ListFile],
    voc: Vocabulary | None,
    volume_ratio: float,
    procedure: Procedure | None = None,
) -> tuple[list[Line], list[str]]:
    """The lines watched for a filed flow (see the module doc), and notes on what was not read.
    `procedure` (the one the flow was filed under) gives the citations of its change triggers."""
    out: list[Line] = []
    notes: list[str] = []
    filed = ff.latest.total_persons()
    if filed is not None:
        out.append(
            Line(
                "filed", filed + 1, f"above the filed {filed:,} persons", None, "consistency with the filing"
            )
        )
    approved = ff.approved.total_persons()
    if approved is not None:
        # the first whole figure above ratio x approved (exactly the ratio is not "above")
        out.append(
            Line(
                "ratio",
                math.floor(approved * volume_ratio) + 1,
                f"above x{volume_ratio:g} the approved {approved:,} persons (a large increase)",
                None,
                _basis(procedure, "volume") + "; the ratio: ftzlist reading",
            )
        )
    else:
        notes.append("the filing gives no persons figure: the change ratio and bands are not watched")
    if voc is None or not lists:
        notes.append(f"the bands of {ff.list_id} were not read (list not loaded)")
        return out, notes
    seen: set[tuple[int, str | None]] = set()
    for lf in lists:
        for item in lf.items:
            if item.persons is None or item.level == "exemption":
                continue
            at = persons_for(item, voc, ff.latest)
            if at is None:
                continue
            axis = item.sensitivity.value if item.sensitivity is not None else None
            for line, edge in ((item.persons.min, "from"), (item.persons.max, "below")):
                if line is None or line <= 0 or line <= at or (line, axis) in seen:
                    continue
                seen.add((line, axis))
                where = "applies from" if edge == "from" else "applies below"
                out.append(
                    Line(
                        "band",
                        line,
                        f"band line {line:,} of {lf.id}: {item.id} ({item.pathway}) {where} it",
                        axis,
                        f"{item.citation.text('en')}; {_basis(procedure, 'band')}",
                    )
                )
    return sorted(out, key=lambda x: (x.threshold, x.kind)), notes


def _action(kind: Kind, status: Status) -> str:
    if status == "ok":
        return ""
    verb = "now" if status == "crossed" else "before then"
    return {
        "filed": f"exports exceed the filing: file the change {verb} (`filings change` says whether it is material)",
        "ratio": f"material change (large increase): a fresh application {verb}",
        "band": f"material change (band crossed): a fresh application {verb}",
    }[kind]


def judge(
    lines: list[Line],
    counted: list[tuple[int, dt.date | None, dt.date | None, bool | None]],
) -> list[LineState]:
    """Line states from (count, crossed_on, projected_on, within_window) per line, in order; on each
    axis only the lines up to the first one not crossed."""
    out: list[LineState] = []
    stop: set[str | None] = set()
    for line, (count, crossed, projected, within) in zip(lines, counted, strict=True):
        status: Status = "crossed" if crossed else "warning" if within else "ok"
        if line.kind == "band":
            if line.axis in stop:
                continue
            if status != "crossed":
                stop.add(line.axis)
        out.append(
            LineState(
                line.kind,
                line.threshold,
                line.label,
                line.axis,
                count,
                crossed,
                projected,
                within,
                status,
                _action(line.kind, status),
                line.citation,
            )
        )
    return out


def from_exports(
    ff: FiledFlow, lines: list[Line], as_of: dt.date
) -> tuple[int, list[tuple[int, dt.date | None, dt.date | None, bool | None]], list[str]]:
    """Count from the exports recorded in the register (this year up to `as_of`)."""
    start = dt.date(as_of.year, 1, 1)
    series: list[tuple[dt.date, int]] = []
    unknown = 0
    for day, persons in sorted(ff.exports, key=lambda e: e[0]):
        if not (start <= day <= as_of):
            continue
        if persons is None:
            unknown += 1
            continue
        total = (series[-1][1] if series else 0) + persons
        if series and series[-1][0] == day:
            series[-1] = (day, total)
        else:
            series.append((day, total))
    notes = [
        "counted from the exports recorded in the register: their persons summed (an upper bound; "
        "pass --logs and --mapping for de-duplicated persons)"
    ]
    if unknown:
        notes.append(f"{unknown} recorded export(s) this year give no persons: not counted")
    counted = [crossing_for(series, ln.threshold, as_of=as_of, window_start=start) for ln in lines]
    return (series[-1][1] if series else 0), counted, notes


def from_logs(
    flows: list[tuple[FiledFlow, list[Line]]],
    files: list,
    mapping: object,
    *,
    as_of: dt.date,
    key: bytes,
    lists: list[ListFile],
    vocabulary: Vocabulary | None,
) -> list[tuple[int, list[tuple[int, dt.date | None, dt.date | None, bool | None]], list[str]]]:
    """Count every filed flow's persons in export logs (one run; the log's flow column names the
    register's flow keys), each line a `Watch` on the flow."""
    from ftzlist.counting import count_persons
    from ftzlist.counting.crossings import Watch

    watches = [
        Watch(flow=ff.flow, threshold=ln.threshold, label=f"{ff.proceeding}:{i}", sensitivity=ln.axis)
        for ff, lines in flows
        for i, ln in enumerate(lines)
    ]
    result = count_persons(
        files, mapping, as_of=as_of, key=key, lists=lists, vocabulary=vocabulary, watch=watches
    )  # type: ignore[arg-type]
    by_label = {c.group: c for c in result.watched}
    per_flow = {b.flow: b.persons.any for b in result.by_flow}
    note = (
        f"counted from export logs: de-duplicated persons, {result.window_start} to {result.as_of} "
        f"(run {result.run_id[:12]})"
    )
    out = []
    for ff, lines in flows:
        counted = []
        for i in range(len(lines)):
            c = by_label[f"{ff.proceeding}:{i}"]
            counted.append((c.count, c.crossed_on, c.projected_on, c.projected_within_window))
        notes = [note]
        if ff.flow not in per_flow:
            notes.append(f"the logs have no counted rows of flow '{ff.flow}'")
        out.append((per_flow.get(ff.flow, 0), counted, notes))
    return out


def drift(
    filed: list[FiledFlow],
    lists_of: dict[str, list[ListFile]],
    vocabulary: Vocabulary | None,
    *,
    procedures: dict[str, Procedure] | None = None,
    as_of: dt.date,
    volume_ratio: float,
    logs: tuple[list, object, bytes, list[ListFile]] | None = None,
) -> list[FlowDrift]:
    """Drift of every filed flow. `lists_of` gives, per proceeding, the lists whose bands apply;
    `logs` is (files, mapping, key, threshold lists) to count from export logs, else the register's
    recorded exports are counted."""
    planned = []
    for ff in filed:
        proc = (procedures or {}).get(ff.proceeding)
        lines, notes = lines_for(ff, lists_of.get(ff.proceeding, []), vocabulary, volume_ratio, proc)
        planned.append((ff, lines, notes))
    if logs is not None:
        files, mapping, key, threshold_lists = logs
        counts = from_logs(
            [(ff, lines) for ff, lines, _ in planned],
            files,
            mapping,
            as_of=as_of,
            key=key,
            lists=threshold_lists,
            vocabulary=vocabulary,
        )
        source = "logs"
    else:
        counts = [from_exports(ff, lines, as_of) for ff, lines, _ in planned]
        source = "register exports"
    out = []
    for (ff, lines, notes), (count, counted, more) in zip(planned, counts, strict=True):
        out.append(
            FlowDrift(
                proceeding=ff.proceeding,
                handler=ff.handler,
                flow=ff.flow,
                list_id=ff.list_id,
                filed_persons=ff.latest.total_persons(),
                approved_persons=ff.approved.total_persons(),
                count=count,
                source=source,
                lines=judge(lines, counted),
                notes=notes + more,
            )
        )
    return out


def register_drift(
    reg: Register,
    *,
    as_of: dt.date,
    handler: str | None = None,
    volume_ratio: float,
    logs: tuple[list, object, bytes, list[ListFile]] | None = None,
) -> list[FlowDrift]:
    """`drift` over every live filed flow of the register (of one handler)."""
    filed = reg.filed_flows(handler)
    lists_of = {ff.proceeding: reg.band_lists(ff.list_id, ff.procedure_id, as_of) for ff in filed}
    procs = {ff.proceeding: reg.procedures.get(ff.list_id, ff.procedure_id) for ff in filed}
    return drift(
        filed,
        lists_of,
        reg.procedures.vocabulary,
        procedures=procs,
        as_of=as_of,
        volume_ratio=volume_ratio,
        logs=logs,
    )


def open_changes(reg: Register, drifts: list[FlowDrift], on: dt.date) -> None:
    """Open the fresh application of every drifted flow past a band or the change ratio that has
    none open yet (sets `opened`); audited like every register write."""
    have = {ff.proceeding for ff in reg.filed_flows() if ff.has_fresh}
    for d in drifts:
        if not d.material or d.proceeding in have:
            continue
        why = [
            f"{s.kind} {s.threshold:,} crossed on {s.crossed_on}"
            for s in d.lines
            if s.status == "crossed" and s.kind != "filed"
        ]
        d.opened = reg.open_fresh(d.proceeding, on, [f"drift: {w}" for w in why])
        have.add(d.proceeding)


def as_json(d: FlowDrift) -> dict:
    """A flow's drift as plain JSON values (dates ISO)."""

    def val(v: object) -> object:
        return v.isoformat() if isinstance(v, dt.date) else v

    return {
        "proceeding": d.proceeding,
        "handler": d.handler,
        "flow": d.flow,
        "list_id": d.list_id,
        "filed_persons": d.filed_persons,
        "approved_persons": d.approved_persons,
        "count": d.count,
        "source": d.source,
        "material": d.material,
        "opened": d.opened,
        "lines": [{k: val(v) for k, v in s.__dict__.items()} for s in d.lines],
        "notes": d.notes,
    }
