"""Schema extensions: error shaping and logging (expected refusals keep their message and code and are logged
as one line; unexpected exceptions are masked for the caller and logged with their traceback and the request id),
and ``DirectFields``, the executor's short cuts for attribute fields and resolvers.

Nothing here hooks ``resolve`` (a resolve hook is a middleware wrapping every field): what is per operation is
done per operation (``on_operation``).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

import graphql
from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLObjectType,
    GraphQLString,
    Undefined,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.arguments import convert_arguments

from labelgraph.errors import Refused

log = logging.getLogger("labelgraph.errors")


AUTH_CODES = frozenset({"UNAUTHENTICATED", "FORBIDDEN"})  # refusals logged at WARNING (the others at INFO)


def error_code(error: GraphQLError) -> str | None:
    """The ``extensions.code`` the client gets for ``error``; None for an unexpected exception (a server fault)."""
    original = error.original_error
    if isinstance(original, Refused):
        return original.code
    if isinstance(original, InvalidOperationTypeError | CannotGetOperationTypeError):
        return "BAD_USER_INPUT"  # strawberry's: a query over the legacy WebSocket protocol, an unknown operation
    if original is None or isinstance(original, GraphQLError):
        # a scalar's refusal of a variable's value carries it as original error: an input error too
        return (error.extensions or {}).get("code") or (
            "GRAPHQL_VALIDATION_FAILED" if original is None and not error.path else "BAD_USER_INPUT")
    return None


def _one_line(text: str, limit: int = 300) -> str:
    """A client's text made safe for one log line: no line breaks (no forged lines), bounded (a 10 MB variable
    echoed in a coercion error must not become a 10 MB line)."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit] + "…"


def log_refusal(context: Any, refusals: list[tuple[str, str]]) -> None:
    """One line for a request the server refused, in whole or in part (``(code, message)`` each): INFO, WARNING
    for authentication and authorization, never a traceback. Names the request id and the caller's token."""
    access = getattr(context, "access", None)
    token = getattr(access, "token_id", None) or "anonymous"
    level = logging.WARNING if any(code in AUTH_CODES for code, _ in refusals) else logging.INFO
    log.log(level, "request %s (token %s): refused: %s", getattr(context, "request_id", "-"), token,
            _one_line("; ".join(f"{code}: {message}" for code, message in refusals), 600))


def log_errors(errors: list[GraphQLError], context: Any) -> None:
    """How the schema logs an operation's errors (``Schema.process_errors``): a server fault at ERROR with its
    traceback and the request id its masked error carries (``_shape``); the client's own errors as one line."""
    refusals = []
    for error in errors:
        code = error_code(error)
        if code is None:
            log.error("request %s: unexpected error at %s", getattr(context, "request_id", "-"), error.path,
                      exc_info=error.original_error)
        else:
            refusals.append((code, error.message))
    if refusals:
        log_refusal(context, refusals)


def _shape(error: GraphQLError, request_id: str) -> GraphQLError:
    code = error_code(error)
    if code is None:  # logged with its traceback by log_errors
        return GraphQLError(f"internal error (request id {request_id})", error.nodes, error.source,
                            error.positions, error.path, None, {"code": "INTERNAL", "requestId": request_id})
    if isinstance(error.original_error, Refused):
        return GraphQLError(str(error.original_error), error.nodes, error.source, error.positions, error.path,
                            None, {"code": code, **error.original_error.extensions})
    if (error.extensions or {}).get("code"):
        return error
    return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path, None,
                        {**(error.extensions or {}), "code": code})


class ErrorShaping(SchemaExtension):
    def on_operation(self):
        yield
        context = self.execution_context.context
        loaders = getattr(context, "_loaders", None)
        if loaders is not None:
            # context → loaders → batch closures → context is a cycle: break it, so the request's objects are
            # freed by reference counting instead of waiting for a full garbage collection
            loaders.clear()
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        request_id = getattr(context, "request_id", "-")
        result.errors = [_shape(e, request_id) for e in result.errors]


# ------------------------------------------------------------------------------------------------------------------
# DirectFields: the executor's short cuts for the two kinds of fields a list of objects repeats per object.
#
# * Basic fields (a strawberry field without resolver: Item.name, Annotation.label, Connection.nodes…) cost, per
#   object and field, graphql-core's GraphQLResolveInfo and Path, strawberry's basic resolver (three calls ending in
#   ``getattr``) and the generic completion (non-null, list, leaf checks). Here the attribute is read directly, and
#   a leaf (scalar or enum) whose value is plain and coerces to non-null is coerced in line.
# * Resolver fields (Item.annotations(first, after, …)) cost strawberry's wrapper per call: an Info, the
#   conversion of every argument (names camel-cased, types dispatched), the field-extension chain. Here the
#   resolver is called the way that wrapper calls it (``field.get_result(source, info, args, kwargs)``, self /
#   info passed as the resolver asks), for fields without field extensions in a schema without exception
#   handlers; the converted arguments are computed once per field node and execution when they are all
#   immutable (None, numbers, strings, enums — the usual ``annotations`` of every item).
#
# * Lists of objects whose selection is rows of plain values (``_Rows``): the items of a bulk create's payload, a
#   page's nodes. When every field the selection collects on the item type is ``__typename``, a basic leaf
#   without arguments, or a reference answered from a foreign key (``to_one(..., same_project=True)`` selecting
#   only ``id``/``__typename`` of the child: its resolver would return a stub holding the key), each item's
#   response object is built in one loop: no Path, no GraphQLResolveInfo, no strawberry Info, no completion
#   calls per field. The first item whose values do not fit (null in a non-null field, a value not of a plain
#   type, one the scalar refuses or coerces to null, an item of another type) sends the whole list the usual way
#   (nothing built so far had effects: reading attributes and coercing plain values), so its errors and paths
#   are graphql-core's own.
#
# Everything else (null in a non-null field, awaitable values, exceptions, values the scalar refuses, objects and
# lists) is completed by graphql-core's own methods exactly as ``execute_field`` does after calling the resolver:
# same values, same errors, same paths. Subscriptions, root fields' resolvers and executions with middleware
# take graphql-core's and strawberry's usual path.
# ------------------------------------------------------------------------------------------------------------------

_ENABLED = tuple(graphql.version_info)[:2] == (3, 3)  # written against graphql-core 3.3's Executor
_PLAIN_TYPES = frozenset({str, int, float, bool, dict, list, datetime})
_IMMUTABLE_TYPES = frozenset({type(None), str, int, float, bool})
_STRAWBERRY_RESOLVERS = ("_resolver", "_async_resolver")  # what strawberry's from_resolver returns for resolvers


class _Basic(NamedTuple):
    field_def: GraphQLField
    attr: str  # the python attribute strawberry's resolver would getattr
    leaf: bool  # scalar or enum (possibly non-null)
    nullable: bool
    coerce: Callable[[Any], Any] | None  # the leaf type's output coercion


class _Resolver(NamedTuple):
    field_def: GraphQLField
    field: Any  # the StrawberryField
    pass_self: bool  # the resolver takes self (the source object)
    info_name: str | None  # the resolver's Info parameter
    is_async: bool
    info_class: type
    scalar_registry: Any
    config: Any


_PLANS: dict[GraphQLObjectType, dict[str, _Basic | _Resolver | None]] = {}


def _plan(schema: graphql.GraphQLSchema, parent_type: GraphQLObjectType, name: str) -> _Basic | _Resolver | None:
    """How to resolve ``parent_type.name`` directly, or None: graphql-core's and strawberry's usual path."""
    per_type = _PLANS.setdefault(parent_type, {})
    if name in per_type:
        return per_type[name]
    found: _Basic | _Resolver | None = None
    field_def = schema.get_field(parent_type, name)
    definition = (field_def.extensions or {}).get("strawberry-definition") if field_def is not None else None
    resolve = field_def.resolve if field_def is not None else None
    if definition is None or resolve is None:
        pass
    elif getattr(resolve, "_is_default", False):
        # strawberry's resolver of resolver-less fields calls ``field.get_result(source)``, which is
        # ``field.default_resolver(source, field.python_name)``
        if (
            not field_def.args
            and definition.is_basic_field
            and definition.base_resolver is None
            and definition.default_resolver is getattr
            and definition.python_name
        ):
            return_type = field_def.type
            nullable = not is_non_null_type(return_type)
            inner = return_type if nullable else return_type.of_type
            leaf = is_leaf_type(inner)
            found = _Basic(field_def, definition.python_name, leaf, nullable,
                           inner.coerce_output_value if leaf else None)
    elif (
        getattr(resolve, "__name__", None) in _STRAWBERRY_RESOLVERS
        and getattr(resolve, "__module__", None) == "strawberry.schema.schema_converter"
        and definition.base_resolver is not None
        and not definition.extensions
        and parent_type not in (schema.query_type, schema.mutation_type, schema.subscription_type)
    ):
        strawberry_schema = getattr(schema, "_strawberry_schema", None)
        resolver = definition.base_resolver
        if (
            strawberry_schema is not None
            and not strawberry_schema.exception_handlers
            and resolver.parent_parameter is None
            and resolver.root_parameter is None
        ):
            info = resolver.info_parameter
            found = _Resolver(field_def, definition, resolver.self_parameter is not None,
                              info.name if info is not None else None, resolve.__name__ == "_async_resolver",
                              strawberry_schema.config.info_class,
                              strawberry_schema.schema_converter.scalar_registry, strawberry_schema.config)
    per_type[name] = found
    return found


_OBJECT_ITEMS: dict[Any, GraphQLObjectType | None] = {}


def _object_item_type(item_type: Any) -> GraphQLObjectType | None:
    """The object type of list items of ``item_type`` (an object type, possibly non-null), else None."""
    try:
        return _OBJECT_ITEMS[item_type]
    except KeyError:
        inner = item_type.of_type if is_non_null_type(item_type) else item_type
        found = _OBJECT_ITEMS[item_type] = inner if is_object_type(inner) else None
        return found


# the scalars whose output coercion returns a value of exactly this type as it is (graphql-core's serialize_string,
# serialize_id, serialize_boolean: ``if isinstance(value, str | bool): return value``)
_AS_IS = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}

_TYPENAME, _LEAF, _REFERENCE = 0, 1, 2


class _Column(NamedTuple):
    """One response field of a row: ``__typename`` (``name`` the type's), a basic leaf (``attr`` read, coerced),
    or a reference (``attr`` the foreign key; ``sub`` the child object's fields: ``__typename`` or its id)."""

    kind: int
    response_name: str
    attr: str
    nullable: bool
    as_is: type | None  # the value's type the scalar returns unchanged
    coerce: Callable[[Any], Any] | None
    name: str  # __typename: the type's name
    sub: tuple[tuple[str, bool], ...]  # a reference's fields: (response name, is __typename)
    id_as_is: bool  # a reference: the child's id scalar returns a str key unchanged
    id_coerce: Callable[[Any], Any] | None


class _Rows(NamedTuple):
    columns: tuple[_Column, ...]
    is_type_of: Callable[[Any, Any], Any] | None


def _leaf_column(kind: int, response_name: str, basic: _Basic) -> _Column:
    inner = basic.field_def.type if basic.nullable else basic.field_def.type.of_type
    return _Column(kind, response_name, basic.attr, basic.nullable, _AS_IS.get(inner), basic.coerce, "", (),
                   False, None)


async def _raise(exc: Exception) -> Any:
    raise exc


class DirectFields:
    """Mixin for the schema's graphql-core execution context (see the comment above)."""

    def _direct(self) -> bool:
        enabled = self.__dict__.get("_lg_direct")
        if enabled is None:
            manager = self.middleware_manager
            enabled = self._lg_direct = (
                _ENABLED
                and (manager is None or not manager.middlewares)
                and self.operation.operation is not graphql.OperationType.SUBSCRIPTION
            )
        return enabled

    def _fields_plan(self, parent_type: GraphQLObjectType, grouped_field_set: dict) -> tuple | None:
        """(response name, field details, _Basic of a leaf or None) per field of a (memoized, so long-lived)
        grouped field set, or None when no field of it is a basic leaf. Built once per execution and set."""
        plans = self.__dict__.get("_lg_plans")
        if plans is None:
            plans = self._lg_plans = {}
        key = (parent_type, id(grouped_field_set))
        entry = plans.get(key)
        if entry is not None and entry[0] is grouped_field_set:
            return entry[1]
        plan = None
        if self._direct():
            entries = []
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                found = None if node.arguments else _plan(self.schema, parent_type, node.name.value)
                leaf = found if isinstance(found, _Basic) and found.leaf else None
                entries.append((response_name, field_details_list, leaf))
            if any(leaf is not None for _, _, leaf in entries):
                plan = tuple(entries)
        plans[key] = (grouped_field_set, plan)  # holds the set: its id stays its own during the execution
        return plan

    def execute_fields(self, parent_type, source_value, path, grouped_field_set, position_context):  # noqa: ANN001, ANN201
        """graphql-core's ``execute_fields``, with basic leaves read and coerced in line (no Path, no call)."""
        plan = self._fields_plan(parent_type, grouped_field_set)
        if plan is None:
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, leaf in plan:
                if leaf is None:
                    result = self.execute_field(parent_type, source_value, field_details_list,
                                                Path(path, response_name, parent_type.name), position_context)
                else:
                    try:
                        value = getattr(source_value, leaf.attr)
                    except Exception as raw_error:  # as execute_field does with a resolver's exception
                        self.handle_field_error(raw_error, leaf.field_def.type, field_details_list,
                                                Path(path, response_name, parent_type.name))
                        results[response_name] = None
                        continue
                    if value is None:
                        if leaf.nullable:
                            results[response_name] = None
                            continue
                    elif type(value) in _PLAIN_TYPES or isinstance(value, enum.Enum):
                        try:
                            coerced = leaf.coerce(value)
                        except Exception:  # noqa: BLE001 - completed again below, which raises it in place
                            coerced = None
                        if coerced is not None and coerced is not Undefined:
                            results[response_name] = coerced
                            continue
                    result = self._complete_resolved(parent_type, leaf.field_def, field_details_list,
                                                     Path(path, response_name, parent_type.name), position_context,
                                                     value)
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                # settle the awaitables other fields created, as they may also fail
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise

        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited_results = await gather_with_cancel(*(results[field] for field in awaitable_fields))
                results.update(zip(awaitable_fields, awaited_results, strict=True))
            return results

        return get_results()

    def execute_field(self, parent_type, source, field_details_list, path, position_context):  # noqa: ANN001, ANN201
        """graphql-core's ``execute_field``; basic fields and resolvers are called without strawberry's wrappers."""
        first_details = field_details_list[0]
        first_node = first_details.node
        found = _plan(self.schema, parent_type, first_node.name.value) if self._direct() else None
        if found is None:
            return super().execute_field(parent_type, source, field_details_list, path, position_context)
        if isinstance(found, _Basic):
            if first_node.arguments:
                return super().execute_field(parent_type, source, field_details_list, path, position_context)
            try:
                result = getattr(source, found.attr)
            except Exception as raw_error:  # as execute_field does with a resolver's exception
                self.handle_field_error(raw_error, found.field_def.type, field_details_list, path)
                return None
            return self._complete_resolved(parent_type, found.field_def, field_details_list, path,
                                           position_context, result)
        field_def = found.field_def
        info = self.build_resolve_info(field_def, [d.node for d in field_details_list], parent_type, path)
        try:
            kwargs = self._resolver_kwargs(found, first_details, field_def, info)
            if isinstance(kwargs, Exception):  # an async resolver's wrapper would raise it when awaited
                result = _raise(kwargs)
            else:
                strawberry_info = found.info_class(_raw_info=info, _field=found.field)
                if found.info_name is not None:
                    kwargs[found.info_name] = strawberry_info
                result = found.field.get_result(source, info=strawberry_info, args=[source] if found.pass_self else [],
                                                kwargs=kwargs)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field_def.type, field_details_list, path)
            return None
        return self._complete_info(field_def, field_details_list, info, path, position_context, result)

    def complete_list_item_value(self, item, complete_results, item_type, field_details_list, info, item_path,  # noqa: ANN001, ANN201, PLR0913
                                 position_context):
        """graphql-core's ``complete_list_item_value``; an object item (the nodes of a page) goes straight to its
        fields instead of through ``complete_value``'s type dispatch."""
        object_type = _object_item_type(item_type)
        if object_type is None or item is None or isinstance(item, Exception) or not self._direct():
            return super().complete_list_item_value(item, complete_results, item_type, field_details_list, info,
                                                    item_path, position_context)
        is_type_of = object_type.is_type_of
        if is_type_of is not None:
            try:
                matches = is_type_of(item, info)
            except Exception:  # noqa: BLE001 - the long way raises it where it belongs
                matches = None
            if matches is not True:  # False, an awaitable, an error: the long way
                return super().complete_list_item_value(item, complete_results, item_type, field_details_list,
                                                        info, item_path, position_context)
        try:
            grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(object_type, field_details_list)
            completed = self.execute_collected_subfields(object_type, item, item_path, grouped_field_set,
                                                         new_defer_usages, position_context)
            if self.is_awaitable(completed):

                async def await_completed() -> Any:
                    try:
                        return await completed
                    except Exception as raw_error:
                        self.handle_field_error(raw_error, item_type, field_details_list, item_path)
                        return None

                complete_results.append(await_completed())
                return True
            complete_results.append(completed)
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, field_details_list, item_path)
            complete_results.append(None)
        return False

    def complete_list_value(self, return_type, field_details_list, info, path, result, position_context):  # noqa: ANN001, ANN201, PLR0913
        """graphql-core's ``complete_list_value``; a list of objects whose selection is plain rows (``_Rows``) is
        built in one loop."""
        if type(result) is list and result and position_context is None and not isinstance(path.key, int):
            rows = self._rows_plan(return_type.of_type, field_details_list)
            if rows is not None:
                built = _build_rows(rows, result, info)
                if built is not None:
                    return built
        return super().complete_list_value(return_type, field_details_list, info, path, result, position_context)

    def _rows_plan(self, item_type: Any, field_details_list: Any) -> _Rows | None:
        """The ``_Rows`` of this list field's items, or None (memoized per execution and field)."""
        cache = self.__dict__.get("_lg_rows")
        if cache is None:
            cache = self._lg_rows = {}
        key = id(field_details_list)
        entry = cache.get(key)
        if entry is not None and entry[0] is field_details_list:
            return entry[1]
        rows = self._make_rows_plan(item_type, field_details_list)
        cache[key] = (field_details_list, rows)  # holds the list: its id stays its own during the execution
        return rows

    def _make_rows_plan(self, item_type: Any, field_details_list: Any) -> _Rows | None:
        object_type = _object_item_type(item_type)
        if object_type is None or not is_non_null_type(item_type) or not self._direct():
            return None
        if any(d.node.directives for d in field_details_list):
            return None  # @stream (or @skip/@include(if: true) on the list field): the usual way
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        columns = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            if any(d.fragment_variable_values is not None for d in details):
                return None
            name = node.name.value
            if name == "__typename":
                columns.append(_Column(_TYPENAME, response_name, "", False, None, None, object_type.name, (),
                                       False, None))
                continue
            if node.arguments:
                return None
            found = _plan(self.schema, object_type, name)
            if isinstance(found, _Basic) and found.leaf:
                columns.append(_leaf_column(_LEAF, response_name, found))
                continue
            column = self._reference_column(object_type, response_name, details, found)
            if column is None:
                return None
            columns.append(column)
        return _Rows(tuple(columns), object_type.is_type_of)

    def _reference_column(self, parent_type: GraphQLObjectType, response_name: str, details: Any,
                          found: Any) -> _Column | None:
        """A reference answered from its foreign key, as its resolver answers it (``to_one(...,
        same_project=True)``: ``id``/``__typename`` only selected), or None."""
        if not isinstance(found, _Resolver) or found.is_async:
            return None
        reference = getattr(found.field.base_resolver.wrapped_func, "answered_from_key", None)
        if reference is None:
            return None
        fk, id_only, child_class = reference
        return_type = found.field_def.type
        nullable = not is_non_null_type(return_type)
        child_type = return_type if nullable else return_type.of_type
        if not is_object_type(child_type) or not _accepts_stub(child_type, child_class):
            return None
        if not id_only([d.node for d in details]):
            return None
        grouped, defers, _forbidden = self.collect_subfields(child_type, details)
        if defers:
            return None
        sub = []
        id_basic = None
        for sub_name, sub_details in grouped.items():
            name = sub_details[0].node.name.value
            if name == "__typename":
                sub.append((sub_name, True))
                continue
            basic = _plan(self.schema, child_type, name)  # "id"
            if not isinstance(basic, _Basic) or not basic.leaf or basic.nullable or basic.attr != "id":
                return None
            id_basic = basic
            sub.append((sub_name, False))
        if id_basic is None and not sub:
            return None
        id_inner = id_basic.field_def.type.of_type if id_basic is not None else None
        return _Column(_REFERENCE, response_name, fk, nullable, None, None, child_type.name, tuple(sub),
                       _AS_IS.get(id_inner) is str, id_basic.coerce if id_basic is not None else None)

    def _resolver_kwargs(self, found: _Resolver, first_details: Any, field_def: GraphQLField, info: Any) -> Any:
        """The resolver's converted arguments (a new dict), as strawberry's wrapper computes them; for an async
        resolver a conversion error is returned (strawberry raises it when the resolver is awaited)."""
        node = first_details.node
        cacheable = first_details.fragment_variable_values is None
        cache = self.__dict__.get("_lg_arguments")
        if cache is None:
            cache = self._lg_arguments = {}
        cache_key = (id(node), id(found))
        if cacheable:
            entry = cache.get(cache_key)
            if entry is not None and entry[0] is node:
                return dict(entry[1])
        raw = (
            get_argument_values(field_def, node, self.variable_values, first_details.fragment_variable_values,
                                self.hide_suggestions)
            if field_def.args or node.arguments
            else {}
        )
        try:
            kwargs = convert_arguments(raw, found.field.arguments, scalar_registry=found.scalar_registry,
                                       config=found.config,
                                       info=found.info_class(_raw_info=info, _field=found.field))
        except Exception as exc:
            if found.is_async:
                return exc
            raise
        if cacheable and all(type(v) in _IMMUTABLE_TYPES or isinstance(v, enum.Enum) for v in kwargs.values()):
            cache[cache_key] = (node, dict(kwargs))  # holds the node: its id stays its own (plans live forever)
        return kwargs

    def _complete_resolved(self, parent_type, field_def, field_details_list, path, position_context, result):  # noqa: ANN001, ANN202
        info = self.build_resolve_info(field_def, [d.node for d in field_details_list], parent_type, path)
        return self._complete_info(field_def, field_details_list, info, path, position_context, result)

    def _complete_info(self, field_def, field_details_list, info, path, position_context, result):  # noqa: ANN001, ANN202
        """graphql-core's ``execute_field`` from the resolver's result on."""
        return_type = field_def.type
        try:
            if self.is_awaitable(result):
                return self.complete_awaitable_value(return_type, field_details_list, info, path, result,
                                                     position_context)
            completed = self.complete_value(return_type, field_details_list, info, path, result, position_context)
            if self.is_awaitable(completed):

                async def await_completed() -> Any:
                    try:
                        return await completed
                    except Exception as raw_error:
                        self.handle_field_error(raw_error, return_type, field_details_list, path)
                        return None

                return await_completed()
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed


def _accepts_stub(child_type: GraphQLObjectType, child_class: type) -> bool:
    """Whether the child type accepts the stub the reference's resolver returns (an instance of the child's class
    holding its id; strawberry's ``is_type_of`` is an ``isinstance`` check)."""
    if child_type.is_type_of is None:
        return True
    stub = object.__new__(child_class)
    stub.__dict__["id"] = "x"
    try:
        return child_type.is_type_of(stub, None) is True
    except Exception:  # noqa: BLE001 - then the usual way
        return False


def _build_rows(rows: _Rows, items: list[Any], info: Any) -> list[dict[str, Any]] | None:
    """Each item's response object (``_Rows``), or None when one item does not fit: then the list goes the usual
    way, which reports it exactly."""
    columns = rows.columns
    is_type_of = rows.is_type_of
    out: list[dict[str, Any]] = []
    append = out.append
    last: tuple[Any, Any, Any] = (None, None, None)  # a bulk create's rows share their timestamps: coerced once
    for item in items:
        if item is None:
            return None
        if is_type_of is not None:
            try:
                if is_type_of(item, info) is not True:
                    return None
            except Exception:  # noqa: BLE001 - the usual way raises it where it belongs
                return None
        obj: dict[str, Any] = {}
        for column in columns:
            kind = column.kind
            if kind == _LEAF:
                try:
                    value = getattr(item, column.attr)
                except Exception:  # noqa: BLE001 - the usual way reports it at its path
                    return None
                if value is None:
                    if not column.nullable:
                        return None
                    obj[column.response_name] = None
                    continue
                value_type = type(value)
                if value_type is column.as_is:
                    obj[column.response_name] = value
                    continue
                if value is last[0] and column.coerce is last[1]:
                    obj[column.response_name] = last[2]
                    continue
                if value_type not in _PLAIN_TYPES and not isinstance(value, enum.Enum):
                    return None
                try:
                    coerced = column.coerce(value)
                except Exception:  # noqa: BLE001 - the usual way reports it at its path
                    return None
                if coerced is None or coerced is Undefined:
                    return None
                if value_type is datetime:  # immutable: the same object coerces the same
                    last = (value, column.coerce, coerced)
                obj[column.response_name] = coerced
            elif kind == _TYPENAME:
                obj[column.response_name] = column.name
            else:
                try:
                    key = getattr(item, column.attr)
                except Exception:  # noqa: BLE001
                    return None
                if key is None:
                    if not column.nullable:
                        return None
                    obj[column.response_name] = None
                    continue
                if column.id_coerce is not None and not (column.id_as_is and type(key) is str):
                    return None
                obj[column.response_name] = {name: column.name if typename else key for name, typename in column.sub}
        append(obj)
    return out
