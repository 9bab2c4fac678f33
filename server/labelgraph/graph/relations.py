"""Relations between GraphQL types, declared once by the slice that owns the child, and the resolver helpers
they use.

A slice declares, next to its types, ``to_many(Project, "tasks", Task, "project_id", filter=TaskFilter,
where=apply_task_filter)`` or ``to_one(Task, "dataset", Dataset, "dataset_id")`` (or ``field(Item,
"task_statuses", resolver)`` for a computed field). One declaration gives the connection field with its
arguments (``first/after/last/before``, ``filter``, ``orderBy``), its resolver (``children``/``load_one``) and
the compiler's mapping (the parent's ``EntityMap.relations``). The fields are added to the parent's strawberry
type by ``attach`` when the schema is assembled (schema.py), after every slice is imported: a lower slice's type
never names a higher slice's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from graphql import FieldNode, FragmentSpreadNode, GraphQLObjectType, InlineFragmentNode, SelectionSetNode
from strawberry.types.field import StrawberryField

from labelgraph.context import Info
from labelgraph.graph.connection import (
    Connection,
    by_id_loader,
    cached_child_connection,
    canonical,
    child_connection,
)
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import ENTITIES, EntityMap, ToMany, ToOne
from labelgraph.graph.pagination import Order, PageArgs, Through
from labelgraph.graph.scalars import JSON


async def load_one(info: Info, type_name: str, id_: str | None) -> Any | None:
    """A to-one relation: the object of ``type_name`` with ``id_`` (batched), None if absent or out of reach."""
    if id_ is None:
        return None
    return await by_id_loader(info.context, ENTITIES[type_name]).load(id_)


def children(info: Info, type_name: str, fk: str | Through, parent_id: str, where: list, order: Order,
             first: int | None, after: str | None, last: int | None, before: str | None, *key_parts: Any
             ) -> Connection:
    """A to-many relation as a connection, batched over every parent with the same arguments.
    ``key_parts`` are the GraphQL arguments that shaped ``where``/``order`` (filter, orderBy).

    The page reads the columns of the listed type but the JSON ones no selected field reads (``unread``): the
    second and later parents of a level cost a dictionary lookup."""
    ctx = info.context
    key = canonical(first, after, last, before, *key_parts)
    emap = ENTITIES[type_name]
    omit = unread(info, emap)
    if order.by_metadata:  # the cursors are computed from the metadata
        omit = omit - {"metadata"}
    found = cached_child_connection(ctx, type_name, fk, parent_id, key, omit)
    if found is not None:
        return found
    return child_connection(ctx, emap, fk, parent_id, PageArgs(first, after, last, before), where, order, key, omit)


# ------------------------------------------------------------------------------------------------------------------
# The declarations
# ------------------------------------------------------------------------------------------------------------------

@dataclass
class Declared:
    """One field a slice adds to a type (its own or a lower slice's)."""

    parent: type
    name: str  # python name (snake_case); GraphQL camelCases it
    field: StrawberryField
    mapping: ToOne | ToMany | None = None  # what the compiler and loaders read, in the parent's EntityMap


DECLARED: list[Declared] = []


@dataclass(frozen=True)
class Dql:
    """A relation's ``dql: JSON`` argument: ``parse(filter, dql, order_by)`` gives the one filter structure and
    the order (graph/filterspec.py, graph/dql.py), ``conditions(node, dialect)`` its SQL."""

    parse: Callable[[Any, Any, Any], tuple[Any, Any]]
    conditions: Callable[[Any, str], list]
    description: str


def _declare(parent: type, name: str, fn: Callable, description: str | None,
             mapping: ToOne | ToMany | None) -> None:
    if any(d.parent is parent and d.name == name for d in DECLARED):
        raise ValueError(f"{parent.__name__}.{name} is declared twice")
    fn.__name__ = fn.__qualname__ = name
    DECLARED.append(Declared(parent, name, strawberry.field(resolver=fn, description=description), mapping))
    emap = getattr(parent, "__entity_map__", None)
    if mapping is not None and emap is not None:
        emap.relations[name] = mapping


def _typed(fn: Callable, params: list[tuple[str, Any, Any]], returns: Any) -> Callable:
    """Give ``fn(self, info, **kwargs)`` the signature strawberry reads its arguments from."""
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                  inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)]
    parameters += [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d, annotation=t)
                   for n, t, d in params]
    fn.__signature__ = inspect.Signature(parameters, return_annotation=returns)
    fn.__annotations__ = {"info": Info, **{n: t for n, t, _ in params}, "return": returns}
    return fn


def _where_of(where: Callable | None) -> Callable[[Any, str], list]:
    """A filter compiler as ``where(input, dialect)`` (some take the dialect, some do not)."""
    if where is None:
        return lambda _f, _d: []
    if len(inspect.signature(where).parameters) >= 2:
        return where
    return lambda f, _d: where(f)


def to_many(parent: type, name: str, child: type, fk: str | Through, *, filter: type | None = None,
            order: type | None = None, where: Callable | None = None, description: str | None = None,
            compiled: bool = False, dql: Dql | None = None) -> None:
    """``parent.name(first, after, last, before[, filter][, orderBy]): ChildConnection``: the ``child`` rows whose
    ``fk`` column (or ``Through`` join table) holds the parent's id. ``where(filter[, dialect])`` turns the
    filter input into conditions; ``order``'s values are columns (``order_of``). ``compiled``: the query
    compiler may answer it in SQL (a DQL argument is never compiled). ``dql``: the field also takes a DQL
    document (graph/dql.py), ANDed with ``filter``; its sort applies when ``orderBy`` is not given."""
    child_name = child.__name__
    conditions = _where_of(where)

    def resolve(self: Any, info: Any, first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None, filter: Any = None, order_by: Any = None, dql: Any = None
                ) -> Connection:
        extra = (filter,) if has_filter else ()
        if has_order:
            extra += (order_by,)
        dialect = info.context.db.dialect
        if dql is not None and query is not None:
            node, order = query.parse(filter, dql, order_by)
            return children(info, child_name, fk, self.id, query.conditions(node, dialect), order, first, after,
                            last, before, *extra, dql)
        where_ = conditions(filter, dialect) if has_filter else []
        order = order_of(order_by, ENTITIES[child_name].default_order)
        return children(info, child_name, fk, self.id, where_, order, first, after, last, before, *extra)

    has_filter, has_order = filter is not None, order is not None
    params: list[tuple[str, Any, Any]] = [("first", int | None, None), ("after", str | None, None),
                                          ("last", int | None, None), ("before", str | None, None)]
    if has_filter:
        params.append(("filter", filter | None, None))
    if has_order:
        params.append(("order_by", list[order] | None, None))
    query = dql
    if query is not None:
        params.append(("dql", Annotated[JSON | None, strawberry.argument(description=query.description)], None))
    fn = _typed(resolve, params, Connection[child])
    mapping = ToMany(child_name, fk, conditions if has_filter else None, compiled) if isinstance(fk, str) else None
    _declare(parent, name, fn, description, mapping)


def to_one(parent: type, name: str, child: type, fk: str, *, optional: bool = False,
           description: str | None = None, same_project: bool = False) -> None:
    """``parent.name: Child`` (``Child | None`` when ``optional``) through the parent's ``fk`` attribute.

    ``same_project``: the child is in the parent's project and the foreign key keeps it there (whoever reads the
    parent reads the child): a selection of the child's ``id`` (and ``__typename``) only is answered from the
    key, without loading the child (1,000 annotations created, each with ``item { id }``: no read of 1,000
    items, no loader future per annotation)."""
    child_name = child.__name__

    if same_project:
        def resolve(self: Any, info: Any) -> Any:  # an object, None, or an awaitable of the loaded child
            id_ = getattr(self, fk)
            if id_ is None:
                return None
            if _selects_id_only(info._raw_info.field_nodes):
                obj = object.__new__(child)
                obj.__dict__["id"] = id_
                return obj
            return load_one(info, child_name, id_)

        # for the executor's rows short cut (graph/extensions.py): it answers the same from the key
        resolve.answered_from_key = (fk, _selects_id_only, child)  # type: ignore[attr-defined]
    else:
        async def resolve(self: Any, info: Any) -> Any:
            return await load_one(info, child_name, getattr(self, fk))

    _declare(parent, name, _typed(resolve, [], child | None if optional else child), description,
             ToOne(child_name, fk))


_ID_ONLY = frozenset({"id", "__typename"})


_id_only_seen: dict[int, tuple[Any, bool]] = {}  # id(first node) -> (the node, answer): the same nodes per list


def _selects_id_only(field_nodes: Any) -> bool:
    """Whether these nodes of one field select ``id``/``__typename`` of the object only, plainly."""
    key = id(field_nodes[0])
    seen = _id_only_seen.get(key)
    if seen is not None and seen[0] is field_nodes[0] and len(field_nodes) == 1:
        return seen[1]
    answer = _id_only(field_nodes)
    if len(field_nodes) == 1:
        if len(_id_only_seen) > 4096:
            _id_only_seen.clear()
        _id_only_seen[key] = (field_nodes[0], answer)  # holds the node: its id stays its own
    return answer


def _id_only(field_nodes: Any) -> bool:
    for node in field_nodes:
        if node.selection_set is None:
            return False
        for inner in node.selection_set.selections:
            if (not isinstance(inner, FieldNode) or inner.name.value not in _ID_ONLY or inner.directives
                    or inner.arguments):
                return False
    return True


def field(parent: type, name: str, resolver: Callable, *, description: str | None = None) -> None:
    """A computed field a higher slice adds to ``parent`` (``resolver(self, info, …)``, annotated as usual)."""
    _declare(parent, name, resolver, description, None)


def attach() -> None:
    """Add every declared field to its parent's strawberry type (once; schema.py calls it before building)."""
    for d in DECLARED:
        definition = d.parent.__strawberry_definition__
        if any(f.python_name == d.name for f in definition.fields):
            continue
        d.field.python_name = d.name
        d.field.origin = d.parent
        definition.fields.append(d.field)


def columns(*names: str, **renamed: str) -> dict[str, str]:
    """An EntityMap's attribute → column mapping: same names, plus renamed ones."""
    return {**{n: n for n in names}, **renamed}


# ------------------------------------------------------------------------------------------------------------------
# Which JSON attributes a connection's selection leaves unread. A JSON column costs the database its output and
# the driver a decode per row (an annotation's metadata: 1,250 of them for the reference screen, never shown):
# a page leaves out a type's JSON attributes that no field of its nodes selects, provided every field selected
# on them is a plain field (a resolver may read anything). Conservative: @skip/@include count as selected, and
# anything unexpected in the selection means "read everything".
# ------------------------------------------------------------------------------------------------------------------

_PLAIN_FIELDS: dict[GraphQLObjectType, dict[str, str]] = {}  # GraphQL type -> {plain field name: python attribute}
_MAX_DEPTH = 32


def unread(info: Info, emap: EntityMap) -> frozenset[str]:
    """The attributes of ``emap``'s objects the connection field being resolved never reads (per request and
    field node, computed once)."""
    raw = info._raw_info
    node = raw.field_nodes[0]
    cache = info.context._loaders
    cache_key = ("unread", id(node), emap.type_name)
    hit = cache.get(cache_key)
    if hit is not None and hit[0] is node:
        return hit[1]
    omit = _unread(raw, emap)
    cache[cache_key] = (node, omit)  # holds the node: its id stays its own during the request
    return omit


def _unread(raw: Any, emap: EntityMap) -> frozenset[str]:
    gql_type = raw.schema.get_type(emap.type_name)
    if not isinstance(gql_type, GraphQLObjectType):
        return frozenset()
    names: set[str] = set()
    for node in raw.field_nodes:
        if not _connection_fields(node.selection_set, raw.fragments, names, 0):
            return frozenset()
    plain = _plain_fields(gql_type)
    attrs = set()
    for name in names:
        if name == "__typename":
            continue
        attr = plain.get(name)
        if attr is None:  # a field with a resolver, or one we do not know
            return frozenset()
        attrs.add(attr)
    return emap.omittable(frozenset(attrs))


def _plain_fields(gql_type: GraphQLObjectType) -> dict[str, str]:
    found = _PLAIN_FIELDS.get(gql_type)
    if found is None:
        found = {}
        for name, field_def in gql_type.fields.items():
            definition = (field_def.extensions or {}).get("strawberry-definition")
            if (
                definition is not None
                and definition.base_resolver is None
                and not definition.extensions
                and getattr(field_def.resolve, "_is_default", False)
            ):
                found[name] = definition.python_name
        _PLAIN_FIELDS[gql_type] = found
    return found


def _walk(selection_set: SelectionSetNode | None, fragments: dict, depth: int,
          on_field: Callable[[FieldNode, int], bool]) -> bool:
    """Visit the fields of a selection set through its fragments; False when ``on_field`` refuses one, the
    nesting is too deep or a selection is not understood."""
    if selection_set is None:
        return True
    if depth > _MAX_DEPTH:
        return False
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            ok = on_field(selection, depth)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            ok = fragment is not None and _walk(fragment.selection_set, fragments, depth + 1, on_field)
        elif isinstance(selection, InlineFragmentNode):
            ok = _walk(selection.selection_set, fragments, depth + 1, on_field)
        else:
            ok = False
        if not ok:
            return False
    return True


def _connection_fields(selection_set: SelectionSetNode | None, fragments: dict, out: set[str], depth: int) -> bool:
    """Collect into ``out`` the field names selected on the nodes of a connection (``nodes { … }`` and
    ``edges { node { … } }``); False when the selection is not understood."""

    def on_object(field: FieldNode, d: int) -> bool:
        out.add(field.name.value)
        return True

    def on_edge(field: FieldNode, d: int) -> bool:
        return field.name.value != "node" or _walk(field.selection_set, fragments, d + 1, on_object)

    def on_connection(field: FieldNode, d: int) -> bool:
        name = field.name.value
        if name == "nodes":
            return _walk(field.selection_set, fragments, d + 1, on_object)
        if name == "edges":
            return _walk(field.selection_set, fragments, d + 1, on_edge)
        return True  # pageInfo, totalCount, __typename: nothing of the nodes' columns beyond the ordering

    return _walk(selection_set, fragments, depth, on_connection)
