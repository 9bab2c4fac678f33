"""The built-in job types: ``clone`` and ``merge``, set-based copies with the one copy function
(data/service/copy.py ``copy_dataset_rows``). Each writes its whole output in one transaction that also marks the
command SUCCESS, so a job restarted after its server died (kill -9) is done exactly once.

Progress comes in steps, one per table copied (per source dataset for a merge), then the events: on PostgreSQL
each step is committed at once from another connection while the copy's transaction is still open (the command
row is not locked by it until ``complete``), so commandUpdated shows 25, 50, … before the copy is visible; a copy
that fails then rolls back whole and the command ends FAILED at the progress it had reached. On SQLite the copy's
transaction holds the one writer lock, so steps are not written (registry.JobContext.progress) and progress goes
from 0 to 100 at commit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import DatasetCreate
from labelgraph.data.models import Item
from labelgraph.data.service.copy import copy_dataset_rows
from labelgraph.data.service.datasets import create_dataset
from labelgraph.db import UnitOfWork, matched_at_unless_watched
from labelgraph.errors import Problems
from labelgraph.events.models import OutboxEvent
from labelgraph.ids import new_id
from labelgraph.jobs.registry import JobContext, JobResult, register
from labelgraph.jobs.service import DATASET, item_node, merge_sources
from labelgraph.workflow.models import TaskItem

ITEM = Item.__table__
TASK_ITEM = TaskItem.__table__
OUTBOX = OutboxEvent.__table__


async def _source(uow: UnitOfWork, dataset_id: str) -> Any:
    row = (await uow.conn.execute(sa.select(DATASET.c.id, DATASET.c.project_id, DATASET.c.recipe_id)
                                  .where(DATASET.c.id == dataset_id))).first()
    if row is None:
        raise Problems.one("NOT_FOUND", f"dataset {dataset_id} was deleted before the job ran", ["datasetId"])
    return row


def _json_object(dialect: str, pairs: list[tuple[str, Any]]) -> sa.ColumnElement:
    args: list[Any] = []
    for k, v in pairs:
        args += [sa.literal(k), v]
    return (sa.func.jsonb_build_object if dialect == "postgresql" else sa.func.json_object)(*args)


def _bool(dialect: str, col: sa.ColumnElement) -> sa.ColumnElement:
    return col if dialect == "postgresql" else sa.func.json(sa.case((col, "true"), else_="false"))


async def emit_item_events(uow: UnitOfWork, dataset_id: str) -> None:
    """One ``item`` ``created`` outbox event per item of the new dataset ``dataset_id``, in one statement (the
    outbox sweep publishes them; triggers and ``datasetChanged`` see them)."""
    dialect = uow.conn.dialect.name
    now = utcnow()
    i = ITEM
    payload = _json_object(dialect, [
        ("id", i.c.id), ("datasetId", i.c.dataset_id), ("name", i.c.name), ("dir", i.c.dir),
        ("filename", i.c.filename), ("type", i.c.type), ("mimetype", i.c.mimetype),
        ("hidden", _bool(dialect, i.c.hidden)), ("annotated", _bool(dialect, i.c.annotated)), ("split", i.c.split),
        ("metadata", i.c.metadata if dialect == "postgresql" else sa.func.json(i.c.metadata)),
        ("createdAt", sa.literal(now.isoformat())), ("updatedAt", sa.literal(now.isoformat())),
    ])
    # time-sortable, unique: a fresh ULID's first 16 characters (now, 30 random bits) + the item id's last 10
    event_id = sa.literal("evt_" + new_id("x")[2:18]).concat(sa.func.substr(i.c.id, sa.func.length(i.c.id) - 9))
    at = sa.literal(now, OUTBOX.c.created_at.type)
    await uow.conn.execute(sa.insert(OUTBOX).from_select(
        ["id", "project_id", "resource", "action", "entity_id", "payload", "created_at", "published_at", "matched_at"],
        sa.select(event_id, i.c.project_id, sa.literal("item"), sa.literal("created"), i.c.id, payload, at, sa.null(),
                  matched_at_unless_watched(i.c.project_id, sa.literal("item"), at))  # unwatched: matched at once
        .where(i.c.dataset_id == dataset_id)))


async def copy_statuses(uow: UnitOfWork, source_id: str, target_id: str) -> int:
    """The copies join their originals' tasks with their statuses (matched by path: one statement)."""
    old, new = ITEM.alias("old"), ITEM.alias("new")
    cols = ("task_id", "project_id", "assignment_id", "status", "status_by", "status_at")
    result = await uow.conn.execute(sa.insert(TASK_ITEM).from_select(
        ["item_id", *cols, "created_at"],
        sa.select(new.c.id, *[TASK_ITEM.c[c] for c in cols], sa.literal(utcnow(), TASK_ITEM.c.created_at.type))
        .select_from(TASK_ITEM.join(old, old.c.id == TASK_ITEM.c.item_id)
                     .join(new, sa.and_(new.c.dataset_id == target_id, new.c.filename == old.c.filename)))
        .where(old.c.dataset_id == source_id)))
    return result.rowcount or 0


@register("clone")
async def clone(job: JobContext) -> JobResult:
    p = job.command.input
    await job.progress(0, 1, "cloning")
    job.check_abort()
    steps = ["items", "annotations"] if p.get("withAnnotations", True) else ["items"]
    total = len(steps) + 1

    async def step(name: str) -> None:
        job.check_abort()
        await job.progress(steps.index(name) + 1, total, f"cloning: {name} copied", step=True)

    async with job.transaction() as uow:
        source = await _source(uow, p["datasetId"])
        same_project = p["projectId"] == source.project_id
        target = await create_dataset(uow, DatasetCreate(
            project_id=p["projectId"], name=p["name"], recipe_id=source.recipe_id if same_project else None))
        copied = await copy_dataset_rows(uow, source_dataset_id=source.id, target_dataset_id=target,
                                         item_filter=item_node(p.get("filter")),
                                         with_annotations=p.get("withAnnotations", True),
                                         with_metadata=p.get("withMetadata", True), on_step=step)
        statuses = 0
        if p.get("withItemStatuses") and same_project and copied.items:
            statuses = await copy_statuses(uow, source.id, target)
        await emit_item_events(uow, target)
        await job.complete(uow, JobResult(result={
            "datasetId": target, "items": copied.items, "annotations": copied.annotations, "itemStatuses": statuses}))
    return JobResult()


@register("merge")
async def merge(job: JobContext) -> JobResult:
    p = job.command.input
    await job.progress(0, 1, "merging")
    job.check_abort()
    per_source = 2 if p.get("withAnnotations", True) else 1
    total = per_source * len(p["datasetIds"]) + 1
    async with job.transaction() as uow:
        sources = await merge_sources(uow, p["datasetIds"])
        ids = [s.id for s in sources]
        clash = (await uow.conn.execute(
            sa.select(ITEM.c.filename).where(ITEM.c.dataset_id.in_(ids), ITEM.c.type != "dir")
            .group_by(ITEM.c.filename).having(sa.func.count() > 1).order_by(ITEM.c.filename).limit(5))).scalars().all()
        if clash:
            raise Problems.one("CONFLICT", f"the datasets hold items with the same file names ({', '.join(clash)}"
                               f"{', …' if len(clash) == 5 else ''}); rename or remove them before merging",
                               ["datasetIds"])
        target = await create_dataset(uow, DatasetCreate(project_id=sources[0].project_id, name=p["name"],
                                                         recipe_id=sources[0].recipe_id))
        items = annotations = 0
        for k, source in enumerate(sources):
            job.check_abort()

            async def step(name: str, k: int = k, source: Any = source) -> None:
                job.check_abort()
                done = per_source * k + (1 if name == "items" else 2)
                await job.progress(done, total, f"merging: {name} of {source.id} copied ({k + 1}/{len(sources)})",
                                   step=True)

            # files cannot clash (checked above): what a later dataset skips are folders an earlier one brought
            copied = await copy_dataset_rows(uow, source_dataset_id=source.id, target_dataset_id=target,
                                             with_annotations=p.get("withAnnotations", True), on_conflict="skip",
                                             on_step=step)
            items, annotations = items + copied.items, annotations + copied.annotations
        await emit_item_events(uow, target)
        await job.complete(uow, JobResult(result={"datasetId": target, "items": items, "annotations": annotations}))
    return JobResult()
