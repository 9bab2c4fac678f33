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
    """An instant from ISO-8601 text or epoch milliseconds; ValueError for anything else, including instants
    outside Python's years 1–9999."""
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str):
            return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except (ValueError, OverflowError, OSError):  # not ISO-8601, or out of range (OverflowError, OSError: epoch)
        pass
    raise ValueError(f"DateTime must be an ISO-8601 string or epoch milliseconds within years 1–9999, got {value!r}")


def input_error(message: str, node: ValueNode | None = None) -> GraphQLError:
    """A scalar's refusal of an input value. A GraphQLError: graphql-core reports it as the input error it is
    (naming the variable, or at the literal's place); any other exception would be masked as internal."""
    return GraphQLError(message, node, extensions={"code": "BAD_USER_INPUT"})


def parse_datetime_input(value: object) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise input_error(str(exc)) from None


DateTime = strawberry.scalar(
    name="DateTime",
    description="An instant, ISO-8601 in UTC (`2026-11-23T10:15:00.123456Z`). Input also takes epoch milliseconds.",
    serialize=format_datetime,
    parse_value=parse_datetime_input,
)


def parse_json_value(value: object, node: ValueNode | None = None) -> object:
    """A JSON argument, refused unless ``jsonvalues.check`` passes it."""
    try:
        jsonvalues.check(value, "the JSON value")
    except jsonvalues.JSONValueError as exc:
        raise input_error(str(exc), node) from None
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
