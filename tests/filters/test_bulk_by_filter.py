"""itemsUpdate by ids, typed filter or DQL: one transaction, a fixed number of SQL statements whatever the
count, the count returned, one outbox event per changed item; refusals write nothing."""

from __future__ import annotations

import sqlalchemy as sa
from support import Builder, insert_items
from test_dql import filenames

from labelgraph.db import Database
from labelgraph.events.models import OutboxEvent

UPDATE = """mutation($i: ItemsUpdateInput!) { itemsUpdate(input: $i) { count errors { field code message } } }"""
META = """query($d: ID!) { dataset(id: $d) { items(first: 100) { nodes { filename hidden metadata } } } }"""


async def _events(settings, ids: list[str]) -> dict[str, int]:
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            rows = (await conn.execute(sa.select(OutboxEvent.entity_id, sa.func.count()).where(
                OutboxEvent.action == "updated", OutboxEvent.resource == "item").group_by(OutboxEvent.entity_id)))
            counts = dict(rows.all())
    finally:
        await db.dispose()
    return {i: counts.get(i, 0) for i in ids}


async def test_update_by_filter_merges_metadata_hides_moves_and_emits_one_event_per_item(gql, settings):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, [
        {"name": "a.jpg", "dir": "/in", "metadata": {"tags": ["night"], "score": 1, "old": True}},
        {"name": "b.jpg", "dir": "/in", "metadata": {"tags": ["day"], "score": 2, "old": True}},
        {"name": "c.jpg", "dir": "/in/sub", "metadata": {"tags": ["night", "day"]}},
        {"name": "d.jpg", "dir": "/other"}])
    ids = {i["filename"]: i["id"] for i in items}
    night = {"metadata": [{"path": "user.tags", "eq": "night"}]}
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "filter": night,
                                    "metadata": {"split": "val", "old": None, "box": {"x": 1}}}})
    assert data["itemsUpdate"] == {"count": 2, "errors": []}
    nodes = {n["filename"]: n for n in (await gql(META, {"d": dataset}))["dataset"]["items"]["nodes"]}
    assert nodes["/in/a.jpg"]["metadata"]["user"] == {"tags": ["night"], "score": 1, "split": "val", "box": {"x": 1}}
    assert nodes["/in/sub/c.jpg"]["metadata"]["user"] == {"tags": ["night", "day"], "split": "val", "box": {"x": 1}}
    assert nodes["/in/b.jpg"]["metadata"]["user"] == {"tags": ["day"], "score": 2, "old": True}
    # a DQL document (its defaults: visible files) hides what it selects; then a move by ids
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "dql": {"filter": {"metadata.user.split": "val"}},
                                    "hidden": True}})
    assert data["itemsUpdate"]["count"] == 2
    assert sorted(await filenames(gql, dataset, f={"hidden": True})) == ["/in/a.jpg", "/in/sub/c.jpg"]
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "ids": [ids["/in/b.jpg"], ids["/other/d.jpg"]],
                                    "dir": "/moved"}})
    assert data["itemsUpdate"]["count"] == 2
    assert sorted(await filenames(gql, dataset, f={"dir": {"eq": "/moved"}})) == ["/moved/b.jpg", "/moved/d.jpg"]
    assert await _events(settings, list(ids.values())) == {
        ids["/in/a.jpg"]: 2, ids["/in/sub/c.jpg"]: 2, ids["/in/b.jpg"]: 1, ids["/other/d.jpg"]: 1}


async def test_refusals_write_nothing(gql, settings):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, [{"name": "a.jpg", "dir": "/x"}, {"name": "a.jpg", "dir": "/y"}])
    # moving both into one folder would give two items one filename: nothing moves
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "filter": {}, "dir": "/z", "hidden": True}})
    assert data["itemsUpdate"]["count"] == 0
    [error] = data["itemsUpdate"]["errors"]
    assert error["code"] == "DUPLICATE" and error["field"] == ["dir"]
    assert sorted(await filenames(gql, dataset, f={"hidden": False})) == ["/x/a.jpg", "/y/a.jpg"]
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "ids": [items[0]["id"]], "filter": {}, "hidden": True}})
    assert data["itemsUpdate"]["errors"][0]["message"].startswith("give exactly one of ids, filter or dql")
    data = await gql(UPDATE, {"i": {"datasetId": dataset, "filter": {}}})
    assert data["itemsUpdate"]["errors"][0]["message"].startswith("nothing to change")
    body = await gql.raw(UPDATE, {"i": {"datasetId": dataset, "dql": {"filter": {"$match": 1}}, "hidden": True}})
    assert "$match" in body["errors"][0]["message"]
    assert await _events(settings, [i["id"] for i in items]) == {i["id"]: 0 for i in items}


async def test_the_statement_count_does_not_grow_with_the_items_changed(gql, app):
    b = Builder(gql)
    counts = {}
    for n in (10, 10_000):
        dataset = await b.dataset(await b.project(name=f"p{n}"))
        # set-up in one statement (10,000 items through itemsCreate took most of this test's time)
        await insert_items(app.state.labelgraph["db"], dataset,
                           [{"name": f"{i}.jpg", "metadata": {"n": i % 3}} for i in range(n)])
        variables = {"i": {"datasetId": dataset, "filter": {"metadata": [{"path": "user.n", "in": [0, 1]}]},
                           "metadata": {"checked": True}, "hidden": True}}
        body = await gql.raw(UPDATE, variables)
        assert body["data"]["itemsUpdate"] == {"count": sum(1 for i in range(n) if i % 3 < 2), "errors": []}
        counts[n] = gql.last_statements
    print("statements per itemsUpdate:", counts)
    assert counts[10] == counts[10_000], counts


DELETE = """mutation($i: ItemsDeleteInput!) { itemsDelete(input: $i) { deletedIds errors { code message } } }"""
COUNT = "query($d: ID!) { dataset(id: $d) { itemsCount } }"


async def test_delete_by_filter_or_dql_in_a_fixed_number_of_statements(gql, settings):
    b = Builder(gql)
    counts = {}
    for n in (10, 2_000):
        dataset = await b.dataset(await b.project(name=f"d{n}"))
        items = await b.items(dataset, [{"name": f"{i}.jpg", "dir": "/a" if i % 2 else "/b"} for i in range(n)])
        await b.boxes([items[1]["id"], items[2]["id"]], 1)
        body = await gql.raw(DELETE, {"i": {"datasetId": dataset, "filter": {"dir": {"eq": "/a"}}}})
        counts[n] = gql.last_statements
        deleted = body["data"]["itemsDelete"]["deletedIds"]
        assert sorted(deleted) == sorted(i["id"] for i in items if i["filename"].startswith("/a/"))
        assert await filenames(gql, dataset, f={"dir": {"eq": "/a"}}) == []
        assert (await gql(COUNT, {"d": dataset}))["dataset"]["itemsCount"] == n // 2
    assert counts[10] == counts[2_000], counts
    # DQL, with its defaults (visible files)
    dataset = await b.dataset(await b.project(name="dql"))
    await b.items(dataset, [{"name": "x.jpg", "metadata": {"tags": ["bad"]}}, {"name": "y.jpg"}])
    data = await gql(DELETE, {"i": {"datasetId": dataset, "dql": {"filter": {"metadata.user.tags": "bad"}}}})
    assert len(data["itemsDelete"]["deletedIds"]) == 1
    assert await filenames(gql, dataset) == ["/y.jpg"]
    body = await gql.raw(DELETE, {"i": {"filter": {}}})
    assert body["errors"][0]["message"] == "input: a filter or dql needs datasetId and no ids"
    assert await filenames(gql, dataset) == ["/y.jpg"]


TASK = """mutation($d: ID!) { taskCreate(input: {datasetId: $d, name: "T", assignees: [{email: "ann@x.test"}],
  availableActions: [{action: "completed"}, {action: "discard"}]}) { task { id } errors { message } } }"""
STATUS = """mutation($i: ItemsStatusSetInput!) { itemsStatusSet(input: $i) { itemIds
  task { progress { byStatus { status count } } } errors { field code message } } }"""


async def test_items_status_set_by_filter_or_dql(gql, build, as_user):
    project = await build.project()
    dataset = await build.dataset(project)
    items = await build.items(dataset, [{"name": f"{i}.jpg", "dir": "/a" if i < 6 else "/b",
                                         "metadata": {"q": i % 2}} for i in range(10)])
    await gql("""mutation($p: ID!) { projectMemberAdd(input: {projectId: $p, email: "ann@x.test",
      role: ANNOTATOR}) { errors { message } } }""", {"p": project})
    task = (await gql(TASK, {"d": dataset}))["taskCreate"]["task"]["id"]
    ids = {i["filename"]: i["id"] for i in items}
    data = await gql(STATUS, {"i": {"taskId": task, "status": "completed", "filter": {"dir": {"eq": "/a"}}}})
    assert sorted(data["itemsStatusSet"]["itemIds"]) == sorted(ids[f"/a/{i}.jpg"] for i in range(6))
    data = await gql(STATUS, {"i": {"taskId": task, "status": "discard",
                                    "dql": {"filter": {"metadata.user.q": 1, "dir": "/b"}}}})
    assert sorted(data["itemsStatusSet"]["itemIds"]) == sorted([ids["/b/7.jpg"], ids["/b/9.jpg"]])
    assert data["itemsStatusSet"]["task"]["progress"]["byStatus"] == [
        {"status": "completed", "count": 6}, {"status": "discard", "count": 2}, {"status": None, "count": 2}]
    body = await gql.raw(STATUS, {"i": {"taskId": task, "status": "discard", "itemIds": [ids["/b/8.jpg"]],
                                        "filter": {}}})
    assert body["errors"][0]["message"] == "input: give itemIds, filter or dql, not both"


ANNOTATIONS_UPDATE = """mutation($a: [AnnotationUpdateInput!]!) { annotationsUpdate(input: {annotations: $a}) {
  annotations { id label status metadata } errors { field code message } } }"""


async def test_annotations_update_each_with_its_own_changes_in_fixed_statements(gql):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    items = await b.items(dataset, [{"name": f"{i}.jpg"} for i in range(3)])
    counts = {}
    for n in (3, 300):
        ids = await b.boxes([i["id"] for i in items], n // 3)
        changes = [{"id": a, "label": f"l{k % 2}", "status": "approved" if k % 3 else None,
                    "metadata": {"k": k}} for k, a in enumerate(ids)]
        body = await gql.raw(ANNOTATIONS_UPDATE, {"a": changes})
        counts[n] = gql.last_statements
        payload = body["data"]["annotationsUpdate"]
        assert payload["errors"] == []
        got = {a["id"]: a for a in payload["annotations"]}
        for k, a in enumerate(ids):
            assert got[a]["label"] == f"l{k % 2}" and got[a]["metadata"]["user"] == {"k": k}
            assert got[a]["status"] == ("approved" if k % 3 else None)
    assert counts[3] == counts[300], counts
    # one bad change refuses the call: nothing written
    body = await gql.raw(ANNOTATIONS_UPDATE, {"a": [{"id": ids[0], "label": "ok"}, {"id": ids[1], "label": ""}]})
    [error] = body["data"]["annotationsUpdate"]["errors"]
    assert error["field"] == ["annotations", "1", "label"]
    body = await gql.raw(ANNOTATIONS_UPDATE, {"a": [{"id": ids[0], "label": "x"}]})
    assert body["data"]["annotationsUpdate"]["annotations"][0]["label"] == "x"
