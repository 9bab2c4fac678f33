"""DQL documents (graph/dql.py) through ``Dataset.items(dql:)``: every DQL example of seed 001 selects the same
items as its typed filter, and what DQL does not allow is refused with the key and what is allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import BOX, Builder

CORPUS = json.loads((Path(__file__).parent / "data" / "dql_seed001.json").read_text())["examples"]

LIST = """query($d: ID!, $dql: JSON, $f: ItemFilter, $o: [ItemOrder!], $first: Int, $after: String) {
  dataset(id: $d) { items(dql: $dql, filter: $f, orderBy: $o, first: $first, after: $after) {
    nodes { filename } pageInfo { hasNextPage endCursor } } } }"""


async def world(gql) -> tuple[str, dict[str, str]]:
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, [
        {"name": "a.jpg", "dir": "/train", "mimetype": "image/jpeg", "width": 100, "height": 50,
         "metadata": {"Key": "Value", "split": "train"}},
        {"name": "b.jpg", "dir": "/train/sub", "mimetype": "image/jpeg", "height": 200},
        {"name": "c.png", "dir": "/DatasetFolderName", "mimetype": "image/png", "width": 300, "height": 300},
        {"name": "d.jpg", "dir": "/fighting", "mimetype": "image/jpeg", "hidden": True},
        {"name": "e.jpg", "dir": "/fighting", "mimetype": "image/jpeg"},
        {"name": "path.mimetype", "dir": "/your/file", "mimetype": "text/plain"},
    ])
    ids = {i["filename"]: i["id"] for i in items}
    await b.annotations([
        {"itemId": ids["/train/a.jpg"], "type": "BOX", "label": "cat", "coordinates": BOX},
        {"itemId": ids["/train/a.jpg"], "type": "CLASSIFICATION", "label": "dog", "coordinates": []},
        {"itemId": ids["/train/sub/b.jpg"], "type": "POINT", "label": "Ear", "coordinates": {"x": 1, "y": 2}},
        {"itemId": ids["/train/sub/b.jpg"], "type": "POLYGON", "label": "Person",
         "coordinates": [[{"x": 0, "y": 0}, {"x": 5, "y": 0}, {"x": 5, "y": 5}]]},
        {"itemId": ids["/DatasetFolderName/c.png"], "type": "SEGMENTATION", "label": "cat",
         "coordinates": "data:image/png;base64,iVBORw0KGgo="},
        {"itemId": ids["/fighting/e.jpg"], "type": "BOX", "label": "Person", "coordinates": BOX},
        {"itemId": ids["/fighting/d.jpg"], "type": "BOX", "label": "Person", "coordinates": BOX},
    ])
    return dataset, ids


async def filenames(gql, dataset: str, **variables) -> list[str]:
    data = await gql(LIST, {"d": dataset, **variables})
    return [n["filename"] for n in data["dataset"]["items"]["nodes"]]


async def test_every_dql_example_of_seed_001_selects_what_its_typed_filter_selects(gql):
    dataset, _ = await world(gql)
    assert len(CORPUS) >= 20
    for example in CORPUS:
        doc = json.loads(json.dumps(example["dql"]).replace("$DATASET", dataset))
        by_dql = await filenames(gql, dataset, dql=doc)
        assert sorted(by_dql) == example["expected"], (example["line"], example["source"], by_dql)
        if "sort" in doc:
            assert by_dql == sorted(by_dql), example["line"]
        if example["typed"] is not None:
            by_typed = await filenames(gql, dataset, f=example["typed"])
            assert sorted(by_typed) == sorted(by_dql), (example["line"], by_typed, by_dql)


async def test_dql_sort_orders_pages_and_keyset_cursors_follow_it(gql):
    dataset, _ = await world(gql)
    doc = {"filter": {"$and": [{"filename": "/**"}]}, "sort": {"filename": "descending"}, "useDefaults": False}
    seen, after = [], None
    while True:
        data = await gql(LIST, {"d": dataset, "dql": doc, "first": 2, "after": after})
        page = data["dataset"]["items"]
        seen += [n["filename"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen, reverse=True) and len(seen) == 6


async def test_dql_and_the_typed_filter_combine(gql):
    dataset, _ = await world(gql)
    got = await filenames(gql, dataset, dql={"filter": {"$and": [{"dir": "/fighting"}]}, "useDefaults": False},
                          f={"hidden": True})
    assert got == ["/fighting/d.jpg"]


@pytest.mark.parametrize(("doc", "where", "says"), [
    ({"filter": {"$and": [{"label": {"$match": "c.*"}}]}}, "dql.filter.$and[0].label", "unknown field"),
    ({"filter": {"$and": [{"name": {"$match": "c.*"}}]}}, "dql.filter.$and[0].name.$match",
     "allowed: $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists"),
    ({"filter": {"$not": [{"name": "a"}]}}, "dql.filter.$not", "$and, $or"),
    ({"filter": {}, "pageSizes": 10}, "dql.pageSizes", "takes filter, join, sort"),
    ({"filter": {}, "update": {"metadata": {"user": {"a": 1}}}}, "dql.update", "use itemsUpdate"),
    ({"filter": {"$and": [{"metadata.other.x": 1}]}}, "dql.filter.$and[0].metadata.other.x", "path must start"),
    ({"filter": {"$and": [{"hidden": "yes"}]}}, "dql.filter.$and[0].hidden.$eq", "true or false"),
    ({"filter": {}, "sort": {"metadata.user.score": "ascending"}}, "dql.sort.metadata.user.score", "sortable"),
    ({"filter": {}, "sort": {"filename": "up"}}, "dql.sort.filename", '"ascending" or "descending"'),
    ({"join": {"on": {"resource": "tasks"}, "filter": {}}}, "dql.join.on.resource", "joins to annotations"),
    ({"filter": {"$and": [{"name": {"$in": "a.jpg"}}]}}, "dql.filter.$and[0].name.$in", "takes a list"),
    ({"filter": {"$and": [{"createdAt": {"$gt": "yesterday"}}]}}, "dql.filter.$and[0].createdAt.$gt", "ISO-8601"),
    ([{"dir": "/a"}], "dql", "a DQL document is a JSON object"),
    ({"filter": {"$or": [{"dir": "/a"}] * 201}}, "dql", "conditions; the limit is 200"),
])
async def test_dql_that_is_not_allowed_is_refused_naming_the_key(gql, doc, where, says):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    body = await gql.raw(LIST, {"d": dataset, "dql": doc})
    [error] = body["errors"]
    assert error["message"].startswith(where) and says in error["message"], error
    assert error["extensions"]["code"] in ("BAD_USER_INPUT", "LIMIT_EXCEEDED")
