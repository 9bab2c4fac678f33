"""The child side of function execution: a process that loads one service's class and runs its functions, one
execution at a time, for the worker that started it (engine/runner.py, parent side; engine/isolation.py says
how it is isolated).

It talks to the world only through its stdin/stdout pipe to the worker: frames of a 4-byte big-endian length and
an orjson object. The worker sends ``load`` (codebase reference, unpacked archive root, init params), ``run``
(one execution) and ``terminate``; the child answers ``loaded`` / ``done`` / ``failed`` / ``terminated`` and asks
with ``http`` (a request of ``context.client``: the worker posts it to its gateway with the execution's own
token) and ``progress``, each answered by a ``reply`` with the same ``rid``. Function code may print: file
descriptor 1 is the function's stderr; the protocol uses a private copy of the original stdout.

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
import os
import sys
import threading
import traceback
from dataclasses import dataclass, field
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
            self.send({"op": "done", "id": id_, "output": orjson.loads(orjson.dumps(result, default=str))})
        except (Terminated, asyncio.CancelledError):
            self.send({"op": "terminated", "id": id_})
        except Exception as exc:
            if ctx.terminate_requested:
                self.send({"op": "terminated", "id": id_})
            else:
                self.send({"op": "failed", "id": id_, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc()[-4000:]})
        finally:
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
    await Host(reader, writer).serve()


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
