"""/healthz's write probe: does the database still take writes? (A full disk or a read-only fail-over leaves
reads working while every write fails.)"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid

import sqlalchemy as sa
from sqlmodel import SQLModel

from labelgraph.columns import utcnow
from labelgraph.db import Database

log = logging.getLogger("labelgraph.health")

# written and deleted by each probe, in one transaction: empty between probes
HEALTH_PROBE = sa.Table(
    "health_probe", SQLModel.metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("filler", sa.LargeBinary(), nullable=False),
)
PAGE = 4096  # SQLite's page size: a row this large needs a page of its own


class WriteProbe:
    """One committed transaction that inserts a page-sized row and deletes it. It is committed because on SQLite
    a rolled-back write may never touch the disk; it needs a new page because a full disk (or ``max_page_count``)
    first fails the writes that grow the file; on PostgreSQL a read-only database refuses the insert.

    Load balancers may ask every second, and must get a quick answer (a probe takes ~1 ms on SQLite, 70–150 ms
    on a busy PostgreSQL waiting for its commit to be flushed): ``check`` answers with the last probe's result
    and starts a new probe in the background when that result is ``interval`` seconds old, so at most one probe
    runs at a time and a failure shows at most one interval (plus the probe) late. Only the first check waits for
    a probe; a probe still unanswered after ``timeout`` seconds is reported as failing (a stuck writer).
    """

    def __init__(self, db: Database, interval: float, timeout: float) -> None:
        self.db = db
        self.interval = interval
        self.timeout = timeout
        self._probe: asyncio.Future[str] | None = None
        self._started = 0.0
        self._result: str | None = None  # of the last probe that ended
        self._fresh_until = 0.0
        self.probes = 0  # probes started so far

    async def check(self) -> str:
        """``"ok"`` or ``"writes failing: <reason>"``."""
        loop = asyncio.get_running_loop()
        if (self._probe is None or self._probe.done()) and loop.time() >= self._fresh_until:
            self._probe = asyncio.ensure_future(self._write())
            self._started = loop.time()
            self.probes += 1
        too_slow = f"writes failing: no answer within {self.timeout:g} s"
        if self._result is None:  # nothing known yet: wait for the first probe
            try:
                return await asyncio.wait_for(asyncio.shield(self._probe),
                                              max(0.0, self._started + self.timeout - loop.time()))
            except TimeoutError:
                return too_slow
        if not self._probe.done() and loop.time() - self._started >= self.timeout:
            return too_slow
        return self._result

    async def _write(self) -> str:
        row_id = uuid.uuid4().hex
        try:
            async with self.db.transaction() as uow:
                await uow.conn.execute(HEALTH_PROBE.insert().values(id=row_id, written_at=utcnow(),
                                                                    filler=os.urandom(PAGE)))
                await uow.conn.execute(HEALTH_PROBE.delete().where(HEALTH_PROBE.c.id == row_id))
            result = "ok"
        except Exception as exc:  # reported by /healthz, not raised
            # the driver's message, not SQLAlchemy's (which repeats the statement and its 4 KiB parameter)
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            result = f"writes failing: {reason}"
        if result != (self._result or "ok"):
            (log.info if result == "ok" else log.error)("database %s", "writes work again" if result == "ok"
                                                        else result)
        self._result = result
        self._fresh_until = asyncio.get_running_loop().time() + self.interval
        return result
