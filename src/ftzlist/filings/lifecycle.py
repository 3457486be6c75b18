"""A procedure's life, as a pure function of the list file, the steps recorded and the calendar:
which steps may be recorded next, and what falls due when.

Nothing here is written in code about a zone: the steps, their order (`after`), their working-day
periods, validity and renewal all come from the list file's `Procedure`. Conventions:

- A step may be recorded once its `after` step has been recorded, on or after that step's date.
- `after: export` counts from each export of the flow (post-export reporting): one deadline per export.
- An `after` naming neither a step nor `export` is an outside event (e.g. a contract taking effect)
  recorded like a step.
- Validity runs from the day of `validity.from_step` for `years` (Civil Code Arts. 201-203); the
  renewal window is the `renewal.working_days_before_expiry` working days before the corresponding
  day (the nominal expiry, not the day Art. 203 may move it to: the earlier, safer reading).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ftzlist.calendar import Counted, WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.schema.lists import Procedure, Step

EXPORT = "export"
FAVOURABLE = {"approved", "on_list", "off_list", "passed", "filed"}
"""Opinion outcomes that start a validity period (an unfavourable one does not)."""
OUTCOMES = FAVOURABLE | {"rejected", "not_applicable"}

StepKey = tuple[str, int | None]
"""(step id, export event id or None)."""


@dataclass(frozen=True)
class Planned:
    """Something that falls due in a proceeding."""

    key: str
    kind: str  # step | renewal | expiry
    step_id: str | None
    title: str
    actor: str
    optional: bool
    opens_on: dt.date | None
    due: Counted
    met_on: dt.date | None
    citation: str


def as_date(value: object, name: str = "date") -> dt.date:
    """A calendar date from a date or an ISO string; anything else is a clear error."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(f"bad {name} {value!r}: expected a date YYYY-MM-DD ({exc})") from None
    raise InputError(f"bad {name} {value!r}: expected a date YYYY-MM-DD")


def outside_events(procedure: Procedure) -> list[str]:
    ids = {s.id for s in procedure.steps}
    return sorted({s.after for s in procedure.steps if s.after and s.after not in ids and s.after != EXPORT})


def recordable(procedure: Procedure) -> list[str]:
    return [s.id for s in procedure.steps] + outside_events(procedure)


def step(procedure: Procedure, step_id: str) -> Step | None:
    return next((s for s in procedure.steps if s.id == step_id), None)


def roots(procedure: Procedure) -> list[Step]:
    """Steps nothing precedes (an `export` step is never one: exports are recorded as exports)."""
    return [s for s in procedure.steps if s.after is None and s.id != EXPORT]


def opening_steps(procedure: Procedure) -> list[str]:
    """Steps recorded when a proceeding is opened: its roots (e.g. a self-assessment) and the
    application or declaration that follows them, if the procedure has one."""
    out = [s.id for s in roots(procedure)]
    for s in procedure.steps:
        if s.role == "application" and s.id not in out and (s.after is None or s.after in out):
            out.append(s.id)
            break
    return out


def check_step(
    procedure: Procedure,
    step_id: str,
    on: dt.date,
    recorded: Mapping[StepKey, dt.date],
    exports: Mapping[int, dt.date],
    export_event_id: int | None = None,
) -> None:
    """Raise `InputError` if recording `step_id` on `on` is impossible; change nothing."""
    valid = recordable(procedure)
    if step_id not in valid:
        raise InputError(
            f"procedure {procedure.id} has no step '{step_id}'", problems=[f"steps: {', '.join(valid)}"]
        )
    if step_id == EXPORT:
        raise InputError("an export is recorded with `ftzlist filings record-export`, not as a step")
    if (step_id, export_event_id) in recorded:
        raise InputError(
            f"step '{step_id}' is already recorded on {recorded[(step_id, export_event_id)]}"
            + (f" for export #{export_event_id}" if export_event_id else "")
        )
    s = step(procedure, step_id)
    after = s.after if s else None
    if after == EXPORT:
        if export_event_id is None or export_event_id not in exports:
            raise InputError(
                f"step '{step_id}' counts from an export: name the export it reports (--export ID)"
            )
        if on < exports[export_event_id]:
            raise InputError(
                f"'{step_id}' on {on} is before the export it reports ({exports[export_event_id]})"
            )
        return
    if after is not None:
        if (after, None) not in recorded:
            raise InputError(
                f"cannot record '{step_id}' before '{after}': '{after}' has not been recorded "
                f"(procedure {procedure.id}: {step_id} comes after {after})"
            )
        if on < recorded[(after, None)]:
            raise InputError(
                f"'{step_id}' on {on} is before '{after}' on {recorded[(after, None)]}: impossible order"
            )


def missing_before_export(
    procedure: Procedure, recorded: Mapping[StepKey, dt.date], on: dt.date
) -> list[str]:
    """Steps that must be done before an export on `on` and are not (or happened later): those
    marked `before_export`, the step a list's `export` step comes after, and the step validity runs from."""
    out = []
    export_step = step(procedure, EXPORT)
    must = {s.id for s in procedure.steps if s.before_export and not s.optional}
    if export_step is not None and export_step.after:  # `export` after `opinion`: the opinion comes first
        must.add(export_step.after)
    if procedure.validity is not None:  # nothing is exported under an approval not yet given
        must.add(procedure.validity.from_step)
    for s in procedure.steps:
        if s.id not in must:
            continue
        when = recorded.get((s.id, None))
        if when is None:
            out.append(f"{s.id} (not recorded)")
        elif when > on:
            out.append(f"{s.id} (recorded for {when}, after the export)")
    return out


def validity_end(procedure: Procedure, start: dt.date, cal: WorkingCalendar) -> Counted | None:
    if procedure.validity is None:
        return None
    return cal.add_period(start, years=procedure.validity.years)


def plan(
    procedure: Procedure,
    recorded: Mapping[StepKey, dt.date],
    exports: Mapping[int, dt.date],
    cal: WorkingCalendar,
    *,
    valid_until: Counted | None = None,
    renewal_applied_on: dt.date | None = None,
) -> list[Planned]:
    """Every deadline of a proceeding given what has been recorded."""
    out: list[Planned] = []
    for s in procedure.steps:
        if s.working_days is None or s.after is None:
            continue
        starts: list[tuple[int | None, dt.date, str]] = []
        if s.after == EXPORT:
            starts = [(eid, d, f"export #{eid} on {d}") for eid, d in sorted(exports.items())]
        elif (s.after, None) in recorded:
            starts = [(None, recorded[(s.after, None)], f"{s.after} on {recorded[(s.after, None)]}")]
        for eid, start, label in starts:
            due = cal.add_working_days(start, s.working_days)
            suffix = f"#export={eid}" if eid is not None else ""
            out.append(
                Planned(
                    key=f"step:{s.id}{suffix}",
                    kind="step",
                    step_id=s.id,
                    title=f"{s.name.en} ({s.name.zh}) within {s.working_days} working days after {label}",
                    actor=s.actor,
                    optional=s.optional,
                    opens_on=None,
                    due=due,
                    met_on=recorded.get((s.id, eid)),
                    citation=str(s.citation),
                )
            )
    if valid_until is not None and procedure.validity is not None:
        out.append(
            Planned(
                key="expiry",
                kind="expiry",
                step_id=None,
                title=f"validity ends ({procedure.validity.years} years from {procedure.validity.from_step})",
                actor="handler",
                optional=False,
                opens_on=None,
                due=valid_until,
                met_on=renewal_applied_on,
                citation=str(procedure.validity.citation),
            )
        )
        if procedure.renewal is not None:
            nominal = valid_until.nominal or valid_until.date
            n = procedure.renewal.working_days_before_expiry
            opens, closes = cal.window_before(nominal, n)
            out.append(
                Planned(
                    key="renewal",
                    kind="renewal",
                    step_id=None,
                    title=f"apply for renewal within the {n} working days before expiry ({nominal})",
                    actor="handler",
                    optional=False,
                    opens_on=opens.date,
                    due=_merge(closes, opens),
                    met_on=renewal_applied_on,
                    citation=str(procedure.renewal.citation),
                )
            )
    return out


def _merge(main: Counted, other: Counted) -> Counted:
    """`main`, provisional if either is (a window is only as final as both of its ends)."""
    if not other.provisional or main.provisional:
        return main
    return Counted(main.date, main.rule, True, other.reasons, main.sources, main.nominal)


def check_renewal(
    procedure: Procedure, valid_until: Counted | None, on: dt.date, cal: WorkingCalendar
) -> None:
    if procedure.renewal is None or procedure.validity is None:
        raise InputError(f"procedure {procedure.id} has no renewal")
    if valid_until is None:
        raise InputError("nothing to renew: no validity has started (record the opinion first)")
    nominal = valid_until.nominal or valid_until.date
    opens, _ = cal.window_before(nominal, procedure.renewal.working_days_before_expiry)
    if on < opens.date:
        raise InputError(
            f"renewal applied on {on} is before its window opens on {opens.date} "
            f"({procedure.renewal.working_days_before_expiry} working days before expiry {nominal}; "
            f"{procedure.renewal.citation})"
        )
    if on > valid_until.date:
        raise InputError(
            f"renewal applied on {on} is after expiry ({valid_until.date}): make a fresh application"
        )
