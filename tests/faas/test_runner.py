"""The worker (labelgraph.engine.runner) on the generated client against the in-process app: the sample
classifier end to end, archives, termination, timeouts, expired leases, failures."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import zipfile

import pytest
from faas_support import CLAIM, PACKAGE, SERVICE, TRIGGER, deploy, execute, get_execution, wait_for
from support import Clock

from labelgraph.engine.runner import Runner
from labelgraph.engine.scheduler import Scheduler


@contextlib.asynccontextmanager
async def running(client, tmp_path, **kw):
    runner = Runner(client, worker_id=kw.pop("worker_id", "test-worker"), wait_seconds=0.5,
                    cache_dir=tmp_path / "cache", **kw)
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait_for(task, 20)


async def test_sample_classifier_end_to_end(gql, faas, client, build, tmp_path):
    data = await gql(PACKAGE, {"input": {
        "projectId": faas.project, "name": "classifier",
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.classifier:Classifier"},
        "modules": [{"functions": [{"name": "classify", "inputs": [{"type": "ITEM"}]}]}]}})
    package = data["packageCreate"]["package"]["id"]
    data = await gql(SERVICE, {"input": {"packageId": package, "initParams": {"labels": {"cat": "cat"}}}})
    service = data["serviceCreate"]["service"]["id"]
    await gql(TRIGGER, {"input": {"serviceId": service, "functionName": "classify"}})
    items = await build.items(faas.dataset, [{"name": "cat-01.jpg"}, {"name": "bird.jpg"}])
    async with running(client, tmp_path, service_ids=[service]):
        for _ in range(200):
            found = await gql("""query($s: ID!) { service(id: $s) { executions { nodes { id status output } } } }""",
                              {"s": service})
            nodes = found["service"]["executions"]["nodes"]
            if len(nodes) == 2 and all(n["status"] == "SUCCESS" for n in nodes):
                break
            await asyncio.sleep(0.1)
    assert sorted(n["output"]["label"] for n in nodes) == ["cat", "other"]
    data = await gql("""query($d: ID!) { dataset(id: $d) { items(orderBy: [{field: NAME}]) { nodes { name metadata
      annotations { nodes { type label } } } } } }""", {"d": faas.dataset})
    got = {n["name"]: (n["metadata"]["user"], n["annotations"]["nodes"]) for n in data["dataset"]["items"]["nodes"]}
    assert got["cat-01.jpg"] == ({"classifiedAs": "cat"}, [{"type": "CLASSIFICATION", "label": "cat"}])
    assert got["bird.jpg"][0] == {"classifiedAs": "other"} and items


async def test_archive_codebase_is_unpacked_into_a_checksum_cache(gql, faas, client, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("main.py", "from helper import double\n\nclass ServiceRunner:\n"
                    "    def __init__(self, factor=1):\n        self.factor = factor\n"
                    "    def run(self, config):\n        return double(config) * self.factor\n")
        zf.writestr("helper.py", "def double(x):\n    return 2 * x\n")
    data = await gql(PACKAGE, {"input": {
        "projectId": faas.project, "name": "zipped",
        "codebase": {"type": "ARCHIVE", "reference": "main:ServiceRunner", "filename": "code.zip",
                     "archive": base64.b64encode(buf.getvalue()).decode()},
        "modules": [{"functions": [{"name": "run", "inputs": [{"type": "INTEGER"}]}]}]}})
    assert data["packageCreate"]["errors"] == []
    checksum = data["packageCreate"]["package"]["codebase"]["checksum"]
    svc = (await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"],
                                         "initParams": {"factor": 10}}}))["serviceCreate"]["service"]["id"]
    exe = await execute(gql, svc, "run", {"config": 4})
    async with running(client, tmp_path, service_ids=[svc]):
        done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"})
    assert done["status"] == "SUCCESS", done
    assert done["output"] == 80
    assert (tmp_path / "cache" / checksum / "main.py").exists()


async def test_a_pause_keeps_the_services_process_new_init_params_replace_it(gql, faas, client, tmp_path):
    """A child process is replaced when what it loads changes (here: initParams), not when its service is
    paused and resumed: the same process, with its instance's state, runs the next execution."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        # the process is told by a token drawn when it starts (in a sandbox with its own pid namespace every
        # function process is pid 2)
        zf.writestr("main.py", "import os\n\nPROCESS = os.urandom(8).hex()\n\nclass Counter:\n"
                    "    def __init__(self, name='a'):\n        self.name, self.calls = name, 0\n"
                    "    def run(self):\n        self.calls += 1\n"
                    "        return {'process': PROCESS, 'calls': self.calls, 'name': self.name}\n")
    data = await gql(PACKAGE, {"input": {
        "projectId": faas.project, "name": "counter",
        "codebase": {"type": "ARCHIVE", "reference": "main:Counter", "filename": "code.zip",
                     "archive": base64.b64encode(buf.getvalue()).decode()},
        "modules": [{"functions": [{"name": "run"}]}]}})
    svc = (await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"]}})
           )["serviceCreate"]["service"]["id"]

    async def run_once(runner) -> dict:
        exe = await execute(gql, svc, "run")
        done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"})
        assert done["status"] == "SUCCESS", done
        return done["output"]

    async with running(client, tmp_path, service_ids=[svc], slots=1) as runner:
        first = await run_once(runner)
        for active in (False, True):
            data = await gql("mutation($s: ID!, $a: Boolean!) { serviceUpdate(input: {id: $s, active: $a}) "
                             "{ errors { code } } }", {"s": svc, "a": active})
            assert data["serviceUpdate"]["errors"] == []
        runner._code.clear()  # as if the worker's 10-second cache of the service had run out
        again = await run_once(runner)
        assert again == {"process": first["process"], "calls": 2, "name": "a"}
        data = await gql("mutation($s: ID!) { serviceUpdate(input: {id: $s, initParams: {name: \"b\"}}) "
                         "{ errors { code } } }", {"s": svc})
        assert data["serviceUpdate"]["errors"] == []
        runner._code.clear()
        replaced = await run_once(runner)
        assert replaced["process"] != first["process"] and replaced["calls"] == 1 and replaced["name"] == "b"


async def test_failures_terminate_and_progress_through_the_runner(gql, faas, client, tmp_path):
    # a heartbeat missed on a loaded machine (1.5 s lease) requeues rather than fails: this test is about
    # terminate, not about onReset (tests/faas/test_reset.py)
    await gql("mutation($s: ID!) { serviceUpdate(input: {id: $s, onReset: RERUN}) { errors { code } } }",
              {"s": faas.service})
    failing = await execute(gql, faas.service, "fail", {"message": "no luck"})
    slow = await execute(gql, faas.service, "sleep", {"seconds": 30})
    blocking = await execute(gql, faas.service, "block", {"seconds": 30})
    async with running(client, tmp_path, service_ids=[faas.service], lease_seconds=1.5):
        failed = await wait_for(gql, failing["id"], {"FAILED"})
        assert "RuntimeError: no luck" in failed["latestStatus"]["message"]
        await wait_for(gql, slow["id"], {"IN_PROGRESS"})
        await wait_for(gql, blocking["id"], {"IN_PROGRESS"})
        for exe in (slow, blocking):
            await gql("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { code } } }",
                      {"id": exe["id"]})
        for exe in (slow, blocking):
            ended = await wait_for(gql, exe["id"], {"TERMINATED", "FAILED", "SUCCESS"}, timeout=10)
            assert ended["status"] == "TERMINATED" and ended["toTerminate"] is True


async def test_progress_reports_land_in_the_status_log(gql, faas, client, tmp_path):
    exe = await execute(gql, faas.service, "sleep", {"seconds": 0.3})
    async with running(client, tmp_path, service_ids=[faas.service]):
        done = await wait_for(gql, exe["id"], {"SUCCESS"})
    assert {"status": "IN_PROGRESS", "percentComplete": 50, "message": "half way"} in [
        {k: e[k] for k in ("status", "percentComplete", "message")} for e in done["statusLog"]]
    assert done["version"] == len(done["statusLog"])  # one version per committed change


async def test_expired_leases_requeue_until_max_attempts_then_fail(gql, faas, app):
    await gql("mutation($s: ID!) { serviceUpdate(input: {id: $s, maxAttempts: 2, onReset: RERUN}) { errors { code } }"
              " }", {"s": faas.service})
    exe = await execute(gql, faas.service, "noop")
    for attempt, after_lease in ((1, "CREATED"), (2, "FAILED")):
        [claim] = (await gql(CLAIM, {"w": f"w{attempt}", "s": [faas.service], "m": 1, "l": 60}))[
            "executionsClaim"]["claims"]
        assert claim["execution"]["attempts"] == attempt
        # no heartbeat: the reaper requeues it once the lease has run out, and fails it after the last attempt
        clock = Clock()
        reaper = Scheduler(app.state.labelgraph["db"], now=clock)
        clock.advance(59)
        await reaper.run_once()
        assert (await get_execution(gql, exe["id"]))["status"] == "IN_PROGRESS"
        clock.advance(2)
        await reaper.run_once()
        ended = await get_execution(gql, exe["id"])
        assert ended["status"] == after_lease
    assert "last of 2 attempts" in ended["latestStatus"]["message"]


async def test_execution_timeout_fails_a_run(gql, faas, client, tmp_path):
    await gql("mutation($s: ID!) { serviceUpdate(input: {id: $s, executionTimeout: 1}) { errors { code } } }",
              {"s": faas.service})
    exe = await execute(gql, faas.service, "sleep", {"seconds": 20})
    async with running(client, tmp_path, service_ids=[faas.service], lease_seconds=1.5):
        ended = await wait_for(gql, exe["id"], {"FAILED", "SUCCESS"}, timeout=10)
    assert ended["status"] == "FAILED" and "timed out" in ended["latestStatus"]["message"]


@pytest.mark.parametrize("workers", [3])
async def test_several_runners_run_each_execution_once(gql, faas, client, tmp_path, workers):
    _, svc = await deploy(gql, faas.project, name="many", concurrency=5)
    ids = [(await execute(gql, svc, "echo", {"config": i}))["id"] for i in range(30)]
    runners = [Runner(client, worker_id=f"r{i}", wait_seconds=0.3, service_ids=[svc]) for i in range(workers)]
    tasks = [asyncio.create_task(r.run()) for r in runners]
    try:
        for id_ in ids:
            await wait_for(gql, id_, {"SUCCESS"})
    finally:
        for r in runners:
            r.stop()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)
    assert sum(r.completed for r in runners) == 30
    for id_ in ids:
        exe = await get_execution(gql, id_)
        assert exe["attempts"] == 1
