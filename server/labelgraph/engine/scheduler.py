"""Time-driven work of the engine, run by every server process: cron triggers fire on their schedule within
their window, and the reaper requeues or fails executions whose lease expired or that ran too long.

A cron firing is an execution with ``event_id = "cron:<instant>"``; the unique index on (trigger_id, event_id)
makes each scheduled instant fire once even with several server processes (PostgreSQL additionally skips
triggers another process has locked). Missed instants (the server was down) fire once, then the schedule
continues from now.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from labelgraph.columns import as_utc, utcnow
from labelgraph.db import Database, UnitOfWork
from labelgraph.engine import logs, queue
from labelgraph.engine.cron import CronSpec
from labelgraph.events.models import OutboxEvent, OutboxPending
from labelgraph.faas.models import Service, Trigger
from labelgraph.tasks import stop_between

log = logging.getLogger("labelgraph.engine")
TRIGGER = Trigger.__table__
SERVICE = Service.__table__


def first_fire(spec: str, start_at: datetime | None, end_at: datetime | None, now: datetime) -> datetime | None:
    """The first instant a cron trigger created (or changed) at ``now`` fires; None if never."""
    base = now
    if start_at and as_utc(start_at) > now:
        base = as_utc(start_at) - timedelta(microseconds=1)  # start_at itself may match
    nxt = CronSpec.parse(spec).next_after(base)
    if end_at and nxt > as_utc(end_at):
        return None
    return nxt


async def fire_cron(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Create the executions of every cron trigger due at ``now``; returns how many."""
    now = now or utcnow()
    conn = uow.conn
    stmt = (sa.select(TRIGGER.c.id, TRIGGER.c.project_id, TRIGGER.c.service_id, TRIGGER.c.function_name,
                      TRIGGER.c.cron, TRIGGER.c.end_at, TRIGGER.c.input, TRIGGER.c.next_fire_at,
                      SERVICE.c.package_id, SERVICE.c.max_attempts, SERVICE.c.active.label("service_active"))
            .join(SERVICE, SERVICE.c.id == TRIGGER.c.service_id)
            .where(TRIGGER.c.type == "cron", TRIGGER.c.active.is_(True), TRIGGER.c.next_fire_at.is_not(None),
                   TRIGGER.c.next_fire_at <= now).limit(200))
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=TRIGGER, skip_locked=True)
    due = (await conn.execute(stmt)).all()
    rows, updates = [], []
    for t in due:
        instant = as_utc(t.next_fire_at)
        if t.service_active:  # a paused service's schedule moves on without firing
            rows.append({
                "project_id": t.project_id, "service_id": t.service_id, "package_id": t.package_id,
                "trigger_id": t.id, "event_id": "cron:" + instant.strftime("%Y%m%dT%H%M%SZ"),
                "function_name": t.function_name, "input": dict(t.input or {}), "max_attempts": t.max_attempts,
                "created_by": None,
            })
        nxt = CronSpec.parse(t.cron).next_after(max(now, instant))
        if t.end_at and nxt > as_utc(t.end_at):
            nxt = None
        updates.append({"_id": t.id, "_next": nxt, "_last": instant})
    if not due:
        return 0
    # executions whose (trigger, instant) exists already were created by another process: skip them
    existing = {(r.trigger_id, r.event_id) for r in (await conn.execute(
        sa.select(queue.EXECUTION.c.trigger_id, queue.EXECUTION.c.event_id).where(
            queue.EXECUTION.c.trigger_id.in_([r["trigger_id"] for r in rows] or [""]),
            queue.EXECUTION.c.event_id.in_([r["event_id"] for r in rows] or [""])))).all()}
    rows = [r for r in rows if (r["trigger_id"], r["event_id"]) not in existing]
    await queue.insert_executions(uow, rows)
    await conn.execute(sa.update(TRIGGER).where(TRIGGER.c.id == sa.bindparam("_id")).values(
        next_fire_at=sa.bindparam("_next"), last_fired_at=sa.bindparam("_last")), updates)
    return len(rows)


async def prune_outbox(uow: UnitOfWork, retention: timedelta, now: datetime | None = None,
                       batch: int = 5000) -> int:
    """Delete outbox events older than ``retention`` that are published and matched (at most ``batch``).
    The outbox is the history subscriptions fill version gaps from; a week is far more than they need."""
    outbox, pending = OutboxEvent.__table__, OutboxPending.__table__
    cutoff = (now or utcnow()) - retention
    published = (outbox.c.published_at.is_not(None) if uow.conn.dialect.name == "sqlite"
                 else ~sa.exists().where(pending.c.id == outbox.c.id))  # events/outbox.py
    old = (sa.select(outbox.c.id).where(outbox.c.created_at < cutoff, outbox.c.matched_at.is_not(None), published)
           .limit(batch))
    result = await uow.conn.execute(sa.delete(outbox).where(outbox.c.id.in_(old)))
    return result.rowcount or 0


class Scheduler:
    """Every ``tick`` seconds: fire due cron triggers, reap expired leases and timeouts; every ``prune_every``
    seconds, delete outbox events past ``retention``, dead function tokens and execution log lines past
    ``log_retention``. ``now`` is its clock: a test hands
    it one it moves forward instead of waiting for schedules and leases in real time."""

    def __init__(self, db: Database, tick: float = 0.5, retention: timedelta = timedelta(days=7),
                 prune_every: float = 60.0, now: Callable[[], datetime] = utcnow,
                 log_retention: timedelta = timedelta(days=7)) -> None:
        self.db = db
        self.log_retention = log_retention
        self.now = now
        self.tick = tick
        self.retention = retention
        self.prune_every = prune_every
        self._next_prune = 0.0
        # more housekeeping run every ``prune_every`` seconds with the clock's time (e.g. data/content.py's blob
        # collection, added by app.py); each runs in its own transactions
        self.periodic: list[Callable[[datetime], Awaitable[object]]] = []
        self._task: asyncio.Task | None = None
        self._busy = asyncio.Lock()  # held during a tick: stop() waits for it (tasks.stop_between)

    async def run_once(self) -> None:
        async with self.db.transaction() as uow:
            await fire_cron(uow, self.now())
        async with self.db.transaction() as uow:
            await queue.reap(uow, self.now())
        loop = asyncio.get_running_loop()
        if loop.time() >= self._next_prune:
            self._next_prune = loop.time() + self.prune_every
            async with self.db.transaction() as uow:
                pruned = await prune_outbox(uow, self.retention, self.now())
                tokens = await queue.prune_function_tokens(uow)
                lines = await logs.prune(uow, self.now() - self.log_retention)
            if lines:
                log.info("pruned %d execution log lines older than %s", lines, self.log_retention)
            if pruned:
                log.info("pruned %d outbox events older than %s", pruned, self.retention)
            if tokens:
                log.info("pruned %d revoked or expired function tokens", tokens)
            for job in self.periodic:
                await job(self.now())

    async def _run(self) -> None:
        while True:
            try:
                async with self._busy:
                    await self.run_once()
            except Exception:  # pragma: no cover - logged and retried on the next tick
                log.exception("scheduler tick failed")
            await asyncio.sleep(self.tick)

    # The first prune round of a started scheduler runs this many seconds after start() (0: on its first tick, as a
    # server does). The test suite sets it for its in-process apps, most of which live well under a second: each
    # paid the whole round (~7 transactions, ~20 ms of CPU) and its stop waited for it. Tests of pruning run the
    # round themselves (run_once with the round due).
    first_prune_after = 0.0

    def start(self) -> None:
        if self.first_prune_after:
            self._next_prune = asyncio.get_running_loop().time() + self.first_prune_after
        self._task = asyncio.create_task(self._run(), name="engine-scheduler")

    async def stop(self) -> None:
        await stop_between(self._task, self._busy)
