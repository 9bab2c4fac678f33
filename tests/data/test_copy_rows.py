"""copy_dataset_rows: the set-based copy of a dataset's rows (clones, merges, versions): a fixed number of
statements whatever the count, new ids, parent links remapped, blobs shared, counters exact."""

from __future__ import annotations

import sqlalchemy as sa

from labelgraph.data.filters import ItemFilter, item_query
from labelgraph.data.models import Annotation, Item
from labelgraph.data.service import copy_dataset_rows
from labelgraph.db import start_statement_count
from labelgraph.errors import Problems
from labelgraph.graph.filters import StringFilter
from labelgraph.ids import prefix_of

ITEM, ANNOTATION = Item.__table__, Annotation.__table__
PARENT = """mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: {annotations: $a}) {
  annotations { id } errors { message } } }"""


async def _world(gql, build, project: str, name: str, n: int) -> tuple[str, list[str]]:
    """A dataset of n items (split, user metadata), each with a box and, on even items, a point whose parent is
    the box."""
    ds = await build.dataset(project, name)
    items = await build.items(ds, [{"name": f"{i:04}.jpg", "dir": f"/d{i % 3}", "metadata": {"k": i}}
                                   for i in range(n)])
    ids = [i["id"] for i in items]
    boxes = await build.boxes(ids, 1)
    data = await gql(PARENT, {"a": [{"itemId": ids[i], "type": "POINT", "label": "car", "coordinates": {"x": 1, "y": 2},
                                     "parentId": boxes[i], "attributes": {"a": i}} for i in range(0, n, 2)]})
    assert data["annotationsCreate"]["errors"] == []
    await gql("""mutation($d: ID!) { itemsSplitSet(input: {datasetId: $d, filter: {dir: {eq: "/d0"}},
                 split: "test"}) { count } }""", {"d": ds})
    return ds, ids


async def _copy(db, **kw) -> tuple[int, object]:
    statements = start_statement_count()
    async with db.transaction() as uow:
        result = await copy_dataset_rows(uow, **kw)
    return statements[0], result


async def _rows(db, table, dataset_id: str) -> list:
    async with db.read() as conn:
        return (await conn.execute(sa.select(table).where(table.c.dataset_id == dataset_id).order_by(
            table.c.id))).mappings().all()


async def test_the_statement_count_does_not_grow_with_the_rows(app, gql, build):
    db = app.state.labelgraph["db"]
    project = await build.project()
    counts = {}
    for n in (10, 200):
        source, _ = await _world(gql, build, project, f"src{n}", n)
        target = await build.dataset(project, f"copy{n}")
        counts[n], result = await _copy(db, source_dataset_id=source, target_dataset_id=target)
        assert (result.items, result.annotations, result.annotated) == (n, n + n // 2, n)
    assert counts[10] == counts[200] <= 14, counts

    # the copy of 200: same rows, new ids, references remapped, blobs shared, counters exact
    src_items, dst_items = await _rows(db, ITEM, source), await _rows(db, ITEM, target)
    assert len(dst_items) == 200 and not {r["id"] for r in src_items} & {r["id"] for r in dst_items}
    assert all(prefix_of(r["id"]) == "itm" for r in dst_items)
    assert [r["id"] for r in dst_items] == sorted(r["id"] for r in dst_items)  # the source's order kept
    by_name = {r["filename"]: r for r in src_items}
    for r in dst_items:
        s = by_name[r["filename"]]
        for col in ("name", "dir", "split", "metadata", "storage_key", "sha256", "annotations_count", "annotated",
                    "created_at"):
            assert r[col] == s[col], col
        assert r["project_id"] == s["project_id"]
    new_item = {s["id"]: r["id"] for s in src_items for r in dst_items if r["filename"] == s["filename"]}
    src_anns, dst_anns = await _rows(db, ANNOTATION, source), await _rows(db, ANNOTATION, target)
    assert len(dst_anns) == 300 and all(prefix_of(a["id"]) == "ann" for a in dst_anns)
    dst_by_id = {a["id"]: a for a in dst_anns}
    children = [a for a in dst_anns if a["parent_id"]]
    assert len(children) == 100
    for child in children:  # the parent is the copy of the original's parent, on the same new item
        parent = dst_by_id[child["parent_id"]]
        assert parent["item_id"] == child["item_id"] and parent["type"] == "box"
    assert sorted(new_item[a["item_id"]] for a in src_anns) == sorted(a["item_id"] for a in dst_anns)
    assert sorted(a["attributes"]["a"] for a in children) == list(range(0, 200, 2))
    counts_q = "query($d: ID!) { dataset(id: $d) { itemsCount annotatedCount items { totalCount } } }"
    assert (await gql(counts_q, {"d": target}))["dataset"] == {"itemsCount": 200, "annotatedCount": 200,
                                                               "items": {"totalCount": 200}}


async def test_a_filtered_copy_without_annotations_or_user_metadata(app, gql, build):
    db = app.state.labelgraph["db"]
    project = await build.project()
    source, _ = await _world(gql, build, project, "src", 9)
    target = await build.dataset(project, "copy")
    node, _ = item_query(ItemFilter(dir=StringFilter(eq="/d0")), None, None)
    _, result = await _copy(db, source_dataset_id=source, target_dataset_id=target, item_filter=node,
                            with_annotations=False, with_metadata=False)
    assert (result.items, result.annotations) == (3, 0)
    rows = await _rows(db, ITEM, target)
    assert {r["dir"] for r in rows} == {"/d0"} and {r["split"] for r in rows} == {"test"}
    assert all(r["metadata"]["user"] == {} and not r["annotated"] and r["annotations_count"] == 0 for r in rows)
    assert await _rows(db, ANNOTATION, target) == []

    # the same paths again: DUPLICATE and nothing written; "skip" leaves them out
    try:
        await _copy(db, source_dataset_id=source, target_dataset_id=target)
        raise AssertionError("a copy onto existing paths was accepted")
    except Problems as exc:
        assert exc.problems[0].code == "DUPLICATE" and "/d0/0000.jpg" in exc.problems[0].message
    assert len(await _rows(db, ITEM, target)) == 3
    _, result = await _copy(db, source_dataset_id=source, target_dataset_id=target, on_conflict="skip")
    assert (result.items, result.annotations) == (6, 6 + 3)
    counts = "query($d: ID!) { dataset(id: $d) { itemsCount annotatedCount } }"
    assert (await gql(counts, {"d": target}))["dataset"] == {"itemsCount": 9, "annotatedCount": 6}
