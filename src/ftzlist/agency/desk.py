"""The agency's desk over the register: which proceedings are addressed to a desk, its queue with
the clocks the list's procedure sets, opinions of the kinds the list names, the record of filing
them upward, incidents, spot-checks and orders.

Nothing here names a zone, an area or a period: a desk is `zone/area` or `zone` as the list's
`procedures[].agency.addressed_to` says, the clocks are the register's deadlines (computed from the
procedure's steps on the PRC working-day calendar), opinion kinds come from the step's `outcomes`,
orders from `agency.orders`. Every write goes through the register or a session its audit hooks
attribute to the acting user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftzlist.agency import checks
from ftzlist.agency.models import Address, Order, SpotCheck, UpwardReport
from ftzlist.errors import InputError
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.audit import lock_for_write
from ftzlist.filings.models import Deadline, ExportEvent, Filing, Flow, Handler, Incident, Opinion, Proceeding
from ftzlist.filings.register import DueRow, ProceedingView, Register
from ftzlist.law.lists import Law
from ftzlist.schema.lists import AgencyDesk, Procedure, Step, StepOutcome

OUTCOMES = ("consistent", "inconsistent", "serious")
"""How a spot-check ends (Fujian Art. 16: consistent; inconsistent, with orders; serious cases)."""


@dataclass(frozen=True)
class DeskScope:
    """A desk: a zone (a zone-wide service centre) or one area of a zone."""

    zone: str
    area: str | None = None

    def __str__(self) -> str:
        return f"{self.zone}/{self.area}" if self.area else self.zone

    def covers(self, other: DeskScope) -> bool:
        """True when a proceeding addressed to `other` is this desk's."""
        return self.zone == other.zone and (self.area is None or self.area == other.area)


def parse_scope(text: str, law: Law) -> DeskScope:
    """`zone/area` or `zone`, checked against the vocabulary's zones and their areas.

    Raises InputError naming what was expected."""
    zone, _, area = text.strip().partition("/")
    zones = law.vocabulary.zones
    if zone not in zones:
        raise InputError(
            f"area '{text}': unknown zone '{zone}'", problems=[f"zones: {', '.join(sorted(zones))}"]
        )
    if area:
        known = [a.id for a in zones[zone].areas]
        if area not in known:
            raise InputError(
                f"area '{text}': {zone} has no area '{area}'",
                problems=[f"areas of {zone}: {', '.join(known) or 'none (use the zone alone)'}"],
            )
    return DeskScope(zone, area or None)


@dataclass(frozen=True)
class QueueRow:
    """One clock in a desk's queue: the register's deadline, with whose move it is."""

    due: DueRow
    scope: str
    side: str  # agency | handler


@dataclass(frozen=True)
class IncidentView:
    id: int
    handler: str
    flow: str
    proceeding: str | None
    scope: str
    discovered_on: dt.date
    description: str
    handler_reported_on: dt.date | None
    reported_up_on: dt.date | None


@dataclass(frozen=True)
class OrderView:
    id: int
    spot_check_id: int
    proceeding: str
    handler: str
    order: str
    name: str
    issued_on: dt.date
    due_on: dt.date | None
    complied_on: dt.date | None
    status: str  # open | overdue | complied | complied_late


class Desk:
    """The agency side of the register, for one desk (`scope`) or, for an admin, every desk
    (`scope=None`). `register` carries the acting user (audit) and the calendar."""

    def __init__(self, register: Register, law: Law, scope: DeskScope | None):
        self.register = register
        self.law = law
        self.scope = scope

    # -- plumbing ---------------------------------------------------------------------------------

    @contextmanager
    def _session(self, action: str) -> Iterator[Session]:
        with Session(self.register.engine, expire_on_commit=False) as s:
            s.info.update(actor=self.register.actor, action=action, now=self.register.clock())
            with s.begin():
                lock_for_write(s)
                yield s

    def reading(self) -> Session:
        """A read-only session on the register's database."""
        return Session(self.register.engine, expire_on_commit=False)

    def procedure(self, p: Proceeding) -> Procedure:
        return self.register.procedures.get(p.list_id, p.procedure_id)

    def step_actor(self, key: str, step_id: str) -> str | None:
        """Who takes step `step_id` of proceeding `key` (handler | authority), None if no such step."""
        with self.reading() as s:
            st = lc.step(self.procedure(self._proceeding(s, key)), step_id)
        return st.actor if st else None

    def agency_of(self, p: Proceeding) -> AgencyDesk:
        desk = self.procedure(p).agency
        if desk is None:
            raise InputError(f"{p.key}: procedure {p.procedure_id} names no receiving agency in its list")
        return desk

    @staticmethod
    def _proceeding(s: Session, key: str) -> Proceeding:
        p = s.scalar(select(Proceeding).where(Proceeding.key == key))
        if p is None:
            raise InputError(f"unknown filing '{key}'")
        return p

    @staticmethod
    def addressed(s: Session, p: Proceeding) -> str | None:
        """The desk a proceeding is addressed to: its own address, else that of the proceeding it
        follows (a renewal or fresh application goes to the same desk), else its parent's."""
        seen: set[int] = set()
        cur: Proceeding | None = p
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            a = s.scalar(select(Address.scope).where(Address.proceeding_id == cur.id))
            if a is not None:
                return a
            nxt = cur.follows_id or cur.parent_id
            cur = s.get(Proceeding, nxt) if nxt else None
        return None

    def _mine(self, s: Session, p: Proceeding) -> str:
        """The proceeding's desk, refusing one outside this desk (as 'unknown', so a desk learns
        nothing of another's proceedings)."""
        scope = self.addressed(s, p)
        if scope is None or (self.scope is not None and not self.scope.covers(parse_scope(scope, self.law))):
            raise InputError(f"unknown filing '{p.key}'")
        return scope

    def visible(self, s: Session) -> dict[int, str]:
        """Proceeding id -> desk, for every proceeding this desk may see."""
        out = {}
        for p in s.scalars(select(Proceeding).order_by(Proceeding.id)):
            scope = self.addressed(s, p)
            if scope is not None and (self.scope is None or self.scope.covers(parse_scope(scope, self.law))):
                out[p.id] = scope
        return out

    # -- addressing (handler side) ------------------------------------------------------------------

    def address(self, key: str, scope_text: str, on: dt.date) -> str:
        """Address an application to a desk (the handler's act, Fujian Art. 11(1)): the zone must be
        the list's, and the area one of the list's areas when the procedure's agency is per area."""
        on = lc.as_date(on, "on")
        scope = parse_scope(scope_text, self.law)
        with self._session("agency_address") as s:
            p = self._proceeding(s, key)
            desk = self.agency_of(p)
            lf = self.law.lists.by_id[p.list_id]
            if lf.scope is None or scope.zone != lf.scope.zone:
                raise InputError(
                    f"area '{scope}': {p.list_id} binds {lf.scope.zone if lf.scope else 'no zone'}, "
                    f"so its applications go to that zone's {desk.name.en}"
                )
            if desk.addressed_to == "area":
                areas = lf.scope.areas or []
                if scope.area is None or scope.area not in areas:
                    raise InputError(
                        f"area '{scope}': {p.procedure_id} is addressed to one area of {scope.zone}",
                        problems=[f"areas: {', '.join(f'{scope.zone}/{a}' for a in areas)}"],
                    )
            elif scope.area is not None:
                raise InputError(
                    f"area '{scope}': {p.procedure_id} goes to the zone's desk: give '{scope.zone}'"
                )
            if s.scalar(select(Address.id).where(Address.proceeding_id == p.id)):
                raise InputError(f"{key} is already addressed to a desk")
            if on < p.opened_on:
                raise InputError(f"address on {on} is before the application ({p.opened_on})")
            s.add(Address(proceeding_id=p.id, scope=str(scope), addressed_on=on))
        return str(scope)

    # -- queue -----------------------------------------------------------------------------------

    def proceedings(self) -> list[ProceedingView]:
        """Every proceeding addressed to this desk (brief views)."""
        with self.reading() as s:
            keys = {s.get(Proceeding, pid).key for pid in self.visible(s)}  # type: ignore[union-attr]
        return [v for v in self.register.list_proceedings() if v.key in keys]

    def show(self, key: str, today: dt.date) -> ProceedingView:
        with self.reading() as s:
            self._mine(s, self._proceeding(s, key))
        return self.register.show(key, today)

    def queue(self, today: dt.date) -> list[QueueRow]:
        """Every open clock of this desk's proceedings: overdue first, then by date (the register's
        order); the agency's own steps (actor `authority`) marked `agency`, the handler's `handler`.
        Provisional dates (a calendar year not yet published) keep their flag and reason."""
        today = lc.as_date(today, "today")
        with self.reading() as s:
            scopes = {s.get(Proceeding, pid).key: sc for pid, sc in self.visible(s).items()}  # type: ignore[union-attr]
        rows = []
        for r in self.register.due(today):
            if r.proceeding in scopes:
                side = "agency" if r.actor == "authority" else "handler"
                rows.append(QueueRow(r, scopes[r.proceeding], side))
        return rows

    # -- the agency's steps --------------------------------------------------------------------------

    def _step(self, p: Proceeding, step_id: str) -> Step:
        st = lc.step(self.procedure(p), step_id)
        if st is None or st.actor != "authority":
            mine = [x.id for x in self.procedure(p).steps if x.actor == "authority"]
            raise InputError(
                f"{p.key}: '{step_id}' is not a step of the agency",
                problems=[f"agency steps: {', '.join(mine)}"],
            )
        return st

    def record_step(self, key: str, step_id: str, on: dt.date, *, note: str | None = None) -> None:
        """Record an agency step that carries no opinion (e.g. the written notice, Fujian Art. 12(1))."""
        with self.reading() as s:
            p = self._proceeding(s, key)
            self._mine(s, p)
            st = self._step(p, step_id)
        if st.outcomes:
            raise InputError(f"{key}: '{step_id}' gives an opinion: record it as an opinion")
        self.register.record_step(key, step_id, on, note=note)

    def opinion_step(self, p: Proceeding) -> Step:
        """The procedure's `opinion` step (its role in the list), whose answers the list names."""
        st = self.procedure(p).step_for("opinion")
        if st is None or st.actor != "authority" or not st.outcomes:
            raise InputError(f"{p.key}: the list names no opinion kinds for {p.procedure_id}")
        return st

    def opinion_kinds(self, key: str) -> list[StepOutcome]:
        with self.reading() as s:
            p = self._proceeding(s, key)
            self._mine(s, p)
            return list(self.opinion_step(p).outcomes)

    def record_opinion(
        self,
        key: str,
        on: dt.date,
        kind: str,
        *,
        pathway: str | None = None,
        reference: str | None = None,
        note: str | None = None,
    ) -> None:
        """Issue an opinion of a kind the list names. A kind that guides the handler to pathways
        must name which one (Fujian Art. 12(2): a security assessment, a standard contract or
        certification); a kind that guides nowhere takes no pathway."""
        with self.reading() as s:
            p = self._proceeding(s, key)
            self._mine(s, p)
            st = self.opinion_step(p)
        kinds = {o.id: o for o in st.outcomes}
        if kind not in kinds:
            raise InputError(f"opinion kind '{kind}'", problems=[f"the list names: {', '.join(kinds)}"])
        o = kinds[kind]
        if kind not in lc.OUTCOMES:
            raise InputError(f"opinion kind '{kind}' is not an outcome the register knows")
        if o.guides_to:
            if pathway not in {str(g) for g in o.guides_to}:
                raise InputError(
                    f"opinion '{kind}' must name the pathway the handler is guided to",
                    problems=[f"one of: {', '.join(str(g) for g in o.guides_to)}"],
                )
        elif pathway is not None:
            raise InputError(f"opinion '{kind}' guides to no pathway; pathway '{pathway}' is not part of it")
        self.register.record_opinion(
            key, on, kind, pathway=pathway, reference=reference, note=note, step_id=st.id
        )

    def report_opinion_up(self, key: str, on: dt.date, *, reference: str | None = None) -> int:
        """Record that the opinion was filed with the authority above (Fujian Art. 12(2))."""
        on = lc.as_date(on, "on")
        with self._session("agency_report_opinion") as s:
            p = self._proceeding(s, key)
            scope = self._mine(s, p)
            desk = self.agency_of(p)
            if desk.opinion_filed_with is None:
                raise InputError(f"{key}: the list gives {desk.name.en} no duty to file opinions upward")
            op = s.scalar(select(Opinion).where(Opinion.proceeding_id == p.id).order_by(Opinion.id.desc()))
            if op is None:
                raise InputError(f"{key}: no opinion has been issued yet")
            if on < op.issued_on:
                raise InputError(f"filing upward on {on} is before the opinion ({op.issued_on})")
            return self._report(s, scope, "opinion", op.id, on, reference)

    def record_periodic(
        self,
        period_from: dt.date,
        period_to: dt.date,
        on: dt.date,
        *,
        sha256: str,
        reference: str | None = None,
    ) -> int:
        """Record that the periodic report (Fujian Art. 17) for the period was sent up, with the
        SHA-256 of the file sent."""
        on = lc.as_date(on, "on")
        if self.scope is None:
            raise InputError("a periodic report is one desk's: name the desk (--area)")
        if on < period_to:
            raise InputError(f"the report for a period ending {period_to} cannot be sent on {on}")
        with self._session("agency_report_periodic") as s:
            r = UpwardReport(
                scope=str(self.scope),
                kind="periodic",
                reported_on=on,
                period_from=period_from,
                period_to=period_to,
                reference=reference,
                sha256=sha256,
            )
            s.add(r)
            s.flush()
            return r.id

    def _report(
        self, s: Session, scope: str, kind: str, subject: int | None, on: dt.date, reference: str | None
    ) -> int:
        if s.scalar(
            select(UpwardReport.id).where(UpwardReport.kind == kind, UpwardReport.subject_id == subject)
        ):
            raise InputError(f"this {kind.replace('_', '-')} has already been reported upward")
        r = UpwardReport(scope=scope, kind=kind, subject_id=subject, reported_on=on, reference=reference)
        s.add(r)
        s.flush()
        return r.id

    # -- incidents --------------------------------------------------------------------------------------

    def incidents(self) -> list[IncidentView]:
        """Incidents on flows whose proceedings are this desk's, as soon as the handler records them."""
        with self.reading() as s:
            keys = self.visible(s)
            by_flow: dict[int, tuple[str, str]] = {}
            for pid, scope in keys.items():
                p = s.get(Proceeding, pid)
                by_flow.setdefault(p.flow_id, (p.key, scope))  # type: ignore[union-attr]
            out = []
            for inc in s.scalars(
                select(Incident).order_by(Incident.discovered_on.desc(), Incident.id.desc())
            ):
                own = s.get(Proceeding, inc.proceeding_id) if inc.proceeding_id else None
                hit = (
                    (own.key, keys[own.id])
                    if own is not None and own.id in keys
                    else by_flow.get(inc.flow_id)
                )
                if hit is None:
                    continue
                f = s.get(Flow, inc.flow_id)
                up = s.scalar(
                    select(UpwardReport.reported_on).where(
                        UpwardReport.kind == "incident", UpwardReport.subject_id == inc.id
                    )
                )
                out.append(
                    IncidentView(
                        inc.id,
                        f.handler.key,  # type: ignore[union-attr]
                        f.key,  # type: ignore[union-attr]
                        hit[0],
                        hit[1],
                        inc.discovered_on,
                        inc.description,
                        inc.reported_on,
                        up,
                    )
                )
            return out

    def report_incident_up(self, incident_id: int, on: dt.date, *, reference: str | None = None) -> int:
        """Record the agency's report of an incident to the authority above (Fujian Art. 15)."""
        on = lc.as_date(on, "on")
        seen = {i.id: i for i in self.incidents()}
        if incident_id not in seen:
            raise InputError(f"unknown incident #{incident_id}")
        inc = seen[incident_id]
        with self._session("agency_report_incident") as s:
            p = self._proceeding(s, inc.proceeding)  # type: ignore[arg-type]
            desk = self.agency_of(p)
            if desk.incident_report is None:
                raise InputError(f"the list gives {desk.name.en} no duty to report incidents upward")
            if on < inc.discovered_on:
                raise InputError(
                    f"report on {on} is before the incident was discovered ({inc.discovered_on})"
                )
            return self._report(s, inc.scope, "incident", incident_id, on, reference)

    # -- spot-checks (Fujian Art. 16) -------------------------------------------------------------------

    def spot_check(
        self,
        key: str,
        on: dt.date,
        period_from: dt.date,
        period_to: dt.date,
        *,
        count_result: dict | None = None,
        count_ref: str | None = None,
    ) -> int:
        """Compare the actual exports of a filed flow in [period_from, period_to] with its latest
        filing: a count run's result when given (exact persons), else the recorded exports. Every
        discrepancy is kept with both figures; the outcome is recorded by `conclude`."""
        on, period_from, period_to = (
            lc.as_date(d, n) for d, n in ((on, "on"), (period_from, "from"), (period_to, "to"))
        )
        if period_to < period_from:
            raise InputError(f"period: {period_from} to {period_to} ends before it starts")
        if on < period_to:
            raise InputError(
                f"spot-check on {on}: the period checked ends on {period_to}; exports after the check "
                "are unknown, so the period cannot be checked before it ends"
            )
        with self._session("agency_spot_check") as s:
            p = self._proceeding(s, key)
            scope = self._mine(s, p)
            if self.agency_of(p).spot_checks is None:
                raise InputError(f"{key}: the list gives no consistency spot-checks for {p.procedure_id}")
            filing = s.scalar(
                select(Filing).where(Filing.proceeding_id == p.id).order_by(Filing.version.desc()).limit(1)
            )
            if filing is None:
                raise InputError(f"{key}: nothing has been filed yet, so there is nothing to check against")
            flow = s.get(Flow, p.flow_id)
            if count_result is not None:
                obs = checks.from_count(count_result, flow.key, flow.scenario)  # type: ignore[union-attr]
            else:
                rows = s.scalars(
                    select(ExportEvent).where(
                        ExportEvent.flow_id == p.flow_id,
                        ExportEvent.exported_on >= period_from,
                        ExportEvent.exported_on <= period_to,
                    )
                ).all()
                obs = checks.from_exports(list(rows), flow.scenario)  # type: ignore[union-attr]
            filed = dict(filing.content, persons=filing.persons, records=filing.records)
            found = checks.compare(filed, obs)
            sc = SpotCheck(
                proceeding_id=p.id,
                scope=scope,
                checked_on=on,
                period_from=period_from,
                period_to=period_to,
                basis=obs.basis,
                basis_ref=count_ref,
                filing_version=filing.version,
                discrepancies=found,
                note=f"{obs.exports} recorded export(s) compared" if obs.basis == "exports" else None,
            )
            s.add(sc)
            s.flush()
            return sc.id

    def spot_checks(self) -> list[SpotCheck]:
        with self.reading() as s:
            keys = self.visible(s)
            return [c for c in s.scalars(select(SpotCheck).order_by(SpotCheck.id)) if c.proceeding_id in keys]

    def conclude(
        self,
        check_id: int,
        on: dt.date,
        outcome: str,
        *,
        orders: list[tuple[str, dt.date | None]] = (),  # type: ignore[assignment]
        note: str | None = None,
    ) -> list[int]:
        """Record a spot-check's outcome (`consistent`, `inconsistent`, `serious`) and the orders
        that follow, each an id of the list's `agency.orders` with its date where the order needs one.
        Each dated order becomes a deadline on the handler's side as well (the register's `due`).
        A check that found any discrepancy, certain or possible, cannot be concluded `consistent`
        (a possible one is settled by a check on a count run, never by calling it consistent)."""
        on = lc.as_date(on, "on")
        if outcome not in OUTCOMES:
            raise InputError(f"outcome '{outcome}'", problems=[f"one of: {', '.join(OUTCOMES)}"])
        with self._session("agency_spot_check_outcome") as s:
            sc = s.get(SpotCheck, check_id)
            if sc is None:
                raise InputError(f"unknown spot-check #{check_id}")
            p = s.get(Proceeding, sc.proceeding_id)
            self._mine(s, p)  # type: ignore[arg-type]
            desk = self.agency_of(p)  # type: ignore[arg-type]
            if sc.outcome is not None:
                raise InputError(f"spot-check #{check_id} was concluded on {sc.concluded_on}: {sc.outcome}")
            if on < sc.checked_on:
                raise InputError(f"outcome on {on} is before the check ({sc.checked_on})")
            if outcome == "consistent" and sc.discrepancies:
                possible = sum(not d["certain"] for d in sc.discrepancies)
                raise InputError(
                    f"spot-check #{check_id} found {len(sc.discrepancies)} discrepancy(ies)"
                    + (f", {possible} of them possible (not yet settled)" if possible else "")
                    + ": it cannot be concluded consistent",
                    problems=[
                        "a possible discrepancy is settled by a new spot-check on a count run over the "
                        "handler's logs (count_run_id), not by calling it consistent"
                    ]
                    if possible
                    else [],
                )
            known = {o.id: o for o in desk.orders}
            ids = []
            for order_id, due in orders:
                if order_id not in known:
                    raise InputError(
                        f"order '{order_id}'", problems=[f"the list names: {', '.join(known) or 'none'}"]
                    )
                o = known[order_id]
                if o.serious and outcome != "serious":
                    raise InputError(f"order '{order_id}' is for serious cases: conclude the check 'serious'")
                if o.needs_deadline and due is None:
                    raise InputError(f"order '{order_id}' ({o.name.en}) needs the date by which to comply")
                if due is not None and due < on:
                    raise InputError(f"order '{order_id}': date {due} is before the order ({on})")
                row = Order(
                    spot_check_id=sc.id,
                    proceeding_id=sc.proceeding_id,
                    order=order_id,
                    issued_on=on,
                    due_on=due,
                )
                s.add(row)
                s.flush()
                ids.append(row.id)
                if due is not None:
                    s.add(
                        Deadline(
                            owner=f"order:{row.id}",
                            key="comply",
                            proceeding_id=sc.proceeding_id,
                            kind="order",
                            step_id=None,
                            actor="handler",
                            optional=False,
                            title=f"comply with order #{row.id} ({o.name.en} / {o.name.zh}) after spot-check #{sc.id}",
                            opens_on=on,
                            due_on=due,
                            provisional=False,
                            provisional_reason=None,
                            rule=f"the date set in order #{row.id}",
                            citation=o.citation.label.en if o.citation.label else o.citation.ref,
                            met_on=None,
                            closed=False,
                        )
                    )
            sc.outcome, sc.concluded_on = outcome, on
            if note:
                sc.note = ((sc.note or "") + "\n" + note).strip()
            return ids

    def report_spot_check_up(self, check_id: int, on: dt.date, *, reference: str | None = None) -> int:
        """Record the report of a serious case to the authority above (Fujian Art. 16)."""
        on = lc.as_date(on, "on")
        with self._session("agency_report_spot_check") as s:
            sc = s.get(SpotCheck, check_id)
            if sc is None:
                raise InputError(f"unknown spot-check #{check_id}")
            scope = self._mine(s, s.get(Proceeding, sc.proceeding_id))  # type: ignore[arg-type]
            if sc.concluded_on is None or on < sc.concluded_on:
                raise InputError(f"spot-check #{check_id}: conclude it before reporting it upward")
            return self._report(s, scope, "spot_check", sc.id, on, reference)

    # -- orders ----------------------------------------------------------------------------------------

    def orders(self, today: dt.date, *, handler: str | None = None) -> list[OrderView]:
        """Orders on this desk's proceedings (or, with `handler`, that handler's: its side)."""
        with self.reading() as s:
            keys = self.visible(s) if handler is None else None
            out = []
            for o in s.scalars(select(Order).order_by(Order.id)):
                p = s.get(Proceeding, o.proceeding_id)
                h = s.get(Handler, p.flow.handler_id).key  # type: ignore[union-attr]
                if (keys is not None and o.proceeding_id not in keys) or (
                    handler is not None and h != handler
                ):
                    continue
                desk = self.agency_of(p)  # type: ignore[arg-type]
                name = next((x.name.en for x in desk.orders if x.id == o.order), o.order)
                if o.complied_on is not None:
                    status = "complied" if o.due_on is None or o.complied_on <= o.due_on else "complied_late"
                else:
                    status = "overdue" if o.due_on is not None and o.due_on < today else "open"
                out.append(
                    OrderView(
                        o.id,
                        o.spot_check_id,
                        p.key,
                        h,
                        o.order,
                        name,
                        o.issued_on,
                        o.due_on,
                        o.complied_on,
                        status,  # type: ignore[union-attr]
                    )
                )
            return out

    def comply(self, order_id: int, on: dt.date, *, note: str | None = None) -> None:
        """Record that the handler complied with an order (the agency confirms it)."""
        on = lc.as_date(on, "on")
        with self._session("agency_order_complied") as s:
            o = s.get(Order, order_id)
            if o is None:
                raise InputError(f"unknown order #{order_id}")
            self._mine(s, s.get(Proceeding, o.proceeding_id))  # type: ignore[arg-type]
            if o.complied_on is not None:
                raise InputError(f"order #{order_id} was already complied with on {o.complied_on}")
            if on < o.issued_on:
                raise InputError(f"compliance on {on} is before the order ({o.issued_on})")
            o.complied_on = on
            if note:
                o.note = ((o.note or "") + "\n" + note).strip()
            d = s.scalar(select(Deadline).where(Deadline.owner == f"order:{o.id}"))
            if d is not None:
                d.met_on = on
