"""The reference screen (project → datasets → items → annotations) resolves in a number of SQL statements
bounded by the query's depth, not by the number of objects it returns."""

from __future__ import annotations

import pytest
from support import service_boxes, service_items

from labelgraph.graph.compiler import COMPILER_HEADER


@pytest.fixture(autouse=True)
def resolver_path(gql):
    """These bounds are the resolver path's (dataloaders); the compiled path answers these queries in one
    statement per root field (tests/compiler/)."""
    gql.headers[COMPILER_HEADER] = "off"

NESTED = """query($p: ID!) {
  project(id: $p) {
    name
    datasets(first: 5) {
      nodes {
        name itemsCount annotatedCount
        items(first: 50) {
          nodes {
            id name filename mimetype metadata createdAt
            annotations { nodes { id label type coordinates } }
          }
        }
      }
    }
  }
}"""


async def _grow(db, dataset_ids: list[str], items_per_dataset: int, start: int) -> None:
    """Through the data services (what itemsCreate/annotationsCreate run), not GraphQL: 2,750 items and 13,750
    annotations through GraphQL were most of this test's time."""
    for ds in dataset_ids:
        items = await service_items(db, ds, [{"name": f"frame-{start + i:05d}.jpg", "mimetype": "image/jpeg",
                                              "metadata": {"n": i}} for i in range(items_per_dataset)])
        await service_boxes(db, items, per_item=5)


async def test_reference_screen_statements_do_not_grow_with_data(gql, build, app):
    db = app.state.labelgraph["db"]
    project = await build.project()
    datasets = [await build.dataset(project, f"ds-{i}") for i in range(5)]
    await _grow(db, datasets, 50, 0)

    data = await gql(NESTED, {"p": project})
    first_count = gql.last_statements
    shown = data["project"]["datasets"]["nodes"]
    assert len(shown) == 5
    assert sum(len(d["items"]["nodes"]) for d in shown) == 250
    annotations = [a for d in shown for it in d["items"]["nodes"] for a in it["annotations"]["nodes"]]
    assert len(annotations) == 1250
    assert all(d["itemsCount"] == 50 and d["annotatedCount"] == 50 for d in shown)
    assert first_count <= 6, f"{first_count} SQL statements for the reference screen"

    await _grow(db, datasets, 450, 50)  # tenfold: 500 items and 2,500 annotations per dataset
    data = await gql(NESTED, {"p": project})
    shown = data["project"]["datasets"]["nodes"]
    assert all(d["itemsCount"] == 500 and d["annotatedCount"] == 500 for d in shown)
    assert sum(len(d["items"]["nodes"]) for d in shown) == 250
    assert gql.last_statements == first_count


async def test_each_parent_gets_its_own_page(gql, build):
    project = await build.project()
    a = await build.dataset(project, "a")
    b = await build.dataset(project, "b")
    await build.items(a, [{"name": f"a{i}.png"} for i in range(3)])
    await build.items(b, [{"name": f"b{i}.png"} for i in range(7)])
    data = await gql("""query($p: ID!) { project(id: $p) { datasets(orderBy: [{field: NAME}]) { nodes {
        name items(first: 5) { totalCount pageInfo { hasNextPage } nodes { name dataset { name } } } } } } }""",
                     {"p": project})
    by_name = {d["name"]: d["items"] for d in data["project"]["datasets"]["nodes"]}
    assert [n["name"] for n in by_name["a"]["nodes"]] == ["a0.png", "a1.png", "a2.png"]
    assert by_name["a"]["totalCount"] == 3 and by_name["a"]["pageInfo"]["hasNextPage"] is False
    assert len(by_name["b"]["nodes"]) == 5 and by_name["b"]["totalCount"] == 7
    assert by_name["b"]["pageInfo"]["hasNextPage"] is True
    assert {n["dataset"]["name"] for n in by_name["b"]["nodes"]} == {"b"}


async def test_back_references_are_batched(gql, build):
    project = await build.project()
    ds = await build.dataset(project)
    items = await build.items(ds, [{"name": f"{i}.jpg"} for i in range(20)])
    await build.boxes([i["id"] for i in items], 2)
    await gql("""query($d: ID!) { dataset(id: $d) { items(first: 20) { nodes {
        dataset { name project { name organization { name } } }
        annotations { nodes { item { name } parent { id } } } } } } }""", {"d": ds})
    # dataset, items page, then one statement per level of back-references, whatever the number of objects
    assert gql.last_statements <= 7


async def test_a_failing_field_does_not_break_its_siblings_shared_loads(as_user):
    """graphql-core cancels sibling resolvers when a non-null field fails; loads they shared with other resolvers
    must still complete (regression: CancelledError escaped the app and the request failed)."""
    from support import Builder

    owner = await as_user("owner@x.test")
    b = Builder(owner)
    ds = await b.dataset(await b.project(name="P"))
    [item] = await b.items(ds, [{"name": "a.jpg"}])
    [ann] = await b.boxes([item["id"]], 1)
    query = """query($i: ID!, $a: ID!, $f: Int) { item(id: $i) { dataset { recipe { id } } }
      annotation(id: $a) { dataset { project { datasets(first: 1001) { totalCount } } }
                           item { annotations(first: $f) { edges { node { item { dir } } } } } } }"""
    for _ in range(20):  # the cancellation races with the shared load: repeat
        body = await owner.raw(query, {"i": item["id"], "a": ann, "f": 0}, headers={"x-labelgraph-compiler": "off"})
        assert owner.last_response.status_code == 200
        assert body["data"]["item"]["dataset"]["recipe"]["id"].startswith("rcp_")
        assert body["data"]["annotation"] is None and body["errors"][0]["extensions"]["code"] in (
            "BAD_USER_INPUT", "LIMIT_EXCEEDED")
