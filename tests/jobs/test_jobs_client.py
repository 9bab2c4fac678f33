"""The client's dataset-job helpers (clone_dataset, wait_for_command, CommandError) and `labelgraph datasets
clone`."""

from __future__ import annotations

import asyncio

import lg_job_fixtures  # noqa: F401  (registers the test.gate job type in this process)
import pytest
from support import ADMIN_TOKEN, Builder

from labelgraph.cli import main
from labelgraph.jobs import queue


@pytest.fixture
async def source(gql):
    b = Builder(gql)
    project = await b.project()
    dataset = await b.dataset(project, "source")
    items = await b.items(dataset, [{"name": "a.jpg", "dir": "/train"}, {"name": "b.jpg", "dir": "/val"}])
    await b.boxes([i["id"] for i in items], 1)
    return project, dataset


async def test_clone_dataset_waits_for_the_command_and_returns_its_result(client, source):
    project, dataset = source
    command = await client.clone_dataset(dataset, "copy", filter={"dir": {"eq": "/train"}}, timeout=30,
                                         poll_interval=0.05)
    assert command.status.value == "SUCCESS" and command.progress == 100
    assert command.result["items"] == 1 and command.result["annotations"] == 1
    again = await client.wait_for_command(command.id, timeout=30)
    assert again.id == command.id


async def test_wait_for_command_raises_command_error_when_the_job_ends_aborted(app, client, source, tmp_path):
    from labelgraph_client import CommandError

    project, dataset = source
    async with app.state.labelgraph["db"].transaction() as uow:
        id_ = await queue.create(uow, "test.gate", project, {"gate": str(tmp_path / "never"), "datasetId": dataset,
                                                             "count": 1})
    waiting = asyncio.create_task(client.wait_for_command(id_, timeout=30, poll_interval=0.05))
    await client.abort_command(id=id_)
    with pytest.raises(CommandError) as caught:
        await waiting
    assert caught.value.status == "ABORTED" and id_ in str(caught.value)


async def test_labelgraph_datasets_clone(served, gql, source, capsys):
    project, dataset = source
    code = await asyncio.to_thread(main, ["datasets", "clone", dataset, "cli copy", "--url", f"{served}/graphql",
                                          "--token", ADMIN_TOKEN, "--no-annotations", "--no-progress"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "with 2 items and 0 annotations" in out.out
    code = await asyncio.to_thread(main, ["datasets", "clone", dataset, "cli copy", "--url", f"{served}/graphql",
                                          "--token", ADMIN_TOKEN, "--no-progress"])
    assert code == 1 and "exists already" in capsys.readouterr().err


async def test_a_clone_shares_the_files_no_byte_is_copied(app, client, gql):
    import io

    import httpx
    import sqlalchemy as sa

    from labelgraph.data.content import BLOB
    from labelgraph_client import Upload

    b = Builder(gql)
    dataset = await b.dataset(await b.project(), "photos")
    body = b"\x89PNG not really, just bytes " * 100
    uploaded = await client.upload_items(dataset_id=dataset, dir="/", files=[
        Upload(filename="a.bin", content=io.BytesIO(body), content_type="application/octet-stream")])
    assert uploaded.errors == []
    command = await client.clone_dataset(dataset, "photos copy", timeout=30, poll_interval=0.05)
    items = await gql("query($d: ID!) { dataset(id: $d) { items { nodes { id sha256 url } } } }",
                      {"d": command.result["datasetId"]})
    [item] = items["dataset"]["items"]["nodes"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        assert (await http.get(item["url"])).content == body
    async with app.state.labelgraph["db"].read() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(BLOB))).scalar() == 1
