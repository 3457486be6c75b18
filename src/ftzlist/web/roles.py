"""Roles and what each may do in the workspace.

A role is a set of permissions, not a rank: `viewer` reads; `editor` also writes (declarations,
flows, count runs, applications, notices, opinions, exports, incidents); `approver` also signs off
what goes to an authority or into the record as given (decision snapshots, filings, changes,
renewals); `admin` also manages accounts. Every account carries an optional `scope` (a zone area,
e.g. `fujian-ftz/xiamen`) so an area-scoped role (the agency desk) adds a role and a filter, not a
new model.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    read = "read"
    write = "write"
    approve = "approve"
    admin = "admin"


class Role(StrEnum):
    viewer = "viewer"
    editor = "editor"
    approver = "approver"
    admin = "admin"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.viewer: frozenset({Permission.read}),
    Role.editor: frozenset({Permission.read, Permission.write}),
    Role.approver: frozenset({Permission.read, Permission.write, Permission.approve}),
    Role.admin: frozenset(Permission),
}


def allows(role: str, permission: Permission) -> bool:
    """True when `role` grants `permission` (an unknown role grants nothing)."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
