"""orderBy: [{metadata: "user.score", direction}] on Dataset.items: numbers before strings before booleans, then
missing/null/arrays/objects, in both directions; keyset pages follow the same order as sorting in Python."""

from __future__ import annotations

import random

from support import Builder
from test_dql import LIST

from labelgraph.graph.compiler import COMPILED_HEADER, COMPILER_HEADER
from labelgraph.graph.pagination import metadata_key_values

VALUES = [3, -1, 2.5, 10, 0, 1e20, 3, "b", "a", "B", "é", "", True, False, None, [1], {"x": 1}, "10", 2]


async def _world(gql) -> tuple[str, dict[str, dict]]:
    rng = random.Random(16)
    specs = []
    for i, v in enumerate(VALUES):
        specs.append({"name": f"v{i:02d}.jpg", "metadata": {"score": v}})
    specs += [{"name": f"m{i}.jpg"} for i in range(3)]  # no user.score at all
    specs.append({"name": "n.jpg", "metadata": {"score": {"deeper": 1}}})
    rng.shuffle(specs)
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, specs)
    return dataset, {i["filename"]: i for i in items}


async def _pages(gql, dataset: str, order: list[dict], first: int) -> tuple[list[str], int]:
    got, after, pages = [], None, 0
    while True:
        data = await gql(LIST.replace("filename", "filename id"), {"d": dataset, "o": order, "first": first,
                                                                    "after": after})
        conn = data["dataset"]["items"]
        got += [n["filename"] for n in conn["nodes"]]
        pages += 1
        if not conn["pageInfo"]["hasNextPage"]:
            return got, pages
        after = conn["pageInfo"]["endCursor"]


async def test_pages_follow_the_python_order_both_directions(gql):
    dataset, _ = await _world(gql)
    data = await gql("query($d: ID!) { dataset(id: $d) { items(first: 100) { nodes { id filename metadata } } } }",
                     {"d": dataset})
    metas = {n["filename"]: {"user": n["metadata"].get("user", {}), "id": n["id"]} for n in
             data["dataset"]["items"]["nodes"]}
    for desc in (False, True):
        want = _python_order_ids(metas, desc)
        got, pages = await _pages(gql, dataset, [{"metadata": "user.score", "direction": "DESC" if desc else "ASC"}],
                                  first=9)
        assert pages == 3
        assert got == want, (desc, got, want)
    # numbers first (ascending), strings next by code point, booleans, then the rest
    got, _ = await _pages(gql, dataset, [{"metadata": "user.score"}], first=50)
    assert [metas[f]["user"]["score"] for f in got[:9]] == [-1, 0, 2, 2.5, 3, 3, 10, 1e20, ""]
    got_desc, _ = await _pages(gql, dataset, [{"metadata": "user.score", "direction": "DESC"}], first=50)
    assert metas[got_desc[0]]["user"]["score"] == 1e20
    last = {f for f, m in metas.items() if metadata_key_values({"user": m["user"]}, "user.score")[0] == 3}
    assert set(got_desc[-7:]) == last


def _python_order_ids(metas: dict[str, dict], desc: bool) -> list[str]:
    def key(f: str) -> tuple:
        return tuple(metadata_key_values({"user": metas[f]["user"]}, "user.score"))

    out: list[str] = []
    for rank in range(4):
        group = [f for f in metas if key(f)[0] == rank]
        out += sorted(group, key=lambda f: (key(f)[1], key(f)[2], metas[f]["id"]), reverse=desc)
    return out


async def test_metadata_then_field_and_bad_orders(gql):
    dataset, items = await _world(gql)
    got, _ = await _pages(gql, dataset, [{"metadata": "user.score"}, {"field": "NAME", "direction": "DESC"}], 5)
    assert len(got) == len(items) and set(got) == set(items)
    for order, message in (
        ([{"metadata": "user.score", "field": "NAME"}], "orderBy[0]: give either field or metadata"),
        ([{"direction": "ASC"}], "orderBy[0]: give either field or metadata"),
        ([{"metadata": "score"}], "orderBy[0].metadata: a path"),
        ([{"metadata": "user.a'b"}], "orderBy[0].metadata: a path"),
    ):
        body = await gql.raw(LIST, {"d": dataset, "o": order})
        [error] = body["errors"]
        assert error["message"].startswith(message), error
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
    # a cursor of another ordering is refused
    first = await gql(LIST, {"d": dataset, "o": [{"metadata": "user.score"}], "first": 2})
    cursor = first["dataset"]["items"]["pageInfo"]["endCursor"]
    body = await gql.raw(LIST, {"d": dataset, "o": [{"metadata": "user.other"}], "after": cursor})
    assert "cursor of another ordering" in body["errors"][0]["message"]


async def test_the_compiled_path_pages_like_the_resolvers(gql):
    dataset, _ = await _world(gql)
    for direction in ("ASC", "DESC"):
        order = [{"metadata": "user.score", "direction": direction}]
        got: dict[bool, tuple[list[str], list[tuple[int, str]]]] = {}
        for off in (False, True):
            header = {COMPILER_HEADER: "off"} if off else {}
            names, cursors, after = [], [], None
            while True:
                data = await gql(LIST, {"d": dataset, "o": order, "first": 10, "after": after}, headers=header)
                assert (gql.last_response.headers.get(COMPILED_HEADER) == "1") == (not off)
                conn = data["dataset"]["items"]
                names += [n["filename"] for n in conn["nodes"]]
                if not conn["pageInfo"]["hasNextPage"]:
                    break
                after = conn["pageInfo"]["endCursor"]
                cursors.append((len(names), after))
            got[off] = (names, cursors)
        assert got[True][0] == got[False][0] and len(got[True][0]) == 23
        for off in (False, True):  # each path reads the other's cursors
            names, cursors = got[off]
            other = {} if off else {COMPILER_HEADER: "off"}
            for position, cursor in cursors:
                data = await gql(LIST, {"d": dataset, "o": order, "first": 1, "after": cursor}, headers=other)
                assert [n["filename"] for n in data["dataset"]["items"]["nodes"]] == [names[position]]
