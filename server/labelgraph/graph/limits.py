"""Limits checked before a query runs: document size, depth, aliases, and the node budget.

The node budget is GitHub's: for every connection field, the page size asked for (``first``/``last``, the
default page when absent) multiplied by the page sizes of the connections above it; summed over the whole
document. ``project { datasets(first: 5) { items(first: 50) { annotations(first: 10) } } }`` costs
5 + 5·50 + 5·50·10 = 2,755. The figure is returned in every response as ``extensions.cost``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
    parse,
    value_from_ast_untyped,
)
from graphql.error import GraphQLSyntaxError

from labelgraph.errors import Refused
from labelgraph.graph.filters import check_conditions

GRAPHQL_INT_MAX = 2**31 - 1  # GraphQL's Int is 32-bit: a bigger page size is refused by validation


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 100_000
    max_depth: int = 15
    max_aliases: int = 50
    max_nodes: int = 500_000
    default_page: int = 50


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    nodes: int = 0
    introspection_only: bool = True
    operation_type: str = "query"


@lru_cache(maxsize=512)
def _parse(query: str) -> DocumentNode | None:
    try:
        return parse(query, no_location=True)
    except GraphQLSyntaxError:
        return None  # strawberry reports syntax errors itself


def measure(schema: GraphQLSchema, query: str, variables: dict | None, operation_name: str | None,
            limits: Limits) -> Measure | None:
    """Measure the operation that will run; None when the document does not parse (left to validation)."""
    if len(query.encode()) > limits.max_document_bytes:
        raise Refused("LIMIT_EXCEEDED", f"the query document is {len(query.encode())} bytes; the limit is "
                      f"{limits.max_document_bytes}", limit="documentBytes")
    document = _parse(query)
    if document is None:
        return None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None  # ambiguous or unknown operation: validation reports it
    op = operations[0]
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[op.operation.value]
    m = Measure(operation_type=op.operation.value)
    if root is None:
        return None
    variables = variables or {}

    def page_size(field: FieldNode) -> int:
        size = None
        for arg in field.arguments or ():
            if arg.name.value in ("first", "last"):
                if isinstance(arg.value, IntValueNode):
                    size = int(arg.value.value)
                elif isinstance(arg.value, VariableNode):
                    value = variables.get(arg.value.name.value)
                    size = value if isinstance(value, int) else size
        if size is None or not 1 <= size <= GRAPHQL_INT_MAX:
            return limits.default_page if size is None else 1  # not an Int: validation refuses it, naming it
        return size

    def walk(selection_set, parent: GraphQLObjectType, depth: int, multiplier: int, seen: frozenset) -> None:
        if selection_set is None:
            return
        for sel in selection_set.selections or ():
            if isinstance(sel, FieldNode):
                name = sel.name.value
                if sel.alias is not None:
                    m.aliases += 1
                if not name.startswith("__"):
                    m.introspection_only = False
                m.depth = max(m.depth, depth)
                if m.depth > limits.max_depth:
                    raise Refused("LIMIT_EXCEEDED", f"the query is nested deeper than {limits.max_depth} levels",
                                  limit="depth", maximum=limits.max_depth)
                field_def = getattr(parent, "fields", {}).get(name) if hasattr(parent, "fields") else None
                if field_def is None:
                    continue
                named = get_named_type(field_def.type)
                for arg in sel.arguments or ():
                    if arg.name.value == "filter":  # refused before strawberry converts 10,000 branches
                        raw = value_from_ast_untyped(arg.value, variables)
                        if isinstance(raw, dict):  # anything else is validation's to refuse
                            check_conditions(raw)
                child_multiplier = multiplier
                if named.name.endswith("Connection"):
                    child_multiplier = multiplier * page_size(sel)
                    # Past the budget the figure stops where it passed it, and the multipliers below stop
                    # growing: products of nested page sizes would pass 64 bits (the figure goes into the
                    # refusal's extensions). The walk goes on for the other limits.
                    if m.nodes <= limits.max_nodes:
                        m.nodes += child_multiplier
                    child_multiplier = min(child_multiplier, limits.max_nodes + 1)
                walk(sel.selection_set, named, depth + 1, child_multiplier, seen)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                walk(sel.selection_set, target or parent, depth, multiplier, seen)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                frag = fragments.get(name)
                if frag is None or name in seen:
                    continue  # unknown or cyclic fragments are validation errors
                target = schema.get_type(frag.type_condition.name.value) or parent
                walk(frag.selection_set, target, depth, multiplier, seen | {name})

    walk(op.selection_set, root, 1, 1, frozenset())
    if m.aliases > limits.max_aliases:
        raise Refused("LIMIT_EXCEEDED", f"the query uses {m.aliases} aliases; the limit is {limits.max_aliases}",
                      limit="aliases", maximum=limits.max_aliases)
    if m.nodes > limits.max_nodes:
        raise Refused("LIMIT_EXCEEDED", f"the query may return {m.nodes:,} nodes or more; the limit is "
                      f"{limits.max_nodes:,}: ask for smaller pages", limit="nodes", cost=m.nodes,
                      maximum=limits.max_nodes)
    return m
