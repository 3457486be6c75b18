"""The API for scripts: `/api/v1`, bearer tokens (`ftzlist tokens create`), OpenAPI at
`/api/openapi.json`. An assessment is the same JSON as `ftzlist assess --format json`.

Errors are JSON `{"detail": ..., "problems": [...]}`: 400 bad input (the message names the field,
as the CLI does), 401 no or bad token, 403 the token's role does not allow it, 404 unknown record,
412 an If-Match revision that is no longer current, 422 a body or parameter that does not fit its
schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ftzlist.compare.matrix import Comparison
from ftzlist.filings.content import FiledContent
from ftzlist.filings.register import DueRow, ProceedingView
from ftzlist.schema.common import Pathway, Text
from ftzlist.schema.decision import DecisionSet
from ftzlist.schema.declaration import Declaration
from ftzlist.web.accounts import Principal
from ftzlist.web.roles import Permission, allows
from ftzlist.web.workspace import ID_MAX, NotFound, Workspace

# Dates the register counts from: a bounded range keeps every deadline computable.
Day = Annotated[dt.date, Field(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))]
Key = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9._-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class ApiError(Exception):
    def __init__(self, status: int, detail: str, problems: list[str] | None = None):
        self.status, self.detail, self.problems = status, detail, problems or []


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Model):
    detail: str
    problems: list[str] = Field(default_factory=list)


ERRORS = {
    400: {"model": ErrorOut, "description": "Bad input; the message names the field."},
    401: {"model": ErrorOut, "description": "No valid bearer token."},
    403: {"model": ErrorOut, "description": "The token's role does not allow this."},
    404: {"model": ErrorOut, "description": "No such record."},
}

bearer = HTTPBearer(auto_error=False, description="A token from `ftzlist tokens create`.")


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def _principal(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise ApiError(401, "send Authorization: Bearer <token> (ftzlist tokens create)")
    p = workspace(request).accounts.by_token(creds.credentials)
    if p is None:
        raise ApiError(401, "unknown or revoked token")
    return p


def _needs(permission: Permission):
    def dep(p: Annotated[Principal, Depends(_principal)]) -> Principal:
        if not allows(p.role, permission):
            raise ApiError(403, f"role {p.role} may not {permission.value}")
        return p

    return dep


def own_handler(p: Principal, handler: str) -> None:
    """A handler-side account scoped to one handler (`handler:<key>`) never reaches another
    handler's records: they are answered as unknown, so it learns nothing of them."""
    if p.handler is not None and p.handler != handler:
        raise NotFound(f"unknown handler '{handler}'")


def own_filing(ws: Workspace, p: Principal, key: str) -> None:
    """As `own_handler`, for a proceeding named by its key."""
    if p.handler is not None and ws.register(p).show(key, ws.today()).handler != p.handler:
        raise NotFound(f"unknown filing '{key}'")


Reader = Annotated[Principal, Depends(_needs(Permission.read))]
Writer = Annotated[Principal, Depends(_needs(Permission.write))]
Approver = Annotated[Principal, Depends(_needs(Permission.approve))]
Ws = Annotated[Workspace, Depends(workspace)]
AsOf = Annotated[
    dt.date | None,
    Query(
        description="Assessment date (default: the declaration's as_of, else today).",
        ge=dt.date(2000, 1, 1),
        le=dt.date(2099, 12, 31),
    ),
]

router = APIRouter(prefix="/api/v1", responses=ERRORS)  # type: ignore[arg-type]


# -- models -----------------------------------------------------------------------------------------


class Me(Model):
    name: str
    role: str
    scope: str | None
    via: str


class DeclarationOut(Model):
    id: int
    handler_key: str
    title: str
    revision: int
    flows: list[str]
    updated_at: dt.datetime
    updated_by: str


class SnapshotOut(Model):
    flow: str
    snapshot_id: int


class DueOut(Model):
    proceeding: str | None
    handler: str
    flow: str
    procedure: str
    kind: str
    title: str
    actor: str
    optional: bool
    opens_on: dt.date | None
    due_on: dt.date
    provisional: bool
    provisional_reason: str | None
    rule: str
    citation: str | None
    status: str
    days_left: int


class StepOut(Model):
    step_id: str
    on: dt.date
    outcome: str | None
    export_id: int | None


class OpinionOut(Model):
    step_id: str
    on: dt.date
    outcome: str
    pathway: str | None


class ExportRow(Model):
    id: int
    on: dt.date
    persons: int | None
    records: int | None


class ProceedingOut(Model):
    key: str
    handler: str
    flow: str
    list_id: str
    procedure_id: str
    procedure_name: str
    model: str
    kind: str
    state: str
    opened_on: dt.date
    follows: str | None
    parent: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid_until_provisional: bool


class ProceedingDetail(ProceedingOut):
    steps: list[StepOut]
    filings: list[dict]
    opinions: list[OpinionOut]
    exports: list[ExportRow]
    deadlines: list[DueOut]
    next_steps: list[str]


class OpenIn(Model):
    handler: Name
    flow: Name
    procedure: str = Field(
        min_length=1, max_length=120, description="Procedure id from a list file, e.g. fj.list_filing."
    )
    on: Day
    list_id: str | None = Field(None, max_length=120)
    parent: str | None = Field(None, max_length=60)


class FilingIn(Model):
    on: Day
    content: FiledContent
    step_id: str | None = Field(None, max_length=120)


class StepIn(Model):
    step_id: str = Field(min_length=1, max_length=120)
    on: Day
    outcome: str | None = Field(None, max_length=40)
    note: str | None = Field(None, max_length=2000)
    export_id: int | None = Field(None, ge=1, le=2**31 - 1)


class OpinionIn(Model):
    on: Day
    outcome: Literal["approved", "on_list", "off_list", "passed", "filed", "rejected", "not_applicable"]
    pathway: Pathway | None = None
    reference: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)


class RenewIn(Model):
    on: Day


class ExportIn(Model):
    handler: Name
    flow: Name
    on: Day
    persons: int | None = Field(None, ge=0, le=2**31 - 1)
    records: int | None = Field(None, ge=0, le=2**31 - 1)
    data_items: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=200
    )
    recipient_name: str | None = Field(None, max_length=400)
    recipient_country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    note: str | None = Field(None, max_length=2000)


class ExportOut(Model):
    export_id: int
    proceeding: str | None
    inconsistencies: list[str]
    deadlines: list[DueOut]


class IncidentIn(Model):
    handler: Name
    flow: Name
    discovered_on: Day
    description: str = Field(min_length=1, max_length=4000)


class IncidentOut(Model):
    incident_id: int


class ListOut(Model):
    id: str
    family: str
    kind: str
    title: Text
    effective_from: dt.date
    effective_to: dt.date | None
    sha256: str
    items: int
    coverage_complete: bool


# -- converters -------------------------------------------------------------------------------------


def due_out(r: DueRow) -> DueOut:
    return DueOut(**{k: getattr(r, k) for k in DueOut.model_fields})


def proceeding_out(v: ProceedingView) -> ProceedingOut:
    return ProceedingOut(**{k: getattr(v, k) for k in ProceedingOut.model_fields})


def proceeding_detail(v: ProceedingView) -> ProceedingDetail:
    base = {k: getattr(v, k) for k in ProceedingOut.model_fields}
    return ProceedingDetail(
        **base,
        steps=[StepOut(step_id=a, on=b, outcome=c, export_id=d) for a, b, c, d in v.steps],
        filings=v.filings,
        opinions=[OpinionOut(step_id=a, on=b, outcome=c, pathway=d) for a, b, c, d in v.opinions],
        exports=[ExportRow(id=a, on=b, persons=c, records=d) for a, b, c, d in v.exports],
        deadlines=[due_out(r) for r in v.deadlines],
        next_steps=v.next_steps,
    )


def declaration_out(ws: Workspace, decl_id: int) -> DeclarationOut:
    row, decl = ws.declaration(decl_id)
    return DeclarationOut(
        id=row.id,
        handler_key=row.handler_key,
        title=row.title,
        revision=row.revision,
        flows=[f.id for f in decl.flows],
        updated_at=row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=dt.UTC),
        updated_by=row.updated_by,
    )


def list_out(ws: Workspace, lf) -> ListOut:
    return ListOut(
        id=lf.id,
        family=lf.family,
        kind=lf.kind,
        title=lf.title,
        effective_from=lf.effective_from,
        effective_to=lf.effective_to,
        sha256=ws.law.lists.sha256[lf.id],
        items=len(lf.items),
        coverage_complete=lf.coverage.complete,
    )


DeclId = Annotated[int, Path(ge=1, le=ID_MAX)]
IfMatch = Annotated[
    str | None,
    Header(
        max_length=200,
        description='The revision you read (the ETag of GET /declarations/{id}, e.g. "3"): the '
        "request is refused with 412 if the declaration has changed since, and nothing is saved.",
    ),
]
PRECONDITION = {
    412: {"model": ErrorOut, "description": "If-Match names a revision that is no longer current."}
}


def if_match_revision(value: str | None) -> int | None:
    """The revision an If-Match header names ("3", W/"3" or *), None when there is none or `*`."""
    if value is None or value.strip() == "*":
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 10:
        raise ApiError(400, f"If-Match: '{value[:40]}' is not a revision (the ETag of the declaration)")
    return int(text)


# -- endpoints --------------------------------------------------------------------------------------


@router.get("/me", response_model=Me, summary="Who the token belongs to")
def me(p: Reader) -> Me:
    return Me(name=p.name, role=p.role, scope=p.scope, via=p.via)


@router.get("/declarations", response_model=list[DeclarationOut], summary="Every stored declaration")
def declarations(p: Reader, ws: Ws) -> list[DeclarationOut]:
    return [declaration_out(ws, row.id) for row in ws.declarations()]


@router.post("/declarations", response_model=DeclarationOut, status_code=201, summary="Store a declaration")
def create_declaration(p: Writer, ws: Ws, decl: Annotated[Declaration, Body()]) -> DeclarationOut:
    return declaration_out(ws, ws.save_declaration(decl, p))


@router.get("/declarations/{decl_id}", response_model=Declaration, summary="A stored declaration")
def get_declaration(p: Reader, ws: Ws, decl_id: DeclId, response: Response) -> Declaration:
    row, decl = ws.declaration(decl_id)
    response.headers["ETag"] = f'"{row.revision}"'  # send it back as If-Match with PUT or a sign-off
    return decl


@router.put(
    "/declarations/{decl_id}",
    response_model=DeclarationOut,
    summary="Replace a declaration (new revision)",
    responses=PRECONDITION,  # type: ignore[arg-type]
)
def put_declaration(
    p: Writer, ws: Ws, decl_id: DeclId, decl: Annotated[Declaration, Body()], if_match: IfMatch = None
) -> DeclarationOut:
    expected = if_match_revision(if_match)
    return declaration_out(ws, ws.save_declaration(decl, p, decl_id=decl_id, expected_revision=expected))


@router.get(
    "/declarations/{decl_id}/assessment",
    response_model=DecisionSet,
    summary="The assessment: the same JSON as `ftzlist assess --format json`",
)
def assessment(p: Reader, ws: Ws, decl_id: DeclId, as_of: AsOf = None) -> DecisionSet:
    return ws.assess(ws.declaration(decl_id)[1], as_of)


@router.post(
    "/declarations/{decl_id}/snapshots",
    response_model=list[SnapshotOut],
    status_code=201,
    summary="Sign off: keep each flow's decision in the register (approver)",
    responses=PRECONDITION,  # type: ignore[arg-type]
)
def snapshot(
    p: Approver, ws: Ws, decl_id: DeclId, as_of: AsOf = None, if_match: IfMatch = None
) -> list[SnapshotOut]:
    kept = ws.snapshot(decl_id, as_of, p, expected_revision=if_match_revision(if_match))
    return [SnapshotOut(flow=f, snapshot_id=i) for f, i in kept]


@router.post("/assess", response_model=DecisionSet, summary="Assess a declaration without storing it")
def assess(p: Reader, ws: Ws, decl: Annotated[Declaration, Body()], as_of: AsOf = None) -> DecisionSet:
    ws.check(decl)
    return ws.assess(decl, as_of)


@router.get(
    "/declarations/{decl_id}/comparison", response_model=Comparison, summary="The declaration in every zone"
)
def comparison(p: Reader, ws: Ws, decl_id: DeclId, as_of: AsOf = None) -> Comparison:
    from ftzlist.compare import compare

    decl = ws.declaration(decl_id)[1]
    return compare(decl, ws.law, as_of or decl.as_of or ws.today())


@router.get("/filings", response_model=list[ProceedingOut], summary="Every proceeding in the register")
def filings(
    p: Reader, ws: Ws, handler: Annotated[str | None, Query(max_length=120)] = None
) -> list[ProceedingOut]:
    if handler is not None:
        own_handler(p, handler)
    return [proceeding_out(v) for v in ws.register(p).list_proceedings(handler or p.handler)]


@router.post(
    "/filings", response_model=ProceedingDetail, status_code=201, summary="Open a proceeding (an application)"
)
def open_filing(p: Writer, ws: Ws, body: OpenIn) -> ProceedingDetail:
    own_handler(p, body.handler)
    reg = ws.register(p)
    reg.ensure_handler(body.handler)
    reg.add_flow(body.handler, body.flow, exist_ok=True)
    key = reg.open_proceeding(
        body.handler, body.flow, body.procedure, body.on, list_id=body.list_id, parent=body.parent
    )
    return proceeding_detail(reg.show(key, ws.today()))


@router.get("/filings/{key}", response_model=ProceedingDetail, summary="One proceeding")
def filing(p: Reader, ws: Ws, key: Key) -> ProceedingDetail:
    own_filing(ws, p, key)
    return proceeding_detail(ws.register(p).show(key, ws.today()))


@router.post(
    "/filings/{key}/filing",
    response_model=ProceedingDetail,
    summary="Sign off and record what was filed (approver)",
)
def record_filing(p: Approver, ws: Ws, key: Key, body: FilingIn) -> ProceedingDetail:
    own_filing(ws, p, key)
    reg = ws.register(p)
    reg.record_filing(key, body.on, body.content, step_id=body.step_id)
    return proceeding_detail(reg.show(key, ws.today()))


@router.post(
    "/filings/{key}/steps", response_model=ProceedingDetail, summary="Record a dated step (notice, report)"
)
def record_step(p: Writer, ws: Ws, key: Key, body: StepIn) -> ProceedingDetail:
    own_filing(ws, p, key)
    reg = ws.register(p)
    reg.record_step(
        key, body.step_id, body.on, outcome=body.outcome, note=body.note, export_id=body.export_id
    )
    return proceeding_detail(reg.show(key, ws.today()))


@router.post(
    "/filings/{key}/opinions", response_model=ProceedingDetail, summary="Record an authority's opinion"
)
def record_opinion(p: Writer, ws: Ws, key: Key, body: OpinionIn) -> ProceedingDetail:
    own_filing(ws, p, key)
    reg = ws.register(p)
    pathway = body.pathway.value if body.pathway else None
    reg.record_opinion(key, body.on, body.outcome, pathway=pathway, reference=body.reference, note=body.note)
    return proceeding_detail(reg.show(key, ws.today()))


@router.post(
    "/filings/{key}/renewal",
    response_model=ProceedingDetail,
    status_code=201,
    summary="Sign off a renewal application (approver)",
)
def renew(p: Approver, ws: Ws, key: Key, body: RenewIn) -> ProceedingDetail:
    own_filing(ws, p, key)
    reg = ws.register(p)
    new = reg.renew(key, body.on)
    return proceeding_detail(reg.show(new, ws.today()))


@router.post("/exports", response_model=ExportOut, status_code=201, summary="Record an actual export")
def record_export(p: Writer, ws: Ws, body: ExportIn) -> ExportOut:
    own_handler(p, body.handler)
    r = ws.register(p).record_export(
        body.handler,
        body.flow,
        body.on,
        persons=body.persons,
        records=body.records,
        data_items=body.data_items,
        recipient_name=body.recipient_name,
        recipient_country=body.recipient_country,
        note=body.note,
    )
    return ExportOut(
        export_id=r.export_id,
        proceeding=r.proceeding,
        inconsistencies=list(r.inconsistencies),
        deadlines=[due_out(d) for d in r.deadlines],
    )


@router.post("/incidents", response_model=IncidentOut, status_code=201, summary="Record a security incident")
def record_incident(p: Writer, ws: Ws, body: IncidentIn) -> IncidentOut:
    own_handler(p, body.handler)
    return IncidentOut(
        incident_id=ws.register(p).record_incident(
            body.handler, body.flow, body.discovered_on, body.description
        )
    )


@router.get("/due", response_model=list[DueOut], summary="Everything owed: overdue first")
def due(
    p: Reader,
    ws: Ws,
    today: Annotated[dt.date | None, Query(ge=dt.date(2000, 1, 1), le=dt.date(2099, 12, 31))] = None,
    within_days: Annotated[int | None, Query(ge=0, le=3660)] = None,
) -> list[DueOut]:
    rows = ws.register(p).due(today or ws.today(), within_days=within_days)
    return [due_out(r) for r in rows if p.handler is None or r.handler == p.handler]


@router.get("/lists", response_model=list[ListOut], summary="Every list version loaded")
def lists(p: Reader, ws: Ws) -> list[ListOut]:
    return [list_out(ws, lf) for lf in ws.law.lists]


@router.get("/lists/{list_id}", response_model=ListOut, summary="One list version")
def one_list(p: Reader, ws: Ws, list_id: Annotated[str, Path(max_length=120)]) -> ListOut:
    if list_id not in ws.law.lists.by_id:
        raise ApiError(404, f"no list '{list_id}'")
    return list_out(ws, ws.law.lists.by_id[list_id])
