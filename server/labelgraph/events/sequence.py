"""Putting versioned states back in order for subscribers.

Every committed change of an execution carries ``version`` (+1 per change). The broker delivers at least once
and, across replicas or concurrent transactions, not necessarily in commit order. A ``Sequencer`` turns that
into what a subscriber is promised: per entity, every version once, in order, with no gap.

* A version at or below the last one released is a duplicate (or older than the state the stream started
  from) and is dropped.
* The next version is released at once, followed by any held versions that now follow on.
* A later version is held until the missing ones arrive. Missing versions that have not arrived within
  ``gap_timeout`` are fetched from the outbox (which keeps every event's payload) by the caller: see
  ``stalled`` and ``faas/subscriptions.py``.

The number of entities tracked is bounded (least recently seen first out): an entity that falls out starts
again from whatever version arrives next.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any


class Sequencer:
    def __init__(self, max_entities: int = 10_000, gap_timeout: float = 0.5) -> None:
        self.max_entities = max_entities
        self.gap_timeout = gap_timeout
        self.last: OrderedDict[str, int] = OrderedDict()
        self.held: dict[str, dict[int, Any]] = {}
        self.gap_since: dict[str, float] = {}

    def start(self, key: str, version: int) -> None:
        """The stream of ``key`` continues after ``version`` (the state it was started from)."""
        self._remember(key, version)

    def offer(self, key: str, version: int, state: Any, known_from: int | None = None) -> list[Any]:
        """The states of ``key`` that can be released now, in version order (possibly none). ``known_from``:
        on the first sight of ``key``, the version after which every version is owed (e.g. 0 for an entity
        created after the stream started, so its first versions are fetched if they arrive late or not at all);
        None: the stream of ``key`` starts at whatever version comes first."""
        last = self.last.get(key)
        if last is None:
            if known_from is None or version <= known_from + 1:  # first sight: it starts here
                self._remember(key, version)
                return [state]
            self._remember(key, known_from)
            last = known_from
        if version <= last:
            return []
        if version > last + 1:
            self.held.setdefault(key, {})[version] = state
            self.gap_since.setdefault(key, time.monotonic())
            return []
        out = [state]
        held = self.held.get(key)
        while held and version + 1 in held:
            version += 1
            out.append(held.pop(version))
        self._remember(key, version)
        if not held:
            self.held.pop(key, None)
            self.gap_since.pop(key, None)
        else:
            self.gap_since[key] = time.monotonic()
        return out

    def fill(self, key: str, states: list[tuple[int, Any]]) -> list[Any]:
        """Offer the missing versions fetched from history; returns what can be released."""
        out: list[Any] = []
        for version, state in sorted(states, key=lambda vs: vs[0]):
            out.extend(self.offer(key, version, state))
        return out

    def skip(self, key: str) -> list[Any]:
        """Give up on the missing versions of ``key`` (they are gone from history): release what is held."""
        held = self.held.pop(key, {})
        self.gap_since.pop(key, None)
        out = [held[v] for v in sorted(held)]
        if held:
            self._remember(key, max(held))
        return out

    def stalled(self) -> list[str]:
        """Entities whose gap has lasted longer than ``gap_timeout``."""
        now = time.monotonic()
        return [k for k, since in self.gap_since.items() if now - since >= self.gap_timeout]

    def next_deadline(self) -> float | None:
        """Seconds until the oldest gap stalls (None when nothing is held)."""
        if not self.gap_since:
            return None
        return max(0.0, min(self.gap_since.values()) + self.gap_timeout - time.monotonic())

    def last_version(self, key: str) -> int | None:
        return self.last.get(key)

    def _remember(self, key: str, version: int) -> None:
        self.last[key] = version
        self.last.move_to_end(key)
        while len(self.last) > self.max_entities:
            old, _ = self.last.popitem(last=False)
            self.held.pop(old, None)
            self.gap_since.pop(old, None)
