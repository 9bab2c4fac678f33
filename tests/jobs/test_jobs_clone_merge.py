"""Dataset jobs through GraphQL: clone and merge as Commands (set-based copies sharing blobs), abort, bad input
(CONFLICT, FORBIDDEN, NOT_FOUND), commands(filter) and the commandUpdated stream."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import WS, Builder, job_finished, subscribers_reach

from labelgraph.data.service.copy import copy_dataset_rows
from labelgraph.db import start_statement_count
from labelgraph.events.models import OutboxEvent

CMD = "id type status progress message error result version createdAt updatedAt url"
CLONE = f"""mutation($i: DatasetCloneInput!) {{ datasetClone(input: $i) {{ command {{ {CMD} }}
  errors {{ field code message }} }} }}"""
MERGE = f"""mutation($i: DatasetsMergeInput!) {{ datasetsMerge(input: $i) {{ command {{ {CMD} }}
  errors {{ field code message }} }} }}"""
ABORT = f"""mutation($id: ID!) {{ commandAbort(input: {{id: $id}}) {{ command {{ {CMD} }}
  errors {{ field code message }} }} }}"""
GET = f"query($id: ID!) {{ command(id: $id) {{ {CMD} }} }}"
ITEMS = """query($d: ID!) { dataset(id: $d) { name itemsCount
  items(first: 100, orderBy: [{field: FILENAME}]) { nodes { filename metadata annotations { nodes { label type } } }
  } } }"""


async def finished(gql, id_: str) -> dict:
    return await job_finished(gql, GET, id_)


@pytest.fixture
async def world(gql):
    b = Builder(gql)
    project = await b.project()
    source = await b.dataset(project, "source")
    items = await b.items(source, [
        {"name": "a.jpg", "dir": "/train", "metadata": {"weather": "sun"}},
        {"name": "b.jpg", "dir": "/train"},
        {"name": "c.jpg", "dir": "/test"},
    ])
    await b.boxes([i["id"] for i in items], 2)
    return {"project": project, "source": source, "items": items, "b": b}


async def test_clone_copies_items_and_annotations_as_a_command(app, gql, world):
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "copy"}})
    assert data["datasetClone"]["errors"] == []
    command = data["datasetClone"]["command"]
    assert command["type"] == "clone" and command["status"] in ("CREATED", "IN_PROGRESS")
    done = await finished(gql, command["id"])
    assert done["status"] == "SUCCESS", done
    assert done["progress"] == 100 and done["result"]["items"] == 3 and done["result"]["annotations"] == 6
    assert done["url"] is None
    src, copy = [(await gql(ITEMS, {"d": d}))["dataset"] for d in (world["source"], done["result"]["datasetId"])]
    assert copy["name"] == "copy" and copy["itemsCount"] == 3

    def shape(ds: dict) -> list:
        return [(n["filename"], n["metadata"], [(a["label"], a["type"]) for a in n["annotations"]["nodes"]])
                for n in ds["items"]["nodes"]]

    assert shape(copy) == shape(src)
    # one item "created" event per copy in the outbox: triggers and datasetChanged see the new items
    outbox = OutboxEvent.__table__
    async with app.state.labelgraph["db"].read() as conn:
        events = (await conn.execute(sa.select(outbox.c.entity_id, outbox.c.payload).where(
            outbox.c.resource == "item", outbox.c.action == "created",
            outbox.c.project_id == world["project"]))).all()
    copied = [e for e in events if e.payload["datasetId"] == done["result"]["datasetId"]]
    assert sorted(e.payload["filename"] for e in copied) == ["/test/c.jpg", "/train/a.jpg", "/train/b.jpg"]
    assert all(e.entity_id.startswith("itm_") and e.payload["id"] == e.entity_id for e in copied)


async def test_clone_with_a_filter_and_without_metadata_or_annotations(gql, world):
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "train only",
                                   "filter": {"dir": {"eq": "/train"}}, "withAnnotations": False,
                                   "withMetadata": False}})
    done = await finished(gql, data["datasetClone"]["command"]["id"])
    assert done["status"] == "SUCCESS", done
    assert (done["result"]["items"], done["result"]["annotations"]) == (2, 0)
    copy = (await gql(ITEMS, {"d": done["result"]["datasetId"]}))["dataset"]
    assert [n["filename"] for n in copy["items"]["nodes"]] == ["/train/a.jpg", "/train/b.jpg"]
    assert all(n["metadata"]["user"] == {} and n["annotations"]["nodes"] == [] for n in copy["items"]["nodes"])


async def test_the_copy_is_a_bounded_number_of_statements_whatever_the_size(app, gql, world):
    db = app.state.labelgraph["db"]
    b = world["b"]
    big = await b.dataset(world["project"], "big")
    items = await b.items(big, [{"name": f"{i}.jpg", "dir": "/"} for i in range(60)])
    await b.boxes([i["id"] for i in items], 3)
    counts = []
    for source, name, n in ((world["source"], "small copy", 3), (big, "big copy", 60)):
        target = await b.dataset(world["project"], name)
        counter = start_statement_count()
        async with db.transaction() as uow:
            copied = await copy_dataset_rows(uow, source_dataset_id=source, target_dataset_id=target)
        counts.append(counter[0])
        assert copied.items == n
    assert counts[0] == counts[1] <= 16, counts  # the same whatever the size (BEGIN and COMMIT included)


async def test_merge_of_datasets_sharing_a_recipe_and_refusal_when_recipes_differ(gql, world):
    b = world["b"]
    other = await b.dataset(world["project"], "other")
    await b.items(other, [{"name": "d.jpg", "dir": "/train"}])
    data = await gql(MERGE, {"i": {"datasetIds": [world["source"], other], "name": "merged"}})
    assert data["datasetsMerge"]["command"] is None
    [error] = data["datasetsMerge"]["errors"]
    assert error["code"] == "CONFLICT" and "different recipes" in error["message"]
    recipe = (await gql("query($d: ID!) { dataset(id: $d) { recipe { id } } }", {"d": world["source"]})
              )["dataset"]["recipe"]["id"]
    await gql("mutation($d: ID!, $r: ID!) { datasetUpdate(input: {id: $d, recipeId: $r}) { errors { message } } }",
              {"d": other, "r": recipe})
    data = await gql(MERGE, {"i": {"datasetIds": [world["source"], other], "name": "merged"}})
    assert data["datasetsMerge"]["errors"] == []
    done = await finished(gql, data["datasetsMerge"]["command"]["id"])
    assert done["status"] == "SUCCESS", done
    assert (done["result"]["items"], done["result"]["annotations"]) == (4, 6)
    merged = (await gql(ITEMS, {"d": done["result"]["datasetId"]}))["dataset"]
    assert [n["filename"] for n in merged["items"]["nodes"]] == [
        "/test/c.jpg", "/train/a.jpg", "/train/b.jpg", "/train/d.jpg"]


async def test_merge_fails_the_command_when_file_names_clash(gql, world):
    b = world["b"]
    recipe = (await gql("query($d: ID!) { dataset(id: $d) { recipe { id } } }", {"d": world["source"]})
              )["dataset"]["recipe"]["id"]
    other = await b.dataset(world["project"], "other")
    await gql("mutation($d: ID!, $r: ID!) { datasetUpdate(input: {id: $d, recipeId: $r}) { errors { message } } }",
              {"d": other, "r": recipe})
    await b.items(other, [{"name": "a.jpg", "dir": "/train"}])
    data = await gql(MERGE, {"i": {"datasetIds": [world["source"], other], "name": "merged"}})
    done = await finished(gql, data["datasetsMerge"]["command"]["id"])
    assert done["status"] == "FAILED" and "/train/a.jpg" in done["error"], done
    names = await gql("query($p: ID!) { project(id: $p) { datasets { nodes { name } } } }", {"p": world["project"]})
    assert "merged" not in [n["name"] for n in names["project"]["datasets"]["nodes"]]


async def test_aborting_a_finished_command_is_a_conflict_and_commands_filter(gql, as_user, world):
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "copy"}})
    done = await finished(gql, data["datasetClone"]["command"]["id"])
    data = await gql(ABORT, {"id": done["id"]})
    assert data["commandAbort"]["command"] is None
    [error] = data["commandAbort"]["errors"]
    assert error["code"] == "CONFLICT" and error["field"] == ["id"] and "SUCCESS" in error["message"]
    page = await gql("query($f: CommandFilter) { commands(filter: $f) { totalCount nodes { id status } } }",
                     {"f": {"projectId": world["project"], "types": ["clone"], "statuses": ["SUCCESS"]}})
    assert page["commands"]["nodes"] == [{"id": done["id"], "status": "SUCCESS"}]
    none = await gql("query($f: CommandFilter) { commands(filter: $f) { nodes { id } } }",
                     {"f": {"types": ["merge"]}})
    assert none["commands"]["nodes"] == []
    stranger = await as_user("eve@example.com")  # another tenant sees nothing of it
    assert (await stranger(GET, {"id": done["id"]}))["command"] is None
    assert (await stranger("{ commands { totalCount } }"))["commands"]["totalCount"] == 0
    assert (await stranger(ABORT, {"id": done["id"]}))["commandAbort"]["errors"][0]["code"] == "NOT_FOUND"


async def test_bad_input_not_found_forbidden_invalid(gql, as_user, world):
    missing = "ds_01JD3ZZZZZZZZZZZZZZZZZZZZZ"
    data = await gql(CLONE, {"i": {"datasetId": missing, "name": "x"}})
    [error] = data["datasetClone"]["errors"]
    assert error["code"] == "NOT_FOUND" and error["field"] == ["datasetId"]
    await gql("mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e, "
              "role: ANNOTATOR}) { errors { message } } }", {"p": world["project"], "e": "ann@example.com"})
    annotator = await as_user("ann@example.com")
    body = await annotator.raw(CLONE, {"i": {"datasetId": world["source"], "name": "x"}})
    [error] = body["errors"]  # a caller who sees the dataset but may not change it: FORBIDDEN, as everywhere
    assert error["extensions"]["code"] == "FORBIDDEN" and error["extensions"]["permission"] == "dataset.write"
    stranger = await as_user("eve@example.com")
    data = await stranger(CLONE, {"i": {"datasetId": world["source"], "name": "x"}})
    assert data["datasetClone"]["errors"][0]["code"] == "NOT_FOUND"
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "source"}})
    assert data["datasetClone"]["errors"][0]["code"] == "DUPLICATE"
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "x",
                                   "filter": {"metadata": [{"path": "a", "gt": {"no": "object"}}]}}})
    [error] = data["datasetClone"]["errors"]
    assert error["code"] == "INVALID" and error["field"] == ["filter"], error
    page = await gql("{ commands { totalCount } }")
    assert page["commands"]["totalCount"] == 0  # nothing was queued


async def test_command_updated_streams_every_version_in_order_until_terminal(app, served, gql, admin_token, world):
    broker = app.state.labelgraph["broker"]
    data = await gql(CLONE, {"i": {"datasetId": world["source"], "name": "copy"}})
    id_ = data["datasetClone"]["command"]["id"]
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", "subscription($id: ID!) { commandUpdated(id: $id) { id status progress version } }",
                           {"id": id_})
        await subscribers_reach(broker, 1)
        seen = []
        while True:
            message = await ws.receive()
            if message["type"] == "complete":
                break
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["commandUpdated"])
    versions = [s["version"] for s in seen]
    assert versions == list(range(versions[0], versions[0] + len(versions)))
    assert seen[-1]["status"] == "SUCCESS" and seen[-1]["progress"] == 100


async def test_clone_and_merge_report_progress_per_table_copied(app, gql, world):
    """Each step is committed while the copy's one transaction is still open (PostgreSQL: another connection);
    on SQLite the copy holds the one writer lock, so progress goes from 0 to 100 at commit (documented)."""
    db = app.state.labelgraph["db"]
    outbox = OutboxEvent.__table__

    async def progress_of(id_: str) -> list[int]:
        async with db.read() as conn:
            payloads = (await conn.execute(sa.select(outbox.c.payload).where(
                outbox.c.resource == "command", outbox.c.entity_id == id_).order_by(outbox.c.id))).scalars().all()
        seen = [p["progress"] for p in payloads]
        return [v for k, v in enumerate(seen) if k == 0 or v != seen[k - 1]]

    b = world["b"]
    other = await b.dataset(world["project"], "other")
    recipe = (await gql("query($d: ID!) { dataset(id: $d) { recipe { id } } }", {"d": world["source"]})
              )["dataset"]["recipe"]["id"]
    await gql("mutation($d: ID!, $r: ID!) { datasetUpdate(input: {id: $d, recipeId: $r}) { errors { message } } }",
              {"d": other, "r": recipe})
    await b.items(other, [{"name": "d.jpg", "dir": "/train"}])
    clone = (await gql(CLONE, {"i": {"datasetId": world["source"], "name": "copy"}}))["datasetClone"]["command"]
    merge = (await gql(MERGE, {"i": {"datasetIds": [world["source"], other], "name": "merged"}})
             )["datasetsMerge"]["command"]
    assert (await finished(gql, clone["id"]))["status"] == "SUCCESS"
    assert (await finished(gql, merge["id"]))["status"] == "SUCCESS"
    if db.is_sqlite:
        assert await progress_of(clone["id"]) == [0, 100]
        assert await progress_of(merge["id"]) == [0, 100]
    else:  # clone: items, annotations, then the events; merge: items and annotations of each source
        assert await progress_of(clone["id"]) == [0, 33, 66, 100]
        assert await progress_of(merge["id"]) == [0, 20, 40, 60, 80, 100]
