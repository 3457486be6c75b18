"""`ftzlist users` and `ftzlist tokens`: the workspace's local accounts and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ftzlist.commands.common import ActorOption, DbOption, console

users_app = typer.Typer(
    help="Workspace accounts (ftzlist serve): add, list, set a role.", no_args_is_help=True
)
tokens_app = typer.Typer(help="API tokens for /api/v1: create, list, revoke.", no_args_is_help=True)

RoleOption = Annotated[str, typer.Option("--role", help="viewer, editor, approver, admin or agency.")]
AreaOption = Annotated[
    str | None,
    typer.Option(
        "--area",
        metavar="ZONE/AREA",
        help="The desk an agency account serves: a zone area as the list data names it "
        "(e.g. fujian-ftz/xiamen), or a zone for a zone-wide desk (e.g. shanghai-ftz).",
    ),
]
HandlerScopeOption = Annotated[
    str | None, typer.Option("--handler", metavar="KEY", help="Limit a handler-side account to one handler.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


def _accounts(db: str | None):
    from ftzlist.commands.common import db_url
    from ftzlist.filings.db import make_engine, upgrade
    from ftzlist.web.accounts import Accounts

    engine = make_engine(db_url(db))
    upgrade(engine)
    return Accounts(engine)


def _who(actor: str | None) -> str:
    import getpass
    import os

    return actor or os.environ.get("FTZLIST_ACTOR") or getpass.getuser()


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Account name.")],
    role: RoleOption = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (scripts).")
    ] = False,
    area: AreaOption = None,
    handler: HandlerScopeOption = None,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Create an account (the first one: `--role admin`); the password is asked for twice. An agency
    account serves one desk: `--role agency --area fujian-ftz/xiamen`."""
    from ftzlist.errors import InputError
    from ftzlist.web.roles import HANDLER_SCOPE

    if area and handler:
        raise InputError("give --area (an agency desk) or --handler (a handler-side account), not both")
    scope = None
    if area:
        from ftzlist.agency.desk import parse_scope
        from ftzlist.loader import load_law

        scope = str(parse_scope(area, load_law()))
    elif handler:
        scope = HANDLER_SCOPE + handler
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    _accounts(db).add_user(name, password, role, scope=scope, actor=_who(actor))
    console(stderr=True).print(f"added {name} ({role}{', ' + scope if scope else ''})")


@users_app.command("list")
def list_(db: DbOption = None) -> None:
    """Every account, its role and whether it is active."""
    for u in _accounts(db).users():
        typer.echo(f"{u.name}\t{u.role}\t{u.scope or '-'}\t{'active' if u.active else 'inactive'}")


@users_app.command("set-role")
def set_role(
    name: str,
    role: Annotated[str, typer.Argument(help="viewer, editor, approver or admin.")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Change an account's role."""
    _accounts(db).set_role(name, role, actor=_who(actor))
    console(stderr=True).print(f"{name} is now {role}")


@users_app.command("passwd")
def passwd(
    name: str,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Set a new password (signs the account out everywhere)."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("password", hide_input=True, confirmation_prompt=True)
    )
    _accounts(db).set_password(name, password, actor=_who(actor))


@users_app.command("deactivate")
def deactivate(name: str, db: DbOption = None, actor: ActorOption = None) -> None:
    """Close an account (its sessions and tokens stop working; its audit entries stay)."""
    _accounts(db).deactivate(name, actor=_who(actor))


@tokens_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. ci-export.")],
    user: Annotated[str, typer.Option("--user", help="Account the token acts as.")],
    role: Annotated[
        str | None, typer.Option("--role", help="A lower role than the account's (default: the account's).")
    ] = None,
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Create a bearer token for /api/v1. It is printed once: store it now."""
    token = _accounts(db).create_token(user, name, role=role, actor=_who(actor))
    sys.stdout.write(token + "\n")
    console(stderr=True).print("store this token now: only its hash is kept")


@tokens_app.command("list")
def tokens_list(db: DbOption = None) -> None:
    """Every token: prefix, name, account, role, live or revoked."""
    for t, user in _accounts(db).tokens():
        typer.echo(f"{t.prefix}…\t{t.name}\t{user}\t{t.role or '-'}\t{'revoked' if t.revoked else 'live'}")


@tokens_app.command("revoke")
def revoke(
    prefix: Annotated[str, typer.Argument(help="The token's prefix as `tokens list` shows it.")],
    db: DbOption = None,
    actor: ActorOption = None,
) -> None:
    """Revoke a token."""
    _accounts(db).revoke_token(prefix.rstrip("…"), actor=_who(actor))
