"""The resolver path's short cuts answer exactly as the general path does: the executor's direct fields
(graph/extensions.py: DirectFields), pages that leave unread JSON columns out (graph/relations.py: unread), and
per-parent statements reused across requests (graph/pagination.py: statement_key), which must keep each caller's
scope."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import Builder

import labelgraph.graph.extensions as extensions
from labelgraph.graph.compiler import COMPILER_HEADER
from labelgraph.graph.pagination import fingerprint

OFF = {COMPILER_HEADER: "off"}

QUERIES = [
    # the reference screen, with edges, cursors, pageInfo and counts at each level
    """query($p: ID!) { project(id: $p) { id name metadata datasets { totalCount pageInfo { hasNextPage endCursor }
      nodes { id name itemsCount items(first: 3, orderBy: [{field: NAME, direction: DESC}]) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id name filename mimetype size metadata createdAt __typename
          annotations { nodes { id label type coordinates attributes metadata automated frame } } } } } } } } }""",
    # aliases of one relation with different selections, fragments, the Node interface
    """query($p: ID!) { project(id: $p) { datasets { nodes { items { nodes {
        a: annotations { nodes { label } }
        b: annotations { nodes { ...Ann } edges { node { attributes } } }
        c: annotations(first: 1) { nodes { ... on Node { id } ... on Annotation { metadata type } } } } } } } } }
      fragment Ann on Annotation { id metadata coordinates }""",
    # back references (to-one resolvers), a page walked backwards, enums
    """query($p: ID!) { project(id: $p) { datasets { nodes { items(last: 2) { pageInfo { hasPreviousPage }
        nodes { name dataset { name project { name } } annotations(last: 1) { nodes { type item { name } } } } }
      } } } }""",
    # a refused argument deep down (the non-null connection nulls its parents) and a bad cursor
    """query($p: ID!) { project(id: $p) { name datasets { nodes { name items(first: 1001) { totalCount } } } } }""",
    """query($p: ID!) { project(id: $p) { datasets { nodes { items(after: "bm90IGEgY3Vyc29y") { totalCount } } } } }""",
    # node(id:) and lists of ids
    """query($p: ID!) { node(id: $p) { id __typename ... on Project { name } } nodes(ids: [$p, "x_1"]) { id } }""",
]


async def _project(build: Builder) -> str:
    project = await build.project()
    for n in range(2):
        ds = await build.dataset(project, f"ds-{n}")
        items = await build.items(ds, [{"name": f"{n}-{i}.jpg", "mimetype": "image/jpeg" if i % 2 else None,
                                        "metadata": {"i": i}} for i in range(4)])
        await build.annotations([{"itemId": it["id"], "type": "BOX" if k % 2 else "CLASSIFICATION", "label": "car",
                                  "coordinates": [{"x": 1, "y": 2}, {"x": 3, "y": 4}] if k % 2 else None,
                                  "metadata": {"k": k}} for it in items for k in range(3)])
    return project


async def test_direct_fields_answer_as_graphql_core_and_strawberry_do(gql, build, monkeypatch):
    project = await _project(build)
    for query in QUERIES:
        direct = await gql.raw(query, {"p": project}, headers=OFF)
        monkeypatch.setattr(extensions, "_ENABLED", False)
        general = await gql.raw(query, {"p": project}, headers=OFF)
        monkeypatch.setattr(extensions, "_ENABLED", True)
        direct.pop("extensions", None)
        general.pop("extensions", None)
        assert direct == general, query
    assert direct["data"]["node"]["name"] == "Cars"


async def test_pages_leave_unread_json_columns_out(gql, build, app):
    project = await _project(build)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        statements.append(statement)

    engine = app.state.labelgraph["db"].read_engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        data = await gql("""query($p: ID!) { project(id: $p) { datasets { nodes { items { nodes {
            annotations { nodes { label coordinates } } } } } } } }""", {"p": project}, headers=OFF)
        [annotation_page] = [s for s in statements if "FROM annotation" in s]
        assert "coordinates" in annotation_page and ".metadata" not in annotation_page
        labels = [a["label"] for d in data["project"]["datasets"]["nodes"] for i in d["items"]["nodes"]
                  for a in i["annotations"]["nodes"]]
        assert labels == ["car"] * 24

        statements.clear()
        data = await gql(QUERIES[1], {"p": project}, headers=OFF)
        item = data["project"]["datasets"]["nodes"][0]["items"]["nodes"][0]
        assert [a["label"] for a in item["a"]["nodes"]] == ["car"] * 3
        assert [a["metadata"]["user"] for a in item["b"]["nodes"]] == [{"k": 0}, {"k": 1}, {"k": 2}]
        assert [e["node"]["attributes"] for e in item["b"]["edges"]] == [None] * 3
        assert item["c"]["nodes"][0]["metadata"]["user"] == {"k": 0}
        # a resolver field on the nodes (item) reads every column
        data = await gql("""query($p: ID!) { project(id: $p) { datasets { nodes { items { nodes {
            annotations { nodes { label item { name } } } } } } } } }""", {"p": project}, headers=OFF)
        assert data["project"]["datasets"]["nodes"][0]["items"]["nodes"][0]["annotations"]["nodes"][0]["item"]
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


ADD_ORG = ("mutation($o: ID!, $e: String!) { organizationMemberAdd(input: {organizationId: $o, email: $e, "
           "role: WORKER}) { errors { message } } }")
ADD_PROJECT = ("mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e, "
               "role: ANNOTATOR}) { errors { message } } }")
SCREEN = """query($o: ID!) { organization(id: $o) { projects(first: 5) { nodes { name datasets(first: 5) { nodes {
    name items(first: 5) { nodes { name annotations(first: 5) { nodes { label } } } } } } } } } }"""


@pytest.mark.parametrize("order", [("owner", "annotator"), ("annotator", "owner")])
async def test_cached_page_statements_keep_each_callers_scope(as_user, order):
    owner = await as_user("owner@scope.test")
    b = Builder(owner)
    org = await b.org("Scope")
    shown = {}
    for name in ("Cars", "Bikes"):
        project = await b.project(org, name)
        ds = await b.dataset(project, f"{name}-ds")
        [item] = await b.items(ds, [{"name": f"{name}.jpg"}])
        await b.annotations([{"itemId": item["id"], "type": "CLASSIFICATION", "label": name.lower()}])
        shown[name] = project
    await owner(ADD_ORG, {"o": org, "e": "annotator@scope.test"})
    await owner(ADD_PROJECT, {"p": shown["Cars"], "e": "annotator@scope.test"})
    callers = {"owner": owner, "annotator": await as_user("annotator@scope.test")}

    def labels(data: dict) -> dict:
        return {p["name"]: [a["label"] for d in p["datasets"]["nodes"] for i in d["items"]["nodes"]
                            for a in i["annotations"]["nodes"]] for p in data["organization"]["projects"]["nodes"]}

    for _ in range(2):  # the second round runs on the statements the first one cached
        for name in order:
            seen = labels(await callers[name](SCREEN, {"o": org}, headers=OFF))
            assert seen == ({"Cars": ["cars"], "Bikes": ["bikes"]} if name == "owner" else {"Cars": ["cars"]})


def test_fingerprints_tell_bound_values_apart():
    t = sa.table("t", sa.column("a"), sa.column("b"))
    assert fingerprint([t.c.a.in_(["x", "y"])]) == fingerprint([t.c.a.in_(["x", "y"])])
    assert fingerprint([t.c.a.in_(["x", "y"])]) != fingerprint([t.c.a.in_(["x", "z"])])
    assert fingerprint([t.c.a == 1]) != fingerprint([t.c.a == True])  # noqa: E712 - the point of the test
    assert fingerprint([t.c.a == 1]) != fingerprint([t.c.b == 1])
    assert fingerprint([t.c.a.in_(sa.select(t.c.b).where(t.c.b == "u1"))]) != fingerprint(
        [t.c.a.in_(sa.select(t.c.b).where(t.c.b == "u2"))])
