"""The pages: server-rendered (Jinja2), HTMX for the parts that update in place. Every page needs a
session (anonymous visitors see only the login form); every POST needs the session's CSRF token
and the permission its dependency names."""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile as FormFile

from ftzlist.errors import InputError
from ftzlist.loader import exemption_grounds
from ftzlist.web import forms
from ftzlist.web.accounts import Throttled
from ftzlist.web.i18n import LANGS
from ftzlist.web.roles import Permission, allows
from ftzlist.web.security import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Visitor,
    administrator,
    approver,
    reader,
    session_visitor,
    signed_in_post,
    writer,
)
from ftzlist.web.workspace import Conflict, NotFound, Upload, Workspace

router = APIRouter(include_in_schema=False)

Read = Annotated[Visitor, Depends(reader)]
Write = Annotated[Visitor, Depends(writer)]
Approve = Annotated[Visitor, Depends(approver)]
Admin = Annotated[Visitor, Depends(administrator)]

REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


def ws(request: Request) -> Workspace:
    return request.app.state.workspace


def render(
    request: Request, name: str, visitor: Visitor | None, status: int = 200, **ctx: Any
) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, name, {"visitor": visitor, **ctx}, status_code=status
    )


def local(target: str | None, default: str = "/") -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def parse_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"as_of: '{value}' is not a date in the form YYYY-MM-DD") from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2099, 12, 31):
        raise InputError(f"as_of: {value} is outside 2000-01-01 .. 2099-12-31")
    return day


def revision_field(raw: str | None) -> int | None:
    """The revision a form was opened on (its hidden `revision` field); None when the form has
    none (a hand-made post), which saves without the check."""
    if raw is None or not raw.strip():
        return None
    if not raw.strip().isdigit() or len(raw.strip()) > 10:
        raise InputError(f"revision: '{raw[:20]}' is not a revision number")
    return int(raw)


async def read_upload(upload: FormFile, limit: int) -> Upload:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{upload.filename}: larger than the {limit // (1024 * 1024)} MiB upload limit")
    return Upload(upload.filename or "upload", data)


# -- sign-in ----------------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    resp = render(request, "login.html", None, csrf=token, next=local(next), error=None)
    resp.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.app.state.secure,
        path="/login",
    )
    return resp


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        return render(request, "login.html", None, 403, csrf=cookie, next=local(next), error="csrf")
    client = request.client.host if request.client else "-"
    try:
        opened = ws(request).accounts.login(username, password, client)
    except Throttled as exc:
        resp = render(request, "login.html", None, 429, csrf=cookie, next=local(next), error="throttled")
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp
    if opened is None:
        return render(request, "login.html", None, 401, csrf=cookie, next=local(next), error="bad_login")
    sid, _csrf = opened
    resp = RedirectResponse(local(next, "/declarations"), status_code=303)
    resp.set_cookie(
        SESSION_COOKIE, sid, httponly=True, samesite="strict", secure=request.app.state.secure, path="/"
    )
    resp.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return resp


@router.post("/logout")
def logout(request: Request, v: Annotated[Visitor, Depends(signed_in_post)]) -> Response:
    ws(request).accounts.logout(request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str | None = None) -> Response:
    resp = RedirectResponse(local(next, "/declarations"), status_code=303)
    if lang in LANGS:
        resp.set_cookie(
            LANG_COOKIE, lang, httponly=True, samesite="lax", secure=request.app.state.secure, path="/"
        )
    return resp


@router.get("/")
def home(request: Request) -> Response:
    v = session_visitor(request)
    if v is not None and v.principal.role == "agency":
        return RedirectResponse("/agency", status_code=303)
    return RedirectResponse("/declarations" if v else "/login", status_code=303)


# -- declarations and the assessment ------------------------------------------------------------------


def _declarations_page(request: Request, v: Visitor, status: int = 200, **ctx: Any) -> HTMLResponse:
    return render(request, "declarations.html", v, status, rows=ws(request).declarations(), **ctx)


@router.get("/declarations")
def declarations(request: Request, v: Read) -> HTMLResponse:
    return _declarations_page(request, v)


@router.post("/declarations/upload")
async def upload_declaration(
    request: Request, v: Write, file: UploadFile, key: Annotated[str, Form(max_length=120)] = ""
) -> Response:
    w = ws(request)
    try:
        upload = await read_upload(file, w.settings.max_upload_bytes)
        decl = w.parse_declaration(upload)
        new_id = w.save_declaration(decl, v.principal, key=key.strip() or None)
    except InputError as exc:
        return _declarations_page(request, v, 400, upload_error=exc)
    return RedirectResponse(f"/declarations/{new_id}", status_code=303)


@router.get("/declarations/{decl_id}")
def assessment(
    request: Request, v: Read, decl_id: int, as_of: str | None = None, kept: str | None = None
) -> HTMLResponse:
    w = ws(request)
    row, decl = w.declaration(decl_id)
    day = parse_day(as_of)
    ds = w.assess(decl, day)
    return render(
        request,
        "assessment.html",
        v,
        row=row,
        decl=decl,
        ds=ds,
        as_of=ds.as_of,
        kept=kept,
        snapshots=w.snapshots(decl_id, limit=20),
        lists=w.law.lists,
    )


@router.get("/declarations/{decl_id}/reasons/{flow_id}")
def reasons(request: Request, v: Read, decl_id: int, flow_id: str, as_of: str | None = None) -> HTMLResponse:
    """Every rule checked for one flow: the fragment the assessment page loads when a flow's
    reasons are opened (HTMX), or a page of its own without HTMX."""
    w = ws(request)
    row, decl = w.declaration(decl_id)
    ds = w.assess(decl, parse_day(as_of))
    flow = next((f for f in ds.flows if f.flow_id == flow_id), None)
    if flow is None:
        raise NotFound(f"declaration #{decl_id} has no flow '{flow_id}'")
    name = "_reasons.html" if request.headers.get("hx-request") else "reasons.html"
    return render(request, name, v, row=row, flow=flow, as_of=ds.as_of)


@router.post("/declarations/{decl_id}/snapshot")
def snapshot(
    request: Request,
    v: Approve,
    decl_id: int,
    as_of: Annotated[str, Form(max_length=10)] = "",
    revision: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    kept = ws(request).snapshot(
        decl_id, parse_day(as_of), v.principal, expected_revision=revision_field(revision)
    )
    ids = ",".join(str(i) for _, i in kept)
    day = f"&as_of={quote(as_of)}" if as_of else ""
    return RedirectResponse(f"/declarations/{decl_id}?kept={ids}{day}", status_code=303)


@router.get("/declarations/{decl_id}/compare")
def compare_page(request: Request, v: Read, decl_id: int, as_of: str | None = None) -> HTMLResponse:
    from ftzlist.compare import compare

    w = ws(request)
    row, decl = w.declaration(decl_id)
    day = parse_day(as_of) or decl.as_of or w.today()
    result = compare(decl, w.law, day)
    ds = w.assess(decl, day)
    return render(request, "compare.html", v, row=row, cmp=result, ds=ds, as_of=day)


def _flow_form(
    request: Request,
    v: Visitor,
    decl_id: int,
    flow_id: str | None,
    values: dict,
    errors: dict,
    status: int = 200,
    revision: int | None = None,
):
    w = ws(request)
    row, decl = w.declaration(decl_id)
    return render(
        request,
        "flow_form.html",
        v,
        status,
        row=row,
        revision=row.revision if revision is None else revision,
        decl=decl,
        flow_id=flow_id,
        values=values,
        errors=errors,
        vocab=w.law.vocabulary,
        grounds=sorted(exemption_grounds(w.law)),
        rows=forms.item_rows(values),
    )


def _handler_form(
    request: Request,
    v: Visitor,
    decl_id: int,
    values: dict,
    errors: dict,
    status: int = 200,
    revision: int | None = None,
):
    """The handler form; `revision` is the one the user opened it on (kept across a failed post,
    so a change saved by someone else meanwhile is never silently taken over)."""
    w = ws(request)
    row, _ = w.declaration(decl_id)
    return render(
        request,
        "handler_form.html",
        v,
        status,
        row=row,
        revision=row.revision if revision is None else revision,
        values=values,
        errors=errors,
        vocab=w.law.vocabulary,
    )


@router.get("/declarations/{decl_id}/handler")
def edit_handler(request: Request, v: Read, decl_id: int) -> HTMLResponse:
    _need_write(v)
    _, decl = ws(request).declaration(decl_id)
    return _handler_form(request, v, decl_id, forms.handler_values(decl), {})


@router.post("/declarations/{decl_id}/handler")
async def save_handler(request: Request, v: Write, decl_id: int) -> Response:
    w = ws(request)
    form = await request.form()
    values = {k: str(val) for k, val in form.items() if k != "csrf_token" and isinstance(val, str)}
    expected = revision_field(values.pop("revision", None))
    _, decl = w.declaration(decl_id)
    try:
        new_decl = forms.apply_handler(decl, values)
        w.check(new_decl)
        w.save_declaration(new_decl, v.principal, decl_id=decl_id, expected_revision=expected)
    except Conflict as exc:
        return _handler_form(request, v, decl_id, values, {"_form": str(exc)}, 409, expected)
    except ValidationError as exc:
        return _handler_form(
            request, v, decl_id, values, forms.handler_errors(forms.validation_problems(exc)), 400, expected
        )
    except InputError as exc:
        return _handler_form(
            request,
            v,
            decl_id,
            values,
            forms.handler_errors([str(p) for p in exc.problems] or [str(exc)]),
            400,
            expected,
        )
    return RedirectResponse(f"/declarations/{decl_id}", status_code=303)


@router.get("/declarations/{decl_id}/flows/new")
def new_flow(request: Request, v: Read, decl_id: int) -> HTMLResponse:
    _need_write(v)
    return _flow_form(request, v, decl_id, None, {}, {})


@router.get("/declarations/{decl_id}/flows/{flow_id}")
def edit_flow(request: Request, v: Read, decl_id: int, flow_id: str) -> HTMLResponse:
    _need_write(v)
    _, decl = ws(request).declaration(decl_id)
    flow = next((f for f in decl.flows if f.id == flow_id), None)
    if flow is None:
        raise NotFound(f"declaration #{decl_id} has no flow '{flow_id}'")
    return _flow_form(request, v, decl_id, flow_id, forms.flow_values(flow), {})


@router.post("/declarations/{decl_id}/flows")
async def save_flow(request: Request, v: Write, decl_id: int) -> Response:
    w = ws(request)
    form = await request.form()
    values = {k: str(val) for k, val in form.items() if k != "csrf_token" and isinstance(val, str)}
    original = values.pop("original_id", "") or None
    expected = revision_field(values.pop("revision", None))
    _, decl = w.declaration(decl_id)
    try:
        new_decl, index = forms.apply_flow(decl, values, original)
        w.check(new_decl)
        w.save_declaration(new_decl, v.principal, decl_id=decl_id, expected_revision=expected)
    except Conflict as exc:
        return _flow_form(request, v, decl_id, original, values, {"_form": str(exc)}, 409, expected)
    except ValidationError as exc:
        return _flow_form(
            request,
            v,
            decl_id,
            original,
            values,
            forms.errors_from_validation(exc, index_of(decl, original)),
            400,
            expected,
        )
    except InputError as exc:
        return _flow_form(
            request,
            v,
            decl_id,
            original,
            values,
            forms.errors_from_problems(exc.problems, index),
            400,
            expected,
        )
    return RedirectResponse(f"/declarations/{decl_id}", status_code=303)


def index_of(decl, flow_id: str | None) -> int:
    ids = [f.id for f in decl.flows]
    return ids.index(flow_id) if flow_id in ids else len(ids)


def _need_write(v: Visitor) -> None:
    from ftzlist.web.security import Forbidden

    if not allows(v.principal.role, Permission.write):
        raise Forbidden(Permission.write)


def _download(path: Path, name: str, media_type: str) -> FileResponse:
    """Stream a rendered file and delete it once sent."""
    return FileResponse(
        path, media_type=media_type, filename=name, background=BackgroundTask(path.unlink, missing_ok=True)
    )


@router.get("/declarations/{decl_id}/report.{fmt}")
def report(
    request: Request, v: Read, decl_id: int, fmt: str, as_of: str | None = None, lang: str = "bilingual"
) -> Response:
    from ftzlist.reports import render_report

    if fmt not in REPORT_TYPES or lang not in ("zh", "en", "bilingual"):
        raise NotFound(f"no report format '{fmt}'")
    w = ws(request)
    row, decl = w.declaration(decl_id)
    ds = w.assess(decl, parse_day(as_of), alternatives=False)
    out = _tmp_path(w, f".{fmt}")
    try:
        render_report(ds, decl, w.law, fmt, out, lang=lang)  # type: ignore[arg-type]
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return _download(out, f"{row.handler_key}-report.{fmt}", REPORT_TYPES[fmt])


@router.get("/declarations/{decl_id}/filing.{fmt}")
def filing_materials(request: Request, v: Read, decl_id: int, fmt: str, as_of: str | None = None) -> Response:
    from ftzlist.reports import render_filing

    if fmt not in ("docx", "xlsx"):
        raise NotFound(f"filing materials come as docx or xlsx, not '{fmt}'")
    w = ws(request)
    row, decl = w.declaration(decl_id)
    ds = w.assess(decl, parse_day(as_of), alternatives=False)
    out = _tmp_path(w, f".{fmt}")
    try:
        render_filing(ds, decl, w.law, fmt, out)  # type: ignore[arg-type]
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return _download(out, f"{row.handler_key}-filing.{fmt}", REPORT_TYPES[fmt])


def _tmp_path(w: Workspace, suffix: str) -> Path:
    w.settings.work_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(suffix=suffix, prefix="render-", dir=w.settings.work_dir)
    import os

    os.close(fd)
    return Path(name)


# -- the register -------------------------------------------------------------------------------------


@router.get("/register")
def register_page(request: Request, v: Read, handler: str | None = None) -> HTMLResponse:
    w = ws(request)
    reg = w.register(v.principal)
    procs = reg.list_proceedings(handler or None)
    procedures = sorted(w.procedures.entries.items())
    return render(
        request,
        "register.html",
        v,
        procs=procs,
        procedures=procedures,
        handlers=_handler_flows(w),
        today=w.today(),
    )


def _handler_flows(w: Workspace) -> list[tuple[str, str]]:
    out = []
    for row in w.declarations():
        for f in row.document.get("flows", []):
            out.append((row.handler_key, f["id"]))
    return out


@router.post("/register/open")
def open_proceeding(
    request: Request,
    v: Write,
    target: Annotated[str, Form(max_length=300)],
    procedure: Annotated[str, Form(max_length=300)],
    on: Annotated[str, Form(max_length=10)],
) -> Response:
    w = ws(request)
    handler, _, flow = target.partition("/")
    list_id, _, proc_id = procedure.partition(":")
    reg = w.register(v.principal)
    key = reg.open_proceeding(handler, flow, proc_id, forms.day(on, "on"), list_id=list_id or None)
    return RedirectResponse(f"/register/{quote(key)}", status_code=303)


@router.get("/register/{key}")
def proceeding(request: Request, v: Read, key: str) -> HTMLResponse:
    w = ws(request)
    reg = w.register(v.principal)
    view = reg.show(key, w.today())
    from ftzlist.filings import lifecycle as lc

    proc = w.procedures.get(view.list_id, view.procedure_id)
    return render(
        request,
        "proceeding.html",
        v,
        view=view,
        proc=proc,
        steps=lc.recordable(proc),
        outcomes=sorted(lc.OUTCOMES),
        today=w.today(),
    )


def _back(key: str) -> RedirectResponse:
    return RedirectResponse(f"/register/{quote(key)}", status_code=303)


@router.post("/register/{key}/step")
def record_step(
    request: Request,
    v: Write,
    key: str,
    step_id: Annotated[str, Form(max_length=120)],
    on: Annotated[str, Form(max_length=10)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    ws(request).register(v.principal).record_step(key, step_id, forms.day(on, "on"), note=note or None)
    return _back(key)


@router.post("/register/{key}/opinion")
def record_opinion(
    request: Request,
    v: Write,
    key: str,
    outcome: Annotated[str, Form(max_length=40)],
    on: Annotated[str, Form(max_length=10)],
    pathway: Annotated[str, Form(max_length=60)] = "",
    reference: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    ws(request).register(v.principal).record_opinion(
        key, forms.day(on, "on"), outcome, pathway=pathway or None, reference=reference or None
    )
    return _back(key)


@router.post("/register/{key}/filing")
def record_filing(
    request: Request,
    v: Approve,
    key: str,
    on: Annotated[str, Form(max_length=10)],
    content: Annotated[str, Form(max_length=200_000)],
) -> Response:
    ws(request).register(v.principal).record_filing(key, forms.day(on, "on"), forms.filed_content(content))
    return _back(key)


@router.post("/register/{key}/change")
def record_change(
    request: Request,
    v: Approve,
    key: str,
    on: Annotated[str, Form(max_length=10)],
    content: Annotated[str, Form(max_length=200_000)],
) -> Response:
    _result, new_key = (
        ws(request).register(v.principal).change(key, forms.day(on, "on"), forms.filed_content(content))
    )
    return _back(new_key or key)


@router.post("/register/{key}/renew")
def renew(request: Request, v: Approve, key: str, on: Annotated[str, Form(max_length=10)]) -> Response:
    new = ws(request).register(v.principal).renew(key, forms.day(on, "on"))
    return _back(new)


@router.post("/register/export")
def record_export(
    request: Request,
    v: Write,
    target: Annotated[str, Form(max_length=300)],
    on: Annotated[str, Form(max_length=10)],
    persons: Annotated[str, Form(max_length=12)] = "",
    records: Annotated[str, Form(max_length=12)] = "",
    data_items: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    handler, _, flow = target.partition("/")
    r = (
        ws(request)
        .register(v.principal)
        .record_export(
            handler,
            flow,
            forms.day(on, "on"),
            persons=forms.count(persons, "persons"),
            records=forms.count(records, "records"),
            data_items=[d.strip() for d in data_items.split(",") if d.strip()],
        )
    )
    return RedirectResponse(f"/register/{quote(r.proceeding)}" if r.proceeding else "/due", status_code=303)


@router.post("/register/incident")
def record_incident(
    request: Request,
    v: Write,
    target: Annotated[str, Form(max_length=300)],
    on: Annotated[str, Form(max_length=10)],
    description: Annotated[str, Form(max_length=4000)],
) -> Response:
    handler, _, flow = target.partition("/")
    ws(request).register(v.principal).record_incident(handler, flow, forms.day(on, "on"), description)
    return RedirectResponse("/due", status_code=303)


@router.post("/register/incident/reported")
def incident_reported(
    request: Request,
    v: Write,
    incident_id: Annotated[str, Form(max_length=12)],
    on: Annotated[str, Form(max_length=10)],
) -> Response:
    number = forms.count(incident_id.lstrip("#"), "incident")
    if number is None:
        raise InputError("incident: give the incident number (#)")
    ws(request).register(v.principal).report_incident(number, forms.day(on, "on"))
    return RedirectResponse("/due", status_code=303)


@router.get("/due")
def due_page(request: Request, v: Read, today: str | None = None) -> HTMLResponse:
    w = ws(request)
    day = parse_day(today) or w.today()
    reg = w.register(v.principal)
    return render(
        request,
        "due.html",
        v,
        rows=reg.due(day),
        pending=reg.pending(),
        today=day,
        handlers=_handler_flows(w),
    )


# -- lists ----------------------------------------------------------------------------------------------


@router.get("/lists")
def lists_page(request: Request, v: Read) -> HTMLResponse:
    w = ws(request)
    return render(request, "lists.html", v, lists=list(w.law.lists), sha=w.law.lists.sha256)


@router.get("/lists/diff")
def list_diff(request: Request, v: Read, old: str, new: str) -> HTMLResponse:
    from ftzlist.listdiff.diff import diff_lists

    w = ws(request)
    a, b = w.law.lists.get(old), w.law.lists.get(new)
    return render(request, "list_diff.html", v, old=a, new=b, diff=diff_lists(a, b), lists=list(w.law.lists))


@router.get("/lists/{list_id}")
def list_page(request: Request, v: Read, list_id: str) -> HTMLResponse:
    w = ws(request)
    if list_id not in w.law.lists.by_id:
        raise NotFound(f"no list '{list_id}'")
    lf = w.law.lists.by_id[list_id]
    return render(request, "list.html", v, lf=lf, sha=w.law.lists.sha256[list_id], lists=list(w.law.lists))


# -- audit trail and accounts ---------------------------------------------------------------------------


@router.get("/audit")
def audit_page(request: Request, v: Read, table: str | None = None) -> HTMLResponse:
    w = ws(request)
    entries = w.register(v.principal).audit(table=table or None)
    return render(request, "audit.html", v, entries=list(reversed(entries))[:500], table=table)


@router.get("/admin/users")
def users_page(request: Request, v: Admin) -> HTMLResponse:
    w = ws(request)
    return render(request, "users.html", v, users=w.accounts.users(), tokens=w.accounts.tokens(), error=None)


@router.post("/admin/users")
def add_user(
    request: Request,
    v: Admin,
    name: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=1024)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    w = ws(request)
    try:
        w.accounts.add_user(name, password, role, actor=v.principal.actor)
    except InputError as exc:
        return render(
            request, "users.html", v, 400, users=w.accounts.users(), tokens=w.accounts.tokens(), error=exc
        )
    return RedirectResponse("/admin/users", status_code=303)


# -- counting -------------------------------------------------------------------------------------------


@router.get("/counting")
def counting_page(request: Request, v: Read) -> HTMLResponse:
    w = ws(request)
    return render(
        request,
        "counting.html",
        v,
        runs=request.app.state.counts.all(),
        has_key=w.settings.hash_key is not None,
        today=w.today(),
        error=None,
    )


@router.post("/counting")
async def start_count(request: Request, v: Write) -> Response:
    w = ws(request)
    form = await request.form()
    limit = w.settings.max_log_upload_bytes
    try:
        logs = [
            await read_upload(f, limit)
            for f in form.getlist("logs")
            if isinstance(f, FormFile) and f.filename
        ]
        mapping = form.get("mapping")
        if not isinstance(mapping, FormFile) or not mapping.filename:
            raise InputError("mapping: upload the mapping YAML (which column means what)")
        as_of = parse_day(str(form.get("as_of") or "")) or w.today()
        title = str(form.get("title") or "")[:400]
        run_id = request.app.state.counts.start(
            title,
            as_of,
            logs,
            await read_upload(mapping, w.settings.max_upload_bytes),
            v.principal,
            encoding=str(form.get("encoding") or "utf-8"),
        )
    except InputError as exc:
        return render(
            request,
            "counting.html",
            v,
            400,
            runs=request.app.state.counts.all(),
            has_key=w.settings.hash_key is not None,
            today=w.today(),
            error=exc,
        )
    return RedirectResponse(f"/counting/{run_id}", status_code=303)


@router.get("/counting/{run_id}")
def count_run(request: Request, v: Read, run_id: int) -> HTMLResponse:
    run = request.app.state.counts.get(run_id)
    return render(request, "count_run.html", v, run=run, series=_series(run))


@router.get("/counting/{run_id}/progress")
def count_progress(request: Request, v: Read, run_id: int) -> Response:
    """The progress fragment HTMX polls; when the run has ended, tell the page to reload."""
    run = request.app.state.counts.get(run_id)
    resp = render(request, "_count_progress.html", v, run=run)
    if run.state in ("done", "failed"):
        resp.headers["HX-Refresh"] = "true"
    return resp


def _series(run) -> list:
    if run.result is None:
        return []
    from ftzlist.counting import CountResult
    from ftzlist.reports.model import series_from_count

    return series_from_count(CountResult.model_validate(run.result))


@router.get("/counting/{run_id}/chart/{n}.png")
def count_chart(request: Request, v: Read, run_id: int, n: int) -> Response:
    from ftzlist.reports.charts import count_png

    run = request.app.state.counts.get(run_id)
    series = _series(run)
    if not 0 <= n < len(series):
        raise NotFound(f"count run #{run_id} has no chart {n}")
    s = series[n]
    start = s.start or (min(p.day for p in s.points) if s.points else run.as_of)  # as the report draws it
    png = count_png(
        s.label,
        [(p.day, p.persons) for p in s.points],
        [(t.persons, t.label) for t in s.thresholds],
        start,
        max([run.as_of, *(p.day for p in s.points)]),
    )
    return Response(png, media_type="image/png")
