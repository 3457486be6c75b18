"""The agency desk in the browser: the queue with its clocks, and every desk action of
`ftzlist.agency.desk` as a form (record a step such as the written notice, issue an opinion of a
kind the list names, file it upward, spot-check a filing and conclude it with orders, confirm
rectification, report an incident up, download the six-monthly report, import a filing package).

Every POST needs the session's CSRF token and the agency permission; an account of another desk is
answered for a proceeding of this desk exactly as for an unknown key (the desk's own check)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ftzlist.errors import InputError
from ftzlist.web import forms
from ftzlist.web.agency_api import desk
from ftzlist.web.pages import parse_day, read_upload, render, ws
from ftzlist.web.roles import Permission
from ftzlist.web.security import Visitor, check_csrf, need

router = APIRouter(include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def agent(request: Request) -> Visitor:
    """Dependency: a signed-in account with the agency permission."""
    return need(request, Permission.agency)


async def agent_post(request: Request) -> Visitor:
    """Dependency: an agency account posting with its session's CSRF token."""
    v = need(request, Permission.agency)
    await check_csrf(request, v.csrf)
    return v


Agent = Annotated[Visitor, Depends(agent)]
Act = Annotated[Visitor, Depends(agent_post)]
DayField = Annotated[str, Form(max_length=10)]


def _to(key: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"/agency/filings/{quote(key)}" if key else "/agency", status_code=303)


def _number(text: str, what: str) -> int:
    n = forms.count(text.lstrip("#"), what)
    if n is None or n < 1:
        raise InputError(f"{what}: give a number (1 or more)")
    return n


@router.get("/agency")
def desk_page(request: Request, v: Agent, today: str | None = None) -> HTMLResponse:
    w = ws(request)
    day = parse_day(today) or w.today()
    d = desk(w, v.principal)
    return render(
        request,
        "agency.html",
        v,
        today=day,
        desk=str(d.scope) if d.scope else "all desks",
        rows=d.queue(day),
        incidents=d.incidents(),
        orders=d.orders(day),
        proceedings=d.proceedings(),
    )


@router.get("/agency/filings/{key}")
def desk_proceeding(request: Request, v: Agent, key: str) -> HTMLResponse:
    w = ws(request)
    d = desk(w, v.principal)
    view = d.show(key, w.today())
    proc = w.procedures.get(view.list_id, view.procedure_id)
    steps = [s for s in proc.steps if s.actor == "authority" and not s.outcomes]
    kinds = d.opinion_kinds(key) if any(s.outcomes for s in proc.steps) else []
    pid = _proceeding_id(d, key)
    checks = [c for c in d.spot_checks() if c.proceeding_id == pid]
    return render(
        request,
        "agency_proceeding.html",
        v,
        view=view,
        proc=proc,
        steps=steps,
        kinds=kinds,
        agency=proc.agency,
        checks=checks,
        orders=[o for o in d.orders(w.today()) if o.proceeding == key],
        today=w.today(),
    )


def _proceeding_id(d, key: str) -> int:
    from sqlalchemy import select

    from ftzlist.filings.models import Proceeding

    with d.reading() as s:
        return s.scalar(select(Proceeding.id).where(Proceeding.key == key)) or 0


@router.post("/agency/filings/{key}/step")
def desk_step(
    request: Request,
    v: Act,
    key: str,
    step_id: Annotated[str, Form(max_length=120)],
    on: DayField,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    desk(ws(request), v.principal).record_step(key, step_id, forms.day(on, "on"), note=note or None)
    return _to(key)


@router.post("/agency/filings/{key}/opinion")
def desk_opinion(
    request: Request,
    v: Act,
    key: str,
    kind: Annotated[str, Form(max_length=40)],
    on: DayField,
    pathway: Annotated[str, Form(max_length=60)] = "",
    reference: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    desk(ws(request), v.principal).record_opinion(
        key,
        forms.day(on, "on"),
        kind,
        pathway=pathway or None,
        reference=reference or None,
        note=note or None,
    )
    return _to(key)


@router.post("/agency/filings/{key}/opinion/report-up")
def desk_opinion_up(
    request: Request, v: Act, key: str, on: DayField, reference: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    desk(ws(request), v.principal).report_opinion_up(key, forms.day(on, "on"), reference=reference or None)
    return _to(key)


@router.post("/agency/filings/{key}/spot-check")
def desk_spot_check(
    request: Request,
    v: Act,
    key: str,
    on: DayField,
    period_from: DayField,
    period_to: DayField,
    count_run: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    w = ws(request)
    result, ref = None, None
    if count_run.strip():
        run = request.app.state.counts.get(_number(count_run, "count run"))
        if run.result is None:
            raise InputError(f"count run #{run.id} has not finished")
        result, ref = run.result, f"count run #{run.id} {run.result.get('run_id', '')}".strip()
    desk(w, v.principal).spot_check(
        key,
        forms.day(on, "on"),
        forms.day(period_from, "period_from"),
        forms.day(period_to, "period_to"),
        count_result=result,
        count_ref=ref,
    )
    return _to(key)


@router.post("/agency/spot-checks/{check_id}/outcome")
def desk_conclude(
    request: Request,
    v: Act,
    check_id: int,
    key: Annotated[str, Form(max_length=40)],
    on: DayField,
    outcome: Annotated[str, Form(max_length=20)],
    order: Annotated[str, Form(max_length=60)] = "",
    due_on: DayField = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    orders = [(order, forms.day(due_on, "due_on") if due_on else None)] if order else []
    desk(ws(request), v.principal).conclude(
        check_id, forms.day(on, "on"), outcome, orders=orders, note=note or None
    )
    return _to(key)


@router.post("/agency/spot-checks/{check_id}/report-up")
def desk_spot_up(
    request: Request,
    v: Act,
    check_id: int,
    key: Annotated[str, Form(max_length=40)],
    on: DayField,
    reference: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    desk(ws(request), v.principal).report_spot_check_up(
        check_id, forms.day(on, "on"), reference=reference or None
    )
    return _to(key)


@router.post("/agency/orders/{order_id}/complied")
def desk_complied(
    request: Request,
    v: Act,
    order_id: int,
    on: DayField,
    note: Annotated[str, Form(max_length=2000)] = "",
    key: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    desk(ws(request), v.principal).comply(order_id, forms.day(on, "on"), note=note or None)
    return _to(key or None)


@router.post("/agency/incidents/{incident_id}/report-up")
def desk_incident_up(
    request: Request,
    v: Act,
    incident_id: int,
    on: DayField,
    reference: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    desk(ws(request), v.principal).report_incident_up(
        incident_id, forms.day(on, "on"), reference=reference or None
    )
    return _to()


@router.get("/agency/report")
def desk_report(request: Request, v: Agent, half: str, format: str = "pdf") -> Response:
    """The six-monthly implementation report (Fujian Art. 17) as a download."""
    import tempfile
    from pathlib import Path

    from ftzlist.agency.halfyear import figures, half_year, write_pdf, write_xlsx

    if format not in ("pdf", "xlsx"):
        raise InputError(f"format '{format[:10]}': pdf or xlsx")
    w = ws(request)
    period = half_year(half[:10])
    report = figures(desk(w, v.principal), period, w.today())
    with tempfile.TemporaryDirectory(
        dir=w.settings.work_dir if w.settings.work_dir.exists() else None
    ) as tmp:
        path = Path(tmp) / f"report.{format}"
        (write_xlsx if format == "xlsx" else write_pdf)(report, path)
        data = path.read_bytes()
    name = f"{report.desk.replace('/', '-')}-{period.label}.{format}"
    media = XLSX if format == "xlsx" else "application/pdf"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/agency/packages")
async def desk_import(request: Request, v: Act, file: UploadFile) -> Response:
    from starlette.concurrency import run_in_threadpool

    from ftzlist.agency.package import import_package

    w = ws(request)
    upload = await read_upload(file, w.settings.max_upload_bytes)
    key = await run_in_threadpool(import_package, desk(w, v.principal), upload.data, where=upload.filename)
    return _to(key)
