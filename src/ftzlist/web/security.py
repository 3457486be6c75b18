"""Who is asking and may they: session cookies and CSRF tokens for pages, bearer tokens for the
API, permissions by role, and the security headers every response carries.

Pages: the session cookie is HttpOnly, SameSite=Strict (Secure behind HTTPS); every POST carries
the session's CSRF token (a hidden form field, or the `X-CSRF-Token` header HTMX sends from the
page's `hx-headers`). The login form, before any session, uses a double-submit token. The API
takes only `Authorization: Bearer` tokens, so a browser's cookies never authorise an API call.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from starlette.middleware.base import BaseHTTPMiddleware

from ftzlist.web.accounts import Principal
from ftzlist.web.roles import Permission, allows

SESSION_COOKIE = "ftzlist_session"
LOGIN_CSRF_COOKIE = "ftzlist_login_csrf"
LANG_COOKIE = "ftzlist_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        response = await call_next(request)
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class LoginRequired(Exception):
    """No valid session: pages redirect to the login form."""


class Forbidden(Exception):
    """Signed in, but the role does not grant the permission."""

    def __init__(self, permission: Permission):
        self.permission = permission


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


@dataclass(frozen=True)
class Visitor:
    principal: Principal
    csrf: str


def session_visitor(request: Request) -> Visitor | None:
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    found = request.app.state.workspace.accounts.session(sid)
    return Visitor(*found) if found else None


def need(request: Request, permission: Permission) -> Visitor:
    v = session_visitor(request)
    if v is None:
        raise LoginRequired()
    if not allows(v.principal.role, permission):
        raise Forbidden(permission)
    if v.principal.handler is not None:
        # the pages list every handler's records; an account scoped to one handler works through
        # the API (which filters by handler) until they do
        raise Forbidden(permission)
    return v


async def check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, expected):
        raise CsrfFailed()


def reader(request: Request) -> Visitor:
    """Dependency: any signed-in account (pages)."""
    return need(request, Permission.read)


async def writer(request: Request) -> Visitor:
    """Dependency: an account that may write, on a POST with the right CSRF token."""
    v = need(request, Permission.write)
    await check_csrf(request, v.csrf)
    return v


async def approver(request: Request) -> Visitor:
    v = need(request, Permission.approve)
    await check_csrf(request, v.csrf)
    return v


async def administrator(request: Request) -> Visitor:
    v = need(request, Permission.admin)
    if request.method == "POST":
        await check_csrf(request, v.csrf)
    return v


async def signed_in_post(request: Request) -> Visitor:
    """Any signed-in account posting with its CSRF token (sign-out, language)."""
    v = need(request, Permission.read)
    await check_csrf(request, v.csrf)
    return v
