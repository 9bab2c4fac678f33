"""Query.items(projectId, datasetIds, filter, dql, orderBy): items across the datasets the caller can read, never
another tenant's; the same limits as Dataset.items."""

from __future__ import annotations

from support import Builder

ROOT = """query($p: ID, $ds: [ID!], $f: ItemFilter, $dql: JSON, $o: [ItemOrder!], $first: Int, $after: String) {
  items(projectId: $p, datasetIds: $ds, filter: $f, dql: $dql, orderBy: $o, first: $first, after: $after) {
    nodes { filename } pageInfo { hasNextPage endCursor } } }"""


async def _names(caller, **variables) -> list[str]:
    data = await caller(ROOT, variables)
    return [n["filename"] for n in data["items"]["nodes"]]


async def test_across_datasets_and_tenants(gql, as_user):
    b = Builder(gql)
    ann = await as_user("ann@a.test")
    bob = await as_user("bob@b.test")
    # ann's organization, two datasets; bob's organization, one dataset with the same metadata
    org_a = (await ann('mutation { organizationCreate(input: {name: "A"}) { organization { id } } }'))[
        "organizationCreate"]["organization"]["id"]
    pa = (await ann('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"}) '
                    '{ project { id } } }', {"o": org_a}))["projectCreate"]["project"]["id"]
    org_b = (await bob('mutation { organizationCreate(input: {name: "B"}) { organization { id } } }'))[
        "organizationCreate"]["organization"]["id"]
    pb = (await bob('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"}) '
                    '{ project { id } } }', {"o": org_b}))["projectCreate"]["project"]["id"]
    d1, d2, d3 = await b.dataset(pa, "one"), await b.dataset(pa, "two"), await b.dataset(pb, "three")
    await b.items(d1, [{"name": "a1.jpg", "metadata": {"score": 2}}, {"name": "a2.jpg", "metadata": {"score": 9}}])
    await b.items(d2, [{"name": "b1.jpg", "metadata": {"score": 5}}, {"name": "b2.png"}])
    await b.items(d3, [{"name": "c1.jpg", "metadata": {"score": 7}}])

    order = [{"metadata": "user.score", "direction": "DESC"}]
    assert await _names(ann, o=order) == ["/a2.jpg", "/b1.jpg", "/a1.jpg", "/b2.png"]
    assert await _names(bob, o=order) == ["/c1.jpg"]
    assert await _names(gql, o=order) == ["/a2.jpg", "/c1.jpg", "/b1.jpg", "/a1.jpg", "/b2.png"]  # admin: all
    assert await _names(ann, ds=[d2], o=order) == ["/b1.jpg", "/b2.png"]
    assert await _names(ann, p=pa, f={"metadata": [{"path": "user.score", "gte": 5}]}, o=order) == [
        "/a2.jpg", "/b1.jpg"]
    assert sorted(await _names(ann, dql={"filter": {"filename": "/*.jpg"}})) == ["/a1.jpg", "/a2.jpg", "/b1.jpg"]
    # keyset pages across datasets
    page = await ann(ROOT, {"o": order, "first": 3})
    rest = await ann(ROOT, {"o": order, "first": 3, "after": page["items"]["pageInfo"]["endCursor"]})
    assert [n["filename"] for n in rest["items"]["nodes"]] == ["/b2.png"]

    # another tenant's ids are not found (nothing is said about what exists there)
    for variables, argument in (({"ds": [d1, d3]}, "datasetIds"), ({"p": pb}, "projectId")):
        body = await ann.raw(ROOT, variables)
        [error] = body["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and error["message"].startswith(argument), error
    # limits as on Dataset.items
    body = await ann.raw(ROOT, {"first": 100000})
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    body = await ann.raw(ROOT, {"ds": [d1] * 101})
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    body = await ann.raw(ROOT, {"f": {"or": [{"name": {"eq": str(i)}} for i in range(201)]}})
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
