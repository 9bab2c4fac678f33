"""Limits at the edge, before a request reaches GraphQL: the size of request bodies (``BodyLimit``, an ASGI
middleware) and the time and size of request heads (``EdgeHttpProtocol``, the uvicorn protocol `labelgraph serve`
runs).

Both refuse what an anonymous client could otherwise use to hold the server's memory or connections: a 10 MB
body read whole before its token is looked at, or a request head that never ends (uvicorn waits forever).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State as WSState

log = logging.getLogger("labelgraph.edge")


@dataclass(frozen=True)
class BodyLimitRule:
    limit: int  # bytes
    setting: str  # the environment variable that sets it (named in the refusal)
    anonymous_limit: int | None = None  # for requests without a valid token (None: ``limit``)

    def applied(self, signed_in: bool) -> tuple[int, str]:
        """The limit for a request, and how a refusal names it."""
        if self.anonymous_limit is not None and not signed_in:
            return self.anonymous_limit, (f"{self.anonymous_limit:,} bytes without a valid token (with one: "
                                          f"{self.limit:,} bytes, setting {self.setting})")
        return self.limit, f"{self.limit:,} bytes (setting {self.setting})"


class BodyTooLarge(Exception):
    """Raised from ``receive`` to the app when a body of unknown length goes over its limit."""


class BodyLimit:
    """Refuses request bodies over their route's limit with 413 and a GraphQL-shaped ``LIMIT_EXCEEDED`` error,
    before they are read whole.

    A declared ``Content-Length`` over the limit is refused before a byte of the body is read. A body of unknown
    length (chunked) is counted as the app reads it: at the limit, reading stops, the app's answer is discarded
    and the client gets the 413. Either way uvicorn discards the rest of the body as it arrives (the connection is
    not closed at once: a client still sending would get a reset instead of the 413). Requests without a token
    may get a smaller limit (``anonymous_limit``): anonymous callers may only introspect the schema, and a large
    body's token is looked up before the body is read (a made-up token gets the anonymous limit). A route
    without a rule of its own gets the ``default`` one (a route added later is bounded too); WebSockets pass
    (uvicorn bounds their messages: ``ws_max_size``).
    """

    def __init__(self, app, default: BodyLimitRule, routes: dict[str, BodyLimitRule],
                 authenticate: Callable[[str], Awaitable[Any]] | None = None,
                 multipart: dict[str, BodyLimitRule] | None = None,
                 prefixes: dict[str, BodyLimitRule] | None = None) -> None:
        self.app = app
        self.default = default
        self.routes = routes
        self.authenticate = authenticate  # header -> Access | None (app.py GraphQLApp.authenticate)
        # a multipart/form-data body (file uploads) to these paths gets this rule instead (item content)
        self.multipart = multipart or {}
        self.prefixes = prefixes or {}  # paths under a prefix (e.g. "/files/uploads/") get its rule

    def rule_for(self, scope) -> BodyLimitRule:
        path = scope["path"]
        if path in self.multipart:
            content_type = (_header(scope, b"content-type") or b"").lower()
            if content_type.startswith(b"multipart/form-data"):
                return self.multipart[path]
        rule = self.routes.get(path)
        if rule is None:
            rule = next((r for prefix, r in self.prefixes.items() if path.startswith(prefix)), self.default)
        return rule

    async def _signed_in(self, rule: BodyLimitRule, scope, declared: int | None) -> bool:
        """Whether the request may have the larger limit. Any ``Authorization`` header would do if it were not
        checked, so a body that may pass the anonymous limit has its token looked up first (one lookup; small
        bodies need none)."""
        header = _header(scope, b"authorization")
        if header is None:
            return False
        if rule.anonymous_limit is None or self.authenticate is None or (
                declared is not None and declared <= rule.anonymous_limit):
            return True
        access = await self.authenticate(header.decode("latin-1"))
        return access is not None and access.authenticated

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self.rule_for(scope)
        declared = _declared_length(scope)
        limit, named = rule.applied(await self._signed_in(rule, scope, declared))
        if declared is not None:
            if declared > limit:
                await _refuse(scope, send, limit, named, rule.setting, f"Content-Length {declared:,}")
            else:  # the server reads no more than Content-Length for this request
                await self.app(scope, receive, send)
            return
        received = 0
        over = False
        response_started = False

        async def counting_receive():
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message) -> None:
            nonlocal response_started
            if over:
                return  # whatever the app answers to a body cut short, the client gets the 413
            response_started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if over and not response_started:
            await _refuse(scope, send, limit, named, rule.setting,
                          f"more than {limit:,} bytes of a body without Content-Length")


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return None


def _declared_length(scope) -> int | None:
    """The body's length when one plain Content-Length frames it (the HTTP parser refuses conflicting framing;
    anything else is counted as it is read, all the same)."""
    framing = [(key, value) for key, value in scope["headers"] if key in (b"content-length", b"transfer-encoding")]
    if len(framing) == 1 and framing[0][0] == b"content-length" and framing[0][1].isdigit():
        return int(framing[0][1])
    return None


async def _refuse(scope, send, limit: int, named: str, setting: str, what: str) -> None:
    client = scope.get("client")
    log.info("refused a request body to %s from %s: %s, over the limit of %s", scope["path"],
             client[0] if client else "-", what, named)
    message = f"the request body is over the limit of {named}; send a smaller request"
    body = orjson.dumps({"data": None, "errors": [{"message": message, "extensions": {
        "code": "LIMIT_EXCEEDED", "limit": limit, "setting": setting}}]})
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class EdgeHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size bound on request heads.

    uvicorn (0.54) has neither: a connection that sends nothing, or part of a head and then a byte every few
    seconds (slowloris), stays open for ever, and httptools keeps growing one header for as long as it is sent
    (64 MB of one header: +100 MB of RSS and 16 s of CPU, quadratic). Here a head must be complete within
    ``header_timeout`` seconds of the connection being opened or of the first byte of the next request on a
    kept-alive connection, and within ``max_header_bytes``: otherwise the connection is closed (431 for a head too
    large). Idle kept-alive connections remain uvicorn's ``timeout_keep_alive``. After a response sent before
    its request body was read (a 413), the rest of the body is discarded for at most ``header_timeout`` seconds.
    ``edge_http_protocol`` makes the class with the settings' values.
    """

    header_timeout: float = 10.0
    max_header_bytes: int = 64 * 1024

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._reading_head = True
        self._head_bytes = 0
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._arm_head_timer()
            self._head_bytes += len(data)
        super().data_received(data)
        # still no end of the head after these bytes: they all belong to it
        if self._reading_head and self._head_bytes > self.max_header_bytes and not self.transport.is_closing():
            log.info("refused a request head over %d bytes (LABELGRAPH_MAX_HEADER_BYTES) from %s",
                     self.max_header_bytes, self.client[0] if self.client else "-")
            message = f"request head over {self.max_header_bytes} bytes".encode()
            self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
                                 b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(message), message))
            self.transport.close()

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._reading_head = False
        self._head_bytes = 0
        self._disarm_head_timer()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True  # the next bytes begin the next request's head
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self._reading_head and not self.pipeline and not self.transport.is_closing():
            # answered before its body was read (a 413): bound the time the rest may take
            self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            log.info("closed a connection from %s: no complete request head within %g s "
                     "(LABELGRAPH_HEADER_TIMEOUT)", self.client[0] if self.client else "-", self.header_timeout)
            self.transport.close()


def edge_http_protocol(header_timeout: float, max_header_bytes: int) -> type[EdgeHttpProtocol]:
    """The protocol class for uvicorn's ``http`` option, with these limits."""
    return type("EdgeHttpProtocol", (EdgeHttpProtocol,), {"header_timeout": header_timeout,
                                                          "max_header_bytes": max_header_bytes})


WS_PROTOCOL = "labelgraph.ws"  # the scope extension under which the WebSocket's protocol object is found (a weakref)


def text_frame(data: bytes) -> bytes:
    """An unmasked, final, uncompressed text frame of ``data`` (RFC 6455 §5.2: what a server sends)."""
    n = len(data)
    if n < 126:
        return bytes((0x81, n)) + data
    if n < 65536:
        return struct.pack("!BBH", 0x81, 126, n) + data
    return struct.pack("!BBQ", 0x81, 127, n) + data


_HEADERS: dict[tuple[bytes, bytes], tuple[bytes, bytes]] = {}  # handshake headers seen, shared (at most 1,024)
_UNSHARED = frozenset({b"sec-websocket-key"})  # different on every connection


def _shared_header(header: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    """The same (name, value) as an earlier connection's, one object for all (host, user-agent, upgrade, origin,
    the protocols… are the same on most connections): ~1 KiB less per open WebSocket."""
    shared = _HEADERS.get(header)
    if shared is not None:
        return shared
    if header[0] not in _UNSHARED and len(_HEADERS) < 1024:
        _HEADERS[header] = header
    return header


class _Inbox:
    """The messages a WebSocket received and the app has yet to read: a list and, while the app waits, a future
    (what ``asyncio.Queue`` did here, with its three deques and an ``Event``: ~2 KiB per idle connection)."""

    __slots__ = ("items", "waiter")

    def __init__(self) -> None:
        self.items: list = []
        self.waiter: asyncio.Future | None = None

    def put_nowait(self, item: Any) -> None:
        self.items.append(item)
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def empty(self) -> bool:
        return not self.items

    async def get(self) -> Any:
        while not self.items:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
        return self.items.pop(0)


class _Writable:
    """``asyncio.Event``'s ``is_set``/``set``/``clear``/``wait`` for the protocol's "may write" flag, without an
    event's dict and deque per connection (~800 bytes)."""

    __slots__ = ("flag", "waiters")

    def __init__(self) -> None:
        self.flag = True
        self.waiters: list[asyncio.Future] | None = None

    def is_set(self) -> bool:
        return self.flag

    def set(self) -> None:
        self.flag = True
        waiters, self.waiters = self.waiters, None
        for waiter in waiters or ():
            if not waiter.done():
                waiter.set_result(True)

    def clear(self) -> None:
        self.flag = False

    async def wait(self) -> bool:
        if self.flag:
            return True
        waiter = asyncio.get_running_loop().create_future()
        if self.waiters is None:
            self.waiters = []
        self.waiters.append(waiter)
        return await waiter


class EdgeWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets (sans-I/O) protocol, made lighter for many idle subscriptions and able to send a frame
    made once for many connections:

    * the inbox is a list and a future instead of an ``asyncio.Queue``, the "may write" flag a slotted object
      instead of an ``asyncio.Event``;
    * the handshake's request and response (their headers) are let go once the connection is accepted: the
      request's headers are in the ASGI scope, which the app keeps (websockets' parser keeps the request object
      for the connection's life: its headers are emptied), and there each (name, value) that an earlier
      connection sent too is that connection's object;
    * ``write_frame`` writes a frame made by ``text_frame`` straight to the transport (a subscription feed
      sends the same frame to many connections: no per-connection framing or task), when that is what
      websockets itself would write: the connection open, no extension (permessage-deflate) negotiated, no close
      sent, the transport not paused. Otherwise it answers False and the caller goes the usual way.

    The scope carries a weak reference to the protocol under ``WS_PROTOCOL``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = _Inbox()  # type: ignore[assignment]
        self.writable = _Writable()  # type: ignore[assignment]

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        self.request = None
        headers = event.headers  # copied into the scope; websockets' parser holds ``event`` while the socket lives
        headers._dict.clear()
        headers._list.clear()
        scope = self.__dict__.get("scope")
        if scope is not None:  # (the app has not started yet)
            scope["extensions"][WS_PROTOCOL] = weakref.ref(self)
            scope["headers"] = [_shared_header(header) for header in scope["headers"]]

    async def send(self, message: Any) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept":
            self.response = None

    # keep-alive pings: one round per server for all its connections (``_Pinger``), not a timer per connection
    def start_keepalive(self) -> None:
        if self.ping_interval is not None and self.ping_interval > 0:
            _Pinger.start(self)

    def stop_keepalive(self) -> None:
        self.pending_ping_payload = None

    def handle_pong(self, event: Any) -> None:
        if self.pending_ping_payload is not None and bytes(event.data) == self.pending_ping_payload:
            self.pending_ping_payload = None
            self.last_ping_rtt = self.loop.time() - self.ping_sent_at

    def write_frame(self, frame: bytes) -> bool:
        conn = self.conn
        if (self.close_sent or self.disconnected or not self.writable.flag or conn.writes or conn.extensions
                or conn.state is not WSState.OPEN or self.transport.is_closing()):
            return False
        try:
            self.transport.write(frame)
        except Exception:  # the socket went away under us: the caller's usual path ends the connection
            return False
        return True


_PINGERS: dict[int, _Pinger] = {}  # by id(uvicorn's connections set of a server)


ROUND_SLICE, ROUND_SPREAD = 100, 0.05  # rounds over many connections: 100 at a time, at most 50 ms apart


def round_gap(connections: int, interval: float) -> float:
    """Seconds between the slices (``ROUND_SLICE`` connections each) of a round repeated every ``interval``
    seconds: at most ``ROUND_SPREAD``, and the whole round within half the interval. Spread out so that the
    answers (pongs) of many connections do not arrive in one burst and hold up a change's frames."""
    return min(ROUND_SPREAD, interval / 2 / (connections // ROUND_SLICE + 1))


class _Pinger:
    """uvicorn's WebSocket keep-alive (``ws_ping_interval``, ``ws_ping_timeout``) for every connection of one
    server, in one round: a ping frame to each open connection every ``ping_interval`` seconds, and a connection
    whose last ping went unanswered for ``ping_timeout`` seconds is failed (1011 "keepalive ping timeout"), as
    uvicorn's own timers do — without a timer handle and a payload per connection (~250 bytes each). A round
    walks the server's connections (uvicorn's set of them) ``SLICE`` at a time, ``round_gap`` apart, so the loop
    runs between slices and the pongs do not come back in one burst. The round's timer exists while connections
    need pings."""

    SLICE = ROUND_SLICE
    PAYLOAD = b"lgka"

    def __init__(self, connections: set, loop: asyncio.AbstractEventLoop, interval: float,
                 timeout: float | None) -> None:
        self.connections, self.loop, self.interval, self.timeout = connections, loop, interval, timeout
        self.timer: asyncio.TimerHandle | None = None
        self.gap = 0.0  # seconds between a round's slices

    @classmethod
    def start(cls, protocol: EdgeWebSocketProtocol) -> None:
        key = id(protocol.connections)  # uvicorn's set of the server's open connections, one per server
        pinger = _PINGERS.get(key)
        if pinger is None or pinger.connections is not protocol.connections or pinger.loop is not protocol.loop:
            pinger = _PINGERS[key] = cls(protocol.connections, protocol.loop, protocol.ping_interval,
                                         protocol.ping_timeout)
        if pinger.timer is None:
            pinger.timer = pinger.loop.call_later(pinger.interval, pinger.round)

    def round(self) -> None:
        self.timer = None
        pending = [c for c in self.connections if isinstance(c, EdgeWebSocketProtocol) and c.handshake_complete]
        if not pending:  # the next connection starts another
            if _PINGERS.get(id(self.connections)) is self:
                del _PINGERS[id(self.connections)]
            return
        self.timer = self.loop.call_later(self.interval, self.round)
        self.gap = round_gap(len(pending), self.interval)
        self._slice(pending, 0)

    def _slice(self, connections: list, start: int) -> None:
        now = self.loop.time()
        for protocol in connections[start:start + self.SLICE]:
            if protocol.close_sent or protocol.transport.is_closing():
                continue
            try:
                if protocol.pending_ping_payload is not None:  # the last ping is unanswered
                    if self.timeout is not None and now - protocol.ping_sent_at + 0.05 >= self.timeout:
                        protocol.keepalive_timeout()
                    continue
                protocol.pending_ping_payload = self.PAYLOAD
                protocol.ping_sent_at = now
                protocol.conn.send_ping(self.PAYLOAD)
                protocol.transport.write(b"".join(protocol.conn.data_to_send()))
            except Exception:  # this connection is going away: its own path ends it
                log.debug("keep-alive ping failed", exc_info=True)
        if start + self.SLICE < len(connections):
            self.loop.call_later(self.gap, self._slice, connections, start + self.SLICE)
