"""The cycle collector of a server process: full collections that do not stop the event loop for a second.

CPython (3.11) collects its oldest generation when the objects promoted into it since the last full collection
reach a quarter of those that survived it, and a full collection walks every tracked object. A server holding
10,000 open subscriptions tracks ~1.3 M long-lived objects (connections, their handlers, tasks, scopes): a full
collection then takes ~1 s of CPU, during which no frame goes out (bench/README.md, issue 17.1).

``Collector`` keeps what has settled out of the collector's sight instead (``gc.freeze``), in steps:

* **settle**: every ``interval`` seconds, when the oldest generation holds more than ``settle_at`` objects, it
  is collected (a full collection of what is not frozen: at most about ``settle_at`` objects plus the young
  generations, tens of milliseconds) and what survives is frozen. Long-lived objects are walked once or twice,
  not at every full collection for the rest of their life.
* CPython's own full collections come at most every ``oldest_threshold`` collections of the middle generation
  (``gc.set_threshold``; its default, 10, makes them frequent once little survives a full collection).
* **sweep**: frozen objects are never collected, so cycles that became garbage after they were frozen (a
  connection that closed, a cache entry replaced) stay until a sweep: ``gc.unfreeze()``, a full collection, and
  everything that survives frozen again. That is the one stall this policy keeps, proportional to the whole
  heap; it comes when the frozen objects have grown by ``sweep_growth`` times their number after the last sweep
  (2.0: doubled — at most about as much frozen garbage as live objects), so its cost is amortised over as many
  settled objects as it walks, as CPython's own rule does for the oldest generation.

The check itself is cheap: the oldest generation only grows when a collection of the middle or oldest
generation moves objects into it, so its size (``len(gc.get_objects(generation=2))``, a list of every object in
it: ~0.5 ms at 50,000) is looked at only when ``gc.get_stats()`` counts such a collection since the last look,
and at least every ``recount_every`` checks (objects reaching it in other ways, e.g. someone's ``gc.unfreeze``).

``step()`` does one check; ``run()`` loops (the app starts it with ``LABELGRAPH_FREEZE_GC``, i.e. `labelgraph
serve`). ``stats`` counts settles and sweeps and their CPU time (``time.process_time``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from dataclasses import dataclass

log = logging.getLogger("labelgraph.collector")


@dataclass
class CollectorStats:
    settles: int = 0
    settle_seconds: float = 0.0
    sweeps: int = 0
    sweep_seconds: float = 0.0
    longest_seconds: float = 0.0  # the longest single settle or sweep (CPU time)


class Collector:
    def __init__(self, *, settle_at: int = 50_000, sweep_growth: float = 2.0, interval: float = 1.0,
                 oldest_threshold: int | None = 100, recount_every: int = 30) -> None:
        self.settle_at = settle_at
        self.sweep_growth = sweep_growth
        self.interval = interval
        # frozen objects: counted here, as this collector is what freezes them from now on (gc.get_freeze_count()
        # walks every frozen object: 20-45 ms at ~150k of them, ~170 at 10,000 subscribers, every interval)
        self.frozen = gc.get_freeze_count()
        self.swept = self.frozen  # frozen objects after the last sweep (at start: the start-up's)
        self.stats = CollectorStats()
        self.recount_every = recount_every
        self._seen: tuple[int, int] | None = None  # (middle, oldest) collections when the oldest was last counted
        self._oldest = 0  # its size then
        self._idle = 0  # checks since then
        if oldest_threshold is not None:
            # CPython's own full collections: after a settle its "objects that survived the last full collection"
            # is small, so it would collect the oldest generation every 10 young collections (21 times in 10
            # changes at 10,000 subscribers, ~120 ms each): at most every ``oldest_threshold`` instead; the
            # settles bound the oldest generation meanwhile
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, oldest_threshold)

    def step(self) -> str | None:
        """One check: "sweep", "settle" or None (nothing to do)."""
        if self.frozen > max(self.swept, self.settle_at) * self.sweep_growth:
            started = time.process_time()
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.frozen = self.swept = gc.get_freeze_count()  # one walk per sweep, which walked them all anyway
            self._seen = None
            spent = time.process_time() - started
            self.stats.sweeps += 1
            self.stats.sweep_seconds += spent
            self.stats.longest_seconds = max(self.stats.longest_seconds, spent)
            log.info("cycle collector: swept %d frozen objects in %.0f ms", self.swept, spent * 1000)
            return "sweep"
        if self._oldest_size() > self.settle_at:
            started = time.process_time()
            gc.collect()  # what is not frozen: the oldest generation (~settle_at objects) and the young ones
            self.frozen += len(gc.get_objects(generation=2))  # a full collection leaves its survivors there
            gc.freeze()
            self._seen = None  # the oldest generation is empty now; count it again at the next check
            spent = time.process_time() - started
            self.stats.settles += 1
            self.stats.settle_seconds += spent
            self.stats.longest_seconds = max(self.stats.longest_seconds, spent)
            return "settle"
        return None

    def _oldest_size(self) -> int:
        """The oldest generation's size: counted again only when a collection may have moved objects into it
        since the last count (or every ``recount_every`` checks), else that count (it can only have shrunk)."""
        stats = gc.get_stats()
        seen = (stats[1]["collections"], stats[2]["collections"])
        self._idle += 1
        if seen != self._seen or self._idle >= self.recount_every:
            self._oldest = len(gc.get_objects(generation=2))
            self._seen, self._idle = seen, 0
        return self._oldest

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.step()
