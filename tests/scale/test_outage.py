"""A replica loses Redis for a while (a real network cut, through a TCP proxy the test closes and reopens): its
mutations keep succeeding, /healthz says the broker is unreachable, and once Redis is back the replica's outbox
sweep publishes every event committed meanwhile — once each, in commit order — to subscribers on other replicas."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
from scale_support import REDIS_HOST, REDIS_PORT, needs_redis, nothing_more, take
from support import DATASET, GQL, ITEMS, ORG, PROJECT, eventually

from labelgraph.app import create_app
from labelgraph.events.redis_broker import RedisBroker

pytestmark = needs_redis


class RedisLink:
    """A TCP proxy in front of Redis: ``cut()`` closes every connection and refuses new ones, ``restore()`` listens
    again on the same port."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pipes: set[asyncio.Task] = set()

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._connect, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        self._server.close()
        await self._server.wait_closed()
        for writer in list(self._writers):
            writer.close()
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
        self._writers.clear()

    async def _connect(self, client_reader, client_writer) -> None:
        try:
            redis_reader, redis_writer = await asyncio.open_connection(REDIS_HOST, REDIS_PORT)
        except OSError:
            client_writer.close()
            return
        self._writers.update((client_writer, redis_writer))
        for source, sink in ((client_reader, redis_writer), (redis_reader, client_writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        sink.close()


async def test_events_committed_while_redis_is_away_are_published_when_it_is_back(settings, admin_token, redis_url):
    link = RedisLink()
    await link.restore()
    stream = redis_url.split("stream=")[1]
    replica = settings.with_(broker_url=f"redis://127.0.0.1:{link.port}/0?stream={stream}")
    app = create_app(replica, migrate=False)
    other = RedisBroker(redis_url)  # another replica, whose Redis connection stays up
    try:
        async with (app.router.lifespan_context(app),
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                      base_url="http://labelgraph.test") as http):
            gql = GQL(http, admin_token)
            org = (await gql(ORG, {"n": "Acme"}))["organizationCreate"]["organization"]["id"]
            project = (await gql(PROJECT, {"o": org, "n": "P"}))["projectCreate"]["project"]["id"]
            dataset = (await gql(DATASET, {"p": project, "n": "d"}))["datasetCreate"]["dataset"]["id"]
            async with other.subscribe(f"item:{project}") as items:

                async def create(name: str) -> str:
                    data = await gql(ITEMS, {"d": dataset, "items": [{"name": name}]})
                    return data["itemsCreate"]["items"][0]["id"]

                first = await create("before.jpg")
                assert [m["entityId"] for m in await take(items, 1)] == [first]

                await link.cut()
                during = [await create(f"during-{i}.jpg") for i in range(5)]  # mutations still succeed
                health = await http.get("/healthz")
                assert health.status_code == 503 and health.json()["broker"].startswith("unreachable"), health.json()
                assert await nothing_more(items, 0.5)

                await link.restore()
                received = await take(items, 5, timeout=10)  # the sweep, within a few seconds
                assert [m["entityId"] for m in received] == during
                assert [m["action"] for m in received] == ["created"] * 5
                await eventually(lambda: _healthy(http), what="/healthz to be 200 again")

                after = await create("after.jpg")  # published right after commit again
                assert [m["entityId"] for m in await take(items, 1)] == [after]
                assert await nothing_more(items)
    finally:
        await other.close()
        with contextlib.suppress(Exception):
            await link.cut()


async def _healthy(http: httpx.AsyncClient) -> bool:
    return (await http.get("/healthz")).status_code == 200
