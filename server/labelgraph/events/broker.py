"""Brokers carry committed domain events to subscribers. ``memory://`` fans out inside this process;
``redis://`` (``events/redis_broker.py``) carries them across the replicas of a scaled-out deployment, behind the
same interface: ``publish(topics, message)``, ``subscribe(*topics)``, ``start()``, ``health()``, ``close()``.

Every subscriber has its own bounded buffer, so a slow subscriber never stalls the publisher or the others.
When a subscriber falls more than ``maxsize`` messages behind, its subscription is cut off: it receives what it
had buffered, then ``BrokerOverflow`` (the GraphQL layer turns that into an error telling the client to
resubscribe, which restarts from the current state).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

DEFAULT_BUFFER = 1000


class BrokerOverflow(Exception):
    """The subscriber fell too far behind and was disconnected."""


class BrokerUnavailable(Exception):
    """The broker could not take the message (e.g. Redis unreachable after a short retry): nothing was published."""


class Subscription:
    def __init__(self, topics: tuple[str, ...], maxsize: int) -> None:
        self.topics = topics
        self.queue: asyncio.Queue = asyncio.Queue(maxsize)
        self.overflowed = False

    def offer(self, message: Any) -> bool:
        """Buffer a message; False when the buffer is full (the subscription is then cut off)."""
        if self.overflowed:
            return False
        try:
            self.queue.put_nowait(message)
            return True
        except asyncio.QueueFull:
            self.overflowed = True
            return False

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Any:
        if self.overflowed and self.queue.empty():
            raise BrokerOverflow(f"subscriber fell more than {self.queue.maxsize} events behind on {self.topics}")
        return await self.queue.get()


class MemoryBroker:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    async def publish(self, topics: Sequence[str], message: Any) -> None:
        """Deliver ``message`` once to every subscriber of any of ``topics`` (in publish order per subscriber)."""
        self.deliver(topics, message)

    async def publish_many(self, messages: Sequence[tuple[Sequence[str], Any]]) -> None:
        """``publish`` each (topics, message) in order (a broker over a network sends them at once)."""
        for topics, message in messages:
            await self.publish(topics, message)

    def heard(self, topics: Sequence[str]) -> bool:
        """Does any subscriber follow one of ``topics`` right now? (False: publishing to them delivers nothing, and
        nothing else happens in process, so a publisher may skip building the message.)"""
        return not self._subscribers.keys().isdisjoint(topics)

    def deliver(self, topics: Sequence[str], message: Any) -> None:
        seen: set[int] = set()
        for topic in topics:
            for sub in list(self._subscribers.get(topic, ())):
                if id(sub) in seen:
                    continue
                seen.add(id(sub))
                if not sub.offer(message):
                    self._drop(sub)

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str, maxsize: int = DEFAULT_BUFFER) -> AsyncIterator[Subscription]:
        """Subscribe to ``topics`` for the duration of the block (messages published before it are not seen)."""
        sub = Subscription(topics, maxsize)
        for topic in topics:
            self._subscribers[topic].add(sub)
        try:
            yield sub
        finally:
            self._drop(sub)

    def _drop(self, sub: Subscription) -> None:
        for topic in sub.topics:
            subs = self._subscribers.get(topic)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subscribers[topic]

    def subscriber_count(self) -> int:
        return len({id(s) for subs in self._subscribers.values() for s in subs})

    async def start(self) -> None:
        """Nothing to start in process (the Redis broker starts its reader here)."""

    async def health(self) -> dict:
        return {"broker": "memory"}

    async def close(self) -> None:
        self._subscribers.clear()
