"""Command retention: the scheduler deletes finished commands older than LABELGRAPH_COMMAND_RETENTION_DAYS (30 by
default) and, in the same round, the blob collection deletes the zips only they kept; commands not finished stay
whatever their age. The app's clock is moved forward instead of waiting 30 days."""

from __future__ import annotations

import httpx
import sqlalchemy as sa
from support import Builder, job_finished

from labelgraph.data.content import BLOB
from labelgraph.jobs import queue

DAY = 24 * 3600
EXPORT = """mutation($i: DatasetExportInput!) { datasetExport(input: $i) { command { id } errors { code message } } }"""
GET = "query($id: ID!) { command(id: $id) { id status url } }"


async def finished(gql, id_: str) -> dict:
    return await job_finished(gql, GET, id_)


async def _prune_round(app) -> None:
    scheduler = app.state.labelgraph["engine"].scheduler
    async with scheduler._busy:  # noqa: SLF001  (the scheduler's own task must not run a round meanwhile)
        scheduler._next_prune = 0.0  # noqa: SLF001  (the prune round is due now)
        await scheduler.run_once()


async def test_finished_commands_and_their_exports_go_after_the_retention(gql, http, app, clock):
    b = Builder(gql)
    project = await b.project()
    dataset = await b.dataset(project, "exported")
    items = await b.items(dataset, [{"name": "a.jpg", "width": 100, "height": 50}])
    await b.boxes([i["id"] for i in items], 1)
    queued = (await gql(EXPORT, {"i": {"datasetId": dataset, "format": "COCO"}}))["datasetExport"]
    assert queued["errors"] == [], queued
    export = await finished(gql, queued["command"]["id"])
    assert export["status"] == "SUCCESS", export
    url = httpx.URL(export["url"]).raw_path.decode()
    db = app.state.labelgraph["db"]
    async with db.transaction() as uow:  # a command no process takes (no handler for its type): never finished
        waiting = await queue.create(uow, "test.nobody", project, {})
    async with db.read() as conn:
        blobs = (await conn.execute(sa.select(sa.func.count()).select_from(BLOB))).scalar()

    clock.advance(29 * DAY)  # within the retention: nothing goes
    await _prune_round(app)
    assert (await gql(GET, {"id": export["id"]}))["command"]["status"] == "SUCCESS"
    assert (await http.get(url)).status_code == 200

    clock.advance(2 * DAY)  # 31 days after: the export's command goes, and its zip with it
    await _prune_round(app)
    assert (await gql(GET, {"id": export["id"]}))["command"] is None
    assert (await gql(GET, {"id": waiting}))["command"]["status"] == "CREATED"
    async with db.read() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(BLOB))).scalar() == blobs - 1
    assert (await http.get(url)).status_code == 404
