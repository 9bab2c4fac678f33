"""The web console and GraphiQL, served from the built assets in ``console_dist/`` (console/, ``make console``;
committed, so ``labelgraph serve`` needs no node and no network).

``/`` is the console (a single page: its routes live after ``#``), ``/assets/…`` its hashed files (cached for a
year: a new build has new names), and GET ``/graphql`` from a browser is the bundled GraphiQL (``GraphQLApp``
calls ``graphiql_response``). Every page carries a Content-Security-Policy that lets the browser load nothing
from outside the gateway, except images and media from the S3 endpoint when item content is stored on S3 (its
URLs are presigned there).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from labelgraph.settings import Settings
from labelgraph.storage.store import signed_origin

DIST = Path(__file__).parent / "console_dist"

# Everything from the gateway itself; images may also be data:/blob: URLs. Item content on local storage is served
# by the gateway (/files/blobs/…); with S3 storage, Item.url and Item.thumbnailUrl are presigned URLs on the S3
# endpoint: its origin is added to img-src and media-src (csp()).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
HEADERS = {"cache-control": "no-cache", "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def csp(settings: Settings | None) -> str:
    """The pages' Content-Security-Policy: CSP, with the origin of presigned S3 URLs where images and media come
    from when the store is S3."""
    origin = signed_origin(settings) if settings is not None else None
    if origin is None:
        return CSP
    return CSP.replace("img-src 'self' data: blob:", f"img-src 'self' data: blob: {origin}").replace(
        "media-src 'self' blob:", f"media-src 'self' blob: {origin}")


def _settings(request: Request) -> Settings | None:
    state = getattr(request.app.state, "labelgraph", None)
    return state.get("settings") if state else None


def _page(name: str, settings: Settings | None) -> Response:
    headers = {"content-security-policy": csp(settings), **HEADERS}
    path = DIST / name
    if not path.is_file():
        return HTMLResponse(f"<!doctype html><title>labelgraph</title><p>The console is not built: {name} is "
                            "missing from labelgraph/console_dist/ (run <code>make console</code>).</p>",
                            status_code=404, headers=headers)
    return HTMLResponse(path.read_bytes(), headers=headers)


async def index(request: Request) -> Response:
    return _page("index.html", _settings(request))


def graphiql_response(request: Request) -> Response:
    return _page("graphiql.html", _settings(request))


class Assets(StaticFiles):
    """Hashed build outputs: immutable, never sniffed."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
            response.headers["x-content-type-options"] = "nosniff"
        return response


def routes() -> list[BaseRoute]:
    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Mount("/assets", app=Assets(directory=DIST / "assets", check_dir=False), name="console-assets"),
    ]
