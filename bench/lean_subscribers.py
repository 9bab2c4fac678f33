"""A lean load generator for `subscriptions_bench.py`: N graphql-transport-ws subscribers in one process, on raw
non-blocking sockets and one `selectors` loop — no asyncio, no task per subscriber, no `websockets` library.

It is a client, not a sampler: each subscriber is its own TCP connection and WebSocket (HTTP/1.1 upgrade, the
``Sec-WebSocket-Accept`` checked), sends ``connection_init`` with the token, waits for ``connection_ack``, sends its
``subscribe``, and then reads **every** frame the server sends it: the frame header is parsed (RFC 6455 §5.2:
FIN/opcode, 7/16/64-bit length, server frames must be unmasked, fragments reassembled), every text frame is decoded
and JSON-parsed whole (``orjson.loads``), and

* ``next``: the state's ``version`` (and ``id`` for ``executionsUpdated``) is recorded with the time its bytes were
  read (``time.time()`` at each ``recv``); a subscriber whose versions of one execution do not increase is counted
  in ``out_of_order``;
* ``ping`` → ``pong`` (graphql-transport-ws keep-alive), a WebSocket ping → pong with its payload (as websockets
  does), a close frame ends the subscriber;
* ``complete`` (``executionUpdated``) or a ``SUCCESS`` state (``executionsUpdated``) ends the subscriber;
  ``error`` is reported.

Client frames are masked (a random key per frame) as RFC 6455 requires. A connection refused, closed or answered
without 101 / ``connection_ack`` before it subscribed is retried (up to 30 times), as the `websockets` client does.
At most ``HANDSHAKING`` connections are in their handshake at once.

Why: the `websockets` + asyncio client needs ~100 µs of CPU per frame (a task wake-up, its frame reader, a
queue, json), so 1,000 subscribers cost the 2-core machine ~100 ms of CPU per change — more than the 50 ms the
benchmark is meant to check, on the cores the server needs. This one needs a `recv` and a parse per frame.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
import selectors
import socket
import struct
import time
from urllib.parse import urlsplit

import orjson

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
HANDSHAKING = 100  # connections in their HTTP/graphql-transport-ws handshake at once
ATTEMPTS = 30


def client_frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """A final, masked client frame (RFC 6455 §5.3)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    key = int.from_bytes((mask * (n // 4 + 1))[:n], "big") if n else 0
    masked = (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big") if n else b""
    return head + mask + masked


class Subscriber:
    __slots__ = ("accept", "attempts", "buf", "closed", "done", "fragments", "index", "last", "sock", "state")

    def __init__(self, index: int) -> None:
        self.index = index
        self.attempts = 0
        self.sock: socket.socket | None = None
        self.buf = bytearray()
        self.state = "new"  # new → http → ack → live → done
        self.accept = b""
        self.fragments: list[bytes] | None = None
        self.last: dict[str, int] = {}  # execution id → last version seen (order check)
        self.done = False
        self.closed = False


class LeanClients:
    def __init__(self, url: str, token: str, query: str, variables: dict, n: int, ends_on_success: bool) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.host = f"{self.address[0]}:{self.address[1]}".encode()
        self.path = (parts.path or "/").encode()
        self.init = client_frame(orjson.dumps({"type": "connection_init",
                                               "payload": {"authorization": f"Bearer {token}"}}))
        self.subscribe = client_frame(orjson.dumps({"id": "1", "type": "subscribe",
                                                    "payload": {"query": query, "variables": variables}}))
        self.pong = client_frame(b'{"type":"pong"}')
        self.ends_on_success = ends_on_success
        self.selector = selectors.DefaultSelector()
        self.subscribers = [Subscriber(i) for i in range(n)]
        self.waiting = list(reversed(self.subscribers))  # not yet connected
        self.retry: list[tuple[float, Subscriber]] = []
        self.handshaking = 0
        self.live = 0
        self.finished = 0
        self.arrivals: dict[tuple[str, int], list[float]] = {}
        self.out_of_order = 0
        self.errors: list[str] = []
        self.frames = 0

    # -- connections
    def _open(self, sub: Subscriber) -> None:
        sub.attempts += 1
        sub.buf.clear()
        sub.fragments = None
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        sub.sock = sock
        key = base64.b64encode(os.urandom(16))
        sub.accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        err = sock.connect_ex(self.address)
        if err not in (0, errno.EINPROGRESS):
            self._failed(sub, f"connect: {os.strerror(err)}")
            return
        sub.state = "http"
        self.handshaking += 1
        request = (b"GET " + self.path + b" HTTP/1.1\r\nHost: " + self.host + b"\r\nUpgrade: websocket\r\n"
                   b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n"
                   b"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n")
        self.selector.register(sock, selectors.EVENT_WRITE, (sub, request))

    def _failed(self, sub: Subscriber, why: str) -> None:
        """Before it subscribed: try again later; after: an error."""
        if sub.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(sub.sock)
            sub.sock.close()
            sub.sock = None
        if sub.state in ("http", "ack"):
            self.handshaking -= 1
        if sub.state in ("new", "http", "ack") and sub.attempts < ATTEMPTS:
            sub.state = "new"
            self.retry.append((time.monotonic() + 0.5 + sub.attempts * 0.1, sub))
            return
        if not sub.done:
            self.errors.append(f"subscriber {sub.index}: {why}")
            sub.done = True
            self.finished += 1
            if sub.state in ("new", "http", "ack"):
                self.live += 1  # (counted so that `ready` is not waited for in vain; the error says why)
        sub.state = "done"

    def _send(self, sub: Subscriber, data: bytes) -> None:
        sub.sock.sendall(data)  # small frames on a socket with room: no partial writes in practice

    # -- reading
    def _readable(self, sub: Subscriber, now: float) -> None:
        try:
            data = sub.sock.recv(262144)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._failed(sub, f"recv: {exc}")
            return
        if not data:
            self._failed(sub, "the server closed the connection")
            return
        buf = sub.buf
        buf += data
        if sub.state == "http":
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).split(b"\r\n")
            del buf[:end + 4]
            headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(b":") for h in head[1:])}
            if not head[0].startswith(b"HTTP/1.1 101") or headers.get(b"sec-websocket-accept") != sub.accept:
                self._failed(sub, f"handshake answered {head[0]!r}")
                return
            sub.state = "ack"
            self._send(sub, self.init)
        while len(buf) >= 2 and not sub.done:
            b0, b1 = buf[0], buf[1]
            if b1 & 0x80:
                self._failed(sub, "a masked frame from the server")
                return
            length, start = b1 & 0x7F, 2
            if length == 126:
                if len(buf) < 4:
                    return
                length, start = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length, start = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < start + length:
                return
            payload = bytes(buf[start:start + length])
            del buf[:start + length]
            opcode, fin = b0 & 0x0F, b0 & 0x80
            if opcode == 0x0 or not fin:  # a fragmented message: collect, parse when final
                if opcode:
                    sub.fragments = [payload]
                elif sub.fragments is not None:
                    sub.fragments.append(payload)
                if not fin:
                    continue
                payload, sub.fragments, opcode = b"".join(sub.fragments or ()), None, 0x1
            if opcode == 0x1:
                self._message(sub, payload, now)
            elif opcode == 0x9:
                self._send(sub, client_frame(payload, 0xA))
            elif opcode == 0x8:
                self._failed(sub, f"closed by the server: {payload[:2].hex()} {payload[2:]!r}")
                return

    def _message(self, sub: Subscriber, payload: bytes, now: float) -> None:
        self.frames += 1
        message = orjson.loads(payload)
        kind = message.get("type")
        if kind == "next":
            [state] = message["payload"]["data"].values()
            exe = state.get("id", "")
            version = state["version"]
            if sub.last.get(exe, -1) >= version:
                self.out_of_order += 1
            sub.last[exe] = version
            self.arrivals.setdefault((exe, version), []).append(now)
            if self.ends_on_success and state["status"] == "SUCCESS":
                self._end(sub)
        elif kind == "ping":
            self._send(sub, self.pong)
        elif kind == "connection_ack" and sub.state == "ack":
            self._send(sub, self.subscribe)
            sub.state = "live"
            self.handshaking -= 1
            self.live += 1
        elif kind == "complete":
            self._end(sub)
        elif kind == "error":
            self.errors.append(f"subscriber {sub.index}: {message}")
            self._end(sub)

    def _end(self, sub: Subscriber) -> None:
        sub.done = True
        sub.state = "done"
        self.finished += 1
        self.selector.unregister(sub.sock)
        sub.sock.close()
        sub.sock = None

    # -- the loop
    def run(self, on_ready, timeout: float = 900.0) -> None:
        n = len(self.subscribers)
        ready_sent = False
        deadline = time.monotonic() + timeout
        while self.finished < n:
            mono = time.monotonic()
            if mono > deadline:
                raise SystemExit(f"lean subscribers: {n - self.finished} of {n} not finished in {timeout} s")
            if self.retry:
                due = [s for t, s in self.retry if t <= mono]
                self.retry = [(t, s) for t, s in self.retry if t > mono]
                self.waiting.extend(due)
            while self.waiting and self.handshaking < HANDSHAKING:
                self._open(self.waiting.pop())
            if not ready_sent and self.live == n:
                ready_sent = True
                on_ready()
            events = self.selector.select(0.1 if (self.retry or self.waiting) else 1.0)
            for key, mask in events:
                sub, request = key.data
                if mask & selectors.EVENT_WRITE:  # connected (or failed to)
                    err = sub.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        self._failed(sub, f"connect: {os.strerror(err)}")
                        continue
                    self.selector.modify(sub.sock, selectors.EVENT_READ, (sub, None))
                    self._send(sub, request)
                    continue
                if sub.sock is not None:
                    self._readable(sub, time.time())  # the moment this socket's bytes were read


def lean_client_process(url: str, token: str, exe: str, n: int, ready, done, out) -> None:
    """``subscriptions_bench.client_process``'s signature and results (``out`` gets the arrivals by (execution
    id, version); ``exe``: an execution id, or ``service:<id>`` for ``executionsUpdated``), plus
    ``("meta", …)``: out-of-order deliveries, errors, frames read and this process's CPU seconds."""
    from subscriptions_bench import WATCH, WATCH_ALL

    if exe.startswith("service:"):
        query, variables, ends = WATCH_ALL, {"s": exe.removeprefix("service:")}, True
    else:
        query, variables, ends = WATCH, {"id": exe}, False
    clients = LeanClients(url.replace("http", "ws", 1), token, query, variables, n, ends)
    started = time.process_time()
    clients.run(ready.set)
    arrivals = {((exe if not ends else k[0]), k[1]): v for k, v in clients.arrivals.items()}
    out.put(arrivals | {("meta", 0): {"out_of_order": clients.out_of_order, "errors": clients.errors[:20],
                                      "frames": clients.frames, "cpu_s": time.process_time() - started}})
    done.set()
