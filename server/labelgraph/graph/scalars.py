"""Scalars: DateTime (ISO-8601 UTC out; ISO-8601 or epoch milliseconds in), JSON (checked on the way in:
jsonvalues.py) and Long (a 64-bit integer: byte counts, which GraphQL's 32-bit Int cannot hold past 2 GiB)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NewType

import strawberry
from graphql import FloatValueNode, GraphQLError, IntValueNode, ValueNode, print_ast, value_from_ast_untyped
from strawberry.scalars import JSON

from labelgraph import jsonvalues
from labelgraph.columns import as_utc

__all__ = ["JSON", "DateTime", "Long", "SCALAR_MAP", "format_datetime", "parse_datetime"]


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

LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
EXACT_FLOAT = 2**53  # beyond it a float is not every integer: 2^53 + 1 would be read as 2^53
LONG_RULE = (f"Long is an integer from {LONG_MIN} to {LONG_MAX} (a number written with a fraction or an exponent "
             "only up to ±2^53, where it is exact)")

Long = NewType("Long", int)
"""A byte count (or any integer) that may exceed GraphQL's 32-bit ``Int``: a file of 2 GiB or more."""


def _long(value: object) -> int | None:
    """``value`` as a 64-bit integer, or None when it is not one: bools, text, fractions, NaN, ±inf and anything
    beyond ±2^63 are not. A float without a fractional part is (``3e9`` in JSON), up to ±2^53: beyond, it may
    already have been rounded (a JSON decoder reads -2^63 - 1 as the float -2^63)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer() or abs(value) > EXACT_FLOAT:  # is_integer: also False for NaN and infinities
            return None
        value = int(value)
    if isinstance(value, int) and LONG_MIN <= value <= LONG_MAX:
        return value
    return None


def serialize_long(value: object) -> int:
    """Out as a JSON integer (``123``, never ``123.0``), as the compiled read path writes the column."""
    result = _long(value)
    if result is None:
        raise GraphQLError(f"Long cannot represent {value!r}: {LONG_RULE}")
    return result


def parse_long_value(value: object, node: ValueNode | None = None) -> int:
    result = _long(value)
    if result is None:
        shown = print_ast(node) if node is not None else repr(value)
        raise input_error(f"{LONG_RULE}, got {shown}", node)
    return result


def parse_long_literal(node: ValueNode, variables: dict | None = None) -> int:
    if isinstance(node, IntValueNode):
        return parse_long_value(int(node.value), node)
    if isinstance(node, FloatValueNode):
        return parse_long_value(float(node.value), node)
    return parse_long_value(node, node)  # a string, a boolean, an enum, a list or an object: refused


LongScalar = strawberry.scalar(
    name="Long",
    description="A 64-bit signed integer, a JSON number; exact to 2^53 in JavaScript",
    serialize=serialize_long,
    parse_value=parse_long_value,
    parse_literal=parse_long_literal,
)

SCALAR_MAP = {datetime: DateTime, JSON: JSONScalar, Long: LongScalar}
