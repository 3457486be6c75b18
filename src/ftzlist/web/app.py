"""`create_app(settings)`: the FastAPI application behind `ftzlist serve`.

Pages at `/`, the API at `/api/v1` (OpenAPI at `/api/openapi.json`; no Swagger UI, which would
load scripts from elsewhere), static files (HTMX, the style sheet) from the package itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ftzlist import __version__
from ftzlist.errors import InputError
from ftzlist.law.reasons import said
from ftzlist.render.labels import OUTCOMES, PATHWAYS
from ftzlist.web import agency_api, agency_pages, api, pages
from ftzlist.web.countruns import CountRuns
from ftzlist.web.i18n import pick_lang, word
from ftzlist.web.security import (
    LANG_COOKIE,
    CsrfFailed,
    Forbidden,
    LoginRequired,
    SecurityHeaders,
    session_visitor,
)
from ftzlist.web.settings import WebSettings
from ftzlist.web.workspace import Conflict, NotFound, Workspace

HERE = Path(__file__).parent


class BodyLimit:
    """Refuse request bodies above the limit (413) while they arrive, whatever Content-Length
    claims: uploads never fill the disk."""

    def __init__(self, app, limit_for: Callable[[str], int]):
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _too_large(send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send) -> None:
    body = b'{"detail":"request body too large","problems":[]}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _context(request: Request) -> dict:
    lang = pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
    return {
        "lang": lang,
        "t": lambda key: word(key, lang),
        "path": request.url.path,
        "query": request.url.query,
        "version": __version__,
    }


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(settings: WebSettings, *, clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    """The application on `settings` (the database is migrated on start)."""
    workspace = Workspace(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.counts.close()
        workspace.close()

    app = FastAPI(
        lifespan=lifespan,
        title="ftzlist",
        version=__version__,
        summary="China cross-border data export: national rules and FTZ negative lists, with reasons.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.workspace = workspace
    app.state.counts = CountRuns(workspace, settings.count_workers)
    app.state.secure = settings.secure_cookies
    templates = Jinja2Templates(directory=HERE / "templates", context_processors=[_context])
    templates.env.globals["pathway_class"] = lambda p: "pw-" + str(p).replace("_", "-")
    templates.env.globals["pathway_names"] = PATHWAYS
    templates.env.globals["outcome_names"] = OUTCOMES
    templates.env.globals["said"] = said  # an engine sentence in the page's language (law/reasons.yaml)
    app.state.templates = templates

    app.include_router(api.router)
    app.include_router(agency_api.router)
    app.include_router(pages.router)
    app.include_router(agency_pages.router)
    from ftzlist.reports.fonts import FONT_DIR  # the reports' CJK font: pages render Chinese anywhere

    app.mount("/static/fonts", StaticFiles(directory=FONT_DIR), name="fonts")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def limit_for(path: str) -> int:
        return settings.max_log_upload_bytes if path.startswith("/counting") else settings.max_upload_bytes

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit_for=limit_for)

    def page_error(
        request: Request, status: int, message: str, problems: list[str] | None = None
    ) -> Response:
        visitor = session_visitor(request)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"visitor": visitor, "status": status, "message": message, "problems": problems or []},
            status_code=status,
        )

    @app.exception_handler(api.ApiError)
    async def _api_error(request: Request, exc: api.ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": exc.detail, "problems": exc.problems}, exc.status, headers=headers)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        if request.method != "GET":
            return page_error(request, 401, "sign in first")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return page_error(request, 403, f"{exc.permission.value}: not allowed for your role")

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed):
        return page_error(
            request, 403, "the form's CSRF token is missing or wrong: reload the page and try again"
        )

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        if _is_api(request):
            return JSONResponse({"detail": str(exc), "problems": [str(p) for p in exc.problems]}, 404)
        return page_error(request, 404, str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        if _is_api(request):  # the API's precondition is If-Match: 412, as HTTP has it
            return JSONResponse(
                {"detail": str(exc), "problems": []}, 412, headers={"ETag": f'"{exc.current}"'}
            )
        return page_error(request, 409, str(exc))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        if _is_api(request):
            return JSONResponse({"detail": str(exc), "problems": [str(p) for p in exc.problems]}, 400)
        return page_error(request, 400, str(exc), exc.problems)

    return app
