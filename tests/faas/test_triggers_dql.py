"""Trigger filters written as DQL (graph/dql.py) fire on the fields item events carry (hidden, type, metadata,
dir, filename…), exactly as the same filter selects items in a list; what DQL does not allow is refused."""

from __future__ import annotations

import pytest
from faas_support import TRIGGER, executions_of
from support import eventually

from labelgraph.engine.matching import check_filter, matches


async def _trigger(gql, service_id: str, **spec) -> str:
    data = await gql(TRIGGER, {"input": {"serviceId": service_id, **spec}})
    assert data["triggerCreate"]["errors"] == [], data
    return data["triggerCreate"]["trigger"]["id"]


async def test_a_dql_trigger_filter_fires_for_the_items_the_same_dql_lists(gql, faas, build):
    dql = {"$and": [{"hidden": False}, {"type": "file"}, {"filename": "/train"},
                    {"metadata.user.score": {"$gte": 0.5}}]}
    await _trigger(gql, faas.service, functionName="describe", actions=["CREATED"], filter=dql)
    items = await build.items(faas.dataset, [  # one call: one batch of events, matched in one transaction
        {"name": "a.jpg", "dir": "/train/cats", "metadata": {"score": 0.9}},
        {"name": "b.jpg", "dir": "/train", "metadata": {"score": 0.2}},
        {"name": "c.jpg", "dir": "/train", "metadata": {"score": 0.7}, "hidden": True},
        {"name": "d.jpg", "dir": "/val", "metadata": {"score": 0.9}},
        {"name": "e.jpg", "dir": "/train", "metadata": {"score": "0.9"}},
    ])
    fired: list[dict] = []

    async def some_fired() -> bool:
        fired[:] = await executions_of(gql, faas.service)
        return bool(fired)

    await eventually(some_fired, timeout=10, what="the trigger's executions")
    ids = {i["filename"]: i["id"] for i in items}
    assert sorted(e["input"]["item"]["item_id"] for e in fired) == [ids["/train/cats/a.jpg"]]
    listed = await gql("""query($d: ID!, $q: JSON) { dataset(id: $d) { items(dql: $q) { nodes { id } } } }""",
                       {"d": faas.dataset, "q": dql})
    assert [n["id"] for n in listed["dataset"]["items"]["nodes"]] == [ids["/train/cats/a.jpg"]]


@pytest.mark.parametrize(("dql", "says"), [
    ({"$and": [{"hidden": {"$match": True}}]}, "filter.$and[0].hidden.$match: unknown operator; allowed: $eq"),
    ({"$and": [{"colour": "red"}]}, "filter.$and[0].colour: unknown field; allowed: annotated, createdAt"),
    ({"filter": {}, "join": {"on": {"resource": "annotations"}, "filter": {"label": "cat"}}},
     "filter.join: a trigger filter sees the event's resource only"),
    ({"filter": {}, "sort": {"filename": "ascending"}}, "filter.sort: a filter here takes no sort"),
])
async def test_bad_dql_trigger_filters_are_refused_naming_the_key(gql, faas, dql, says):
    data = await gql(TRIGGER, {"input": {"serviceId": faas.service, "functionName": "describe", "filter": dql}})
    [error] = data["triggerCreate"]["errors"]
    assert error["field"] == ["filter"] and says in error["message"], error


def test_item_payloads_answer_dql_and_typed_filters_alike():
    payload = {"id": "itm_1", "datasetId": "dst_1", "name": "a.jpg", "dir": "/train/cats", "type": "file",
               "filename": "/train/cats/a.jpg", "mimetype": "image/jpeg", "hidden": False, "annotated": False,
               "createdAt": "2026-01-01T00:00:00+00:00", "metadata": {"user": {"tags": "night"}, "system": {}}}
    assert matches({"$and": [{"hidden": False}, {"type": "file"}]}, payload)
    assert not matches({"$and": [{"hidden": True}]}, payload)
    assert not matches({"filename": "/train"}, payload)  # no $ nor dotted key: the typed form, exact
    assert matches({"filename": "/train/cats/a.jpg"}, payload)
    assert matches({"$and": [{"filename": "/train"}]}, payload)  # DQL: filename recursion
    assert matches({"$or": [{"metadata.system.mimetype": "video*"}, {"mimetype": "image*"}]}, payload)
    assert matches({"$and": [{"createdAt": {"$gt": "2025-12-31T23:59:59Z"}}]}, payload)
    assert check_filter({"$and": [{"label": "cat"}]}, "annotation") is None
    assert "unknown field" in check_filter({"$and": [{"label": "cat"}]}, "item")


def test_the_typed_json_form_names_every_payload_field():
    payload = {"id": "ann_1", "itemId": "itm_1", "datasetId": "dst_1", "label": "cat", "type": "box",
               "status": None, "metadata": {"user": {}}}
    assert matches({"datasetId": "dst_1", "itemId": {"in": ["itm_1"]}}, payload, "annotation")
    assert matches({"type": "box"}, payload, "annotation") and matches({"type": ["box", "class"]}, payload,
                                                                      "annotation")
    assert not matches({"or": [{"type": "class"}, {"label": {"ne": "cat"}}]}, payload, "annotation")
    assert check_filter({"datasetId": "dst_1"}, "item") is None
