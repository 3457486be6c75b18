"""What falls due when: each proceeding's deadlines recomputed from its recorded steps, exports and
validity on the PRC working-day calendar (`ftzlist.filings.lifecycle`), written only where they
changed (audited), and read back as the lines of `ftzlist due`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ftzlist.filings import lifecycle as lc
from ftzlist.filings.models import (
    Deadline,
    Flow,
    Incident,
    Opinion,
    Proceeding,
)
from ftzlist.filings.store import LIVE, Store
from ftzlist.filings.views import DueRow
from ftzlist.schema.lists import Procedure


class Deadlines(Store):
    """Deadlines of the register (recomputed after every change)."""

    # -- deadlines ------------------------------------------------------------------------------

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
