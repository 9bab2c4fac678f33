"""The one filter structure: every filter (typed GraphQL inputs, trigger filters, DQL documents) parses into an
immutable tree of ``And`` / ``Or`` / ``Not`` / ``Cond`` / ``Join`` nodes. Two readers give it meaning, and they
must agree (tests/filters/test_property.py checks it on random filters and items, on SQLite and PostgreSQL):

* ``to_sql``: a condition on the resource's table, for lists, counts, compiled reads and bulk writes;
* ``evaluate``: the same answer on a record in memory (an outbox event's payload), for triggers and
  subscriptions.

The semantics, one rule per operator (``v`` is the value at the condition's path, "present" means the path
exists: a column that is not NULL, a JSON key that exists, even with a JSON null):

* ``eq x``: present and ``v`` equals ``x`` type-exactly (a number never equals a string nor a boolean;
  ``1 == 1.0``); ``eq null`` on a JSON path: the key holds JSON null; on a column: the column is NULL.
* ``ne x`` = not ``eq x``; ``in [..]`` = any ``eq``; ``nin [..]`` = not ``in`` (so a missing path is ``ne``
  anything and ``nin`` any list).
* ``gt gte lt lte x``: present and ``v`` is of ``x``'s kind (both numbers, or both strings compared by code
  point, or both instants) and compares so. ``gt: "abc"`` on a number path selects nothing: type-exact.
* ``glob p``: ``v`` is a string matching ``p`` (``*`` within one path segment, ``**`` across segments).
* ``exists b``: present == b.
* ``contains x``: an array at the path has an element that ``eq x``; ``containsAll [..]``: ``contains`` each.

Arrays (JSON paths only): a path walks through an array, one level per step, as PostgreSQL's lax jsonpath
does: ``user.tags`` on ``{"user": [{"tags": 1}, {"tags": 2}]}`` reaches both 1 and 2, and where the value
reached is an array, its elements are compared: ``{path: "user.tags", eq: "night"}`` matches
``["day", "night"]`` (``system.refs.id`` matches any ref's id). So ``eq``/``in``/comparisons/``glob`` mean
"some value reached matches" and ``ne``/``nin`` "none does". ``eq`` with an array or object compares the
value reached as a whole. Arrays nested in arrays are not walked. ``regex`` is not offered: a user pattern
would run in the database (catastrophic backtracking, per-dialect syntax) and cannot use an index; ``glob``
covers the everyday cases.
* ``Join(relation, f)``: at least one related row satisfies ``f`` (existential, as DQL defines joins).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.cache_key import NO_CACHE
from sqlalchemy.sql.visitors import InternalTraversal

from labelgraph.db import MD_CLOSE, MD_OPEN, MD_SEP
from labelgraph.errors import Refused
from labelgraph.graph.pagination import MetadataKey

OPS = ("eq", "ne", "in", "nin", "gt", "gte", "lt", "lte", "glob", "exists", "contains", "containsAll")
COMPARISONS = ("gt", "gte", "lt", "lte")
MAX_DEPTH = 10
MAX_CONDITIONS = 200


# --- the structure -------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cond:
    field: str  # the resource's public field name: "dir", "createdAt", "metadata"
    op: str
    value: Any = None
    path: tuple[str, ...] = ()  # inside a JSON field: ("user", "split")


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    part: Node


@dataclass(frozen=True, slots=True)
class Join:
    relation: str  # a Resource.joins key: "annotations", "item"
    part: Node


Node = Cond | And | Or | Not | Join
TRUE = And(())


def all_of(parts: Iterable[Node]) -> Node:
    flat: list[Node] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, And) else (p,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


# --- resources: which fields a filter may name, and where they live ------------------------------------------

@dataclass(frozen=True)
class Field:
    column: str
    kind: str  # "string" | "bool" | "datetime" | "number" | "json"
    nullable: bool = False
    paths: bool = False  # holds "/"-separated paths: a glob's * stays within one segment


@dataclass(frozen=True)
class JoinSpec:
    resource: str  # the related Resource's name
    local: str  # column of this table
    remote: str  # column of the related table
    # (local, remote) columns that are equal on every related pair anyway (an annotation's dataset_id is its item's):
    # written out, they let the planner narrow the related rows by an index that leads with them
    same: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Resource:
    name: str
    table: sa.Table
    fields: Mapping[str, Field]
    joins: Mapping[str, JoinSpec] = dataclasses.field(default_factory=dict)
    json_roots: tuple[str, ...] = ("user", "system")
    md_values: bool = False  # SQLite: the metadata column's indexed paths have rows in item_md_value (0012)


_RESOURCES: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    _RESOURCES[resource.name] = resource
    return resource


def resource(name: str) -> Resource:
    return _RESOURCES[name]


# --- errors and limits ---------------------------------------------------------------------------------------

def bad(where: str, message: str) -> Refused:
    return Refused("BAD_USER_INPUT", f"{where}: {message}", field=where)


def check_limits(node: Node, argument: str = "filter") -> Node:
    """Refuse a filter nested deeper than MAX_DEPTH or of more than MAX_CONDITIONS comparisons."""
    count, stack = 0, [(node, 1)]
    while stack:
        n, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Refused("LIMIT_EXCEEDED", f"{argument} is nested more than {MAX_DEPTH} levels deep",
                          argument=argument, limit="filterDepth", maximum=MAX_DEPTH)
        if isinstance(n, Cond):
            count += len(n.value) if n.op in ("in", "nin", "containsAll") else 1
        elif isinstance(n, And | Or):
            stack += [(p, depth + 1) for p in n.parts]
        else:
            stack.append((n.part, depth + 1))
    if count > MAX_CONDITIONS:
        raise Refused("LIMIT_EXCEEDED", f"{argument} has {count:,} conditions; the limit is {MAX_CONDITIONS}",
                      argument=argument, limit="filterConditions", maximum=MAX_CONDITIONS)
    return node


# --- building conditions (with the checks every front end shares) -------------------------------------------

_KEY = re.compile(r"^[A-Za-z0-9_\-]+$")
_JSON_SCALARS = (str, bool, int, float)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _as_instant(v: Any, where: str) -> datetime:
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            raise bad(where, f"takes an ISO-8601 instant, got {v!r}") from None
    if not isinstance(v, datetime):
        raise bad(where, f"takes an ISO-8601 instant, got {v!r}")
    return v if v.tzinfo else v.replace(tzinfo=UTC)


def json_path(res: Resource, field: str, path: str | Iterable[str], where: str) -> tuple[str, ...]:
    parts = tuple(path.split(".")) if isinstance(path, str) else tuple(path)
    if not parts or parts[0] not in res.json_roots or not all(_KEY.match(p) for p in parts):
        raise bad(where, f"path must start with one of {', '.join(res.json_roots)} followed by keys of letters, "
                         f'digits, _ or - separated by dots (e.g. "user.split"), got {".".join(parts)!r}')
    return parts


def cond(res: Resource, field: str, op: str, value: Any, where: str, path: tuple[str, ...] = ()) -> Cond:
    """A checked condition: the field exists, the operator applies to its kind, the value fits."""
    f = res.fields.get(field)
    if f is None:
        raise bad(where, f"unknown field {field!r}; allowed: {', '.join(sorted(res.fields))}")
    if op not in OPS:
        raise bad(where, f"unknown operator {op!r}; allowed: {', '.join(OPS)}")
    if op == "exists":
        if not isinstance(value, bool):
            raise bad(where, f"exists takes true or false, got {value!r}")
        return Cond(field, op, value, path)
    if op in ("contains", "containsAll"):
        if f.kind != "json":
            raise bad(where, f"{op} applies to arrays in a JSON field (metadata), not to a {f.kind} field")
        values = value if op == "containsAll" else [value]
        if op == "containsAll" and not isinstance(value, list | tuple):
            raise bad(where, f"containsAll takes a list of values, got {value!r}")
        for i, v in enumerate(values):
            if not (v is None or isinstance(v, _JSON_SCALARS)):
                raise bad(f"{where}[{i}]" if op == "containsAll" else where,
                          f"{op} takes a string, number, boolean or null (an array element), got {v!r}")
        return Cond(field, op, tuple(values) if op == "containsAll" else value, path)
    if op in ("in", "nin"):
        if not isinstance(value, list | tuple):
            raise bad(where, f"{op} takes a list of values, got {value!r}")
        return Cond(field, op, tuple(_value(f, "eq", v, f"{where}[{i}]") for i, v in enumerate(value)), path)
    return Cond(field, op, _value(f, op, value, where), path)


def _value(f: Field, op: str, value: Any, where: str) -> Any:
    kind = f.kind
    if op == "glob":
        if kind not in ("string", "json"):
            raise bad(where, f"glob applies to strings, not to a {kind} field")
        if not isinstance(value, str) or not value:
            raise bad(where, f"a glob is a non-empty string like \"/train/**/*.jpg\", got {value!r}")
        return value
    if kind == "json":
        if op in COMPARISONS:
            if not (_is_number(value) or isinstance(value, str)):
                raise bad(where, f"{op} compares numbers or strings (ISO dates), got {value!r}")
            return value
        if value is None or isinstance(value, _JSON_SCALARS + (list, dict)):
            return value
        raise bad(where, f"takes a JSON value, got {value!r}")
    if kind == "bool":
        if op in COMPARISONS or not isinstance(value, bool):
            raise bad(where, f"a boolean field takes eq/ne/in/nin true or false, got {op} {value!r}")
        return value
    if kind == "datetime":
        return None if value is None and op in ("eq", "ne") else _as_instant(value, where)
    if kind == "number":
        if value is None and op in ("eq", "ne") or _is_number(value):
            return value
        raise bad(where, f"takes a number, got {value!r}")
    if value is None and op in ("eq", "ne") and f.nullable:
        return None
    if not isinstance(value, str):
        raise bad(where, f"takes a string, got {value!r}")
    return value


# --- in memory -----------------------------------------------------------------------------------------------

def glob_to_regex(pattern: str, paths: bool = True) -> str:
    """``**`` matches anything; ``*`` matches within one path segment where the field holds paths (``dir``,
    ``filename``), anything elsewhere (``mimetype: "image*"`` matches ``image/jpeg``)."""
    out = ["^"]
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*" if paths else ".*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    out.append("$")
    return "".join(out)


_MISSING = object()


def same(a: Any, b: Any) -> bool:
    """Type-exact equality (JSON's types; 1 == 1.0; lists and objects compared element by element)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _lookup(res: Resource, record: Mapping[str, Any], c: Cond) -> Any:
    f = res.fields[c.field]
    value = record.get(c.field)
    if value is None:
        return _MISSING
    return _as_instant(value, c.field) if f.kind == "datetime" else value


def reached(root: Any, path: tuple[str, ...]) -> list[Any]:
    """The values a JSON path reaches, walking one level of array at each step (lax jsonpath)."""
    values = [root]
    for part in path:
        out = []
        for v in values:
            for o in (v if isinstance(v, list) else (v,)):
                if isinstance(o, dict) and part in o:
                    out.append(o[part])
        values = out
    return values


def _unwrapped(values: list[Any]) -> list[Any]:
    """The values reached, arrays replaced by their elements (what scalar comparisons look at)."""
    return [e for v in values for e in (v if isinstance(v, list) else (v,))]


def _json_evaluate(c: Cond, record: Mapping[str, Any]) -> bool:
    values = reached(record.get(c.field), c.path)
    op, x = c.op, c.value
    if op == "exists":
        return bool(values) == x
    if op in ("contains", "containsAll"):
        elements = [e for v in values if isinstance(v, list) for e in v]
        wanted = x if op == "containsAll" else (x,)
        return all(any(_same_scalar(e, y) for e in elements) for y in wanted)
    scalars = _unwrapped(values)

    def eq(y: Any) -> bool:
        if isinstance(y, list | dict):
            return any(same(v, y) for v in values)
        return any(_same_scalar(s, y) for s in scalars)

    if op == "eq":
        return eq(x)
    if op == "ne":
        return not eq(x)
    if op == "in":
        return any(eq(y) for y in x)
    if op == "nin":
        return not any(eq(y) for y in x)
    if op == "glob":
        return any(isinstance(s, str) and re.match(glob_to_regex(x, False), s) is not None for s in scalars)
    return any(_order(s, x, op) for s in scalars)


def _same_scalar(a: Any, b: Any) -> bool:
    return a is None if b is None else same(a, b)


def _order(a: Any, b: Any, op: str) -> bool:
    if not ((_is_number(a) and _is_number(b)) or (isinstance(a, str) and isinstance(b, str))
            or (isinstance(a, datetime) and isinstance(b, datetime))):
        return False
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]


def _eq(res: Resource, c: Cond, v: Any, x: Any) -> bool:
    if x is None:
        return v is _MISSING if res.fields[c.field].kind != "json" else (v is None)
    return v is not _MISSING and same(v, x)


def evaluate(node: Node, res: Resource, record: Mapping[str, Any]) -> bool:
    """Does ``record`` (field name → value, as ``Resource.fields`` names them) satisfy ``node``? A ``Join``
    reads the related records from ``record[relation]`` (a list)."""
    if isinstance(node, And):
        return all(evaluate(p, res, record) for p in node.parts)
    if isinstance(node, Or):
        return any(evaluate(p, res, record) for p in node.parts)
    if isinstance(node, Not):
        return not evaluate(node.part, res, record)
    if isinstance(node, Join):
        other = resource(res.joins[node.relation].resource)
        return any(evaluate(node.part, other, r) for r in record.get(node.relation) or ())
    if res.fields[node.field].kind == "json":
        return _json_evaluate(node, record)
    v = _lookup(res, record, node)
    op, x = node.op, node.value
    if op == "exists":
        return (v is not _MISSING) == x
    if op == "eq":
        return _eq(res, node, v, x)
    if op == "ne":
        return not _eq(res, node, v, x)
    if op == "in":
        return any(_eq(res, node, v, y) for y in x)
    if op == "nin":
        return not any(_eq(res, node, v, y) for y in x)
    if op == "glob":
        paths = res.fields[node.field].paths
        return isinstance(v, str) and re.match(glob_to_regex(x, paths), v) is not None
    return v is not _MISSING and _order(v, x, op)


# --- SQL -----------------------------------------------------------------------------------------------------

_SQLITE_TYPES = {str: ("text",), bool: ("true", "false"), int: ("integer", "real"), float: ("integer", "real")}
_PG_TYPES = {str: "string", bool: "boolean", int: "number", float: "number"}


class _Reached:
    """The values a JSON path reaches in one row (see ``reached``), as a correlated subquery of rows, with
    type-exact tests on one such value. PostgreSQL: ``jsonb_path_query`` in lax mode (which walks one level of
    array per step). SQLite: the nodes of ``json_tree`` whose full key is the path with at most one array index
    after each key."""

    def __init__(self, col: sa.ColumnElement, parts: tuple[str, ...], pg: bool) -> None:
        self.col, self.parts, self.pg = col, parts, pg
        if pg:
            self.jsonpath = "lax $" + "".join(f'."{p}"' for p in parts)
        else:
            keys = [r'\."?' + re.escape(p) + '"?' for p in parts]
            self.regex = r"^\$" + r"(\[[0-9]+\])?".join(keys)

    def _rows(self, which: str) -> tuple[list[Any], list[sa.ColumnElement], Any]:
        """which: "values" (reached), "scalars" (arrays replaced by their elements), "elements" (of arrays).
        Returns the FROM list, its conditions, and the value (a jsonb column, or json_tree's columns)."""
        if self.pg:
            path = self.jsonpath + ("[*]" if which == "scalars" else "")
            tv = sa.func.jsonb_path_query(self.col, sa.cast(sa.literal(path), JSONPATH)).table_valued(
                sa.column("v", JSONB)).render_derived()
            if which == "elements":
                te = sa.func.jsonb_array_elements(tv.c.v).table_valued(sa.column("e", JSONB)).render_derived()
                return [tv.join(te, sa.true())], [sa.func.jsonb_typeof(tv.c.v) == "array"], te.c.e
            return [tv], [], tv.c.v
        t = sa.func.json_tree(self.col, f'$."{self.parts[0]}"').table_valued("type", "atom", "value", "fullkey")
        suffix = {"values": "$", "scalars": r"(\[[0-9]+\])?$", "elements": r"\[[0-9]+\]$"}[which]
        return [t], [t.c.fullkey.regexp_match(self.regex + suffix)], t.c

    def scalars_array(self) -> sa.ColumnElement:
        """PostgreSQL: the reached values, arrays replaced by their elements, as one jsonb array. The path is
        written inline (keys are letters, digits, _ and -), so the expression matches an index on it."""
        return sa.func.jsonb_path_query_array(self.col, sa.literal_column(f"'{self.jsonpath}[*]'::jsonpath"))

    def any(self, which: str, test: Callable[[Any], sa.ColumnElement]) -> sa.ColumnElement:
        """Some value (of ``which``) passes ``test`` (given the value: a jsonb column, or json_tree's row)."""
        froms, where, subject = self._rows(which)
        return sa.exists(sa.select(sa.literal(1)).select_from(*froms).where(*where, test(subject)))

    def is_type(self, v: Any, value: Any) -> sa.ColumnElement:
        if self.pg:
            return sa.func.jsonb_typeof(v) == ("null" if value is None else _PG_TYPES[type(value)])
        if value is None:
            return v.type == "null"
        if isinstance(value, bool):
            return v.type == ("true" if value else "false")
        return v.type.in_(_SQLITE_TYPES[type(value)])

    def eq(self, v: Any, value: Any) -> sa.ColumnElement:
        """``v`` equals the scalar ``value`` (or JSON null) type-exactly."""
        if self.pg:
            return v == sa.cast(sa.literal(orjson.dumps(value).decode()), JSONB)
        if value is None or isinstance(value, bool):
            return self.is_type(v, value)
        return sa.and_(self.is_type(v, value), v.atom == value)

    def eq_whole(self, v: Any, value: Any) -> sa.ColumnElement:
        """``v`` equals the array or object ``value``."""
        text = orjson.dumps(value).decode()
        if self.pg:
            return v == sa.cast(sa.literal(text), JSONB)
        return sa.and_(v.type.in_(("array", "object")), sa.func.json(v.value) == sa.func.json(text))

    def text(self, v: Any) -> sa.ColumnElement:
        if self.pg:
            return v.op("#>>", return_type=sa.Text)(sa.literal_column("'{}'::text[]")).collate("C")
        return sa.cast(v.atom, sa.Text)

    def compare(self, v: Any, op: str, value: Any) -> sa.ColumnElement:
        if isinstance(value, str):
            left, target = self.text(v), sa.literal(value)
        elif self.pg:
            left, target = v, sa.cast(sa.literal(orjson.dumps(value).decode()), JSONB)
        else:
            left, target = v.atom, sa.literal(value)
        return sa.and_(self.is_type(v, value), _compare(left, op, target))


# SQLite: the values of indexed metadata paths (migration 0012, data/service/indexes.py), one row per scalar
# reached: kind 0 number, 1 string, 2 boolean (val 0/1), 4 JSON null (val NULL)
MD_PATHS = sa.table("item_md_path", sa.column("path"))
MD_VALUES = sa.table("item_md_value", sa.column("path"), sa.column("kind"), sa.column("val"), sa.column("item_id"))
MD_SMALL = 2000  # up to this many rows of a value: test membership in their set, else probe the index per row


def md_kind_val(value: Any) -> tuple[int, Any]:
    """(kind, val) of a scalar (or None) as item_md_value stores it."""
    if value is None:
        return 4, None
    if isinstance(value, bool):
        return 2, int(value)
    return (1, value) if isinstance(value, str) else (0, value)


def sqlite_reached_scalars(doc: str, parts: tuple[str, ...]) -> tuple[str, str]:
    """SQLite: the scalars the path reaches in the JSON text ``doc`` (an SQL expression, may name a table
    earlier in the FROM list), as ``reached`` + ``_unwrapped`` define them: one level of array walked at each
    step, an array at the end replaced by its elements; objects and nested arrays are not scalars and give no row.
    Returns (FROM items, WHERE conditions) of a chain of ``json_each`` joins whose last alias ``s`` is one scalar
    (``s.type``, ``s.value``); the kind of item_md_value is ``MD_KIND_SQL``. Plain ``json_each`` only (no
    REGEXP, no CTE, no subquery): usable in a trigger and correlated with a table."""
    froms, where = [f"json_each({doc}) AS j0"], [f"j0.key = '{parts[0]}'"]
    for n, key in enumerate(parts[1:], 1):
        j = f"j{n - 1}"
        froms.append(f"json_each(CASE {j}.type WHEN 'object' THEN json_array(json({j}.value)) WHEN 'array' THEN "
                     f"{j}.value ELSE '[]' END) AS o{n}")
        froms.append(f"json_each(o{n}.value) AS j{n}")
        where += [f"o{n}.type = 'object'", f"j{n}.key = '{key}'"]
    j = f"j{len(parts) - 1}"
    froms.append(f"json_each(CASE {j}.type WHEN 'array' THEN {j}.value WHEN 'object' THEN '[]' WHEN 'true' THEN "
                 f"'[true]' WHEN 'false' THEN '[false]' WHEN 'null' THEN '[null]' ELSE json_array({j}.value) END) AS s")
    where.append("s.type NOT IN ('array', 'object')")
    return ", ".join(froms), " AND ".join(where)


MD_KIND_SQL = "(CASE s.type WHEN 'text' THEN 1 WHEN 'true' THEN 2 WHEN 'false' THEN 2 WHEN 'null' THEN 4 ELSE 0 END)"


def sqlite_value_selects(doc: str, parts: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """SQLite: ``(FROM items, WHERE, kind, val)`` of the SELECTs whose rows together are the scalars the path
    reaches in ``doc`` (``sqlite_reached_scalars``), cheapest first: where every step before the last is an
    object (the usual case), the last key's value, or its elements, from one ``json_each`` on the parent path
    (one parse of ``doc``; a parent path through an array reaches nothing there); only where an array lies on
    the way, the general ``json_each`` chain. At most one of them gives rows."""
    parent = "$" + "".join(f'."{k}"' for k in parts[:-1])
    out = [(f"json_each({doc}, '{parent}') AS j, json_each(CASE j.type WHEN 'array' THEN j.value WHEN 'object' "
            "THEN '[]' WHEN 'true' THEN '[true]' WHEN 'false' THEN '[false]' WHEN 'null' THEN '[null]' ELSE "
            "json_array(j.value) END) AS s", f"j.key = '{parts[-1]}' AND s.type NOT IN ('array', 'object')",
            MD_KIND_SQL, "s.value")]
    if len(parts) > 1:
        prefixes = ", ".join(f"json_type({doc}, '$" + "".join(f'."{k}"' for k in parts[:i]) + "')"
                             for i in range(1, len(parts)))
        chain_from, chain_where = sqlite_reached_scalars(doc, parts)
        out.append((chain_from, f"'array' IN ({prefixes}) AND {chain_where}", MD_KIND_SQL, "s.value"))
    return out


def _sqlite_indexed_eq(table: sa.Table, r: _Reached, path: str, values: list[Any]) -> sa.ColumnElement:
    """SQLite, ``eq`` a scalar (``in`` scalars: any of ``values``) on a path that may be indexed. Three ways,
    chosen per statement when it runs (``db.choose_md_eq``, a ``before_cursor_execute`` hook, one small query):
    where ``item_md_path`` does not list the path, the json_tree test (``r``); where it does and at most
    MD_SMALL rows hold the values,
    ``id IN (their ids)`` — the planner walks from item_md_value's index to those items; else a probe of that
    index per item while the page walks its own order and stops after the page. Unchosen (the hook not
    installed), the statement is still right: a CASE of the three."""
    v = MD_VALUES.alias("md_v")
    pairs = [md_kind_val(y) for y in values]
    match = [v.c.path == path, sa.or_(*[sa.and_(v.c.kind == kind, v.c.val.is_(None) if val is None else
                                                 v.c.val == val) for kind, val in pairs])]
    indexed = sa.exists(sa.select(sa.literal(1)).select_from(MD_PATHS).where(MD_PATHS.c.path == path))
    few = sa.select(sa.func.count()).select_from(
        sa.select(sa.literal(1)).select_from(v).where(*match).limit(MD_SMALL + 1).subquery()).scalar_subquery()
    member = table.c.id.in_(sa.select(v.c.item_id).where(*match))
    probe = sa.exists(sa.select(sa.literal(1)).select_from(v).where(*match, v.c.item_id == table.c.id))
    fallback = r.any("scalars", lambda t: sa.or_(*[r.eq(t, y) for y in values]))
    return _MdEq(sa.not_(indexed), fallback, few <= MD_SMALL, member, probe)


class _MdEq(sa.sql.ColumnElement):
    """(CASE WHEN unindexed THEN fallback WHEN few THEN member ELSE probe END = 1), each part inline (no bound
    parameters) between markers that ``db.choose_md_eq`` finds."""

    inherit_cache = False  # the parts are written with their values inline: no cached SQL text across values
    type = sa.Boolean()
    # traversed: the compiled read path adapts the item table to its alias inside (ClauseAdapter)
    _traverse_internals = [("parts", InternalTraversal.dp_clauseelement_tuple)]

    def __init__(self, *parts: sa.ColumnElement) -> None:
        self.parts = tuple(parts)

    def _gen_cache_key(self, anon_map: Any, bindparams: Any) -> None:
        # no cache key: with _traverse_internals SQLAlchemy would make one without the values, and hand back
        # SQL compiled for another value (the parts are written with their values inline)
        anon_map[NO_CACHE] = True


@compiles(_MdEq)
def _compile_md_eq(element: _MdEq, compiler: Any, **kw: Any) -> str:
    kw["literal_binds"] = True
    a, f, b, m, p = (compiler.process(x, **kw) for x in element.parts)
    return (f"{MD_OPEN}(CASE WHEN {a} {MD_SEP}THEN {f}{MD_SEP} WHEN {b} {MD_SEP}THEN {m}{MD_SEP} ELSE {p} "
            f"END = 1){MD_CLOSE}")


def _compare(left: Any, op: str, right: Any) -> sa.ColumnElement:
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def _like_prefix(pattern: str) -> str | None:
    prefix = pattern.split("*", 1)[0]
    if not prefix:
        return None
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _glob(col: sa.ColumnElement, pattern: str, paths: bool) -> sa.ColumnElement:
    if "*" not in pattern:
        return col == pattern
    prefix = _like_prefix(pattern)
    regex = col.regexp_match(glob_to_regex(pattern, paths))
    # the LIKE lets an index narrow the range before the regular expression runs
    return sa.and_(col.like(prefix, escape="\\"), regex) if prefix is not None else regex


def _column_cond(res: Resource, c: Cond, table: sa.Table, pg: bool) -> sa.ColumnElement:
    f = res.fields[c.field]
    col = table.c[f.column]
    op, x = c.op, c.value

    def guard(expr: sa.ColumnElement) -> sa.ColumnElement:  # two-valued even where the column is NULL
        return sa.and_(col.is_not(None), expr) if f.nullable else expr

    def eq(y: Any) -> sa.ColumnElement:
        if y is None:
            return col.is_(None)
        if f.kind == "bool":
            return guard(col.is_(y))
        return guard(col == y)

    if op == "exists":
        return col.is_not(None) if x else col.is_(None)
    if op == "eq":
        return eq(x)
    if op == "ne":
        return sa.not_(eq(x))
    if op in ("in", "nin"):
        non_null = [y for y in x if y is not None]
        parts = ([guard(col.in_(non_null))] if non_null else []) + ([col.is_(None)] if None in x else [])
        within = sa.or_(sa.false(), *parts)
        return within if op == "in" else sa.not_(within)
    if op == "glob":
        return guard(_glob(col, x, f.paths))
    left = col.collate("C") if pg and f.kind == "string" else col
    return guard(_compare(left, op, x))


def _json_cond(c: Cond, table: sa.Table, res: Resource, pg: bool) -> sa.ColumnElement:
    r = _Reached(table.c[res.fields[c.field].column], c.path, pg)
    op, x = c.op, c.value
    if op == "exists":
        e = r.any("values", lambda v: sa.true())
        return e if x else sa.not_(e)

    def eq(y: Any) -> sa.ColumnElement:
        if isinstance(y, list | dict):
            return r.any("values", lambda v: r.eq_whole(v, y))
        if pg:  # the reached scalars as one array containing y: what a GIN index of datasetIndexCreate answers
            return r.scalars_array().op("@>")(sa.cast(sa.literal(orjson.dumps([y]).decode()), JSONB))
        if res.md_values and c.field == "metadata":  # item metadata (SQLite): the value index
            return _sqlite_indexed_eq(table, r, ".".join(c.path), [y])
        if y is None:
            return r.any("scalars", lambda v: r.eq(v, y))
        # SQLite: where the path holds a number, string or boolean through objects only, that value is the only
        # one reached: compare the ordering keys (graph/pagination.py; cheap, and what a datasetIndexCreate index
        # holds); walk with json_tree only where it holds something else (arrays on the way, missing, null)
        col, path = r.col, ".".join(c.path)
        rank = MetadataKey(col, path, "rank")
        if isinstance(y, bool):
            direct = sa.and_(rank == 2, MetadataKey(col, path, "num") == int(y))
        elif isinstance(y, str):
            direct = sa.and_(rank == 1, MetadataKey(col, path, "text") == y)
        else:
            direct = sa.and_(rank == 0, MetadataKey(col, path, "num") == y)
        return sa.or_(direct, sa.and_(rank == 3, r.any("scalars", lambda v: r.eq(v, y))))

    if op in ("eq", "ne"):
        return eq(x) if op == "eq" else sa.not_(eq(x))
    if op in ("in", "nin"):
        scalars = [y for y in x if not isinstance(y, list | dict)]
        parts = [eq(y) for y in x if isinstance(y, list | dict)]
        if scalars and not pg and res.md_values and c.field == "metadata":  # item metadata (SQLite)
            parts.append(_sqlite_indexed_eq(table, r, ".".join(c.path), scalars))
        elif scalars:  # one subquery for all the scalars
            parts.append(r.any("scalars", lambda v: sa.or_(*[r.eq(v, y) for y in scalars])))
        e = sa.or_(sa.false(), *parts)
        return e if op == "in" else sa.not_(e)
    if op in ("contains", "containsAll"):
        wanted = x if op == "containsAll" else (x,)
        return sa.and_(sa.true(), *[r.any("elements", lambda v, y=y: r.eq(v, y)) for y in wanted])
    if op == "glob":
        return r.any("scalars", lambda v: sa.and_(r.is_type(v, ""), _glob(r.text(v), x, False)))
    return r.any("scalars", lambda v: r.compare(v, op, x))


def to_sql(node: Node, res: Resource, dialect: str, table: sa.Table | Any = None) -> sa.ColumnElement:
    """A two-valued SQL condition (never NULL, so NOT means "does not match") on ``table`` (default: the
    resource's table; pass an alias for a joined or correlated copy)."""
    table = res.table if table is None else table
    pg = dialect == "postgresql"
    if isinstance(node, And):
        return sa.and_(sa.true(), *[to_sql(p, res, dialect, table) for p in node.parts])
    if isinstance(node, Or):
        return sa.or_(sa.false(), *[to_sql(p, res, dialect, table) for p in node.parts])
    if isinstance(node, Not):
        return sa.not_(to_sql(node.part, res, dialect, table))
    if isinstance(node, Join):
        j = res.joins[node.relation]
        other = resource(j.resource)
        alias = other.table.alias()
        inner = to_sql(node.part, other, dialect, alias)
        probe = sa.exists(sa.select(sa.literal(1)).select_from(alias).where(
            alias.c[j.remote] == table.c[j.local], *[alias.c[r] == table.c[loc] for loc, r in j.same], inner))
        if pg or not res.md_values or _has_join(node.part):
            return probe
        # SQLite, items having related rows: few related rows match → the set of their items (the planner walks
        # from them); many → the probe per item while the page walks its order (chosen as _MdEq's are)
        few = sa.select(sa.func.count()).select_from(
            sa.select(sa.literal(1)).select_from(alias).where(inner).limit(MD_SMALL + 1).subquery()).scalar_subquery()
        member = table.c[j.local].in_(sa.select(alias.c[j.remote]).where(inner))
        return _MdEq(sa.false(), sa.false(), few <= MD_SMALL, member, probe)
    if res.fields[node.field].kind == "json":
        return _json_cond(node, table, res, pg)
    return _column_cond(res, node, table, pg)


def _has_join(node: Node) -> bool:
    if isinstance(node, And | Or):
        return any(_has_join(p) for p in node.parts)
    if isinstance(node, Not):
        return _has_join(node.part)
    return isinstance(node, Join)


def conditions(node: Node | None, res: Resource, dialect: str) -> list[sa.ColumnElement]:
    """``to_sql`` as the list of conditions the list and compiler paths AND together (none for no filter)."""
    if node is None or node == TRUE:
        return []
    return [to_sql(node, res, dialect)]


# --- the typed form: GraphQL input objects, and their JSON form (trigger filters) ---------------------------

@dataclass(frozen=True)
class Typed:
    """How a typed filter input's fields map to the structure: ``fields`` python name → (kind, public field):
    kind "string" (a StringFilter), "datetime" (a DateTimeFilter), "scalar" (a plain value: equality),
    "list" (a list of values: in), "metadata" (a list of JSONPathFilter), "join" (a nested filter of the
    related resource, existential), "none" (a nested filter of the related resource: none match)."""

    resource: str
    fields: Mapping[str, tuple[str, str]]
    nested: Mapping[str, Callable[[], Typed]] = dataclasses.field(default_factory=dict)  # join field → related
    combinators: bool = True  # and / or / not


_CAMEL = re.compile(r"_([a-z])")
_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")
_RENAMED = {"and": "and_", "or": "or_", "not": "not_", "in": "in_"}


def _items(obj: Any, where: str) -> list[tuple[str, Any, bool]]:
    """(python name, value, given) of an input object or of its JSON form (a dict with GraphQL names)."""
    if isinstance(obj, dict):
        return [(_RENAMED.get(k, _SNAKE.sub("_", k).lower()), v, True) for k, v in obj.items()]
    definition = getattr(obj, "__strawberry_definition__", None)
    if definition is None:
        raise bad(where, f"must be an object, got {obj!r}")
    import strawberry

    out = []
    for fd in definition.fields:
        v = getattr(obj, fd.python_name)
        out.append((fd.python_name, v, v is not None and v is not strawberry.UNSET))
    return out


def _gql_name(python: str) -> str:
    name = python.rstrip("_")
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def from_typed(obj: Any, typed: Typed, where: str = "filter") -> Node:
    """Parse a typed filter (an input object, or its JSON form as trigger filters store it)."""
    if obj is None:
        return TRUE
    res = resource(typed.resource)
    parts: list[Node] = []
    for name, value, given in _items(obj, where):
        if not given:
            continue
        here = f"{where}.{_gql_name(name)}"
        if typed.combinators and name in ("and_", "or_"):
            if not isinstance(value, list):
                raise bad(here, "takes a list of filters")
            subs = tuple(from_typed(s, typed, f"{here}[{i}]") for i, s in enumerate(value))
            parts.append(all_of(subs) if name == "and_" else Or(subs))
            continue
        if typed.combinators and name == "not_":
            parts.append(Not(from_typed(value, typed, here)))
            continue
        spec = typed.fields.get(name)
        if spec is None:
            allowed = sorted({_gql_name(n) for n in typed.fields} | ({"and", "or", "not"} if typed.combinators
                                                                       else set()))
            raise bad(here, f"unknown field; allowed: {', '.join(allowed)}")
        kind, field = spec
        if kind in ("string", "datetime"):
            if isinstance(value, dict):
                ops = list(value.items())
            elif isinstance(obj, dict):  # the JSON form's shorthand for equality: "dir": "/a"
                ops = [("eq", value)]
            else:
                ops = [(k, v) for k, v, g in _items(value, here) if g]
            for op, x in ops:
                parts.append(cond(res, field, op.rstrip("_"), x, f"{here}.{op.rstrip('_')}"))
        elif kind == "scalar":
            parts.append(cond(res, field, "eq", value.value if hasattr(value, "value") else value, here))
        elif kind == "list":
            if not isinstance(value, list):  # the JSON form's shorthand: "type": "box"
                parts.append(cond(res, field, "eq", value, here))
                continue
            values = [v.value if hasattr(v, "value") else v for v in value]
            parts.append(cond(res, field, "in", values, here))
        elif kind == "metadata":
            if not isinstance(value, list):
                raise bad(here, "takes a list of {path, eq|ne|in|nin|gt|gte|lt|lte|glob|exists}")
            for i, jf in enumerate(value):
                parts.extend(_json_filter(res, field, jf, f"{here}[{i}]"))
        elif kind in ("join", "none"):
            sub = from_typed(value, typed.nested[name](), here)
            parts.append(Join(field, sub) if kind == "join" else Not(Join(field, sub)))
        else:  # pragma: no cover - a Typed table names an unknown kind
            raise AssertionError(kind)
    return all_of(parts)


def _json_filter(res: Resource, field: str, jf: Any, where: str) -> list[Node]:
    given = [(_gql_name(k), v) for k, v, g in _items(jf, where)
             if g or k in ("eq", "ne", "contains") and _given_null(jf, k)]
    ops = dict(given)
    path = ops.pop("path", None)
    if not isinstance(path, str):
        raise bad(f"{where}.path", 'needs a path, e.g. "user.split"')
    parts = json_path(res, field, path, f"{where}.path")
    out: list[Node] = []
    for op, x in ops.items():
        out.append(cond(res, field, op, x, f"{where}.{op}", parts))
    return out


def _given_null(jf: Any, name: str) -> bool:
    """An input object's ``eq: null`` (given, JSON null) is not its default (UNSET)."""
    if isinstance(jf, dict):
        return name in jf
    import strawberry

    return getattr(jf, name, strawberry.UNSET) is None


# --- helpers for callers -------------------------------------------------------------------------------------

def parse_cache(fn: Callable[[str], Node]) -> Callable[[str], Node]:
    """Memoize a parser of JSON text (trigger filters are parsed once per distinct text)."""
    cache: dict[str, Node] = {}

    def parse(text: str) -> Node:
        node = cache.get(text)
        if node is None:
            if len(cache) > 1024:
                cache.clear()
            node = cache[text] = fn(text)
        return node

    return parse


def to_json(obj: Any) -> Any:
    """A typed filter input object as its JSON form (GraphQL field names; what ``from_typed`` reads back and
    trigger filters store): for filters that travel in a job's stored input (jobs/)."""
    import enum
    from datetime import datetime

    if obj is None:
        return None
    if isinstance(obj, list | tuple):
        return [to_json(v) for v in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime):
        return obj.isoformat()
    if getattr(obj, "__strawberry_definition__", None) is not None:
        return {_gql_name(name): to_json(value) for name, value, given in _items(obj, "filter") if given}
    return obj
