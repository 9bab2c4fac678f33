"""Reads are scoped: a caller reaches only the organizations and projects it belongs to, in node(), root
fields, lists, nested fields and mutations — an id from another organization is "not found", never data."""

from __future__ import annotations

from support import Builder

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


async def test_ids_from_another_organization_are_not_found(world):
    w = await world({"outsider", "annotator"})
    outsider = w.callers["outsider"]
    ids = [w.ids[k] for k in ("org", "project", "dataset", "item", "annotation")]
    assert (await outsider(NODES, {"ids": ids}))["nodes"] == [None] * 5
    data = await outsider("""query($o: ID!, $p: ID!, $d: ID!, $i: ID!, $a: ID!) { organization(id: $o) { id }
        project(id: $p) { id } dataset(id: $d) { id } item(id: $i) { id } annotation(id: $a) { id } }""",
                          dict(zip("opdia", ids, strict=True)))
    assert data == {"organization": None, "project": None, "dataset": None, "item": None, "annotation": None}
    orgs = (await outsider("{ organizations { totalCount nodes { name } } }"))["organizations"]
    assert orgs == {"totalCount": 1, "nodes": [{"name": "Other"}]}

    # writes answer exactly as for an id that does not exist
    missing = "itm_01M838RVSWCPB46QHADY8CAD5R"
    query = "mutation($id: ID!) { itemUpdate(input: {id: $id, metadata: {x: 1}}) { errors { code message } } }"
    theirs = (await outsider(query, {"id": w.ids["item"]}))["itemUpdate"]["errors"][0]
    nowhere = (await outsider(query, {"id": missing}))["itemUpdate"]["errors"][0]
    assert theirs["code"] == nowhere["code"] == "NOT_FOUND"
    assert theirs["message"].replace(w.ids["item"], "X") == nowhere["message"].replace(missing, "X")
    data = await outsider("mutation($d: ID!) { itemsCreate(input: {datasetId: $d, items: [{name: \"x.jpg\"}]}) "
                          "{ errors { code } } }", {"d": w.ids["dataset"]})
    assert data["itemsCreate"]["errors"] == [{"code": "NOT_FOUND"}]
    # and nothing changed
    owner = w.callers["org_owner"]
    item = (await owner("query($i: ID!) { item(id: $i) { metadata } }", {"i": w.ids["item"]}))["item"]
    assert item["metadata"]["user"] == {}


async def test_nested_lists_hide_projects_the_caller_is_not_in(world, gql):
    w = await world({"annotator", "org_member"})
    owner = w.callers["org_owner"]
    hidden = await Builder(owner).project(w.ids["org"], "Secret")
    query = "query($o: ID!) { organization(id: $o) { projects { totalCount nodes { name } } } }"
    assert (await owner(query, {"o": w.ids["org"]}))["organization"]["projects"]["totalCount"] == 2
    # the annotator is in "Cars" only; an org member in no project sees the organization but no project
    for role, names in (("annotator", ["Cars"]), ("org_member", [])):
        data = await w.callers[role](query, {"o": w.ids["org"]})
        assert [n["name"] for n in data["organization"]["projects"]["nodes"]] == names
        assert data["organization"]["projects"]["totalCount"] == len(names)
        assert (await w.callers[role](NODES, {"ids": [hidden]}))["nodes"] == [None]
    # the platform admin sees everything
    assert (await gql(NODES, {"ids": [hidden]}))["nodes"] == [{"id": hidden}]


async def test_annotators_read_their_projects_data(world):
    w = await world({"annotator"})
    data = await w.callers["annotator"]("""query($p: ID!) { project(id: $p) { viewerRole
        datasets { nodes { items { nodes { name annotations { nodes { label } } } } } } } }""",
                                        {"p": w.ids["project"]})
    assert data["project"]["viewerRole"] == "ANNOTATOR"
    items = data["project"]["datasets"]["nodes"][0]["items"]["nodes"]
    assert [i["name"] for i in items] == ["a.jpg", "b.jpg"]
    assert items[0]["annotations"]["nodes"] == [{"label": "car"}]


async def test_me_lists_the_callers_organizations_projects_and_tokens(world):
    w = await world({"engineer"})
    data = await w.callers["engineer"]("""{ me { email organizations { nodes { name viewerRole } }
        projects { nodes { name viewerRole } } tokens { totalCount nodes { name active } } } }""")
    assert data["me"] == {
        "email": "engineer@acme.test",
        "organizations": {"nodes": [{"name": "Acme", "viewerRole": "WORKER"}]},
        "projects": {"nodes": [{"name": "Cars", "viewerRole": "ENGINEER"}]},
        "tokens": {"totalCount": 1, "nodes": [{"name": "test", "active": True}]},
    }


async def test_members_are_listed_with_their_roles(world):
    w = await world({"manager"})
    data = await w.callers["org_owner"]("""query($p: ID!) { project(id: $p) { members { nodes {
        role user { email } } } } }""", {"p": w.ids["project"]})
    roles = {m["user"]["email"]: m["role"] for m in data["project"]["members"]["nodes"]}
    assert roles == {"owner@acme.test": "OWNER", "manager@acme.test": "ANNOTATION_MANAGER",
                     "target@acme.test": "ANNOTATOR"}


async def test_the_last_owner_cannot_leave(world):
    w = await world(set())
    owner = w.callers["org_owner"]
    data = await owner("""mutation($o: ID!) { organizationMemberUpdate(input: {organizationId: $o,
        email: "owner@acme.test", role: MEMBER}) { errors { field code message } } }""", {"o": w.ids["org"]})
    assert data["organizationMemberUpdate"]["errors"][0]["code"] == "CONFLICT"
    data = await owner("""mutation($p: ID!) { projectMemberRemove(input: {projectId: $p,
        email: "owner@acme.test"}) { errors { code } } }""", {"p": w.ids["project"]})
    assert data["projectMemberRemove"]["errors"] == [{"code": "CONFLICT"}]


async def test_removing_an_org_member_removes_their_project_access(world):
    w = await world({"engineer"})
    engineer = w.callers["engineer"]
    assert (await engineer(NODES, {"ids": [w.ids["dataset"]]}))["nodes"] == [{"id": w.ids["dataset"]}]
    await w.callers["org_owner"]("""mutation($o: ID!) { organizationMemberRemove(input: {organizationId: $o,
        email: "engineer@acme.test"}) { errors { message } } }""", {"o": w.ids["org"]})
    assert (await engineer(NODES, {"ids": [w.ids["dataset"]]}))["nodes"] == [None]


async def test_bad_role_input_is_refused_by_the_schema(world):
    w = await world(set())
    body = await w.callers["org_owner"].raw("""mutation($o: ID!) { organizationMemberAdd(input: {
        organizationId: $o, email: "x@acme.test", role: BOSS}) { errors { code } } }""", {"o": w.ids["org"]})
    assert "BOSS" in body["errors"][0]["message"]
    data = await w.callers["org_owner"]("""mutation($o: ID!) { organizationMemberAdd(input: {
        organizationId: $o, email: "not-an-email", role: MEMBER}) { errors { field code message } } }""",
                                        {"o": w.ids["org"]})
    assert data["organizationMemberAdd"]["errors"][0]["field"] == ["email"]
