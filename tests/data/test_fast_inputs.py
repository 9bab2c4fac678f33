"""graph/inputs.fast_input: the bulk inputs (itemsCreate, annotationsCreate, annotationsUpdate) are built from
graphql-core's coerced value without strawberry's per-field conversion, into the very instance the generic
conversion builds (same class, same attribute values: defaults, nulls, enums)."""

from __future__ import annotations

import pytest
from graphql.utilities import coerce_input_value
from strawberry.types.arguments import convert_argument

from labelgraph.data.inputs import AnnotationCreateInput, AnnotationUpdateInput, ItemCreateInput
from labelgraph.schema import schema

CASES = [
    (AnnotationCreateInput, {"itemId": "itm_1", "type": "BOX", "label": "car", "coordinates": [{"x": 1, "y": 2}],
                             "attributes": {"a": [1, "b"]}, "frame": 3, "automated": True, "metadata": {"k": None}}),
    (AnnotationCreateInput, {"itemId": "itm_1", "type": "POLYGON", "label": "car", "parentId": None,
                             "automated": None}),
    (ItemCreateInput, {"name": "a.jpg", "metadata": {"a": 1}, "size": 10}),
    (ItemCreateInput, {"name": "a.jpg", "dir": None, "hidden": None, "uploadId": "upl_1"}),
    (AnnotationUpdateInput, {"id": "ann_1", "type": "SEGMENTATION", "coordinates": None}),
    (AnnotationUpdateInput, {"id": "ann_1"}),
]


@pytest.mark.parametrize(("cls", "value"), CASES)
def test_fast_input_builds_what_strawberry_builds(cls: type, value: dict) -> None:
    definition = cls.__strawberry_definition__
    coerced = coerce_input_value(value, schema._schema.get_type(definition.name))
    registry, config = schema.schema_converter.scalar_registry, schema.config
    fast = convert_argument(coerced, cls, registry, config, None)
    hook, definition.from_input = definition.from_input, None
    try:
        generic = convert_argument(coerced, cls, registry, config, None)
    finally:
        definition.from_input = hook
    assert hook is not None
    assert type(fast) is type(generic) is cls
    assert vars(fast) == vars(generic)
    assert [type(v) for v in vars(fast).values()] == [type(v) for v in vars(generic).values()]
