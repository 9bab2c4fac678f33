"""Organizations, projects and datasets; node routing; cascading deletes; the committed schema file."""

from __future__ import annotations

from pathlib import Path

from labelgraph.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_matches_the_code():
    committed = (ROOT / "schema" / "schema.graphql").read_text()
    assert committed == schema.as_str() + "\n", "schema/schema.graphql is stale: run `make schema` and commit it"


async def test_node_routes_any_id_by_prefix(gql, build):
    org = await build.org("Acme")
    project = await build.project(org, "Cars")
    ds = await build.dataset(project, "frames")
    [item] = await build.items(ds, [{"name": "a.jpg"}])
    [ann] = await build.boxes([item["id"]], 1)
    data = await gql("""query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
        ... on Organization { name } ... on Project { name } ... on Dataset { name } ... on Item { name }
        ... on Annotation { label } } }""",
                     {"ids": [org, project, ds, item["id"], ann, "itm_01M838RVSWCPB46QHADY8CAD5R", "nonsense"]})
    assert [n and n["__typename"] for n in data["nodes"]] == [
        "Organization", "Project", "Dataset", "Item", "Annotation", None, None]
    # a typed root field does not return another type's object
    data = await gql("query($id: ID!) { dataset(id: $id) { id } item(id: $id) { id } }", {"id": ds})
    assert data == {"dataset": {"id": ds}, "item": None}


async def test_names_are_unique_within_their_parent(gql, build):
    org = await build.org()
    await build.project(org, "Cars")
    data = await gql("""mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "Cars"}) {
        project { id } errors { field code message } } }""", {"o": org})
    assert data["projectCreate"]["errors"] == [
        {"field": ["name"], "code": "DUPLICATE", "message": "a project named 'Cars' exists already here"}]
    other = await build.org("Other")
    assert await build.project(other, "Cars")  # another organization may use the name


async def test_dataset_delete_needs_confirm_and_takes_items_along(gql, build):
    project = await build.project()
    ds = await build.dataset(project)
    items = await build.items(ds, [{"name": f"{i}.jpg"} for i in range(3)])
    anns = await build.boxes([i["id"] for i in items], 2)
    data = await gql("mutation($d: ID!) { datasetDelete(input: {id: $d}) { deletedIds errors { field message } } }",
                     {"d": ds})
    assert data["datasetDelete"]["deletedIds"] == [] and data["datasetDelete"]["errors"][0]["field"] == ["confirm"]
    data = await gql("mutation($d: ID!) { datasetDelete(input: {id: $d, confirm: true}) { deletedIds } }", {"d": ds})
    assert data["datasetDelete"]["deletedIds"] == [ds]
    data = await gql("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [ds, items[0]["id"], anns[0]]})
    assert data["nodes"] == [None, None, None]
    data = await gql("query($p: ID!) { project(id: $p) { datasets { totalCount } } }", {"p": project})
    assert data["project"]["datasets"]["totalCount"] == 0


async def test_updates_and_lists(gql, build):
    org = await build.org("Acme")
    for name in ("b", "a", "c"):
        await build.project(org, name)
    data = await gql("""query($o: ID!) { organization(id: $o) {
        projects(orderBy: [{field: NAME, direction: DESC}], filter: {name: {ne: "b"}}) {
          totalCount nodes { name organization { name } } } } }""", {"o": org})
    assert data["organization"]["projects"] == {"totalCount": 2, "nodes": [
        {"name": "c", "organization": {"name": "Acme"}}, {"name": "a", "organization": {"name": "Acme"}}]}
    data = await gql("""mutation($o: ID!) { organizationUpdate(input: {id: $o, name: "Acme 2"}) {
        organization { name } errors { message } } }""", {"o": org})
    assert data["organizationUpdate"]["organization"]["name"] == "Acme 2"
    data = await gql("""mutation($o: ID!) { organizationUpdate(input: {id: $o, name: ""}) {
        organization { name } errors { field code } } }""", {"o": org})
    assert data["organizationUpdate"] == {"organization": None, "errors": [{"field": ["name"], "code": "INVALID"}]}


async def test_unexpected_errors_are_masked_with_a_request_id(gql, app, monkeypatch, caplog):
    from labelgraph.data import service

    async def broken(*args, **kwargs):
        raise RuntimeError("secret connection string")

    monkeypatch.setattr(service, "create_organization", broken)
    body = await gql.raw('mutation { organizationCreate(input: {name: "x"}) { errors { message } } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert "secret" not in error["message"] and error["extensions"]["requestId"] in error["message"]
    assert any(error["extensions"]["requestId"] in r.getMessage() for r in caplog.records)
