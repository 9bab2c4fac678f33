"""Cheap conversion of flat input types that arrive by the thousand (``itemsCreate``, ``annotationsCreate``).

strawberry converts an argument value field by field (``convert_argument``: the type dispatched, the GraphQL
name computed, per field and per object): about a third of a 1,000-annotation ``annotationsCreate``. graphql-core
has already coerced and validated the value (scalars parsed, enums checked, non-null fields present, published
defaults filled in), so for an input type whose fields are all scalars, enums or lists of such fast inputs, the
only work left is renaming the keys, turning enum values into their Python members and building the listed
inputs. ``fast_input`` installs strawberry's ``from_input`` hook doing exactly that: the same instance, with the
same attribute values, as the generic conversion builds (a list of inputs: a new list of the instances that
``convert_argument`` would build for each element, itself through the element type's hook).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from strawberry import UNSET
from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

T = TypeVar("T")

_Converter = Callable[[Any, InputContext], Any]
_Plan = tuple[tuple[str, str, Any, _Converter | None], ...]
# fast_input class -> (its build, its plan for a context: None when it has none, so its hook goes the generic way)
_FAST: dict[type, tuple[Callable[[Mapping[str, Any], InputContext], Any], Callable[[InputContext], Any]]] = {}


def _leaf_converter(type_: Any, ctx: InputContext) -> tuple[bool, _Converter | None]:
    """(supported, converter) as ``convert_argument`` treats a field of this type: scalars (and enum definitions,
    whose values graphql-core already parsed) as they come; an enum class through its definition; a list of
    (non-null) ``fast_input`` objects as a new list of their instances; anything else (other lists, other input
    objects, lazy types) is not supported here."""
    while isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    if isinstance(type_, StrawberryEnumDefinition) or is_scalar(type_, ctx.scalar_registry):
        return True, None
    if has_enum_definition(type_):
        return _leaf_converter(type_.__strawberry_definition__, ctx)
    if isinstance(type_, StrawberryList) and isinstance(type_.of_type, type) and type_.of_type in _FAST:
        _, plan_of = _FAST[type_.of_type]
        if plan_of(ctx) is not None:  # its elements are built by its plan, which needs no path
            return True, _list_of(type_.of_type)
    return False, None


def _list_of(cls: type) -> _Converter:
    def convert(value: Any, ctx: InputContext) -> Any:
        if value is UNSET:
            return UNSET
        build = _FAST[cls][0]
        return [None if item is None else build(item, ctx) for item in value]

    return convert


def fast_input(cls: type[T]) -> type[T]:
    """Give the strawberry input ``cls`` (scalar, enum and list-of-``fast_input`` fields only) a ``from_input``
    that skips the generic per-field conversion; types with other fields keep the generic one (checked at first
    use)."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    plans: dict[int, _Plan | None] = {}
    generic = definition.from_input  # None: strawberry's own conversion

    def plan_for(ctx: InputContext) -> _Plan | None:
        plan: list[tuple[str, str, Any, _Converter | None]] = []
        for field in definition.fields:
            ok, convert = _leaf_converter(field.type, ctx)
            if not ok:
                return None
            if field.default is not dataclasses.MISSING:
                default = field.default
            elif field.default_factory is not dataclasses.MISSING:
                return None
            else:
                default = None
            plan.append((ctx.config.name_converter.from_field(field), field.python_name, default, convert))
        return tuple(plan)

    def from_input(type_: type, value: Mapping[str, Any], ctx: InputContext) -> Any:
        if type_ is not cls:
            return _generic(type_, value, ctx)
        return build(value, ctx)

    def plan_of(ctx: InputContext) -> _Plan | None:
        key = id(ctx.config)
        if key not in plans:
            plans[key] = plan_for(ctx)
        return plans[key]

    def build(value: Mapping[str, Any], ctx: InputContext) -> Any:
        plan = plan_of(ctx)
        if plan is None:
            return _generic(cls, value, ctx)
        obj = object.__new__(cls)
        attrs = obj.__dict__
        get = value.get
        for graphql_name, python_name, default, convert in plan:
            v = get(graphql_name, default)
            attrs[python_name] = convert(v, ctx) if convert is not None and v is not None else v
        return obj

    def _generic(type_: type, value: Mapping[str, Any], ctx: InputContext) -> Any:
        if generic is not None:
            return generic(type_, value, ctx)
        from strawberry.types.arguments import convert_argument

        definition.from_input = None
        try:
            return convert_argument(value, type_, ctx.scalar_registry, ctx.config, ctx.info, path=ctx.path)
        finally:
            definition.from_input = from_input

    assert has_object_definition(cls) and definition.is_input, cls
    definition.from_input = from_input
    _FAST[cls] = (build, plan_of)
    return cls
