"""The WebSocket side of /graphql: strawberry's graphql-transport-ws handler plus what a shared gateway needs.

* Keep-alive: after ``connection_ack`` the server sends ``{"type": "ping"}`` every ``ws_ping_interval`` seconds
  (the client answers ``pong``), so proxies keep idle subscriptions open and dead peers are noticed. The
  legacy ``graphql-ws`` protocol gets its ``ka`` messages from strawberry's own keep-alive.
* Sign-in stays checked: every ``ws_reauth_interval`` seconds the connection's token is looked up again; a
  revoked or expired token closes the connection with 4403, and membership changes apply to the subscriptions
  already running (a stream stops carrying a project's executions once its caller left the project).
* Limits: every operation sent over the socket is measured against the same limits as HTTP (depth, aliases,
  nodes, document size) and charged to the caller's rate limit; a refused one gets an ``error`` message with
  ``extensions.code`` and the connection stays open.

Everything else is the protocol as strawberry implements it: connection_init within 3 s or close 4408, a bad
token 4403, subscribe before the ack 4401, a duplicate operation id 4409, ping → pong, complete both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from labelgraph.errors import Refused
from labelgraph.graph.limits import measure
from labelgraph.ratelimit import RateLimiter
from labelgraph.tasks import cancel_and_wait


class TransportWSHandler(BaseGraphQLTransportWSHandler):
    keepalive_task: asyncio.Task | None = None

    reauth_task: asyncio.Task | None = None

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if not self.connection_acknowledged or self.keepalive_task is not None:
            return
        settings = self.view.settings
        if settings.ws_ping_interval > 0:
            self.keepalive_task = asyncio.create_task(self._keepalive(settings.ws_ping_interval), name="ws-keepalive")
        if settings.ws_reauth_interval > 0:
            self.reauth_task = asyncio.create_task(self._reauthenticate(settings.ws_reauth_interval),
                                                   name="ws-reauth")

    async def _reauthenticate(self, interval: float) -> None:
        """Check the connection's token again every ``interval`` seconds: a revoked or expired token closes the
        connection (4403), and changed memberships apply to the running subscriptions."""
        params = self.context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        while True:
            await asyncio.sleep(interval)
            try:
                access = await self.view.recheck(header)
            except Exception:  # the database is unreachable right now: keep what we have, try again later
                continue
            if access is None or not access.authenticated:
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=4403, reason="the token was revoked or has expired")
                return
            self.context.access = access

    async def _keepalive(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.send_message({"type": "ping", "payload": {"reason": "keep-alive"}})
            except Exception:  # the socket is gone; the handler's own loop ends the connection
                return

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and message["id"] not in self.operations:
            refusal = self._refusal(message.get("payload") or {})
            if refusal is not None:
                error = GraphQLError(str(refusal), extensions={"code": refusal.code, **refusal.extensions})
                await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
                return
        await super().handle_subscribe(message)

    def _refusal(self, payload: dict) -> Refused | None:
        view = self.view
        try:
            measured = measure(self.schema._schema, payload.get("query") or "", payload.get("variables"),
                               payload.get("operationName"), view.limits)
        except Refused as exc:
            return exc
        access = self.context.access
        wait = view.rate_limiter.take(access.token_id or "ws", RateLimiter.points(measured.nodes if measured else 0))
        if wait:
            return Refused("RATE_LIMITED", f"rate limit of {view.settings.rate_limit:,} points per minute reached; "
                           f"retry in {int(wait)} s", retryAfter=int(wait))
        return None

    async def shutdown(self) -> None:
        for task in (self.keepalive_task, self.reauth_task):
            await cancel_and_wait(task)
        await super().shutdown()
