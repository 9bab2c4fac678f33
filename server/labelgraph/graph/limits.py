"""Limits checked before a document is validated or runs: size, tokens, operation choice, depth, aliases,
fields, repeated fields, introspection, ids, and the node budget.

The node budget is GitHub's: for every connection field, the page size asked for (``first``/``last``, the
default page when absent) multiplied by the page sizes of the connections above it; summed over the whole
document. ``project { datasets(first: 5) { items(first: 50) { annotations(first: 10) } } }`` costs
5 + 5·50 + 5·50·10 = 2,755. ``nodes(ids:)`` multiplies like a connection of ``len(ids)``. The figure is
returned in every response as ``extensions.cost``.

No document may cost the server more than a few milliseconds before it is refused (issue 12):

* parsing stops after ``max_tokens`` tokens, and one parse serves the check and execution (``ParseOnce``);
* each fragment is measured once (at multiplier 1, then scaled where it is spread) and the walk stops at the
  first limit exceeded, so fragments that each spread the one below twice, 39 levels deep, cost a step each;
* ``max_fields`` (fields once fragments are expanded) and ``max_repeated_fields`` (pairs of fields sharing a
  response name at one place, which validation's OverlappingFieldsCanBeMerged compares pairwise) bound the
  validation that follows.

strawberry's QueryDepthLimiter and MaxAliasesLimiter are not used: they expand fragments without memoizing
(18 levels of that fragment bomb took them 7.1 s and 2.1 s) and run inside validation, too late to protect it.
MaxTokensLimiter only sets graphql-core's ``max_tokens``, which ``parse_document`` passes itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.error import GraphQLSyntaxError
from graphql.language.parser import Parser
from strawberry.extensions import SchemaExtension

from labelgraph.errors import Refused
from labelgraph.graph.filters import check_conditions

INTROSPECTION_ROOTS = ("__schema", "__type")
GRAPHQL_INT_MAX = 2**31 - 1  # GraphQL's Int is 32-bit: a bigger page size is refused by validation, naming it


@dataclass(frozen=True)
class Limits:
    max_document_bytes: int = 100_000
    max_depth: int = 15
    max_aliases: int = 50
    max_nodes: int = 500_000
    default_page: int = 50
    max_tokens: int = 2_000
    max_fields: int = 2_000
    max_repeated_fields: int = 1_000
    max_introspection: int = 3
    max_ids: int = 1_000


@dataclass
class Measure:
    """What an operation costs; while measuring, what a selection set costs at multiplier 1 from its own level
    down (a fragment's is computed once)."""

    depth: int = 0
    aliases: int = 0
    fields: int = 0
    nodes: int = 0
    introspection: int = 0  # __schema / __type fields


# GraphQL's tokens (comments included, as graphql-core's max_tokens counts them), found by one regular
# expression: counting 2,001 of them costs a tenth of parsing them, so an oversized document is refused at once.
# The parser's own max_tokens stays the exact guard.
TOKEN = re.compile(r'"""(?:\\"""|[^"]|"(?!""))*"""|"(?:\\.|[^"\\\n])*"|#[^\n\r]*|\.\.\.|[!$&():=@\[\]{|}]'
                   r"|-?\d[\d.eE+-]*|[_A-Za-z][_0-9A-Za-z]*")


def _too_many_tokens(max_tokens: int) -> Refused:
    return Refused("LIMIT_EXCEEDED", f"the query document has more than {max_tokens:,} tokens; the limit is "
                   f"{max_tokens:,}", limit="tokens", maximum=max_tokens)


@lru_cache(maxsize=256)
def parse_document(query: str, max_tokens: int) -> DocumentNode:
    """Parse ``query``, giving up after ``max_tokens`` tokens; cached, so the check and execution share it."""
    if sum(1 for _ in islice(TOKEN.finditer(query), max_tokens + 1)) > max_tokens:
        raise _too_many_tokens(max_tokens)
    parser = Parser(query, max_tokens=max_tokens)
    try:
        return parser.parse_document()
    except GraphQLSyntaxError:
        if parser.token_count > max_tokens:
            raise _too_many_tokens(max_tokens) from None
        raise
    except RecursionError:
        pass
    raise Refused("LIMIT_EXCEEDED", "the query document is nested too deeply to be read", limit="depth")


class ParseOnce(SchemaExtension):
    """strawberry's parsing step served from ``parse_document``'s cache: the document the limits were checked
    on is the one validated and executed, parsed once and never without the token limit."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        settings = getattr(context.context, "settings", None)
        max_tokens = getattr(settings, "max_tokens", Limits.max_tokens)
        context.graphql_document = parse_document(context.query, max_tokens)  # Refused: shaped by ErrorShaping
        yield


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation that will run. The GraphQL spec's GetOperation: several operations need ``operationName``."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    names = ", ".join(o.name.value if o.name else "anonymous" for o in operations)
    if operation_name is not None:
        for operation in operations:
            if operation.name and operation.name.value == operation_name:
                return operation
        raise Refused("BAD_USER_INPUT", f"the document has no operation named {operation_name!r}; it has "
                      f"{names or 'none'}", field="operationName")
    if len(operations) == 1:
        return operations[0]
    if not operations:
        raise Refused("BAD_USER_INPUT", "the document has no operation: send a query, mutation or subscription")
    raise Refused("BAD_USER_INPUT", f"the document has {len(operations)} operations ({names}): send "
                  "operationName to choose one", field="operationName")


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def is_introspection(document: DocumentNode, operation: OperationDefinitionNode) -> bool:
    """Whether every root field is introspection (``__schema``, ``__type``, ``__typename``): what an anonymous
    caller may send. Looks at the root level only, each fragment once."""
    fragments, seen = _fragments(document), set()

    def only_introspection(selection_set: SelectionSetNode) -> bool:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if not sel.name.value.startswith("__"):
                    return False
            elif isinstance(sel, InlineFragmentNode):
                if not only_introspection(sel.selection_set):
                    return False
            elif sel.name.value not in seen and (fragment := fragments.get(sel.name.value)) is not None:
                seen.add(sel.name.value)
                if not only_introspection(fragment.selection_set):
                    return False
        return True

    return only_introspection(operation.selection_set)


def measure(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
            variables: dict | None, limits: Limits) -> Measure:
    """Measure ``operation`` against ``limits``; raise ``Refused`` at the first limit exceeded."""
    fragments = _fragments(document)
    values = _variable_values(operation, variables)
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]
    memo: dict[str, Measure] = {}

    def check(cost: Measure) -> None:
        if cost.depth > limits.max_depth:
            raise Refused("LIMIT_EXCEEDED", f"the query is nested deeper than {limits.max_depth} levels",
                          limit="depth", maximum=limits.max_depth)
        if cost.aliases > limits.max_aliases:
            raise Refused("LIMIT_EXCEEDED", f"the query uses at least {cost.aliases:,} aliases; the limit is "
                          f"{limits.max_aliases}", limit="aliases", maximum=limits.max_aliases)
        if cost.fields > limits.max_fields:
            raise Refused("LIMIT_EXCEEDED", f"the query selects at least {cost.fields:,} fields once its fragments are "
                          f"expanded; the limit is {limits.max_fields:,}", limit="fields", maximum=limits.max_fields)
        if cost.introspection > limits.max_introspection:
            raise Refused("LIMIT_EXCEEDED", f"the query asks for at least {cost.introspection:,} introspection fields "
                          f"(__schema, __type); the limit is {limits.max_introspection}", limit="introspection",
                          maximum=limits.max_introspection)
        if cost.nodes > limits.max_nodes:
            raise Refused("LIMIT_EXCEEDED", f"the query may return {cost.nodes:,} nodes or more; the limit is "
                          f"{limits.max_nodes:,}: ask for smaller pages", limit="nodes", cost=cost.nodes,
                          maximum=limits.max_nodes)

    def add(total: Measure, part: Measure, depth: int, multiplier: int) -> None:
        total.depth = max(total.depth, depth + part.depth)
        total.aliases += part.aliases
        total.fields += part.fields
        total.introspection += part.introspection
        total.nodes += multiplier * part.nodes
        check(total)

    def fragment_cost(name: str) -> Measure:
        cost = memo.get(name)
        if cost is None:
            memo[name] = Measure()  # a cycle (refused by validation) counts nothing
            fragment = fragments[name]
            cost = memo[name] = selection_cost(fragment.selection_set, schema.get_type(
                fragment.type_condition.name.value), 0)
        return cost

    def selection_cost(selection_set: SelectionSetNode, parent, level: int) -> Measure:
        """The cost of ``selection_set`` at multiplier 1; ``level``: how deep it is (from the operation, or from
        the fragment being measured: never more than its real depth, so the walk can stop at once)."""
        if level >= limits.max_depth:
            check(Measure(depth=level + 1))
        total = Measure()
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                field = Measure(depth=1, fields=1, aliases=int(sel.alias is not None),
                                introspection=int(sel.name.value in INTROSPECTION_ROOTS))
                field_def = getattr(parent, "fields", {}).get(sel.name.value)
                named = get_named_type(field_def.type) if field_def is not None else None
                for arg in sel.arguments or ():
                    if arg.name.value == "filter":  # refused before strawberry converts 10,000 branches
                        raw = value_from_ast_untyped(arg.value, values)
                        if isinstance(raw, dict):  # anything else is validation's to refuse
                            check_conditions(raw)
                multiplier = 1
                if sel.name.value == "nodes" and parent is schema.query_type:
                    multiplier = _id_count(sel, values, limits)
                    field.nodes = multiplier
                elif named is not None and named.name.endswith("Connection"):
                    multiplier = _page_size(sel, values, limits)
                    field.nodes = multiplier
                if sel.selection_set is not None:
                    add(field, selection_cost(sel.selection_set, named, level + 1), 1, multiplier)
                add(total, field, 0, 1)
            elif isinstance(sel, InlineFragmentNode):
                target = schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                add(total, selection_cost(sel.selection_set, target, level), 0, 1)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
                add(total, fragment_cost(sel.name.value), 0, 1)  # unknown fragments: a validation error
        return total

    if root is None:
        raise Refused("BAD_USER_INPUT", f"this server has no {operation.operation.value} operations")
    try:
        cost = selection_cost(operation.selection_set, root, 0)
        _check_repeated_fields(operation.selection_set, fragments, limits)
    except RecursionError:
        raise Refused("LIMIT_EXCEEDED", "the query's fragments are nested too deeply", limit="depth",
                      maximum=limits.max_depth) from None
    return cost


def _variable_values(operation: OperationDefinitionNode, variables: dict | None) -> dict:
    """The variables' values as execution will see them: the request's, else the operation's defaults."""
    values = {d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
              if d.default_value is not None}
    values.update(variables or {})
    return values


def _argument(field: FieldNode, name: str, values: dict):
    for arg in field.arguments or ():
        if arg.name.value == name:
            return values.get(arg.value.name.value) if isinstance(arg.value, VariableNode) else arg.value
    return None


def _int(value) -> int | None:
    """``value`` as GraphQL's Int reads it (``IntValueNode``, an int, or a float without fraction like 1000.0)."""
    if isinstance(value, IntValueNode):
        return int(value.value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _page_size(field: FieldNode, values: dict, limits: Limits) -> int:
    sizes = [size for name in ("first", "last") if (size := _int(_argument(field, name, values))) is not None]
    if not sizes:
        return limits.default_page
    # out-of-range sizes are refused by the resolver (over the maximum page) or by validation (not an Int): they
    # count 1 here, so the figure stays within 64 bits and the refusal names the argument, not the budget
    size = max(sizes)
    return size if 1 <= size <= GRAPHQL_INT_MAX else 1


def _id_count(field: FieldNode, values: dict, limits: Limits) -> int:
    ids = _argument(field, "ids", values)
    count = len(ids.values) if isinstance(ids, ListValueNode) else len(ids) if isinstance(ids, list) else 1
    if count > limits.max_ids:
        raise Refused("LIMIT_EXCEEDED", f"nodes(ids:) takes at most {limits.max_ids:,} ids; got {count:,}",
                      limit="ids", maximum=limits.max_ids)
    return max(count, 1)


def _check_repeated_fields(selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode],
                           limits: Limits) -> None:
    """Refuse fields selected over and over at one place of the response (directly or through fragments):
    validation compares every pair of them, so ``{ me { id } me { id } … }`` 2,000 times took 2.4 s. Counts the
    pairs of fields sharing a response name, with the fields below them merged as GraphQL merges them. Runs once
    ``max_fields`` holds, so expanding the fragments here costs at most that many steps."""
    pairs = 0

    def merge(selection_sets: list[tuple[SelectionSetNode, frozenset[str]]]) -> None:
        """``selection_sets``: the selection sets merged at one place, each with the fragments on its path (a
        fragment cycle, refused by validation, is not entered again)."""
        nonlocal pairs
        groups: dict[str, list[tuple[FieldNode, frozenset[str]]]] = {}

        def collect(selection_set: SelectionSetNode, within: frozenset[str]) -> None:
            for sel in selection_set.selections:
                if isinstance(sel, FieldNode):
                    groups.setdefault((sel.alias or sel.name).value, []).append((sel, within))
                elif isinstance(sel, InlineFragmentNode):
                    collect(sel.selection_set, within)
                elif sel.name.value in fragments and sel.name.value not in within:
                    collect(fragments[sel.name.value].selection_set, within | {sel.name.value})

        for selection_set, within in selection_sets:
            collect(selection_set, within)
        for name, fields in groups.items():
            pairs += len(fields) * (len(fields) - 1) // 2
            if pairs > limits.max_repeated_fields:
                raise Refused("LIMIT_EXCEEDED", f"the query selects {name!r} {len(fields):,} times at one place; "
                              f"with the other repeated fields that makes {pairs:,} pairs to compare, the limit is "
                              f"{limits.max_repeated_fields:,}", limit="repeatedFields",
                              maximum=limits.max_repeated_fields)
            below = [(field.selection_set, within) for field, within in fields if field.selection_set is not None]
            if below:
                merge(below)

    merge([(selection_set, frozenset())])
