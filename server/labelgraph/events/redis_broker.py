"""The Redis broker: committed domain events across the replicas of a scaled-out deployment.

Every replica appends what it publishes to ONE Redis stream (``labelgraph:events``; ``?stream=<key>`` in the URL
names another): one ``XADD … MAXLEN ~ 100000`` per message (a committed transaction's messages in one
pipeline), whose single field ``m`` is the orjson encoding of
``{"topics": [...], "message": {...}}``. Every replica runs one reader task that follows the stream with
``XREAD BLOCK`` from the position it has reached and hands each entry to its local subscribers through an
in-process ``MemoryBroker`` (same bounded buffers, same ``BrokerOverflow`` for a subscriber that falls behind).

* Order: every subscriber on every replica sees messages in stream order (the order of the ``XADD``\\ s).
* A dropped reader connection loses nothing: the reader backs off (0.1 s doubling to 5 s, with jitter),
  reconnects and continues from the last id it delivered, so events published meanwhile arrive late but in order
  — as long as they are still in the stream (the newest ~100,000). If the stream was trimmed past that id, the
  reader logs an error with the number of events lost and continues from the oldest one available.
* ``publish`` raises ``BrokerUnavailable`` when Redis cannot be reached after a short retry; the outbox dispatcher
  then leaves the events unmarked and publishes them again later (delivery is at least once, see outbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.exceptions import RedisError, ResponseError

from labelgraph.events.broker import DEFAULT_BUFFER, BrokerUnavailable, MemoryBroker, Subscription
from labelgraph.tasks import cancel_and_wait

log = logging.getLogger("labelgraph.events")

DEFAULT_STREAM = "labelgraph:events"
DEFAULT_MAXLEN = 100_000
FIELD = b"m"
BACKOFF_START = 0.1
BACKOFF_MAX = 5.0


def _stream_id(value: bytes | str) -> tuple[int, int]:
    text = value.decode() if isinstance(value, bytes) else value
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


def _split_url(url: str) -> tuple[str, dict[str, str]]:
    """The Redis URL without our own query parameters (``stream``, ``maxlen``), and those parameters."""
    parts = urlsplit(url)
    ours, theirs = {}, []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in ("stream", "maxlen"):
            ours[key] = value
        else:
            theirs.append((key, value))
    return urlunsplit(parts._replace(query=urlencode(theirs))), ours


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts._replace(query=""))


class RedisBroker:
    def __init__(self, url: str, *, stream: str | None = None, maxlen: int | None = None,
                 block_ms: int = 2000, backoff: tuple[float, float] = (BACKOFF_START, BACKOFF_MAX)) -> None:
        redis_url, params = _split_url(url)
        self.url = _safe(redis_url)
        self.stream = stream or params.get("stream") or DEFAULT_STREAM
        self.maxlen = maxlen or int(params.get("maxlen") or DEFAULT_MAXLEN)
        self.block_ms = block_ms
        self.backoff = backoff  # the reader's reconnect delay: first, maximum (doubling, with jitter)
        # the reader connection's CLIENT SETNAME: find it in CLIENT LIST (operators, tests)
        self.reader_name = f"labelgraph-reader-{os.getpid()}-{secrets.token_hex(4)}"
        self._local = MemoryBroker()
        # publishing and health: a pool; a short retry (connection refused fails in ~0.2 s, a black hole in ~3 s)
        self._client = aioredis.Redis.from_url(
            redis_url, socket_connect_timeout=1, socket_timeout=5,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 2))
        # the reader: one connection, no retry of its own (the loop reconnects and resumes from last_id)
        self._reader_client = aioredis.Redis.from_url(
            redis_url, single_connection_client=True, client_name=self.reader_name, socket_connect_timeout=2,
            socket_timeout=block_ms / 1000 + 5, retry=Retry(NoBackoff(), 0))
        self._reader: asyncio.Task | None = None
        self._start_lock = asyncio.Lock()
        self._closed = False
        self.last_id: str | None = None  # the id of the last entry delivered (or the stream's end at start)
        self._position: int | None = None  # how many entries the stream had received up to last_id, if known
        self.reader_connected = False
        self.reconnects = 0  # times the reader's connection dropped and was re-established

    # -- publishing ------------------------------------------------------------------------------------------------

    async def publish(self, topics: Sequence[str], message: Any) -> None:
        """Append ``message`` to the stream once; every subscriber of any of ``topics`` on every replica gets it."""
        data = orjson.dumps({"topics": list(topics), "message": message})
        try:
            await self._client.xadd(self.stream, {FIELD: data}, maxlen=self.maxlen, approximate=True)
        except (RedisError, OSError) as exc:
            raise BrokerUnavailable(f"cannot publish to Redis at {self.url}: {exc}") from exc

    async def publish_many(self, items: Sequence[tuple[Sequence[str], Any]]) -> None:
        """``publish`` each (topics, message), in order, in one round trip (a pipeline of XADDs, not a MULTI):
        one committed transaction's events. On failure some may have been appended: the caller publishes them
        all again later (delivery is at least once)."""
        if not items:
            return
        if len(items) == 1:
            await self.publish(*items[0])
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for topics, message in items:
                    pipe.xadd(self.stream, {FIELD: orjson.dumps({"topics": list(topics), "message": message})},
                              maxlen=self.maxlen, approximate=True)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            raise BrokerUnavailable(f"cannot publish to Redis at {self.url}: {exc}") from exc

    # -- subscribing -----------------------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str, maxsize: int = DEFAULT_BUFFER) -> AsyncIterator[Subscription]:
        """Subscribe to ``topics`` on this replica (starts the reader on first use)."""
        await self.start()
        async with self._local.subscribe(*topics, maxsize=maxsize) as sub:
            yield sub

    def subscriber_count(self) -> int:
        return self._local.subscriber_count()

    async def start(self) -> None:
        """Start the reader at the stream's current end (messages published after this returns are delivered).

        When Redis is unreachable the reader is started anyway and takes the stream's end once it connects."""
        async with self._start_lock:
            if self._reader is not None or self._closed:
                return
            try:
                async with asyncio.timeout(3):
                    await self._take_stream_end()
                self.reader_connected = True
            except (RedisError, OSError, TimeoutError) as exc:
                log.warning("broker: Redis at %s is unreachable (%s); the event reader keeps trying", self.url, exc)
            self._reader = asyncio.create_task(self._read_loop(), name=f"redis-broker-reader:{self.stream}")

    async def _take_stream_end(self) -> None:
        try:
            info = await self._reader_client.xinfo_stream(self.stream)
        except ResponseError as exc:  # no such key: the stream starts with the first XADD
            if "no such key" not in str(exc).lower():
                raise
            self.last_id, self._position = "0-0", 0
            return
        last = info["last-generated-id"]
        self.last_id = last.decode() if isinstance(last, bytes) else str(last)
        self._position = info.get("entries-added")  # Redis ≥ 7

    async def _check_trimmed(self) -> None:
        """After a reconnect: say so when entries after ``last_id`` were trimmed away before being read."""
        try:
            info = await self._reader_client.xinfo_stream(self.stream)
        except ResponseError:
            return  # the stream is gone (deleted); the reader waits for it to come back
        added, length, first = info.get("entries-added"), info.get("length"), info.get("first-entry")
        if added is not None and length is not None and self._position is not None:  # Redis ≥ 7: exact
            lost = added - length - self._position  # removed from the stream minus those this replica had read
            if lost <= 0:
                return
            self._position += lost  # continuing from the oldest entry available
            count = str(lost)
        elif first and self.last_id and _stream_id(first[0]) > _stream_id(self.last_id):
            count = "an unknown number of (possibly no)"
        else:
            return
        log.error("broker: %s events of stream %r were trimmed (MAXLEN ~%d) before this replica read them, so its "
                  "subscribers missed them; continuing from the oldest event available", count, self.stream,
                  self.maxlen)

    async def _read_loop(self) -> None:
        failures = 0
        while not self._closed:
            try:
                if self.last_id is None:
                    await self._take_stream_end()
                elif failures:
                    await self._check_trimmed()
                if failures:
                    self.reconnects += 1
                    log.warning("broker: reader reconnected to Redis at %s; resuming after %s", self.url,
                                self.last_id)
                failures = 0
                self.reader_connected = True
                batches = await self._reader_client.xread({self.stream: self.last_id}, count=500,
                                                          block=self.block_ms)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                self.reader_connected = False
                delay = min(self.backoff[0] * 2 ** min(failures, 16), self.backoff[1]) * random.uniform(0.5, 1.0)
                failures += 1
                log.warning("broker: reader lost Redis at %s (%s); reconnecting in %.1f s", self.url, exc, delay)
                with contextlib.suppress(Exception):
                    await self._reader_client.connection.disconnect()
                await asyncio.sleep(delay)
                continue
            for _key, entries in batches or ():
                for entry_id, fields in entries:
                    self._deliver(fields)
                    self.last_id = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
                    if self._position is not None:
                        self._position += 1

    def _deliver(self, fields: dict) -> None:
        try:
            data = orjson.loads(fields[FIELD])
            self._local.deliver(data["topics"], data["message"])
        except Exception:  # a malformed entry must not stop the reader
            log.exception("broker: skipping a malformed entry of stream %r", self.stream)

    # -- health and shutdown ---------------------------------------------------------------------------------------

    async def health(self) -> dict:
        """``{"broker": "ok", "reader": …}`` when Redis answers PING within 1 s, else ``{"broker": "<why>"}``."""
        reader = ("not started" if self._reader is None else "connected" if self.reader_connected
                  else "reconnecting")
        try:
            async with asyncio.timeout(1):
                await self._client.ping()
        except Exception as exc:  # reported, not raised (a TimeoutError says nothing: name it)
            return {"broker": f"unreachable: Redis at {self.url}: {exc or 'no answer within 1 s'}",
                    "reader": reader}
        return {"broker": "ok", "reader": reader}

    async def close(self) -> None:
        """Stop the reader and close every connection (no task is left behind)."""
        self._closed = True
        if self._reader is not None:
            await cancel_and_wait(self._reader)  # redis-py's wait_for can swallow a cancellation: see tasks.py
            self._reader = None
        self.reader_connected = False
        await self._local.close()
        for client in (self._reader_client, self._client):
            with contextlib.suppress(Exception):
                await client.aclose()
