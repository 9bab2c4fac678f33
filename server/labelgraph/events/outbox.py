"""After commit: publish a unit of work's outbox events to the broker and mark them published.

Events are inserted in the same transaction as the change (db.UnitOfWork). Publishing happens right after commit;
marking them published is batched in the background: on PostgreSQL a database trigger gives each event a row in
``outbox_pending`` (events/models.py, migration 0015_bulk5) and marking deletes it; on SQLite marking sets
``published_at`` (indexed by ``ix_outbox_pending``: SQLite's row trigger would cost more than the UPDATE it
saves, bench/README.md "branch bulk5"). Nothing committed is lost:

* a publish that fails (``BrokerUnavailable``: Redis unreachable) leaves its events unmarked; the dispatcher then
  stops publishing after commit and lets the sweep publish everything pending, in id order, until the broker is
  back;
* the **sweep** runs every second in the background task of every replica and publishes the events committed more
  than ~2 s ago and still unmarked (a failed publish, or a replica that stopped between commit and publish),
  oldest first, then marks them in the same transaction. It claims them with ``SELECT … FOR UPDATE SKIP LOCKED``
  on PostgreSQL and under SQLite's single-writer ``BEGIN IMMEDIATE`` lock (``db.write_engine``), so two replicas
  never sweep the same event;
* ``drain`` does the same on start without waiting the ~2 s.

Delivery is therefore **at least once**: an event is published once in the normal case, but it is published again
when the broker took it and the mark was then lost (a crash or a database error between publish and mark, or a
publish whose reply was lost). Subscribers see the events of one replica's commits in commit order; events
recovered by the sweep arrive late, after events committed in the meantime, and the message ``id`` (the outbox
event id, time-sortable) identifies a redelivery.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import Database, OutboxEntry, any_id
from labelgraph.events.broker import BrokerUnavailable
from labelgraph.events.models import OutboxEvent, OutboxPending
from labelgraph.tasks import stop_between

log = logging.getLogger("labelgraph.events")
OUTBOX = OutboxEvent.__table__
PENDING = OutboxPending.__table__


def topic_of(resource: str, project_id: str | None) -> str:
    """Events of one resource kind in one project: ``item:prj_…``."""
    return f"{resource}:{project_id or '-'}"


def project_topic(project_id: str | None) -> str:
    """Every event of one project: ``project:prj_…``."""
    return f"project:{project_id or '-'}"


def entity_topic(entity_id: str) -> str:
    """Every event of one entity (published for executions and commands only): ``entity:exe_…``."""
    return f"entity:{entity_id}"


def log_topic(execution_id: str) -> str:
    """The notices of lines kept in one execution's log (engine/logs.py): ``logs:exe_…``."""
    return f"logs:{execution_id}"


LOG_RESOURCE = "executionLog"  # its events go to ``log_topic`` only: nothing else follows log lines
QUEUE_TOPIC = "queue"  # executions becoming claimable (queued, or a service resumed): wakes long-polling claims


def topics_of(e: OutboxEntry) -> tuple[str, ...]:
    if e.resource == LOG_RESOURCE:
        return (log_topic(e.entity_id),)
    topics = (topic_of(e.resource, e.project_id), project_topic(e.project_id), "events")
    if e.resource == "command":
        return (*topics, entity_topic(e.entity_id))
    if e.resource == "service" and e.action == "updated" and e.payload.get("active") is True:
        return (*topics, QUEUE_TOPIC)  # resumed: its queued executions are claimable again, on every replica
    if e.resource != "execution":
        return topics
    topics = (*topics, entity_topic(e.entity_id))
    return (*topics, QUEUE_TOPIC) if e.payload.get("status") == "created" else topics


def message_of(e: OutboxEntry) -> dict:
    return {"id": e.id, "resource": e.resource, "action": e.action, "entityId": e.entity_id,
            "projectId": e.project_id, "payload": e.payload}


_MARK_PG = sa.delete(PENDING).where(any_id(PENDING.c.id))


def _entry(row) -> OutboxEntry:
    return OutboxEntry(row.resource, row.action, row.entity_id, row.project_id, row.payload, row.id)


class OutboxDispatcher:
    SWEEP_BATCH = 500
    # PostgreSQL: the sweep's look checks the events of the oldest this many pending ids (an id is pending from
    # its commit until the dispatcher marks it, a few ms later, or the sweep publishes it; ids sort by time, so
    # an event old enough to sweep is among the oldest pending ones)
    LOOK_AHEAD = 1000

    def __init__(self, db: Database, broker, *, sweep_interval: float = 1.0, sweep_after: float = 2.0) -> None:
        self.db = db
        self.broker = broker
        self.sweep_interval = sweep_interval  # seconds between two sweeps
        self.sweep_after = sweep_after  # an event still unmarked this long after its commit is swept
        self._published: list[str] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._busy = asyncio.Lock()  # held while writing: stop() waits for it (tasks.stop_between)
        self._degraded = False  # a publish failed: leave events to the sweep until it has caught up

    async def on_commit(self, events: list[OutboxEntry]) -> None:
        """Publish a committed unit of work's events. Never raises: what is not published stays for the sweep."""
        if self._degraded:
            return  # the broker failed recently: the sweep publishes these, after the ones before them
        published: list[str] = []
        publish_many = getattr(self.broker, "publish_many", None)
        heard = getattr(self.broker, "heard", None)
        # the in-process broker: an event whose topics no subscriber follows is delivered to no one, so neither its
        # message is built nor is it published (a bulk write's 1,000 events, usually); it is marked all the same
        try:
            todo = [(e, topics_of(e)) for e in events]
            if heard is not None:
                todo = [(e, topics) for e, topics in todo if heard(topics)]
            if publish_many is not None and len(todo) > 1:  # one round trip for a bulk write's events
                await publish_many([(topics, message_of(e)) for e, topics in todo])
            else:
                for e, topics in todo:
                    await self.broker.publish(topics, message_of(e))
                    published.append(e.id)
            published = [e.id for e in events]
        except BrokerUnavailable as exc:
            self._degraded = True
            log.warning("publishing events failed (%s): %d events left in the outbox for the sweep", exc,
                        len(events) - len(published))
        except Exception:
            self._degraded = True
            log.exception("publishing events failed: %d events left in the outbox for the sweep",
                          len(events) - len(published))
        finally:
            self._published.extend(published)
            self._wake.set()

    async def drain(self) -> int:
        """On start: publish every committed event not yet marked published (oldest first)."""
        try:
            return await self.sweep(older_than=0)
        except BrokerUnavailable as exc:
            self._degraded = True
            log.warning("publishing the outbox backlog failed (%s): the sweep retries every %.0f s", exc,
                        self.sweep_interval)
            return 0

    async def sweep(self, older_than: float | None = None) -> int:
        """Publish, oldest first, the events committed more than ``older_than`` seconds ago (default
        ``sweep_after``) and still unmarked, and mark them; returns how many. Safe to run on every replica at once:
        each batch is claimed (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite ``BEGIN IMMEDIATE``) while it is
        published and marked. Raises ``BrokerUnavailable`` after marking what it did publish."""
        after = self.sweep_after if older_than is None else older_than
        total = 0
        while True:
            if self.db.is_sqlite:  # SQLite: published_at IS NULL (its index ix_outbox_pending)
                pending = sa.select(OUTBOX).where(OUTBOX.c.published_at.is_(None))
                claim = pending.order_by(OUTBOX.c.id)  # under BEGIN IMMEDIATE: the file's write lock
            else:  # PostgreSQL: the events with a row in outbox_pending
                pending = sa.select(OUTBOX).join(PENDING, PENDING.c.id == OUTBOX.c.id)
                claim = pending.order_by(PENDING.c.id).with_for_update(skip_locked=True, of=PENDING)
            older = OUTBOX.c.created_at <= utcnow() - timedelta(seconds=after) if after > 0 else sa.true()
            pending, claim = pending.where(older), claim.where(older)
            async with self.db.read() as conn:  # a cheap look first: no write lock while there is nothing to do
                ids = await self._pending_ids(conn, pending, older)
            if not ids:
                return total
            if not self.db.is_sqlite:  # the claim from those ids by primary key too
                claim = claim.where(any_id(OUTBOX.c.id, ids))
            error: Exception | None = None
            async with self.db.write_engine.begin() as conn:
                rows = (await conn.execute(claim.limit(self.SWEEP_BATCH))).all()
                done: list[str] = []
                for row in rows:
                    entry = _entry(row)
                    try:
                        await self.broker.publish(topics_of(entry), message_of(entry))
                    except Exception as exc:
                        error = exc
                        break
                    done.append(entry.id)
                if done:
                    await conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(done)).values(published_at=utcnow()))
                    if not self.db.is_sqlite:
                        await conn.execute(sa.delete(PENDING).where(PENDING.c.id.in_(done)))
            total += len(done)
            if error is not None:
                raise error
            if len(rows) < self.SWEEP_BATCH:  # the rest (if any) is being swept by another replica
                return total

    async def _pending_ids(self, conn, pending: sa.Select, older: sa.ColumnElement) -> list[str]:
        """A cheap look: PostgreSQL, the oldest pending ids whose events are ``older`` (none: nothing to sweep);
        SQLite, one such event's id. On PostgreSQL the pending ids come first, then their events by primary key: a
        join of the two tables was planned as a walk of the whole outbox (7 days of events by default), every
        second."""
        if self.db.is_sqlite:  # ix_outbox_pending (published_at, id): the unpublished events only
            return list((await conn.execute(pending.with_only_columns(OUTBOX.c.id).limit(1))).scalars())
        ids = list((await conn.execute(
            sa.select(PENDING.c.id).order_by(PENDING.c.id).limit(self.LOOK_AHEAD))).scalars())
        if not ids:
            return []
        return list((await conn.execute(sa.select(OUTBOX.c.id).where(
            any_id(OUTBOX.c.id, ids), older))).scalars())

    async def _sweep_round(self) -> None:
        if self._degraded and (await self.broker.health()).get("broker") not in ("ok", "memory"):
            return  # still down: do not claim (lock) events only to fail publishing them
        try:
            # while degraded this replica publishes nothing after commit, so it need not wait for anyone
            swept = await self.sweep(older_than=0 if self._degraded else None)
        except BrokerUnavailable as exc:
            if not self._degraded:
                log.warning("outbox sweep: %s; retrying every %.0f s", exc, self.sweep_interval)
            self._degraded = True
            return
        except Exception:
            log.exception("outbox sweep failed; retrying in %.0f s", self.sweep_interval)
            return
        if swept:
            log.info("outbox sweep published %d events left unpublished (a failed publish, or a replica that "
                     "stopped between commit and publish)", swept)
        if self._degraded:
            self._degraded = False
            log.info("the broker is reachable again: publishing after commit")

    async def _mark(self) -> None:
        ids, self._published = self._published, []
        if not ids:
            return
        try:
            async with self.db.write_engine.begin() as conn:
                if not self.db.is_sqlite:  # a DELETE of narrow rows (the events are not rewritten), the ids as one
                    # array parameter: one statement text whatever their number (an IN list of 500 was rendered and
                    # bound one by one)
                    await conn.execute(_MARK_PG, {"ids": ids})
                    return
                for start in range(0, len(ids), 500):
                    await conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(ids[start:start + 500]))
                                       .values(published_at=utcnow()))
        except BaseException:
            self._published[:0] = ids  # marked on the next batch
            raise

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time() + self.sweep_interval
        while True:
            with contextlib.suppress(TimeoutError):
                # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow the cancellation of stop()
                async with asyncio.timeout(max(next_sweep - loop.time(), 0)):
                    await self._wake.wait()
            if self._wake.is_set():
                self._wake.clear()
                await asyncio.sleep(0.05)  # gather a batch
                try:
                    async with self._busy:
                        await self._mark()
                except Exception:  # logged, retried with the next batch (the sweep would publish them again)
                    log.exception("marking outbox events published failed")
            if loop.time() >= next_sweep:
                async with self._busy:
                    await self._sweep_round()
                next_sweep = loop.time() + self.sweep_interval

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        await stop_between(self._task, self._busy)  # between two writes (tasks.stop_between)
        self._task = None
        with contextlib.suppress(Exception):
            await self._mark()
