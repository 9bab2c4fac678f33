"""The ASGI application: /graphql (HTTP + WebSocket, GraphiQL in a browser), /healthz, and the lifespan that
migrates, bootstraps the admin, drains the outbox and starts the event dispatcher.

Every GraphQL request is authenticated (``Authorization: Bearer lg_…``; introspection alone may be anonymous),
admitted before it is validated or runs (``GraphQLApp.admit``: the limits of graph/limits.py, then the rate limit
per caller; the same for HTTP and both WebSocket protocols), and answered with ``extensions.cost``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
from cachetools import TTLCache
from cross_web import HTTPException  # strawberry's (its HTTP views raise it)
from graphql import GraphQLSyntaxError, OperationType
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry import UNSET
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult

from labelgraph import console, jsonvalues
from labelgraph.auth import ANONYMOUS, Access, bearer, load_access
from labelgraph.collector import Collector
from labelgraph.columns import utcnow
from labelgraph.context import Context
from labelgraph.db import Database, current_statement_count, start_statement_count
from labelgraph.edge import BodyLimit, BodyLimitRule
from labelgraph.engine.pool import Engine
from labelgraph.errors import Refused
from labelgraph.events.brokers import create_broker
from labelgraph.events.outbox import OutboxDispatcher
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.extensions import log_refusal
from labelgraph.graph.limits import Limits, Measure, is_introspection, measure, parse_document, select_operation
from labelgraph.health import WriteProbe
from labelgraph.ratelimit import RateLimiter
from labelgraph.schema import schema
from labelgraph.settings import Settings
from labelgraph.tasks import cancel_and_wait
from labelgraph.ws import LegacyWSHandler, TransportWSHandler

HEALTH_TIMEOUT = 2.0  # seconds /healthz waits for the database's answer (read, then write)
GC_YOUNG_THRESHOLD = 10_000  # net allocations between collections of the youngest generation (serve; see lifespan)
RECHECK_SHARED_FOR = 1.0  # seconds a WebSocket token re-check is shared by the connections holding that token
log = logging.getLogger("labelgraph")

STATEMENTS_HEADER = "x-labelgraph-statements"


HTTP_ERROR_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}  # the others strawberry raises are 400s


def _json_kind(value: object) -> str:
    kinds = {type(None): "null", str: "a string", bool: "a boolean", dict: "an object", list: "an array"}
    return kinds.get(type(value), "a number")


def _refusal(context: Context, exc: Refused) -> ExecutionResult:
    log_refusal(context, [(exc.code, str(exc))])
    return ExecutionResult(data=None, errors=[to_graphql_error(exc)])


HTTP_STATUS = {"UNAUTHENTICATED": 401, "RATE_LIMITED": 429}

# GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): a client that accepts this media type gets it,
# with the spec's status codes: a request error (the document does not parse or validate, a variable does not
# coerce, a limit refuses it: no ``data``) is a 4xx without ``data``. ``application/json`` keeps its behaviour
# (200 with ``"data": null``) for the clients written against it.
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _accept_quality(accept: str) -> dict[str, float]:
    """``Accept`` → media range → quality (``q``, 1 when absent)."""
    qualities: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            qualities[media.lower()] = max(quality, qualities.get(media.lower(), 0.0))
    return qualities


def wants_graphql_response(headers) -> bool:  # noqa: ANN001 (any headers mapping)
    """Whether the response is ``application/graphql-response+json``: the client accepts it at least as much as
    ``application/json`` (a missing ``Accept`` or ``*/*`` keep ``application/json``, as the spec says)."""
    accept = headers.get("accept")
    if not accept or GRAPHQL_RESPONSE not in accept.lower():
        return False
    qualities = _accept_quality(accept)
    wanted = qualities.get(GRAPHQL_RESPONSE, 0.0)
    return wanted > 0 and wanted >= qualities.get("application/json", 0.0)


def _is_request_error(result: ExecutionResult) -> bool:
    """No execution started: the document did not parse or validate, a variable did not coerce, or a limit
    refused it. Such errors have no path; a field's error always has one (even when it nulls ``data``)."""
    return result.data is None and bool(result.errors) and all(not error.path for error in result.errors)


class GraphQLApp(GraphQL):
    # keep-alive, token re-checks and limits, the same for both protocols (ws.py)
    graphql_transport_ws_handler_class = TransportWSHandler
    graphql_ws_handler_class = LegacyWSHandler
    # a client has this long to send connection_init (both protocols), then it is closed with 4408
    connection_init_wait = timedelta(seconds=3)

    def __init__(self, state: dict[str, Any], settings: Settings, now: Callable[[], datetime] = utcnow) -> None:
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql else None,
                         connection_init_wait_timeout=self.connection_init_wait,
                         multipart_uploads_enabled=True,  # itemsUpload (data/content_api.py)
                         keep_alive=False)  # the handlers of ws.py send the keep-alives of both protocols
        self.max_subscriptions_per_connection = settings.max_subscriptions
        self.state = state
        self.settings = settings
        self.now = now  # the clock token expiry is checked against
        self.limits = Limits(max_document_bytes=settings.max_document_bytes, max_depth=settings.max_depth,
                             max_aliases=settings.max_aliases, max_nodes=settings.max_nodes,
                             default_page=settings.default_page_size, max_tokens=settings.max_tokens,
                             max_fields=settings.max_fields, max_repeated_fields=settings.max_repeated_fields,
                             max_introspection=settings.max_introspection, max_ids=settings.max_page_size)
        self.rate_limiter = RateLimiter(settings.rate_limit)
        # header → its shared lookup, for RECHECK_SHARED_FOR seconds (at most half the re-check interval)
        self._rechecks: TTLCache[str | None, asyncio.Future] = TTLCache(
            maxsize=10_000, ttl=min(RECHECK_SHARED_FOR, settings.ws_reauth_interval / 2))

    async def get_context(self, request, response) -> Context:
        ctx = Context(
            db=self.state["db"],
            settings=self.settings,
            access=ANONYMOUS,
            request_id=uuid.uuid4().hex[:16],  # in logs, masked errors and the X-Request-Id header
            broker=self.state.get("broker"),
            request=request,
            response=response,
        )
        if isinstance(response, Response):  # HTTP (not a WebSocket)
            response.headers["x-request-id"] = ctx.request_id
        return ctx

    async def authenticate(self, header: str | None) -> Access | None:
        token = bearer(header)
        if token is None:
            return ANONYMOUS
        async with self.state["db"].read() as conn:
            return await load_access(conn, token, self.now())

    async def recheck(self, header: str | None) -> Access | None:
        """``authenticate`` for the WebSockets' periodic re-checks (ws.py): connections holding the same token
        share one lookup for ``RECHECK_SHARED_FOR`` seconds (at most half the re-check interval): 1,000
        connections re-checking every 10 s would otherwise cost the database 100 lookups a second. A revocation
        is still seen within the interval plus that second."""
        lookup = self._rechecks.get(header)
        if lookup is None:
            lookup = asyncio.ensure_future(self.authenticate(header))
            lookup.add_done_callback(lambda f: f.cancelled() or f.exception())  # a failure is retried, not logged
            self._rechecks[header] = lookup
        return await asyncio.shield(lookup)

    def admit(self, access: Access, query: str, variables: dict | None, operation_name: str | None, *,
              caller: str, over_http: bool) -> Measure:
        """Everything checked before a document is validated or runs, for HTTP and both WebSocket protocols, in
        the order that keeps refusals cheap: size, parsing (at most ``max_tokens``), the operation to run (the
        spec: several need ``operationName``), sign-in (anonymous callers may only introspect), the limits; the
        rate limit takes 1 point before any of it (a refusal is cheap, not free) and the rest of the cost after.
        Raises ``Refused``. A document that does not parse is left to strawberry, which reports the syntax error
        (nothing runs)."""
        wait = self.rate_limiter.take(caller, 1)  # every request, refused or not, pays its first point up front
        if not wait:
            measured = self._measure(access, query, variables, operation_name, over_http=over_http)
            wait = self.rate_limiter.take(caller, RateLimiter.points(measured.nodes) - 1)
        if wait:
            raise Refused("RATE_LIMITED", f"rate limit of {self.settings.rate_limit:,} points per minute reached; "
                          f"retry in {int(wait)} s", retryAfter=int(wait))
        return measured

    def _measure(self, access: Access, query: str, variables: dict | None, operation_name: str | None, *,
                 over_http: bool) -> Measure:
        """``admit``'s checks of the document itself, cheapest first; raises ``Refused``."""
        size = len(query) if len(query) > self.limits.max_document_bytes else len(query.encode())  # no huge copy
        if size > self.limits.max_document_bytes:
            raise Refused("LIMIT_EXCEEDED", f"the query document is {size:,} bytes; the limit is "
                          f"{self.limits.max_document_bytes:,}", limit="documentBytes")
        try:
            document = parse_document(query, self.limits.max_tokens)
        except GraphQLSyntaxError:
            return Measure()  # strawberry reports the syntax error; nothing runs
        operation = select_operation(document, operation_name)
        if not access.authenticated and not is_introspection(document, operation):
            raise Refused("UNAUTHENTICATED", "sign in: send the header Authorization: Bearer <token> (see the "
                          "README: the first start prints the admin token)")
        if over_http and operation.operation == OperationType.SUBSCRIPTION:
            raise Refused("BAD_USER_INPUT", "subscriptions run over a WebSocket on /graphql (graphql-transport-ws), "
                          "not over HTTP")
        return measure(self.schema._schema, document, operation, variables, self.limits)

    async def execute_operation(self, request, request_adapter, request_data, context, root_value, sub_response):
        result = await self._execute_operation(request, request_adapter, request_data, context, root_value,
                                               sub_response)
        if wants_graphql_response(request.headers):
            sub_response.labelgraph_media_type = GRAPHQL_RESPONSE
            if isinstance(result, ExecutionResult) and _is_request_error(result):
                request.state.labelgraph_request_error = True  # process_result leaves out "data"
                if sub_response.status_code in (None, 200):
                    internal = any((e.extensions or {}).get("code") == "INTERNAL" for e in result.errors)
                    sub_response.status_code = 500 if internal else 400
        return result

    async def _execute_operation(self, request, request_adapter, request_data, context, root_value, sub_response):
        start_statement_count()
        operation_name = getattr(request_data, "operation_name", None)
        if operation_name is not None and not isinstance(operation_name, str):
            raise HTTPException(400, f"operationName must be a string or null, got {_json_kind(operation_name)}")
        if isinstance(request_data, list) or not request_data.query:
            # batching is off and a missing query is a 400: strawberry refuses both before anything runs
            return await super().execute_operation(request, request_adapter, request_data, context, root_value,
                                                   sub_response)
        access = await self.authenticate(request.headers.get("authorization"))
        if access is None:
            sub_response.status_code = 401
            return _refusal(context, Refused("UNAUTHENTICATED", "the token is unknown, revoked or expired"))
        context.access = access
        caller = access.token_id or f"ip:{request.client.host if request.client else '-'}"
        try:
            measured = self.admit(access, request_data.query, request_data.variables, request_data.operation_name,
                                  caller=caller, over_http=True)
        except Refused as exc:
            sub_response.status_code = HTTP_STATUS.get(exc.code, 200)
            if exc.code == "RATE_LIMITED":
                sub_response.headers["Retry-After"] = str(exc.extensions["retryAfter"])
            return _refusal(context, exc)
        request.state.labelgraph_cost = measured.nodes
        return await super().execute_operation(request, request_adapter, request_data, context, root_value,
                                               sub_response)

    async def process_result(self, request, result) -> dict:
        data = await super().process_result(request, result)
        if getattr(request.state, "labelgraph_request_error", False):
            data.pop("data", None)  # graphql-response+json: a request error has no data entry
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
            body: dict[str, Any] = {"errors": [{"message": exc.reason, "extensions": {"code": code}}]}
            if not wants_graphql_response(request.headers):
                return JSONResponse({"data": None, **body}, status_code=exc.status_code)
            return Response(orjson.dumps(body), status_code=exc.status_code,
                            media_type=f"{GRAPHQL_RESPONSE}; charset=utf-8")

    def create_response(self, response_data, sub_response):
        response = super().create_response(response_data, sub_response)
        media_type = getattr(sub_response, "labelgraph_media_type", None)
        if media_type:
            response.headers["content-type"] = f"{media_type}; charset=utf-8"
        return response

    async def render_graphql_ide(self, request) -> Response:
        """GraphiQL bundled with the console (console.py): no CDN, so it works offline."""
        return console.graphiql_response(request)

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


class GraphQLWebSockets:
    """WebSockets to ``/graphql`` go straight to the GraphQL view, as the router would send them (same scope keys),
    past BodyLimit (which passes WebSockets), starlette's exception middleware and the router: each of those
    keeps a coroutine frame on every open connection's stack for as long as it is open (~2.8 KiB per idle
    subscription). Not a coroutine itself, so it adds no frame either. Anything else goes on as before."""

    def __init__(self, app: Any, view: Any, path: str = "/graphql") -> None:
        self.app, self.view, self.path = app, view, path

    def __call__(self, scope: Any, receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and scope["path"] == self.path and not scope.get("root_path"):
            scope["endpoint"], scope["path_params"] = self.view, {}
            return self.view(scope, receive, send)
        return self.app(scope, receive, send)


def create_app(settings: Settings | None = None, *, migrate: bool = True,
               now: Callable[[], datetime] = utcnow) -> Starlette:
    """The gateway. ``now`` is its clock (token expiry, cron schedules, leases): tests hand it one they move."""
    settings = settings or Settings.from_env()
    state: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from labelgraph.identity.bootstrap import secure_data_dir

        secure_data_dir(settings.data_dir)  # before the database or the admin token land in it
        if migrate:
            from labelgraph.migrations import upgrade

            await upgrade(settings.database_url)
        db = Database(settings.database_url)
        broker = create_broker(settings.broker_url)
        await broker.start()  # Redis: the reader follows the event stream from now on (never fails: see /healthz)
        dispatcher = OutboxDispatcher(db, broker)
        engine = Engine(db, settings.embedded_workers, broker=broker,
                        outbox_retention=timedelta(days=settings.outbox_retention_days), settings=settings,
                        now=now)

        from labelgraph.data.content import services as content_services
        from labelgraph.jobs.runner import JobRunner

        jobs = JobRunner(db, settings, lambda: content_services(state, settings).storage)

        async def on_commit(events) -> None:
            await dispatcher.on_commit(events)
            engine.on_commit(events)
            jobs.on_commit(events)

        db.on_commit = on_commit
        state.update(db=db, broker=broker, dispatcher=dispatcher, engine=engine, work_signal=engine.signal, jobs=jobs,
                     write_probe=WriteProbe(db, settings.health_probe_interval, HEALTH_TIMEOUT))
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
            # and collect the young generation every 10,000 net allocations instead of 700: a 1,000-row bulk
            # create holds ~30k containers for the length of the request (the input, the commands, the rows, the
            # events, the payload), which the default thresholds walk through again and again (gen0, gen1, and
            # a full collection about every other call); measured in one process with the client, 6 calls:
            # collector CPU per 1,000-row call 20–24 ms → 11–14 ms. Cyclic garbage waits a little longer.
            gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
            # and from then on, what settles is frozen in steps and full collections are rare (collector.py)
            state["collector"] = Collector()
            collecting = asyncio.create_task(state["collector"].run(), name="cycle-collector")
        else:
            collecting = None
        from labelgraph.data.content import collect_blobs, services
        from labelgraph.jobs import queue as job_queue

        async def prune_commands(now: datetime) -> None:  # finished commands past their retention, first: their
            cutoff = now - timedelta(days=settings.command_retention_days)  # exports' blobs are collected next
            while True:
                async with db.transaction() as uow:
                    gone = await job_queue.prune(uow, cutoff)
                if gone:
                    log.info("deleted %d finished commands older than %s days", gone, settings.command_retention_days)
                if gone < 1000:
                    break

        async def collect(now: datetime) -> None:  # blobs nothing references, after the grace period
            gone = await collect_blobs(db, services(state, settings), now)
            if gone:
                log.info("deleted %d stored files no item references any more", gone)

        engine.scheduler.periodic += [prune_commands, collect]
        await engine.start(app)  # trigger matching (unmatched events first), cron, lease reaper, embedded workers
        if settings.job_concurrency > 0:
            jobs.start()  # dataset jobs: clone, merge, export, import (jobs/runner.py)
        try:
            yield
        finally:
            await cancel_and_wait(collecting)
            # each part gets a bounded time: a stop that hangs is logged by name and the shutdown goes on
            for part, stop, limit in (("job runner", jobs.stop, 30), ("execution engine", engine.stop, 60),
                                      ("outbox dispatcher", dispatcher.stop, 30),
                                      ("broker", broker.close, 30), ("database pool", db.dispose, 30)):
                try:
                    async with asyncio.timeout(limit):
                        await stop()
                except TimeoutError:
                    log.error("shutdown: stopping the %s took more than %d s; going on without it", part, limit)

    async def healthz(request: Request) -> JSONResponse:
        """200 ``{"status": "ok", "database": "ok", "broker": "ok"}`` (``"memory"`` for the in-process broker); 503
        with the reason in the failing part when the database or the broker is unreachable, or when the database
        no longer takes writes (``"database": "writes failing: <reason>"``; probed at most every few seconds:
        health.py)."""
        db: Database | None = state.get("db")
        if db is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        body: dict[str, Any] = {"status": "ok", "database": "ok"}
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), db.read() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception as exc:  # reported, not raised (a timeout says nothing: name it)
            body.update(status="unavailable",
                        database=f"unreachable: {exc or f'no answer within {HEALTH_TIMEOUT:g} s'}")
        else:
            body["database"] = await state["write_probe"].check()
            if body["database"] != "ok":
                body["status"] = "unavailable"
        broker = await state["broker"].health()
        body.update(broker)
        if broker["broker"] not in ("ok", "memory"):
            body["status"] = "unavailable"
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    graphql = GraphQLApp(state, settings, now)
    body_limit = BodyLimitRule(settings.max_body_bytes, "LABELGRAPH_MAX_BODY_BYTES")
    # Without a token only introspection runs: its body needs little more than a document (JSON escapes at most
    # double it). Item content uploads will have a route and a limit of their own.
    anonymous = min(settings.max_body_bytes, 2 * settings.max_document_bytes + 16_384)
    from labelgraph.data.content_routes import ROUTES as FILE_ROUTES

    # item content: a multipart upload to /graphql may carry files up to LABELGRAPH_MAX_UPLOAD_BYTES (its
    # `operations` part stays bounded by the form parser: 1 MiB); a direct upload's part at most 64 MiB
    upload_limit = BodyLimitRule(settings.max_upload_bytes + 1024 * 1024, "LABELGRAPH_MAX_UPLOAD_BYTES",
                                 anonymous_limit=anonymous)
    part_limit = BodyLimitRule(64 * 1024 * 1024, "the part size of direct uploads (64 MiB)")
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            *FILE_ROUTES,
            *console.routes(),  # the web console at / (console.py)
        ],
        lifespan=lifespan,
        middleware=[Middleware(GraphQLWebSockets, view=graphql),
                    Middleware(BodyLimit, default=body_limit,
                               routes={"/graphql": dataclasses.replace(body_limit, anonymous_limit=anonymous)},
                               authenticate=graphql.authenticate, multipart={"/graphql": upload_limit},
                               prefixes={"/files/uploads/": part_limit})],
    )
    state["settings"] = settings
    app.state.labelgraph = state
    return app
