"""Engines and schema migrations for the register.

SQLite (the default, a file in the user's data directory) runs in WAL mode with every transaction
`BEGIN IMMEDIATE`, so concurrent writers queue on the lock instead of failing half-way; PostgreSQL
(any SQLAlchemy URL) uses its own transactions, with an advisory lock around migrations.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

from ftzlist.errors import InputError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 60


def default_url(data_dir: Path) -> str:
    """The SQLite register inside `data_dir` (the CLI passes platformdirs' user data dir)."""
    return f"sqlite:///{Path(data_dir) / 'register.sqlite3'}"


def safe_db(url: str) -> str:
    """The URL as it may be printed: without its password."""
    from ftzlist.identifiers.masking import safe_url

    return safe_url(url)


def make_engine(url: str) -> Engine:
    """An engine for the register at `url` (SQLite or PostgreSQL). Raises InputError, naming the URL
    without its password, for a URL that is malformed, names another database, or would be misread."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        from ftzlist.identifiers.masking import redact_secrets

        reason = redact_secrets(str(exc)).replace(url, safe_db(url))
        raise InputError(f"not a database URL: '{safe_db(url)}' ({reason})") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise InputError(f"--db: the register runs on SQLite or PostgreSQL, not '{backend}' ({safe_db(url)})")
    if parsed.host and "@" in parsed.host:  # `user:p@ss@host`: part of the password would be read as the host
        raise InputError(
            f"--db: '{safe_db(url)}' has an '@' in its password: write it as %40 "
            "(percent-encode the password's special characters)"
        )
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):  # pragma: no cover - exercised by every sqlite test
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (SQLAlchemy pysqlite recipe)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # pragma: no cover
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def _config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _config(None)
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: Engine) -> str | None:
    if not inspect(engine).has_table("alembic_version"):
        return None
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (idempotent; safe when several processes start at once)."""
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242017)")
        command.upgrade(_config(conn), revision)
