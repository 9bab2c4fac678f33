"""The WebSocket side of /graphql: strawberry's handlers for ``graphql-transport-ws`` and the legacy ``graphql-ws``
plus what a shared gateway needs, the same for both protocols (``Watched``):

* Keep-alive: after ``connection_ack`` the server sends a keep-alive every ``ws_ping_interval`` seconds —
  ``{"type": "ping"}`` (the client answers ``pong``) or, in ``graphql-ws``, ``{"type": "ka"}`` — so proxies keep
  idle subscriptions open and dead peers are noticed.
* Sign-in stays checked: every ``ws_reauth_interval`` seconds the connection's token is looked up again; a
  revoked or expired token closes the connection with 4403, and membership changes apply to the subscriptions
  already running (a stream stops carrying a project's executions once its caller left the project).
* Limits: every operation sent over the socket goes through the same admission as HTTP (``GraphQLApp.admit``:
  document size and tokens, one operation chosen, depth, aliases, fields, nodes…) and is charged to the caller's
  rate limit; a refused one gets an ``error`` message with ``extensions.code`` and the connection stays open.

Everything else is the protocol as strawberry implements it: connection_init within 3 s or close 4408 (the
legacy handler gets the same wait), a bad token 4403, subscribe before the ack 4401, a duplicate operation id
4409, ping → pong, complete both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from labelgraph.errors import Refused
from labelgraph.graph.errors import to_graphql_error
from labelgraph.tasks import cancel_and_wait


class Watched:
    """Keep-alive, token re-checks and limits for a WebSocket handler; the protocol says how its keep-alive
    and its error messages look."""

    keepalive_message: dict
    keepalive_task: asyncio.Task | None = None
    reauth_task: asyncio.Task | None = None

    def error_message(self, operation_id: str, error: GraphQLError) -> dict:
        raise NotImplementedError

    def start_watching(self) -> None:
        """After ``connection_ack``: start the keep-alive and the token re-checks (once per connection)."""
        if not self.connection_acknowledged or self.keepalive_task is not None:
            return
        settings = self.view.settings
        if settings.ws_ping_interval > 0:
            self.keepalive_task = asyncio.create_task(self._keepalive(settings.ws_ping_interval), name="ws-keepalive")
        if settings.ws_reauth_interval > 0:
            self.reauth_task = asyncio.create_task(self._reauthenticate(settings.ws_reauth_interval),
                                                   name="ws-reauth")

    async def stop_watching(self) -> None:
        for task in (self.keepalive_task, self.reauth_task):
            await cancel_and_wait(task)

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
                await self.send_message(self.keepalive_message)
            except Exception:  # the socket is gone; the handler's own loop ends the connection
                return

    async def refused(self, operation_id: str, payload: Any) -> bool:
        """Admit the operation ``payload`` asks for, or send the refusal as the operation's error message."""
        payload = payload if isinstance(payload, dict) else {}
        query, variables = payload.get("query"), payload.get("variables")
        access = self.context.access
        try:  # a malformed payload passes as an empty document: strawberry answers it, nothing runs
            self.view.admit(access, query if isinstance(query, str) else "",
                            variables if isinstance(variables, dict) else None, payload.get("operationName"),
                            caller=access.token_id or "ws", over_http=False)
        except Refused as exc:
            await self.send_message(self.error_message(operation_id, to_graphql_error(exc)))
            return True
        return False


class TransportWSHandler(Watched, BaseGraphQLTransportWSHandler):
    keepalive_message = {"type": "ping", "payload": {"reason": "keep-alive"}}

    def error_message(self, operation_id: str, error: GraphQLError) -> dict:
        return {"id": operation_id, "type": "error", "payload": [error.formatted]}

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        self.start_watching()

    async def handle_subscribe(self, message: Any) -> None:
        if (self.connection_acknowledged and message["id"] not in self.operations
                and await self.refused(message["id"], message.get("payload"))):
            return
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        await self.stop_watching()
        await super().shutdown()


class LegacyWSHandler(Watched, BaseGraphQLWSHandler):
    """``graphql-ws`` (subscriptions-transport-ws): the same checks; strawberry's own keep-alive stays off."""

    keepalive_message = {"type": "ka"}

    def error_message(self, operation_id: str, error: GraphQLError) -> dict:
        return {"id": operation_id, "type": "error", "payload": error.formatted}

    async def handle(self) -> None:
        waiting = asyncio.create_task(self._close_unless_initialised(), name="ws-init-wait")
        try:
            await super().handle()
        finally:
            await cancel_and_wait(waiting)
            await self.stop_watching()

    async def _close_unless_initialised(self) -> None:
        await asyncio.sleep(self.view.connection_init_wait_timeout.total_seconds())
        if not self.connection_acknowledged:
            with contextlib.suppress(Exception):
                await self.websocket.close(code=4408, reason="Connection initialisation timeout")

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        self.start_watching()

    async def handle_start(self, message: Any) -> None:
        payload = message.get("payload")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            # strawberry reads payload["query"] unchecked (a KeyError closed the connection, logged as a fault)
            refusal = Refused("BAD_USER_INPUT", 'a "start" message needs a payload object with a "query" string')
            await self.send_message(self.error_message(message.get("id"), to_graphql_error(refusal)))
            return
        if self.connection_acknowledged and await self.refused(message.get("id"), payload):
            return
        await super().handle_start(message)
