"""Which broker a URL names: the in-process one or Redis (above both, so neither imports the other)."""

from __future__ import annotations

from typing import Any

from labelgraph.events.broker import MemoryBroker


def create_broker(url: str) -> Any:
    """``memory://`` (one process) or ``redis://host:port/db`` / ``rediss://…`` (replicas sharing a Redis;
    ``?stream=<key>`` names the stream, default ``labelgraph:events``)."""
    if url.startswith("memory"):
        return MemoryBroker()
    if url.startswith(("redis://", "rediss://")):
        from labelgraph.events.redis_broker import RedisBroker  # the redis client (~0.3 s import) when used

        return RedisBroker(url)
    raise ValueError(f"unsupported broker URL {url!r}: use memory:// or redis://host:6379/0")
