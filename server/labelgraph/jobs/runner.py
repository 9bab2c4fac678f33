"""The job runner inside `labelgraph serve` (started in the app's lifespan, like the engine pool): claims
commands with leases (jobs/queue.py), runs their handlers (jobs/registry.py), heartbeats, checks aborts and
writes progress.

* Claims: CREATED commands and IN_PROGRESS ones whose lease expired (their process died), of the types this
  process has a handler for, oldest first, up to ``concurrency`` at a time. It looks twice a second (a cheap
  read) and at once when this process commits a new command.
* While a handler runs, a watchdog reads the command every 0.25 s: an abort (commandAbort) cancels the handler
  and the command ends ABORTED, within a second whether or not the handler calls ``check_abort``. The lease is
  extended every third of its length; a lost lease (another process took the command) cancels the handler.
* Progress is throttled to two writes a second; each is version + 1 with an outbox event.
* Stopping releases the commands still running (back to CREATED, the attempt not counted).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any

from labelgraph.db import Database, OutboxEntry
from labelgraph.errors import Problems
from labelgraph.jobs import queue
from labelgraph.jobs.registry import HANDLERS, CommandInfo, JobAborted, JobContext, JobResult, handler_of
from labelgraph.settings import Settings
from labelgraph.tasks import cancel_and_wait

log = logging.getLogger("labelgraph.jobs")
BUILTIN = ("labelgraph.jobs.handlers", "labelgraph.jobs.formats")
WATCH_INTERVAL = 0.25
PROGRESS_INTERVAL = 0.5


def load_handlers(settings: Settings) -> None:
    for name in (*BUILTIN, *settings.job_modules):
        importlib.import_module(name)


class JobRunner:
    def __init__(self, db: Database, settings: Settings, store: Callable[[], Any], *,
                 owner: str | None = None) -> None:
        self.db = db
        self.settings = settings
        self.store = store
        self.owner = owner or f"jobs-{socket.gethostname()}-{os.getpid()}"
        self.lease_seconds = settings.job_lease_seconds
        self.concurrency = settings.job_concurrency
        self.running: dict[str, asyncio.Task] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._last_progress: dict[str, float] = {}

    def on_commit(self, events: list[OutboxEntry]) -> None:
        if any(e.resource == "command" and e.action == "created" for e in events):
            self._wake.set()

    def start(self) -> None:
        load_handlers(self.settings)
        self._task = asyncio.create_task(self._run(), name="job-runner")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        for id_, task in list(self.running.items()):
            await cancel_and_wait(task)
            with contextlib.suppress(Exception):
                async with self.db.transaction() as uow:
                    await queue.release(uow, id_, self.owner)
        self.running.clear()

    async def _run(self) -> None:
        while True:
            try:
                await self._claim_round()
            except Exception:
                log.exception("claiming jobs failed; retrying")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(PROGRESS_INTERVAL):
                    await self._wake.wait()
            self._wake.clear()

    async def _claim_round(self) -> None:
        room = self.concurrency - len(self.running)
        types = sorted(HANDLERS)
        if room <= 0 or not types:
            return
        async with self.db.read() as conn:
            if not await queue.pending(conn, types):
                return
        async with self.db.transaction() as uow:
            rows = await queue.claim(uow, self.owner, room, self.lease_seconds, types)
        for r in rows:
            info = CommandInfo(id=r.id, type=r.type, input=r.input or {}, project_id=r.project_id,
                               created_by=r.created_by, attempt=r.attempts + 1)
            self.running[r.id] = asyncio.create_task(self._execute(info), name=f"job-{r.id}")

    # --- one command -------------------------------------------------------------------------------------

    async def _execute(self, info: CommandInfo) -> None:
        job = JobContext(command=info, db=self.db, store=self.store(), settings=self.settings, _runner=self)
        handler = handler_of(info.type)
        work = asyncio.create_task(handler(job), name=f"job-handler-{info.id}")
        watch = asyncio.create_task(self._watch(job, work), name=f"job-watch-{info.id}")
        try:
            try:
                result = await work
            finally:
                await cancel_and_wait(watch)
            if not job.completed:
                async with self.db.transaction() as uow:
                    await self.complete(job, uow, result if isinstance(result, JobResult) else JobResult())
        except (JobAborted, asyncio.CancelledError) as exc:
            if isinstance(exc, asyncio.CancelledError) and job.lost:
                log.warning("job %s: the lease was lost; this attempt's output was not written", info.id)
            elif isinstance(exc, asyncio.CancelledError) and not job.aborted:
                raise  # the runner stops: stop() releases the command
            else:
                await self._end(queue.end_aborted, info.id)
        except queue.LeaseLost as exc:
            log.warning("job %s: %s; this attempt's output was not written", info.id, exc)
        except Problems as exc:
            await self._end(queue.fail, info.id, "; ".join(
                f"{'.'.join(map(str, p.field))}: {p.message}" if p.field else p.message for p in exc.problems))
        except Exception as exc:
            log.exception("job %s (%s) failed", info.id, info.type)
            await self._end(queue.fail, info.id, f"{type(exc).__name__}: {exc}")
        finally:
            self.running.pop(info.id, None)
            self._last_progress.pop(info.id, None)
            self._wake.set()

    async def _end(self, how: Callable, id_: str, *args: Any) -> None:
        try:
            async with self.db.transaction() as uow:
                await how(uow, id_, self.owner, *args)
        except queue.LeaseLost as exc:
            log.warning("job %s: %s", id_, exc)

    async def _watch(self, job: JobContext, work: asyncio.Task) -> None:
        """Abort checks every WATCH_INTERVAL, lease extensions every third of the lease."""
        loop = asyncio.get_running_loop()
        next_beat = loop.time() + self.lease_seconds / 3
        while not work.done():
            await asyncio.sleep(WATCH_INTERVAL)
            try:
                if loop.time() >= next_beat:
                    async with self.db.transaction() as uow:
                        stop = await queue.heartbeat(uow, job.command.id, self.owner, self.lease_seconds)
                    next_beat = loop.time() + self.lease_seconds / 3
                else:
                    async with self.db.read() as conn:
                        stop = await queue.abort_requested(conn, job.command.id)
            except queue.LeaseLost as exc:
                log.warning("job %s: %s; stopping this attempt", job.command.id, exc)
                job.lost = True
                work.cancel()
                return
            except Exception:
                log.exception("job %s: heartbeat failed; retrying", job.command.id)
                continue
            if stop:
                job.aborted = True
                work.cancel()
                return

    # --- what JobContext calls ---------------------------------------------------------------------------

    async def complete(self, job: JobContext, uow: Any, result: JobResult) -> None:
        await queue.complete(uow, job.command.id, self.owner, result.result, result.blob_key, result.message)

    async def progress(self, job: JobContext, done: int, total: int, message: str | None,
                       step: bool = False) -> None:
        now = time.monotonic()
        last = self._last_progress.get(job.command.id)
        if not step and done < total and last is not None and now - last < PROGRESS_INTERVAL:
            return
        self._last_progress[job.command.id] = now
        percent = 100 if total <= 0 else int(100 * max(0, min(done, total)) / total)
        async with self.db.transaction() as uow:
            await queue.progress(uow, job.command.id, self.owner, min(percent, 99), message, self.lease_seconds)
