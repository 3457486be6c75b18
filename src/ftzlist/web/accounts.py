"""Local accounts, API tokens, browser sessions and login throttling.

Passwords are hashed with argon2id (argon2-cffi's `PasswordHasher`, its default parameters, and
rehashed on login when those defaults change). Tokens and session ids are 256-bit random values;
only their SHA-256 is stored, so a copy of the database opens no account. Account changes go to
the register's audit trail with the user who made them, without the hash or the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from ftzlist.errors import InputError
from ftzlist.filings.audit import append_entries, lock_for_write
from ftzlist.web.models import ApiToken, LoginAttempt, User, WebSession
from ftzlist.web.roles import GRANTS, HANDLER_SCOPE, Role, scope_problem

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "ftz_"
SESSION_HOURS = 12
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20

_hasher = PasswordHasher()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is asking: the account name, its role (a token may carry a lower one) and scope."""

    user_id: int
    name: str
    role: str
    scope: str | None = None
    via: str = "session"  # session | token:<name>

    @property
    def handler(self) -> str | None:
        """The one handler a handler-side account may see (scope `handler:<key>`), else None."""
        if self.scope and self.scope.startswith(HANDLER_SCOPE):
            return self.scope[len(HANDLER_SCOPE) :]
        return None

    @property
    def actor(self) -> str:
        """The audit trail's name for this principal."""
        return self.name if self.via == "session" else f"{self.name} ({self.via})"


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many failed logins; try again after `retry_after` seconds."""

    retry_after: int


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] | None = None):
        self.engine = engine
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # -- helpers ----------------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction that extends the audit chain: the register's write lock first."""
        with Session(self.engine) as s, s.begin():
            lock_for_write(s)
            yield s

    def _audit(self, s: Session, actor: str, action: str, table: str, row_id: int, before, after) -> None:
        append_entries(  # the register's hash chain (ftzlist filings verify)
            s,
            [
                dict(
                    at=self.clock(),
                    actor=actor,
                    action=action,
                    table_name=table,
                    row_id=row_id,
                    before=before,
                    after=after,
                )
            ],
        )

    @staticmethod
    def _public(u: User) -> dict:
        return {"name": u.name, "role": u.role, "scope": u.scope, "active": u.active}

    # -- users ----------------------------------------------------------------------------------

    def add_user(
        self, name: str, password: str, role: str, *, scope: str | None = None, actor: str = "cli"
    ) -> int:
        """Create an account. Errors name the field: a bad name, a short password, an unknown role."""
        if not NAME_RE.match(name):
            raise InputError(
                f"user name '{name}': expected 1-80 letters, digits, '.', '_', '@' or '-', starting with a "
                "letter or digit"
            )
        if role not in {r.value for r in Role}:
            raise InputError(f"unknown role '{role}'; one of: {', '.join(r.value for r in GRANTS)}")
        problem = scope_problem(role, scope)
        if problem:
            raise InputError(f"user '{name}': {problem}")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"password: at least {MIN_PASSWORD} characters")
        with self._writing() as s:
            if s.scalar(select(User.id).where(User.name == name)) is not None:
                raise InputError(f"user '{name}' already exists")
            u = User(
                name=name,
                password_hash=_hasher.hash(password),
                role=role,
                scope=scope,
                active=True,
                created_at=self.clock(),
            )
            s.add(u)
            s.flush()
            self._audit(s, actor, "add_user", "users", u.id, None, self._public(u))
            return u.id

    def set_role(self, name: str, role: str, *, actor: str) -> None:
        if role not in {r.value for r in Role}:
            raise InputError(f"unknown role '{role}'")
        with self._writing() as s:
            u = self._user(s, name)
            problem = scope_problem(role, u.scope)
            if problem:
                raise InputError(f"user '{name}': {problem}")
            before = self._public(u)
            u.role = role
            s.flush()
            self._audit(s, actor, "set_role", "users", u.id, before, self._public(u))

    def set_password(self, name: str, password: str, *, actor: str) -> None:
        if len(password) < MIN_PASSWORD:
            raise InputError(f"password: at least {MIN_PASSWORD} characters")
        with self._writing() as s:
            u = self._user(s, name)
            u.password_hash = _hasher.hash(password)
            s.execute(delete(WebSession).where(WebSession.user_id == u.id))
            self._audit(
                s, actor, "set_password", "users", u.id, None, {"name": u.name, "password": "changed"}
            )

    def deactivate(self, name: str, *, actor: str) -> None:
        with self._writing() as s:
            u = self._user(s, name)
            before = self._public(u)
            u.active = False
            s.execute(delete(WebSession).where(WebSession.user_id == u.id))
            s.flush()
            self._audit(s, actor, "deactivate_user", "users", u.id, before, self._public(u))

    @staticmethod
    def _user(s: Session, name: str) -> User:
        u = s.scalar(select(User).where(User.name == name))
        if u is None:
            raise InputError(f"unknown user '{name}'")
        return u

    def users(self) -> list[User]:
        with Session(self.engine, expire_on_commit=False) as s:
            return list(s.scalars(select(User).order_by(User.name)))

    # -- login ------------------------------------------------------------------------------------

    def check_throttle(self, name: str, client: str) -> None:
        """Raise `Throttled` when this name or this client failed too often in the window."""
        since = self.clock() - THROTTLE_WINDOW
        with Session(self.engine) as s:
            by_user = s.scalar(
                select(func.count(LoginAttempt.id)).where(
                    LoginAttempt.username == name[:80], LoginAttempt.at >= since, LoginAttempt.ok.is_(False)
                )
            )
            by_client = s.scalar(
                select(func.count(LoginAttempt.id)).where(
                    LoginAttempt.client == client, LoginAttempt.at >= since, LoginAttempt.ok.is_(False)
                )
            )
        if (by_user or 0) >= MAX_FAILURES_PER_USER or (by_client or 0) >= MAX_FAILURES_PER_CLIENT:
            raise Throttled(int(THROTTLE_WINDOW.total_seconds()))

    def login(self, name: str, password: str, client_address: str) -> tuple[str, str] | None:
        """Check a password; on success open a session and return (session id, CSRF token).
        Every try is recorded for throttling; `Throttled` is raised before any check when due."""
        client = sha256(client_address)[:16]
        self.check_throttle(name, client)
        now = self.clock()
        ok = False
        with Session(self.engine) as s, s.begin():
            u = s.scalar(select(User).where(User.name == name, User.active.is_(True)))
            if u is not None:
                try:
                    ok = _hasher.verify(u.password_hash, password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    ok = False
            else:
                _hasher.hash(password)  # same work either way: no timing hint that the name exists
            s.add(LoginAttempt(username=name[:80], client=client, at=now, ok=ok))
            if not ok or u is None:
                return None
            if _hasher.check_needs_rehash(u.password_hash):
                u.password_hash = _hasher.hash(password)
            sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.add(
                WebSession(
                    sid_sha256=sha256(sid),
                    user_id=u.id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + dt.timedelta(hours=SESSION_HOURS),
                )
            )
            return sid, csrf

    def session(self, sid: str) -> tuple[Principal, str] | None:
        """The principal and CSRF token of a live session, or None."""
        with Session(self.engine) as s:
            row = s.execute(
                select(WebSession, User)
                .join(User, User.id == WebSession.user_id)
                .where(WebSession.sid_sha256 == sha256(sid), User.active.is_(True))
            ).first()
            if row is None:
                return None
            ws, u = row
            expires = ws.expires_at if ws.expires_at.tzinfo else ws.expires_at.replace(tzinfo=dt.UTC)
            if expires < self.clock():
                return None
            return Principal(u.id, u.name, u.role, u.scope), ws.csrf

    def logout(self, sid: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.sid_sha256 == sha256(sid)))

    # -- API tokens ---------------------------------------------------------------------------------

    def create_token(self, user: str, name: str, *, role: str | None = None, actor: str = "cli") -> str:
        """A new bearer token for `user` (shown once). `role` may lower, never raise, its rights."""
        if not NAME_RE.match(name):
            raise InputError(f"token name '{name}': expected letters, digits, '.', '_', '@' or '-'")
        with self._writing() as s:
            u = self._user(s, user)
            if role is not None:
                if role not in {r.value for r in Role}:
                    raise InputError(f"unknown role '{role}'")
                if not GRANTS[Role(role)] <= GRANTS[Role(u.role)]:
                    raise InputError(f"a token of {user} ({u.role}) cannot have the role {role}")
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            t = ApiToken(
                user_id=u.id,
                name=name,
                token_sha256=sha256(token),
                prefix=token[:10],
                role=role,
                created_at=self.clock(),
                revoked=False,
            )
            s.add(t)
            s.flush()
            self._audit(
                s, actor, "create_token", "api_tokens", t.id, None, {"user": user, "name": name, "role": role}
            )
            return token

    def revoke_token(self, prefix: str, *, actor: str = "cli") -> None:
        with self._writing() as s:
            t = s.scalar(select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.revoked.is_(False)))
            if t is None:
                raise InputError(f"no live token starting '{prefix}'")
            t.revoked = True
            self._audit(s, actor, "revoke_token", "api_tokens", t.id, {"revoked": False}, {"revoked": True})

    def tokens(self) -> list[tuple[ApiToken, str]]:
        with Session(self.engine, expire_on_commit=False) as s:
            rows = s.execute(select(ApiToken, User.name).join(User).order_by(ApiToken.id)).all()
            return [(t, n) for t, n in rows]

    def by_token(self, token: str) -> Principal | None:
        with Session(self.engine) as s:
            row = s.execute(
                select(ApiToken, User)
                .join(User, User.id == ApiToken.user_id)
                .where(
                    ApiToken.token_sha256 == sha256(token),
                    ApiToken.revoked.is_(False),
                    User.active.is_(True),
                )
            ).first()
            if row is None:
                return None
            t, u = row
            # the token's own role only ever lowers the user's current rights
            lower = (
                t.role and t.role in GRANTS and GRANTS[Role(t.role)] <= GRANTS.get(Role(u.role), frozenset())
            )
            return Principal(u.id, u.name, t.role if lower else u.role, u.scope, via=f"token:{t.name}")
