"""Per-caller rate limiting: a token bucket of points per minute (a request costs 1 point plus 1 per 1,000
nodes of its node budget). In-process; each replica limits on its own."""

from __future__ import annotations

import math
import time


class RateLimiter:
    def __init__(self, points_per_minute: int) -> None:
        self.capacity = points_per_minute
        self.rate = points_per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (points left, last refill)

    @staticmethod
    def points(cost: int) -> int:
        return 1 + cost // 1000

    def take(self, key: str, points: int) -> float:
        """Take ``points`` for ``key``; 0.0 when allowed, otherwise the seconds to wait before retrying."""
        if self.capacity <= 0:
            return 0.0
        now = time.monotonic()
        left, last = self._buckets.get(key, (float(self.capacity), now))
        left = min(self.capacity, left + (now - last) * self.rate)
        if points > left:
            self._buckets[key] = (left, now)
            return max(1.0, math.ceil((points - left) / self.rate))
        self._buckets[key] = (left - points, now)
        if len(self._buckets) > 100_000:  # forget idle callers
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 120}
        return 0.0
