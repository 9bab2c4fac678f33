"""Variable coercion compiled once per input type: graphql-core's result, in a fraction of its time.

graphql-core coerces a request's variables value by value (``coerce_input_value``: the kind of the type asked
again for every value, ``is_required_input_field`` and ``coerce_default_value`` per field of every object) after
one more walk of the whole value for its nesting guard (``input_is_nested_too_deeply``). For a 1,000-row
``annotationsCreate`` that is 9,000 recursive calls, about a tenth of the request's CPU. Here each input type
(its wrappers included) gets a coercer built once from the schema: the fields of an input object with their
coercers, required flags and defaults, the wrappers unrolled, and values that the built-in ``String``, ``ID``
and ``Boolean`` take as they are passed as they are.

The result is exactly graphql-core's, by construction: every step is the one ``coerce_input_value`` takes, and
whatever is not the plain case (a value that is not a ``dict``/``list`` of JSON, a ``@oneOf`` or a recursive
input type, a type nesting deeper than graphql-core's guard) is handed to graphql-core's own functions. When a
value does not coerce (any error at all) or a variable is missing, the whole operation's variables go through
graphql-core's ``get_variable_values``, so errors, their messages and their order are graphql-core's own.
Types whose nesting is bounded by ``MAX_NESTING_DEPTH`` skip the guard's walk: it cannot fire for them.
tests/data/test_variable_coercion.py checks the equality on the schema's input types with random valid and invalid
values.
"""

from __future__ import annotations

import enum
import weakref
from collections.abc import Callable, Collection
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    VariableDefinitionNode,
)
from graphql.execution import values as graphql_values
from graphql.execution.get_variable_signature import get_variable_signature
from graphql.execution.values import VariableValues, VariableValueSource, input_is_nested_too_deeply
from graphql.language.parser import MAX_NESTING_DEPTH
from graphql.type.definition import is_required_input_field
from graphql.type.scalars import coerce_boolean, coerce_id, coerce_string
from graphql.utilities.coerce_input_value import coerce_default_value, coerce_input_value

Coercer = Callable[[Any], Any]

_graphql_core_variable_values = graphql_values.get_variable_values
_UNBOUNDED = MAX_NESTING_DEPTH + 1


class _Unsupported(Exception):
    """A type left to graphql-core (recursive, or ``@oneOf``)."""


def _passthrough_type(type_: GraphQLInputType) -> type | None:
    """The Python type of the values the built-in scalar ``type_`` (or its non-null) returns unchanged."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLScalarType):
        coerce = type_.coerce_input_value
        if coerce is coerce_string or coerce is coerce_id:
            return str  # isinstance(value, str): the value itself
        if coerce is coerce_boolean:
            return bool
    return None


class _Compiler:
    """Coercers of one schema's input types, keyed by the type's wrappers and named type."""

    def __init__(self) -> None:
        self.coercers: dict[tuple, tuple[GraphQLInputType, Coercer | None]] = {}
        self.objects: dict[str, tuple[Coercer, int] | None] = {}  # name -> (coercer, depth); None: unsupported
        self.building: set[str] = set()

    def coercer(self, type_: GraphQLInputType) -> Coercer | None:
        """The compiled coercer of ``type_``, or None when graphql-core's own is used for it."""
        key = _key(type_)
        found = self.coercers.get(key)
        if found is None:
            try:
                coerce, depth = self._build(type_)
            except _Unsupported:
                coerce, depth = None, _UNBOUNDED
            if depth > MAX_NESTING_DEPTH:
                coerce = None  # graphql-core's guard could refuse such a value: its path measures it
            found = self.coercers[key] = (type_, coerce)
        return found[1]

    def _build(self, type_: GraphQLInputType) -> tuple[Coercer, int]:
        """(coercer, deepest nesting the guard would count) for ``type_``, nullable or not."""
        if isinstance(type_, GraphQLNonNull):
            inner, depth = self._build_nullable(type_.of_type)

            def non_null(value: Any, inner: Coercer = inner) -> Any:
                if value is None or value is Undefined:
                    return Undefined
                return inner(value)

            return non_null, depth
        inner, depth = self._build_nullable(type_)

        def nullable(value: Any, inner: Coercer = inner) -> Any:
            if value is None or value is Undefined:
                return None
            return inner(value)

        return nullable, depth

    def _build_nullable(self, type_: GraphQLInputType) -> tuple[Coercer, int]:
        """The coercer of a value of ``type_`` that is neither None nor Undefined."""
        if isinstance(type_, GraphQLList):
            return self._build_list(type_)
        if isinstance(type_, GraphQLInputObjectType):
            return self._build_object(type_)
        if isinstance(type_, GraphQLEnumType):
            return self._build_enum(type_), 0
        if isinstance(type_, GraphQLScalarType):
            coerce_leaf = type_.coerce_input_value

            def leaf(value: Any) -> Any:
                try:
                    return coerce_leaf(value)
                except Exception:  # noqa: BLE001 - as graphql-core: the value does not coerce
                    return Undefined

            return leaf, 0
        raise _Unsupported(type_)

    @staticmethod
    def _build_enum(type_: GraphQLEnumType) -> Coercer:
        """An enum's coercer: a name's value is remembered when it is an ``Enum`` member (strawberry's enums:
        the member for the name, always the same object), so it is looked up once, not made again per value."""
        coerce_leaf = type_.coerce_input_value
        members: dict[str, enum.Enum] = {}

        def coerce_enum(value: Any) -> Any:
            if type(value) is str:
                member = members.get(value)
                if member is not None:
                    return member
            try:
                result = coerce_leaf(value)
            except Exception:  # noqa: BLE001 - as graphql-core: the value does not coerce
                return Undefined
            if type(value) is str and isinstance(result, enum.Enum):
                members[value] = result
            return result

        return coerce_enum

    def _build_list(self, list_type: GraphQLList) -> tuple[Coercer, int]:
        item_type = list_type.of_type
        coerce_item, depth = self._build(item_type)
        passthrough = _passthrough_type(item_type)

        def coerce_list(value: Any) -> Any:
            kind = type(value)
            if kind is list:
                coerced: list[Any] = []
                append = coerced.append
                for item in value:
                    if type(item) is passthrough:
                        append(item)
                        continue
                    item = coerce_item(item)
                    if item is Undefined:
                        return Undefined
                    append(item)
                return coerced
            if kind is str or kind is dict or kind is int or kind is float or kind is bool:
                item = coerce_item(value)  # not iterable: a list of one
                return Undefined if item is Undefined else [item]
            return coerce_input_value(value, list_type)  # tuples, iterators, other objects: graphql-core's way

        return coerce_list, depth + 1

    def _build_object(self, type_: GraphQLInputObjectType) -> tuple[Coercer, int]:
        name = type_.name
        if name in self.objects:
            found = self.objects[name]
            if found is None:
                raise _Unsupported(type_)
            return found
        if name in self.building or type_.is_one_of:
            raise _Unsupported(type_)  # recursive (filters) or @oneOf: graphql-core's own coercion
        self.building.add(name)
        try:
            plan, depth = [], 0
            for field_name, field in type_.fields.items():
                coerce_field, field_depth = self._build(field.type)
                depth = max(depth, field_depth + 1)
                if field.default is None:  # coerce_default_value returns the internal default as it is
                    default, lazy = field.default_value, False
                else:  # an external default: coerced once by graphql-core, memoized on the field
                    default, lazy = field, True
                plan.append((field_name, field.out_name or field_name, _passthrough_type(field.type),
                             coerce_field, is_required_input_field(field), default, lazy))
        except _Unsupported:
            self.objects[name] = None
            raise
        finally:
            self.building.discard(name)
        fields = type_.fields
        out_type = None if type_.out_type is GraphQLInputObjectType.out_type else type_.out_type
        steps = tuple(plan)

        def coerce_object(value: Any) -> Any:
            if type(value) is not dict:
                return coerce_input_value(value, type_)  # not a plain dict: graphql-core's way
            for key in value:
                if key not in fields and value[key] is not Undefined:
                    return Undefined  # a field the type does not have
            coerced: dict[str, Any] = {}
            get = value.get
            for field_name, out_name, passthrough, coerce_field, required, default, lazy in steps:
                field_value = get(field_name, Undefined)
                if field_value is Undefined:
                    if required:
                        return Undefined
                    if lazy:
                        default = coerce_default_value(default)
                    if default is not Undefined:
                        coerced[out_name] = default
                elif type(field_value) is passthrough:
                    coerced[out_name] = field_value
                else:
                    field_value = coerce_field(field_value)
                    if field_value is Undefined:
                        return Undefined
                    coerced[out_name] = field_value
            return coerced if out_type is None else out_type(coerced)

        self.objects[name] = (coerce_object, depth)
        return coerce_object, depth


def _key(type_: GraphQLInputType) -> tuple:
    wrappers = []
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        wrappers.append(type(type_))
        type_ = type_.of_type
    return (*wrappers, id(type_))


_compilers: weakref.WeakKeyDictionary[GraphQLSchema, _Compiler] = weakref.WeakKeyDictionary()  # per schema


def _compiler_of(schema: GraphQLSchema) -> _Compiler:
    found = _compilers.get(schema)
    if found is None:
        found = _compilers[schema] = _Compiler()
    return found


def _coerce(schema: GraphQLSchema, var_def_nodes: Collection[VariableDefinitionNode],
            inputs: dict[str, Any]) -> VariableValues | None:
    """graphql-core's ``coerce_variable_values`` when every variable coerces; None on the first problem."""
    compiler = _compiler_of(schema)
    sources: dict[str, VariableValueSource] = {}
    coerced: dict[str, Any] = {}
    for var_def_node in var_def_nodes:
        signature = get_variable_signature(schema, var_def_node)
        if isinstance(signature, GraphQLError):
            return None
        name, type_ = signature.name, signature.type
        value = inputs.get(name, Undefined)
        if value is Undefined:
            if var_def_node.default_value or isinstance(type_, GraphQLNonNull):
                return None  # a default to coerce, or a missing value to report: graphql-core's way
            sources[name] = VariableValueSource(signature)
            continue  # a nullable variable not provided is omitted
        sources[name] = VariableValueSource(signature, value)
        coerce = compiler.coercer(type_)
        if coerce is None:
            if input_is_nested_too_deeply(value, type_):
                return None
            result = coerce_input_value(value, type_)
        else:
            result = coerce(value)
        if result is Undefined:
            return None
        coerced[name] = result
    return VariableValues(sources, coerced)


def get_variable_values(schema: GraphQLSchema, var_def_nodes: Collection[VariableDefinitionNode],
                        inputs: dict[str, Any], max_errors: int | None = None,
                        hide_suggestions: bool = False) -> Any:
    """graphql-core's ``get_variable_values``, with the compiled coercers when every variable coerces (the
    result is the same); otherwise graphql-core's own, which reports the errors."""
    try:
        fast = _coerce(schema, var_def_nodes, inputs)
    except RecursionError:
        fast = None
    if fast is not None:
        return fast
    return _graphql_core_variable_values(schema, var_def_nodes, inputs, max_errors, hide_suggestions)


def install() -> None:
    """Make graphql-core's executor coerce variables here (it calls ``get_variable_values`` by its module name
    when it builds an execution context: the only place it coerces a request's variables)."""
    from graphql.execution import executor

    current = executor.get_variable_values
    if current is get_variable_values:
        return
    if current is not _graphql_core_variable_values:  # a graphql-core upgrade moved it: find the new place
        raise RuntimeError("graphql.execution.executor.get_variable_values is not graphql-core's own")
    executor.get_variable_values = get_variable_values
