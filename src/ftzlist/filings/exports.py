"""Actual exports checked against what was filed (Fujian Art. 16 consistency), their
inconsistencies until resolved, and security incidents with their duty to report at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftzlist.calendar import WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.models import (
    Deadline,
    ExportEvent,
    Filing,
    Incident,
    Inconsistency,
    Proceeding,
)
from ftzlist.filings.proceedings import Proceedings
from ftzlist.filings.store import LIVE
from ftzlist.filings.views import ExportResult, InconsistencyView
from ftzlist.schema.lists import IncidentDuty


def incident_due(
    calendar: WorkingCalendar, discovered_on: dt.date, duties: list[IncidentDuty]
) -> tuple[dt.date, str]:
    """(due day, rule text) of an incident report under `duties`: the earliest day any of them
    gives; a duty with no `working_days` ("at once", 立即) is due the day of discovery. With no duty
    stated the stricter reading is taken and said: due at once."""
    if not duties:
        return (
            discovered_on,
            "immediately: the day it is discovered (no list states the duty; stricter reading)",
        )
    days = [
        discovered_on
        if d.working_days is None
        else calendar.add_working_days(discovered_on, d.working_days).date
        for d in duties
    ]
    due = min(days)
    if due == discovered_on:
        return due, "immediately: the day it is discovered"
    return due, f"within {min(d.working_days or 0 for d in duties)} working days of discovery"


class Exports(Proceedings):
    """Exports, inconsistencies and incidents."""

    # -- exports, incidents -----------------------------------------------------------------------

    def record_export(
        self,
        handler: str,
        flow: str,
        on: dt.date,
        *,
        persons: int | None = None,
        records: int | None = None,
        data_items: list[str] | None = None,
        recipient_name: str | None = None,
        recipient_country: str | None = None,
        note: str | None = None,
    ) -> ExportResult:
        """An actual export. Refused while a pre-export step of a live proceeding is missing; checked
        against the latest filing (Fujian Art. 16 consistency) and, under a post-export model,
        given its report deadline."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> ExportResult:
            f = self._flow(s, handler, flow)
            procs = s.scalars(
                select(Proceeding)
                .where(Proceeding.flow_id == f.id, Proceeding.state.in_(LIVE))
                .order_by(Proceeding.id)
            ).all()
            problems = []
            for p in procs:
                missing = lc.missing_before_export(self._procedure(p), self._recorded(s, p), on)
                if missing and p.opened_on <= on:
                    problems.append(f"{p.key} ({p.procedure_id}): {', '.join(missing)}")
            if problems:
                raise InputError(
                    f"export on {on} comes before steps its filings require before export", problems=problems
                )
            checked = next((p for p in reversed(procs) if p.model != "post_export_report"), None)
            post = next((p for p in reversed(procs) if p.model == "post_export_report"), None)
            attach = post or checked
            ev = ExportEvent(
                flow_id=f.id,
                proceeding_id=attach.id if attach else None,
                exported_on=on,
                persons=persons,
                records=records,
                data_items=list(data_items or []),
                recipient_name=recipient_name,
                recipient_country=recipient_country,
                note=note,
            )
            s.add(ev)
            s.flush()
            found: list[tuple[Proceeding, str]] = []
            for p in procs:
                if p.valid_until is not None and on > p.valid_until:
                    found.append((p, f"export after validity ended on {p.valid_until}"))
                if p.valid_from is not None and on < p.valid_from:
                    found.append((p, f"export before validity starts on {p.valid_from}"))
                found.extend((p, what) for what in self._consistency(s, p, ev))
            for p, what in found:
                s.add(Inconsistency(export_event_id=ev.id, proceeding_id=p.id, found_on=on, what=what))
            issues = [f"{p.key}: {what}" for p, what in found]
            for p in procs:
                self._sync(s, p)
            mine = s.scalars(select(Deadline).where(Deadline.key.like(f"%#export={ev.id}")))
            rows = tuple(self._row(s, d, on) for d in mine)
            return ExportResult(ev.id, attach.key if attach else None, tuple(issues), rows)

        return self._write("record_export", fn)

    def _consistency(self, s: Session, p: Proceeding, ev: ExportEvent) -> list[str]:
        """How an export differs from the latest filing of `p` (Fujian Art. 16)."""
        filing = s.scalar(
            select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version.desc()).limit(1)
        )
        if filing is None:
            return []
        out = []
        filed_items = {i.item for i in filing.items} | {i.category for i in filing.items}
        extra = [d for d in ev.data_items if d not in filed_items]
        if extra:
            out.append(f"data items not in the filed catalogue: {', '.join(extra)}")
        if ev.persons is not None and filing.persons is not None and ev.persons > filing.persons:
            out.append(f"{ev.persons:,} persons exported, {filing.persons:,} filed")
        if ev.records is not None and filing.records is not None and ev.records > filing.records:
            out.append(f"{ev.records:,} records exported, {filing.records:,} filed")
        if ev.recipient_name and ev.recipient_name != filing.recipient_name:
            out.append(f"recipient {ev.recipient_name}, filed {filing.recipient_name}")
        if ev.recipient_country and ev.recipient_country != filing.recipient_country:
            out.append(f"recipient country {ev.recipient_country}, filed {filing.recipient_country}")
        return out

    def resolve_inconsistency(self, inconsistency_id: int, on: dt.date, resolution: str) -> None:
        """Close an export's inconsistency with its filing (e.g. a change filed, the export stopped)."""
        on = lc.as_date(on, "on")
        if not resolution.strip():
            raise InputError("say how the inconsistency was resolved (the resolution text is empty)")

        def fn(s: Session) -> None:
            inc = s.get(Inconsistency, inconsistency_id)
            if inc is None:
                raise InputError(f"unknown inconsistency #{inconsistency_id}")
            if inc.resolved_on is not None:
                raise InputError(
                    f"inconsistency #{inconsistency_id} was already resolved on {inc.resolved_on}"
                )
            if on < inc.found_on:
                raise InputError(f"resolution on {on} is before the inconsistency was found ({inc.found_on})")
            inc.resolved_on, inc.resolution = on, resolution

        self._write("resolve_inconsistency", fn)

    def record_incident(self, handler: str, flow: str, discovered_on: dt.date, description: str) -> int:
        """A data-export security incident, with its duty to report. The duty is the list's: the
        live proceeding's procedure `incident` (e.g. Fujian measures Art. 15, to the area agency)
        and the national list's in force (PIPL Art. 57, DSL Art. 29), all shown on one deadline,
        due on the earliest day any of them gives ("at once" = the day it is discovered). When the
        lists state none the report is still taken as due at once, and the deadline says so."""
        discovered_on = lc.as_date(discovered_on, "discovered_on")

        def fn(s: Session) -> int:
            f = self._flow(s, handler, flow)
            live = s.scalars(
                select(Proceeding).where(Proceeding.flow_id == f.id, Proceeding.state.in_(LIVE))
            ).first()
            inc = Incident(
                flow_id=f.id,
                proceeding_id=live.id if live else None,
                discovered_on=discovered_on,
                description=description,
            )
            s.add(inc)
            s.flush()
            duties = self.procedures.incident_duties(
                discovered_on, self._procedure(live) if live is not None else None
            )
            due, rule = incident_due(self.calendar, discovered_on, duties)
            at_once = " at once (立即报告)" if due == discovered_on else ""
            to = "; ".join(f"{d.report_to.zh} / {d.report_to.en}" for d in duties)
            s.add(
                Deadline(
                    owner=f"incident:{inc.id}",
                    key="report",
                    proceeding_id=inc.proceeding_id,
                    incident_id=inc.id,
                    kind="incident",
                    step_id=None,
                    actor="handler",
                    optional=False,
                    title=f"report security incident #{inc.id}{at_once}{f' to {to}' if to else ''}: {description}",
                    opens_on=None,
                    due_on=due,
                    provisional=False,
                    provisional_reason=None,
                    rule=rule,
                    citation="; ".join(str(d.citation) for d in duties) or None,
                    met_on=None,
                    closed=False,
                )
            )
            return inc.id

        return self._write("record_incident", fn)

    def report_incident(self, incident_id: int, on: dt.date) -> None:
        on = lc.as_date(on, "on")

        def fn(s: Session) -> None:
            inc = s.get(Incident, incident_id)
            if inc is None:
                raise InputError(f"unknown incident #{incident_id}")
            if inc.reported_on is not None:
                raise InputError(f"incident #{incident_id} was already reported on {inc.reported_on}")
            if on < inc.discovered_on:
                raise InputError(
                    f"report on {on} is before the incident was discovered ({inc.discovered_on})"
                )
            inc.reported_on = on
            d = s.scalar(select(Deadline).where(Deadline.incident_id == incident_id))
            if d is not None:
                d.met_on = on

        self._write("report_incident", fn)

    def open_inconsistencies(self, handler: str | None = None) -> list[InconsistencyView]:
        """Exports inconsistent with their filing, not yet resolved (shown by `due` and `filings show`)."""
        return self._read(lambda s: self._inconsistencies(s, handler=handler))

    @staticmethod
    def _inconsistencies(
        s: Session, *, handler: str | None = None, proceeding_id: int | None = None
    ) -> list[InconsistencyView]:
        q = (
            select(Inconsistency, Proceeding, ExportEvent)
            .join(Proceeding, Inconsistency.proceeding_id == Proceeding.id)
            .join(ExportEvent, Inconsistency.export_event_id == ExportEvent.id)
            .where(Inconsistency.resolved_on.is_(None))
            .order_by(Inconsistency.found_on, Inconsistency.id)
        )
        if proceeding_id is not None:
            q = q.where(Proceeding.id == proceeding_id)
        out = []
        for inc, p, ev in s.execute(q).all():
            if handler is not None and p.flow.handler.key != handler:
                continue
            out.append(
                InconsistencyView(
                    inc.id,
                    p.key,
                    p.flow.handler.key,
                    p.flow.key,
                    ev.id,
                    ev.exported_on,
                    inc.found_on,
                    inc.what,
                )
            )
        return out
