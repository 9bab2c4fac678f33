"""Scale-out test helpers and fixtures: the real Redis on 127.0.0.1:6379 (a fresh stream per test, deleted after)
and helpers to run several "replicas" (brokers, dispatchers, apps) side by side on the same test database."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_BASE = os.environ.get("LABELGRAPH_TEST_REDIS_URL", f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: "Redis is down"


def redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not redis_reachable(),
                                 reason=f"no Redis answering on {REDIS_HOST}:{REDIS_PORT} (start one to run these)")


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """A broker URL on the test Redis with a stream of its own (deleted after the test)."""
    import redis.asyncio as aioredis

    stream = f"lgtest:{uuid.uuid4().hex}"
    yield f"{REDIS_BASE}?stream={stream}"
    client = aioredis.Redis.from_url(REDIS_BASE)
    await client.delete(stream)
    await client.aclose()


@pytest.fixture
async def redis_admin():
    """A plain Redis connection, as an operator's redis-cli."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(REDIS_BASE, decode_responses=True)
    yield client
    await client.aclose()


async def take(subscription, n: int, timeout: float = 5.0) -> list:
    """The next ``n`` messages of a subscription (fails after ``timeout`` seconds)."""
    async with asyncio.timeout(timeout):
        return [await subscription.__anext__() for _ in range(n)]


async def nothing_more(subscription, wait: float = 0.3) -> bool:
    """True when no further message arrives within ``wait`` seconds."""
    try:
        async with asyncio.timeout(wait):
            await subscription.__anext__()
    except TimeoutError:
        return True
    return False
