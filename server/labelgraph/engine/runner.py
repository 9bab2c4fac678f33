"""The worker: one implementation for `labelgraph worker` processes and the pool embedded in `labelgraph serve`.

It talks to the execution plane through a worker port (engine/port.py): the embedded pool's port calls the
queue in-process (engine/local.py), an external worker's sends GraphQL over HTTP through the generated client
(engine/remote.py; a Runner given a labelgraph_client.Client wraps it in that port). A worker claims
executions (long-polling executionsClaim), runs each function with its resolved inputs, heartbeats to keep the
lease (stopping the function when the answer says toTerminate), and completes or fails it. On shutdown it stops
claiming, lets running executions finish for up to ``drain`` seconds and releases the leases of the rest.

Function code never runs in the worker's process, nor with its token: each execution runs in a child process
(engine/sandbox.py; isolated as engine/isolation.py says) that loads the service's class once and then runs
its executions one at a time; a worker keeps up to ``slots`` children per service. The child's only way out is
its pipe to the worker: ``context.client`` requests are posted by the worker to its gateway with the token the
claim issued for that execution (a bot of the service's project), progress reports with the worker's lease.
Termination, a lost lease or a timeout kill the child (after a short grace); the next execution gets a new one.

Code: a package's codebase is either IMPORT (``module:Class`` importable here, within the platform's allowlist
``LABELGRAPH_IMPORT_MODULES``) or ARCHIVE (a zip/tar stored by the server, downloaded once and unpacked into
``<cache>/<sha256>/``). The class is instantiated once per child (with the service's initParams) and its
function called as ``instance.<function>(**inputs)``; a function that has a ``context`` parameter also gets an
ExecutionContext (progress reports, the client, termination checks). Coroutine functions run on the child's
event loop, plain functions in a thread.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import os
import shutil
import signal
import socket
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from labelgraph.engine.isolation import NOBODY, Isolation, import_allowed, resolve
from labelgraph.engine.port import PortError, Refused, WorkerPort
from labelgraph.engine.sandbox import encode, read_frame

log = logging.getLogger("labelgraph.worker")
DEFAULT_IMPORT_MODULES = ("labelgraph.samples.*",)  # settings.py: LABELGRAPH_IMPORT_MODULES
TERMINATE_GRACE = 1.0  # seconds a terminated function gets to stop before its process is killed
IDLE_SECONDS = 60.0  # an idle child process is stopped after this long
MAX_RELAYS = 4  # requests of one child relayed at once (each frame may hold up to 64 MiB)
RELAY_CONTENT_MAX = 32 * 2**20  # an item's bytes relayed to a function (base64 in one frame)
CHILD_ENV_KEYS = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
BOOT = ("import sys; sys.path.extend(p for p in {paths!r} if p not in sys.path); "
        "from labelgraph.engine.sandbox import main; main()")


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def default_cache_dir() -> Path:
    return Path(os.environ.get("LABELGRAPH_CODEBASE_CACHE") or Path.home() / ".cache" / "labelgraph" / "codebases")


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


class ChildExited(Exception):
    """The function's process ended (or broke the protocol) before answering."""


@dataclass(frozen=True)
class ServiceCode:
    """What a child of one service loads: ``key`` changes when that does (the package revision, the module's
    reference, the unpacked archive, the init params), and only then are the service's children replaced."""

    service_id: str
    key: tuple
    reference: str
    root: str | None  # the unpacked archive, None for IMPORT
    init_params: dict


@dataclass
class Attempt:
    """The worker's side of one running execution."""

    id: str
    token: str | None
    number: int = 0  # the attempt's number (executions' ``attempts`` when claimed)
    service_id: str = ""
    terminated: asyncio.Event = field(default_factory=asyncio.Event)
    logs: LogShipper | None = None
    token_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


COMPLETION_GATHER = 0.002  # seconds a completion batch waits for the functions still running (class Completions)
LOG_BATCH_LINES = 2000  # lines in one port.logs call …
LOG_BATCH_BYTES = 1024 * 1024  # … and bytes


class LogShipper:
    """Ships one attempt's captured lines through the port, in batches: one call at a time, the lines that
    arrive meanwhile go in the next (so a chatty function costs a few calls a second, whatever it prints, and
    never holds up the heartbeats). Beyond ``max_bytes`` lines are only counted; the plane's marker line says
    how much was dropped."""

    def __init__(self, runner: Runner, execution_id: str, max_bytes: int) -> None:
        self.runner = runner
        self.id = execution_id
        self.max_bytes = max_bytes
        self.used = 0
        self.dropped = 0
        self.pending: list[dict[str, Any]] = []
        self.task: asyncio.Task | None = None
        self.closed = False

    def add(self, lines: Any) -> None:
        if self.closed or not isinstance(lines, list):
            return
        for line in lines:
            if not isinstance(line, dict) or not isinstance(line.get("text"), str):
                continue
            size = len(line["text"].encode())
            if self.used + size > self.max_bytes:
                self.dropped += size
                continue
            self.used += size
            self.pending.append({k: line.get(k) for k in ("time", "stream", "level", "text")})
        if (self.pending or self.dropped) and (self.task is None or self.task.done()):
            self.task = asyncio.create_task(self._ship())

    async def _ship(self) -> None:
        sent_dropped = 0
        while self.pending or self.dropped > sent_dropped:
            count = size = 0
            for line in self.pending:
                if count >= LOG_BATCH_LINES or size >= LOG_BATCH_BYTES:
                    break
                count += 1
                size += len(line["text"])
            batch, self.pending = self.pending[:count], self.pending[count:]
            dropped = self.dropped - sent_dropped
            started = time.monotonic()
            try:
                await self.runner.port.logs(self.id, self.runner.worker_id, batch, dropped)
            except Refused as exc:  # the lease is gone: nobody will read more of this attempt
                log.info("worker %s: logs of %s refused: %s", self.runner.worker_id, self.id, exc)
                self.pending, self.closed = [], True
                return
            except PortError as exc:
                log.warning("worker %s: shipping logs of %s failed: %s", self.runner.worker_id, self.id, exc)
                self.pending = batch + self.pending
                await asyncio.sleep(1.0)
                continue
            sent_dropped += dropped
            if self.pending:  # pace a long stream (half the time at most): the heartbeats' writes and the other
                # executions' get their turn, even on SQLite, whose busy writers are not served in order
                await asyncio.sleep(min(1.0, max(0.05, time.monotonic() - started)))

    async def close(self, timeout: float = 300.0) -> None:
        """Ship what is left (the execution ended): its lines reach the plane before its end does."""
        task = self.task
        if task is not None and not task.done():
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(task), timeout)
        self.closed = True


class FunctionProcess:
    """One child process (engine/sandbox.py) holding one service's instance; runs one execution at a time."""

    def __init__(self, runner: Runner, code: ServiceCode, process: asyncio.subprocess.Process, workdir: str) -> None:
        self.runner = runner
        self.code = code
        self.process = process
        self.workdir = workdir
        self.attempt: Attempt | None = None
        self.idle_since = time.monotonic()
        self._answer: asyncio.Future | None = None
        self._requests: set[asyncio.Task] = set()
        self._relays = asyncio.Semaphore(MAX_RELAYS)
        self._reader = asyncio.create_task(self._read(), name=f"function-process-{process.pid}")

    @classmethod
    async def start(cls, runner: Runner, code: ServiceCode) -> FunctionProcess:
        isolation = runner.isolation
        workdir = tempfile.mkdtemp(prefix="labelgraph-fn-")
        root = code.root
        os.mkdir(os.path.join(workdir, "tmp"))
        if isolation.mode == "user":  # nobody cannot read the worker's cache: the child gets its own copy
            if root is not None:
                root = shutil.copytree(root, os.path.join(workdir, "code"))
            for path in (workdir, *(os.path.join(d, n) for d, dirs, files in os.walk(workdir) for n in dirs + files)):
                os.lchown(path, NOBODY, NOBODY)
        env = {k: os.environ[k] for k in CHILD_ENV_KEYS if k in os.environ}
        env.update(PATH="/usr/local/bin:/usr/bin:/bin", HOME=workdir, TMPDIR=os.path.join(workdir, "tmp"))
        argv = isolation.command(["-I", "-B", "-c", BOOT.format(paths=list(isolation.paths))], workdir, root)
        try:
            process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env, cwd=workdir,
                start_new_session=True, limit=2**16, **isolation.process_options())
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        child = cls(runner, code, process, workdir)
        try:
            answer = await child._ask({"op": "load", "reference": code.reference, "root": root,
                                       "init_params": code.init_params})
            if answer.get("op") != "loaded":
                raise ImportError(answer.get("error") or f"unexpected answer {answer.get('op')!r}")
        except BaseException:
            await child.kill()
            raise
        log.debug("worker %s: started process %d for service %s in %.0f ms", runner.worker_id, process.pid,
                  code.service_id, (time.monotonic() - child.idle_since) * 1000)
        return child

    async def _ask(self, message: dict[str, Any]) -> dict[str, Any]:
        self._answer = asyncio.get_running_loop().create_future()
        self._send(message)
        return await self._answer

    def _send(self, message: dict[str, Any]) -> None:
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.write(encode(message))

    async def run(self, attempt: Attempt, service_id: str, function: str, number: int, inputs: Any) -> dict:
        """The child's answer for one execution: {"op": "done", "output"} | {"op": "failed", "error",
        "traceback"} | {"op": "terminated"}. Raises ChildExited when the process dies first."""
        self.attempt = attempt
        try:
            return await self._ask({"op": "run", "id": attempt.id, "service_id": service_id, "function": function,
                                    "attempt": number, "worker_id": self.runner.worker_id, "inputs": inputs})
        finally:
            self.attempt = None
            self.idle_since = time.monotonic()

    async def terminate(self, execution_id: str) -> None:
        """Ask the function to stop (it sees context.terminate_requested, a coroutine is cancelled), give it
        TERMINATE_GRACE seconds to answer, then kill the process: a terminated child is never used again."""
        if self.alive:
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(self._ask({"op": "terminate", "id": execution_id}), TERMINATE_GRACE)
        await self.kill()

    async def kill(self) -> None:
        """Kill the process group (the function's own children too) and remove the working directory."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(self.process.wait(), 10)
        self._reader.cancel()
        with contextlib.suppress(BaseException):
            await self._reader
        for task in list(self._requests):
            task.cancel()
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def alive(self) -> bool:
        return self.process.returncode is None and not self._reader.done()

    async def _read(self) -> None:
        assert self.process.stdout is not None
        why = "the function's process exited"
        try:
            while True:
                message = await read_frame(self.process.stdout)
                if message is None:
                    break
                if message.get("op") == "log":
                    attempt = self.attempt
                    if attempt is not None and attempt.logs is not None and message.get("id") == attempt.id:
                        attempt.logs.add(message.get("lines"))
                elif message.get("op") in ("http", "progress"):
                    await self._relays.acquire()  # a bounded number at once: the rest wait in the pipe
                    task = asyncio.create_task(self._serve(message))
                    self._requests.add(task)
                    task.add_done_callback(self._relayed)
                elif self._answer is not None and not self._answer.done():
                    self._answer.set_result(message)
        except ValueError as exc:
            why = f"the function's process broke the protocol: {exc}"
        # without its pipe a child is of no use: make sure it is gone, then fail what it was doing
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        code = await self.process.wait()
        if self._answer is not None and not self._answer.done():
            self._answer.set_exception(ChildExited(f"{why} (status {code})"))

    def _relayed(self, task: asyncio.Task) -> None:
        self._requests.discard(task)
        self._relays.release()

    async def _serve(self, message: dict[str, Any]) -> None:
        """Answer a child's request: a GraphQL call of context.client, or a progress report. Both act for the
        execution the child runs now; anything else is refused."""
        reply: dict[str, Any] = {"op": "reply", "rid": message.get("rid")}
        attempt = self.attempt
        try:
            if attempt is None:
                raise PermissionError("no execution is running in this process")
            if message["op"] == "progress":
                percent = message.get("percent")
                await self.runner.port.progress(
                    attempt.id, self.runner.worker_id, percent if isinstance(percent, int) else None,
                    str(message["message"]) if message.get("message") is not None else None,
                    self.runner.lease_seconds)
            else:
                reply.update(await self.runner.relay(attempt, message))
        except Exception as exc:
            reply["error"] = f"{type(exc).__name__}: {exc}"
        self._send(reply)


class Runner:
    """Claims and runs executions until ``stop()``.

    ``client``: a WorkerPort (engine/port.py), or a labelgraph_client.Client (then the GraphQL port over it).
    ``service_ids`` None: every active service the token may work for. ``slots``: executions run at once by
    this worker (the server also caps each service at its concurrency per worker). ``isolation``: how children
    are isolated (default: the best this machine offers, engine/isolation.py); ``import_modules``: the IMPORT
    codebases this worker will load (LABELGRAPH_IMPORT_MODULES)."""

    def __init__(self, client: Any, *, worker_id: str | None = None, service_ids: list[str] | None = None,
                 slots: int = 10, lease_seconds: float = 30.0, wait_seconds: float = 2.0, drain: float = 30.0,
                 cache_dir: Path | None = None, isolation: Isolation | None = None,
                 import_modules: tuple[str, ...] = DEFAULT_IMPORT_MODULES,
                 max_log_bytes: int = 10 * 1024 * 1024) -> None:
        self.port = as_port(client)
        self.max_log_bytes = max_log_bytes
        self.worker_id = worker_id or default_worker_id()
        self.service_ids = service_ids
        self.slots = slots
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self.drain = drain
        self.cache_dir = cache_dir or default_cache_dir()
        self.isolation = isolation
        self.import_modules = import_modules
        self.running: dict[str, asyncio.Task] = {}
        self.attempts: dict[str, Attempt] = {}
        self.completed = 0
        self._stop = asyncio.Event()
        self._code: dict[str, tuple[float, ServiceCode]] = {}
        self._code_lock = asyncio.Lock()
        self._idle: dict[str, list[FunctionProcess]] = {}
        self.started_at: dict[str, float] = {}  # execution id -> monotonic time its function started
        self._completions = Completions(self)
        self._finishing: set[str] = set()
        self._service_of: dict[str, str] = {}  # running execution id -> its service id

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        if self.isolation is None:
            self.isolation = await asyncio.to_thread(resolve, "auto", [self.cache_dir])
            log.info("worker %s: functions run in a %s", self.worker_id, self.isolation.describe())
        self.isolation.protect_worker()
        log.info("worker %s: claiming for %s", self.worker_id, self.service_ids or "every service")
        try:
            while not self._stop.is_set():
                await self._stop_idle(IDLE_SECONDS)
                free = self.slots - len(self.running)
                if free <= 0 or (free < (self.slots + 1) // 2 and self._finishing):
                    # fewer than half the slots free while completions are being written: their slots come free
                    # together when that batch commits, and one claim fills them all (a claim of ten costs about
                    # what a claim of one does; no-ops claimed one by one would also complete one by one)
                    await asyncio.wait([*self.running.values()], return_when=asyncio.FIRST_COMPLETED, timeout=1.0)
                    continue
                try:
                    claims = await self._claim(free)
                except PortError as exc:
                    log.warning("worker %s: claiming failed: %s", self.worker_id, exc)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stop.wait(), 1.0)
                    continue
                for claim in claims:
                    if self._stop.is_set():  # claimed while stopping: give it back at once
                        await self._release(claim.id)
                        continue
                    attempt = Attempt(claim.id, claim.token, claim.attempt, claim.service_id)
                    task = asyncio.create_task(self._execute(attempt, claim.service_id, claim.function_name,
                                                             claim.attempt, claim.resolved_input))
                    self.running[claim.id] = task
                    self._service_of[claim.id] = claim.service_id
                    task.add_done_callback(lambda _t, i=claim.id: self._ended(i))
            await self._shutdown()
        finally:
            flusher = self._completions.flusher
            if flusher is not None and not flusher.done():  # completions under way reach the server first
                await asyncio.wait([flusher], timeout=10)
            await self._stop_idle(0)

    def _ended(self, id_: str) -> None:
        self.running.pop(id_, None)
        self._service_of.pop(id_, None)

    async def _claim(self, free: int) -> list:
        """A port that takes ``running`` (the embedded pool's) is told what this worker runs of each service, so
        the queue need not count it: every execution this worker holds is in ``self.running`` until its end is
        written (a lost lease stays counted until its task ends: fewer claims, never more)."""
        if getattr(self.port, "function_token", None) is None:
            return await self.port.claim(self.worker_id, self.service_ids, free, self.lease_seconds,
                                         self.wait_seconds)
        running: dict[str, int] = {}
        for service_id in self._service_of.values():
            running[service_id] = running.get(service_id, 0) + 1
        return await self.port.claim(self.worker_id, self.service_ids, free, self.lease_seconds, self.wait_seconds,
                                     running=running)

    async def _shutdown(self) -> None:
        if self.running:
            log.info("worker %s: waiting up to %.0f s for %d running executions", self.worker_id, self.drain,
                     len(self.running))
            await asyncio.wait([*self.running.values()], timeout=self.drain)
        for id_, task in list(self.running.items()):
            if id_ in self._finishing:  # the function returned: its completion is being written, not released
                with contextlib.suppress(BaseException):
                    await asyncio.wait_for(task, 10)
                continue
            attempt = self.attempts.get(id_)
            if attempt:
                attempt.terminated.set()
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            await self._release(id_)

    async def _release(self, id_: str) -> None:
        with contextlib.suppress(PortError):
            await self.port.release(id_, self.worker_id)

    async def relay(self, attempt: Attempt, message: dict[str, Any]) -> dict[str, Any]:
        """Post a child's GraphQL request to this worker's gateway as the execution's bot (the claim's token);
        only POSTs to the GraphQL endpoint, with nothing of the child's headers but the content type."""
        if message.get("method") == "GET":
            return await self._relay_content(str(message.get("url") or ""))
        if message.get("method") != "POST":
            return _json_reply(405, "functions may only POST GraphQL requests")
        if not attempt.token and getattr(self.port, "function_token", None) is not None:
            async with attempt.token_lock:  # issued once per attempt, when its function first calls the client
                if not attempt.token:
                    try:
                        attempt.token = await self.port.function_token(attempt.id, self.worker_id, attempt.number)
                    except Refused as exc:
                        return _json_reply(409, f"this execution's attempt has ended: {exc}")
        if not attempt.token:
            return _json_reply(503, "the server issued no token for this execution: context.client needs a "
                                    "server that returns ExecutionClaim.token")
        reply = await self.port.post_graphql(base64.b64decode(message.get("body") or ""),
                                             str(message.get("content_type") or "application/json"), attempt.token)
        return {"status": reply.status, "content_type": reply.content_type,
                "body": base64.b64encode(reply.body).decode()}

    async def _relay_content(self, url: str) -> dict[str, Any]:
        """A child's GET of an item's content (``context.client.read_item_content``): only the gateway's own signed
        ``/files/blobs/`` URLs (the signature is the permission; no token is sent), at most RELAY_CONTENT_MAX bytes."""
        import httpx

        target, gateway = httpx.URL(url), httpx.URL(self.port.gateway())
        if (target.scheme, target.host, target.port) != (gateway.scheme, gateway.host, gateway.port) or \
                not target.path.startswith("/files/blobs/"):
            return _json_reply(403, "functions may only GET the gateway's signed /files/blobs/ URLs")
        reply = await self.port.get_content(str(target), RELAY_CONTENT_MAX)
        return {"status": reply.status, "content_type": reply.content_type,
                "body": base64.b64encode(reply.body).decode()}

    # --- running one execution --------------------------------------------------------------------------
    async def _service_code(self, service_id: str) -> ServiceCode:
        async with self._code_lock:
            cached = self._code.get(service_id)
            if cached and time.monotonic() - cached[0] < 10:
                return cached[1]
            svc = await self.port.service_runtime(service_id)
            if svc is None:
                raise LookupError(f"service {service_id} is not visible to this worker")
            reference = svc.reference
            root = None
            if svc.codebase_type == "ARCHIVE":
                root = str(await self._unpacked(svc.package_id, svc.checksum, svc.filename))
            elif not import_allowed(reference, self.import_modules):
                raise PermissionError(f"module {reference.partition(':')[0]!r} may not be imported by functions "
                                      f"here; allowed: {', '.join(self.import_modules) or 'none'} "
                                      "(LABELGRAPH_IMPORT_MODULES)")
            # the key is what a child loads: a pause, resume or rename keeps the children (and their instances)
            key = (svc.package_revision, reference, root, orjson.dumps(svc.init_params, option=orjson.OPT_SORT_KEYS))
            code = ServiceCode(service_id, key, reference, root, svc.init_params)
            self._code[service_id] = (time.monotonic(), code)
            return code

    async def _unpacked(self, package_id: str, checksum: str, filename: str) -> Path:
        target = self.cache_dir / checksum
        if target.exists():
            return target
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        data = await self.port.package_archive(package_id)
        if hashlib.sha256(data).hexdigest() != checksum:
            raise ValueError(f"the downloaded archive does not match its checksum {checksum}")
        await asyncio.to_thread(_unpack, data, filename, target)
        return target

    async def _acquire(self, code: ServiceCode) -> FunctionProcess:
        """An idle child holding this code, or a new one (children of an older code are stopped)."""
        idle = self._idle.get(code.service_id, [])
        while idle:
            child = idle.pop()
            if child.code.key == code.key and child.alive:
                return child
            await child.kill()
        return await FunctionProcess.start(self, code)

    def _put_back(self, child: FunctionProcess) -> bool:
        idle = self._idle.setdefault(child.code.service_id, [])
        if child.alive and len(idle) < self.slots and not self._stop.is_set():
            idle.append(child)
            return True
        return False

    async def _stop_idle(self, older_than: float) -> None:
        now = time.monotonic()
        for service_id, idle in list(self._idle.items()):
            stale = [c for c in idle if now - c.idle_since >= older_than]
            self._idle[service_id] = [c for c in idle if c not in stale]
            for child in stale:
                await child.kill()

    async def _execute(self, attempt: Attempt, service_id: str, function_name: str, number: int,
                       inputs: Any) -> None:
        id_ = attempt.id
        self.attempts[id_] = attempt
        try:
            try:
                child = await self._acquire(await self._service_code(service_id))
            except Exception as exc:
                log.warning("worker %s: cannot load %s of service %s: %s", self.worker_id, function_name,
                            service_id, exc)
                await self.port.fail(id_, self.worker_id, f"cannot load the function: {exc}")
                return
            self.started_at[id_] = time.monotonic()
            attempt.logs = LogShipper(self, id_, self.max_log_bytes)
            work = asyncio.ensure_future(child.run(attempt, service_id, function_name, number, inputs))
            beat = asyncio.create_task(self._heartbeat(attempt, work))
            try:
                answer = await work
                if answer.get("op") in ("done", "failed"):
                    await attempt.logs.close()  # its lines are in before its end (still heartbeating meanwhile)
            except asyncio.CancelledError:
                await asyncio.shield(child.terminate(id_))
                if attempt.terminated.is_set():
                    return  # terminated (the server ended it) or lease lost: report nothing
                raise
            except ChildExited as exc:
                await child.kill()
                if not attempt.terminated.is_set():
                    await self.port.fail(id_, self.worker_id, str(exc))
                return
            finally:
                beat.cancel()
            if answer.get("op") == "terminated" or attempt.terminated.is_set() or not self._put_back(child):
                await child.kill()
            if attempt.terminated.is_set() or answer.get("op") == "terminated":
                return
            if answer.get("op") == "done":
                self._finishing.add(id_)
                await self._completions.add(id_, answer.get("output"))
                self.completed += 1
            else:
                await self.port.fail(id_, self.worker_id, str(answer.get("error") or "failed"),
                                     {"traceback": answer.get("traceback")})
        except PortError as exc:
            log.warning("worker %s: execution %s: %s", self.worker_id, id_, exc)
        finally:
            self._finishing.discard(id_)
            self.attempts.pop(id_, None)
            self.started_at.pop(id_, None)

    async def _heartbeat(self, attempt: Attempt, work: asyncio.Future) -> None:
        interval = max(0.2, self.lease_seconds / 3)
        while True:  # until cancelled: the lease is kept while the last log lines are shipped too
            await asyncio.sleep(interval)
            try:
                to_terminate = await self.port.heartbeat(attempt.id, self.worker_id, self.lease_seconds)
            except Refused as exc:  # the lease is gone (expired and requeued, ended, or timed out)
                log.warning("worker %s: lost the lease of %s: %s", self.worker_id, attempt.id, exc)
                attempt.terminated.set()
                work.cancel()
                return
            except PortError as exc:
                log.warning("worker %s: heartbeat of %s failed: %s", self.worker_id, attempt.id, exc)
                continue
            if to_terminate:
                log.info("worker %s: execution %s terminated on request", self.worker_id, attempt.id)
                attempt.terminated.set()
                work.cancel()
                return


class Completions:
    """Group commit of completions: those arriving while a batch is written go together in the next one (one
    transaction, or one round of requests, for many executions). A batch waits up to COMPLETION_GATHER for the
    other functions still running to answer (executions claimed together mostly end together: short functions
    then complete in one batch, not one by one); with none running it goes at once."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.pending: dict[str, tuple[Any, asyncio.Future]] = {}
        self.flusher: asyncio.Task | None = None

    async def add(self, id_: str, output: Any) -> None:
        """Complete one execution; raises PortError (or Refused) when it did not complete."""
        future = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved even without a waiter
        self.pending[id_] = (output, future)
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush())
        await asyncio.shield(future)  # a cancelled waiter leaves the batch alone

    async def _flush(self) -> None:
        while self.pending:
            runner = self.runner
            if len(runner.running) > len(runner._finishing):  # some functions have not answered yet
                await asyncio.sleep(COMPLETION_GATHER)
            batch, self.pending = self.pending, {}
            try:
                errors = await self.runner.port.complete_many(self.runner.worker_id,
                                                              {i: out for i, (out, _) in batch.items()})
            except Exception as exc:  # noqa: BLE001 - every waiter gets the failure
                errors = {i: exc if isinstance(exc, PortError) else PortError(f"{type(exc).__name__}: {exc}")
                          for i in batch}
            for id_, (_, future) in batch.items():
                if future.done():
                    continue
                if id_ in errors:
                    future.set_exception(errors[id_])
                else:
                    future.set_result(None)


def as_port(client: Any) -> WorkerPort:
    """``client`` itself when it is a WorkerPort, else the GraphQL port over it (a labelgraph_client.Client)."""
    if isinstance(client, WorkerPort):
        return client
    from labelgraph.engine.remote import GraphQLWorkerPort

    return GraphQLWorkerPort(client)


def _json_reply(status: int, message: str) -> dict[str, Any]:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": "FORBIDDEN"}}]})
    return {"status": status, "content_type": "application/json", "body": base64.b64encode(body).decode()}
