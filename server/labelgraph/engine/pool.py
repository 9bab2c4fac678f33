"""The engine inside `labelgraph serve`: trigger matcher, scheduler (cron, lease reaper), the signal that wakes
long-polling claims, and the embedded worker pool (Runners calling the queue in-process: engine/local.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from labelgraph.columns import utcnow
from labelgraph.db import Database, OutboxEntry
from labelgraph.engine.matching import TriggerMatcher
from labelgraph.engine.scheduler import Scheduler
from labelgraph.settings import Settings
from labelgraph.tasks import cancel_and_wait

log = logging.getLogger("labelgraph.engine")


def secret_paths(settings: Settings) -> list[Path]:
    """What function code must not see: the data dir (admin token, SQLite database, files), the SQLite
    database's directory wherever it is, and the codebase cache (other packages' code)."""
    from labelgraph.engine.runner import default_cache_dir

    paths = [Path(settings.data_dir), default_cache_dir()]
    if settings.is_sqlite:
        paths.append(Path(settings.database_url.split(":///", 1)[-1]).parent)
    return paths


def queues_work(e: OutboxEntry) -> bool:
    """An execution queued, or a service resumed (its queued executions are claimable again): without this a
    long-polling claim would notice a resume only at its next re-check, up to a second later."""
    if e.resource == "execution":
        return e.payload.get("status") == "created"
    return e.resource == "service" and e.action == "updated" and e.payload.get("active") is True


class WorkSignal:
    """Wakes executionsClaim long polls when an execution becomes claimable in this process."""

    def __init__(self) -> None:
        self.seq = 0
        self._event = asyncio.Event()

    def notify(self, events: list[OutboxEntry]) -> None:
        if any(queues_work(e) for e in events):
            self.wake()

    def wake(self) -> None:
        self.seq += 1
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def follow(self, broker: Any) -> None:
        """Wake on executions queued by other replicas too (the broker's ``queue`` topic)."""
        from labelgraph.events.broker import BrokerOverflow
        from labelgraph.events.outbox import QUEUE_TOPIC

        while True:
            try:
                async with broker.subscribe(QUEUE_TOPIC) as queued:
                    async for _ in queued:
                        self.wake()
            except BrokerOverflow:  # fell behind: wake once (claims look at the queue itself) and go on
                self.wake()

    async def wait(self, seq: int, timeout: float) -> None:
        if self.seq != seq:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)


class Engine:
    def __init__(self, db: Database, embedded_workers: int = 0, worker_slots: int = 10, broker: Any = None,
                 outbox_retention: timedelta = timedelta(days=7), settings: Settings | None = None,
                 now: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.broker = broker
        self.signal = WorkSignal()
        self.matcher = TriggerMatcher(db)
        self.settings = settings or Settings()
        self.scheduler = Scheduler(db, retention=outbox_retention, now=now,
                                   log_retention=timedelta(days=self.settings.log_retention_days))
        self.embedded_workers = embedded_workers
        self.worker_slots = worker_slots
        self.runners: list[Any] = []
        self._tasks: list[asyncio.Task] = []
        self._followers: list[asyncio.Task] = []
        self._port: Any = None

    def on_commit(self, events: list[OutboxEntry]) -> None:
        self.matcher.notify(events)
        self.signal.notify(events)

    async def start(self, app: Any) -> None:
        matched = await self.matcher.drain()
        if matched:
            log.info("matched %d outbox events left from before the last stop", matched)
        self.matcher.start()
        self.scheduler.start()
        if self.broker is not None:
            self._followers = [asyncio.create_task(self.signal.follow(self.broker), name="engine-queue-follower")]
        if self.embedded_workers > 0:
            await self._start_pool(app)

    async def _start_pool(self, app: Any) -> None:
        from labelgraph.engine.isolation import resolve
        from labelgraph.engine.local import LocalWorkerPort
        from labelgraph.engine.runner import Runner

        # the pool's bookkeeping (claims, heartbeats, completions) calls the queue in this process as the
        # platform: no token exists for it. Functions run in children holding their execution's bot token only
        # (engine/runner.py), isolated as well as this machine allows; their context.client requests reach this
        # app in-process with that token.
        self._port = LocalWorkerPort(self.db, self.signal, app, self.settings.max_log_bytes)
        settings = self.settings
        isolation = await asyncio.to_thread(resolve, settings.sandbox, secret_paths(settings))
        log.info("embedded worker pool: functions run in a %s", isolation.describe())
        base = f"embedded-{socket.gethostname()}-{os.getpid()}"
        for i in range(self.embedded_workers):
            runner = Runner(self._port, worker_id=f"{base}-{i}", slots=self.worker_slots, wait_seconds=2.0,
                            drain=5.0, isolation=isolation, import_modules=settings.import_modules,
                            max_log_bytes=settings.max_log_bytes)
            self.runners.append(runner)
            self._tasks.append(asyncio.create_task(runner.run(), name=f"embedded-worker-{i}"))
        log.info("embedded worker pool: %d workers", self.embedded_workers)

    async def stop(self) -> None:
        for runner in self.runners:
            runner.stop()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=10)
            for t in self._tasks:
                t.cancel()
        if self._port is not None:
            with contextlib.suppress(Exception):
                await self._port.aclose()
        for task in self._followers:
            await cancel_and_wait(task)
        await self.scheduler.stop()
        await self.matcher.stop()
