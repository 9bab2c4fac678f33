"""Subscription fan-out: execute once, send to many.

A change is executed as GraphQL once per distinct (operation document, variables, operation name, visibility
scope) — a ``Feed`` — and its ``next`` payload is serialized once; every subscriber sharing the feed (a ``Member``)
gets that same text, wrapped in its own operation id. Nothing about a change is executed or encoded per subscriber.

The visibility scope (``scope_of``) is everything an answer may depend on: an admin sees everything (one scope for
all admins); anyone else is scoped by their roles *and* their user id (annotators see what they are assigned), so
two subscribers share a feed only when every query they could send would answer the same. The feed runs with a
context of its own whose access is that scope's; when a connection's token re-check (ws.py) finds another scope,
its operations move to the feed of the new one (``executionUpdated`` then starts again from the current state,
possibly repeating the version last sent; a caller that left the project gets NOT_FOUND, as before).

Which subscriptions share (``SHARED_FIELDS``): those whose answer depends on nothing but the change stream, the
variables and the scope. Others run per subscriber, as strawberry runs them.

Each member buffers at most ``MEMBER_BUFFER`` frames: a subscriber that falls that far behind is cut off with
LIMIT_EXCEEDED (resubscribe), without holding up the feed or the other members.

Paced feeds (``PACED``: ``executionLogs``, whose source reads a backlog of up to LABELGRAPH_MAX_LOG_BYTES from the
database as fast as it can) wait instead: after a frame, while a member holds ``PACE_HIGH`` frames the feed waits
until it is down to ``PACE_LOW``; a member that does not get there within ``PACE_TIMEOUT`` seconds is cut off
with LIMIT_EXCEEDED. So a log goes out at the pace of its slowest reader, with a bounded buffer per member.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Any

import orjson
from graphql import FieldNode, OperationType
from strawberry.types.execution import ExecutionResult, PreExecutionError

from labelgraph.auth import Access

log = logging.getLogger("labelgraph.subscriptions")

SHARED_FIELDS = frozenset({"executionUpdated", "executionsUpdated"})
REPLAY_LAST = frozenset({"executionUpdated"})  # a late joiner first gets the last state sent (its current state)
PACED = frozenset({"executionLogs"})
SHARED_FIELDS = SHARED_FIELDS | PACED
MEMBER_BUFFER = 1_000
PACE_HIGH, PACE_LOW, PACE_TIMEOUT = 200, 50, 30.0
END = ("complete", None)
OVERFLOW = ("overflow", None)
INTERNAL = [{"message": "internal error in a subscription", "extensions": {"code": "INTERNAL"}}]


def scope_of(access: Access) -> Hashable:
    """What every answer given to ``access`` depends on (see the module's docstring)."""
    if access.is_admin:
        return ("admin",)
    return (access.user_id, access.bot_project_id, access.function_token,
            tuple(sorted(access.org_roles.items())), tuple(sorted(access.project_roles.items())))


def shared_root(document: Any, operation: Any) -> str | None:
    """The root field when the subscription ``operation`` may share a feed: one root field of ``SHARED_FIELDS``
    (no directives, no fragments at the root)."""
    if operation.operation != OperationType.SUBSCRIPTION or len(operation.selection_set.selections) != 1:
        return None
    [field] = operation.selection_set.selections
    if not isinstance(field, FieldNode) or field.directives or field.name.value not in SHARED_FIELDS:
        return None
    return field.name.value


def next_payload(result: ExecutionResult) -> str:
    """The ``payload`` of a ``next`` message, encoded once for every member."""
    payload: dict[str, Any] = {"data": result.data}
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return orjson.dumps(payload).decode()


class Member:
    """One subscriber's operation: the frames it has yet to send (a list — usually empty: an empty deque takes a
    block of 64 slots, ~600 bytes — and, while its sender waits, a future: lighter than an ``asyncio.Queue``).

    Two ways to send them: a sender task that loops on ``get`` for the member's life, or (``drain`` given) no task
    while nothing is queued — ``drain()`` is started as a task when a frame is queued, sends what it finds
    (``take``) and ends; frames that can go straight to the socket (``sink``) need no task at all. An idle
    subscription then holds no task and no coroutine frame."""

    __slots__ = ("drain", "feed", "frames", "overflowed", "room", "sender", "sink", "waiter")

    def __init__(self, sink: Callable[[str, dict], bool] | None = None,
                 drain: Callable[[], Any] | None = None) -> None:
        # ``sink(payload, made)``: writes a ``next`` payload straight to the subscriber's socket and answers True,
        # or answers False (it cannot now: the frame is queued for the sender instead). ``made`` is shared by the
        # members of one change: a sink keeps the frames it made there for the next member of the same operation id
        self.sink = sink
        self.drain = drain
        self.sender: asyncio.Task | None = None  # the running drain
        self.frames: list[tuple[str, Any]] = []
        self.waiter: asyncio.Future | None = None  # its sender waits for a frame
        self.overflowed = False
        self.feed: Feed | None = None
        self.room: asyncio.Future | None = None  # a paced feed waits on it for this member to catch up

    def qsize(self) -> int:
        return len(self.frames)

    def offer(self, item: tuple[str, Any]) -> None:
        if self.overflowed:
            return
        if len(self.frames) >= MEMBER_BUFFER and item is not END:
            self.overflowed = True
            item = OVERFLOW
        self._put(item)

    def deliver(self, item: tuple[str, Any], made: dict) -> None:
        """``offer``, written straight to the socket when the sender is idle (waits with nothing queued): no task
        wakes up per subscriber and per change."""
        idle = self.sender is None if self.drain is not None else self.waiter is not None
        if (idle and self.sink is not None and not self.frames and not self.overflowed and item[0] == "next"
                and self.sink(item[1], made)):
            return
        self.offer(item)

    def _put(self, item: tuple[str, Any]) -> None:
        self.frames.append(item)
        if self.drain is not None:
            if self.sender is None:
                self.sender = asyncio.get_running_loop().create_task(self.drain(), name="subscription-send")
            return
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def take(self) -> tuple[str, Any]:
        """The next queued frame (there is one)."""
        item = self.frames.pop(0)  # (at most MEMBER_BUFFER: a short move)
        if self.room is not None and len(self.frames) <= PACE_LOW:
            self._make_room()
        return item

    async def get(self) -> tuple[str, Any]:
        while not self.frames:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
        return self.take()

    def _make_room(self) -> None:
        room, self.room = self.room, None
        if room is not None and not room.done():
            room.set_result(None)

    async def wait_room(self) -> None:
        """Until this member holds at most ``PACE_LOW`` frames; cut off when that takes ``PACE_TIMEOUT``."""
        if self.overflowed or len(self.frames) < PACE_HIGH:
            return
        self.room = room = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(PACE_TIMEOUT):
                await room
        except TimeoutError:
            self.overflowed = True
            self._put(OVERFLOW)
            if self.feed is not None:
                self.feed.leave(self)


class Feed:
    """One execution of a subscription, its frames shared by its members."""

    def __init__(self, feeds: Feeds, key: Hashable, source: Callable[[], Any], replay_last: bool,
                 paced: bool = False) -> None:
        self.feeds, self.key, self.source, self.replay_last, self.paced = feeds, key, source, replay_last, paced
        # in the order they joined (a dict's keys): a change is written to the earliest subscribers first
        self.members: dict[Member, None] = {}
        self.last: str | None = None
        self.done = False
        self.task: asyncio.Task | None = None

    def join(self, member: Member) -> None:
        member.feed = self
        self.members[member] = None
        if self.replay_last and self.last is not None:
            member.offer(("next", self.last))
        if self.task is None:
            self.task = asyncio.create_task(self._run(), name="subscription-feed")

    def leave(self, member: Member) -> None:
        self.members.pop(member, None)
        member._make_room()  # a paced feed waiting for it goes on
        if member.feed is self:
            member.feed = None
        if not self.members and not self.done:
            self._end()
            if self.task is not None:
                self.task.cancel()

    def _end(self) -> None:
        self.done = True
        if self.feeds.feeds.get(self.key) is self:
            del self.feeds.feeds[self.key]

    def _send(self, item: tuple[str, Any]) -> None:
        made: dict = {}
        for member in list(self.members):
            member.deliver(item, made)

    async def _run(self) -> None:
        try:
            results: AsyncIterator = await self.source()
            async with contextlib.aclosing(results):
                first = True
                async for result in results:
                    if first and isinstance(result, PreExecutionError):
                        self._end()
                        self._send(("error", [e.formatted for e in result.errors or []]))
                        return
                    if not isinstance(result, ExecutionResult):  # incremental delivery: not over WebSockets
                        self._end()
                        self._send(("error", [{"message": "incremental delivery is not supported over "
                                                          "graphql-transport-ws"}]))
                        return
                    first = False
                    self.last = payload = next_payload(result)
                    self._send(("next", payload))
                    if self.paced:
                        for member in list(self.members):
                            await member.wait_room()
            self._end()
            self._send(END)
        except asyncio.CancelledError:
            self._end()
            raise
        except Exception:
            log.exception("subscription feed %r failed", self.key[:3] if isinstance(self.key, tuple) else self.key)
            self._end()
            self._send(("error", INTERNAL))


class Feeds:
    """The running feeds of one process, by key."""

    def __init__(self) -> None:
        self.feeds: dict[Hashable, Feed] = {}

    def join(self, key: Hashable, member: Member, source: Callable[[], Any], replay_last: bool,
             paced: bool = False) -> Feed:
        """Add ``member`` to the feed of ``key``, started with ``source`` (a coroutine function returning the
        subscription's results) when there is none yet."""
        feed = self.feeds.get(key)
        # a paced feed (a log) that has sent anything is no use to a newcomer, who must get it from the start
        if feed is None or feed.done or (feed.paced and feed.last is not None):
            feed = self.feeds[key] = Feed(self, key, source, replay_last, paced)
        feed.join(member)
        return feed
