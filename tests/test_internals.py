"""What the executor's short cuts assume of graphql-core's and strawberry's internals, checked one by one.

``DirectFields`` (graph/extensions.py) overrides methods of graphql-core 3.3's executor and calls strawberry's
private resolver plumbing; the query compiler (graph/compiler/execute.py) subclasses strawberry's execution context.
pyproject.toml bounds both libraries to the tested minor release. When an upgrade changes a name or a signature
they rely on, these tests fail first and say so: "graphql-core X changed Y: the short cut in Z assumes W", before
anything subtler shows (a wrong answer, or a short cut that silently stopped being taken).
"""

from __future__ import annotations

import importlib.metadata
import inspect
from collections.abc import Callable
from typing import Any

import graphql
import pytest
from graphql.execution.collect_fields import CollectedFields, FieldDetails, collect_fields
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info
from support import Builder

import labelgraph.graph.extensions as extensions
from labelgraph.graph.compiler import COMPILER_HEADER
from labelgraph.schema import schema

GRAPHQL_CORE = f"graphql-core {graphql.__version__}"
STRAWBERRY = f"strawberry-graphql {importlib.metadata.version('strawberry-graphql')}"
DIRECT = "the short cut in graph/extensions.py (DirectFields)"
COMPILER = "the short cut in graph/compiler/execute.py (CompilingExecutionContext)"
BASE = StrawberryGraphQLCoreExecutionContext  # the executor class labelgraph's ExecutionContext extends


def _parameters(func: Callable) -> tuple[str, ...]:
    return tuple(inspect.signature(func).parameters)


def _accepts(func: Callable, expected: tuple[str, ...]) -> bool:
    """``func`` takes ``expected`` first, in this order, and nothing else without a default."""
    parameters = list(inspect.signature(func).parameters.values())
    rest = parameters[len(expected):]
    return _parameters(func)[:len(expected)] == expected and all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in rest)


def _changed(library: str, what: str, found: Any, where: str, assumed: Any) -> str:
    return f"{library} changed {what} (now {found}): {where} assumes {assumed}"


def test_graphql_core_is_the_release_the_short_cuts_were_written_for():
    assert extensions._ENABLED, (
        f"{GRAPHQL_CORE} is not 3.3: {DIRECT} switches itself off (it was written against 3.3's executor). Check "
        "every assumption in tests/test_internals.py against the new release, then widen _ENABLED and the bound "
        "in pyproject.toml")


# Executor methods: (parameters, the short cut that relies on them). An overridden method must match exactly
# (graphql-core calls it positionally); a called one must take these parameters first.
OVERRIDDEN = {
    "execute_fields": (("self", "parent_type", "source_value", "path", "grouped_field_set", "position_context"),
                       DIRECT),
    "execute_field": (("self", "parent_type", "source", "field_details_list", "path", "position_context"),
                      DIRECT),
    "complete_list_item_value": (("self", "item", "complete_results", "item_type", "field_details_list", "info",
                                  "item_path", "position_context"), DIRECT),
    "complete_list_value": (("self", "return_type", "field_details_list", "info", "path", "result",
                             "position_context"), DIRECT),
    "execute_operation": (("self", "serially"), COMPILER),
}
CALLED = {
    "handle_field_error": (("self", "raw_error", "return_type", "field_details_list", "path"), DIRECT),
    "settle_in_background": (("self", "awaitables"), DIRECT),
    "build_resolve_info": (("self", "field_def", "field_nodes", "parent_type", "path"), DIRECT),
    "collect_subfields": (("self", "return_type", "field_details_list"), DIRECT),
    "execute_collected_subfields": (("self", "parent_type", "source_value", "path", "grouped_field_set",
                                     "new_defer_usages", "delivery_group_map"), DIRECT),
    "complete_value": (("self", "return_type", "field_details_list", "info", "path", "result", "position_context"),
                       DIRECT),
    "complete_awaitable_value": (("self", "return_type", "field_details_list", "info", "path", "result",
                                  "position_context"), DIRECT),
    "execute_root_grouped_field_set": (("self", "root_type", "root_value", "grouped_field_set", "serially",
                                        "position_context"), COMPILER),
    "build_response": (("self", "data"), COMPILER),
}


@pytest.mark.parametrize("name", OVERRIDDEN)
def test_overridden_executor_methods_keep_their_parameters(name):
    expected, owner = OVERRIDDEN[name]
    method = getattr(BASE, name, None)
    assert method is not None, f"{GRAPHQL_CORE} removed the executor's {name}: {owner} overrides it, in vain"
    assert _parameters(method) == expected, _changed(GRAPHQL_CORE, f"{method.__qualname__}'s parameters",
                                                     _parameters(method), f"{owner}, overriding it,", expected)


@pytest.mark.parametrize("name", CALLED)
def test_called_executor_methods_keep_their_parameters(name):
    expected, where = CALLED[name]
    method = getattr(BASE, name, None)
    assert method is not None, f"{GRAPHQL_CORE} removed the executor's {name}: {where} calls it"
    assert _accepts(method, expected), _changed(GRAPHQL_CORE, f"{method.__qualname__}'s parameters",
                                                _parameters(method), where, expected)


HELPERS = [
    (get_argument_values, ("type_def", "node", "variable_values", "fragment_variable_values", "hide_suggestions"),
     f"{DIRECT} and {COMPILER}"),
    (collect_fields, ("schema", "fragments", "variable_values", "runtime_type", "operation", "hide_suggestions"),
     COMPILER),
    (Path, ("prev", "key", "typename"), DIRECT),
    (gather_with_cancel, ("awaitables",), DIRECT),
]


@pytest.mark.parametrize("func, expected, where", HELPERS, ids=[h[0].__name__ for h in HELPERS])
def test_graphql_core_helpers_keep_their_parameters(func, expected, where):
    assert _accepts(func, expected), _changed(GRAPHQL_CORE, f"{func.__module__}.{func.__qualname__}'s parameters",
                                              _parameters(func), where, expected)


@pytest.mark.parametrize("record, fields, where", [
    (CollectedFields, ("grouped_field_set", "new_defer_usages", "forbidden_directive_instances"),
     f"{DIRECT} (unpacks collect_subfields' result into these three)"),
    (FieldDetails, ("node", "fragment_variable_values"), f"{DIRECT} (reads these of a field's details)"),
    (VariableValues, ("coerced",), f"{COMPILER} (keys its statement cache by the coerced variables)"),
], ids=["CollectedFields", "FieldDetails", "VariableValues"])
def test_graphql_core_records_keep_their_fields(record, fields, where):
    found = tuple(getattr(record, "_fields", ()))
    if record is CollectedFields:
        assert found == fields, _changed(GRAPHQL_CORE, f"{record.__qualname__}'s fields", found, where, fields)
    else:
        assert set(fields) <= set(found), _changed(GRAPHQL_CORE, f"{record.__qualname__}'s fields", found, where,
                                                   fields)


def test_strawberry_argument_conversion_and_info_keep_their_parameters():
    expected = ("value", "arguments", "scalar_registry", "config", "info")
    assert _accepts(convert_arguments, expected), _changed(
        STRAWBERRY, "strawberry.types.arguments.convert_arguments' parameters", _parameters(convert_arguments),
        f"{DIRECT} and {COMPILER}", expected)
    expected = ("self", "source", "info", "args", "kwargs")
    assert _parameters(StrawberryField.get_result) == expected, _changed(
        STRAWBERRY, "StrawberryField.get_result's parameters", _parameters(StrawberryField.get_result), DIRECT,
        f"{expected} (it calls a resolver the way strawberry's wrapper does)")
    expected = ("self", "_raw_info", "_field")
    assert _accepts(Info.__init__, expected), _changed(STRAWBERRY, "Info's parameters", _parameters(Info.__init__),
                                                       DIRECT, expected)


def test_strawberry_schema_exposes_what_the_short_cuts_read():
    graphql_schema = schema._schema
    strawberry_schema = getattr(graphql_schema, "_strawberry_schema", None)
    assert strawberry_schema is schema, (
        f"{STRAWBERRY} no longer sets GraphQLSchema._strawberry_schema: {DIRECT} and {COMPILER} find the strawberry "
        "schema (exception handlers, info class, scalar registry, config) through it")
    for path in ("exception_handlers", "config.info_class", "config", "schema_converter.scalar_registry"):
        value: Any = strawberry_schema
        for part in path.split("."):
            assert hasattr(value, part), (
                f"{STRAWBERRY} removed Schema.{path}: {DIRECT} reads it to call resolvers as strawberry does")
            value = getattr(value, part)
    assert issubclass(schema.execution_context_class, BASE), (
        f"{STRAWBERRY}: labelgraph's ExecutionContext no longer extends StrawberryGraphQLCoreExecutionContext")


def _field(type_name: str, field_name: str) -> graphql.GraphQLField:
    return schema._schema.get_type(type_name).fields[field_name]


def test_strawberry_marks_attribute_fields_the_way_the_short_cut_recognizes():
    field = _field("Item", "name")
    definition = field.extensions.get("strawberry-definition")
    where = f"{DIRECT}, which reads Item.name with getattr instead of calling strawberry's resolver"
    assert isinstance(definition, StrawberryField), (
        f"{STRAWBERRY} no longer puts the StrawberryField in GraphQLField.extensions['strawberry-definition']: {where}")
    assert getattr(field.resolve, "_is_default", False), (
        f"{STRAWBERRY} no longer marks the resolver of a resolver-less field with _is_default: {where}")
    found = (definition.is_basic_field, definition.base_resolver, definition.default_resolver, definition.python_name)
    assert found == (True, None, getattr, "name"), _changed(
        STRAWBERRY, "StrawberryField's (is_basic_field, base_resolver, default_resolver, python_name) of Item.name",
        found, where, "(True, None, getattr, 'name')")
    assert isinstance(extensions._plan(schema._schema, schema._schema.get_type("Item"), "name"), extensions._Basic), (
        f"{STRAWBERRY}: {DIRECT} no longer recognizes Item.name as an attribute field")


@pytest.mark.parametrize("type_name, field_name, is_async", [("Item", "annotations", False),
                                                             ("Item", "dataset", False),
                                                             ("Dataset", "project", True)])
def test_strawberry_wraps_resolvers_the_way_the_short_cut_recognizes(type_name, field_name, is_async):
    field = _field(type_name, field_name)
    definition = field.extensions.get("strawberry-definition")
    where = f"{DIRECT}, which calls {type_name}.{field_name}'s resolver without strawberry's wrapper"
    found = (getattr(field.resolve, "__module__", None), getattr(field.resolve, "__name__", None))
    expected = ("strawberry.schema.schema_converter", "_async_resolver" if is_async else "_resolver")
    assert found == expected, _changed(STRAWBERRY, "the (module, name) of the resolver wrapper from_resolver returns",
                                       found, where, expected)
    resolver = definition.base_resolver
    for name in ("parent_parameter", "root_parameter", "info_parameter", "self_parameter"):
        assert hasattr(resolver, name), f"{STRAWBERRY} removed StrawberryResolver.{name}: {where}"
    for name in ("extensions", "arguments"):
        assert hasattr(definition, name), f"{STRAWBERRY} removed StrawberryField.{name}: {where}"
    plan = extensions._plan(schema._schema, schema._schema.get_type(type_name), field_name)
    assert isinstance(plan, extensions._Resolver) and plan.is_async is is_async, (
        f"{STRAWBERRY}: {DIRECT} no longer recognizes {type_name}.{field_name} as a resolver field (found {plan})")


async def test_the_executor_takes_the_short_cuts(gql, build: Builder, monkeypatch):
    """graphql-core still routes fields and list items through the overridden methods, and the executor holds
    the attributes they read."""
    calls: dict[str, int] = {}
    executors: list[Any] = []

    def spy(name: str) -> None:
        original = getattr(extensions.DirectFields, name)

        def counted(self, *args: Any) -> Any:
            calls[name] = calls.get(name, 0) + 1
            executors.append(self)
            return original(self, *args)

        monkeypatch.setattr(extensions.DirectFields, name, counted)

    for name in OVERRIDDEN:
        if hasattr(extensions.DirectFields, name):
            spy(name)
    project = await build.project()
    dataset = await build.dataset(project)
    [item] = await build.items(dataset, [{"name": "a.jpg"}])
    await build.annotations([{"itemId": item["id"], "type": "CLASSIFICATION", "label": "car"}])
    data = await gql("""query($d: ID!) { dataset(id: $d) { items { nodes { name dataset { name }
        annotations(first: 5) { nodes { label } } } } } }""", {"d": dataset}, headers={COMPILER_HEADER: "off"})
    assert data["dataset"]["items"]["nodes"][0]["annotations"]["nodes"] == [{"label": "car"}]
    for name in ("execute_fields", "execute_field", "complete_list_item_value"):
        assert calls.get(name), (
            f"{GRAPHQL_CORE} (or {STRAWBERRY}) no longer calls the executor's {name} while completing a query: "
            f"{DIRECT} overrides it, so the short cut is never taken")
    executor = executors[0]
    for name in ("schema", "fragment_definitions", "fragments", "root_value", "context_value", "operation",
                 "variable_values", "middleware_manager", "hide_suggestions", "collected_errors", "is_awaitable"):
        assert hasattr(executor, name), (
            f"{GRAPHQL_CORE} removed the executor's attribute {name}: {DIRECT} and {COMPILER} read it")
    assert callable(getattr(executor.collected_errors, "add", None)), (
        f"{GRAPHQL_CORE} removed CollectedErrors.add: {COMPILER} reports a failed root field with it")
