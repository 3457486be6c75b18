"""The workspace behind the pages and the API: the law, the register, declarations and
assessments, on one database. HTTP-free, so the pages, the API and the tests share one behaviour.

Every write goes through the register's public API (or, for the workspace's own tables, a session
that the register's audit hooks attribute to the signed-in user), so the audit trail names who
made each change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftzlist.calendar import WorkingCalendar
from ftzlist.errors import InputError, Problem
from ftzlist.filings.audit import lock_for_write
from ftzlist.filings.db import make_engine, upgrade
from ftzlist.filings.models import DecisionSnapshot, Flow, Handler
from ftzlist.filings.procedures import ProcedureBook
from ftzlist.filings.register import Register
from ftzlist.loader import Law, check_declaration, load_declaration, load_law
from ftzlist.schema.decision import DecisionSet
from ftzlist.schema.declaration import Declaration
from ftzlist.web.accounts import Accounts, Principal
from ftzlist.web.models import StoredDeclaration
from ftzlist.web.settings import WebSettings

DECLARATION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
ID_MAX = 2**31 - 1
"""Largest record id the workspace looks up (a 32-bit INTEGER column on PostgreSQL); a larger
number in a URL is an unknown record, not a database error."""


class NotFound(InputError):
    """A page or record that does not exist (HTTP 404)."""


class Conflict(InputError):
    """The declaration changed after the form or page was opened (HTTP 409 on pages, 412 with the
    API's If-Match): nothing was saved or signed off, so no one silently overwrites or signs a
    revision they have not seen."""

    def __init__(self, decl_id: int, expected: int, row) -> None:
        super().__init__(
            f"declaration #{decl_id} changed since you opened it: you opened revision {expected}, "
            f"revision {row.revision} was saved by {row.updated_by} at "
            f"{row.updated_at:%Y-%m-%d %H:%M} UTC. Nothing was saved or signed off: reload, "
            "check the current revision and make your change again"
        )
        self.current = row.revision


def known_id(record: str, number: int) -> int:
    """`number` if it can be a record id; else NotFound (so no database is asked for it)."""
    if not 1 <= number <= ID_MAX:
        raise NotFound(f"no {record} #{number}")
    return number


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (as the user's browser sent it, for messages) and bytes."""

    filename: str
    data: bytes


def handler_key(decl: Declaration) -> str:
    """A stable register key for the declaration's handler: its USCC if given, else a slug of its
    name (a hash when the name has no Latin letters or digits)."""
    if decl.handler.uscc:
        return decl.handler.uscc.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", decl.handler.name.lower()).strip("-")[:60]
    return slug or "handler-" + hashlib.sha256(decl.handler.name.encode()).hexdigest()[:10]


@contextmanager
def spooled(upload: Upload, work_dir: Path, suffix: str) -> Iterator[Path]:
    """The upload as a temporary file in `work_dir` (the existing readers take paths); removed when
    the block ends, whatever happens."""
    work_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="upload-", dir=work_dir)
    path = Path(name)
    try:
        with open(fd, "wb") as f:
            f.write(upload.data)
        yield path
    finally:
        path.unlink(missing_ok=True)


def renamed(exc: InputError, tmp: Path, shown: str) -> InputError:
    """The same error with the temporary path replaced by the name the user uploaded."""

    def fix(text: str | None) -> str | None:
        return text.replace(str(tmp), shown) if text else text

    return InputError(
        fix(exc.message) or "",
        where=fix(exc.where),
        line=exc.line,
        problems=[
            Problem(fix(p.message) or "", where=fix(p.where), line=p.line, loc=p.loc) for p in exc.problems
        ],
    )


class Workspace:
    """One deployment: settings, the law, the calendar, the register's engine, the accounts."""

    ASSESS_CACHE = 64

    def __init__(self, settings: WebSettings, *, clock: Callable[[], dt.datetime] | None = None):
        self.settings = settings
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.law: Law = load_law(settings.lists)
        self.calendar = WorkingCalendar.load(list(settings.calendars))
        self.procedures = ProcedureBook.from_law(self.law)
        self.engine = make_engine(settings.db_url)
        upgrade(self.engine)
        self.accounts = Accounts(self.engine, clock=self.clock)
        self._cache: OrderedDict[tuple[str, dt.date, bool], DecisionSet] = OrderedDict()
        self._cache_lock = Lock()

    def close(self) -> None:
        self.engine.dispose()

    def today(self) -> dt.date:
        return self.clock().date()

    def register(self, who: Principal) -> Register:
        """The register, acting as `who` (their name goes into the audit trail)."""
        return Register(
            self.engine, calendar=self.calendar, procedures=self.procedures, actor=who.actor, clock=self.clock
        )

    @contextmanager
    def audited(self, who: Principal, action: str) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            s.info.update(actor=who.actor, action=action, now=self.clock())
            with s.begin():
                lock_for_write(s)  # the audit chain has one writer at a time (PostgreSQL)
                yield s

    # -- declarations -------------------------------------------------------------------------------

    def parse_declaration(self, upload: Upload) -> Declaration:
        """Read an uploaded YAML/JSON/XLSX declaration with the CLI's readers; errors name the
        uploaded file, line or cell and field, as the CLI does."""
        suffix = Path(upload.filename).suffix.lower()
        shown = Path(upload.filename).name or "upload"
        if suffix not in DECLARATION_SUFFIXES:
            raise InputError(f"expected a {', '.join(DECLARATION_SUFFIXES)} declaration", where=shown)
        with spooled(upload, self.settings.work_dir, suffix) as tmp:
            try:
                return load_declaration(tmp, self.law)
            except InputError as exc:
                raise renamed(exc, tmp, shown) from None

    def check(self, decl: Declaration) -> None:
        problems = check_declaration(decl, self.law)
        if problems:
            raise InputError(f"{len(problems)} problem(s) in the declaration", problems=problems)

    def declarations(self) -> list[StoredDeclaration]:
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(StoredDeclaration).order_by(StoredDeclaration.id)))

    def declaration(self, decl_id: int) -> tuple[StoredDeclaration, Declaration]:
        """The stored row and its declaration; NotFound when there is none."""
        known_id("declaration", decl_id)
        with Session(self.engine, expire_on_commit=False) as s:
            row = s.get(StoredDeclaration, decl_id)
        if row is None:
            raise NotFound(f"no declaration #{decl_id}")
        return row, Declaration.model_validate(row.document)

    def save_declaration(
        self,
        decl: Declaration,
        who: Principal,
        *,
        decl_id: int | None = None,
        key: str | None = None,
        expected_revision: int | None = None,
    ) -> int:
        """Store a checked declaration (new, or a new revision of `decl_id`) and make sure the
        register knows its handler and flows. With `expected_revision`, the save happens only if
        `decl_id` is still at that revision (checked under the write lock), else `Conflict`: an
        edit made on a stale form never overwrites a newer one."""
        self.check(decl)
        if decl_id is not None:
            known_id("declaration", decl_id)
        else:
            self._key_is_this_handlers(key or handler_key(decl), decl)
        doc = decl.model_dump(mode="json", exclude_none=True)
        with self.audited(who, "save_declaration") as s:
            if decl_id is None:
                row = StoredDeclaration(
                    handler_key=key or handler_key(decl),
                    title=decl.handler.name,
                    document=doc,
                    revision=1,
                    updated_at=self.clock(),
                    updated_by=who.actor,
                )
                s.add(row)
            else:
                row = s.get(StoredDeclaration, decl_id)
                if row is None:
                    raise NotFound(f"no declaration #{decl_id}")
                if expected_revision is not None and row.revision != expected_revision:
                    raise Conflict(decl_id, expected_revision, row)
                row.document, row.title = doc, decl.handler.name
                row.revision += 1
                row.updated_at, row.updated_by = self.clock(), who.actor
            s.flush()
            new_id, hkey = row.id, row.handler_key
        reg = self.register(who)
        reg.ensure_handler(hkey, decl.handler.name, uscc=decl.handler.uscc, zone=decl.handler.zone)
        for f in decl.flows:
            reg.add_flow(
                hkey,
                f.id,
                scenario=f.scenario,
                purpose=f.purpose,
                recipient_name=f.recipient.name,
                recipient_country=f.recipient.country,
                declaration=f.model_dump(mode="json", exclude_none=True),
                exist_ok=True,
            )
        return new_id

    def _key_is_this_handlers(self, hkey: str, decl: Declaration) -> None:
        """Refuse a new declaration whose register key already belongs to another handler (a key
        typed on the upload form, or two names with the same slug): its flows would join that
        handler's record — its proceedings, exports, snapshots and due list. The same handler is
        one the register or a stored declaration knows under this key by the same name or USCC."""
        h = decl.handler
        with Session(self.engine) as s:
            known = s.scalar(select(Handler).where(Handler.key == hkey))
            titles = set(
                s.scalars(select(StoredDeclaration.title).where(StoredDeclaration.handler_key == hkey))
            )
        if known is None and not titles:
            return
        names = titles | ({known.name} if known is not None else set())
        if known is not None and known.name == hkey:
            names.add(h.name)  # a handler the CLI registered by its key alone
        same_uscc = bool(h.uscc) and known is not None and (known.uscc or "").lower() == h.uscc.lower()
        if h.name not in names and not same_uscc:
            other = sorted(names)[0]
            raise InputError(
                f"key: '{hkey}' is the register key of handler '{other}', not of '{h.name}': give "
                "this handler a key of its own (or correct handler.name if it is the same company)"
            )

    # -- assessment ----------------------------------------------------------------------------------

    def assess(
        self, decl: Declaration, as_of: dt.date | None = None, *, alternatives: bool = True
    ) -> DecisionSet:
        """What `ftzlist assess --format json` gives for this declaration on `as_of` (default: the
        declaration's own date, else today): cross-zone alternatives included, as on the CLI."""
        from ftzlist.compare import cross_zone_alternatives
        from ftzlist.engine import decide

        day = as_of or decl.as_of or self.today()
        key = (json.dumps(decl.model_dump(mode="json"), sort_keys=True), day, alternatives)
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        ds = cross_zone_alternatives(decl, self.law, day) if alternatives else decide(decl, self.law, day)
        with self._cache_lock:
            self._cache[key] = ds
            while len(self._cache) > self.ASSESS_CACHE:
                self._cache.popitem(last=False)
        return ds

    def forget_assessments(self) -> None:
        """Drop the cached assessments (after list files change; benchmarks measure cold runs)."""
        with self._cache_lock:
            self._cache.clear()

    def snapshot(
        self,
        decl_id: int,
        as_of: dt.date | None,
        who: Principal,
        *,
        expected_revision: int | None = None,
    ) -> list[tuple[str, int]]:
        """Keep the declaration's decisions in the register as given (append-only): one snapshot
        per flow, with list versions and hashes, the input hash and the engine version. With
        `expected_revision` (the revision the signer saw), `Conflict` if the declaration has
        changed since: a sign-off is of the decisions the signer looked at."""
        row, decl = self.declaration(decl_id)
        if expected_revision is not None and row.revision != expected_revision:
            raise Conflict(decl_id, expected_revision, row)
        ds = self.assess(decl, as_of)
        reg = self.register(who)
        versions = {ref.id: ref.sha256 for ref in ds.lists}
        kept = []
        for fd in ds.flows:
            reg.add_flow(row.handler_key, fd.flow_id, exist_ok=True)
            sid = reg.snapshot_decision(
                row.handler_key,
                fd.flow_id,
                as_of=ds.as_of,
                pathway=str(fd.pathway),
                list_versions=versions,
                input_hash=ds.input_sha256,
                engine_version=ds.engine_version,
                decision=fd.model_dump(mode="json")
                | {
                    "governing_lists": ds.governing_lists,
                    "declaration": {"id": row.id, "revision": row.revision},  # what was signed off
                },
            )
            kept.append((fd.flow_id, sid))
        return kept

    def snapshots(self, decl_id: int, limit: int = 50) -> list[DecisionSnapshot]:
        """The decisions kept for the declaration's handler, newest first (one query; read-only)."""
        row, _ = self.declaration(decl_id)
        q = (
            select(DecisionSnapshot)
            .join(Flow, Flow.id == DecisionSnapshot.flow_id)
            .join(Handler, Handler.id == Flow.handler_id)
            .where(Handler.key == row.handler_key)
            .order_by(DecisionSnapshot.id.desc())
            .limit(limit)
        )
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.scalars(q))
