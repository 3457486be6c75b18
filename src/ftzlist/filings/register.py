"""The filing register: handlers, flows, decision snapshots, proceedings (applications, filings,
opinions, security assessments, standard-contract filings, post-export reports), export events,
incidents, deadlines and the audit trail, on SQLite or PostgreSQL.

Every public method is one transaction: it checks first and raises `InputError` (changing nothing)
on a bad date, an unknown filing or an impossible step; otherwise it writes the change, its audit
entries and the recomputed deadlines together. Transient conflicts between concurrent writers
(a busy SQLite file, two PostgreSQL writers taking the same key) are retried.

The class is assembled from one module per job, each building on the one before:
`store` (engine, transactions, lookups) -> `deadlines` -> `proceedings` (handlers, flows,
decisions, steps, filings, opinions) -> `exports` (exports, inconsistencies, incidents) ->
`renewals` (renewal, change, drift) -> `Register` here (the views: list, show, audit). What it
answers with is in `views`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftzlist.filings import lifecycle as lc
from ftzlist.filings.models import (
    Application,
    AuditEntry,
    ExportEvent,
    Filing,
    Flow,
    Opinion,
    Proceeding,
    StepRecord,
)
from ftzlist.filings.renewals import Renewals
from ftzlist.filings.store import LIVE
from ftzlist.filings.views import DueRow, ExportResult, InconsistencyView, ProceedingView

__all__ = ["DueRow", "ExportResult", "InconsistencyView", "ProceedingView", "Register"]


class Register(Renewals):
    """The filing register (see the module doc)."""

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
