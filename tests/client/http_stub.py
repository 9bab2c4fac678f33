"""A real HTTP server on 127.0.0.1, in a thread, standing between a client and a live labelgraph: it answers the
first requests from a script (e.g. 503 with Retry-After), then forwards every request to the upstream server.
It records what it received (time, headers, body), so tests see exactly what the client sent and when."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
import time
from typing import Any

import httpx
from support import free_loopback_port


@dataclasses.dataclass
class Scripted:
    status: int
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    body: dict[str, Any] | None = None
    delay: float = 0.0  # seconds to wait before answering (to make a client time out)


@dataclasses.dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: dict[str, Any]


free_port = free_loopback_port  # the name the client tests use


class StubServer:
    """``StubServer(upstream, [Scripted(503, {"Retry-After": "1"})])``: a scripted answer per request while the
    script lasts, then the upstream's answers. ``always`` answers every request from one Scripted entry."""

    def __init__(self, upstream: str | None = None, script: list[Scripted] | None = None, *,
                 always: Scripted | None = None, port: int = 0) -> None:
        self.upstream = upstream
        self.script = list(script or [])
        self.always = always
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._port = port
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/graphql"

    def start(self) -> StubServer:
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                with stub._lock:
                    stub.received.append(Received(time.monotonic(), {k.lower(): v for k, v in self.headers.items()},
                                                  json.loads(raw or b"{}")))
                    step = stub.always or (stub.script.pop(0) if stub.script else None)
                if step is not None:
                    if step.delay:
                        time.sleep(step.delay)
                    self._answer(step.status, step.headers,
                                 json.dumps(step.body if step.body is not None else {"message": "scripted"}).encode())
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
                upstream = httpx.post(stub.upstream, content=raw, headers=headers, timeout=30)
                self._answer(upstream.status_code, {}, upstream.content)

            def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        # shutdown() waits for serve_forever's next poll: 0.05 s, not its default 0.5 s, at every stop
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests."""
        times = [r.at for r in self.received]
        return [b - a for a, b in zip(times, times[1:], strict=False)]
