"""The filing register: handlers, flows, decision snapshots, proceedings (applications, filings,
opinions, security assessments, standard-contract filings, post-export reports), export events,
incidents, deadlines and the audit trail, on SQLite or PostgreSQL.

Every public method is one transaction: it checks first and raises `InputError` (changing nothing)
on a bad date, an unknown filing or an impossible step; otherwise it writes the change, its audit
entries and the recomputed deadlines together. Transient conflicts between concurrent writers
(a busy SQLite file, two PostgreSQL writers taking the same key) are retried.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ftzlist.calendar import Counted, WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.filings import audit as _audit  # also registers the session hooks
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.bands import BandCrossing, band_crossings
from ftzlist.filings.changes import DEFAULT_VOLUME_RATIO, ChangeAssessment, assess_change
from ftzlist.filings.content import FiledContent
from ftzlist.filings.db import make_engine, upgrade
from ftzlist.filings.drift import FiledFlow
from ftzlist.filings.models import (
    Application,
    AuditEntry,
    Deadline,
    DecisionSnapshot,
    ExportEvent,
    FiledItem,
    Filing,
    Flow,
    Handler,
    Incident,
    Inconsistency,
    Opinion,
    Proceeding,
    StepRecord,
)
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.schema.lists import ListFile, Procedure

T = TypeVar("T")
LIVE = ("open", "active")
RETRIES = 8


@dataclass(frozen=True)
class DueRow:
    """One line of `ftzlist due`."""

    proceeding: str | None
    handler: str
    flow: str
    procedure: str
    kind: str
    title: str
    actor: str
    optional: bool
    opens_on: dt.date | None
    due_on: dt.date
    provisional: bool
    provisional_reason: str | None
    rule: str
    citation: str | None
    status: str  # overdue | expired | due_today | window_open | upcoming | lapsed (| met | met_late | closed)
    days_left: int
    owner: str | None = None  # who in the team looks after the proceeding
    uid: str = ""  # stable id of the deadline: the filing's key (or the incident) and the deadline's key


@dataclass(frozen=True)
class ExportResult:
    export_id: int
    proceeding: str | None
    inconsistencies: tuple[str, ...] = ()
    deadlines: tuple[DueRow, ...] = ()


@dataclass
class ProceedingView:
    key: str
    handler: str
    flow: str
    list_id: str
    procedure_id: str
    procedure_name: str
    model: str
    kind: str
    state: str
    opened_on: dt.date
    follows: str | None
    parent: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid_until_provisional: bool
    steps: list[tuple[str, dt.date, str | None, int | None]] = field(default_factory=list)
    applications: list[tuple[str, dt.date]] = field(default_factory=list)
    filings: list[dict[str, Any]] = field(default_factory=list)
    opinions: list[tuple[str, dt.date, str, str | None]] = field(default_factory=list)
    exports: list[tuple[int, dt.date, int | None, int | None]] = field(default_factory=list)
    deadlines: list[DueRow] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    inconsistencies: list[InconsistencyView] = field(default_factory=list)
    owner: str | None = None


@dataclass(frozen=True)
class InconsistencyView:
    """An export that differs from its filing (Fujian Art. 16), open until resolved."""

    id: int
    proceeding: str
    handler: str
    flow: str
    export_id: int
    exported_on: dt.date
    found_on: dt.date
    what: str


def _owner(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError("the owner must be a name of 1 to 200 characters")
    return name


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, StaleDataError):
        return True  # another writer changed the same proceeding first: re-read and re-check
    if isinstance(exc, IntegrityError):
        return True  # a race on a generated key; the retry re-checks and names any real duplicate
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in {"40001", "40P01"}


class Register:
    def __init__(
        self,
        engine: Engine,
        *,
        calendar: WorkingCalendar,
        procedures: ProcedureBook,
        actor: str,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        self.engine = engine
        self.calendar = calendar
        self.procedures = procedures
        self.actor = actor
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    @classmethod
    def open(
        cls,
        url: str,
        *,
        calendar: WorkingCalendar,
        procedures: ProcedureBook,
        actor: str,
        migrate: bool = True,
    ) -> Register:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine, calendar=calendar, procedures=procedures, actor=actor)

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _session(self, action: str) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            s.info.update(actor=self.actor, action=action, now=self.clock())
            with s.begin():
                _audit.lock_for_write(s)
                yield s

    def _write(self, action: str, fn: Callable[[Session], T]) -> T:
        for attempt in range(RETRIES):
            try:
                with self._session(action) as s:
                    return fn(s)
            except (OperationalError, IntegrityError, DBAPIError, StaleDataError) as exc:
                if attempt == RETRIES - 1 or not _retryable(exc):
                    raise
                time.sleep(0.02 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    def _read(self, fn: Callable[[Session], T]) -> T:
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            return fn(s)

    # -- lookups ------------------------------------------------------------------------------

    @staticmethod
    def _handler(s: Session, key: str) -> Handler:
        h = s.scalar(select(Handler).where(Handler.key == key))
        if h is None:
            raise InputError(f"unknown handler '{key}'")
        return h

    def _flow(self, s: Session, handler: str, flow: str) -> Flow:
        h = self._handler(s, handler)
        f = s.scalar(select(Flow).where(Flow.handler_id == h.id, Flow.key == flow))
        if f is None:
            raise InputError(f"handler '{handler}' has no flow '{flow}'")
        return f

    @staticmethod
    def _proceeding(s: Session, key: str) -> Proceeding:
        p = s.scalar(select(Proceeding).where(Proceeding.key == key))
        if p is None:
            known = s.scalars(select(Proceeding.key).order_by(Proceeding.id.desc()).limit(5)).all()
            raise InputError(
                f"unknown filing '{key}'", problems=[f"latest: {', '.join(known)}"] if known else None
            )
        return p

    def _procedure(self, p: Proceeding) -> Procedure:
        return self.procedures.get(p.list_id, p.procedure_id)

    # -- handlers, flows, decisions ---------------------------------------------------------------

    def add_handler(self, key: str, name: str, *, uscc: str | None = None, zone: str | None = None) -> None:
        def fn(s: Session) -> None:
            if s.scalar(select(Handler.id).where(Handler.key == key)) is not None:
                raise InputError(f"handler '{key}' already exists")
            s.add(Handler(key=key, name=name, uscc=uscc, zone=zone, created_at=self.clock()))

        self._write("add_handler", fn)

    def ensure_handler(self, key: str, name: str | None = None, **kw: Any) -> None:
        def fn(s: Session) -> None:
            if s.scalar(select(Handler.id).where(Handler.key == key)) is None:
                s.add(Handler(key=key, name=name or key, created_at=self.clock(), **kw))

        self._write("add_handler", fn)

    def add_flow(
        self,
        handler: str,
        key: str,
        *,
        scenario: str | None = None,
        purpose: str | None = None,
        recipient_name: str | None = None,
        recipient_country: str | None = None,
        declaration: dict[str, Any] | None = None,
        exist_ok: bool = False,
    ) -> None:
        def fn(s: Session) -> None:
            h = self._handler(s, handler)
            if s.scalar(select(Flow.id).where(Flow.handler_id == h.id, Flow.key == key)) is not None:
                if exist_ok:
                    return
                raise InputError(f"handler '{handler}' already has a flow '{key}'")
            s.add(
                Flow(
                    handler_id=h.id,
                    key=key,
                    scenario=scenario,
                    purpose=purpose,
                    recipient_name=recipient_name,
                    recipient_country=recipient_country,
                    declaration=declaration,
                    created_at=self.clock(),
                )
            )

        self._write("add_flow", fn)

    def snapshot_decision(
        self,
        handler: str,
        flow: str,
        *,
        as_of: dt.date,
        pathway: str,
        list_versions: dict[str, str],
        input_hash: str,
        engine_version: str,
        decision: dict[str, Any],
    ) -> int:
        """Keep a decision as given (append-only)."""

        def fn(s: Session) -> int:
            f = self._flow(s, handler, flow)
            snap = DecisionSnapshot(
                flow_id=f.id,
                taken_at=self.clock(),
                as_of=as_of,
                pathway=pathway,
                list_versions=list_versions,
                input_hash=input_hash,
                engine_version=engine_version,
                decision=decision,
            )
            s.add(snap)
            s.flush()
            return snap.id

        return self._write("snapshot_decision", fn)

    def snapshots(self, handler: str, flow: str) -> list[DecisionSnapshot]:
        """The decisions kept for a flow, oldest first."""

        def fn(s: Session) -> list[DecisionSnapshot]:
            f = self._flow(s, handler, flow)
            q = select(DecisionSnapshot).where(DecisionSnapshot.flow_id == f.id).order_by(DecisionSnapshot.id)
            return list(s.scalars(q))

        return self._read(fn)

    # -- proceedings ------------------------------------------------------------------------------

    def open_proceeding(
        self,
        handler: str,
        flow: str,
        procedure_id: str,
        on: dt.date,
        *,
        list_id: str | None = None,
        kind: str = "initial",
        parent: str | None = None,
        details: dict[str, Any] | None = None,
        owner: str | None = None,
    ) -> str:
        """Start a proceeding: the application (the procedure's first step) is recorded on `on`.
        `owner`: who in the team looks after it (shown by `due`, filtered by `due --owner`)."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> str:
            f = self._flow(s, handler, flow)
            entry = self.procedures.resolve(procedure_id, on, list_id)
            parent_row = self._proceeding(s, parent) if parent else None
            if parent_row is not None and on < parent_row.opened_on:
                raise InputError(f"{on} is before the proceeding it follows from ({parent_row.opened_on})")
            key = self._open(s, f, entry.list_id, entry.procedure, on, kind, None, parent_row, details)
            if owner is not None:
                self._proceeding(s, key).owner = _owner(owner)
            return key

        return self._write("open_proceeding", fn)

    def set_owner(self, key: str, owner: str | None) -> None:
        """Who in the team looks after a proceeding (None: nobody named). Audited."""

        def fn(s: Session) -> None:
            self._proceeding(s, key).owner = _owner(owner) if owner is not None else None

        self._write("set_owner", fn)

    def _open(
        self,
        s: Session,
        f: Flow,
        list_id: str,
        proc: Procedure,
        on: dt.date,
        kind: str,
        follows: Proceeding | None,
        parent: Proceeding | None,
        details: dict[str, Any] | None,
    ) -> str:
        n = (s.scalar(select(func.count(Proceeding.id))) or 0) + 1
        key = f"{proc.id.split('.')[0].upper()}-{on.year}-{n:04d}"
        p = Proceeding(
            key=key,
            flow_id=f.id,
            list_id=list_id,
            procedure_id=proc.id,
            model=proc.model,
            kind=kind,
            state="active" if proc.model == "post_export_report" else "open",
            opened_on=on,
            follows_id=follows.id if follows else None,
            parent_id=parent.id if parent else None,
            valid_until_provisional=False,
        )
        s.add(p)
        s.flush()
        s.add(Application(proceeding_id=p.id, kind=kind, submitted_on=on, details=details))
        for step_id in lc.opening_steps(proc):
            s.add(StepRecord(proceeding_id=p.id, step_id=step_id, occurred_on=on, note=f"{kind} application"))
        s.flush()
        self._sync(s, p)
        return key

    def record_step(
        self,
        key: str,
        step_id: str,
        on: dt.date,
        *,
        outcome: str | None = None,
        note: str | None = None,
        export_id: int | None = None,
    ) -> None:
        on = lc.as_date(on, "on")

        def fn(s: Session) -> None:
            p = self._proceeding(s, key)
            self._record(s, p, step_id, on, outcome=outcome, note=note, export_id=export_id)

        self._write("record_step", fn)

    def _record(
        self,
        s: Session,
        p: Proceeding,
        step_id: str,
        on: dt.date,
        *,
        outcome: str | None = None,
        note: str | None = None,
        export_id: int | None = None,
    ) -> None:
        proc = self._procedure(p)
        target = lc.step(proc, step_id)
        if p.state not in LIVE and not (p.state == "refused" and target is not None and target.optional):
            raise InputError(f"filing {p.key} is {p.state}: no further steps can be recorded")
        recorded, exports = self._recorded(s, p), self._exports(s, p)
        lc.check_step(proc, step_id, on, recorded, exports, export_id)
        if outcome is not None and outcome not in lc.OUTCOMES:
            raise InputError(
                f"unknown outcome '{outcome}'", problems=[f"one of: {', '.join(sorted(lc.OUTCOMES))}"]
            )
        s.add(
            StepRecord(
                proceeding_id=p.id,
                step_id=step_id,
                occurred_on=on,
                outcome=outcome,
                note=note,
                export_event_id=export_id,
            )
        )
        if proc.validity is not None and step_id == proc.validity.from_step:
            if outcome is None or outcome in lc.FAVOURABLE:
                self._start_validity(s, p, proc, on)
            else:
                p.state = "closed" if outcome == "not_applicable" else "refused"
        elif proc.model == "standard_contract_filing" and step_id == proc.steps[-1].id:
            p.state = "active"
        s.flush()
        self._sync(s, p)

    def _start_validity(self, s: Session, p: Proceeding, proc: Procedure, on: dt.date) -> None:
        assert proc.validity is not None
        base = on
        followed = s.get(Proceeding, p.follows_id) if p.follows_id else None
        if p.kind == "renewal" and proc.renewal and proc.renewal.extends_years and followed is not None:
            base = followed.valid_until_nominal or followed.valid_until or on
            end = self.calendar.add_period(base, years=proc.renewal.extends_years)
            p.valid_from = base + dt.timedelta(days=1)
        else:
            end = self.calendar.add_period(base, years=proc.validity.years)
            p.valid_from = on
        p.valid_until, p.valid_until_nominal, p.valid_until_provisional = (
            end.date,
            end.nominal,
            end.provisional,
        )
        p.state = "active"
        if followed is not None and followed.state in LIVE:
            followed.state = "renewed" if p.kind == "renewal" else "superseded"
            s.flush()
            self._sync(s, followed)

    def record_filing(
        self, key: str, on: dt.date, content: FiledContent, *, step_id: str | None = None
    ) -> None:
        """Keep what was filed (structured) and record the filing step."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> None:
            p = self._proceeding(s, key)
            proc = self._procedure(p)
            sid = step_id or self._find_step(proc, ("filing", "declaration", "report"))
            self._record(s, p, sid, on)
            self._store_filing(s, p, on, content, "filed")

        self._write("record_filing", fn)

    def _store_filing(
        self, s: Session, p: Proceeding, on: dt.date, content: FiledContent, basis: str
    ) -> None:
        n = (s.scalar(select(func.count(Filing.id)).where(Filing.proceeding_id == p.id)) or 0) + 1
        filing = Filing(
            proceeding_id=p.id,
            version=n,
            basis=basis,
            filed_on=on,
            scenario=content.scenario,
            recipient_name=content.recipient.name,
            recipient_country=content.recipient.country,
            persons=content.total_persons(),
            records=content.total_records(),
            list_subcategories=list(content.list_subcategories),
            content=content.model_dump(mode="json"),
        )
        s.add(filing)
        s.flush()
        for it in content.items:
            s.add(
                FiledItem(
                    filing_id=filing.id,
                    item=it.id,
                    category=it.category,
                    sensitive=it.sensitive,
                    persons=it.persons,
                    records=it.records,
                )
            )
        s.flush()

    @staticmethod
    def _find_step(proc: Procedure, words: tuple[str, ...]) -> str:
        for w in words:
            for st in proc.steps:
                if st.id == w or st.id.endswith(f"_{w}") or st.id.startswith(f"{w}_"):
                    return st.id
        raise InputError(f"procedure {proc.id}: name the step (steps: {', '.join(lc.recordable(proc))})")

    def record_opinion(
        self,
        key: str,
        on: dt.date,
        outcome: str,
        *,
        pathway: str | None = None,
        reference: str | None = None,
        note: str | None = None,
        step_id: str | None = None,
    ) -> None:
        """An authority's opinion or result; a favourable one starts the validity period."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> None:
            p = self._proceeding(s, key)
            proc = self._procedure(p)
            sid = step_id or (proc.validity.from_step if proc.validity else None)
            sid = sid or self._find_step(proc, ("opinion", "assessment", "result"))
            self._record(s, p, sid, on, outcome=outcome, note=note)
            s.add(
                Opinion(
                    proceeding_id=p.id,
                    step_id=sid,
                    issued_on=on,
                    outcome=outcome,
                    pathway=pathway,
                    reference=reference,
                    note=note,
                )
            )

        self._write("record_opinion", fn)

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
        """A data-export security incident: to be reported at once (Fujian Art. 15)."""
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
                    title=f"report security incident #{inc.id} at once (立即报告): {description}",
                    opens_on=None,
                    due_on=discovered_on,
                    provisional=False,
                    provisional_reason=None,
                    rule="immediately: the day it is discovered",
                    citation="Fujian FTZ negative-list measures Art. 15",
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

    # -- renewal and change -------------------------------------------------------------------------

    def renew(self, key: str, on: dt.date) -> str:
        """Apply for renewal (or extension) within the window before expiry: a new proceeding."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> str:
            p = self._proceeding(s, key)
            proc = self._procedure(p)
            if p.state != "active":
                raise InputError(f"filing {key} is {p.state}; only an active filing can be renewed")
            if s.scalar(
                select(Proceeding.id).where(Proceeding.follows_id == p.id, Proceeding.kind == "renewal")
            ):
                raise InputError(f"filing {key} already has a renewal application")
            lc.check_renewal(proc, self._valid_until(p), on, self.calendar)
            new = self._open(s, p.flow, p.list_id, proc, on, "renewal", p, None, {"renews": key})
            self._sync(s, p)
            return new

        return self._write("renew", fn)

    def change(
        self,
        key: str,
        on: dt.date,
        new: FiledContent,
        *,
        volume_ratio: float = DEFAULT_VOLUME_RATIO,
        apply: bool = True,
    ) -> tuple[ChangeAssessment, str | None]:
        """A new declaration of a filed flow: material -> a fresh application (new proceeding);
        otherwise a simplified change that keeps the validity and files the new content."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> tuple[ChangeAssessment, str | None]:
            p = self._proceeding(s, key)
            proc = self._procedure(p)
            filing = s.scalar(
                select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version.desc()).limit(1)
            )
            if filing is None:
                raise InputError(
                    f"filing {key} has no filed content to compare with (record the filing first)"
                )
            if p.state not in LIVE:
                raise InputError(f"filing {key} is {p.state}: a change needs a live filing")
            old = FiledContent.model_validate(filing.content)
            first = s.scalar(
                select(Filing)
                .where(Filing.proceeding_id == p.id, Filing.basis == "filed")
                .order_by(Filing.version.desc())
                .limit(1)
            )
            approved = FiledContent.model_validate(first.content) if first is not None else old
            crossings, notes = self._bands(p, on, (approved, old), new)
            try:
                result = assess_change(
                    old,
                    new,
                    proc,
                    volume_ratio=volume_ratio,
                    approved=approved,
                    crossings=crossings,
                    notes=notes,
                )
            except ValueError as exc:
                raise InputError(str(exc)) from None
            if not apply or not result.reasons:
                return result, None
            if result.material:
                fresh = self._open(
                    s,
                    p.flow,
                    p.list_id,
                    proc,
                    on,
                    "fresh",
                    p,
                    None,
                    {"material_change": [r.trigger for r in result.reasons if r.material]},
                )
                return result, fresh
            if on < p.opened_on:
                raise InputError(f"change on {on} is before the filing opened ({p.opened_on})")
            s.add(
                Application(
                    proceeding_id=p.id,
                    kind="simplified_change",
                    submitted_on=on,
                    details={"changes": [r.why for r in result.reasons]},
                )
            )
            self._store_filing(s, p, on, new, "simplified_change")
            return result, p.key

        return self._write("change", fn)

    def _bands(
        self, p: Proceeding, on: dt.date, filed: tuple[FiledContent, ...], new: FiledContent
    ) -> tuple[list[BandCrossing], list[str]]:
        """Band lines of the proceeding's list, and of the edition in force on `on` if another,
        crossed between each filed version given and `new`."""
        voc = self.procedures.vocabulary
        lfs = self.band_lists(p.list_id, p.procedure_id, on)
        if voc is None or not lfs:
            return [], [f"the bands of {p.list_id} were not read (list not loaded): crossings not checked"]
        found: dict[tuple, BandCrossing] = {}
        for lf in lfs:
            for old in reversed(filed):  # the latest version first: its figure is shown
                for c in band_crossings(lf, voc, old, new):
                    found.setdefault((c.list_id, c.item, c.line), c)
        notes = [
            f"bands read from {', '.join(lf.id for lf in lfs)}, against the approved filing and the "
            "latest version; persons are the filing's figures for this flow (the list counts the "
            "handler's persons over all its flows in the year: `ftzlist filings drift` watches those)"
        ]
        return sorted(found.values(), key=lambda c: (c.line, c.item)), notes

    # -- drift ----------------------------------------------------------------------------------

    def filed_flows(self, handler: str | None = None) -> list[FiledFlow]:
        """Every live proceeding with a filing (what `filings drift` watches): its approved and
        latest filed content and the flow's recorded exports."""

        def fn(s: Session) -> list[FiledFlow]:
            q = (
                select(Proceeding)
                .where(Proceeding.state.in_(LIVE))
                .options(selectinload(Proceeding.flow).selectinload(Flow.handler))
                .order_by(Proceeding.id)
            )
            if handler is not None:
                q = q.join(Flow).where(Flow.handler_id == self._handler(s, handler).id)
            out = []
            for p in s.scalars(q):
                versions = list(
                    s.scalars(select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version))
                )
                if not versions:
                    continue
                approved = next((f for f in reversed(versions) if f.basis == "filed"), versions[0])
                exports = s.execute(
                    select(ExportEvent.exported_on, ExportEvent.persons).where(
                        ExportEvent.flow_id == p.flow_id
                    )
                ).all()
                fresh = s.scalar(
                    select(Proceeding.id).where(
                        Proceeding.follows_id == p.id, Proceeding.kind == "fresh", Proceeding.state.in_(LIVE)
                    )
                )
                out.append(
                    FiledFlow(
                        proceeding=p.key,
                        handler=p.flow.handler.key,
                        flow=p.flow.key,
                        list_id=p.list_id,
                        procedure_id=p.procedure_id,
                        approved=FiledContent.model_validate(approved.content),
                        latest=FiledContent.model_validate(versions[-1].content),
                        exports=tuple((e[0], e[1]) for e in exports),
                        has_fresh=fresh is not None,
                    )
                )
            return out

        return self._read(fn)

    def band_lists(self, list_id: str, procedure_id: str, on: dt.date) -> list[ListFile]:
        """The list a proceeding was opened under and, if another, the edition of its procedure in
        force on `on`: the lists whose bands bear on its flow."""
        ids = [list_id]
        try:
            current = self.procedures.resolve(procedure_id, on).list_id
        except InputError:
            current = list_id
        if current not in ids:
            ids.append(current)
        return [self.procedures.lists[i] for i in ids if i in self.procedures.lists]

    def open_fresh(self, key: str, on: dt.date, reasons: list[str]) -> str:
        """Open the fresh application a material change needs (e.g. drift past a band or the
        change ratio); refused when one is already open. Audited like every write."""
        on = lc.as_date(on, "on")

        def fn(s: Session) -> str:
            p = self._proceeding(s, key)
            if p.state not in LIVE:
                raise InputError(f"filing {key} is {p.state}: a fresh application follows a live filing")
            if on < p.opened_on:
                raise InputError(f"{on} is before the filing opened ({p.opened_on})")
            open_fresh = s.scalar(
                select(Proceeding.key).where(
                    Proceeding.follows_id == p.id, Proceeding.kind == "fresh", Proceeding.state.in_(LIVE)
                )
            )
            if open_fresh:
                raise InputError(f"filing {key} already has a fresh application: {open_fresh}")
            return self._open(
                s, p.flow, p.list_id, self._procedure(p), on, "fresh", p, None, {"material_change": reasons}
            )

        return self._write("open_fresh", fn)

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

    # -- deadlines ------------------------------------------------------------------------------

    @staticmethod
    def _recorded(s: Session, p: Proceeding) -> dict[lc.StepKey, dt.date]:
        rows = s.execute(
            select(StepRecord.step_id, StepRecord.export_event_id, StepRecord.occurred_on).where(
                StepRecord.proceeding_id == p.id
            )
        ).all()
        return {(r[0], r[1]): r[2] for r in rows}

    @staticmethod
    def _exports(s: Session, p: Proceeding) -> dict[int, dt.date]:
        rows = s.execute(
            select(ExportEvent.id, ExportEvent.exported_on).where(
                ExportEvent.flow_id == p.flow_id, ExportEvent.exported_on >= p.opened_on
            )
        ).all()
        return {r[0]: r[1] for r in rows}

    def _valid_until(self, p: Proceeding) -> Counted | None:
        if p.valid_until is None:
            return None
        return Counted(p.valid_until, "validity", p.valid_until_provisional, nominal=p.valid_until_nominal)

    def _sync(self, s: Session, p: Proceeding) -> None:
        """Recompute the proceeding's deadlines and write only what changed (audited)."""
        proc = self._procedure(p)
        if p.valid_from is not None and proc.validity is not None:
            self._refresh_validity(s, p, proc)
        renewal = s.scalar(
            select(Proceeding.opened_on).where(Proceeding.follows_id == p.id, Proceeding.kind == "renewal")
        )
        planned = lc.plan(
            proc,
            self._recorded(s, p),
            self._exports(s, p),
            self.calendar,
            valid_until=self._valid_until(p),
            renewal_applied_on=renewal,
        )
        owner = f"proceeding:{p.id}"
        existing = {d.key: d for d in s.scalars(select(Deadline).where(Deadline.owner == owner))}
        closed = p.state not in LIVE
        for item in planned:
            # a refused proceeding owes nothing, but keeps its optional windows (a re-evaluation request)
            item_closed = closed and not (p.state == "refused" and item.optional)
            values = dict(
                proceeding_id=p.id,
                kind=item.kind,
                step_id=item.step_id,
                actor=item.actor,
                optional=item.optional,
                title=item.title,
                opens_on=item.opens_on,
                due_on=item.due.date,
                provisional=item.due.provisional,
                provisional_reason="; ".join(item.due.reasons) or None,
                rule=item.due.rule,
                citation=item.citation,
                met_on=item.met_on,
                closed=item_closed,
            )
            row = existing.pop(item.key, None)
            if row is None:
                s.add(Deadline(owner=owner, key=item.key, **values))
            else:
                for k, v in values.items():
                    if getattr(row, k) != v:
                        setattr(row, k, v)
        for row in existing.values():
            if not row.closed:
                row.closed = True
        s.flush()

    def _refresh_validity(self, s: Session, p: Proceeding, proc: Procedure) -> None:
        """Recompute a provisional expiry with the calendar now loaded."""
        if not p.valid_until_provisional:
            return
        followed = s.get(Proceeding, p.follows_id) if p.follows_id else None
        if p.kind == "renewal" and proc.renewal and proc.renewal.extends_years and followed is not None:
            end = self.calendar.add_period(
                followed.valid_until_nominal or followed.valid_until, years=proc.renewal.extends_years
            )
        else:
            end = self.calendar.add_period(p.valid_from, years=proc.validity.years)  # type: ignore[union-attr]
        if (end.date, end.provisional) != (p.valid_until, p.valid_until_provisional):
            p.valid_until, p.valid_until_nominal, p.valid_until_provisional = (
                end.date,
                end.nominal,
                end.provisional,
            )

    def refresh_deadlines(self) -> int:
        """Recompute every live proceeding (after a calendar file is added); returns how many."""

        def fn(s: Session) -> int:
            procs = s.scalars(select(Proceeding).where(Proceeding.state.in_(LIVE))).all()
            for p in procs:
                self._sync(s, p)
            return len(procs)

        return self._write("refresh_deadlines", fn)

    def due(
        self, today: dt.date, *, within_days: int | None = None, include_optional: bool = True
    ) -> list[DueRow]:
        """Everything owed and not done: overdue first, then by date. `within_days` limits the
        horizon (overdue items always show)."""
        today = lc.as_date(today, "today")

        def fn(s: Session) -> list[DueRow]:
            q = select(Deadline).where(Deadline.met_on.is_(None), Deadline.closed.is_(False))
            # load the proceedings, flows and handlers the rows name in three queries, not three per row
            owners = select(Deadline.proceeding_id).where(
                Deadline.met_on.is_(None), Deadline.closed.is_(False)
            )
            s.scalars(
                select(Proceeding)
                .where(Proceeding.id.in_(owners))
                .options(selectinload(Proceeding.flow).selectinload(Flow.handler))
            ).all()
            rows = [self._row(s, d, today) for d in s.scalars(q)]
            if within_days is not None:
                horizon = today + dt.timedelta(days=within_days)
                rows = [r for r in rows if r.due_on <= horizon or (r.opens_on and r.opens_on <= horizon)]
            if not include_optional:
                rows = [r for r in rows if not r.optional]
            order = {"overdue": 0, "expired": 0, "due_today": 1, "window_open": 2, "upcoming": 3, "lapsed": 4}
            return sorted(rows, key=lambda r: (order[r.status], r.due_on, r.proceeding or ""))

        return self._read(fn)

    def pending(self) -> list[tuple[str, str, str]]:
        """Next steps that are yours but carry no statutory date (e.g. filing after the area's
        notice, or taking on-list data to the national tier): (filing, handler/flow, what)."""

        def fn(s: Session) -> list[tuple[str, str, str]]:
            out = []
            procs = s.scalars(
                select(Proceeding)
                .where(Proceeding.state.in_(LIVE))
                .options(selectinload(Proceeding.flow).selectinload(Flow.handler))
                .order_by(Proceeding.id)
            )
            for p in procs:
                proc, recorded = self._procedure(p), self._recorded(s, p)
                who = f"{p.flow.handler.key} / {p.flow.key}"
                for st in proc.steps:
                    ready = st.after is None or (st.after, None) in recorded
                    if (st.id, None) in recorded or not ready or st.id == lc.EXPORT or st.after == lc.EXPORT:
                        continue
                    if st.actor == "handler" and st.working_days is None and not st.optional:
                        out.append((p.key, who, f"{st.id}: {st.name.en}"))
                for o in s.scalars(
                    select(Opinion).where(Opinion.proceeding_id == p.id, Opinion.outcome == "on_list")
                ):
                    if o.pathway and not s.scalar(select(Proceeding.id).where(Proceeding.parent_id == p.id)):
                        out.append(
                            (p.key, who, f"on-list data: open the national-tier proceeding ({o.pathway})")
                        )
            return out

        return self._read(fn)

    def _due_rows(self, s: Session, p: Proceeding, today: dt.date, *, include_met: bool) -> list[DueRow]:
        q = select(Deadline).where(Deadline.proceeding_id == p.id).order_by(Deadline.due_on)
        return [self._row(s, d, today) for d in s.scalars(q) if include_met or d.met_on is None]

    def _row(self, s: Session, d: Deadline, today: dt.date) -> DueRow:
        p = s.get(Proceeding, d.proceeding_id) if d.proceeding_id else None
        if p is not None:
            flow = p.flow
        else:
            inc = s.get(Incident, d.incident_id)
            flow = s.get(Flow, inc.flow_id)  # type: ignore[union-attr]
        if d.met_on is not None:
            status = "met" if d.met_on <= d.due_on else "met_late"
        elif d.closed:
            status = "closed"
        elif d.due_on < today and d.kind == "expiry":
            status = "expired"
        elif d.due_on < today and not d.optional:
            status = "overdue"
        elif d.due_on < today:
            status = "lapsed"
        elif d.due_on == today:
            status = "due_today"
        elif d.opens_on is not None and d.opens_on <= today:
            status = "window_open"
        else:
            status = "upcoming"
        return DueRow(
            proceeding=p.key if p else None,
            handler=flow.handler.key,
            flow=flow.key,
            procedure=p.procedure_id if p else "incident",
            kind=d.kind,
            title=d.title,
            actor=d.actor,
            optional=d.optional,
            opens_on=d.opens_on,
            due_on=d.due_on,
            provisional=d.provisional,
            provisional_reason=d.provisional_reason,
            rule=d.rule,
            citation=d.citation,
            status=status,
            days_left=(d.due_on - today).days,
            owner=p.owner if p is not None else None,
            uid=f"{p.key if p is not None else f'incident-{d.incident_id}'}/{d.key}",
        )

    # -- views ----------------------------------------------------------------------------------

    def list_proceedings(self, handler: str | None = None) -> list[ProceedingView]:
        def fn(s: Session) -> list[ProceedingView]:
            q = select(Proceeding).order_by(Proceeding.id)
            if handler is not None:
                h = self._handler(s, handler)
                q = q.join(Flow).where(Flow.handler_id == h.id)
            return [self._view(s, p, None, brief=True) for p in s.scalars(q)]

        return self._read(fn)

    def show(self, key: str, today: dt.date | None = None) -> ProceedingView:
        return self._read(lambda s: self._view(s, self._proceeding(s, key), today))

    def _view(
        self, s: Session, p: Proceeding, today: dt.date | None, *, brief: bool = False
    ) -> ProceedingView:
        proc = self._procedure(p)
        key_of = lambda pid: s.get(Proceeding, pid).key if pid else None  # noqa: E731
        v = ProceedingView(
            key=p.key,
            handler=p.flow.handler.key,
            flow=p.flow.key,
            list_id=p.list_id,
            procedure_id=p.procedure_id,
            procedure_name=f"{proc.name.en} ({proc.name.zh})",
            model=p.model,
            kind=p.kind,
            state=p.state,
            opened_on=p.opened_on,
            follows=key_of(p.follows_id),
            parent=key_of(p.parent_id),
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            valid_until_provisional=p.valid_until_provisional,
            owner=p.owner,
        )
        if brief:
            return v
        v.steps = [
            (r.step_id, r.occurred_on, r.outcome, r.export_event_id)
            for r in s.scalars(
                select(StepRecord)
                .where(StepRecord.proceeding_id == p.id)
                .order_by(StepRecord.occurred_on, StepRecord.id)
            )
        ]
        v.applications = [
            (a.kind, a.submitted_on)
            for a in s.scalars(
                select(Application).where(Application.proceeding_id == p.id).order_by(Application.id)
            )
        ]
        v.filings = [
            f.content | {"version": f.version, "filed_on": f.filed_on.isoformat()}
            for f in s.scalars(select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version))
        ]
        v.opinions = [
            (o.step_id, o.issued_on, o.outcome, o.pathway)
            for o in s.scalars(select(Opinion).where(Opinion.proceeding_id == p.id).order_by(Opinion.id))
        ]
        v.exports = [
            (e.id, e.exported_on, e.persons, e.records)
            for e in s.scalars(
                select(ExportEvent).where(ExportEvent.proceeding_id == p.id).order_by(ExportEvent.exported_on)
            )
        ]
        v.deadlines = self._due_rows(s, p, today or self.clock().date(), include_met=True)
        v.inconsistencies = self._inconsistencies(s, proceeding_id=p.id)
        recorded = self._recorded(s, p)
        if p.state in LIVE:
            for st in proc.steps:
                if (
                    (st.id, None) not in recorded
                    and lc.EXPORT not in (st.id, st.after)
                    and (st.after is None or (st.after, None) in recorded)
                ):
                    v.next_steps.append(f"{st.id}: {st.name.en} ({st.actor})")
            for o in s.scalars(
                select(Opinion).where(Opinion.proceeding_id == p.id, Opinion.outcome == "on_list")
            ):
                if o.pathway and not s.scalar(select(Proceeding.id).where(Proceeding.parent_id == p.id)):
                    v.next_steps.append(
                        f"national tier: open a proceeding for pathway {o.pathway} (on-list data)"
                    )
        return v

    def audit(self, *, table: str | None = None, row_id: int | None = None) -> list[AuditEntry]:
        def fn(s: Session) -> list[AuditEntry]:
            q = select(AuditEntry).order_by(AuditEntry.id)
            if table:
                q = q.where(AuditEntry.table_name == table)
            if row_id is not None:
                q = q.where(AuditEntry.row_id == row_id)
            return list(s.scalars(q))

        return self._read(fn)
