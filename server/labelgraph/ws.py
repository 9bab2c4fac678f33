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

Fan-out (``graphql-transport-ws``): a subscription that may share (events/fanout.py) joins the feed of its document,
variables and visibility scope instead of running on its own; its frames are the feed's, serialized once.

Everything else is the protocol as strawberry implements it: connection_init within 3 s or close 4408 (the
legacy handler gets the same wait), a bad token 4403, subscribe before the ack 4401, a duplicate operation id
4409, ping → pong, complete both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

import orjson
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler

from labelgraph.edge import ROUND_SLICE, WS_PROTOCOL, round_gap, text_frame
from labelgraph.errors import Refused
from labelgraph.events.fanout import END, OVERFLOW, PACED, REPLAY_LAST, Feeds, Member, scope_of, shared_root
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.limits import parse_document, select_operation
from labelgraph.tasks import cancel_and_wait


class Watch:
    """The keep-alives and token re-checks of every WebSocket of one view: two tasks in all (while connections
    are open), not two per connection. Each round sends its keep-alives concurrently, so a stalled peer does
    not hold up the others; connections holding one token share its lookups (``GraphQLApp.recheck``)."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.handlers: set[Watched] = set()
        self.tasks: list[asyncio.Task] = []

    def add(self, handler: Watched) -> None:
        self.handlers.add(handler)
        if not self.tasks:
            settings = self.view.settings
            if settings.ws_ping_interval > 0:
                self.tasks.append(asyncio.create_task(self._keepalives(settings.ws_ping_interval),
                                                      name="ws-keepalive"))
            if settings.ws_reauth_interval > 0:
                self.tasks.append(asyncio.create_task(self._rechecks(settings.ws_reauth_interval),
                                                      name="ws-reauth"))

    async def discard(self, handler: Watched) -> None:
        self.handlers.discard(handler)
        if not self.handlers:
            tasks, self.tasks = self.tasks, []
            for task in tasks:
                await cancel_and_wait(task)

    async def _keepalives(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            # written straight to the sockets that allow it (no coroutine per connection and round), else sent;
            # ``SLICE`` connections at a time, ``spread`` apart, so that their answers (a ``pong`` each, read by
            # each connection's handler) do not all arrive at once: a burst would hold up a change's frames
            # (those sent the usual way run as tasks, awaited at the round's end: a stalled peer holds up no slice)
            handlers = list(self.handlers)
            spread = round_gap(len(handlers), interval)  # the whole round in half the interval
            pending: list[asyncio.Future] = []
            try:
                for start in range(0, len(handlers), self.SLICE):
                    if start:
                        await asyncio.sleep(spread)
                    pending += [asyncio.ensure_future(h.keepalive()) for h in handlers[start:start + self.SLICE]
                                if h in self.handlers and not h.keepalive_now()]
                if pending:
                    await asyncio.gather(*pending)
            except asyncio.CancelledError:  # the last connection went away: none of its sends outlives the round
                for task in pending:
                    task.cancel()
                raise

    SLICE = ROUND_SLICE  # keep-alives: 1,000 connections in 10 slices over ~0.5 s

    async def _rechecks(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            by_token: dict[Any, list[Watched]] = {}
            for handler in list(self.handlers):
                by_token.setdefault(handler.auth_header(), []).append(handler)
            if by_token:  # a coroutine per token (lookups of different tokens concurrently), not a task per connection
                await asyncio.gather(*(self._recheck(handlers) for handlers in by_token.values()))

    async def _recheck(self, handlers: list[Watched]) -> None:
        """The connections of one token, one after the other: the first re-check looks the token up and the
        others share its answer (``GraphQLApp.recheck``), so most return at once, without a task or a wait each.
        Connections of a token found revoked are closed concurrently (a stalled peer holds up no other)."""
        closing = []
        for handler in handlers:
            try:
                access = await self.view.recheck(handler.auth_header())
            except Exception:  # the database is unreachable right now: keep what we have, try again later
                return
            if handler not in self.handlers:
                continue
            if access is None or not access.authenticated:
                closing.append(handler.reauthenticated(access))
            else:
                await handler.reauthenticated(access)  # (returns at once: the new access, rescoped feeds)
        if closing:
            await asyncio.gather(*closing)


def _watch(view: Any) -> Watch:
    watch = view.__dict__.get("ws_watch")
    if watch is None:
        watch = view.ws_watch = Watch(view)
    return watch


_KEEPALIVE_FRAMES: dict[type, bytes] = {}  # handler class → its keep-alive message as a frame


class Watched:
    """Keep-alive, token re-checks and limits for a WebSocket handler; the protocol says how its keep-alive
    and its error messages look."""

    keepalive_message: dict
    watching = False

    def error_message(self, operation_id: str, error: GraphQLError) -> dict:
        raise NotImplementedError

    def start_watching(self) -> None:
        """After ``connection_ack``: keep-alives and token re-checks (the view's shared ``Watch``), once."""
        if not self.connection_acknowledged or self.watching:
            return
        self.watching = True
        _watch(self.view).add(self)

    async def stop_watching(self) -> None:
        if self.watching:
            self.watching = False
            await _watch(self.view).discard(self)

    def auth_header(self) -> Any:
        params = self.context.connection_params or {}
        return params.get("authorization") or params.get("Authorization")

    async def reauthenticated(self, access: Any) -> None:
        """A re-check's answer: a revoked or expired token closes the connection (4403); changed memberships
        apply to the running subscriptions."""
        if access is None or not access.authenticated:  # (the handler's end takes it off the watch)
            with contextlib.suppress(Exception):
                await self.websocket.close(code=4403, reason="the token was revoked or has expired")
            return
        self.context.access = access
        self.rescope()

    def rescope(self) -> None:
        """After a token re-check: operations sharing a feed move to the feed of the caller's scope now."""

    def keepalive_now(self) -> bool:
        """Write the keep-alive frame (made once per protocol) straight to the socket, when its protocol allows
        it (``EdgeWebSocketProtocol.write_frame``); False: send it with ``keepalive``."""
        ref = (getattr(self.websocket.ws, "scope", None) or {}).get("extensions", {}).get(WS_PROTOCOL)
        protocol = ref() if ref is not None else None
        if protocol is None:
            return False
        frame = _KEEPALIVE_FRAMES.get(type(self))
        if frame is None:
            frame = _KEEPALIVE_FRAMES[type(self)] = text_frame(orjson.dumps(self.keepalive_message))
        return protocol.write_frame(frame)

    async def keepalive(self) -> None:
        with contextlib.suppress(Exception):  # the socket is gone; the handler's own loop ends the connection
            await self.send_message(self.keepalive_message)

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


BEHIND = ("this subscription fell more than 1,000 changes behind and was stopped: resubscribe (the stream starts "
          "again from the current state)")

RESCOPED = ("your roles changed while you followed this log: subscribe again (Execution.logs(after:) reads the lines "
            "you may have missed)")


def _feeds(view: Any) -> Feeds:
    feeds = view.__dict__.get("feeds")
    if feeds is None:
        feeds = view.feeds = Feeds()
    return feeds


class TransportWSHandler(Watched, BaseGraphQLTransportWSHandler):
    keepalive_message = {"type": "ping", "payload": {"reason": "keep-alive"}}
    shared: dict[str, tuple[Member, Any]] | None = None  # operation id → (its member, the operation)

    def _shared_root(self, operation: Any) -> str | None:
        try:
            document = parse_document(operation.query, self.view.limits.max_tokens)
            return shared_root(document, select_operation(document, operation.operation_name))
        except (GraphQLSyntaxError, GraphQLError, Refused, TypeError, AttributeError):
            return None  # strawberry reports it on its own path

    def _join(self, member: Member, operation: Any, root: str) -> None:
        access = self.context.access
        variables = orjson.dumps(operation.variables or {}, option=orjson.OPT_SORT_KEYS)
        key = (operation.query, variables, operation.operation_name, scope_of(access))

        def source():  # called once per feed, not per member: the feed's own context
            context = dataclasses.replace(self.context, access=access, _loaders={})
            return self.schema.stream(operation.query, variable_values=operation.variables, context_value=context,
                                      root_value=self.root_value, operation_name=operation.operation_name)

        _feeds(self.view).join(key, member, source, root in REPLAY_LAST, root in PACED)

    def _sink(self, operation: Any, prefix: str) -> Any:
        """What writes a feed's ``next`` payload straight to this socket (``Member.deliver``): the frame is made
        once per change and operation id (``made``), then written as bytes; None without a lean protocol."""
        ref = (self.websocket.ws.scope.get("extensions") or {}).get(WS_PROTOCOL)
        if ref is None:
            return None
        operations = self.operations

        def sink(payload: str, made: dict) -> bool:
            protocol = ref()
            if protocol is None or operation.completed or operations.get(operation.id) is not operation:
                return False  # (its sender sees the end)
            frame = made.get(prefix)
            if frame is None:
                frame = made[prefix] = text_frame((prefix + payload + "}").encode())
            return protocol.write_frame(frame)

        return sink

    async def run_operation(self, operation: Any) -> None:
        root = self._shared_root(operation)
        if root is None:
            return await super().run_operation(operation)
        # A shared operation keeps no task: it joins its feed and this task ends. Frames go straight to the socket
        # (the sink) or, when one cannot, through a task that sends what is queued and ends (``_drain``).
        prefix = '{"id":' + orjson.dumps(operation.id).decode() + ',"type":"next","payload":'
        member = Member(self._sink(operation, prefix))
        member.drain = lambda: self._drain(member, operation, prefix)
        self.shared = self.shared if self.shared is not None else {}
        self.shared[operation.id] = (member, operation)
        operation.task = None  # (this task is done in a moment: nothing to cancel; ``cleanup_operation`` leaves)
        try:
            self._join(member, operation, root)
        except BaseException:
            self._leave(operation.id)
            raise

    async def _drain(self, member: Member, operation: Any, prefix: str) -> None:
        """Send the member's queued frames, in order, then end (the next queued frame starts another)."""
        ended = True
        try:
            send_text = self.websocket.ws.send_text
            while member.frames:
                kind, payload = member.take()
                if operation.completed:
                    return
                if kind == "next":
                    await send_text(prefix + payload + "}")  # the feed's frame, serialized once for all
                elif kind == "error":
                    await operation.send_operation_message({"id": operation.id, "type": "error", "payload": payload})
                    return
                elif (kind, payload) == OVERFLOW:
                    error = to_graphql_error(Refused("LIMIT_EXCEEDED", BEHIND))
                    await operation.send_operation_message(
                        {"id": operation.id, "type": "error", "payload": [error.formatted]})
                    return
                elif (kind, payload) == END:
                    await operation.send_operation_message({"id": operation.id, "type": "complete"})
                    return
            ended = False
        except Exception:  # the socket is gone: the handler's own loop ends the connection
            return
        finally:
            member.sender = None
            if ended:
                self._leave(operation.id, member)

    def _leave(self, operation_id: str, member: Member | None = None) -> None:
        """The shared operation ``operation_id`` (of ``member``, when given) is over: off its feed."""
        entry = (self.shared or {}).get(operation_id)
        if entry is None or (member is not None and entry[0] is not member):
            return
        del self.shared[operation_id]
        member = entry[0]
        if member.feed is not None:
            member.feed.leave(member)
        sender, member.sender = member.sender, None
        if sender is not None and sender is not asyncio.current_task():
            sender.cancel()

    async def cleanup_operation(self, operation_id: str) -> None:
        entry = (self.shared or {}).get(operation_id)
        if entry is not None and self.operations.get(operation_id) is entry[1]:
            self.operations.pop(operation_id)
            self._leave(operation_id)
            return
        await super().cleanup_operation(operation_id)

    def rescope(self) -> None:
        scope = scope_of(self.context.access)
        for member, operation in list((self.shared or {}).values()):
            feed = member.feed
            if feed is None or feed.key[3] == scope:
                continue
            feed.leave(member)
            root = self._shared_root(operation)
            if root in PACED:  # joining another feed would send the log again from its start
                member.offer(("error", [to_graphql_error(Refused("FORBIDDEN", RESCOPED)).formatted]))
            elif root is not None:
                self._join(member, operation, root)

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
