"""The compiled variable coercion (graph/variables.py) against graphql-core's own, on every input type of the
real schema: random valid and invalid values give the same coerced values (same types, same key order) or the
same errors (graphql-core's, word for word), and the nesting guard still refuses what graphql-core refuses."""

from __future__ import annotations

import enum
import os
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    parse,
)
from graphql.execution import executor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labelgraph.graph import variables
from labelgraph.schema import schema

pytestmark = pytest.mark.database_agnostic("variable coercion runs before any database access")

SCHEMA = schema._schema
EXAMPLES = int(os.environ.get("LABELGRAPH_PROPERTY_EXAMPLES", "150")) * 2
INPUT_TYPES = sorted(name for name, t in SCHEMA.type_map.items()
                     if isinstance(t, GraphQLInputObjectType) and not name.startswith("__"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4) | st.sampled_from([2**70, float("inf"), "\x00", "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6)
junk = (st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=4)
        | st.lists(st.integers(0, 3), max_size=2) | st.dictionaries(st.sampled_from(["a", "id", "name"]),
                                                                    st.integers(0, 3), max_size=2))
SCALARS = {
    "String": st.text(max_size=6),
    "ID": st.text(max_size=6) | st.integers(-5, 5),
    "Boolean": st.booleans(),
    "Int": st.integers(-(2**31), 2**31 - 1) | st.integers(-(2**33), 2**33),
    "Float": st.floats(allow_nan=False, allow_infinity=False) | st.floats() | st.integers(-9, 9),
    "Long": st.integers(-(2**63), 2**63 - 1) | st.integers(-(2**64), 2**64) | st.floats(-1e17, 1e17),
    "DateTime": st.sampled_from(["2026-11-23T10:15:00Z", "2026-11-23T10:15:00.5+01:00", "2026-11-23", 1.5e12,
                                 1_700_000_000_000, "yesterday", 10**20]),
    "JSON": json_values,
    "Upload": st.none(),
}


def mostly(good: st.SearchStrategy, *bad: st.SearchStrategy) -> st.SearchStrategy:
    """``good`` 15 times in 16, else one of ``bad`` (``one_of`` would pick each branch alike)."""
    return st.integers(0, 15 * len(bad)).flatmap(lambda i: bad[i - 15 * len(bad)] if i >= 15 * len(bad) else good)


def value_of(type_: Any, depth: int) -> st.SearchStrategy:
    """Mostly well-formed values of ``type_`` (wrappers included), sometimes anything at all."""
    if isinstance(type_, GraphQLNonNull):
        inner = value_of(type_.of_type, depth)
        return mostly(inner, st.none()) if depth else inner
    if isinstance(type_, GraphQLList):
        item = value_of(type_.of_type, depth - 1)
        return mostly(st.lists(item, max_size=3), item, junk)
    good: st.SearchStrategy
    if isinstance(type_, GraphQLInputObjectType):
        if depth <= 0:
            return junk
        required, optional = {}, {}
        for name, field in type_.fields.items():
            target = required if isinstance(field.type, GraphQLNonNull) and field.default is None else optional
            target[name] = value_of(field.type, depth - 1)
        good = st.fixed_dictionaries(required, optional=optional)
        bad = [st.builds(lambda d, k, v: {**d, k: v}, good, st.sampled_from(["unknown", "id", "x"]), junk)]
        if required:  # one required field left out
            bad.append(st.builds(lambda d, k: {n: v for n, v in d.items() if n != k}, good,
                                 st.sampled_from(sorted(required))))
        good = mostly(good, *bad)
    elif isinstance(type_, GraphQLEnumType):
        good = mostly(st.sampled_from(sorted(type_.values)), st.sampled_from(["", "box", "NOPE"]))
    else:
        assert isinstance(type_, GraphQLScalarType)
        good = SCALARS[type_.name]
    return mostly(good, st.none(), junk) if depth else good


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, dicts with their keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b  # NaN
    if isinstance(a, enum.Enum | str | int | float | bool | type(None)) or a is Undefined:
        return a == b
    return vars(a) == vars(b) if hasattr(a, "__dict__") else a == b


def compare(type_sdl: str, inputs: dict[str, Any]) -> bool:
    """Both coercions of ``$v: type_sdl`` (and a second, nullable variable); True when the compiled path
    answered (no fallback)."""
    definitions = parse(f"query Q($v: {type_sdl}, $w: String) {{ __typename }}").definitions[0].variable_definitions
    ours = variables.get_variable_values(SCHEMA, definitions, inputs)
    theirs = variables._graphql_core_variable_values(SCHEMA, definitions, inputs)
    if isinstance(theirs, list):
        assert isinstance(ours, list), (type_sdl, inputs, ours)
        assert [(e.message, e.extensions) for e in ours] == [(e.message, e.extensions) for e in theirs]
        assert variables._coerce(SCHEMA, definitions, inputs) is None  # the compiled path accepted nothing
        return False
    assert not isinstance(ours, list), (type_sdl, inputs, ours)
    assert same(ours.coerced, theirs.coerced), (type_sdl, inputs, ours.coerced, theirs.coerced)
    assert list(ours.sources) == list(theirs.sources)
    for name, source in ours.sources.items():
        assert source.value is theirs.sources[name].value
        assert str(source.signature.type) == str(theirs.sources[name].signature.type)
    return variables._coerce(SCHEMA, definitions, inputs) is not None


def test_the_executor_uses_the_compiled_coercion():
    assert executor.get_variable_values is variables.get_variable_values


def test_compiled_coercion_equals_graphql_core_on_every_input_type():
    counts = {"total": 0, "coerced": 0, "compiled": 0}

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(INPUT_TYPES))
        wrapped = data.draw(st.sampled_from(["{}", "{}!", "[{}!]", "[{}]!"])).format(name)
        definitions = parse(f"query Q($v: {wrapped}) {{ __typename }}").definitions[0].variable_definitions
        type_ = variables.get_variable_signature(SCHEMA, definitions[0]).type
        value = data.draw(value_of(type_, 4))
        inputs = data.draw(mostly(st.just({"v": value}), st.just({"v": value, "w": "x"}), st.just({}),
                                  st.just({"v": None, "w": 1})))
        coerced = compare(wrapped, inputs)
        counts["total"] += 1
        counts["coerced"] += coerced
        counts["compiled"] += coerced and "v" in inputs and variables._compiler_of(SCHEMA).coercer(type_) is not None

    check()
    # not vacuous: many values coerce through compiled coercers, many are refused
    assert counts["compiled"] > counts["total"] * 0.4, counts
    assert counts["total"] - counts["coerced"] > counts["total"] * 0.1, counts


@pytest.mark.parametrize("count", [1, 3, 1000])
def test_bulk_inputs_coerce_alike(count):
    annotations = [{"itemId": f"itm_{i}", "type": ["BOX", "POINT", "CLASSIFICATION"][i % 3], "label": f"l{i % 7}",
                    "coordinates": [{"x": i, "y": 2.5}], "automated": i % 2 == 0, "metadata": {"k": [i]}}
                   for i in range(count)]
    assert compare("AnnotationsCreateInput!", {"v": {"annotations": annotations}})
    items = [{"name": f"{i}.jpg", "dir": "/a", "metadata": {"score": i}, "hidden": False, "size": 2**40}
             for i in range(count)]
    assert compare("ItemsCreateInput!", {"v": {"datasetId": "ds_1", "items": items}})
    bad = [*annotations[:-1], {**annotations[-1], "type": "NOPE"}]
    assert not compare("AnnotationsCreateInput!", {"v": {"annotations": bad}})  # graphql-core's error, not ours


def test_too_deep_variables_are_still_refused():
    """A recursive input type (a filter's ``not`` and ``and``) nested past graphql-core's guard (200 levels of
    fields and lists): the same refusal; a value within it still coerces, the same way."""
    definitions = parse("query Q($v: ItemFilter) { __typename }").definitions[0].variable_definitions
    for key, wrap, levels_per_step in (("not", lambda v: v, 1), ("and", lambda v: [v], 2)):
        for steps in (90, 150, 250):
            value: Any = {"hidden": False}
            for _ in range(steps):
                value = {key: wrap(value)}
            found = variables.get_variable_values(SCHEMA, definitions, {"v": value})
            too_deep = steps * levels_per_step > 200
            if too_deep:
                assert isinstance(found, list)
                assert [e.message for e in found] == ["Variable values are nested too deeply."]
            else:
                assert not isinstance(found, list)
            assert compare("ItemFilter", {"v": value}) is not too_deep
