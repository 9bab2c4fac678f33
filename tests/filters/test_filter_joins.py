"""Joins between items and annotations: ItemFilter.annotations (at least one matches), noAnnotations (none
matches), AnnotationFilter.item, and Dataset.annotations across a dataset (typed filter and DQL)."""

from __future__ import annotations

from test_dql import filenames, world

ANNOTATIONS = """query($d: ID!, $f: AnnotationFilter, $dql: JSON, $o: [AnnotationOrder!], $first: Int,
  $after: String) { dataset(id: $d) { annotations(filter: $f, dql: $dql, orderBy: $o, first: $first, after: $after)
  { totalCount nodes { label type item { filename } } pageInfo { hasNextPage endCursor } } } }"""


async def test_items_with_and_without_matching_annotations(gql):
    dataset, _ = await world(gql)
    cat = {"label": {"eq": "cat"}}
    assert sorted(await filenames(gql, dataset, f={"annotations": cat})) == [
        "/DatasetFolderName/c.png", "/train/a.jpg"]
    assert sorted(await filenames(gql, dataset, f={"noAnnotations": cat})) == [
        "/fighting/d.jpg", "/fighting/e.jpg", "/train/sub/b.jpg", "/your/file/path.mimetype"]
    # existential: "a label that is not cat" keeps a.jpg (it also has a dog); noAnnotations drops it
    assert sorted(await filenames(gql, dataset, f={"annotations": {"label": {"ne": "cat"}}})) == [
        "/fighting/d.jpg", "/fighting/e.jpg", "/train/a.jpg", "/train/sub/b.jpg"]
    assert sorted(await filenames(gql, dataset, f={"annotations": {"label": {"eq": "Person"}, "type": ["box"]},
                                                   "hidden": False})) == ["/fighting/e.jpg"]
    assert await filenames(gql, dataset, f={"noAnnotations": {}, "dir": {"glob": "/your/**"}}) == [
        "/your/file/path.mimetype"]


async def test_dataset_annotations_filter_by_their_item_and_page(gql):
    dataset, _ = await world(gql)
    data = await gql(ANNOTATIONS, {"d": dataset, "f": {"item": {"filename": {"glob": "/train/**"}}},
                                   "o": [{"field": "LABEL", "direction": "ASC"}]})
    conn = data["dataset"]["annotations"]
    assert conn["totalCount"] == 4
    assert [n["label"] for n in conn["nodes"]] == ["Ear", "Person", "cat", "dog"]
    # the compiled read (one SQL statement) answers what the resolvers answer
    variables = {"d": dataset, "f": {"item": {"filename": {"glob": "/train/**"}}, "label": {"ne": "cat"}}}
    compiled = await gql.raw(ANNOTATIONS, variables)
    resolved = await gql.raw(ANNOTATIONS, variables, headers={"x-labelgraph-compiler": "off"})
    assert compiled["data"] == resolved["data"] and compiled["data"]["dataset"]["annotations"]["totalCount"] == 3
    data = await gql(ANNOTATIONS, {"d": dataset, "f": {"label": {"eq": "Person"}, "item": {"hidden": True}}})
    assert [n["item"]["filename"] for n in data["dataset"]["annotations"]["nodes"]] == ["/fighting/d.jpg"]
    seen, after = [], None
    while True:
        page = (await gql(ANNOTATIONS, {"d": dataset, "first": 3, "after": after}))["dataset"]["annotations"]
        seen += [n["label"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 7


async def test_dataset_annotations_by_dql_with_the_default_types(gql):
    dataset, _ = await world(gql)
    data = await gql(ANNOTATIONS, {"d": dataset, "dql": {"filter": {"$and": [{"label": "cat"}]},
                                                         "sort": {"type": "ascending"}}})
    assert [(n["type"], n["item"]["filename"]) for n in data["dataset"]["annotations"]["nodes"]] == [
        ("SEGMENTATION", "/DatasetFolderName/c.png"), ("BOX", "/train/a.jpg")]  # wire types: binary < box
    data = await gql(ANNOTATIONS, {"d": dataset, "dql": {"filter": {"$and": [{"label": "Person"}]},
        "join": {"on": {"resource": "items", "local": "itemId", "forigen": "id"}, "filter": {"hidden": True}}}})
    assert [n["item"]["filename"] for n in data["dataset"]["annotations"]["nodes"]] == ["/fighting/d.jpg"]
