"""A job type for tests, loaded by servers started with LABELGRAPH_JOB_MODULES=lg_job_fixtures (tests/jobs on
PYTHONPATH): ``test.gate`` waits until its ``gate`` file exists (a condition the test controls), then creates
``count`` items in ``datasetId`` in the transaction that marks it SUCCESS."""

from __future__ import annotations

import asyncio
from pathlib import Path

from labelgraph.data.commands import ItemCreate, ItemsCreate
from labelgraph.data.service.items import create_items
from labelgraph.jobs.registry import JobContext, JobResult, register


@register("test.gate")
async def gate(job: JobContext) -> JobResult:
    p = job.command.input
    await job.progress(0, 1, "waiting for the gate")
    while not Path(p["gate"]).exists():  # the test's condition, in another process: polled
        job.check_abort()
        await asyncio.sleep(0.05)
    async with job.transaction() as uow:
        ids = await create_items(uow, ItemsCreate(dataset_id=p["datasetId"], limit=1000, items=[
            ItemCreate(name=f"{i}.txt") for i in range(p["count"])]))
        await job.complete(uow, JobResult(result={"items": len(ids), "attempt": job.command.attempt}))
    return JobResult()
