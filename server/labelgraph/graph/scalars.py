"""Scalars: DateTime (ISO-8601 UTC out; ISO-8601 or epoch milliseconds in) and JSON (checked on the way in:
jsonvalues.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from graphql import GraphQLError, ValueNode, value_from_ast_untyped
from strawberry.scalars import JSON

from labelgraph import jsonvalues
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

def parse_json_value(value: object, node: ValueNode | None = None) -> object:
    """A JSON argument: refused when it nests too deep, holds integers beyond 64 bits or text with lone
    surrogates. A GraphQLError, so graphql-core reports it as the input error it is (with the variable's path
    or the literal's location) rather than as an unexpected exception."""
    try:
        jsonvalues.check(value, "the JSON value")
    except jsonvalues.JSONValueError as exc:
        raise GraphQLError(str(exc), node, extensions={"code": "BAD_USER_INPUT"}) from None
    return value


def parse_json_literal(node: ValueNode, variables: dict | None = None) -> object:
    return parse_json_value(value_from_ast_untyped(node, variables), node)


JSONScalar = strawberry.scalar(
    name="JSON",
    description="The `JSON` scalar type represents JSON values as specified by "
    "[ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf).",
    specified_by_url="https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf",
    serialize=lambda value: value,
    parse_value=parse_json_value,
    parse_literal=parse_json_literal,
)

SCALAR_MAP = {datetime: DateTime, JSON: JSONScalar}
