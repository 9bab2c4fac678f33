"""The execution hook: graphql-core's executor answers a compilable query operation with one SQL statement per
root field and hands the JSON back as the operation's data (as an ``orjson.Fragment`` when the app encodes the
response: never decoded), without completing its fields one by one.

* Plans are cached per (document, operation) — the ParserCache hands back the same document object for the same
  query text, so the cache is keyed by the operation node (held, so its id stays unique while cached).
* Statements are cached per plan × connection arguments × the caller's scope × dialect (the root id is a bind
  parameter, so ``project(id: $p)`` reuses one statement for every project).
* A root field the compiler cannot express (a computed field or a directive below it, a type without a
  ``compiled`` EntityMap) or whose arguments the resolver path refuses (bad cursor, page size, filter) is executed
  by graphql-core as usual, beside the compiled ones, and reports its errors the usual way; an operation with no
  compilable root field runs on the resolver path as a whole, and so does one whose compiled SQL fails (logged).

Turn it off with ``LABELGRAPH_COMPILER=off`` (Settings.compiler) or per request with the header
``x-labelgraph-compiler: off``; a compiled response carries the header ``x-labelgraph-compiled: 1``.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from cachetools import LRUCache
from graphql import GraphQLError, OperationType, get_argument_values
from graphql.execution.collect_fields import collect_fields
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.arguments import convert_arguments

from labelgraph.context import Context
from labelgraph.errors import Refused
from labelgraph.graph.compiler.plan import ConnectionField, EntityPlan, One, Plan, Planner, RootField, Unsupported
from labelgraph.graph.compiler.sql import ROOT_ID, Bound, SQLBuilder
from labelgraph.graph.connection import canonical
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import BY_PREFIX, EntityMap
from labelgraph.graph.pagination import PageArgs, decode_cursor, encode_cursor
from labelgraph.ids import prefix_of

log = logging.getLogger("labelgraph.compiler")
COMPILER_HEADER = "x-labelgraph-compiler"
COMPILED_HEADER = "x-labelgraph-compiled"
PLAN_CACHE_SIZE = 256
STATEMENT_CACHE_SIZE = 512

_plans: LRUCache[int, tuple[Any, Plan | None]] = LRUCache(PLAN_CACHE_SIZE)
_statements: LRUCache[tuple, tuple[Plan, list[Any]]] = LRUCache(STATEMENT_CACHE_SIZE)
_bindings: LRUCache[tuple, tuple[Plan, Any]] = LRUCache(STATEMENT_CACHE_SIZE)
_PAGE_ARGS = {"first", "after", "last", "before"}


def enabled(ctx: Any) -> bool:
    if not isinstance(ctx, Context) or not getattr(ctx.settings, "compiler", True):
        return False
    request = ctx.request
    headers = getattr(request, "headers", None)
    return not (headers is not None and headers.get(COMPILER_HEADER) == "off")


def plan_of(executor: Any) -> Plan | None:
    op = executor.operation
    found = _plans.get(id(op))
    if found is not None and found[0] is op:
        return found[1]
    try:
        plan: Plan | None = Planner(executor.schema, executor.fragment_definitions).operation(op)
    except (Unsupported, KeyError):
        plan = None
    _plans[id(op)] = (op, plan)
    return plan


def _scope_implied(source: EntityMap, target: EntityMap) -> bool:
    """A row of ``target`` that ``source`` points to is readable whenever the source row is: both live in the
    same project (a project-scoped row and its project, or two project-scoped rows)."""
    if source.type_name == "Project" or source.project_column is None:
        return False
    return target.type_name == "Project" or target.project_column is not None


class _Binder:
    """Reads the request's argument values for every connection of a plan and checks them."""

    def __init__(self, executor: Any, ctx: Context) -> None:
        self.executor = executor
        self.ctx = ctx
        self.dialect = ctx.db.dialect
        strawberry_schema = executor.schema._strawberry_schema
        self.scalars = strawberry_schema.schema_converter.scalar_registry
        self.config = strawberry_schema.config
        self.bound: dict[int, Bound] = {}
        self.key: list[Any] = []

    def kwargs(self, field_def: Any, node: Any) -> dict[str, Any]:
        raw = get_argument_values(field_def, node, self.executor.variable_values)
        sfield = field_def.extensions.get("strawberry-definition")
        if sfield is None:
            raise Unsupported("no strawberry field")
        return convert_arguments(raw, sfield.arguments, scalar_registry=self.scalars, config=self.config)

    def entity(self, plan: EntityPlan) -> None:
        for f in plan.fields:
            if isinstance(f, One):
                if f.nonnull and not self.ctx.access.is_admin and not _scope_implied(plan.emap, f.entity.emap):
                    raise Unsupported("non-null relation across scopes")  # the resolver path reports the error
                self.entity(f.entity)
            elif isinstance(f, ConnectionField):
                self.connection(f)

    def connection(self, f: ConnectionField) -> None:
        kw = self.kwargs(f.field_def, f.node)
        extra = set(kw) - _PAGE_ARGS - ({"filter", "order_by"} if f.relation is not None else set())
        if extra and any(kw[k] is not None for k in extra):
            raise Unsupported(f"arguments {extra}")
        if kw.get("last") is not None or kw.get("before") is not None:
            raise Unsupported("backwards pages")
        flt, order_by = kw.get("filter"), kw.get("order_by")
        if flt is not None and (f.relation is None or f.relation.filter is None):
            raise Unsupported("filter")
        settings = self.ctx.settings
        after = kw.get("after")
        try:
            limit, _ = PageArgs(kw.get("first"), after).limit_and_direction(settings.default_page_size,
                                                                           settings.max_page_size)
            order = order_of(order_by)
            # a relation's filter may hold conditions of its own (no version's copy in Project.datasets)
            where = f.relation.filter(flt, self.dialect) if f.relation is not None and f.relation.filter else []
            after_values = decode_cursor(after, order, f.emap.table, "after") if after is not None else None
        except (Refused, ValueError, TypeError, KeyError):
            raise Unsupported("arguments the resolver path refuses") from None
        self.bound[id(f)] = Bound(limit, after_values, after is not None, where, order)
        self.key.append(canonical(kw.get("first"), after, flt, order_by))
        for part in f.parts:
            if part[0] == "nodes":
                self.entity(part[2])
            elif part[0] == "edges":
                for ep in part[2]:
                    if ep[0] == "node":
                        self.entity(ep[2])


def _scope_key(ctx: Context) -> tuple:
    a = ctx.access
    if a.is_admin:
        return (True,)
    return (False, a.user_id, tuple(sorted(a.project_roles)), tuple(sorted(a.org_roles)))


# --- cursors ------------------------------------------------------------------------------------------------
def _fix_entity(plan: EntityPlan, obj: Any, bound: dict[int, Bound]) -> None:
    if obj is None:
        return
    for f in plan.fields:
        if isinstance(f, One):
            if f.entity.has_cursors:
                _fix_entity(f.entity, obj[f.key], bound)
        elif isinstance(f, ConnectionField) and f.has_cursors:
            _fix_connection(f, obj[f.key], bound)


def _fix_connection(f: ConnectionField, value: dict, bound: dict[int, Bound]) -> None:
    order = bound[id(f)].order
    for part in f.parts:
        kind, key = part[0], part[1]
        if kind == "nodes" and part[2].has_cursors:
            for node in value[key]:
                _fix_entity(part[2], node, bound)
        elif kind == "edges":
            for edge in value[key]:
                for ep in part[2]:
                    if ep[0] == "cursor":
                        edge[ep[1]] = encode_cursor(order, edge[ep[1]])
                    elif ep[0] == "node" and ep[2].has_cursors:
                        _fix_entity(ep[2], edge[ep[1]], bound)
        elif kind == "pageInfo":
            info = value[key]
            for what, ik in part[2]:
                if what in ("startCursor", "endCursor") and info[ik] is not None:
                    info[ik] = encode_cursor(order, info[ik])


# --- running ------------------------------------------------------------------------------------------------
@dataclass
class Prepared:
    """A statement compiled once for the engine's dialect: its text and how to order its parameters."""

    sql: str
    names: list[str]
    values: dict[str, Any]
    processors: dict[str, Any]

    @classmethod
    def of(cls, stmt: sa.Select, dialect: Any) -> Prepared:
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        names = list(compiled.positiontup or [])
        return cls(compiled.string, names, compiled.construct_params(), dict(compiled._bind_processors))

    def parameters(self, root_id: str | None) -> tuple:
        out = []
        for name in self.names:
            value = root_id if name == ROOT_ID else self.values[name]
            fn = self.processors.get(name)
            out.append(fn(value) if fn is not None and value is not None else value)
        return tuple(out)


@dataclass
class Bindings:
    bound: dict[int, Bound]
    key: tuple
    root_ids: list[str | None]
    entities: list[EntityPlan | None]  # per root: the entity plan ("node": the id's type's)
    kinds: list[str]  # per root: its kind, or "resolver" when the resolver path answers it


def _bind_root(binder: _Binder, root: RootField) -> tuple[str | None, EntityPlan | None]:
    """(the root id parameter, the entity plan) of one root field, its arguments bound and checked."""
    if root.kind == "one":
        assert root.entity is not None
        id_ = binder.kwargs(root.field_def, root.node)["id"]
        emap = BY_PREFIX.get(prefix_of(id_) or "")
        binder.entity(root.entity)
        return (id_ if emap is root.entity.emap else None), root.entity
    if root.kind == "node":  # the id's prefix picks the type, as load_node does
        id_ = binder.kwargs(root.field_def, root.node)["id"]
        emap = BY_PREFIX.get(prefix_of(id_) or "")
        if emap is None:
            return None, None
        entity = root.by_type.get(emap.type_name)
        if entity is None:
            raise Unsupported(f"node of type {emap.type_name}")
        binder.key.append(emap.type_name)
        binder.entity(entity)
        return id_, entity
    if root.kind == "connection":
        assert root.connection is not None
        binder.connection(root.connection)
        return None, None
    if root.kind == "resolver":
        raise Unsupported("resolver root")
    return None, None


def bind(plan: Plan, executor: Any, ctx: Context) -> Bindings:
    """The request's argument values for the plan, checked (cached per plan × variables × admin or not ×
    dialect × page-size settings)."""
    try:
        settings = ctx.settings
        vkey = (id(plan), ctx.access.is_admin, ctx.db.is_sqlite, settings.default_page_size, settings.max_page_size,
                orjson.dumps(executor.variable_values.coerced, option=orjson.OPT_SORT_KEYS))
    except TypeError:  # a variable value orjson cannot encode
        vkey = None
    found = _bindings.get(vkey) if vkey is not None else None
    if found is not None and found[0] is plan:
        return found[1]
    binder = _Binder(executor, ctx)
    root_ids: list[str | None] = []
    entities: list[EntityPlan | None] = []
    kinds: list[str] = []
    for i, root in enumerate(plan.roots):
        mark = len(binder.key)
        try:
            id_, entity = _bind_root(binder, root)
        except (Unsupported, KeyError):  # e.g. arguments the resolver path refuses: it answers this root field
            del binder.key[mark:]
            binder.key.append(("resolver", i))
            id_, entity, kind = None, None, "resolver"
        else:
            kind = root.kind
        root_ids.append(id_)
        entities.append(entity)
        kinds.append(kind)
    if all(k in ("resolver", "typename") for k in kinds):
        raise Unsupported("nothing to compile")
    bindings = Bindings(binder.bound, tuple(binder.key), root_ids, entities, kinds)
    if vkey is not None:
        _bindings[vkey] = (plan, bindings)
    return bindings


def statements_for(plan: Plan, b: Bindings, ctx: Context) -> list[Prepared | None]:
    pg = not ctx.db.is_sqlite
    key = (id(plan), b.key, _scope_key(ctx), pg)
    found = _statements.get(key)
    if found is not None and found[0] is plan:
        return found[1]
    builder = SQLBuilder(pg, ctx.access, b.bound)
    dialect = ctx.db.read_engine.dialect
    built: list[Prepared | None] = []
    for root, entity, kind in zip(plan.roots, b.entities, b.kinds, strict=True):
        if kind in ("one", "node") and entity is not None:
            built.append(Prepared.of(builder.root_one(entity), dialect))
        elif kind == "connection":
            built.append(Prepared.of(builder.root_connection(root.connection), dialect))
        else:
            built.append(None)
    _statements[key] = (plan, built)
    return built


async def run(plan: Plan, executor: Any, ctx: Context) -> dict[str, Any] | None:
    """The operation's data: compiled root fields from their statements, the others from ``executor``'s
    ``resolve_roots`` (graphql-core; None when a non-null root field failed, which nulls the whole data)."""
    b = bind(plan, executor, ctx)
    statements = statements_for(plan, b, ctx)
    resolver_keys = [r.key for r, kind in zip(plan.roots, b.kinds, strict=True) if kind == "resolver"]
    data: dict[str, Any] = {}
    # served by the app (responses are encoded by orjson): JSON text passes through undecoded
    passthrough = ctx.request is not None
    async with contextlib.AsyncExitStack() as stack:
        conn = None
        for root, stmt, root_id, entity, kind in zip(plan.roots, statements, b.root_ids, b.entities, b.kinds,
                                                     strict=True):
            if kind == "resolver":
                data[root.key] = None  # filled in below, in this position
                continue
            if kind == "typename":
                data[root.key] = executor.schema.query_type.name
                continue
            if kind in ("one", "node") and root_id is None:  # an id of another type: null, as load_typed answers
                data[root.key] = None
                continue
            assert stmt is not None
            if conn is None:
                conn = await stack.enter_async_context(ctx.db.read())
            row = (await conn.exec_driver_sql(stmt.sql, stmt.parameters(root_id))).first()
            value = row[0] if row is not None else None
            cursors = entity.has_cursors if entity is not None else root.connection.has_cursors
            if isinstance(value, str | bytes):
                if passthrough and not cursors:  # the JSON text goes into the response as it is
                    data[root.key] = orjson.Fragment(value)
                    continue
                value = orjson.loads(value)
            if entity is not None:
                if entity.has_cursors:
                    _fix_entity(entity, value, b.bound)
            elif root.connection.has_cursors:
                _fix_connection(root.connection, value, b.bound)
            data[root.key] = value
    if resolver_keys:  # after the statements: a failure above falls back cleanly to the whole resolver path
        try:
            resolved = executor.resolve_roots(resolver_keys)
            if executor.is_awaitable(resolved):
                resolved = await resolved
        except GraphQLError as error:  # a non-null root field failed: no data, as execute_operation answers
            executor.collected_errors.add(error, None)
            return None
        for key in resolver_keys:
            data[key] = resolved[key]
    return data


class CompilingExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor with a short cut: compilable query operations run as compiled SQL."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        ctx = self.context_value
        if self.operation.operation is OperationType.QUERY and enabled(ctx):
            plan = plan_of(self)
            if plan is not None:
                return self._execute_compiled(plan, ctx, serially)
        return super().execute_operation(serially)

    def resolve_roots(self, keys: list[str]) -> Any:
        """Execute only these root fields the usual way (their errors are collected as usual)."""
        root_type = self.schema.query_type
        collected = collect_fields(self.schema, self.fragments, self.variable_values, root_type, self.operation,
                                   self.hide_suggestions)
        grouped = {k: v for k, v in collected.grouped_field_set.items() if k in keys}
        return self.execute_root_grouped_field_set(root_type, self.root_value, grouped, False, None)

    async def _execute_compiled(self, plan: Plan, ctx: Context, serially: bool | None) -> Any:
        try:
            data = await run(plan, self, ctx)
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong here, the resolver path answers
            if not isinstance(exc, Unsupported):
                log.warning("request %s: compiled query failed, answering with resolvers", ctx.request_id,
                            exc_info=exc)
            result = super().execute_operation(serially)
            if self.is_awaitable(result):
                result = await result
            return result
        headers = getattr(getattr(ctx, "response", None), "headers", None)
        with contextlib.suppress(TypeError):  # an HTTP request's sub-response; a WebSocket's are read-only
            if headers is not None:
                headers[COMPILED_HEADER] = "1"
        return self.build_response(data)


__all__ = ["CompilingExecutionContext", "enabled", "run"]
