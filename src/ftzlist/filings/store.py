"""The register's storage: the engine, one transaction per public method (checks first, then the
change, its audit entries and the recomputed deadlines together; transient conflicts between
concurrent writers retried), and the lookups every part of the register shares."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Self, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ftzlist.calendar import Counted, WorkingCalendar
from ftzlist.errors import InputError
from ftzlist.filings import audit as _audit  # also registers the session hooks
from ftzlist.filings import lifecycle as lc
from ftzlist.filings.db import make_engine, upgrade
from ftzlist.filings.models import (
    ExportEvent,
    Flow,
    Handler,
    Proceeding,
    StepRecord,
)
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.schema.lists import Procedure

T = TypeVar("T")
LIVE = ("open", "active")
"""Proceeding states of a filing in use."""
RETRIES = 8


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, StaleDataError):
        return True  # another writer changed the same proceeding first: re-read and re-check
    if isinstance(exc, IntegrityError):
        return True  # a race on a generated key; the retry re-checks and names any real duplicate
    if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
        return True
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return isinstance(exc, DBAPIError) and code in {"40001", "40P01"}


class Store:
    """The register's engine, transactions and lookups (`ftzlist.filings.register.Register`)."""

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
    ) -> Self:
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
