"""The filter language's building blocks: typed inputs (StringFilter, DateTimeFilter, JSONPathFilter) and
their compilation to SQL conditions that mean the same on SQLite and PostgreSQL.

Each slice's filters.py combines these into its XFilter input and an ``apply_x_filter`` compiler with
and/or/not; new operators or field kinds are added here once.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
import strawberry
from sqlalchemy.dialects.postgresql import JSONB
from strawberry.types.base import has_object_definition

from labelgraph.errors import Refused
from labelgraph.graph.pagination import Order
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


@strawberry.input(description="Conditions on an instant; all given conditions must hold.")
class DateTimeFilter:
    eq: datetime | None = None
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None


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


def bad_filter(field: str, message: str) -> Refused:
    return Refused("BAD_USER_INPUT", f"{field}: {message}", field=field)


MAX_CONDITIONS = 200
"""Comparisons in one filter. Each becomes an SQL expression: thousands of them (an ``or`` of 1,000 branches)
exceed SQLite's expression depth, PostgreSQL's parameter count, and take seconds to compile."""


_OPAQUE = frozenset({"eq", "ne", "gt", "gte", "lt", "lte"})  # one comparison whatever the (JSON) value
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


# --- strings -------------------------------------------------------------------------------------------


def glob_to_regex(pattern: str) -> str:
    out = ["^"]
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    out.append("$")
    return "".join(out)


def _like_prefix(pattern: str) -> str | None:
    prefix = pattern.split("*", 1)[0]
    if not prefix:
        return None
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def string_conditions(col: sa.ColumnElement, f: StringFilter, field: str) -> list[sa.ColumnElement]:
    conds: list[sa.ColumnElement] = []
    if f.eq is not None:
        conds.append(col == f.eq)
    if f.ne is not None:
        conds.append(sa.or_(col.is_(None), col != f.ne))
    if f.in_ is not None:
        conds.append(col.in_(f.in_) if f.in_ else sa.false())
    if f.nin is not None and f.nin:
        conds.append(sa.or_(col.is_(None), col.not_in(f.nin)))
    if f.glob is not None:
        if not f.glob:
            raise bad_filter(f"{field}.glob", "a glob must not be empty")
        if "*" not in f.glob:
            conds.append(col == f.glob)
        else:
            prefix = _like_prefix(f.glob)
            if prefix is not None:  # lets the index narrow the range before the regular expression runs
                conds.append(col.like(prefix, escape="\\"))
            conds.append(col.regexp_match(glob_to_regex(f.glob)))
    if f.exists is not None:
        conds.append(col.is_not(None) if f.exists else col.is_(None))
    return conds


def datetime_conditions(col: sa.ColumnElement, f: DateTimeFilter) -> list[sa.ColumnElement]:
    conds = []
    for op, value in (("eq", f.eq), ("gt", f.gt), ("gte", f.gte), ("lt", f.lt), ("lte", f.lte)):
        if value is not None:
            conds.append(
                {"eq": col.__eq__, "gt": col.__gt__, "gte": col.__ge__, "lt": col.__lt__, "lte": col.__le__}[op](
                    value
                )
            )
    return conds


# --- JSON paths ----------------------------------------------------------------------------------------

_KEY = re.compile(r"^[A-Za-z0-9_\-]+$")
_SQLITE_TYPES = {str: ("text",), bool: ("true", "false"), int: ("integer", "real"), float: ("integer", "real")}
_PG_TYPES = {str: "string", bool: "boolean", int: "number", float: "number"}


class JSONPath:
    """One path inside a JSON column, with type-exact comparisons on both databases."""

    def __init__(self, col: sa.ColumnElement, parts: list[str], dialect: str) -> None:
        self.col, self.parts, self.pg = col, parts, dialect == "postgresql"
        if self.pg:
            self.value = sa.type_coerce(col, JSONB)[tuple(parts)]  # col #> '{a,b}'
        else:
            self.path = "$." + ".".join(f'"{p}"' for p in parts)
            self.value = sa.func.json_extract(col, self.path)

    def exists(self) -> sa.ColumnElement:
        if self.pg:
            return self.value.is_not(None)
        return sa.func.json_type(self.col, self.path).is_not(None)

    def _is_type(self, value: Any) -> sa.ColumnElement:
        kind = type(value)
        if self.pg:
            return sa.func.jsonb_typeof(self.value) == _PG_TYPES[kind]
        return sa.func.json_type(self.col, self.path).in_(_SQLITE_TYPES[kind])

    def eq(self, value: Any) -> sa.ColumnElement:
        if self.pg:
            return self.value == sa.cast(sa.literal(orjson.dumps(value).decode()), JSONB)
        if value is None:
            return sa.func.json_type(self.col, self.path) == "null"
        if isinstance(value, list | dict):
            return self.value == sa.func.json(orjson.dumps(value).decode())
        return sa.and_(self._is_type(value), self.value == value)

    def compare(self, op: str, value: Any) -> sa.ColumnElement:
        target = (
            sa.cast(sa.literal(orjson.dumps(value).decode()), JSONB) if self.pg else sa.literal(value)
        )
        cmp = {"gt": self.value > target, "gte": self.value >= target, "lt": self.value < target,
               "lte": self.value <= target}[op]
        return sa.and_(self._is_type(value), cmp)


def json_path_conditions(
    col: sa.ColumnElement, f: JSONPathFilter, field: str, dialect: str, roots: tuple[str, ...] = ("user", "system")
) -> list[sa.ColumnElement]:
    parts = f.path.split(".") if f.path else []
    if len(parts) < 2 or parts[0] not in roots or not all(_KEY.match(p) for p in parts):
        raise bad_filter(
            f"{field}.path",
            f"path must start with one of {', '.join(roots)} followed by keys of letters, digits, _ or - "
            f'separated by dots (e.g. "user.split"), got {f.path!r}',
        )
    jp = JSONPath(col, parts, dialect)
    conds: list[sa.ColumnElement] = []

    def truthy(cond: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.coalesce(cond, sa.false())

    def check_scalar(op: str, value: Any, allow_null: bool = True) -> None:
        ok = value is None and allow_null or isinstance(value, str | bool | int | float | list | dict)
        if not ok:
            raise bad_filter(f"{field}.{op}", f"takes a JSON value, got {value!r}")

    if f.eq is not strawberry.UNSET:
        check_scalar("eq", f.eq)
        conds.append(truthy(jp.eq(f.eq)))
    if f.ne is not strawberry.UNSET:
        check_scalar("ne", f.ne)
        conds.append(sa.not_(truthy(jp.eq(f.ne))))
    if f.in_ is not None:
        conds.append(sa.or_(sa.false(), *[truthy(jp.eq(v)) for v in f.in_]))
    if f.nin is not None:
        conds.append(sa.not_(sa.or_(sa.false(), *[truthy(jp.eq(v)) for v in f.nin])))
    for op in ("gt", "gte", "lt", "lte"):
        value = getattr(f, op)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad_filter(f"{field}.{op}", f"compares numbers or strings (ISO dates), got {value!r}")
        conds.append(truthy(jp.compare(op, value)))
    if f.exists is not None:
        conds.append(jp.exists() if f.exists else sa.not_(jp.exists()))
    return conds


def order_of(order_by: list | None, default: tuple[str, ...] = ("created_at",)) -> Order:
    """The keyset Order for an ``orderBy`` list of XOrder inputs (their field enums' values are columns)."""
    if not order_by:
        return Order.of([(c, False) for c in default])
    return Order.of([(o.field.value, o.direction == OrderDirection.DESC) for o in order_by])
