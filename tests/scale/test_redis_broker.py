"""The Redis broker against a real Redis: two brokers in one process stand for two replicas of a deployment
(each has its own connections and its own reader, exactly as two `labelgraph serve` processes would)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

import pytest
from scale_support import needs_redis, nothing_more, take
from support import eventually

from labelgraph.events.broker import BrokerOverflow
from labelgraph.events.brokers import create_broker
from labelgraph.events.redis_broker import RedisBroker

pytestmark = [needs_redis, pytest.mark.database_agnostic(
    "brokers against Redis only, no database")]


@contextlib.asynccontextmanager
async def replicas(url: str, n: int = 2, **options):
    brokers = [RedisBroker(url, **options) for _ in range(n)]
    try:
        for broker in brokers:
            await broker.start()
        yield brokers
    finally:
        for broker in brokers:
            await broker.close()


def message(i: int, topic: str = "item:prj_1") -> dict:
    return {"id": f"evt_{i:04d}", "resource": "item", "action": "created", "entityId": f"itm_{i}", "topic": topic}


async def test_create_broker_builds_a_redis_broker_for_redis_urls(redis_url):
    broker = create_broker(redis_url)
    try:
        assert isinstance(broker, RedisBroker)
        assert broker.stream == redis_url.split("stream=")[1]
        assert await broker.health() == {"broker": "ok", "reader": "not started"}
        await broker.start()
        assert await broker.health() == {"broker": "ok", "reader": "connected"}
    finally:
        await broker.close()


async def test_a_message_reaches_subscribers_on_every_replica_once_in_publish_order(redis_url):
    async with (replicas(redis_url) as (a, b),
                a.subscribe("item:prj_1") as items_a,
                b.subscribe("item:prj_1", "project:prj_1") as items_b,
                b.subscribe("item:prj_2") as other_project):
        for i in range(10):  # alternate publishers: the stream orders them for everyone
            await (a if i % 2 == 0 else b).publish(["item:prj_1", "project:prj_1", "events"], message(i))
        await a.publish(["item:prj_3"], message(99, "item:prj_3"))
        expected = [message(i) for i in range(10)]
        assert await take(items_a, 10) == expected
        assert await take(items_b, 10) == expected  # subscribed to two of the topics: still once each
        assert await nothing_more(items_a) and await nothing_more(items_b)
        assert await nothing_more(other_project, 0.05)  # other topics never arrive
        assert a.subscriber_count() == 1 and b.subscriber_count() == 2


async def test_publish_many_delivers_each_message_once_in_order_on_every_replica(redis_url):
    # what the outbox dispatcher sends after a bulk write's commit: its events in one round trip
    async with replicas(redis_url) as (a, b), a.subscribe("item:prj_1") as on_a, b.subscribe("item:prj_1") as on_b:
        await a.publish_many([(["item:prj_1", "events"], message(i)) for i in range(300)])
        await a.publish_many([])
        expected = [message(i) for i in range(300)]
        assert await take(on_a, 300) == expected
        assert await take(on_b, 300) == expected
        assert await nothing_more(on_a) and await nothing_more(on_b)

async def test_a_transactions_events_go_in_one_pipeline_in_order(redis_url):
    async with (replicas(redis_url) as (a, b),
                b.subscribe("item:prj_1") as items,
                b.subscribe("item:prj_2") as other):
        sent = []
        original = a._client.pipeline

        def counting(*args, **kwargs):
            sent.append(kwargs)
            return original(*args, **kwargs)

        a._client.pipeline = counting
        await a.publish_many([(["item:prj_1", "events"], message(i)) for i in range(20)])
        assert sent == [{"transaction": False}]  # one round trip, not a MULTI
        assert await take(items, 20) == [message(i) for i in range(20)]
        assert await nothing_more(items) and await nothing_more(other, 0.05)


async def test_a_slow_subscriber_is_cut_off_without_stalling_the_others(redis_url):
    async with (replicas(redis_url) as (a, b),
                a.subscribe("t", maxsize=10) as slow,
                a.subscribe("t") as fast,
                b.subscribe("t") as elsewhere):
        for i in range(50):
            await b.publish(["t"], {"n": i})
        assert [m["n"] for m in await take(fast, 50)] == list(range(50))
        assert [m["n"] for m in await take(elsewhere, 50)] == list(range(50))
        assert [m["n"] for m in await take(slow, 10)] == list(range(10))  # what it had buffered
        with pytest.raises(BrokerOverflow):
            await take(slow, 1)
        assert a.subscriber_count() == 1  # the slow one is gone, the fast one stays
        await b.publish(["t"], {"n": 50})
        assert await take(fast, 1) == [{"n": 50}]


async def _reader_client_id(redis_admin, broker: RedisBroker) -> str | None:
    ids = [c["id"] for c in await redis_admin.client_list() if c.get("name") == broker.reader_name]
    assert len(ids) <= 1, ids
    return ids[0] if ids else None


async def test_the_reader_reconnects_and_delivers_what_was_published_while_it_was_down(redis_url, redis_admin,
                                                                                         caplog):
    caplog.set_level(logging.WARNING, "labelgraph.events")
    # the first reconnect waits 0.5–1 s, so the messages below are surely published while the reader is away
    async with replicas(redis_url, backoff=(1.0, 2.0)) as (a, b), a.subscribe("t") as sub:
        await b.publish(["t"], {"n": 0})
        assert await take(sub, 1) == [{"n": 0}]
        first = await _reader_client_id(redis_admin, a)
        assert first is not None, "the reader names its connection (CLIENT SETNAME)"

        assert await redis_admin.client_kill_filter(_id=first) == 1
        await eventually(lambda: not a.reader_connected, what="the reader to notice its connection is gone")
        for i in range(1, 21):
            await b.publish(["t"], {"n": i})
        assert not a.reader_connected and a.reconnects == 0, "published while the reader was disconnected"

        assert [m["n"] for m in await take(sub, 20)] == list(range(1, 21))  # every one, in order
        assert a.reconnects == 1 and a.reader_connected
        second = await _reader_client_id(redis_admin, a)
        assert second is not None and second != first  # a new connection, found by the same name
        assert await nothing_more(sub)
    assert any("reader lost Redis" in r.getMessage() for r in caplog.records)


async def test_events_trimmed_while_the_reader_was_down_are_reported(redis_url, redis_admin, caplog):
    caplog.set_level(logging.WARNING, "labelgraph.events")
    url = redis_url + "&maxlen=10"  # MAXLEN ~ 10: Redis trims whole nodes (~100 entries) at a time

    async def publish_400() -> None:  # another replica, on an event loop of its own
        async with replicas(url, n=1) as (b,):
            for i in range(400):
                await b.publish(["t"], {"n": i})

    async with replicas(url, n=1, backoff=(0.5, 0.5)) as (a,), a.subscribe("t") as sub:
        assert await redis_admin.client_kill_filter(_id=await _reader_client_id(redis_admin, a)) == 1
        await eventually(lambda: not a.reader_connected, what="the reader to notice its connection is gone")
        # the other replica publishes from a thread while this event loop waits for it (blocked): the reader cannot
        # reconnect before the 400 are in, however loaded the machine (it raced a 1.5-3 s back-off before)
        publisher = threading.Thread(target=asyncio.run, args=(publish_400(),))
        publisher.start()
        publisher.join()
        assert not a.reader_connected, "published while the reader was disconnected"
        stream = url.split("stream=")[1].split("&")[0]
        kept = await redis_admin.xlen(stream)
        assert kept < 400  # some were trimmed
        got = [m["n"] for m in await take(sub, kept)]
        assert got == list(range(400 - kept, 400))  # continues from the oldest available, in order
        assert await nothing_more(sub)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(f"{400 - kept} events of stream" in m and "trimmed" in m for m in errors), errors


async def test_close_leaves_no_task_behind(redis_url):
    before = asyncio.all_tasks()
    broker = RedisBroker(redis_url)
    async with broker.subscribe("t") as sub:
        await broker.publish(["t"], {"n": 1})
        assert await take(sub, 1) == [{"n": 1}]
        started = asyncio.all_tasks() - before
        assert [t.get_name() for t in started if t.get_name().startswith("redis-broker-reader")], started
    await broker.close()
    await asyncio.sleep(0)
    assert asyncio.all_tasks() - before == set()
