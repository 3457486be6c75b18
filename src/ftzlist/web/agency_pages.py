"""The agency desk in the browser (read-only for now): the queue with its clocks, incidents and
orders of the signed-in agency account's desk. Actions go through `/api/v1/agency` or
`ftzlist agency` (docs/agency.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ftzlist.web.agency_api import desk
from ftzlist.web.pages import parse_day, render, ws
from ftzlist.web.roles import Permission
from ftzlist.web.security import Visitor, need

router = APIRouter(include_in_schema=False)


def agent(request: Request) -> Visitor:
    """Dependency: a signed-in account with the agency permission."""
    return need(request, Permission.agency)


@router.get("/agency")
def desk_page(
    request: Request, v: Annotated[Visitor, Depends(agent)], today: str | None = None
) -> HTMLResponse:
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
    )
