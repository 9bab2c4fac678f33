"""context.progress(...) from functions, through both worker ports: a plain (thread) function's reports arrive as
a coroutine's do, all of them, in order, in the status log and on executionUpdated; increments add up."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from faas_support import PACKAGE, SERVICE, execute, wait_for
from support import WS

from labelgraph.engine.local import LocalWorkerPort
from labelgraph.engine.runner import Runner

WATCH = """subscription($id: ID!) { executionUpdated(id: $id) { version status
  latestStatus { status percentComplete message } } }"""
STEPS = [{"name": name, "inputs": [{"type": "INTEGER", "name": "count"},
                                   {"type": "INTEGER", "name": "increment", "defaultValue": 0}]}
         for name in ("steps", "async_steps")]


async def _deploy(gql, build) -> str:
    project = await build.project()
    data = await gql(PACKAGE, {"input": {
        "projectId": project, "name": "steps",
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"name": "default_module", "functions": STEPS}]}})
    assert data["packageCreate"]["errors"] == [], data
    data = await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"], "name": "steps"}})
    assert data["serviceCreate"]["errors"] == [], data
    return data["serviceCreate"]["service"]["id"]


@contextlib.asynccontextmanager
async def _worker(kind: str, app, client, service: str, tmp_path):
    port = client if kind == "graphql" else LocalWorkerPort(
        app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    runner = Runner(port, worker_id=f"{kind}-worker", wait_seconds=0.5, service_ids=[service],
                    cache_dir=tmp_path / "cache")
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait_for(task, 20)


@pytest.mark.parametrize("kind", ["graphql", "local"])
@pytest.mark.parametrize("function", ["steps", "async_steps"])
async def test_five_progress_steps_arrive_in_order_in_the_log_and_on_the_subscription(
        gql, build, app, client, served, admin_token, tmp_path, kind, function):
    service = await _deploy(gql, build)
    exe = await execute(gql, service, function, {"count": 5})
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", WATCH, {"id": exe["id"]})
        assert (await ws.next("1"))["executionUpdated"]["status"] == "CREATED"
        async with _worker(kind, app, client, service, tmp_path):
            done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"})
            received = []
            while True:
                message = await ws.receive()
                if message["type"] == "complete":
                    break
                received.append(message["payload"]["data"]["executionUpdated"])
    assert done["status"] == "SUCCESS" and done["output"] == 5, done
    steps = [{"status": "IN_PROGRESS", "percentComplete": 10 * i, "message": f"step {i}"} for i in range(1, 6)]
    log = [{k: e[k] for k in ("status", "percentComplete", "message")} for e in done["statusLog"]]
    assert log[2:7] == steps and [e["status"] for e in log] == ["CREATED", "IN_PROGRESS", *["IN_PROGRESS"] * 5,
                                                                 "SUCCESS"]
    assert [r["latestStatus"] for r in received[1:6]] == steps
    assert [r["version"] for r in received] == list(range(2, 9))


@pytest.mark.parametrize("function", ["steps", "async_steps"])
async def test_increments_add_up_and_stop_at_100(gql, build, app, client, tmp_path, function):
    service = await _deploy(gql, build)
    exe = await execute(gql, service, function, {"count": 4, "increment": 30})
    async with _worker("local", app, client, service, tmp_path):
        done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"})
    assert done["status"] == "SUCCESS", done
    reports = [(e["percentComplete"], e["message"]) for e in done["statusLog"] if e["message"]
               and e["message"].startswith("step")]
    assert reports == [(30, "step 1"), (60, "step 2"), (90, "step 3"), (100, "step 4")]
