"""Cheap conversion of flat input types that arrive by the thousand (``itemsCreate``, ``annotationsCreate``).

strawberry converts an argument value field by field (``convert_argument``: the type dispatched, the GraphQL
name computed, per field and per object): about a third of a 1,000-annotation ``annotationsCreate``. graphql-core
has already coerced and validated the value (scalars parsed, enums checked, non-null fields present, published
defaults filled in), so for an input type whose fields are all scalars or enums, the only work left is renaming
the keys and turning enum values into their Python members. ``fast_input`` installs strawberry's ``from_input``
hook doing exactly that: the same instance, with the same attribute values, as the generic conversion builds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryOptional, has_object_definition
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

T = TypeVar("T")

_Plan = tuple[tuple[str, str, Any, Callable[[Any], Any] | None], ...]


def _leaf_converter(type_: Any, scalar_registry: Mapping[object, Any]) -> tuple[bool, Callable[[Any], Any] | None]:
    """(supported, converter) as ``convert_argument`` treats a field of this type: scalars (and enum definitions,
    whose values graphql-core already parsed) as they come; an enum class through its definition; anything else
    (lists, input objects, lazy types) is not supported here."""
    while isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    if isinstance(type_, StrawberryEnumDefinition) or is_scalar(type_, scalar_registry):
        return True, None
    if has_enum_definition(type_):
        return _leaf_converter(type_.__strawberry_definition__, scalar_registry)
    return False, None


def fast_input(cls: type[T]) -> type[T]:
    """Give the strawberry input ``cls`` (scalar and enum fields only) a ``from_input`` that skips the generic
    per-field conversion; types with other fields keep the generic one (checked at first use)."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    plans: dict[int, _Plan | None] = {}
    generic = definition.from_input  # None: strawberry's own conversion

    def plan_for(ctx: InputContext) -> _Plan | None:
        plan: list[tuple[str, str, Any, Callable[[Any], Any] | None]] = []
        for field in definition.fields:
            ok, convert = _leaf_converter(field.type, ctx.scalar_registry)
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
        key = id(ctx.config)
        if key not in plans:
            plans[key] = plan_for(ctx)
        plan = plans[key]
        if plan is None or type_ is not cls:
            return _generic(type_, value, ctx)
        obj = object.__new__(cls)
        attrs = obj.__dict__
        get = value.get
        for graphql_name, python_name, default, convert in plan:
            v = get(graphql_name, default)
            attrs[python_name] = convert(v) if convert is not None and v is not None else v
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
    return cls
