"""Execution logs: what a function prints (stdout, stderr) and logs (``logging``) is captured in its child
process, shipped by its worker in batches through the worker port (both adapters), and read as
``Execution.logs`` and ``Service.logs``; bounded by LABELGRAPH_MAX_LOG_BYTES (one marker line says how much
was dropped) and pruned after LABELGRAPH_LOG_RETENTION_DAYS."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from faas_support import PACKAGE, SERVICE, execute, wait_for

from labelgraph.engine.local import LocalWorkerPort
from labelgraph.engine.runner import Runner

CHATTER = [{"name": "chatter", "inputs": [{"type": "INTEGER", "name": "lines"}]},
           {"name": "async_chatter", "inputs": [{"type": "INTEGER", "name": "lines"},
                                                {"type": "FLOAT", "name": "seconds", "defaultValue": 0.0}]}]
LOGS = """query($id: ID!, $first: Int, $after: String) { execution(id: $id) { status attempts
  logs(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  nodes { time stream level text attempt executionId } } } }"""
SERVICE_LOGS = """query($s: ID!, $f: ExecutionLogFilter, $first: Int) { service(id: $s) {
  logs(filter: $f, first: $first) { totalCount nodes { text level stream executionId } } } }"""


async def _deploy(gql, build, **service) -> str:
    project = await build.project()
    data = await gql(PACKAGE, {"input": {
        "projectId": project, "name": "chatter",
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"name": "default_module", "functions": CHATTER}]}})
    assert data["packageCreate"]["errors"] == [], data
    data = await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"], "name": "chatter",
                                         **service}})
    assert data["serviceCreate"]["errors"] == [], data
    return data["serviceCreate"]["service"]["id"]


@contextlib.asynccontextmanager
async def _worker(kind: str, app, client, service: str, tmp_path, plane_max: int = 10 * 2**20, **options):
    port = client if kind == "graphql" else LocalWorkerPort(
        app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app, plane_max)
    runner = Runner(port, worker_id=f"{kind}-worker", wait_seconds=0.5, service_ids=[service],
                    cache_dir=tmp_path / "cache", **options)
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait_for(task, 20)


async def _all_lines(gql, id_: str, page: int = 100) -> list[dict]:
    lines, after = [], None
    while True:
        data = (await gql(LOGS, {"id": id_, "first": page, "after": after}))["execution"]["logs"]
        lines += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            return lines
        after = data["pageInfo"]["endCursor"]


@pytest.mark.parametrize("kind", ["local", "graphql"])
async def test_what_a_function_prints_and_logs_is_read_in_order(gql, build, app, client, tmp_path, kind):
    service = await _deploy(gql, build)
    exe = await execute(gql, service, "chatter", {"lines": 250})
    async with _worker(kind, app, client, service, tmp_path):
        done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"})
    assert done["status"] == "SUCCESS", done
    lines = await _all_lines(gql, exe["id"])  # three pages and a bit
    assert [(x["stream"], x["level"], x["text"]) for x in lines] == [
        *[("STDOUT", None, f"line {i}") for i in range(250)],
        ("STDERR", None, "to stderr"),
        ("LOG", "INFO", "chatter: info 250"),
        ("LOG", "WARNING", "chatter: careful"),
        ("LOG", "ERROR", "chatter: bad"),
    ]  # DEBUG is below the default level; nothing of the platform's own loggers
    assert {(x["attempt"], x["executionId"]) for x in lines} == {(1, exe["id"])}
    times = [x["time"] for x in lines]
    assert times == sorted(times)


async def test_service_logs_filter_by_execution_level_and_time(gql, build, app, client, tmp_path):
    service = await _deploy(gql, build)
    async with _worker("local", app, client, service, tmp_path):
        first = await execute(gql, service, "chatter", {"lines": 2})
        assert (await wait_for(gql, first["id"], {"SUCCESS", "FAILED"}))["status"] == "SUCCESS"
        second = await execute(gql, service, "chatter", {"lines": 3})  # after the first: its lines are later
        assert (await wait_for(gql, second["id"], {"SUCCESS", "FAILED"}))["status"] == "SUCCESS"
    every = (await gql(SERVICE_LOGS, {"s": service, "first": 100}))["service"]["logs"]
    assert every["totalCount"] == (2 + 4) + (3 + 4)
    only = (await gql(SERVICE_LOGS, {"s": service, "f": {"executionId": second["id"]}}))["service"]["logs"]
    assert [n["text"] for n in only["nodes"]][:3] == ["line 0", "line 1", "line 2"]
    assert {n["executionId"] for n in only["nodes"]} == {second["id"]}
    warnings = (await gql(SERVICE_LOGS, {"s": service, "f": {"level": "WARNING"}}))["service"]["logs"]
    assert [(n["level"], n["text"]) for n in warnings["nodes"]] == [
        ("WARNING", "chatter: careful"), ("ERROR", "chatter: bad")] * 2
    lines = await _all_lines(gql, second["id"])
    since = lines[0]["time"]
    later = (await gql(SERVICE_LOGS, {"s": service, "f": {"since": since}}))["service"]["logs"]
    assert later["totalCount"] == 3 + 4  # the second execution's lines only
    before = (await gql(SERVICE_LOGS, {"s": service, "f": {"until": since}}))["service"]["logs"]
    assert before["totalCount"] == 2 + 4


@pytest.mark.parametrize("where", ["plane", "worker"])
async def test_output_beyond_the_limit_is_dropped_and_one_marker_says_how_much(
        gql, build, app, client, tmp_path, where):
    service = await _deploy(gql, build)
    exe = await execute(gql, service, "chatter", {"lines": 1000})  # "line 0" … "line 999": 6 890 bytes
    plane, worker = (700, 10**6) if where == "plane" else (10**6, 700)
    async with _worker("local", app, client, service, tmp_path, plane, max_log_bytes=worker):
        assert (await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"}))["status"] == "SUCCESS"
    lines = await _all_lines(gql, exe["id"])
    texts = [x["text"] for x in lines]
    kept = [t for t in texts if t.startswith("line ")]
    assert kept == [f"line {i}" for i in range(len(kept))] and sum(len(t) for t in kept) <= 700
    assert len(kept) > 50
    markers = [t for t in texts if "dropped" in t]
    total = sum(len(f"line {i}") for i in range(1000)) + len("to stderr") + len("chatter: info 1000") + \
        len("chatter: careful") + len("chatter: bad")
    assert len(markers) == 1, texts[-5:]
    assert f"{total - sum(len(t) for t in kept)} bytes of output dropped" in markers[0]


async def test_a_hundred_thousand_lines_do_not_hold_up_the_heartbeats(gql, build, app, client, tmp_path):
    # a lease of 3 s (a heartbeat every second) while 100,000 lines are shipped: one late heartbeat and the
    # reaper (running in the app) fails the execution (onReset FAILED, the default)
    service = await _deploy(gql, build)
    exe = await execute(gql, service, "async_chatter", {"lines": 100_000, "seconds": 3.0})
    async with _worker("local", app, client, service, tmp_path, lease_seconds=3.0):
        done = await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"}, timeout=120)
    assert done["status"] == "SUCCESS" and done["attempts"] == 1, done["statusLog"]
    assert not [e for e in done["statusLog"] if "expired" in (e["message"] or "")]
    data = (await gql(LOGS, {"id": exe["id"], "first": 1}))["execution"]["logs"]
    assert data["totalCount"] == 100_001  # every line, and the warning
    assert data["nodes"][0]["text"] == "line 0"
