"""Renewal, material change (a fresh application or a simplified change, `ftzlist.filings.changes`)
and what drift against the filings reads from the register (`ftzlist.filings.drift`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ftzlist.errors import InputError
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.bands import BandCrossing, band_crossings
from ftzlist.filings.changes import DEFAULT_VOLUME_RATIO, ChangeAssessment, assess_change
from ftzlist.filings.content import FiledContent
from ftzlist.filings.drift import FiledFlow
from ftzlist.filings.exports import Exports
from ftzlist.filings.models import (
    Application,
    ExportEvent,
    Filing,
    Flow,
    Proceeding,
)
from ftzlist.filings.store import LIVE
from ftzlist.schema.lists import ListFile


class Renewals(Exports):
    """Renewals, changes and the filed flows drift watches."""

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
