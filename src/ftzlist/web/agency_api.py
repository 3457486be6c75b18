"""The agency desk's API, `/api/v1/agency` (role `agency`, scoped to one desk; an admin sees every
desk), and the handler's side of it: addressing an application to a desk, the orders a handler has
to comply with, the filing package. Same error shape as `ftzlist.web.api`.

A desk sees only proceedings addressed to it; another desk's proceeding is answered as unknown
(404), so a desk learns nothing of it. A handler-side account scoped to one handler
(`handler:<key>`) sees only that handler's proceedings and orders.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from ftzlist.agency.desk import Desk, DeskScope, parse_scope
from ftzlist.schema.common import Pathway
from ftzlist.web.accounts import Principal
from ftzlist.web.api import (
    ERRORS,
    ApiError,
    Day,
    DueOut,
    Key,
    Model,
    ProceedingDetail,
    ProceedingOut,
    Reader,
    Writer,
    Ws,
    _needs,
    due_out,
    own_filing,
    proceeding_detail,
    proceeding_out,
)
from ftzlist.web.roles import HANDLER_SCOPE, Permission, Role
from ftzlist.web.workspace import NotFound, Workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
router = APIRouter(prefix="/api/v1", responses=ERRORS)  # type: ignore[arg-type]
Agent = Annotated[Principal, Depends(_needs(Permission.agency))]
Today = Annotated[dt.date | None, Query(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def desk_scope(ws: Workspace, p: Principal) -> DeskScope | None:
    """The principal's desk; None (every desk) for an admin."""
    if p.role == Role.admin:
        return parse_scope(p.scope, ws.law) if p.scope and not p.scope.startswith(HANDLER_SCOPE) else None
    if not p.scope or p.scope.startswith(HANDLER_SCOPE):
        raise ApiError(403, "this account serves no desk (ftzlist users add --role agency --area ZONE/AREA)")
    return parse_scope(p.scope, ws.law)


def desk(ws: Workspace, p: Principal) -> Desk:
    return Desk(ws.register(p), ws.law, desk_scope(ws, p))


# -- models -------------------------------------------------------------------------------------------


class QueueOut(Model):
    scope: str
    side: str
    due: DueOut


class AddressIn(Model):
    area: str = Field(min_length=1, max_length=120, description="zone/area (or zone) the application goes to")
    on: Day


class StepIn(Model):
    step_id: str = Field(min_length=1, max_length=120)
    on: Day
    note: str | None = Field(None, max_length=2000)


class OpinionKindOut(Model):
    id: str
    name_zh: str
    name_en: str
    guides_to: list[str]
    may_export: bool
    citation: str


class OpinionIn(Model):
    on: Day
    kind: str = Field(min_length=1, max_length=40, description="an opinion kind the list names")
    pathway: Pathway | None = None
    reference: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)


class ReportUpIn(Model):
    on: Day
    reference: str | None = Field(None, max_length=200)


class ReportOut(Model):
    report_id: int


class IncidentOut(Model):
    id: int
    handler: str
    flow: str
    proceeding: str | None
    scope: str
    discovered_on: dt.date
    description: str
    handler_reported_on: dt.date | None
    reported_up_on: dt.date | None


class SpotCheckIn(Model):
    on: Day
    period_from: Day
    period_to: Day
    count_run_id: int | None = Field(None, ge=1, le=2**31 - 1, description="compare a count run, not exports")


class SpotCheckOut(Model):
    id: int
    proceeding: str
    scope: str
    checked_on: dt.date
    period_from: dt.date
    period_to: dt.date
    basis: str
    basis_ref: str | None
    filing_version: int
    discrepancies: list[dict]
    outcome: str | None
    concluded_on: dt.date | None
    note: str | None


class OrderIn(Model):
    order: str = Field(min_length=1, max_length=60)
    due_on: Day | None = None


class OutcomeIn(Model):
    on: Day
    outcome: Literal["consistent", "inconsistent", "serious"]
    orders: list[OrderIn] = Field(default_factory=list, max_length=10)
    note: str | None = Field(None, max_length=2000)


class OrderOut(Model):
    id: int
    spot_check_id: int
    proceeding: str
    handler: str
    order: str
    name: str
    issued_on: dt.date
    due_on: dt.date | None
    complied_on: dt.date | None
    status: str


class CompliedIn(Model):
    on: Day
    note: str | None = Field(None, max_length=2000)


def _spot_out(ws: Workspace, p: Principal, c) -> SpotCheckOut:
    from sqlalchemy.orm import Session

    from ftzlist.filings.models import Proceeding

    with Session(ws.engine) as s:
        key = s.get(Proceeding, c.proceeding_id).key  # type: ignore[union-attr]
    return SpotCheckOut(
        id=c.id,
        proceeding=key,
        scope=c.scope,
        checked_on=c.checked_on,
        period_from=c.period_from,
        period_to=c.period_to,
        basis=c.basis,
        basis_ref=c.basis_ref,
        filing_version=c.filing_version,
        discrepancies=c.discrepancies,
        outcome=c.outcome,
        concluded_on=c.concluded_on,
        note=c.note,
    )


# -- the agency's endpoints ----------------------------------------------------------------------------


@router.get("/agency/queue", response_model=list[QueueOut], summary="The desk's clocks: overdue first")
def queue(p: Agent, ws: Ws, today: Today = None) -> list[QueueOut]:
    return [
        QueueOut(scope=r.scope, side=r.side, due=due_out(r.due))
        for r in desk(ws, p).queue(today or ws.today())
    ]


@router.get(
    "/agency/filings", response_model=list[ProceedingOut], summary="Proceedings addressed to the desk"
)
def agency_filings(p: Agent, ws: Ws) -> list[ProceedingOut]:
    return [proceeding_out(v) for v in desk(ws, p).proceedings()]


@router.get("/agency/filings/{key}", response_model=ProceedingDetail, summary="One proceeding of the desk")
def agency_filing(p: Agent, ws: Ws, key: Key) -> ProceedingDetail:
    return proceeding_detail(desk(ws, p).show(key, ws.today()))


@router.get(
    "/agency/filings/{key}/opinion-kinds",
    response_model=list[OpinionKindOut],
    summary="Opinion kinds the list names",
)
def opinion_kinds(p: Agent, ws: Ws, key: Key) -> list[OpinionKindOut]:
    return [
        OpinionKindOut(
            id=o.id,
            name_zh=o.name.zh,
            name_en=o.name.en,
            guides_to=[str(g) for g in o.guides_to],
            may_export=o.may_export,
            citation=o.citation.label.en if o.citation.label else o.citation.ref,
        )
        for o in desk(ws, p).opinion_kinds(key)
    ]


@router.post("/agency/filings/{key}/steps", response_model=ProceedingDetail, summary="Record an agency step")
def agency_step(p: Agent, ws: Ws, key: Key, body: StepIn) -> ProceedingDetail:
    d = desk(ws, p)
    d.record_step(key, body.step_id, body.on, note=body.note)
    return proceeding_detail(d.show(key, ws.today()))


@router.post("/agency/filings/{key}/opinion", response_model=ProceedingDetail, summary="Issue the opinion")
def agency_opinion(p: Agent, ws: Ws, key: Key, body: OpinionIn) -> ProceedingDetail:
    d = desk(ws, p)
    d.record_opinion(
        key,
        body.on,
        body.kind,
        pathway=body.pathway.value if body.pathway else None,
        reference=body.reference,
        note=body.note,
    )
    return proceeding_detail(d.show(key, ws.today()))


@router.post(
    "/agency/filings/{key}/opinion/report-up",
    response_model=ReportOut,
    status_code=201,
    summary="Record that the opinion was filed with the authority above",
)
def opinion_up(p: Agent, ws: Ws, key: Key, body: ReportUpIn) -> ReportOut:
    return ReportOut(report_id=desk(ws, p).report_opinion_up(key, body.on, reference=body.reference))


@router.get("/agency/incidents", response_model=list[IncidentOut], summary="Incidents on the desk's flows")
def incidents(p: Agent, ws: Ws) -> list[IncidentOut]:
    return [IncidentOut(**vars(i)) for i in desk(ws, p).incidents()]


@router.post(
    "/agency/incidents/{incident_id}/report-up",
    response_model=ReportOut,
    status_code=201,
    summary="Record the report of an incident to the authority above",
)
def incident_up(p: Agent, ws: Ws, incident_id: Id, body: ReportUpIn) -> ReportOut:
    return ReportOut(report_id=desk(ws, p).report_incident_up(incident_id, body.on, reference=body.reference))


@router.post(
    "/agency/filings/{key}/spot-checks",
    response_model=SpotCheckOut,
    status_code=201,
    summary="Spot-check actual exports against the filing",
)
def spot_check(p: Agent, ws: Ws, request: Request, key: Key, body: SpotCheckIn) -> SpotCheckOut:
    d = desk(ws, p)
    result, ref = None, None
    if body.count_run_id is not None:
        run = request.app.state.counts.get(body.count_run_id)
        if run.result is None:
            raise NotFound(f"no finished count run #{body.count_run_id}")
        result, ref = run.result, f"count run #{run.id} {run.result.get('run_id', '')}".strip()
    cid = d.spot_check(key, body.on, body.period_from, body.period_to, count_result=result, count_ref=ref)
    return next(_spot_out(ws, p, c) for c in d.spot_checks() if c.id == cid)


@router.get("/agency/spot-checks", response_model=list[SpotCheckOut], summary="The desk's spot-checks")
def spot_checks(p: Agent, ws: Ws) -> list[SpotCheckOut]:
    return [_spot_out(ws, p, c) for c in desk(ws, p).spot_checks()]


@router.post(
    "/agency/spot-checks/{check_id}/outcome", response_model=list[OrderOut], summary="Conclude a spot-check"
)
def spot_outcome(p: Agent, ws: Ws, check_id: Id, body: OutcomeIn) -> list[OrderOut]:
    d = desk(ws, p)
    ids = d.conclude(
        check_id, body.on, body.outcome, orders=[(o.order, o.due_on) for o in body.orders], note=body.note
    )
    return [OrderOut(**vars(o)) for o in d.orders(body.on) if o.id in ids]


@router.post(
    "/agency/spot-checks/{check_id}/report-up",
    response_model=ReportOut,
    status_code=201,
    summary="Record the report of a serious case to the authority above",
)
def spot_up(p: Agent, ws: Ws, check_id: Id, body: ReportUpIn) -> ReportOut:
    return ReportOut(report_id=desk(ws, p).report_spot_check_up(check_id, body.on, reference=body.reference))


@router.get("/agency/orders", response_model=list[OrderOut], summary="Orders on the desk's proceedings")
def agency_orders(p: Agent, ws: Ws, today: Today = None) -> list[OrderOut]:
    return [OrderOut(**vars(o)) for o in desk(ws, p).orders(today or ws.today())]


@router.post("/agency/orders/{order_id}/complied", response_model=OrderOut, summary="Confirm compliance")
def complied(p: Agent, ws: Ws, order_id: Id, body: CompliedIn) -> OrderOut:
    d = desk(ws, p)
    d.comply(order_id, body.on, note=body.note)
    return next(OrderOut(**vars(o)) for o in d.orders(body.on) if o.id == order_id)


class PackageOut(Model):
    key: str


@router.get(
    "/agency/report",
    summary="The six-monthly implementation report (XLSX or PDF)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "application/pdf": {}}}},
)
def half_year_report(
    p: Agent,
    ws: Ws,
    half: Annotated[str, Query(min_length=6, max_length=7, pattern=r"^\d{4}-?[Hh][12]$")],
    format: Annotated[Literal["xlsx", "pdf"], Query()] = "pdf",
) -> Response:
    import tempfile
    from pathlib import Path

    from ftzlist.agency.halfyear import figures, half_year, write_pdf, write_xlsx

    period = half_year(half)
    report = figures(desk(ws, p), period, ws.today())
    with tempfile.TemporaryDirectory(
        dir=ws.settings.work_dir if ws.settings.work_dir.exists() else None
    ) as tmp:
        path = Path(tmp) / f"report.{format}"
        (write_xlsx if format == "xlsx" else write_pdf)(report, path)
        data = path.read_bytes()
    name = f"{report.desk.replace('/', '-')}-{period.label}.{format}"
    media = XLSX if format == "xlsx" else "application/pdf"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post(
    "/agency/packages",
    response_model=PackageOut,
    status_code=201,
    summary="Import a filing package (zip body): hashes checked, proceeding rebuilt at this desk",
)
async def import_package(p: Agent, ws: Ws, request: Request) -> PackageOut:
    from starlette.concurrency import run_in_threadpool

    from ftzlist.agency.package import import_package as run_import

    data = await request.body()
    key = await run_in_threadpool(run_import, desk(ws, p), data, where="package")
    return PackageOut(key=key)


# -- the handler's side ---------------------------------------------------------------------------------


@router.post(
    "/filings/{key}/address", response_model=ProceedingDetail, summary="Address the application to a desk"
)
def address(p: Writer, ws: Ws, key: Key, body: AddressIn) -> ProceedingDetail:
    own_filing(ws, p, key)
    reg = ws.register(p)
    Desk(reg, ws.law, None).address(key, body.area, body.on)
    return proceeding_detail(reg.show(key, ws.today()))


@router.get(
    "/filings/{key}/package",
    summary="The filing package (zip) to send to an agency on another deployment",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}},
)
def export_package(p: Reader, ws: Ws, key: Key) -> Response:
    import tempfile
    from pathlib import Path

    from ftzlist.agency.package import export_package as run_export

    own_filing(ws, p, key)
    with tempfile.TemporaryDirectory() as tmp:
        data = run_export(ws.register(p), key, Path(tmp) / "package.zip").read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="{key}.zip"'}
    return Response(data, media_type="application/zip", headers=headers)


@router.get("/orders", response_model=list[OrderOut], summary="Orders the handler must comply with")
def handler_orders(p: Reader, ws: Ws, today: Today = None) -> list[OrderOut]:
    d = Desk(ws.register(p), ws.law, None)
    mine = p.handler
    return [OrderOut(**vars(o)) for o in d.orders(today or ws.today()) if mine is None or o.handler == mine]
