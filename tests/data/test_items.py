"""Items: bulk create (all or nothing), update with metadata merge, delete, counters, validation."""

from __future__ import annotations

from support import ITEMS

COUNTS = "query($d: ID!) { dataset(id: $d) { itemsCount annotatedCount items { totalCount } } }"


async def test_items_create_derives_paths_and_metadata(gql, build):
    ds = await build.dataset(await build.project())
    data = await gql("""mutation($d: ID!) { itemsCreate(input: {datasetId: $d, items: [
        {name: "a.jpg", dir: "train/cats/", mimetype: "image/jpeg", metadata: {split: "train"}, width: 640},
        {name: "b.jpg"}]}) {
        items { name dir filename mimetype metadata annotated hidden type dataset { id } } errors { message } } }""",
                     {"d": ds})
    a, b = data["itemsCreate"]["items"]
    assert (a["dir"], a["filename"]) == ("/train/cats", "/train/cats/a.jpg")
    assert a["metadata"] == {"system": {"mimetype": "image/jpeg", "width": 640}, "user": {"split": "train"}}
    assert (b["dir"], b["filename"], b["mimetype"]) == ("/", "/b.jpg", None)
    assert a["annotated"] is False and a["hidden"] is False and a["type"] == "file"
    assert a["dataset"]["id"] == ds
    assert (await gql(COUNTS, {"d": ds}))["dataset"]["itemsCount"] == 2


async def _rejected(gql, ds, items) -> list[dict]:
    data = await gql(ITEMS, {"d": ds, "items": items})
    assert data["itemsCreate"]["items"] == []
    return data["itemsCreate"]["errors"]


async def test_a_bad_entry_rejects_the_whole_batch(gql, build):
    ds = await build.dataset(await build.project())
    await build.items(ds, [{"name": "taken.jpg", "dir": "/x"}])

    errors = await _rejected(gql, ds, [{"name": "ok.jpg"}, {"name": "  "}])
    assert errors == [{"field": ["items", "1", "name"], "code": "INVALID", "message": "name must not be empty"}]

    errors = await _rejected(gql, ds, [{"name": "ok.jpg"}, {"name": "taken.jpg", "dir": "x/"}])
    assert errors[0]["field"] == ["items", "1", "name"] and errors[0]["code"] == "DUPLICATE"
    assert "/x/taken.jpg" in errors[0]["message"]

    errors = await _rejected(gql, ds, [{"name": "same.jpg"}, {"name": "same.jpg", "dir": "/"}])
    assert errors[0]["code"] == "DUPLICATE" and errors[0]["field"] == ["items", "1", "name"]

    errors = await _rejected(gql, ds, [{"name": "a/b.jpg"}])
    assert "must not contain '/'" in errors[0]["message"]

    errors = await _rejected(gql, ds, [{"name": "c.jpg", "dir": "/a/../b"}])
    assert errors[0]["field"] == ["items", "0", "dir"]

    errors = await _rejected(gql, ds, [{"name": "c.jpg", "metadata": [1, 2]}])
    assert errors[0]["field"] == ["items", "0", "metadata"] and "JSON object" in errors[0]["message"]

    errors = await _rejected(gql, ds, [{"name": f"{i}.jpg"} for i in range(1001)])
    assert errors == [{"field": ["items"], "code": "LIMIT_EXCEEDED",
                       "message": "items takes at most 1000 entries per call, got 1001"}]

    # nothing of any rejected batch was written
    counts = (await gql(COUNTS, {"d": ds}))["dataset"]
    assert counts["itemsCount"] == 1 and counts["items"]["totalCount"] == 1


async def test_unknown_dataset_is_not_found(gql, build):
    await build.project()
    errors = await _rejected(gql, "ds_01M838RVSWCPB46QHADY8CAD5R", [{"name": "a.jpg"}])
    assert errors[0]["code"] == "NOT_FOUND" and errors[0]["field"] == ["datasetId"]
    errors = await _rejected(gql, "prj_01M838RVSWCPB46QHADY8CAD5R", [{"name": "a.jpg"}])
    assert errors[0]["code"] == "NOT_FOUND" and "not the id of a Dataset" in errors[0]["message"]


async def test_item_update_merges_user_metadata(gql, build):
    ds = await build.dataset(await build.project())
    [item] = await build.items(ds, [{"name": "a.jpg", "mimetype": "image/jpeg",
                                     "metadata": {"split": "train", "score": 1, "keep": True}}])
    data = await gql("""mutation($id: ID!) { itemUpdate(input: {id: $id, dir: "/moved", name: "b.jpg",
        metadata: {score: 2, keep: null, new: {deep: [1, 2]}}}) {
        item { filename metadata } errors { message } } }""", {"id": item["id"]})
    updated = data["itemUpdate"]["item"]
    assert updated["filename"] == "/moved/b.jpg"
    assert updated["metadata"] == {"system": {"mimetype": "image/jpeg"},
                                   "user": {"split": "train", "score": 2, "new": {"deep": [1, 2]}}}


async def test_item_update_to_a_taken_path_changes_nothing(gql, build):
    ds = await build.dataset(await build.project())
    a, b = await build.items(ds, [{"name": "a.jpg"}, {"name": "b.jpg"}])
    data = await gql("""mutation($id: ID!) { itemUpdate(input: {id: $id, name: "b.jpg", metadata: {x: 1}}) {
        item { id } errors { field code } } }""", {"id": a["id"]})
    assert data["itemUpdate"] == {"item": None, "errors": [{"field": ["name"], "code": "DUPLICATE"}]}
    item = (await gql("query($id: ID!) { item(id: $id) { filename metadata } }", {"id": a["id"]}))["item"]
    assert item == {"filename": "/a.jpg", "metadata": {"system": {}, "user": {}}}


async def test_items_delete_keeps_counters_exact(gql, build):
    ds = await build.dataset(await build.project())
    items = await build.items(ds, [{"name": f"{i}.jpg"} for i in range(4)])
    await build.boxes([items[0]["id"], items[1]["id"]], per_item=2)
    assert (await gql(COUNTS, {"d": ds}))["dataset"] == {"itemsCount": 4, "annotatedCount": 2,
                                                         "items": {"totalCount": 4}}
    data = await gql("mutation($ids: [ID!]!) { itemsDelete(input: {ids: $ids}) { deletedIds errors { message } } }",
                     {"ids": [items[0]["id"], items[2]["id"]]})
    assert sorted(data["itemsDelete"]["deletedIds"]) == sorted([items[0]["id"], items[2]["id"]])
    assert (await gql(COUNTS, {"d": ds}))["dataset"] == {"itemsCount": 2, "annotatedCount": 1,
                                                         "items": {"totalCount": 2}}
    # an unknown id rejects the whole call
    data = await gql("mutation($ids: [ID!]!) { itemsDelete(input: {ids: $ids}) { deletedIds errors { field code } } }",
                     {"ids": [items[1]["id"], "itm_01M838RVSWCPB46QHADY8CAD5R"]})
    assert data["itemsDelete"] == {"deletedIds": [], "errors": [{"field": ["ids", "1"], "code": "NOT_FOUND"}]}
    assert (await gql(COUNTS, {"d": ds}))["dataset"]["itemsCount"] == 2


async def test_readonly_dataset_refuses_writes(gql, build):
    ds = await build.dataset(await build.project())
    await gql("mutation($d: ID!) { datasetUpdate(input: {id: $d, readonly: true}) { errors { message } } }", {"d": ds})
    errors = await _rejected(gql, ds, [{"name": "a.jpg"}])
    assert errors[0]["code"] == "CONFLICT" and "read-only" in errors[0]["message"]
