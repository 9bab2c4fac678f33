"""commandAbort on a running job: cooperative, the command ends ABORTED within a second and writes nothing."""

from __future__ import annotations

import lg_job_fixtures  # noqa: F401  (registers the test.gate job type in this process)
from support import Builder, eventually

from labelgraph.jobs import queue

GET = "query($id: ID!) { command(id: $id) { status progress message version } }"
ABORT = """mutation($id: ID!) { commandAbort(input: {id: $id}) { command { status }
  errors { code message } } }"""


async def test_aborting_a_running_job_ends_it_aborted_within_a_second(app, gql, tmp_path):
    b = Builder(gql)
    project = await b.project()
    dataset = await b.dataset(project)
    db = app.state.labelgraph["db"]
    async with db.transaction() as uow:
        id_ = await queue.create(uow, "test.gate", project, {"gate": str(tmp_path / "never"), "datasetId": dataset,
                                                             "count": 3})

    async def running() -> bool:
        return (await gql(GET, {"id": id_}))["command"]["status"] == "IN_PROGRESS"

    await eventually(running, 10, "the job to start")
    data = await gql(ABORT, {"id": id_})
    assert data["commandAbort"]["errors"] == []

    async def aborted() -> bool:
        return (await gql(GET, {"id": id_}))["command"]["status"] == "ABORTED"

    await eventually(aborted, 10, "the job to end ABORTED")
    items = await gql("query($d: ID!) { dataset(id: $d) { itemsCount } }", {"d": dataset})
    assert items["dataset"]["itemsCount"] == 0
    data = await gql(ABORT, {"id": id_})
    assert data["commandAbort"]["errors"][0]["code"] == "CONFLICT"
