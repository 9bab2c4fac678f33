"""Keyset pagination: page arguments, opaque cursors and the SQL for root pages and per-parent pages.

Cursors encode the ordering and the last row's ordering values (plus its id, the tie-break), never an offset.
Per-parent pages (``dataset.items(first: 50)`` for many datasets at once) are one statement:
``unnest(parent ids) CROSS JOIN LATERAL (… ORDER BY … LIMIT n+1)`` on PostgreSQL, which reads only the rows it
returns through the (parent, order…, id) index; on SQLite ``json_each(parent ids)`` joined to a correlated
``id IN (… LIMIT n+1)`` subquery per parent (an index range scan each).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from labelgraph.db import any_id
from labelgraph.errors import Refused
from labelgraph.graph.mapping import EntityMap
from labelgraph.graph.scalars import format_datetime, parse_datetime
from labelgraph.jsonvalues import INT_MAX, INT_MIN, text_problem


@dataclass(frozen=True)
class Order:
    """Ordering columns with their direction; always ends with the id tie-break."""

    keys: tuple[tuple[str, bool], ...]  # (column name, descending)

    @classmethod
    def of(cls, columns: Sequence[tuple[str, bool]]) -> Order:
        keys = [(c, d) for c, d in columns if c != "id"]
        last_desc = keys[-1][1] if keys else False
        return cls((*keys, ("id", last_desc)))

    @property
    def signature(self) -> str:
        return ",".join(f"{c}{'-' if d else '+'}" for c, d in self.keys)

    @property
    def by_metadata(self) -> bool:
        return any(c.startswith(METADATA_KEY) for c, _ in self.keys)


# --- ordering by a metadata path --------------------------------------------------------------------------------
# ``orderBy: [{metadata: "user.score", direction: DESC}]`` becomes three keys computed from the value at the path
# (object keys only, no array unwrapping): its type rank (numbers 0, strings 1, booleans 2, anything else —
# missing, null, arrays, objects — 3; always ascending, so whatever has no sortable value comes last in both
# directions), its number (a double; booleans 0/1) and its string (compared by code point), the last two in the
# requested direction; then the id. Each key is non-null, so keyset comparisons are plain ``>``/``<``; the
# cursor carries the three values and the id. The same expressions, written inline (no parameters), are what
# ``datasetIndexCreate`` indexes (data/indexes.py), so the planner can walk an index for every page.

METADATA_KEY = "md:"  # an ordering key "md:<path>#rank|num|text"
_PARTS = ("rank", "num", "text")


def metadata_keys(path: str, desc: bool) -> list[tuple[str, bool]]:
    return [(f"{METADATA_KEY}{path}#rank", False), (f"{METADATA_KEY}{path}#num", desc),
            (f"{METADATA_KEY}{path}#text", desc)]


def metadata_key_values(meta: Any, path: str) -> list[Any]:
    """The three ordering values of ``meta`` (an object's metadata) at ``path``, as the SQL computes them."""
    v: Any = meta
    for key in path.split("."):
        v = v.get(key, _MISSING) if isinstance(v, dict) else _MISSING
    if isinstance(v, bool):
        return [2, int(v), ""]
    if isinstance(v, int | float):
        return [0, v if isinstance(v, float) or INT_MIN <= v <= INT_MAX else float(v), ""]
    if isinstance(v, str):
        return [1, 0, v]
    return [3, 0, ""]


class MetadataKey(sa.sql.ColumnElement):
    """One of the three ordering values of a metadata path (``part``: rank, num or text) of the JSON column
    ``col``, compiled per dialect with the path inline (what an expression index matches)."""

    inherit_cache = True
    _traverse_internals = [("col", InternalTraversal.dp_clauseelement), ("path", InternalTraversal.dp_string),
                           ("part", InternalTraversal.dp_string)]

    def __init__(self, col: sa.ColumnElement, path: str, part: str) -> None:
        if part not in _PARTS:
            raise ValueError(part)
        self.col, self.path, self.part = col, path, part
        self.type = {"rank": sa.Integer(), "num": sa.Float(), "text": sa.Text()}[part]


def _sqlite_key(col: str, path: str, part: str) -> str:
    p = "$" + "".join(f'."{k}"' for k in path.split("."))
    t = f"json_type({col}, '{p}')"
    if part == "rank":
        return f"(CASE {t} WHEN 'integer' THEN 0 WHEN 'real' THEN 0 WHEN 'text' THEN 1 WHEN 'true' THEN 2 " \
               f"WHEN 'false' THEN 2 ELSE 3 END)"
    if part == "num":
        return f"(CASE {t} WHEN 'integer' THEN json_extract({col}, '{p}') WHEN 'real' THEN " \
               f"json_extract({col}, '{p}') WHEN 'true' THEN 1 ELSE 0 END)"
    return f"(CASE {t} WHEN 'text' THEN json_extract({col}, '{p}') ELSE '' END)"


def _pg_key(col: str, path: str, part: str) -> str:
    j = f"({col}" + "".join(f" -> '{k}'" for k in path.split(".")) + ")"
    t = f"jsonb_typeof({j})"
    if part == "rank":
        return f"(CASE {t} WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2 ELSE 3 END)"
    if part == "num":
        return f"(CASE {t} WHEN 'number' THEN ({j})::double precision WHEN 'boolean' THEN " \
               f"(CASE WHEN ({j})::boolean THEN 1 ELSE 0 END)::double precision ELSE 0::double precision END)"
    return f"((CASE {t} WHEN 'string' THEN ({j} #>> '{{}}') ELSE '' END) COLLATE \"C\")"


@compiles(MetadataKey)
def _compile_sqlite(element: MetadataKey, compiler: Any, **kw: Any) -> str:
    return _sqlite_key(compiler.process(element.col, **kw), element.path, element.part)


@compiles(MetadataKey, "postgresql")
def _compile_pg(element: MetadataKey, compiler: Any, **kw: Any) -> str:
    return _pg_key(compiler.process(element.col, **kw), element.path, element.part)


def metadata_key_sql(dialect: str, column: str, path: str, part: str) -> str:
    """A key's SQL text over an unqualified column name (for ``CREATE INDEX``)."""
    return (_pg_key if dialect == "postgresql" else _sqlite_key)(column, path, part)


def key_column(table: sa.FromClause, name: str) -> sa.ColumnElement:
    """The column, or metadata key expression, an ordering key names."""
    if name.startswith(METADATA_KEY):
        path, part = name[len(METADATA_KEY):].rsplit("#", 1)
        return MetadataKey(table.c.metadata, path, part)
    return table.c[name]


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def limit_and_direction(self, default: int, maximum: int) -> tuple[int, bool]:
        """(page size, backwards) after checking the arguments; raises Refused with a clear message."""
        if self.first is not None and self.last is not None:
            raise Refused("BAD_USER_INPUT", "pass either first or last, not both")
        backwards = self.last is not None or (self.before is not None and self.first is None)
        name, value = ("last", self.last) if backwards else ("first", self.first)
        if value is None:
            value = default
        if value < 1 or value > maximum:
            code = "LIMIT_EXCEEDED" if value > maximum else "BAD_USER_INPUT"
            raise Refused(code, f"{name} must be between 1 and {maximum}, got {value}", argument=name,
                          maximum=maximum)
        return value, backwards


def encode_cursor(order: Order, values: Sequence[Any]) -> str:
    out = [format_datetime(v) if isinstance(v, datetime) else v for v in values]
    raw = orjson.dumps([order.signature, out])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order, table: sa.Table, argument: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        signature, values = orjson.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise Refused("BAD_USER_INPUT", f"{argument} is not a cursor of this list: {cursor!r}",
                      argument=argument) from None
    if signature != order.signature or not isinstance(values, list) or len(values) != len(order.keys):
        raise Refused(
            "BAD_USER_INPUT",
            f"{argument} is a cursor of another ordering; request the list again with the same orderBy",
            argument=argument,
        )
    try:
        return [_metadata_cursor_value(col, value) if col.startswith(METADATA_KEY) else
                _cursor_value(table.c[col], value) for (col, _), value in zip(order.keys, values, strict=True)]
    except ValueError:  # a value the server never writes into a cursor: a forged or damaged one
        raise Refused("BAD_USER_INPUT", f"{argument} is not a cursor of this list: {cursor!r}",
                      argument=argument) from None


def _cursor_value(column: sa.Column, value: Any) -> Any:
    """A cursor's value for ``column`` as the database compares it; ValueError unless it is of the column's kind
    (text, integer within 64 bits, boolean, instant)."""
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type  # sqlmodel's AutoString
    if isinstance(kind, sa.DateTime) and isinstance(value, str):
        return parse_datetime(value)
    if isinstance(kind, sa.String) and isinstance(value, str) and not text_problem(value):
        return value
    if isinstance(kind, sa.Boolean) and isinstance(value, bool):
        return value
    if isinstance(kind, sa.Integer) and type(value) is int and INT_MIN <= value <= INT_MAX:
        return value
    raise ValueError(f"{column.name}: {value!r}")


def _metadata_cursor_value(key: str, value: Any) -> Any:
    part = key.rsplit("#", 1)[1]
    if part == "rank" and type(value) is int and 0 <= value <= 3:
        return value
    if part == "num" and (type(value) is float or (type(value) is int and INT_MIN <= value <= INT_MAX)):
        return value
    if part == "text" and isinstance(value, str) and not text_problem(value):
        return value
    raise ValueError(f"{key}: {value!r}")


def order_attrs(order: Order, emap: EntityMap) -> list[str]:
    """The attributes of ``emap``'s objects holding ``order``'s columns (what a cursor encodes); a metadata key
    reads the metadata attribute."""
    attr_of = {col: attr for attr, col in emap.columns.items()}
    return [attr_of["metadata" if c.startswith(METADATA_KEY) else c] for c, _ in order.keys]


def order_values(node: Any, order: Order, emap: EntityMap) -> list[Any]:
    """The ordering values of one listed object, as its cursor encodes them."""
    if not order.by_metadata:
        return [getattr(node, a) for a in order_attrs(order, emap)]
    out: list[Any] = []
    meta_attr = {col: attr for attr, col in emap.columns.items()}["metadata"]
    for col, _ in order.keys:
        if col.startswith(METADATA_KEY):
            path, part = col[len(METADATA_KEY):].rsplit("#", 1)
            out.append(metadata_key_values(getattr(node, meta_attr), path)[_PARTS.index(part)])
        else:
            out.append(getattr(node, {c: a for a, c in emap.columns.items()}[col]))
    return out


def cursor_of(node: Any, order: Order, emap: EntityMap) -> str:
    return encode_cursor(order, order_values(node, order, emap))


def _keyset(table: sa.FromClause, order: Order, values: list[Any], backwards: bool) -> sa.ColumnElement:
    """Rows strictly after (or before, walking backwards) the cursor position, for mixed directions."""
    ors = []
    for i, (col, desc) in enumerate(order.keys):
        greater = desc == backwards  # ascending forwards, or descending backwards: the next rows are greater
        key = key_column(table, col)
        cmp = key > values[i] if greater else key < values[i]
        ors.append(sa.and_(*[key_column(table, c) == values[j] for j, (c, _) in enumerate(order.keys[:i])], cmp))
    return sa.or_(*ors)


def _order_by(table: sa.FromClause, order: Order, backwards: bool) -> list[sa.ColumnElement]:
    return [
        (key_column(table, col).desc() if desc != backwards else key_column(table, col).asc())
        for col, desc in order.keys
    ]


@dataclass(frozen=True)
class Through:
    """A many-to-many relation: ``table.<parent>`` holds the parent's id, ``table.<target>`` the listed row's."""

    table: sa.Table
    parent: str
    target: str


def parent_link(table: sa.Table, link: str | Through) -> tuple[sa.ColumnElement, sa.FromClause]:
    """(the column holding the parent id, the FROM clause) for a relation through a column or a join table."""
    if isinstance(link, Through):
        return link.table.c[link.parent], table.join(link.table, link.table.c[link.target] == table.c.id)
    return table.c[link], table


@dataclass
class PageQuery:
    """Everything that selects one page of an entity list except the parent."""

    emap: EntityMap
    where: list[sa.ColumnElement]
    order: Order
    args: PageArgs
    limit: int
    backwards: bool
    omit: frozenset[str] = frozenset()  # attributes the selection does not read: not selected (EntityMap.omittable)

    def conditions(self, table: sa.FromClause) -> list[sa.ColumnElement]:
        conds = list(self.where)
        cursor = self.args.before if self.backwards else self.args.after
        if cursor is not None:
            values = decode_cursor(cursor, self.order, self.emap.table, "before" if self.backwards else "after")
            conds.append(_keyset(table, self.order, values, self.backwards))
        return conds

    def root(self) -> sa.Select:
        t = self.emap.table
        return (
            sa.select(*self.emap.select_columns(omit=self.omit))
            .where(*self.conditions(t))
            .order_by(*_order_by(t, self.order, self.backwards))
            .limit(self.limit + 1)
        )

    def per_parent(self, link: str | Through, parent_ids: list[str], dialect: str) -> tuple[sa.Select, dict]:
        """(statement, parameters) for rows ``(parent id, *columns)``, at most limit+1 per parent, each parent's
        rows in page order. The parent ids are the statement's one parameter, so the statement is built once
        per relation, arguments and caller scope and reused across requests (see ``statement_key``)."""
        ids = parent_ids if dialect == "postgresql" else orjson.dumps(parent_ids).decode()
        return self.per_parent_statement(link, dialect), {PARENT_IDS: ids}

    def per_parent_statement(self, link: str | Through, dialect: str) -> sa.Select:
        key = self.__dict__.get("_statement_key", _MISSING)
        if key is _MISSING:
            key = self._statement_key = self.statement_key(link, dialect)
        if key is None:
            return self._per_parent(link, dialect)
        stmt = _STATEMENTS.get(key)
        if stmt is None:
            stmt = _STATEMENTS[key] = self._per_parent(link, dialect)
            if len(_STATEMENTS) > _STATEMENTS_MAX:
                del _STATEMENTS[next(iter(_STATEMENTS))]  # the oldest
        return stmt

    def statement_key(self, link: str | Through, dialect: str) -> Hashable | None:
        """What the per-parent statement depends on besides the parent ids: the entity, the link, the ordering,
        the page size and direction, the cursor, the columns left out, and every condition with its bound values
        (the filter and the caller's scope, taken from the SQL expressions themselves: SQLAlchemy's cache key
        plus the values). None when a condition cannot be fingerprinted (then the statement is built for this
        request only)."""
        where = fingerprint(self.where)
        if where is None:
            return None
        cursor = self.args.before if self.backwards else self.args.after
        return (self.emap.type_name, id(self.emap.table), link, dialect, self.order, self.limit, self.backwards,
                cursor, self.omit, where)

    def _per_parent(self, link: str | Through, dialect: str) -> sa.Select:
        t = self.emap.table
        parent_col, from_ = parent_link(t, link)
        conds = self.conditions(t)
        ordering = _order_by(t, self.order, self.backwards)
        if dialect == "postgresql":
            pids = (
                sa.func.unnest(sa.bindparam(PARENT_IDS, type_=ARRAY(sa.String))).table_valued("pid").render_derived()
            )
            inner = (
                sa.select(*self.emap.select_columns(omit=self.omit))
                .select_from(from_)
                .where(parent_col == pids.c.pid, *conds)
                .order_by(*ordering)
                .limit(self.limit + 1)
                .lateral("page")
            )
            return sa.select(pids.c.pid, *inner.c).select_from(pids).join(inner, sa.true())
        # SQLite has no LATERAL: the parents come from json_each(one parameter) and each one's page is a
        # correlated "id IN (… ORDER BY … LIMIT n+1)" subquery, an index range scan that stops at the page size.
        # The statement text is the same for any number of parents (one cached, prepared statement).
        pids = sa.func.json_each(sa.bindparam(PARENT_IDS, type_=sa.String)).table_valued("key", "value")
        page_ids = (
            sa.select(t.c.id).select_from(from_).where(parent_col == pids.c.value, *conds)
            .order_by(*ordering).limit(self.limit + 1).correlate(pids).scalar_subquery()
        )
        outer = t.alias("page")
        return (
            sa.select(pids.c.value.label("pid"), *self.emap.select_columns(outer, omit=self.omit))
            .select_from(pids.join(outer, outer.c.id.in_(page_ids)))
            .order_by(pids.c.key, *_order_by(outer, self.order, self.backwards))
        )


PARENT_IDS = "lg_parent_ids"  # the per-parent statement's parameter: the parent ids (an array, or JSON on SQLite)
_MISSING = object()
_STATEMENTS: dict[Hashable, sa.Select] = {}  # statement_key -> per-parent statement, oldest first
_STATEMENTS_MAX = 512


def _frozen(value: Any) -> Hashable:
    """A bound value as a hashable that tells apart what the database would (1, 1.0 and True are not equal)."""
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    hash(value)  # TypeError for anything else unhashable: not fingerprinted
    return (type(value), value)


def fingerprint(clauses: Sequence[sa.ColumnElement]) -> Hashable | None:
    """The SQL expressions ``clauses`` with their bound values, as a hashable (None if not possible): equal
    fingerprints compile to the same SQL with the same parameters."""
    parts = []
    try:
        for clause in clauses:
            key = clause._generate_cache_key()
            if key is None:  # something SQLAlchemy itself does not cache
                return None
            parts.append((key.key, tuple(_frozen(bind.effective_value) for bind in key.bindparams)))
    except TypeError:
        return None
    return tuple(parts)


def in_ids(column: sa.ColumnElement, ids: list[str], dialect: str) -> sa.ColumnElement:
    """``column IN ids`` — one array parameter on PostgreSQL so the statement text does not vary with len(ids)."""
    if dialect == "postgresql":
        return any_id(column, ids, name=None)
    return column.in_(ids)
