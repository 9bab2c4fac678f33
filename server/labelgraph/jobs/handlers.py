"""The built-in job types: ``clone`` and ``merge`` (set-based copies: data/service/copy.py). Each writes its
whole output in one transaction that also marks the command SUCCESS, so a job restarted after its server died
(kill -9) is done exactly once."""

from __future__ import annotations

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import DatasetCreate
from labelgraph.data.models import Item
from labelgraph.data.service.copy import copy_rows, new_salt, remap
from labelgraph.data.service.datasets import create_dataset
from labelgraph.errors import Problems
from labelgraph.jobs.registry import JobContext, JobResult, register
from labelgraph.jobs.service import DATASET, item_conditions, merge_sources
from labelgraph.workflow.models import TaskItem

ITEM = Item.__table__
TASK_ITEM = TaskItem.__table__


async def _source(uow, dataset_id: str):  # noqa: ANN001, ANN202
    row = (await uow.conn.execute(sa.select(DATASET.c.id, DATASET.c.project_id, DATASET.c.recipe_id)
                                  .where(DATASET.c.id == dataset_id))).first()
    if row is None:
        raise Problems.one("NOT_FOUND", f"dataset {dataset_id} was deleted before the job ran", ["datasetId"])
    return row


@register("clone")
async def clone(job: JobContext) -> JobResult:
    p = job.command.input
    await job.progress(0, 1, "cloning")
    job.check_abort()
    async with job.transaction() as uow:
        source = await _source(uow, p["datasetId"])
        same_project = p["projectId"] == source.project_id
        target = await create_dataset(uow, DatasetCreate(
            project_id=p["projectId"], name=p["name"], recipe_id=source.recipe_id if same_project else None))
        salt = new_salt()
        copied = await copy_rows(uow, source_ids=[source.id], target_id=target, target_project_id=p["projectId"],
                                 where=item_conditions(p.get("filter"), uow.conn.dialect.name),
                                 with_annotations=p.get("withAnnotations", True),
                                 with_metadata=p.get("withMetadata", True), salt=salt)
        statuses = 0
        if p.get("withItemStatuses") and same_project and copied.items:
            # the copies join the source items' tasks with their statuses (tasks belong to the project)
            cols = ("task_id", "project_id", "assignment_id", "status", "status_by", "status_at")
            result = await uow.conn.execute(sa.insert(TASK_ITEM).from_select(
                ["item_id", *cols, "created_at"],
                sa.select(remap(TASK_ITEM.c.item_id, salt), *[TASK_ITEM.c[c] for c in cols],
                          sa.literal(utcnow(), TASK_ITEM.c.created_at.type))
                .where(TASK_ITEM.c.item_id.in_(sa.select(ITEM.c.id).where(ITEM.c.dataset_id == source.id)),
                       remap(TASK_ITEM.c.item_id, salt).in_(sa.select(ITEM.c.id).where(ITEM.c.dataset_id == target)))))
            statuses = result.rowcount or 0
        await job.complete(uow, JobResult(result={
            "datasetId": target, "items": copied.items, "annotations": copied.annotations, "itemStatuses": statuses}))
    return JobResult()


@register("merge")
async def merge(job: JobContext) -> JobResult:
    p = job.command.input
    await job.progress(0, 1, "merging")
    job.check_abort()
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
        # a folder present in several datasets is copied once (the one with the smallest id)
        other = ITEM.alias("other")
        first_dir = sa.or_(ITEM.c.type != "dir", ITEM.c.id == sa.select(sa.func.min(other.c.id)).where(
            other.c.dataset_id.in_(ids), other.c.type == "dir", other.c.filename == ITEM.c.filename)
            .scalar_subquery())
        copied = await copy_rows(uow, source_ids=ids, target_id=target, target_project_id=sources[0].project_id,
                                 where=[first_dir], with_annotations=p.get("withAnnotations", True))
        await job.complete(uow, JobResult(result={"datasetId": target, "items": copied.items,
                                                  "annotations": copied.annotations}))
    return JobResult()
