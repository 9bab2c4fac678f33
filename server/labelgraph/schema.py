"""Assembles Query, Mutation and Subscription from the slices.

A slice contributes by defining, in its ``queries.py`` / ``mutations.py`` / ``subscriptions.py``, a strawberry
type named ``<Slice>Query`` / ``<Slice>Mutation`` / ``<Slice>Subscription`` (e.g. ``FaasQuery``), and lists its
node types in ``types.py`` as ``NODE_TYPES``; the relations it declares there (graph/relations.py) are added to
their parent types here, once every slice is imported (``attach``). Adding a slice means adding its name to
SLICES (the order of the root fields) and to the layers of the import-linter contract in pyproject.toml;
nothing else here changes.
"""

from __future__ import annotations

import importlib

import strawberry
from strawberry.extensions import AddValidationRules, ValidationCache
from strawberry.schema.config import StrawberryConfig

from labelgraph.context import Info
from labelgraph.graph.compiler import CompilingExecutionContext
from labelgraph.graph.extensions import DirectFields, ErrorShaping, log_errors
from labelgraph.graph.limits import ParseOnce
from labelgraph.graph.literals import StorableLiterals
from labelgraph.graph.node import Node, load_node, load_nodes
from labelgraph.graph.relations import attach
from labelgraph.graph.scalars import SCALAR_MAP
from labelgraph.graph.variables import install as install_variable_coercion

SLICES = ("identity", "data", "ontology", "workflow", "faas", "jobs")


class ExecutionContext(DirectFields, CompilingExecutionContext):
    """graphql-core's executor with the query compiler's short cut (whole operations as SQL) and DirectFields'
    (attribute fields and resolvers called without strawberry's per-call wrappers,
    graph/extensions.py)."""


# the executor coerces variables with coercers compiled per input type (graph/variables.py: graphql-core's
# result and, for a value that does not coerce, graphql-core's own errors)
install_variable_coercion()


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its id; null when it does not exist or is out of reach")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await load_node(info, id)

    @strawberry.field(description="Objects by id, in the order asked; null where not found. At most 1,000 ids; "
                      "each counts in the node budget")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        return await load_nodes(info, ids)  # the limits refused more than max_page_size ids (graph/limits.py)


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Instead of strawberry's (every error at ERROR, a client's mistakes with tracebacks): see log_errors."""
        log_errors(errors, execution_context.context if execution_context is not None else None)


MODULES = {"Query": "queries", "Mutation": "mutations", "Subscription": "subscriptions"}


def _parts(kind: str) -> list[type]:
    found = []
    for name in SLICES:
        module_name = f"labelgraph.{name}.{MODULES[kind]}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        part = getattr(module, f"{name.capitalize()}{kind}", None) or getattr(module, f"{name.upper()}{kind}", None)
        if part is not None:
            found.append(part)
    return found


def _node_types() -> list[type]:
    types: list[type] = []
    for name in SLICES:
        try:
            module = importlib.import_module(f"labelgraph.{name}.types")
        except ModuleNotFoundError as exc:
            if exc.name != f"labelgraph.{name}.types":
                raise
            continue
        types.extend(getattr(module, "NODE_TYPES", ()))
    return types


def build_schema() -> strawberry.Schema:
    node_types = _node_types()
    query = strawberry.type(type("Query", (NodeQuery, *_parts("Query")), {}))
    mutations = _parts("Mutation")
    subscriptions = _parts("Subscription")
    attach()  # every slice is imported: the relations they declared join their parent types
    return Schema(
        query=query,
        mutation=strawberry.type(type("Mutation", tuple(mutations), {})) if mutations else None,
        subscription=strawberry.type(type("Subscription", tuple(subscriptions), {})) if subscriptions else None,
        types=node_types,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        # issue 9: query operations the EntityMaps describe run as one SQL statement per root field
        # (graph/compiler/); everything else, and LABELGRAPH_COMPILER=off, takes the resolver path
        execution_context_class=ExecutionContext,
        extensions=[
            ErrorShaping,
            ParseOnce,  # the document the limits were checked on, parsed once with the token limit
            lambda: AddValidationRules([StorableLiterals]),  # text and numbers written in the query
            lambda: ValidationCache(maxsize=256),
        ],
    )


schema = build_schema()
