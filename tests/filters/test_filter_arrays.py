"""Arrays in metadata (a path walks through arrays; contains / containsAll), Item.split and ItemFilter.split
through Dataset.items."""

from __future__ import annotations

import sqlalchemy as sa
from support import Builder
from test_dql import LIST, filenames

from labelgraph.data.resources import ITEM
from labelgraph.db import Database


async def _world(gql) -> tuple[str, list[dict]]:
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, [
        {"name": "a.jpg", "metadata": {"tags": ["day", "night"], "scores": [1, 5], "boxes": [{"c": "cat"}]}},
        {"name": "b.jpg", "metadata": {"tags": ["day"], "scores": [2], "boxes": [{"c": "dog"}, {"c": "cat"}]}},
        {"name": "c.jpg", "metadata": {"tags": "night", "scores": 3, "boxes": {"c": "dog"}}},
        {"name": "d.jpg", "metadata": {"tags": [], "nested": [["night"]]}},
        {"name": "e.jpg"},
    ])
    return dataset, items


async def names(gql, dataset: str, *conds: dict) -> list[str]:
    return sorted(f[1:] for f in await filenames(gql, dataset, f={"metadata": list(conds)}))


async def test_a_path_through_an_array_matches_any_element(gql):
    dataset, _ = await _world(gql)
    assert await names(gql, dataset, {"path": "user.tags", "eq": "night"}) == ["a.jpg", "c.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "ne": "night"}) == ["b.jpg", "d.jpg", "e.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "in": ["x", "day"]}) == ["a.jpg", "b.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "nin": ["day"]}) == ["c.jpg", "d.jpg", "e.jpg"]
    assert await names(gql, dataset, {"path": "user.scores", "gte": 5}) == ["a.jpg"]
    assert await names(gql, dataset, {"path": "user.scores", "lte": 2}) == ["a.jpg", "b.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "glob": "n*"}) == ["a.jpg", "c.jpg"]
    # through an array of objects, as system.refs.id
    assert await names(gql, dataset, {"path": "user.boxes.c", "eq": "cat"}) == ["a.jpg", "b.jpg"]
    assert await names(gql, dataset, {"path": "user.boxes.c", "eq": "dog"}) == ["b.jpg", "c.jpg"]
    # an array nested in an array is not walked; the whole array still compares as a whole
    assert await names(gql, dataset, {"path": "user.nested", "eq": "night"}) == []
    assert await names(gql, dataset, {"path": "user.tags", "eq": ["day"]}) == ["b.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "exists": True}) == ["a.jpg", "b.jpg", "c.jpg", "d.jpg"]


async def test_contains_and_contains_all_look_inside_arrays_only(gql):
    dataset, _ = await _world(gql)
    assert await names(gql, dataset, {"path": "user.tags", "contains": "night"}) == ["a.jpg"]  # c's is no array
    assert await names(gql, dataset, {"path": "user.tags", "containsAll": ["night", "day"]}) == ["a.jpg"]
    assert await names(gql, dataset, {"path": "user.tags", "containsAll": ["day"]}) == ["a.jpg", "b.jpg"]
    assert await names(gql, dataset, {"path": "user.scores", "contains": 2.0}) == ["b.jpg"]
    assert await names(gql, dataset, {"path": "user.scores", "contains": "2"}) == []  # type-exact
    body = await gql.raw(LIST, {"d": dataset, "f": {"metadata": [{"path": "user.tags", "contains": ["a"]}]}})
    [error] = body["errors"]
    assert error["message"].startswith("filter.metadata[0].contains: contains takes a string, number, boolean or null")
    # DQL's equality on a metadata path walks arrays the same way
    got = await filenames(gql, dataset, dql={"filter": {"metadata.user.tags": "night"}})
    assert sorted(got) == ["/a.jpg", "/c.jpg"]


async def test_split(gql, settings):
    dataset, items = await _world(gql)
    db = Database(settings.database_url)
    try:  # issue 15's itemsSplitSet sets splits; here the rows are set directly
        async with db.transaction() as uow:
            for name, split in (("a.jpg", "train"), ("b.jpg", "validation"), ("c.jpg", "train")):
                await uow.conn.execute(sa.update(ITEM.table).where(
                    ITEM.table.c.dataset_id == dataset, ITEM.table.c.name == name).values(split=split))
    finally:
        await db.dispose()
    assert sorted(await filenames(gql, dataset, f={"split": {"eq": "train"}})) == ["/a.jpg", "/c.jpg"]
    assert sorted(await filenames(gql, dataset, f={"split": {"exists": False}})) == ["/d.jpg", "/e.jpg"]
    assert sorted(await filenames(gql, dataset, f={"split": {"ne": "train"}})) == ["/b.jpg", "/d.jpg", "/e.jpg"]
    data = await gql("query($d: ID!) { dataset(id: $d) { items(filter: {split: {eq: \"validation\"}}) "
                     "{ nodes { name split } } } }", {"d": dataset})
    assert data["dataset"]["items"]["nodes"] == [{"name": "b.jpg", "split": "validation"}]
