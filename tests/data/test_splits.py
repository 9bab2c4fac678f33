"""Splits: itemsSplitSet (one statement whatever the count), datasetSplit (deterministic for a seed, exact
proportions, set-based), ItemFilter.split, and clear errors for bad ratios."""

from __future__ import annotations

SET = """mutation($input: ItemsSplitSetInput!) { itemsSplitSet(input: $input) {
  count errors { field code message } } }"""
SPLIT = """mutation($d: ID!, $r: JSON!, $s: Int) { datasetSplit(input: {datasetId: $d, ratios: $r, seed: $s}) {
  count errors { field code message } } }"""
SPLITS = """query($d: ID!) { dataset(id: $d) { items(first: 500) { nodes { name split } } } }"""


async def _splits(gql, ds) -> dict[str, str | None]:
    return {n["name"]: n["split"] for n in (await gql(SPLITS, {"d": ds}))["dataset"]["items"]["nodes"]}


async def test_items_split_set_by_ids_and_filter(gql, build):
    ds = await build.dataset(await build.project())
    items = await build.items(ds, [{"name": f"{i}.jpg", "dir": "/a" if i < 5 else "/b"} for i in range(8)])
    data = await gql(SET, {"input": {"datasetId": ds, "itemIds": [items[0]["id"], items[1]["id"]], "split": "test"}})
    assert data["itemsSplitSet"] == {"count": 2, "errors": []}
    data = await gql(SET, {"input": {"datasetId": ds, "filter": {"dir": {"eq": "/b"}}, "split": "train"}})
    assert data["itemsSplitSet"]["count"] == 3
    statements = gql.last_statements
    assert await _splits(gql, ds) == {"0.jpg": "test", "1.jpg": "test", **{f"{i}.jpg": None for i in range(2, 5)},
                                      **{f"{i}.jpg": "train" for i in range(5, 8)}}
    count = """query($d: ID!, $f: ItemFilter) { dataset(id: $d) { items(filter: $f) { totalCount } } }"""
    assert (await gql(count, {"d": ds, "f": {"split": {"eq": "train"}}}))["dataset"]["items"]["totalCount"] == 3
    # null clears; the same number of statements for every item of the dataset
    data = await gql(SET, {"input": {"datasetId": ds, "filter": {}, "split": None}})
    assert data["itemsSplitSet"]["count"] == 8 and gql.last_statements == statements
    assert set((await _splits(gql, ds)).values()) == {None}

    bad = [({"datasetId": ds, "split": "x"}, ["itemIds"], "exactly one"),
           ({"datasetId": ds, "filter": {}, "split": "x" * 65}, ["split"], "at most 64"),
           ({"datasetId": ds, "filter": {}, "split": " "}, ["split"], "non-empty"),
           ({"datasetId": ds, "itemIds": ["itm_01JD3XXXXXXXXXXXXXXXXXXXXX"], "split": "x"}, ["itemIds", "0"],
            "no item")]
    for input_, field, words in bad:
        errors = (await gql(SET, {"input": input_}))["itemsSplitSet"]
        assert errors["count"] == 0 and errors["errors"][0]["field"] == field and words in errors["errors"][0][
            "message"], errors
    assert set((await _splits(gql, ds)).values()) == {None}


async def test_dataset_split_is_deterministic_and_exact(gql, build):
    project = await build.project()
    ds = await build.dataset(project)
    await build.items(ds, [{"name": f"{i:03}.jpg"} for i in range(100)])
    ratios = {"train": 0.8, "validation": 0.1, "test": 0.1}
    data = await gql(SPLIT, {"d": ds, "r": ratios, "s": 7})
    assert data["datasetSplit"] == {"count": 100, "errors": []}
    first = await _splits(gql, ds)
    counts = {name: list(first.values()).count(name) for name in ratios}
    assert counts == {"train": 80, "validation": 10, "test": 10}
    # not the items' order: the test split is spread over the names
    tests = sorted(int(n[:3]) for n, s in first.items() if s == "test")
    assert tests != list(range(tests[0], tests[0] + 10))

    assert (await gql(SPLIT, {"d": ds, "r": ratios, "s": 7}))["datasetSplit"]["count"] == 100
    assert await _splits(gql, ds) == first  # the same seed, the same splits
    await gql(SPLIT, {"d": ds, "r": ratios, "s": 8})
    assert await _splits(gql, ds) != first  # another seed, another draw
    await gql(SPLIT, {"d": ds, "r": {"all": 1}})
    assert set((await _splits(gql, ds)).values()) == {"all"}


async def test_bad_ratios_name_the_field(gql, build):
    ds = await build.dataset(await build.project())
    await build.items(ds, [{"name": "a.jpg"}])
    cases = [
        ({"train": 0.8, "test": 0.1}, ["ratios"], "must sum to 1"),
        ({"train": 1.2, "test": -0.2}, ["ratios", "test"], "positive number"),
        ({"train": "0.5", "test": 0.5}, ["ratios", "train"], "positive number"),
        ({"x" * 65: 1}, ["ratios", "x" * 65], "at most 64"),
        ({"": 1}, ["ratios", ""], "non-empty"),
        ([0.5, 0.5], ["ratios"], "non-empty object"),
        ({}, ["ratios"], "non-empty object"),
    ]
    for ratios, field, words in cases:
        data = (await gql(SPLIT, {"d": ds, "r": ratios}))["datasetSplit"]
        assert data["count"] == 0 and data["errors"][0]["field"] == field, (ratios, data)
        assert words in data["errors"][0]["message"], data
    assert (await gql(SPLIT, {"d": ds, "r": {"a": 0.3333333, "b": 0.6666667}}))["datasetSplit"]["errors"] == []
    assert await _splits(gql, ds) in ({"a.jpg": "a"}, {"a.jpg": "b"})
