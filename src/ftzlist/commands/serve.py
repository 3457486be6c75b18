"""`ftzlist serve`: the team workspace in the browser, on the register and engine the CLI uses."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ftzlist.commands.common import CalendarsOption, DbOption, ListsOption


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve)


def web_settings(
    db: str | None,
    *,
    lists: list[Path] | None = None,
    calendars: list[Path] | None = None,
    hash_key_file: Path | None = None,
    work_dir: Path | None = None,
    secure_cookies: bool = False,
    max_upload_mb: int = 20,
):
    """Settings from the CLI's options and environment (FTZLIST_DB, FTZLIST_HASH_KEY)."""
    from ftzlist.commands.common import KEY_ENV, calendar_dirs, data_dir, db_url, read_key
    from ftzlist.web.settings import MiB, WebSettings

    key = read_key(hash_key_file) if (hash_key_file or os.environ.get(KEY_ENV)) else None
    return WebSettings(
        db_url=db_url(db),
        work_dir=work_dir or data_dir() / "uploads",
        hash_key=key,
        secure_cookies=secure_cookies,
        max_upload_bytes=max_upload_mb * MiB,
        lists=tuple(lists or ()),
        calendars=tuple(calendar_dirs(calendars)),
    )


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    hash_key_file: Annotated[
        Path | None,
        typer.Option(
            "--hash-key-file",
            help="HMAC key for counting export logs (else $FTZLIST_HASH_KEY; none = counting off).",
            show_default=False,
        ),
    ] = None,
    work_dir: Annotated[
        Path | None,
        typer.Option(
            "--work-dir",
            help="Where uploads wait while parsed or counted (default: data dir).",
            show_default=False,
        ),
    ] = None,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help="Mark cookies Secure (when served over HTTPS).")
    ] = False,
    max_upload_mb: Annotated[int, typer.Option("--max-upload-mb", min=1, max=2048)] = 20,
    lists: ListsOption = None,
    calendars: CalendarsOption = None,
) -> None:
    """Start the workspace: pages for declarations, assessments, comparisons, counting, the register,
    the due screen, the list library and reports; the API under /api/v1 (OpenAPI at
    /api/openapi.json). Create the first account with `ftzlist users add NAME --role admin`."""
    import uvicorn

    from ftzlist.web.app import create_app

    settings = web_settings(
        db,
        lists=lists,
        calendars=calendars,
        hash_key_file=hash_key_file,
        work_dir=work_dir,
        secure_cookies=secure_cookies,
        max_upload_mb=max_upload_mb,
    )
    app = create_app(settings)
    if not app.state.workspace.accounts.users():
        typer.echo("no accounts yet: create one with `ftzlist users add NAME --role admin`", err=True)
    typer.echo(
        f"ftzlist workspace on http://{host}:{port}/ (register: {settings.db_url.split('@')[-1]})", err=True
    )
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
