"""What the fuzzer (test_fuzz.py) found, each as the smallest request that reproduced it: each answered
"internal error" before its fix."""

from __future__ import annotations

import pytest

DATASET_ONTOLOGY = "query($d: ID!) { dataset(id: $d) { recipe { ontologies { id } } } }"
ATTRIBUTES = """mutation($o: ID!, $a: [AttributeInput!]!) {
  ontologyAttributesUpsert(input: {ontologyId: $o, attributes: $a}) { errors { field code message } } }"""
ATTRIBUTE_KEYS = "query($o: ID!) { ontology(id: $o) { attributes { key } } }"


@pytest.fixture
async def ontology(gql, build) -> str:
    dataset = await build.dataset(await build.project())
    return (await gql(DATASET_ONTOLOGY, {"d": dataset}))["dataset"]["recipe"]["ontologies"][0]["id"]


async def test_upserting_no_attributes_changes_nothing(gql, ontology):
    await gql(ATTRIBUTES, {"o": ontology, "a": [{"key": "occluded", "type": "YES_NO"}]})
    data = await gql(ATTRIBUTES, {"o": ontology, "a": []})
    assert data["ontologyAttributesUpsert"]["errors"] == []
    assert (await gql(ATTRIBUTE_KEYS, {"o": ontology}))["ontology"]["attributes"] == [{"key": "occluded"}]


async def test_an_attribute_key_given_twice_is_refused(gql, ontology):
    data = await gql(ATTRIBUTES, {"o": ontology, "a": [{"key": "occluded", "type": "YES_NO"},
                                                       {"key": "occluded", "type": "FREE_TEXT"}]})
    assert data["ontologyAttributesUpsert"]["errors"] == [{
        "field": ["attributes", "1", "key"], "code": "DUPLICATE",
        "message": "the key 'occluded' is given twice (attributes[0] has it)"}]
    assert (await gql(ATTRIBUTE_KEYS, {"o": ontology}))["ontology"]["attributes"] == []
