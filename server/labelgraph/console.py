"""The web console and GraphiQL, served from the built assets in ``console_dist/`` (console/, ``make console``;
committed, so ``labelgraph serve`` needs no node and no network).

``/`` is the console (a single page: its routes live after ``#``), ``/assets/…`` its hashed files (cached for a
year: a new build has new names), and GET ``/graphql`` from a browser is the bundled GraphiQL (``GraphQLApp``
calls ``graphiql_response``). Every page carries a Content-Security-Policy that lets the browser load nothing
from outside the gateway.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DIST = Path(__file__).parent / "console_dist"

# Everything from the gateway itself; images may also be data:/blob: URLs. Item content on local storage is served
# by the gateway (/files/blobs/…); with S3 storage, Item.url is an S3 presigned URL whose origin is not allowed
# here yet (it would go in img-src and media-src).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
       "base-uri 'self'; form-action 'self'")
PAGE_HEADERS = {"content-security-policy": CSP, "cache-control": "no-cache", "x-content-type-options": "nosniff",
                "referrer-policy": "same-origin"}


def _page(name: str) -> Response:
    path = DIST / name
    if not path.is_file():
        return HTMLResponse(f"<!doctype html><title>labelgraph</title><p>The console is not built: {name} is "
                            "missing from labelgraph/console_dist/ (run <code>make console</code>).</p>",
                            status_code=404, headers=PAGE_HEADERS)
    return HTMLResponse(path.read_bytes(), headers=PAGE_HEADERS)


async def index(request: Request) -> Response:
    return _page("index.html")


def graphiql_response() -> Response:
    return _page("graphiql.html")


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
