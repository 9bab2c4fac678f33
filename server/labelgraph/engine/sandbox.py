"""The child side of function execution: a process that loads one service's class and runs its functions, one
execution at a time, for the worker that started it (engine/runner.py, parent side; engine/isolation.py says
how it is isolated).

It talks to the world only through its stdin/stdout pipe to the worker: frames of a 4-byte big-endian length and
an orjson object. The worker sends ``load`` (codebase reference, unpacked archive root, init params), ``run``
(one execution) and ``terminate``; the child answers ``loaded`` / ``done`` / ``failed`` / ``terminated`` and asks
with ``http`` (a request of ``context.client``: the worker posts it to its gateway with the execution's own
token) and ``progress``, each answered by a ``reply`` with the same ``rid``, and sends ``log`` frames (what the
function printed to ``sys.stdout``/``sys.stderr`` or logged with ``logging``, in lines; no reply). File
descriptor 1 is the function's stderr (what bypasses ``sys.stdout``, such as a subprocess's output, is not
captured); the protocol uses a private copy of the original stdout.

This module imports nothing of the server (no settings, no database): it is all a child ever loads besides the
function's code, the standard library, orjson and (lazily, on first use of ``context.client``) labelgraph_client.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import importlib.util
import inspect
import io
import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

MAX_FRAME = 64 * 2**20  # a larger frame is a broken or hostile peer


def encode(message: dict[str, Any]) -> bytes:
    body = orjson.dumps(message, default=str)
    if len(body) > MAX_FRAME:
        raise ValueError(f"message of {len(body)} bytes exceeds the {MAX_FRAME}-byte limit")
    return len(body).to_bytes(4, "big") + body


async def read_frame(reader: asyncio.StreamReader) -> dict[str, Any] | None:
    """The next message, or None at the end of the stream. ValueError on a frame too large or not an object."""
    try:
        head = await reader.readexactly(4)
    except asyncio.IncompleteReadError:
        return None
    size = int.from_bytes(head, "big")
    if size > MAX_FRAME:
        raise ValueError(f"a frame of {size} bytes exceeds the {MAX_FRAME}-byte limit")
    try:
        message = orjson.loads(await reader.readexactly(size))
    except asyncio.IncompleteReadError:
        return None
    if not isinstance(message, dict):
        raise ValueError("a frame must hold a JSON object")
    return message


LOG_FLUSH_SECONDS = 0.2  # captured output is sent to the worker this often …
LOG_FLUSH_BYTES = 256 * 1024  # … or as soon as this much is buffered
QUIET_LOGGERS = ("httpx", "httpcore", "asyncio")  # their INFO/DEBUG records are the platform's, not the function's


class Capture:
    """What function code prints (``sys.stdout``, ``sys.stderr``) and logs (``logging``), in lines of the
    execution running now, buffered and sent to the worker as ``log`` frames (no reply: shipping output never
    waits on the worker). Writes come from any thread (plain functions run in one)."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.lock = threading.Lock()
        self.lines: list[dict[str, Any]] = []
        self.size = 0
        self.partial: dict[str, str] = {"stdout": "", "stderr": ""}
        self.execution_id: str | None = None
        self._wake_pending = False
        self._last = 0.0

    def _time(self) -> str:
        now = time.time()
        self._last = now = max(now, self._last + 1e-6)  # strictly increasing: the lines keep their order
        return datetime.fromtimestamp(now, UTC).isoformat()

    def add(self, stream: str, level: str | None, text: str) -> None:
        with self.lock:
            if self.execution_id is None:
                return  # between executions: nobody's output
            self.lines.append({"time": self._time(), "stream": stream, "level": level, "text": text})
            self.size += len(text) + 64
            wake = self.size >= LOG_FLUSH_BYTES and not self._wake_pending
            if wake:
                self._wake_pending = True
        if wake:
            self.host.loop.call_soon_threadsafe(self.flush)

    def write(self, stream: str, data: str) -> None:
        with self.lock:
            buffered = self.partial[stream] + data
            *complete, self.partial[stream] = buffered.split("\n")
        for line in complete:
            self.add(stream, None, line)

    def end_partial(self) -> None:
        for stream in ("stdout", "stderr"):
            with self.lock:
                rest, self.partial[stream] = self.partial[stream], ""
            if rest:
                self.add(stream, None, rest)

    def flush(self) -> None:
        """Send what is buffered (on the loop)."""
        with self.lock:
            lines, self.lines, self.size, self._wake_pending = self.lines, [], 0, False
            id_ = self.execution_id
        if lines and id_ is not None:
            self.host.send({"op": "log", "id": id_, "lines": lines})

    def begin(self, execution_id: str) -> None:
        with self.lock:
            self.execution_id, self.partial = execution_id, {"stdout": "", "stderr": ""}

    def end(self) -> None:
        """The execution ended: its last lines go now, before its answer (the pipe keeps the order)."""
        self.end_partial()
        self.flush()
        with self.lock:
            self.execution_id = None

    async def run(self) -> None:
        while True:
            await asyncio.sleep(LOG_FLUSH_SECONDS)
            self.flush()


class CapturedStream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` of function code."""

    def __init__(self, capture: Capture, stream: str) -> None:
        self.capture = capture
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: str) -> int:
        if not isinstance(data, str):
            raise TypeError(f"write() argument must be str, not {type(data).__name__}")
        self.capture.write(self.stream, data)
        return len(data)

    @property
    def encoding(self) -> str:
        return "utf-8"


class CapturedLogging(logging.Handler):
    """The root logger's handler: every record of function code, with its level."""

    def __init__(self, capture: Capture) -> None:
        super().__init__(logging.DEBUG)
        self.capture = capture
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted says so instead
            text = f"{record.name}: (unformattable record {record.msg!r})"
        self.capture.add("log", record.levelname if record.levelname in LEVELS else None, text)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Reported:
    """What ExecutionContext.progress returns: awaitable (in a coroutine) until the worker took the report; a
    plain function's call has waited already."""

    def __init__(self, future: asyncio.Future | None = None) -> None:
        self._future = future

    def __await__(self):
        if self._future is not None:
            answer = yield from self._future.__await__()
            if answer.get("error"):
                raise RuntimeError(answer["error"])
        return None


class Terminated(Exception):
    """Raised by ExecutionContext.check_terminated() once termination was requested."""


@dataclass
class ExecutionContext:
    """Passed to functions that declare a ``context`` parameter."""

    execution_id: str
    service_id: str
    worker_id: str
    attempt: int
    _host: Host
    _terminated: threading.Event = field(default_factory=threading.Event)
    _percent: int = 0

    @property
    def client(self) -> Any:
        """An async labelgraph_client.Client acting as the service's bot: its project only, while this execution
        runs (requests travel through the worker, which adds the execution's token)."""
        return self._host.client()

    def progress(self, percent: int | None = None, message: str | None = None, *,
                 increment: int | None = None) -> Reported:
        """Report progress (appended to the execution's status log): ``percent`` (0-100), or ``increment`` to
        add to this attempt's last reported percent (capped at 100), and/or a ``message``.

        Works from a plain function (it blocks until the worker took the report) and from a coroutine, which
        may ``await`` it (the report is sent at once either way, so reports keep their order)."""
        if increment is not None:
            if percent is not None:
                raise ValueError("progress: give percent or increment, not both")
            percent = min(100, max(0, self._percent + int(increment)))
        if percent is not None:
            self._percent = percent
        message_ = {"op": "progress", "id": self.execution_id, "percent": percent, "message": message}
        return self._host.report(message_)

    @property
    def terminate_requested(self) -> bool:
        return self._terminated.is_set()

    def check_terminated(self) -> None:
        """A termination checkpoint for long loops (also in threads): raises Terminated when asked to stop."""
        if self._terminated.is_set():
            raise Terminated(self.execution_id)


def load_class(reference: str, root: str | None) -> type:
    """The class ``module:Class`` names: importable here (IMPORT; the worker checked the allowlist) or a module of
    the unpacked archive at ``root``. It must be a class the module itself defines."""
    module_name, _, class_name = reference.partition(":")
    if root is None:
        module = importlib.import_module(module_name)
    else:
        sys.path.insert(0, root)  # the archive's siblings are importable
        path = Path(root).joinpath(*module_name.split("."))
        file = path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
        spec = importlib.util.spec_from_file_location(module_name, file)
        if spec is None or spec.loader is None or not file.exists():
            raise ImportError(f"no module {module_name} in the archive")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    cls = getattr(module, class_name, None)
    if not inspect.isclass(cls) or cls.__module__ != module.__name__:
        raise ImportError(f"{reference} is not a class defined in {module_name}")
    return cls


class PipeTransport:
    """httpx transport of context.client: every request goes to the worker as an ``http`` frame."""

    def __init__(self, host: Host) -> None:
        self.host = host

    async def handle_async_request(self, request: Any) -> Any:
        import httpx

        body = await request.aread()
        answer = await self.host.ask({"op": "http", "method": request.method, "url": str(request.url),
                                      "content_type": request.headers.get("content-type"),
                                      "body": base64.b64encode(body).decode()})
        return httpx.Response(answer.get("status", 502), headers={"content-type": answer.get("content_type") or
                                                                    "application/json"},
                              content=base64.b64decode(answer.get("body") or ""))

    async def aclose(self) -> None:
        pass


class Host:
    """Runs in the child: loads the class, runs executions, relays context.client and progress."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.WriteTransport) -> None:
        self.reader = reader
        self.writer = writer
        self.loop = asyncio.get_running_loop()
        self.instance: Any = None
        self.running: dict[str, tuple[ExecutionContext, asyncio.Task]] = {}
        self.pending: dict[int, asyncio.Future] = {}
        self._rid = 0
        self._client: Any = None
        self.capture = Capture(self)

    def send(self, message: dict[str, Any]) -> None:
        self.writer.write(encode(message))

    async def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send a request to the worker and wait for its reply (callable from the loop only)."""
        answer = await self._request(message)
        if answer.get("error"):
            raise RuntimeError(answer["error"])
        return answer

    def report(self, message: dict[str, Any]) -> Reported:
        """Send a request now; on the loop, the reply is awaited through the answer; from another thread (a
        plain function), this waits for the reply and raises its error."""
        try:
            on_loop = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            on_loop = False
        if on_loop:
            future = self._request(message)
            future.add_done_callback(_retrieve)  # a report not awaited must not warn when it is answered
            return Reported(future)
        asyncio.run_coroutine_threadsafe(self.ask(message), self.loop).result()
        return Reported(None)

    def _request(self, message: dict[str, Any]) -> asyncio.Future:
        self._rid += 1
        rid = self._rid
        future = self.loop.create_future()
        self.pending[rid] = future
        self.send({**message, "rid": rid})
        return future

    def client(self) -> Any:
        if self._client is None:
            import httpx

            from labelgraph_client import Client

            transport = PipeTransport(self)
            self._client = Client("http://worker/graphql", "relayed-by-the-worker",
                                  http_client=httpx.AsyncClient(transport=transport, timeout=None))
        return self._client

    async def serve(self) -> None:
        while True:
            message = await read_frame(self.reader)
            if message is None:
                return
            op = message.get("op")
            if op == "reply":
                future = self.pending.pop(message.get("rid"), None)
                if future is not None and not future.done():
                    future.set_result(message)
            elif op == "load":
                self.load(message)
            elif op == "run":
                task = asyncio.create_task(self.run(message))
                self.running[message["id"]] = (self._context(message), task)
            elif op == "terminate":
                found = self.running.get(message.get("id"))
                if found:
                    found[0]._terminated.set()
                    found[1].cancel()

    def load(self, message: dict[str, Any]) -> None:
        try:
            cls = load_class(message["reference"], message.get("root"))
            params = message.get("init_params") or {}
            self.instance = cls(**params) if params else cls()
        except BaseException as exc:  # noqa: BLE001 - any failure of user code is the load's answer
            self.send({"op": "load_failed", "error": f"cannot load the function: {exc!r}"})
            return
        self.send({"op": "loaded"})

    def _context(self, message: dict[str, Any]) -> ExecutionContext:
        return ExecutionContext(message["id"], message["service_id"], message["worker_id"], message["attempt"], self)

    async def run(self, message: dict[str, Any]) -> None:
        id_ = message["id"]
        ctx = self.running[id_][0]  # serve() registered it before this task first ran
        self.capture.begin(id_)
        try:
            fn = getattr(self.instance, message["function"])
            kwargs = dict(message.get("inputs") or {})
            with contextlib.suppress(TypeError, ValueError):
                if "context" in inspect.signature(fn).parameters:
                    kwargs["context"] = ctx
            if inspect.iscoroutinefunction(fn):
                result = await fn(**kwargs)
            else:
                result = await asyncio.to_thread(fn, **kwargs)
            self.capture.end()
            self.send({"op": "done", "id": id_, "output": orjson.loads(orjson.dumps(result, default=str))})
        except (Terminated, asyncio.CancelledError):
            self.capture.end()
            self.send({"op": "terminated", "id": id_})
        except Exception as exc:
            self.capture.end()
            if ctx.terminate_requested:
                self.send({"op": "terminated", "id": id_})
            else:
                self.send({"op": "failed", "id": id_, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc()[-4000:]})
        finally:
            self.capture.end()  # (after an answer already sent: nothing is left)
            self.running.pop(id_, None)


def _retrieve(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


async def _main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_FRAME)
    # the protocol keeps private copies of stdin/stdout; what function code prints goes to stderr
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), proto_in)
    writer, _ = await loop.connect_write_pipe(asyncio.Protocol, proto_out)
    host = Host(reader, writer)
    # what function code prints and logs becomes the execution's log lines (the worker ships them)
    sys.stdout, sys.stderr = CapturedStream(host.capture, "stdout"), CapturedStream(host.capture, "stderr")
    root = logging.getLogger()
    root.handlers[:] = [CapturedLogging(host.capture)]
    root.setLevel(logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    flusher = asyncio.create_task(host.capture.run())
    try:
        await host.serve()
    finally:
        flusher.cancel()


def main() -> None:
    """Serve until the worker closes the pipe (it died, or is done with this child): then exit at once, even
    with function threads still running. A worker killed outright takes the child with it (Linux)."""
    if sys.platform == "linux":
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    with contextlib.suppress(Exception):
        asyncio.run(_main())
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
