"""Filters, ordering and keyset pagination of item lists; connection limits."""

from __future__ import annotations

import pytest
from support import GraphQLError

LIST = """query($d: ID!, $f: ItemFilter, $o: [ItemOrder!], $first: Int, $after: String, $last: Int,
  $before: String) {
  dataset(id: $d) { items(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } } } } }"""


@pytest.fixture
async def dataset(build):
    ds = await build.dataset(await build.project())
    await build.items(ds, [
        {"name": "a.jpg", "dir": "/train/cats", "mimetype": "image/jpeg", "metadata": {"split": "train", "score": 5}},
        {"name": "b.png", "dir": "/train/dogs", "mimetype": "image/png", "metadata": {"split": "train", "score": 9}},
        {"name": "c.jpg", "dir": "/val", "mimetype": "image/jpeg", "metadata": {"split": "val", "score": "9"}},
        {"name": "d.txt", "dir": "/", "mimetype": "text/plain", "metadata": {"split": None}, "hidden": True},
        {"name": "e.jpg", "dir": "/train", "metadata": {"tags": ["x", "y"]}},
    ])
    return ds


async def names(gql, ds, f=None, **kw) -> list[str]:
    data = await gql(LIST, {"d": ds, "f": f, "o": [{"field": "NAME"}], **kw})
    return [e["node"]["name"] for e in data["dataset"]["items"]["edges"]]


@pytest.mark.parametrize(("f", "expected"), [
    ({"filename": {"glob": "/train/*"}}, ["e.jpg"]),
    ({"filename": {"glob": "/train/**"}}, ["a.jpg", "b.png", "e.jpg"]),
    ({"filename": {"glob": "/**/*.jpg"}}, ["a.jpg", "c.jpg", "e.jpg"]),
    ({"filename": {"glob": "/train/*/*.jpg"}}, ["a.jpg"]),
    ({"dir": {"eq": "/train"}}, ["e.jpg"]),
    ({"dir": {"in": ["/val", "/"]}}, ["c.jpg", "d.txt"]),
    ({"name": {"ne": "a.jpg"}, "dir": {"glob": "/train**"}}, ["b.png", "e.jpg"]),
    ({"mimetype": {"glob": "image/*"}}, ["a.jpg", "b.png", "c.jpg"]),
    ({"mimetype": {"exists": False}}, ["e.jpg"]),
    ({"mimetype": {"nin": ["image/jpeg"]}}, ["b.png", "d.txt", "e.jpg"]),
    ({"hidden": True}, ["d.txt"]),
    ({"annotated": True}, []),
    ({"metadata": [{"path": "user.split", "eq": "train"}]}, ["a.jpg", "b.png"]),
    ({"metadata": [{"path": "user.split", "ne": "train"}]}, ["c.jpg", "d.txt", "e.jpg"]),
    ({"metadata": [{"path": "user.split", "eq": None}]}, ["d.txt"]),
    ({"metadata": [{"path": "user.split", "exists": True}]}, ["a.jpg", "b.png", "c.jpg", "d.txt"]),
    ({"metadata": [{"path": "user.score", "eq": 9}]}, ["b.png"]),
    ({"metadata": [{"path": "user.score", "eq": "9"}]}, ["c.jpg"]),
    ({"metadata": [{"path": "user.score", "gt": 5}]}, ["b.png"]),
    ({"metadata": [{"path": "user.score", "gte": 5}]}, ["a.jpg", "b.png"]),
    ({"metadata": [{"path": "user.score", "in": [5, "9"]}]}, ["a.jpg", "c.jpg"]),
    ({"metadata": [{"path": "user.tags", "eq": ["x", "y"]}]}, ["e.jpg"]),
    ({"metadata": [{"path": "system.mimetype", "eq": "image/png"}]}, ["b.png"]),
    ({"or": [{"name": {"eq": "a.jpg"}}, {"dir": {"eq": "/val"}}]}, ["a.jpg", "c.jpg"]),
    ({"not": {"dir": {"glob": "/train/**"}}}, ["c.jpg", "d.txt", "e.jpg"]),
    ({"and": [{"dir": {"glob": "/train/**"}}, {"not": {"name": {"eq": "b.png"}}}]}, ["a.jpg"]),
])
async def test_item_filters(gql, dataset, f, expected):
    assert await names(gql, dataset, f) == expected


async def test_bad_filters_name_the_field(gql, dataset):
    with pytest.raises(GraphQLError) as exc:
        await names(gql, dataset, {"metadata": [{"path": "split", "eq": 1}]})
    [error] = exc.value.args[0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("filter.metadata[0].path: path must start with one of user, system")
    with pytest.raises(GraphQLError) as exc:
        await names(gql, dataset, {"metadata": [{"path": "user.x", "gt": True}]})
    assert "filter.metadata[0].gt" in exc.value.args[0][0]["message"]


async def test_keyset_pages_forward_and_backward(gql, build):
    ds = await build.dataset(await build.project())
    await build.items(ds, [{"name": f"{i:02d}.jpg"} for i in range(25)])
    seen, after = [], None
    while True:
        data = (await gql(LIST, {"d": ds, "first": 10, "after": after, "o": [{"field": "NAME"}]}))["dataset"]["items"]
        seen += [e["node"]["name"] for e in data["edges"]]
        assert data["totalCount"] == 25
        assert data["pageInfo"]["endCursor"] == data["edges"][-1]["cursor"]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == [f"{i:02d}.jpg" for i in range(25)]

    # backwards from the end, newest names first within pages
    data = (await gql(LIST, {"d": ds, "last": 10, "o": [{"field": "NAME"}]}))["dataset"]["items"]
    assert [e["node"]["name"] for e in data["edges"]] == [f"{i:02d}.jpg" for i in range(15, 25)]
    assert data["pageInfo"]["hasPreviousPage"] is True
    data = (await gql(LIST, {"d": ds, "last": 10, "before": data["pageInfo"]["startCursor"],
                             "o": [{"field": "NAME"}]}))["dataset"]["items"]
    assert [e["node"]["name"] for e in data["edges"]] == [f"{i:02d}.jpg" for i in range(5, 15)]

    # descending order, and a cursor is only valid for the ordering it came from
    data = (await gql(LIST, {"d": ds, "first": 3, "o": [{"field": "NAME", "direction": "DESC"}]}))["dataset"]["items"]
    assert [e["node"]["name"] for e in data["edges"]] == ["24.jpg", "23.jpg", "22.jpg"]
    with pytest.raises(GraphQLError) as exc:
        await gql(LIST, {"d": ds, "first": 3, "after": data["pageInfo"]["endCursor"], "o": [{"field": "FILENAME"}]})
    assert "cursor of another ordering" in exc.value.args[0][0]["message"]
    with pytest.raises(GraphQLError) as exc:
        await gql(LIST, {"d": ds, "first": 3, "after": "garbage!"})
    assert exc.value.args[0][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_default_order_is_creation_order_with_ties_broken_by_id(gql, build):
    ds = await build.dataset(await build.project())
    created = await build.items(ds, [{"name": f"{i}.jpg"} for i in range(30)])  # one timestamp for all
    data = await gql(LIST, {"d": ds, "o": None, "first": 30})
    assert [e["node"]["name"] for e in data["dataset"]["items"]["edges"]] == [c["filename"][1:] for c in created]


@pytest.mark.parametrize(("args", "code", "message"), [
    ({"first": 5000}, "LIMIT_EXCEEDED", "first must be between 1 and 1000, got 5000"),
    ({"first": 0}, "BAD_USER_INPUT", "first must be between 1 and 1000, got 0"),
    ({"last": 1001}, "LIMIT_EXCEEDED", "last must be between 1 and 1000, got 1001"),
    ({"first": 1, "last": 1}, "BAD_USER_INPUT", "pass either first or last, not both"),
])
async def test_page_size_limits(gql, dataset, args, code, message):
    body = await gql.raw(LIST, {"d": dataset, **args})
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["message"]) == (code, message)


async def test_default_page_is_50(gql, build):
    ds = await build.dataset(await build.project())
    await build.items(ds, [{"name": f"{i}.jpg"} for i in range(60)])
    data = await gql("query($d: ID!) { dataset(id: $d) { items { nodes { id } pageInfo { hasNextPage } } } }",
                     {"d": ds})
    assert len(data["dataset"]["items"]["nodes"]) == 50 and data["dataset"]["items"]["pageInfo"]["hasNextPage"]
