"""The ASGI application: /graphql (HTTP + WebSocket, GraphiQL in a browser), /healthz, and the lifespan that
migrates, bootstraps the admin, drains the outbox and starts the event dispatcher.

Every GraphQL request is authenticated (``Authorization: Bearer lg_…``; introspection alone may be anonymous),
measured against the limits before it runs, rate limited per caller, and answered with ``extensions.cost``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from datetime import timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from cross_web import HTTPException  # strawberry's (its HTTP views raise it)
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from strawberry import UNSET
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult

from labelgraph import jsonvalues
from labelgraph.auth import ANONYMOUS, Access, bearer, load_access
from labelgraph.context import Context
from labelgraph.db import Database, current_statement_count, start_statement_count
from labelgraph.engine.pool import Engine
from labelgraph.errors import Refused
from labelgraph.events.broker import create_broker
from labelgraph.events.outbox import OutboxDispatcher
from labelgraph.graph.limits import Limits, measure
from labelgraph.ratelimit import RateLimiter
from labelgraph.schema import schema
from labelgraph.settings import Settings
from labelgraph.ws import TransportWSHandler

RECHECK_SHARED_FOR = 1.0  # seconds a WebSocket token re-check is shared by the connections holding that token
log = logging.getLogger("labelgraph")

STATEMENTS_HEADER = "x-labelgraph-statements"


HTTP_ERROR_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}  # the others strawberry raises are 400s


def _json_kind(value: object) -> str:
    return {type(None): "null", str: "a string", bool: "a boolean"}.get(type(value), "a number")


def _refusal(exc: Refused) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(str(exc), extensions={"code": exc.code,
                                                                                  **exc.extensions})])


class GraphQLApp(GraphQL):
    graphql_transport_ws_handler_class = TransportWSHandler  # keep-alive pings, limits (ws.py)

    def __init__(self, state: dict[str, Any], settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None,
                         connection_init_wait_timeout=timedelta(seconds=3),
                         keep_alive=settings.ws_ping_interval > 0,  # legacy graphql-ws: "ka" messages
                         keep_alive_interval=settings.ws_ping_interval or 1)
        self.max_subscriptions_per_connection = settings.max_subscriptions
        self.state = state
        self.settings = settings
        self.limits = Limits(settings.max_document_bytes, settings.max_depth, settings.max_aliases,
                             settings.max_nodes, settings.default_page_size)
        self.rate_limiter = RateLimiter(settings.rate_limit)
        self._rechecks: dict[str | None, tuple[float, asyncio.Future]] = {}

    async def get_context(self, request, response) -> Context:
        ctx = Context(
            db=self.state["db"],
            settings=self.settings,
            access=ANONYMOUS,
            request_id=uuid.uuid4().hex[:16],
            broker=self.state.get("broker"),
            request=request,
            response=response,
        )
        return ctx

    async def authenticate(self, header: str | None) -> Access | None:
        token = bearer(header)
        if token is None:
            return ANONYMOUS
        async with self.state["db"].read() as conn:
            return await load_access(conn, token)

    async def recheck(self, header: str | None) -> Access | None:
        """``authenticate`` for the WebSockets' periodic re-checks (ws.py): connections holding the same token
        share one lookup for ``RECHECK_SHARED_FOR`` seconds (at most half the re-check interval): 1,000
        connections re-checking every 10 s would otherwise cost the database 100 lookups a second. A revocation
        is still seen within the interval plus that second."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        hit = self._rechecks.get(header)
        if hit is None or hit[0] <= now:
            if len(self._rechecks) > 10_000:
                self._rechecks = {k: v for k, v in self._rechecks.items() if v[0] > now}
            lookup = asyncio.ensure_future(self.authenticate(header))
            lookup.add_done_callback(lambda f: f.cancelled() or f.exception())  # a failure is retried, not logged
            hit = (now + min(RECHECK_SHARED_FOR, self.settings.ws_reauth_interval / 2), lookup)
            self._rechecks[header] = hit
        return await asyncio.shield(hit[1])

    async def execute_operation(self, request, request_adapter, request_data, context, root_value, sub_response):
        start_statement_count()
        if isinstance(request_data, list):  # batching is off; strawberry refuses lists before this point
            return await super().execute_operation(request, request_adapter, request_data, context, root_value,
                                                   sub_response)
        access = await self.authenticate(request.headers.get("authorization"))
        if access is None:
            sub_response.status_code = 401
            return _refusal(Refused("UNAUTHENTICATED", "the token is unknown, revoked or expired"))
        context.access = access
        try:
            measured = measure(self.schema._schema, request_data.query or "", request_data.variables,
                               request_data.operation_name, self.limits)
        except Refused as exc:
            return _refusal(exc)
        cost = measured.nodes if measured else 0
        request.state.labelgraph_cost = cost
        if not access.authenticated and not (measured and measured.introspection_only):
            sub_response.status_code = 401
            return _refusal(Refused("UNAUTHENTICATED", "sign in: send the header Authorization: Bearer <token> "
                                    "(see the README: the first start prints the admin token)"))
        key = access.token_id or f"ip:{request.client.host if request.client else '-'}"
        wait = self.rate_limiter.take(key, RateLimiter.points(cost))
        if wait:
            sub_response.status_code = 429
            sub_response.headers["Retry-After"] = str(int(wait))
            return _refusal(Refused("RATE_LIMITED", f"rate limit of {self.settings.rate_limit:,} points per minute "
                                    f"reached; retry in {int(wait)} s", retryAfter=int(wait)))
        return await super().execute_operation(request, request_adapter, request_data, context, root_value,
                                               sub_response)

    async def process_result(self, request, result) -> dict:
        data = await super().process_result(request, result)
        extensions = data.setdefault("extensions", {})
        extensions["cost"] = getattr(request.state, "labelgraph_cost", 0)
        if request.headers.get(STATEMENTS_HEADER):
            extensions["sqlStatements"] = current_statement_count()
        return data

    async def on_ws_connect(self, context: Context):
        params = getattr(context, "connection_params", None) or {}
        header = params.get("authorization") or params.get("Authorization") if isinstance(params, dict) else None
        access = await self.authenticate(header)
        if access is None or not access.authenticated:
            raise ConnectionRejectionError()
        context.access = access
        return UNSET  # connection_ack without a payload

    async def run(self, request, context=UNSET, root_value=UNSET):
        """Strawberry answers a malformed HTTP request (not JSON, not an object, a GET without a query…) with
        plain text; here it is a GraphQL error response, so clients read every failure the same way."""
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            code = HTTP_ERROR_CODES.get(exc.status_code, "BAD_REQUEST")
            return JSONResponse({"data": None, "errors": [{"message": exc.reason, "extensions": {"code": code}}]},
                                status_code=exc.status_code)

    def decode_json(self, data: str | bytes) -> object:
        """Bodies, GET ``variables`` and WebSocket messages: decoded and checked once (jsonvalues.py)."""
        return jsonvalues.decode(data, "the request")

    def parse_json(self, data: str | bytes) -> object:
        try:
            return self.decode_json(data)
        except ValueError as exc:  # the message says what is wrong; strawberry's would only say "not JSON"
            raise HTTPException(400, str(exc)) from None

    async def parse_http_body(self, request):
        """Refuse a JSON body that is not an object (a string, a number, null) before strawberry reads fields of
        it. The first character tells: JSON whitespace aside, an object starts with ``{`` (a batch with ``[``,
        which strawberry refuses itself)."""
        content_type, _ = parse_content_type(request.content_type or "")
        if request.method == "POST" and "application/json" in content_type:
            body = await request.get_body()
            if body.lstrip(b" \t\r\n")[:1] not in (b"{", b"["):
                value = self.parse_json(body)  # not JSON at all: that is the message
                raise HTTPException(400, 'the request body must be a JSON object ({"query": "…", "variables": '
                                    f"{{…}}}}), got {_json_kind(value)}")
        return await super().parse_http_body(request)

    def encode_json(self, data: object) -> str:
        # text, not bytes: graphql-transport-ws requires text frames (HTTP responses re-encode it cheaply)
        return orjson.dumps(data).decode()


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> Starlette:
    settings = settings or Settings.from_env()
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if migrate:
            from labelgraph.migrations import upgrade

            await upgrade(settings.database_url)
        db = Database(settings.database_url)
        broker = create_broker(settings.broker_url)
        await broker.start()  # Redis: the reader follows the event stream from now on (never fails: see /healthz)
        dispatcher = OutboxDispatcher(db, broker)
        engine = Engine(db, settings.embedded_workers, broker=broker,
                        outbox_retention=timedelta(days=settings.outbox_retention_days))

        async def on_commit(events) -> None:
            await dispatcher.on_commit(events)
            engine.on_commit(events)

        db.on_commit = on_commit
        state.update(db=db, broker=broker, dispatcher=dispatcher, engine=engine, work_signal=engine.signal)
        from labelgraph.identity.bootstrap import ensure_admin

        await ensure_admin(db, settings)
        drained = await dispatcher.drain()
        if drained:
            log.info("published %d outbox events left from before the last stop", drained)
        dispatcher.start()
        if settings.freeze_gc:
            # Everything built so far lives as long as the process: move it out of the cycle collector's sight,
            # so a full collection no longer walks ~100k permanent objects (measured: 80–120 ms every few
            # requests). Only for a server process: frozen objects are never collected.
            gc.collect()
            gc.freeze()
        await engine.start(app)  # trigger matching (unmatched events first), cron, lease reaper, embedded workers
        try:
            yield
        finally:
            # each part gets a bounded time: a stop that hangs is logged by name and the shutdown goes on
            for part, stop, limit in (("execution engine", engine.stop, 60), ("outbox dispatcher", dispatcher.stop, 30),
                                      ("broker", broker.close, 30), ("database pool", db.dispose, 30)):
                try:
                    async with asyncio.timeout(limit):
                        await stop()
                except TimeoutError:
                    log.error("shutdown: stopping the %s took more than %d s; going on without it", part, limit)

    async def healthz(request: Request) -> JSONResponse:
        """200 ``{"status": "ok", "database": "ok", "broker": "ok"}`` (``"memory"`` for the in-process broker); 503
        with the reason in the failing part when the database or the broker is unreachable."""
        db: Database | None = state.get("db")
        if db is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        body: dict[str, Any] = {"status": "ok", "database": "ok"}
        try:
            async with asyncio.timeout(2), db.read() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # reported, not raised (a timeout says nothing: name it)
            body.update(status="unavailable", database=f"unreachable: {exc or 'no answer within 2 s'}")
        broker = await state["broker"].health()
        body.update(broker)
        if broker["broker"] not in ("ok", "memory"):
            body["status"] = "unavailable"
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    graphql = GraphQLApp(state, settings)
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
    app.state.labelgraph = state
    return app
