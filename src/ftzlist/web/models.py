"""The workspace's own tables, in the register's database (created by the register's Alembic
chain, revision `w001`): accounts, API tokens, browser sessions, login attempts, declarations as
uploaded or edited, and count runs.

They sit on their own `MetaData` (same naming convention as the register) so the register's models
stay free of the web layer; `ftzlist.web.models.ALL_METADATA` is what the migrated schema must
equal. Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ftzlist.agency.models import AgencyBase
from ftzlist.filings.models import NAMING
from ftzlist.filings.models import Base as RegisterBase


class WebBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


ALL_METADATA = (RegisterBase.metadata, WebBase.metadata, AgencyBase.metadata)


class User(WebBase):
    """A local account. `scope` limits an area-scoped role to one zone area (None = everything)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(WebBase):
    """A bearer token for `/api/v1`; only its SHA-256 is kept (the token is shown once)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), doc="first characters, to recognise a token")
    role: Mapped[str | None] = mapped_column(String(20), doc="a lower role than the user's, or None")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(WebBase):
    """A signed-in browser; the cookie carries the id, the table only its SHA-256."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    sid_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(WebBase):
    """One try at the login form, for throttling; the client address is kept as a hash prefix."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(16), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ok: Mapped[bool] = mapped_column(Boolean)


class StoredDeclaration(WebBase):
    """A handler's declaration (the `Declaration` document) as uploaded or edited; each save bumps
    the revision and is in the audit trail with its before and after."""

    __tablename__ = "declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    handler_key: Mapped[str] = mapped_column(String(120), index=True)
    title: Mapped[str] = mapped_column(String(400))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200))


class CountRun(WebBase):
    """A person count over uploaded export logs: its progress, then its result (aggregates and
    keyed-hash prefixes only; the logs are deleted when the run ends)."""

    __tablename__ = "count_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    as_of: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), doc="queued | running | done | failed")
    progress: Mapped[int] = mapped_column(Integer, default=0, doc="percent")
    stage: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
