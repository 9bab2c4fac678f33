"""Relay connections over the loaders: ``edges``, ``nodes``, ``pageInfo`` and ``totalCount``.

A connection object is lazy: it fetches its page only when edges/nodes/pageInfo are selected and counts only
when totalCount is, each through a per-request loader keyed by (relation, arguments), so the connections of
all parents at one level of a query share one SQL statement.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import functools
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
import sqlalchemy as sa
import strawberry
from aiodataloader import DataLoader

from labelgraph.context import Context
from labelgraph.graph.mapping import EntityMap
from labelgraph.graph.pagination import (
    Order,
    PageArgs,
    PageQuery,
    Through,
    cursor_of,
    encode_cursor,
    in_ids,
    order_attrs,
    order_values,
    parent_link,
)

T = TypeVar("T")


class Loader(DataLoader):
    """A DataLoader whose loads survive the cancellation of one awaiter.

    graphql-core cancels sibling resolvers when a non-null field fails; a cancelled awaiter would cancel the future
    that other resolvers of the same key share, and they would get CancelledError (which escapes error handling).
    Each load hands out its own shield around the shared future instead.
    """

    def load(self, key):  # noqa: ANN001, ANN201
        return asyncio.shield(super().load(key))


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@dataclasses.dataclass
class Page:
    nodes: list[Any]
    has_more: bool
    query: PageQuery

    def cursor(self, node: Any) -> str:
        return cursor_of(node, self.query.order, self.query.emap)

    def edges(self) -> list[Edge]:
        if not self.nodes:
            return []
        order, emap = self.query.order, self.query.emap
        if order.by_metadata:
            return [Edge(cursor=encode_cursor(order, order_values(n, order, emap)), node=n) for n in self.nodes]
        attrs = order_attrs(order, emap)
        return [Edge(cursor=encode_cursor(order, [getattr(n, a) for a in attrs]), node=n) for n in self.nodes]

    def page_info(self) -> PageInfo:
        args, backwards = self.query.args, self.query.backwards
        first_node = self.nodes[0] if self.nodes else None
        last_node = self.nodes[-1] if self.nodes else None
        return PageInfo(
            has_next_page=bool(args.before) if backwards else self.has_more,
            has_previous_page=self.has_more if backwards else bool(args.after),
            start_cursor=self.cursor(first_node) if first_node is not None else None,
            end_cursor=self.cursor(last_node) if last_node is not None else None,
        )


def _page(rows: list[Any], query: PageQuery, offset: int = 0) -> Page:
    has_more = len(rows) > query.limit
    nodes = query.emap.build_all(rows[: query.limit] if has_more else rows, offset, query.omit)
    if query.backwards:
        nodes.reverse()
    return Page(nodes, has_more, query)


@strawberry.type
class Connection(Generic[T]):
    """One list page. Each field is an attribute whose value is awaited (see the properties below the class):
    the page is fetched only when edges/nodes/pageInfo are selected, the count only when totalCount is, through
    ``_source`` (the list's loaders, shared by every parent of one relation and arguments) for ``_key`` (the
    parent id). Attributes, not resolver methods: graphql-core reads them without strawberry's per-resolver
    work (Info, argument conversion)."""

    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many match the filter, over all pages")
    _source: strawberry.Private[Any]
    _key: strawberry.Private[Any]


Connection.edges = property(lambda self: self._source.edges(self._key))  # type: ignore[assignment]
Connection.nodes = property(lambda self: self._source.nodes(self._key))  # type: ignore[assignment]
Connection.page_info = property(lambda self: self._source.page_info(self._key))  # type: ignore[assignment]
Connection.total_count = property(lambda self: self._source.total_count(self._key))  # type: ignore[assignment]
# the dataclass's own __repr__/__eq__ would read (start loading) every field
Connection.__repr__ = lambda self: f"<Connection {type(self._source).__name__} {self._key!r}>"  # type: ignore[method-assign]
Connection.__eq__ = object.__eq__  # type: ignore[method-assign]
Connection.__hash__ = object.__hash__  # type: ignore[method-assign]


def _connection(source: Any, key: Any) -> Connection:
    conn = object.__new__(Connection)
    conn._source = source
    conn._key = key
    return conn


class _PageSource:
    """edges/nodes/pageInfo from an awaitable Page (``page(key)``); subclasses add ``page`` and ``total_count``."""

    def page(self, key: Any) -> Awaitable[Page]:
        raise NotImplementedError

    async def edges(self, key: Any) -> list[Edge]:
        return (await self.page(key)).edges()

    async def nodes(self, key: Any) -> list[Any]:
        return (await self.page(key)).nodes

    async def page_info(self, key: Any) -> PageInfo:
        return (await self.page(key)).page_info()


_NULL_KEYS: dict[int, str] = {}


def canonical(*values: Any) -> str:
    """A stable string for GraphQL argument values (strawberry inputs, enums, lists) — a loader key."""
    for v in values:
        if v is not None:
            break
    else:  # no argument given (the common case): a constant per arity, the same text orjson writes
        found = _NULL_KEYS.get(len(values))
        if found is None:
            found = _NULL_KEYS[len(values)] = "[" + ",".join(["null"] * len(values)) + "]"
        return found

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {
                f.name: plain(getattr(v, f.name))
                for f in dataclasses.fields(v)
                if getattr(v, f.name) is not None and getattr(v, f.name) is not strawberry.UNSET
            }
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, enum.Enum):
            return v.value
        if isinstance(v, datetime):
            return v.isoformat()
        return v

    return orjson.dumps([plain(v) for v in values], option=orjson.OPT_SORT_KEYS).decode()


def scope_of(ctx: Context, emap: EntityMap) -> list[sa.ColumnElement]:
    """What of ``emap``'s table the caller may read, as SQL predicates (none for platform admins)."""
    return ctx.access.scope(emap.type_name, emap.table, emap.project_column)


def page_query(
    ctx: Context, emap: EntityMap, args: PageArgs, where: list[sa.ColumnElement], order: Order
) -> PageQuery:
    limit, backwards = args.limit_and_direction(ctx.settings.default_page_size, ctx.settings.max_page_size)
    return PageQuery(emap, [*where, *scope_of(ctx, emap)], order, args, limit, backwards)


class _Root(_PageSource):
    """A top-level list (no parent): one statement for the page, one for the count, each only if selected."""

    def __init__(self, ctx: Context, query: PageQuery) -> None:
        self.ctx, self.query = ctx, query
        self._page: asyncio.Future[Page] | None = None
        self._count: asyncio.Future[int] | None = None

    def page(self, key: Any) -> Awaitable[Page]:
        if self._page is None:  # a task, not a coroutine: several fields await the same page
            self._page = asyncio.ensure_future(_fetch_root(self.ctx, self.query))
        return self._page

    def total_count(self, key: Any) -> Awaitable[int]:
        if self._count is None:
            self._count = asyncio.ensure_future(_count_root(self.ctx, self.query.emap, self.query.where))
        return self._count


def root_connection(
    ctx: Context, emap: EntityMap, args: PageArgs, where: list[sa.ColumnElement], order: Order
) -> Connection:
    """A top-level list (no parent): one statement for the page, one for the count, each only if selected."""
    return _connection(_Root(ctx, page_query(ctx, emap, args, where, order)), None)


async def _fetch_root(ctx: Context, query: PageQuery) -> Page:
    async with ctx.db.read() as conn:
        rows = (await conn.execute(query.root())).all()
    return _page(rows, query)


async def _count_root(ctx: Context, emap: EntityMap, where: list[sa.ColumnElement]) -> int:
    async with ctx.db.read() as conn:
        return (await conn.execute(sa.select(sa.func.count()).select_from(emap.table).where(*where))).scalar_one()


def _nodes_of(page: Page) -> list[Any]:
    return page.nodes


def _edges_of(page: Page) -> list[Edge]:
    return page.edges()


def _page_info_of(page: Page) -> PageInfo:
    return page.page_info()


def _settle(out: asyncio.Future, fn: Callable[[Any], Any] | None, inner: asyncio.Future) -> None:
    if out.done():  # its awaiter was cancelled
        return
    if inner.cancelled():
        out.cancel()
        return
    exc = inner.exception()
    if exc is not None:
        out.set_exception(exc)
        return
    try:
        out.set_result(inner.result() if fn is None else fn(inner.result()))
    except Exception as error:  # noqa: BLE001 - the awaiter gets it, as from a resolver
        out.set_exception(error)


def _derived(inner: asyncio.Future, fn: Callable[[Any], Any] | None = None) -> asyncio.Future:
    """A future of ``fn(inner's result)`` for one awaiter: cancelling it (graphql-core cancels siblings of a
    failed non-null field) leaves ``inner``, which other parents' fields share, alone — what ``asyncio.shield``
    does, with the transformation in the same callback instead of one more coroutine."""
    out = inner.get_loop().create_future()
    inner.add_done_callback(functools.partial(_settle, out, fn))
    return out


class _Children(_PageSource):
    """One relation with one set of arguments in one request: the page query and the loaders every parent's
    connection shares (one statement per level for the pages, one for the counts, each only if selected)."""

    def __init__(self, ctx: Context, query: PageQuery, fk: str | Through) -> None:
        self.ctx, self.query, self.fk = ctx, query, fk
        self._pages: DataLoader | None = None
        self._counts: DataLoader | None = None

    def _page(self, parent_id: Any) -> asyncio.Future:
        loader = self._pages
        if loader is None:
            loader = self._pages = DataLoader(_page_batch(self.ctx, self.query, self.fk))
        return loader.load(parent_id)

    def page(self, parent_id: Any) -> Awaitable[Page]:
        return _derived(self._page(parent_id))

    def nodes(self, parent_id: Any) -> Awaitable[list[Any]]:  # type: ignore[override]
        return _derived(self._page(parent_id), _nodes_of)

    def edges(self, parent_id: Any) -> Awaitable[list[Edge]]:  # type: ignore[override]
        return _derived(self._page(parent_id), _edges_of)

    def page_info(self, parent_id: Any) -> Awaitable[PageInfo]:  # type: ignore[override]
        return _derived(self._page(parent_id), _page_info_of)

    def total_count(self, parent_id: Any) -> Awaitable[int]:
        loader = self._counts
        if loader is None:
            q = self.query
            loader = self._counts = DataLoader(_count_batch(self.ctx, q.emap, self.fk, q.where))
        return _derived(loader.load(parent_id))


def child_connection(
    ctx: Context,
    emap: EntityMap,
    fk: str | Through,
    parent_id: str,
    args: PageArgs,
    where: list[sa.ColumnElement],
    order: Order,
    key: str,
    omit: frozenset[str] = frozenset(),
) -> Connection:
    """The connection of one parent, batched with every other parent's for the same relation and arguments.

    ``fk`` is the target's column holding the parent id, or a Through join table for many-to-many relations.
    ``key`` must identify ``where``/``order``/``args`` (use ``canonical`` on the GraphQL arguments): the first
    parent's query (with the caller's scope) serves every later parent with the same key in this request.
    ``omit``: attributes of the listed objects the query does not read (``EntityMap.omittable``).
    """
    source = ctx._loaders.get(("children", emap.type_name, fk, key, omit))
    if source is None:
        source = children_source(ctx, emap, fk, args, where, order, key, omit)
    return _connection(source, parent_id)


def cached_child_connection(ctx: Context, type_name: str, fk: str | Through, parent_id: str, key: str,
                            omit: frozenset[str]) -> Connection | None:
    """The connection of one more parent of a relation whose arguments this request has seen, else None."""
    source = ctx._loaders.get(("children", type_name, fk, key, omit))
    return None if source is None else _connection(source, parent_id)


def children_source(ctx: Context, emap: EntityMap, fk: str | Through, args: PageArgs, where: list[sa.ColumnElement],
                    order: Order, key: str, omit: frozenset[str]) -> _Children:
    query = page_query(ctx, emap, args, where, order)
    query.omit = omit
    source = ctx._loaders[("children", emap.type_name, fk, key, omit)] = _Children(ctx, query, fk)
    return source


def _page_batch(ctx: Context, query: PageQuery, fk: str | Through):
    async def batch(parent_ids: list[str]) -> list[Page]:
        async with ctx.db.read() as conn:
            stmt, params = query.per_parent(fk, list(parent_ids), conn.dialect.name)
            rows = (await conn.execute(stmt, params)).all()
        grouped: dict[str, list[Any]] = {pid: [] for pid in parent_ids}
        for row in rows:
            grouped[row[0]].append(row)
        return [_page(grouped[pid], query, offset=1) for pid in parent_ids]

    return batch


def _count_batch(ctx: Context, emap: EntityMap, fk: str | Through, where: list[sa.ColumnElement]):
    async def batch(parent_ids: list[str]) -> list[int]:
        col, from_ = parent_link(emap.table, fk)
        async with ctx.db.read() as conn:
            stmt = (
                sa.select(col, sa.func.count())
                .select_from(from_)
                .where(in_ids(col, list(parent_ids), conn.dialect.name), *where)
                .group_by(col)
            )
            counts = dict((await conn.execute(stmt)).all())
        return [counts.get(pid, 0) for pid in parent_ids]

    return batch


async def load_by_ids(ctx: Context, emap: EntityMap, ids: list[str]) -> list[Any]:
    """``emap`` objects by id in one statement, in the order of ``ids``: None where missing or out of the caller's
    reach (what ``by_id_loader`` batches; called directly for a known list, e.g. what a bulk create wrote)."""
    t = emap.table
    async with ctx.db.read() as conn:
        where = [in_ids(t.c.id, list(ids), conn.dialect.name), *scope_of(ctx, emap)]
        rows = (await conn.execute(sa.select(*emap.select_columns()).where(*where))).all()
    id_pos = list(emap.columns.values()).index("id")
    found = {row[id_pos]: obj for row, obj in zip(rows, emap.build_all(rows), strict=True)}
    return [found.get(i) for i in ids]


def by_id_loader(ctx: Context, emap: EntityMap):
    """The request's loader of ``emap`` objects by id: None where missing or out of the caller's reach."""

    async def batch(ids: list[str]) -> list[Any]:
        return await load_by_ids(ctx, emap, ids)

    return ctx.loader(("id", emap.type_name), lambda: Loader(batch))


def list_loader(ctx: Context, emap: EntityMap, link: str | Through, order: tuple[str, ...] = ("id",)) -> DataLoader:
    """The request's loader of *all* ``emap`` rows of each parent (for small, bounded lists: a recipe's
    ontologies, an ontology's labels). ``order`` names columns of the target or, for a Through link, of the
    join table."""

    def column(name: str) -> sa.ColumnElement:
        if name in emap.table.c:
            return emap.table.c[name]
        return link.table.c[name]  # type: ignore[union-attr]

    async def batch(parent_ids: list[str]) -> list[list[Any]]:
        parent_col, from_ = parent_link(emap.table, link)
        async with ctx.db.read() as conn:
            stmt = (
                sa.select(parent_col, *emap.select_columns())
                .select_from(from_)
                .where(in_ids(parent_col, list(parent_ids), conn.dialect.name), *scope_of(ctx, emap))
                .order_by(parent_col, *[column(c) for c in order])
            )
            rows = (await conn.execute(stmt)).all()
        grouped: dict[str, list[Any]] = {pid: [] for pid in parent_ids}
        for row, obj in zip(rows, emap.build_all(rows, 1), strict=True):
            grouped[row[0]].append(obj)
        return [grouped[pid] for pid in parent_ids]

    return ctx.loader(("list", emap.type_name, link, order), lambda: Loader(batch))
