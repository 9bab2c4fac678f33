"""The worker: one implementation for `labelgraph worker` processes and the pool embedded in `labelgraph serve`.

It speaks only GraphQL, through the generated client (``labelgraph_client.Client``): the embedded pool's
client talks to its own app in-process (httpx.ASGITransport), an external worker's over HTTP. A worker claims
executions (long-polling executionsClaim), runs each function with its resolved inputs, heartbeats to keep the
lease (stopping the function when the answer says toTerminate), and completes or fails it. On shutdown it stops
claiming, lets running executions finish for up to ``drain`` seconds and releases the leases of the rest.

Code: a package's codebase is either IMPORT (``module:Class`` importable here) or ARCHIVE (a zip/tar stored by
the server, downloaded once and unpacked into ``<cache>/<sha256>/``). The class is instantiated once per
service (with the service's initParams) and its function called as ``instance.<function>(**inputs)``; a
function that has a ``context`` parameter also gets an ExecutionContext (progress reports, the client,
termination checks). Coroutine functions run on the worker's event loop, plain functions in a thread.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import importlib
import importlib.util
import inspect
import logging
import os
import shutil
import socket
import sys
import tarfile
import tempfile
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger("labelgraph.worker")


class Terminated(Exception):
    """Raised by ExecutionContext.check_terminated() once termination was requested."""


@dataclass
class ExecutionContext:
    """Passed to functions that declare a ``context`` parameter."""

    execution_id: str
    service_id: str
    worker_id: str
    client: Any  # the worker's labelgraph_client.Client (async)
    attempt: int
    _runner: Runner
    _terminated: threading.Event = field(default_factory=threading.Event)

    async def progress(self, percent: int | None = None, message: str | None = None) -> None:
        """Report progress (appended to the execution's status log)."""
        await self._runner.client.report_execution_progress(
            id=self.execution_id, worker_id=self.worker_id, percent_complete=percent, message=message,
            lease_seconds=self._runner.lease_seconds)

    @property
    def terminate_requested(self) -> bool:
        return self._terminated.is_set()

    def check_terminated(self) -> None:
        """A termination checkpoint for long loops (also in threads): raises Terminated when asked to stop."""
        if self._terminated.is_set():
            raise Terminated(self.execution_id)


@dataclass
class _Loaded:
    instance: Any
    fetched: float
    key: tuple


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def default_cache_dir() -> Path:
    return Path(os.environ.get("LABELGRAPH_CODEBASE_CACHE") or Path.home() / ".cache" / "labelgraph" / "codebases")


def _jsonable(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value, default=str))


def _unpack(data: bytes, filename: str, target: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
                for name in zf.namelist():
                    if name.startswith("/") or ".." in Path(name).parts:
                        raise ValueError(f"unsafe path in archive: {name}")
                zf.extractall(tmp)
        else:
            with tarfile.open(fileobj=__import__("io").BytesIO(data)) as tf:
                tf.extractall(tmp, filter="data")
        try:
            tmp.rename(target)
        except OSError:  # another worker unpacked it first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_class(codebase: Any, reference: str | None, root: Path | None):
    """The class a codebase reference names; ``root`` is the unpacked archive (None for IMPORT)."""
    module_name, _, class_name = (reference or codebase.reference).partition(":")
    if root is None:
        module = importlib.import_module(module_name)
    else:
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        path = root.joinpath(*module_name.split("."))
        file = path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
        unique = f"_labelgraph_codebase_{root.name[:16]}_{module_name.replace('.', '_')}"
        module = sys.modules.get(unique)
        if module is None:
            spec = importlib.util.spec_from_file_location(unique, file)
            if spec is None or spec.loader is None:
                raise ImportError(f"no module {module_name} in the archive")
            module = importlib.util.module_from_spec(spec)
            sys.modules[unique] = module
            spec.loader.exec_module(module)
    return getattr(module, class_name)


class Runner:
    """Claims and runs executions until ``stop()``.

    ``service_ids`` None: every active service the token may work for. ``slots``: executions run at once by
    this worker (the server also caps each service at its concurrency per worker)."""

    def __init__(self, client: Any, *, worker_id: str | None = None, service_ids: list[str] | None = None,
                 slots: int = 10, lease_seconds: float = 30.0, wait_seconds: float = 2.0, drain: float = 30.0,
                 cache_dir: Path | None = None) -> None:
        self.client = client
        self.worker_id = worker_id or default_worker_id()
        self.service_ids = service_ids
        self.slots = slots
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self.drain = drain
        self.cache_dir = cache_dir or default_cache_dir()
        self.running: dict[str, asyncio.Task] = {}
        self.contexts: dict[str, ExecutionContext] = {}
        self.completed = 0
        self._stop = asyncio.Event()
        self._loaded: dict[str, _Loaded] = {}
        self._load_lock = asyncio.Lock()
        self.started_at: dict[str, float] = {}  # execution id -> monotonic time its function started

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        from labelgraph_client import LabelgraphError

        log.info("worker %s: claiming for %s", self.worker_id, self.service_ids or "every service")
        while not self._stop.is_set():
            free = self.slots - len(self.running)
            if free <= 0:
                await asyncio.wait([*self.running.values()], return_when=asyncio.FIRST_COMPLETED, timeout=1.0)
                continue
            try:
                payload = await self.client.claim_executions(
                    worker_id=self.worker_id, service_ids=self.service_ids, max=free,
                    lease_seconds=self.lease_seconds, wait_seconds=self.wait_seconds)
            except LabelgraphError as exc:
                log.warning("worker %s: claiming failed: %s", self.worker_id, exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), 1.0)
                continue
            for claim in payload.claims:
                exe = claim.execution
                if self._stop.is_set():  # claimed while stopping: give it back at once
                    await self._release(exe.id)
                    continue
                task = asyncio.create_task(self._execute(exe.id, exe.service.id, exe.function_name, exe.attempts,
                                                         claim.resolved_input))
                self.running[exe.id] = task
                task.add_done_callback(lambda _t, i=exe.id: self.running.pop(i, None))
        await self._shutdown()

    async def _shutdown(self) -> None:
        if self.running:
            log.info("worker %s: waiting up to %.0f s for %d running executions", self.worker_id, self.drain,
                     len(self.running))
            await asyncio.wait([*self.running.values()], timeout=self.drain)
        for id_, task in list(self.running.items()):
            ctx = self.contexts.get(id_)
            if ctx:
                ctx._terminated.set()
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            await self._release(id_)

    async def _release(self, id_: str) -> None:
        from labelgraph_client import LabelgraphError

        with contextlib.suppress(LabelgraphError):
            await self.client.release_execution(id=id_, worker_id=self.worker_id)

    # --- running one execution --------------------------------------------------------------------------
    async def _instance(self, service_id: str) -> Any:
        async with self._load_lock:
            loaded = self._loaded.get(service_id)
            if loaded and time.monotonic() - loaded.fetched < 10:
                return loaded.instance
            svc = await self.client.get_service_runtime(id=service_id)
            if svc is None:
                raise LookupError(f"service {service_id} is not visible to this worker")
            pkg = svc.package
            key = (svc.updated_at, pkg.revision)
            if loaded and loaded.key == key:
                loaded.fetched = time.monotonic()
                return loaded.instance
            module = next((m for m in pkg.modules if m.name == svc.module_name), None)
            root = None
            if pkg.codebase.type_.value == "ARCHIVE":
                root = await self._unpacked(pkg.id, pkg.codebase.checksum, pkg.codebase.filename)
            cls = load_class(pkg.codebase, module.reference if module else None, root)
            params = svc.init_params or {}
            instance = cls(**params) if params else cls()
            self._loaded[service_id] = _Loaded(instance, time.monotonic(), key)
            return instance

    async def _unpacked(self, package_id: str, checksum: str, filename: str) -> Path:
        target = self.cache_dir / checksum
        if target.exists():
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        pkg = await self.client.get_package_archive(id=package_id)
        data = base64.b64decode(pkg.codebase.archive or "")
        if hashlib.sha256(data).hexdigest() != checksum:
            raise ValueError(f"the downloaded archive does not match its checksum {checksum}")
        await asyncio.to_thread(_unpack, data, filename, target)
        return target

    async def _execute(self, id_: str, service_id: str, function_name: str, attempt: int, inputs: Any) -> None:
        from labelgraph_client import LabelgraphError

        ctx = ExecutionContext(id_, service_id, self.worker_id, self.client, attempt, self)
        self.contexts[id_] = ctx
        try:
            try:
                instance = await self._instance(service_id)
                fn = getattr(instance, function_name)
            except Exception as exc:
                log.exception("worker %s: cannot load %s of service %s", self.worker_id, function_name, service_id)
                await self.client.fail_execution(id=id_, worker_id=self.worker_id,
                                                  error=f"cannot load the function: {exc!r}")
                return
            kwargs = dict(inputs or {})
            with contextlib.suppress(TypeError, ValueError):
                if "context" in inspect.signature(fn).parameters:
                    kwargs["context"] = ctx
            self.started_at[id_] = time.monotonic()
            if inspect.iscoroutinefunction(fn):
                work = asyncio.ensure_future(fn(**kwargs))
            else:
                work = asyncio.ensure_future(asyncio.to_thread(fn, **kwargs))
            beat = asyncio.create_task(self._heartbeat(id_, ctx, work))
            try:
                result = await work
            except asyncio.CancelledError:
                if ctx.terminate_requested:
                    return  # terminated (the server ended it) or lease lost: report nothing
                raise
            except Terminated:
                return
            except Exception as exc:
                if ctx.terminate_requested:
                    return
                await self.client.fail_execution(id=id_, worker_id=self.worker_id, error=f"{type(exc).__name__}: {exc}",
                                                 details={"traceback": traceback.format_exc()[-4000:]})
                return
            finally:
                beat.cancel()
            if not ctx.terminate_requested:
                await self.client.complete_execution(id=id_, worker_id=self.worker_id, output=_jsonable(result))
                self.completed += 1
        except LabelgraphError as exc:
            log.warning("worker %s: execution %s: %s", self.worker_id, id_, exc)
        finally:
            self.contexts.pop(id_, None)
            self.started_at.pop(id_, None)

    async def _heartbeat(self, id_: str, ctx: ExecutionContext, work: asyncio.Future) -> None:
        from labelgraph_client import LabelgraphError, MutationError

        interval = max(0.2, self.lease_seconds / 3)
        while not work.done():
            await asyncio.sleep(interval)
            try:
                beat = await self.client.heartbeat_execution(id=id_, worker_id=self.worker_id,
                                                             lease_seconds=self.lease_seconds)
            except MutationError as exc:  # the lease is gone (expired and requeued, or ended)
                log.warning("worker %s: lost the lease of %s: %s", self.worker_id, id_, exc)
                ctx._terminated.set()
                work.cancel()
                return
            except LabelgraphError as exc:
                log.warning("worker %s: heartbeat of %s failed: %s", self.worker_id, id_, exc)
                continue
            if beat.to_terminate:
                log.info("worker %s: execution %s terminated on request", self.worker_id, id_)
                ctx._terminated.set()
                work.cancel()
                return
