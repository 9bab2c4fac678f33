"""Cron specs: the standard 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds
field. Each field takes ``*``, numbers, ranges ``a-b``, steps ``*/n`` / ``a-b/n`` and lists ``a,b``; day of week
is 0–6 (0 = Sunday, 7 also Sunday). As in cron, when both day fields are restricted either may match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

_BOUNDS = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]  # second minute hour dom month dow
_NAMES = ["second", "minute", "hour", "day of month", "month", "day of week"]


class CronError(ValueError):
    pass


def _field(text: str, lo: int, hi: int, name: str) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        try:
            step = int(step_text) if step_text else 1
            if base == "*":
                start, end = lo, hi
            elif "-" in base:
                a, b = base.split("-", 1)
                start, end = int(a), int(b)
            else:
                start = end = int(base)
                if step_text:
                    end = hi
        except ValueError:
            raise CronError(f"{name} field {text!r}: use numbers, *, a-b, */n or lists a,b") from None
        if step < 1 or start < lo or end > hi or start > end:
            raise CronError(f"{name} field {text!r} is outside {lo}-{hi}")
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class CronSpec:
    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, spec: str) -> CronSpec:
        fields = spec.split()
        if len(fields) == 5:
            fields = ["0", *fields]
        if len(fields) != 6:
            raise CronError(f"a cron spec has 5 fields (minute hour day month weekday) or 6 with leading seconds, "
                            f"got {spec!r}")
        parsed = [_field(f, lo, hi, n) for f, (lo, hi), n in zip(fields, _BOUNDS, _NAMES, strict=True)]
        weekdays = frozenset(0 if d == 7 else d for d in parsed[5])
        return cls(parsed[0], parsed[1], parsed[2], parsed[3], parsed[4], weekdays, fields[3] == "*",
                   fields[5] == "*")

    def _day_ok(self, t: datetime) -> bool:
        dom = t.day in self.days
        dow = (t.isoweekday() % 7) in self.weekdays
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return dow
        if self.any_weekday:
            return dom
        return dom or dow

    def next_after(self, t: datetime) -> datetime:
        """The first instant strictly after ``t`` that the spec matches (whole seconds, t's timezone)."""
        t = t.replace(microsecond=0) + timedelta(seconds=1)
        for _ in range(366 * 24 * 60 * 5):
            if t.month not in self.months or not self._day_ok(t):
                t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0)
                continue
            if t.hour not in self.hours:
                t = (t + timedelta(hours=1)).replace(minute=0, second=0)
                continue
            if t.minute not in self.minutes:
                t = (t + timedelta(minutes=1)).replace(second=0)
                continue
            if t.second not in self.seconds:
                t += timedelta(seconds=1)
                continue
            return t
        raise CronError("the cron spec never matches")  # pragma: no cover - e.g. 31 February
