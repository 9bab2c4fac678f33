"""The handler registry other slices plug their job types into.

    from labelgraph.jobs.registry import JobContext, JobResult, register

    @register("export")
    async def export(job: JobContext) -> JobResult:
        total = ...
        for done, chunk in enumerate(chunks, 1):
            job.check_abort()                      # raises JobAborted when commandAbort was called
            await job.progress(done, total, "writing annotations")   # throttled, version + 1, an event
        key = await job.store.put_file(...)        # storage/store.py
        return JobResult(result={"annotations": n}, blob_key=key)   # blob_key -> Command.url (signed on read)

A handler may run more than once for one command (its server was killed mid-job: another process claims the
command when the lease expires and runs it again from the start). Make it safe either way:

* write its output in ONE transaction that also marks the command SUCCESS::

      async with job.transaction() as uow:
          ...  # the writes
          await job.complete(uow, JobResult(result={...}))   # checks the lease in this transaction

  (an attempt that lost its lease raises ``LeaseLost`` there, and its writes roll back); or
* be restartable without duplication (blobs stored by content hash, a zip written under a key derived from the
  command id, …) and return the JobResult: the runner marks SUCCESS.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from labelgraph.jobs.queue import LeaseLost  # noqa: F401  (re-exported for handlers)


class JobAborted(Exception):  # noqa: N818  (a signal, not an error)
    """Raised by ``JobContext.check_abort`` when an abort was asked for: let it propagate."""


@dataclass(frozen=True)
class JobResult:
    result: dict | None = None
    blob_key: str | None = None  # a stored blob to download: Command.url is signed from it on read
    message: str | None = None


@dataclass(frozen=True)
class CommandInfo:
    id: str
    type: str
    input: dict
    project_id: str
    created_by: str | None
    attempt: int = 1


Handler = Callable[["JobContext"], Awaitable[JobResult | None]]
HANDLERS: dict[str, Handler] = {}


def register(type_: str, handler: Handler | None = None) -> Any:
    """Register ``handler`` for commands of ``type_`` (usable as a decorator). Registering a type twice with a
    different handler is a programming error."""

    def add(fn: Handler) -> Handler:
        found = HANDLERS.get(type_)
        if found is not None and found is not fn and getattr(found, "__qualname__", None) != fn.__qualname__:
            raise ValueError(f"a handler for job type {type_!r} is registered already ({found!r})")
        HANDLERS[type_] = fn
        return fn

    return add(handler) if handler is not None else add


def handler_of(type_: str) -> Handler | None:
    return HANDLERS.get(type_)


@dataclass
class JobContext:
    """What a handler gets (jobs/runner.py makes it)."""

    command: CommandInfo
    db: Any  # db.Database
    store: Any  # storage.store.Storage
    settings: Any  # settings.Settings
    _runner: Any = field(repr=False, default=None)
    completed: bool = False
    aborted: bool = False
    lost: bool = False  # the lease went to another process: this attempt stops, writing nothing
    writing: int = 0  # transactions of this job open now (``transaction``): see ``progress``

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        """A unit of work (db.UnitOfWork) acting as the platform: access was checked when the job was created."""
        self.writing += 1
        try:
            async with self.db.transaction() as uow:
                yield uow
        finally:
            self.writing -= 1

    async def complete(self, uow: Any, result: JobResult | None = None) -> None:
        """Mark the command SUCCESS inside ``uow`` (the transaction writing the output)."""
        await self._runner.complete(self, uow, result or JobResult())
        self.completed = True

    async def progress(self, done: int, total: int, message: str | None = None, *, step: bool = False) -> None:
        """Report progress (throttled: written at most twice a second, and when done == total; ``step=True``:
        a step of a few, written whatever the throttle).

        Progress is committed at once, from its own connection (version + 1, an outbox event: commandUpdated
        shows it), also while the job's own transaction (``transaction``) is open: a clone reports each table it
        copied before its one transaction commits, and if that transaction fails nothing of the copy is
        visible — only the progress it had reached, then FAILED. On SQLite there is one writer, and the job's
        open transaction holds it: a progress write would wait for that very transaction, so progress reported
        while it is open is not written (it jumps when the transaction commits)."""
        if self.writing and getattr(self.db, "is_sqlite", False):
            return
        await self._runner.progress(self, done, total, message, step=step)

    def check_abort(self) -> None:
        if self.aborted:
            raise JobAborted(f"command {self.command.id} was aborted")
