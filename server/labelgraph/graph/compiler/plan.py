"""Plans: a query operation's selections resolved against the schema and the EntityMaps, once per document.

A plan is the operation's tree with fragments inlined, fields grouped by response key (in selection order),
every field classified (column, to-one relation, connection, ``__typename``) and its GraphQL field definition
and AST node kept for the per-request argument values. Anything the EntityMaps do not describe raises
``Unsupported``: the operation then runs on the resolver path.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)

from labelgraph.graph.mapping import ENTITIES, EntityMap, ToMany, ToOne

# Root fields of Query the compiler answers: name -> (kind, GraphQL type). They are DataQuery's fields, whose
# resolvers are load_typed(type, id) and root_connection(type, order_of(None)) with no filter.
ROOT_FIELDS: dict[str, tuple[str, str]] = {
    "organization": ("one", "Organization"),
    "project": ("one", "Project"),
    "dataset": ("one", "Dataset"),
    "item": ("one", "Item"),
    "annotation": ("one", "Annotation"),
    "organizations": ("connection", "Organization"),
    "node": ("node", "Node"),  # load_node: the type of the id's prefix, no type check
}
# leaf formats by scalar name
# (Long: a BIGINT column, a JSON integer from json_build_object/json_object as from the scalar's serialize)
SCALARS = {"String": "plain", "ID": "plain", "Int": "plain", "Long": "plain", "Float": "plain", "Boolean": "bool",
           "DateTime": "datetime", "JSON": "json"}
MAX_FIELDS = 50  # json_build_object takes at most 100 arguments
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]*$")


class Unsupported(Exception):  # noqa: N818 - a signal, not an error
    """The compiler cannot express this; run the operation on the resolver path."""


@dataclass
class Leaf:
    key: str
    kind: str  # "column" | "typename"
    column: str = ""
    fmt: str = "plain"  # plain | bool | datetime | json | enum
    enum_names: dict[str, str] | None = None  # wire value -> GraphQL name
    typename: str = ""


@dataclass
class One:
    key: str
    relation: ToOne
    entity: EntityPlan
    nonnull: bool


@dataclass
class ConnectionField:
    """A connection: the root list or a ``compiled`` ToMany relation. ``parts`` in selection order."""

    key: str
    emap: EntityMap
    type_name: str  # XConnection
    field_def: GraphQLField
    node: FieldNode
    relation: ToMany | None  # None: a root list
    parts: list[tuple] = field(default_factory=list)
    # ("nodes", key, EntityPlan) | ("edges", key, [("cursor", key) | ("node", key, EntityPlan)
    # | ("typename", key, name)]) | ("pageInfo", key, [(what, key)]) | ("totalCount", key) | ("typename", key, name)
    has_cursors: bool = False


@dataclass
class EntityPlan:
    emap: EntityMap
    fields: list[Leaf | One | ConnectionField]
    has_cursors: bool = False  # somewhere below: edges.cursor / startCursor / endCursor (fixed up in Python)


@dataclass
class RootField:
    key: str
    kind: str  # "one" | "node" | "connection" | "typename" | "resolver" (answered by graphql-core's executor)
    field_def: GraphQLField | None = None
    node: FieldNode | None = None
    entity: EntityPlan | None = None
    connection: ConnectionField | None = None
    by_type: dict[str, EntityPlan | None] = field(default_factory=dict)  # "node": a plan per concrete type


@dataclass
class Plan:
    roots: list[RootField]


def _named(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


class Planner:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments

    # --- field collection ---------------------------------------------------------------------------------
    def collect(self, selection_sets: list[SelectionSetNode], type_: GraphQLObjectType) -> dict[str, list[FieldNode]]:
        names = {type_.name, *(i.name for i in type_.interfaces)}
        out: dict[str, list[FieldNode]] = {}
        for ss in selection_sets:
            self._collect(ss, names, out, set())
        return out

    def _collect(self, ss: SelectionSetNode, names: set[str], out: dict, seen: set[str]) -> None:
        for sel in ss.selections:
            if sel.directives:
                raise Unsupported("directives")
            if isinstance(sel, FieldNode):
                out.setdefault(sel.alias.value if sel.alias else sel.name.value, []).append(sel)
            elif isinstance(sel, InlineFragmentNode):
                if sel.type_condition is None or sel.type_condition.name.value in names:
                    self._collect(sel.selection_set, names, out, seen)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                if name in seen:
                    continue
                seen.add(name)
                frag = self.fragments.get(name)
                if frag is None or frag.directives or getattr(frag, "variable_definitions", None):
                    raise Unsupported("fragment")
                if frag.type_condition.name.value in names:
                    self._collect(frag.selection_set, names, out, seen)
            else:
                raise Unsupported("selection")

    # --- operation ----------------------------------------------------------------------------------------
    def operation(self, op: OperationDefinitionNode) -> Plan:
        if op.operation is not OperationType.QUERY:
            raise Unsupported("not a query")
        query = self.schema.query_type
        roots = []
        for key, nodes in self.collect([op.selection_set], query).items():
            try:
                roots.append(self.root(key, nodes))
            except (Unsupported, KeyError):
                roots.append(RootField(key, "resolver"))  # this root field runs on the resolver path
        if all(r.kind in ("resolver", "typename") for r in roots):
            raise Unsupported("nothing to compile")
        return Plan(roots)

    def root(self, key: str, nodes: list[FieldNode]) -> RootField:
        query = self.schema.query_type
        name = nodes[0].name.value
        if name == "__typename":
            return RootField(key, "typename")
        spec = ROOT_FIELDS.get(name)
        if spec is None:
            raise Unsupported(f"root field {name}")
        kind, type_name = spec
        field_def = query.fields[name]
        if kind == "node":
            by_type: dict[str, EntityPlan | None] = {}
            for emap in ENTITIES.values():
                if emap.compiled:
                    try:
                        by_type[emap.type_name] = self.entity(
                            emap, self.schema.get_type(emap.type_name), [n.selection_set for n in nodes])
                    except Unsupported:
                        by_type[emap.type_name] = None
            return RootField(key, "node", field_def, nodes[0], by_type=by_type)
        emap = ENTITIES[type_name]
        if kind == "one":
            entity = self.entity(emap, _named(field_def.type), [n.selection_set for n in nodes])
            return RootField(key, "one", field_def, nodes[0], entity=entity)
        conn = self.connection(key, emap, field_def, nodes, None)
        return RootField(key, "connection", field_def, nodes[0], connection=conn)

    # --- entities -----------------------------------------------------------------------------------------
    def entity(self, emap: EntityMap, type_: GraphQLObjectType, sets: list[SelectionSetNode]) -> EntityPlan:
        if not emap.compiled or not isinstance(type_, GraphQLObjectType) or type_.name != emap.type_name:
            raise Unsupported(f"type {type_}")
        collected = self.collect(sets, type_)
        if len(collected) > MAX_FIELDS:
            raise Unsupported("too many fields")
        fields: list[Leaf | One | ConnectionField] = []
        has_cursors = False
        for key, nodes in collected.items():
            name = nodes[0].name.value
            if name == "__typename":
                fields.append(Leaf(key, "typename", typename=type_.name))
                continue
            field_def = type_.fields[name]
            sfield = field_def.extensions.get("strawberry-definition")
            python_name = getattr(sfield, "python_name", None)
            relation = emap.relations.get(python_name) if python_name else None
            if isinstance(relation, ToOne):
                target = ENTITIES.get(relation.target)
                if target is None:
                    raise Unsupported(f"relation {name}")
                sub = self.entity(target, _named(field_def.type), [n.selection_set for n in nodes])
                has_cursors |= sub.has_cursors
                fields.append(One(key, relation, sub, isinstance(field_def.type, GraphQLNonNull)))
            elif isinstance(relation, ToMany):
                target = ENTITIES.get(relation.target)
                if not relation.compiled or target is None:
                    raise Unsupported(f"relation {name}")
                conn = self.connection(key, target, field_def, nodes, relation)
                has_cursors |= conn.has_cursors
                fields.append(conn)
            elif python_name in emap.columns and getattr(sfield, "base_resolver", None) is None:
                fields.append(self.leaf(key, emap, python_name, field_def))
            else:
                raise Unsupported(f"field {type_.name}.{name}")
        return EntityPlan(emap, fields, has_cursors)

    def leaf(self, key: str, emap: EntityMap, attr: str, field_def: GraphQLField) -> Leaf:
        if isinstance(field_def.type, GraphQLList) or isinstance(getattr(field_def.type, "of_type", None),
                                                                   GraphQLList):
            raise Unsupported("list leaf")
        named = _named(field_def.type)
        column = emap.columns[attr]
        if isinstance(named, GraphQLEnumType):
            conv = emap.converters.get(attr)
            if not (isinstance(conv, type) and issubclass(conv, enum.Enum)):
                raise Unsupported("enum without converter")
            names = {str(m.value): m.name for m in conv}
            if not all(_SAFE.match(k) and _SAFE.match(v) for k, v in names.items()):
                raise Unsupported("enum values")
            return Leaf(key, "column", column, "enum", names)
        if isinstance(named, GraphQLScalarType) and named.name in SCALARS:
            if attr in emap.converters:
                raise Unsupported("converted scalar")
            return Leaf(key, "column", column, SCALARS[named.name])
        raise Unsupported(f"leaf type {named}")

    # --- connections --------------------------------------------------------------------------------------
    def connection(self, key: str, emap: EntityMap, field_def: GraphQLField, nodes: list[FieldNode],
                   relation: ToMany | None) -> ConnectionField:
        conn_type = _named(field_def.type)
        conn = ConnectionField(key, emap, conn_type.name, field_def, nodes[0], relation)
        sets = [n.selection_set for n in nodes if n.selection_set]
        for part_key, part_nodes in self.collect(sets, conn_type).items():
            name = part_nodes[0].name.value
            sub_sets = [n.selection_set for n in part_nodes if n.selection_set]
            if name == "__typename":
                conn.parts.append(("typename", part_key, conn_type.name))
            elif name == "totalCount":
                conn.parts.append(("totalCount", part_key))
            elif name == "nodes":
                entity = self.entity(emap, _named(conn_type.fields["nodes"].type), sub_sets)
                conn.has_cursors |= entity.has_cursors
                conn.parts.append(("nodes", part_key, entity))
            elif name == "edges":
                edge_type = _named(conn_type.fields["edges"].type)
                edge_parts: list[tuple] = []
                for ek, enodes in self.collect(sub_sets, edge_type).items():
                    ename = enodes[0].name.value
                    if ename == "cursor":
                        conn.has_cursors = True
                        edge_parts.append(("cursor", ek))
                    elif ename == "node":
                        entity = self.entity(emap, _named(edge_type.fields["node"].type),
                                             [n.selection_set for n in enodes if n.selection_set])
                        conn.has_cursors |= entity.has_cursors
                        edge_parts.append(("node", ek, entity))
                    elif ename == "__typename":
                        edge_parts.append(("typename", ek, edge_type.name))
                    else:
                        raise Unsupported(f"edge field {ename}")
                conn.parts.append(("edges", part_key, edge_parts))
            elif name == "pageInfo":
                info_type = _named(conn_type.fields["pageInfo"].type)
                info_parts = []
                for ik, inodes in self.collect(sub_sets, info_type).items():
                    iname = inodes[0].name.value
                    if iname in ("startCursor", "endCursor"):
                        conn.has_cursors = True
                    elif iname not in ("hasNextPage", "hasPreviousPage", "__typename"):
                        raise Unsupported(f"pageInfo field {iname}")
                    info_parts.append((iname, ik))
                conn.parts.append(("pageInfo", part_key, info_parts))
            else:
                raise Unsupported(f"connection field {name}")
        if len(conn.parts) > MAX_FIELDS:
            raise Unsupported("too many fields")
        return conn
