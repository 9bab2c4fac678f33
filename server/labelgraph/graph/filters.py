"""The typed filter inputs every slice shares (StringFilter, DateTimeFilter, JSONPathFilter), the condition
count limit, and the compilers of plain columns. What filters mean is defined once, in graph/filterspec.py
(the one filter structure, its SQL compiler and its in-memory evaluator); items and annotations parse their
whole filters into it (data/filters.py), the other slices their StringFilter/DateTimeFilter fields.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import strawberry
from strawberry.types.base import has_object_definition

from labelgraph.errors import Refused
from labelgraph.graph import filterspec as fs
from labelgraph.graph.pagination import Order, metadata_keys
from labelgraph.graph.scalars import JSON


@strawberry.enum
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Conditions on a string field; all given conditions must hold.")
class StringFilter:
    eq: str | None = None
    ne: str | None = None
    in_: list[str] | None = strawberry.field(name="in", default=None)
    nin: list[str] | None = None
    glob: str | None = strawberry.field(
        default=None, description="`*` matches within one path segment, `**` across segments: `/train/**/*.jpg`"
    )
    exists: bool | None = None
    gt: str | None = strawberry.field(default=None, description="compared by code point")
    gte: str | None = None
    lt: str | None = None
    lte: str | None = None


@strawberry.input(description="Conditions on an instant; all given conditions must hold.")
class DateTimeFilter:
    eq: datetime | None = None
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None
    ne: datetime | None = None


@strawberry.input(
    description='A condition on a value inside metadata: `path` is relative to metadata ("user.split", '
    '"system.mimetype"). Comparisons are type-exact: a number never equals a string.'
)
class JSONPathFilter:
    path: str
    eq: JSON | None = strawberry.UNSET
    ne: JSON | None = strawberry.UNSET
    in_: list[JSON] | None = strawberry.field(name="in", default=None)
    nin: list[JSON] | None = None
    gt: JSON | None = None
    gte: JSON | None = None
    lt: JSON | None = None
    lte: JSON | None = None
    glob: str | None = strawberry.field(default=None, description="a string matching this glob (`*`: anything)")
    exists: bool | None = None
    contains: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="an array at the path has an element equal to this value")
    contains_all: list[JSON] | None = strawberry.field(
        default=None, description="an array at the path has elements equal to each of these values")


MAX_CONDITIONS = fs.MAX_CONDITIONS
"""Comparisons in one filter. Each becomes an SQL expression: thousands of them (an ``or`` of 1,000 branches)
exceed SQLite's expression depth, PostgreSQL's parameter count, and take seconds to compile."""


_OPAQUE = frozenset({"eq", "ne", "gt", "gte", "lt", "lte", "contains"})  # one comparison whatever the (JSON) value
_WHERE = frozenset({"path"})  # says where a metadata filter looks; compares nothing


def count_conditions(f: Any) -> int:
    """The comparisons a filter asks for, given as a filter input object or as the plain value it was written
    as (dicts and lists, before conversion): each operator given counts one, and each value of a list of
    values (``in: [a, b, c]`` is three); ``and``/``or``/``not`` count what they combine."""
    count, stack = 0, [f]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else vars(node).items()
        for name, value in items:
            if value is None or value is strawberry.UNSET or name in _WHERE:
                continue
            if name in _OPAQUE:
                count += 1
                continue
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, dict) or has_object_definition(item):
                    stack.append(item)
                else:
                    count += 1
    return count


def check_conditions(f: Any, argument: str = "filter") -> None:
    """Refuse a filter of more than ``MAX_CONDITIONS`` comparisons before any SQL is built for it (the node
    budget checks filter arguments the same way before the query runs: graph/limits.py)."""
    count = count_conditions(f)
    if count > MAX_CONDITIONS:
        raise Refused("LIMIT_EXCEEDED", f"{argument} has {count:,} conditions; the limit is {MAX_CONDITIONS}",
                      argument=argument, limit="filterConditions", maximum=MAX_CONDITIONS)


# --- the other slices' lists: their StringFilter / DateTimeFilter fields, compiled through the one filter
# structure (graph/filterspec.py) as a one-field resource -----------------------------------------------


def _given(f: Any) -> list[tuple[str, Any]]:
    return [(k.rstrip("_"), v) for k, v in vars(f).items() if v is not None and v is not strawberry.UNSET]


def _column_conditions(col: sa.ColumnElement, kind: str, f: Any, field: str,
                       dialect: str | None) -> list[sa.ColumnElement]:
    res = fs.Resource("column", col.table, {"value": fs.Field(col.name, kind, nullable=bool(col.nullable))})
    node = fs.all_of([fs.cond(res, "value", op, x, f"{field}.{op}") for op, x in _given(f)])
    return fs.conditions(node, res, dialect or "sqlite")


def string_conditions(col: sa.ColumnElement, f: StringFilter, field: str,
                      dialect: str | None = None) -> list[sa.ColumnElement]:
    return _column_conditions(col, "string", f, field, dialect)


def datetime_conditions(col: sa.ColumnElement, f: DateTimeFilter, field: str = "filter",
                        dialect: str | None = None) -> list[sa.ColumnElement]:
    return _column_conditions(col, "datetime", f, field, dialect)


def order_of(order_by: list | None, default: tuple[str, ...] = ("created_at",)) -> Order:
    """The keyset Order for an ``orderBy`` list of XOrder inputs (their field enums' values are columns)."""
    if not order_by:
        return Order.of([(c, False) for c in default])
    keys: list[tuple[str, bool]] = []
    for i, o in enumerate(order_by):
        desc = o.direction == OrderDirection.DESC
        path = getattr(o, "metadata", None)
        field = getattr(o, "field", None)
        if (path is None) == (field is None):
            raise Refused("BAD_USER_INPUT", f"orderBy[{i}]: give either field or metadata (a path), not both "
                          "nor neither", argument="orderBy")
        if path is None:
            keys.append((field.value, desc))
            continue
        parts = path.split(".")
        if not parts or parts[0] not in ("user", "system") or not all(fs._KEY.match(p) for p in parts) \
                or len(parts) > fs.MAX_DEPTH:
            raise Refused("BAD_USER_INPUT", f'orderBy[{i}].metadata: a path of keys (letters, digits, _ or -) '
                          f'separated by dots, starting with user or system (e.g. "user.score"), got {path!r}',
                          argument="orderBy")
        keys += metadata_keys(path, desc)
    return Order.of(keys)
