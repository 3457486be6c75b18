"""Handlers, flows, decision snapshots and proceedings: opening a proceeding, recording its steps,
what was filed and the authority's opinions (the procedures come from the list files)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftzlist.errors import InputError
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.content import FiledContent
from ftzlist.filings.deadlines import Deadlines
from ftzlist.filings.models import (
    Application,
    DecisionSnapshot,
    FiledItem,
    Filing,
    Flow,
    Handler,
    Opinion,
    Proceeding,
    StepRecord,
)
from ftzlist.filings.store import LIVE
from ftzlist.schema.lists import Procedure, StepRole


def _owner(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError("the owner must be a name of 1 to 200 characters")
    return name


class Proceedings(Deadlines):
    """Handlers, flows, decisions, proceedings and their steps."""

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
        elif proc.model == "standard_contract_filing" and target is not None and target.role == "filing":
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
            sid = step_id or self._step_for(proc, "filing")
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
    def _step_for(proc: Procedure, role: StepRole) -> str:
        """The id of the step playing `role` in `proc` (its list says so); asks for the step when none does."""
        st = proc.step_for(role)
        if st is None:
            raise InputError(
                f"procedure {proc.id} has no '{role}' step: name the step (steps: {', '.join(lc.recordable(proc))})"
            )
        return st.id

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
            sid = sid or self._step_for(proc, "opinion")
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
