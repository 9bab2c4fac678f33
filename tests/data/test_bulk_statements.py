"""Bulk creation (issue 16.9): itemsCreate and annotationsCreate of 1,000 rows cost the same statements as of 10
(set-based inserts of the rows and of their outbox events, the recipe checked once per dataset), every row still
gets its outbox event, and events no trigger waits for are not left for trigger matching."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from support import BOX

import labelgraph.auth  # noqa: F401  (a transaction without an Access acts as auth.SYSTEM)
from labelgraph.data.commands import ItemCreate, ItemsCreate
from labelgraph.data.service.items import create_items
from labelgraph.db import Database
from labelgraph.events.models import OutboxEvent, OutboxPending

LABELS = ["car", "bus", "bike"]
ITEMS = """mutation($d: ID!, $items: [ItemCreateInput!]!) { itemsCreate(input: {datasetId: $d, items: $items}) {
  items { id name dir filename metadata annotated } errors { field code message } } }"""
ANNOTATIONS = """mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: {annotations: $a}) {
  annotations { id label coordinates item { id } parent { id } } errors { field code message } } }"""


async def _dataset_with_recipe(gql, project: str) -> str:
    recipe = (await gql("""mutation($p: ID!, $l: [LabelInput!]) { recipeCreate(input: {projectId: $p, title: "R",
        labels: $l}) { recipe { id } errors { message } } }""", {"p": project, "l": [{"tag": t} for t in LABELS]}))
    data = await gql("""mutation($p: ID!, $r: ID) { datasetCreate(input: {projectId: $p, name: "bulk", recipeId: $r})
        { dataset { id } errors { message } } }""", {"p": project, "r": recipe["recipeCreate"]["recipe"]["id"]})
    return data["datasetCreate"]["dataset"]["id"]


async def test_a_thousand_rows_cost_the_statements_of_ten(gql, build, settings):
    ds = await _dataset_with_recipe(gql, await build.project())
    statements: dict[tuple[str, int], int] = {}
    for n in (10, 1000):
        data = (await gql(ITEMS, {"d": ds, "items": [{"name": f"{n}-{i}.jpg", "dir": "/bulk", "metadata": {"i": i}}
                                                     for i in range(n)]}))["itemsCreate"]
        assert data["errors"] == [] and len(data["items"]) == n
        statements["items", n] = gql.last_statements
        last = data["items"][-1]
        assert (last["filename"], last["metadata"]["user"], last["annotated"]) == (
            f"/bulk/{n}-{n - 1}.jpg", {"i": n - 1}, False)
        data = (await gql(ANNOTATIONS, {"a": [{"itemId": it["id"], "type": "BOX", "label": LABELS[i % 3],
                                               "coordinates": BOX} for i, it in enumerate(data["items"])]}
                          ))["annotationsCreate"]
        assert data["errors"] == [] and len(data["annotations"]) == n
        statements["annotations", n] = gql.last_statements
        assert [a["label"] for a in data["annotations"][:4]] == ["car", "bus", "bike", "car"]
        assert data["annotations"][0]["coordinates"] == BOX and data["annotations"][0]["parent"] is None
    assert statements["items", 1000] == statements["items", 10], statements
    assert statements["annotations", 1000] == statements["annotations", 10], statements

    counts = (await gql("query($d: ID!) { dataset(id: $d) { itemsCount annotatedCount } }", {"d": ds}))["dataset"]
    assert counts == {"itemsCount": 1010, "annotatedCount": 1010}
    # one outbox event per created row; no trigger in the project: none of them waits for trigger matching
    outbox = OutboxEvent.__table__
    db = Database(settings.database_url)
    try:
        async with db.read() as conn:
            rows = (await conn.execute(
                sa.select(outbox.c.resource, sa.func.count(), sa.func.count(outbox.c.matched_at))
                .where(outbox.c.action == "created", outbox.c.resource.in_(["item", "annotation"]))
                .group_by(outbox.c.resource))).all()
    finally:
        await db.dispose()
    assert sorted(tuple(r) for r in rows) == [("annotation", 1010, 1010), ("item", 1010, 1010)]


async def test_a_label_outside_the_recipe_is_refused_by_its_index(gql, build):
    ds = await _dataset_with_recipe(gql, await build.project())
    items = (await gql(ITEMS, {"d": ds, "items": [{"name": f"{i}.jpg"} for i in range(3)]}))["itemsCreate"]["items"]
    data = (await gql(ANNOTATIONS, {"a": [{"itemId": it["id"], "type": "BOX", "label": label, "coordinates": BOX}
                                          for it, label in zip(items, ["car", "tram", "bus"], strict=True)]}
                      ))["annotationsCreate"]
    assert data["annotations"] == []
    assert [e["field"] for e in data["errors"]] == [["annotations", "1", "label"]]
    counts = (await gql("query($d: ID!) { dataset(id: $d) { annotatedCount } }", {"d": ds}))["dataset"]
    assert counts == {"annotatedCount": 0}


async def test_a_failure_after_the_rows_are_written_leaves_nothing(gql, build, settings):
    """1,000 items are one COPY on PostgreSQL (db.copy_rows), inside the transaction: when the transaction fails
    after it, no item, no counter change and no outbox event (nor its pending row) remains."""
    ds = await _dataset_with_recipe(gql, await build.project())
    db = Database(settings.database_url)
    try:
        with pytest.raises(RuntimeError, match="after the rows"):
            async with db.transaction() as uow:
                written = await create_items(uow, ItemsCreate(
                    dataset_id=ds, items=[ItemCreate(name=f"{i}.jpg") for i in range(1000)], limit=1000))
                assert len(written) == 1000
                await uow.flush_events()  # the events and their pending rows written too
                raise RuntimeError("after the rows and their events")
        async with db.read() as conn:
            left = (await conn.execute(sa.select(sa.func.count()).select_from(OutboxEvent.__table__).where(
                OutboxEvent.__table__.c.entity_id.in_(written)))).scalar()
            pending = 0 if settings.is_sqlite else (await conn.execute(  # PostgreSQL's pending rows (0014)
                sa.select(sa.func.count()).select_from(OutboxPending.__table__).where(
                    ~sa.exists().where(OutboxEvent.__table__.c.id == OutboxPending.__table__.c.id)))).scalar()
    finally:
        await db.dispose()
    assert (left, pending) == (0, 0)
    data = (await gql("query($d: ID!) { dataset(id: $d) { itemsCount items(first: 1) { nodes { id } } } }",
                      {"d": ds}))["dataset"]
    assert data == {"itemsCount": 0, "items": {"nodes": []}}


async def test_annotation_counters_change_the_items_counters_not_their_updated_at(gql, build, settings):
    """annotationsCreate / annotationsDelete keep each item's annotationsCount and annotated exact and leave its
    updatedAt (the last change of the item's own fields) as it was. On PostgreSQL that makes the counter update of
    freshly created items HOT (migration 0016_bulkdb): no new index entry for any of them."""
    from labelgraph.data.commands import AnnotationCreate, AnnotationsCreate, AnnotationType
    from labelgraph.data.service.annotations import create_annotations

    ds = await _dataset_with_recipe(gql, await build.project())
    items = (await gql(ITEMS, {"d": ds, "items": [{"name": f"{i}.jpg"} for i in range(60)]}))["itemsCreate"]["items"]
    query = """query($d: ID!) { dataset(id: $d) { annotatedCount items(first: 100, orderBy: [{field: NAME}]) {
        nodes { id annotationsCount annotated updatedAt } } } }"""
    before = (await gql(query, {"d": ds}))["dataset"]["items"]["nodes"]
    db = Database(settings.database_url)
    try:
        async with db.transaction() as uow:
            specs = [AnnotationCreate(item_id=it["id"], type=AnnotationType.BOX, label="car", coordinates=BOX)
                     for it in items for _ in range(2)]
            created = await create_annotations(uow, AnnotationsCreate(annotations=specs, limit=len(specs)))
            if uow.conn.dialect.name == "postgresql":  # this transaction's own counts
                updates = (await uow.conn.execute(sa.text(
                    "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'item'"))).one()
                assert tuple(updates) == (60, 60)
    finally:
        await db.dispose()
    after = (await gql(query, {"d": ds}))["dataset"]
    assert after["annotatedCount"] == 60
    assert [(n["id"], n["annotationsCount"], n["annotated"], n["updatedAt"]) for n in after["items"]["nodes"]] == [
        (n["id"], 2, True, n["updatedAt"]) for n in before]

    deleted = (await gql("""mutation($ids: [ID!]!) { annotationsDelete(input: {ids: $ids}) { deletedIds
        errors { message } } }""", {"ids": created[:2]}))["annotationsDelete"]  # both boxes of the first item
    assert deleted["errors"] == [] and len(deleted["deletedIds"]) == 2
    after = (await gql(query, {"d": ds}))["dataset"]
    assert after["annotatedCount"] == 59
    emptied = [(n["id"], n["annotationsCount"], n["updatedAt"]) for n in after["items"]["nodes"] if not n["annotated"]]
    assert emptied == [(n["id"], 0, n["updatedAt"]) for n in before if n["id"] == items[0]["id"]]
