"""graph/inputs.fast_input: the bulk inputs (itemsCreate, annotationsCreate, annotationsUpdate) are built from
graphql-core's coerced value without strawberry's per-field conversion, into the very instance the generic
conversion builds (same class, same attribute values: defaults, nulls, enums)."""

from __future__ import annotations

import pytest
from graphql.utilities import coerce_input_value
from strawberry.types.arguments import convert_argument
from strawberry.types.base import has_object_definition

from labelgraph.data.inputs import (
    AnnotationCreateInput,
    AnnotationsCreateInput,
    AnnotationUpdateInput,
    ItemCreateInput,
    ItemsCreateInput,
)
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
    # lists of fast inputs: each element built by its own type's plan
    (ItemsCreateInput, {"datasetId": "ds_1", "items": [{"name": "a.jpg", "metadata": {"a": 1}, "size": 10},
                                                       {"name": "b.jpg", "dir": None, "uploadId": "upl_1"}]}),
    (ItemsCreateInput, {"datasetId": "ds_1", "items": []}),
    (AnnotationsCreateInput, {"annotations": [
        {"itemId": "itm_1", "type": "BOX", "label": "car", "coordinates": [{"x": 1, "y": 2}], "frame": 3},
        {"itemId": "itm_2", "type": "POLYGON", "label": "car", "parentId": None, "automated": None}]}),
]


def _attributes(obj: object) -> object:
    """The attributes of an input, the inputs in its lists included, with each value's type."""
    if isinstance(obj, list):
        return [_attributes(v) for v in obj]
    if has_object_definition(type(obj)):
        return (type(obj), {k: _attributes(v) for k, v in vars(obj).items()})
    return (type(obj), obj)


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
    assert _attributes(fast) == _attributes(generic)
    assert list(vars(fast)) == list(vars(generic))


IDS_ONLY = """mutation($d: ID!, $items: [ItemCreateInput!]!) {
  itemsCreate(input: {datasetId: $d, items: $items}) { items { __typename id } errors { field code message } } }"""
WITH_FRAGMENT = """mutation($d: ID!, $items: [ItemCreateInput!]!) {
  itemsCreate(input: {datasetId: $d, items: $items}) { items { id ...F } errors { message } } }
  fragment F on Item { filename annotationsCount }"""


async def test_payload_asking_ids_only_names_the_created_objects(gql, build):
    """A payload selecting only ids is answered from the service's result (no second read); any other selection
    reads the objects back. Both name the same objects, in input order."""
    ds = await build.dataset(await build.project())
    data = await gql(IDS_ONLY, {"d": ds, "items": [{"name": f"{i}.jpg"} for i in range(3)]})
    items = data["itemsCreate"]["items"]
    assert data["itemsCreate"]["errors"] == [] and [i["__typename"] for i in items] == ["Item"] * 3
    read = await gql("query($d: ID!) { dataset(id: $d) { items { nodes { id filename } } } }", {"d": ds})
    by_id = {n["id"]: n["filename"] for n in read["dataset"]["items"]["nodes"]}
    assert [by_id[i["id"]] for i in items] == ["/0.jpg", "/1.jpg", "/2.jpg"]

    data = await gql(WITH_FRAGMENT, {"d": ds, "items": [{"name": "x.jpg"}]})
    assert data["itemsCreate"]["items"][0]["filename"] == "/x.jpg"
    assert data["itemsCreate"]["items"][0]["annotationsCount"] == 0

    ann = await build.annotations([{"itemId": items[0]["id"], "type": "CLASSIFICATION", "label": "cat"}])
    read = await gql("query($i: ID!) { node(id: $i) { ... on Annotation { id label item { id } } } }",
                     {"i": ann[0]})
    assert read["node"] == {"id": ann[0], "label": "cat", "item": {"id": items[0]["id"]}}

    refused = await gql(IDS_ONLY, {"d": ds, "items": [{"name": "0.jpg"}]})
    assert refused["itemsCreate"]["items"] == [] and refused["itemsCreate"]["errors"][0]["code"] == "DUPLICATE"


def _command_from_reference(command, source, **given):  # noqa: ANN001, ANN202 - graph/mutations.py's first version
    names = command.__dataclass_fields__
    values = {name: getattr(source, name) for name in names if name not in given and hasattr(source, name)}
    return command(**values, **given)


@pytest.mark.parametrize(("cls", "value"), CASES[:6])
@pytest.mark.parametrize("given", [{}, {"label": "given", "name": "given", "id": "given"}])
def test_command_from_builds_what_the_attributes_say(cls: type, value: dict, given: dict) -> None:
    """``command_from`` (its field names found once per input class) builds the command that reading every
    same-named attribute of the input builds."""
    from labelgraph.data.commands import AnnotationCreate, AnnotationUpdate, ItemCreate
    from labelgraph.graph.mutations import command_from

    command = {AnnotationCreateInput: AnnotationCreate, AnnotationUpdateInput: AnnotationUpdate,
               ItemCreateInput: ItemCreate}[cls]
    given = {k: v for k, v in given.items() if k in command.__dataclass_fields__}
    coerced = coerce_input_value(value, schema._schema.get_type(cls.__strawberry_definition__.name))
    source = convert_argument(coerced, cls, schema.schema_converter.scalar_registry, schema.config, None)
    assert command_from(command, source, **given) == _command_from_reference(command, source, **given)
    assert command_from(command, source, **given) == _command_from_reference(command, source, **given)  # cached
