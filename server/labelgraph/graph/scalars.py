"""Scalars: DateTime (ISO-8601 UTC out; ISO-8601 or epoch milliseconds in) and JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON

from labelgraph.columns import as_utc

__all__ = ["JSON", "DateTime", "SCALAR_MAP", "format_datetime", "parse_datetime"]


def format_datetime(value: datetime) -> str:
    return as_utc(value).astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    if isinstance(value, str):
        try:
            return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            pass
    raise ValueError(f"DateTime must be an ISO-8601 string or epoch milliseconds, got {value!r}")


DateTime = strawberry.scalar(
    name="DateTime",
    description="An instant, ISO-8601 in UTC (`2026-11-23T10:15:00.123456Z`). Input also takes epoch milliseconds.",
    serialize=format_datetime,
    parse_value=parse_datetime,
)

SCALAR_MAP = {datetime: DateTime}
