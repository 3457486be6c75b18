"""Roles and what each may do in the workspace.

A role is a set of permissions, not a rank: `viewer` reads; `editor` also writes (declarations,
flows, count runs, applications, notices, opinions, exports, incidents); `approver` also signs off
what goes to an authority or into the record as given (decision snapshots, filings, changes,
renewals); `admin` also manages accounts. Every account carries an optional `scope` (a zone area,
e.g. `fujian-ftz/xiamen`) so an area-scoped role (the agency desk) adds a role and a filter, not a
new model.

`agency` is the other side of a procedure (the zone area's implementing agency, a zone's service
centre): it holds only the `agency` permission, so the handler-side pages and API refuse it, and
its desk shows only proceedings addressed to its scope (`ftzlist.agency`). A handler-side account
may be scoped to one handler (`handler:<key>`): it then sees only that handler's proceedings.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    read = "read"
    write = "write"
    approve = "approve"
    admin = "admin"
    agency = "agency"


class Role(StrEnum):
    viewer = "viewer"
    editor = "editor"
    approver = "approver"
    admin = "admin"
    agency = "agency"


HANDLER_SCOPE = "handler:"
"""Prefix of a handler-side account's scope: `handler:<handler key>`."""

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.viewer: frozenset({Permission.read}),
    Role.editor: frozenset({Permission.read, Permission.write}),
    Role.approver: frozenset({Permission.read, Permission.write, Permission.approve}),
    Role.admin: frozenset(Permission),
    Role.agency: frozenset({Permission.agency}),
}


def scope_problem(role: str, scope: str | None) -> str | None:
    """Why `scope` does not fit `role` (None when it does): an agency account needs a desk
    (`zone/area` or `zone`, checked against the law by the caller); a handler-side account takes
    none or `handler:<key>`."""
    if role == Role.agency:
        if not scope or scope.startswith(HANDLER_SCOPE):
            return "an agency account needs --area ZONE/AREA (or ZONE for a zone-wide desk)"
    elif scope is not None and not (scope.startswith(HANDLER_SCOPE) and len(scope) > len(HANDLER_SCOPE)):
        return f"a {role} account is scoped to one handler (--handler KEY) or to none"
    return None


def allows(role: str, permission: Permission) -> bool:
    """True when `role` grants `permission` (an unknown role grants nothing)."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
