"""The outbox sweep: events committed but never published (a replica that stopped between commit and publish, or a
publish that failed) are published by whichever replica sweeps first — exactly once, even when several sweep at
the same moment — and a broken broker never loses a committed event. Runs on SQLite and PostgreSQL; two
``Database`` objects on the same test database stand for two replicas."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import timedelta

import httpx
import sqlalchemy as sa
from scale_support import CLOSED_PORT_URL, take
from support import DATASET, GQL, ORG, PROJECT, eventually

from labelgraph.app import create_app
from labelgraph.columns import utcnow
from labelgraph.db import Database
from labelgraph.events.broker import MemoryBroker
from labelgraph.events.outbox import OUTBOX, PENDING, OutboxDispatcher
from labelgraph.ids import new_id


class RecordingBroker(MemoryBroker):
    """The in-process broker, taking a little time per message (as a network broker does) and remembering what it
    published."""

    def __init__(self, delay: float = 0.005) -> None:
        super().__init__()
        self.delay = delay
        self.published: list[str] = []

    async def publish(self, topics, message) -> None:
        await asyncio.sleep(self.delay)
        self.published.append(message["id"])
        await super().publish(topics, message)


@contextlib.asynccontextmanager
async def two_replicas(settings, **options):
    dbs = [Database(settings.database_url) for _ in range(2)]
    brokers = [RecordingBroker() for _ in range(2)]
    dispatchers = [OutboxDispatcher(db, broker, **options) for db, broker in zip(dbs, brokers, strict=True)]
    try:
        yield dbs, brokers, dispatchers
    finally:
        for dispatcher in dispatchers:
            await dispatcher.stop()
        for db in dbs:
            await db.dispose()


async def strand(db: Database, n: int, age: float) -> list[str]:
    """Commit ``n`` outbox events as a replica that stopped right after commit leaves them: never published."""
    created = utcnow() - timedelta(seconds=age)
    ids = [new_id("evt") for _ in range(n)]
    async with db.write_engine.begin() as conn:
        await conn.execute(sa.insert(OUTBOX), [
            {"id": id_, "project_id": "prj_sweep", "resource": "item", "action": "created", "entity_id": f"itm_{i}",
             "payload": {"n": i}, "created_at": created, "published_at": None, "matched_at": created}
            for i, id_ in enumerate(ids)])
    return ids


async def unpublished(db: Database, ids: list[str]) -> set[str]:
    async with db.read() as conn:
        rows = await conn.execute(sa.select(OUTBOX.c.id).where(OUTBOX.c.id.in_(ids), OUTBOX.c.published_at.is_(None)))
        return {r.id for r in rows}


async def test_two_replicas_sweeping_at_once_publish_each_stranded_event_exactly_once(settings):
    async with two_replicas(settings) as ((db, _), brokers, dispatchers):
        for dispatcher in dispatchers:
            dispatcher.SWEEP_BATCH = 10  # several batches, so the two replicas claim batches side by side
        stranded = await strand(db, 40, age=5)
        fresh = await strand(db, 1, age=0)  # just committed: its own replica is publishing it right now

        async with brokers[0].subscribe("project:prj_sweep") as sub:
            counts = await asyncio.gather(*(d.sweep() for d in dispatchers * 2))
            published = brokers[0].published + brokers[1].published
            assert Counter(published) == Counter(stranded)  # each exactly once; not the fresh one
            assert sum(counts) == 40
            if not settings.is_sqlite:  # FOR UPDATE SKIP LOCKED: both claimed batches concurrently
                assert brokers[0].published and brokers[1].published, [len(b.published) for b in brokers]
            assert [m["id"] for m in await take(sub, len(brokers[0].published))] == brokers[0].published

        assert await unpublished(db, stranded) == set()  # marked in the same transaction
        assert await unpublished(db, fresh) == set(fresh)
        assert await asyncio.gather(*(d.sweep() for d in dispatchers)) == [0, 0]  # nothing twice


async def test_the_background_sweep_of_two_replicas_publishes_events_once_they_are_old_enough(settings):
    async with two_replicas(settings, sweep_interval=0.1, sweep_after=0.5) as ((db, _), brokers, dispatchers):
        stranded = await strand(db, 25, age=5)
        late = await strand(db, 5, age=0)
        for dispatcher in dispatchers:
            dispatcher.start()
        await eventually(lambda: _none_left(db, stranded + late), timeout=5,
                         what="the sweep to publish every stranded event")
        await asyncio.sleep(0.3)  # three more sweeps each: nothing is published again
        published = brokers[0].published + brokers[1].published
        assert Counter(published) == Counter(stranded + late)


async def _none_left(db: Database, ids: list[str]) -> bool:
    return not await unpublished(db, ids)


async def test_a_failed_publish_loses_nothing(settings, admin_token):
    """With Redis down, mutations still succeed; their events stay in the outbox until a replica whose broker
    works sweeps them."""
    down = settings.with_(broker_url=CLOSED_PORT_URL)
    app = create_app(down, migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as http):
        gql = GQL(http, admin_token)
        org = (await gql(ORG, {"n": "Acme"}))["organizationCreate"]["organization"]["id"]
        project = (await gql(PROJECT, {"o": org, "n": "P"}))["projectCreate"]["project"]["id"]
        dataset = (await gql(DATASET, {"p": project, "n": "d"}))["datasetCreate"]["dataset"]["id"]
        db: Database = app.state.labelgraph["db"]
        async with db.read() as conn:
            rows = (await conn.execute(sa.select(OUTBOX.c.id, OUTBOX.c.published_at)
                                       .where(OUTBOX.c.entity_id == dataset))).all()
        assert len(rows) == 1 and rows[0].published_at is None  # committed, not published, not lost
        event_id = rows[0].id

    async with two_replicas(settings, sweep_interval=0.1, sweep_after=0.2) as ((db, _), brokers, dispatchers):
        async with brokers[0].subscribe(f"dataset:{project}") as sub:
            dispatchers[0].start()
            [message] = await take(sub, 1)
        assert message["id"] == event_id and message["entityId"] == dataset and message["action"] == "created"
        await eventually(lambda: _none_left(db, [event_id]), what="the event to be marked published")


async def test_events_published_after_commit_leave_nothing_pending_for_the_sweep(settings):
    """The normal path: a committed bulk write's events are published right after commit, then marked published
    (PostgreSQL: their rows in ``outbox_pending`` deleted; SQLite: ``published_at`` set; the events themselves
    kept as history); a sweep then finds nothing to publish again, so each event is published exactly once, in id
    order."""
    async with two_replicas(settings) as ((db, _), brokers, dispatchers):
        db.on_commit = dispatchers[0].on_commit
        dispatchers[0].start()
        async with brokers[0].subscribe("project:prj_marked") as sub:
            async with db.transaction() as uow:
                uow.emit_many("item", "created", [(f"itm_{i}", "prj_marked", {"n": i}) for i in range(100)])
                ids = [e.id for e in uow.events]
            assert [m["id"] for m in await take(sub, 100)] == ids

        async def none_pending() -> bool:
            if settings.is_sqlite:
                return not await unpublished(db, ids)
            async with db.read() as conn:
                return not (await conn.execute(sa.select(PENDING.c.id).where(PENDING.c.id.in_(ids)))).all()

        await eventually(none_pending, what="the published events to be marked")
        assert await asyncio.gather(*(d.sweep(older_than=0) for d in dispatchers)) == [0, 0]
        assert (brokers[0].published, brokers[1].published) == (ids, [])  # once each, nothing swept again
        async with db.read() as conn:  # still there: the outbox is also the entities' history
            assert len((await conn.execute(sa.select(OUTBOX.c.id).where(OUTBOX.c.id.in_(ids)))).all()) == 100


async def test_the_sweep_publishes_a_backlog_larger_than_its_look_ahead_once_and_leaves_young_events(settings):
    """The sweep looks at the oldest pending events a window at a time (PostgreSQL: ``LOOK_AHEAD`` pending ids, then
    their events by key, never a walk of the whole outbox): a backlog of many windows is published whole, each event
    once, in id order, and an event too young to sweep stays for its own replica."""
    async with two_replicas(settings) as ((db, _), brokers, dispatchers):
        dispatcher = dispatchers[0]
        dispatcher.LOOK_AHEAD, dispatcher.SWEEP_BATCH = 4, 3
        delivered = await strand(db, 5, age=30)  # published long ago: not in the backlog
        async with db.write_engine.begin() as conn:
            await conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(delivered)).values(published_at=utcnow()))
            await conn.execute(sa.delete(PENDING))
        stranded = await strand(db, 14, age=5)
        fresh = await strand(db, 1, age=0)

        assert await dispatcher.sweep() == 14
        assert brokers[0].published == stranded  # each once, oldest first
        assert await unpublished(db, stranded) == set()
        assert await unpublished(db, fresh) == set(fresh)
        assert await dispatcher.sweep() == 0


async def test_events_no_subscriber_follows_are_marked_published_without_a_delivery(settings):
    """The in-process broker: a committed write's events whose topics nobody follows are delivered to no one, so
    they are not published one by one; they are still marked published (the sweep finds nothing to send again),
    while a subscriber of one project receives its events, and only those, in id order."""
    async with two_replicas(settings) as ((db, _), brokers, dispatchers):
        db.on_commit = dispatchers[0].on_commit
        dispatchers[0].start()
        async with brokers[0].subscribe("project:prj_heard") as sub:
            async with db.transaction() as uow:
                uow.emit_many("item", "created", [(f"itm_{i}", "prj_unheard", {"n": i}) for i in range(60)])
                uow.emit_many("item", "created", [(f"itm_h{i}", "prj_heard", {"n": i}) for i in range(3)])
                unheard, heard = [e.id for e in uow.events[:60]], [e.id for e in uow.events[60:]]
            assert [m["id"] for m in await take(sub, 3)] == heard
            assert sub.queue.empty()
        assert brokers[0].published == heard  # the others were delivered to no one: never published

        async def none_pending() -> bool:
            if settings.is_sqlite:
                return not await unpublished(db, unheard + heard)
            async with db.read() as conn:
                return not (await conn.execute(sa.select(PENDING.c.id).where(PENDING.c.id.in_(unheard + heard)))).all()

        await eventually(none_pending, what="every event, followed or not, to be marked published")
        assert await asyncio.gather(*(d.sweep(older_than=0) for d in dispatchers)) == [0, 0]
