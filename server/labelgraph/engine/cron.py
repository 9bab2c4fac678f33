"""Cron specs: the standard 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds
field, as croniter reads them (``*``, numbers, ranges ``a-b``, steps ``*/n`` / ``a-b/n``, lists ``a,b``, names;
day of week 0–7, 0 and 7 = Sunday). As in cron, when both day fields are restricted either may match."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from croniter import CroniterBadDateError, CroniterError, croniter

FIELDS = ("minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7 (0 and 7: Sunday), "
          "optionally preceded by second 0-59")
_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)  # a spec that matches no instant after it never matches


class CronError(ValueError):
    pass


@dataclass(frozen=True)
class CronSpec:
    text: str

    @classmethod
    def parse(cls, spec: str) -> CronSpec:
        """The spec, checked: a CronError says what is wrong and what is allowed."""
        fields = (spec or "").split()
        if len(fields) not in (5, 6):
            raise CronError(f"a cron spec has 5 fields (minute hour day month weekday) or 6 with leading seconds, "
                            f"got {spec!r}")
        parsed = cls(" ".join(fields))
        try:
            parsed._iterator(_REFERENCE).get_next(datetime)
        except CroniterBadDateError:
            raise CronError(f"the cron spec {spec!r} never matches a date (e.g. day 31 of February)") from None
        except (CroniterError, ValueError) as exc:
            raise CronError(f"the cron spec {spec!r} is not valid ({exc}); its fields: {FIELDS}") from None
        return parsed

    def _iterator(self, start: datetime) -> croniter:
        return croniter(self.text, start, second_at_beginning=True)

    def next_after(self, t: datetime) -> datetime:
        """The first instant strictly after ``t`` that the spec matches (whole seconds, t's timezone)."""
        return self._iterator(t).get_next(datetime)
