"""Sync replies (domain.md §5.4): ``executionCreate`` / ``executionRerun`` with ``wait: true`` answer when the
execution has ended, or after ``timeoutSec`` with its current state and a TIMEOUT error; the wait follows the change
stream (its SQL statements do not grow with the changes it waits through), is bounded in time and in number, and
refuses bad input before writing. Shortcut inputs ``itemId`` / ``datasetId`` / ``annotationId`` (§5.5)."""

from __future__ import annotations

import asyncio

from faas_support import CLAIM, deploy, execute, executions_of, get_execution
from support import eventually

from labelgraph.faas.subscriptions import WAITING

CREATE = """mutation($s: ID!, $f: String, $i: JSON, $wait: Boolean! = true, $t: Int, $item: ID, $ds: ID, $ann: ID) {
  executionCreate(input: {serviceId: $s, functionName: $f, input: $i, wait: $wait, timeoutSec: $t,
                          itemId: $item, datasetId: $ds, annotationId: $ann}) {
    execution { id status version output error input } errors { field code message } } }"""
RERUN = """mutation($id: ID!, $t: Int) { executionRerun(input: {id: $id, wait: true, timeoutSec: $t}) {
  execution { id status version output } errors { field code message } } }"""
PROGRESS = """mutation($id: ID!, $p: Int!) { executionProgress(input: {id: $id, workerId: "w1", percentComplete: $p}) {
  errors { code } } }"""
COMPLETE = """mutation($id: ID!, $o: JSON) { executionComplete(input: {id: $id, workerId: "w1", output: $o}) {
  errors { code } } }"""


async def _claimed(gql, service_id: str) -> str:
    """Claims the one queued execution of the service as worker w1 (once it is there) and returns its id."""
    claimed: list[str] = []

    async def claim() -> bool:
        claims = (await gql(CLAIM, {"w": "w1", "s": [service_id], "m": 1}))["executionsClaim"]["claims"]
        claimed.extend(c["execution"]["id"] for c in claims)
        return bool(claimed)
    await eventually(claim, what="a queued execution to claim")
    return claimed[0]


async def _waited(gql, faas, progress_steps: int) -> tuple[dict, int]:
    """executionCreate(wait) answered after a worker reported ``progress_steps`` times and completed: the
    payload and the SQL statements the waiting request ran."""
    waiting = asyncio.create_task(gql.raw(CREATE, {"s": faas.service, "f": "echo", "i": {"config": 1}, "t": 60}))
    id_ = await _claimed(gql, faas.service)
    for step in range(progress_steps):
        assert (await gql(PROGRESS, {"id": id_, "p": 10 * (step + 1)}))["executionProgress"]["errors"] == []
    await asyncio.sleep(0)
    assert not waiting.done()  # still waiting while the function runs
    assert (await gql(COMPLETE, {"id": id_, "o": {"answer": progress_steps}}))["executionComplete"]["errors"] == []
    body = await waiting
    return body["data"]["executionCreate"], body["extensions"]["sqlStatements"]


async def test_wait_answers_when_the_execution_ends_following_the_change_stream(gql, faas):
    quiet, statements_quiet = await _waited(gql, faas, 0)
    assert quiet["errors"] == [] and quiet["execution"]["status"] == "SUCCESS"
    assert quiet["execution"]["output"] == {"answer": 0}
    busy, statements_busy = await _waited(gql, faas, 6)
    assert busy["errors"] == [] and busy["execution"]["status"] == "SUCCESS"
    assert busy["execution"]["output"] == {"answer": 6} and busy["execution"]["version"] == 9
    # six more changes to wait through cost no statement: nothing polls the database
    assert statements_busy == statements_quiet


async def test_wait_gives_the_current_state_and_timeout_after_timeout_sec(gql, faas):
    data = await gql(CREATE, {"s": faas.service, "f": "noop", "t": 1})
    payload = data["executionCreate"]
    assert payload["execution"]["status"] == "CREATED"  # nobody works on it: still queued
    [error] = payload["errors"]
    assert error["code"] == "TIMEOUT" and error["field"] == ["timeoutSec"]
    assert "had not ended after 1 s (it is CREATED)" in error["message"]
    # the execution was written and goes on
    assert (await get_execution(gql, payload["execution"]["id"]))["status"] == "CREATED"


async def test_a_failed_function_answers_failed_with_its_error(gql, faas):
    _, once = await deploy(gql, faas.project, "once", maxAttempts=1)
    waiting = asyncio.create_task(gql(CREATE, {"s": once, "f": "fail", "i": {"message": "kaput"}, "t": 60}))
    id_ = await _claimed(gql, once)
    failed = await gql("""mutation($id: ID!) { executionFail(input: {id: $id, workerId: "w1", error: "kaput"}) {
      errors { code message } } }""", {"id": id_})
    assert failed["executionFail"]["errors"] == [], failed
    payload = (await waiting)["executionCreate"]
    assert payload["errors"] == [] and payload["execution"]["status"] == "FAILED"
    assert payload["execution"]["error"] == {"message": "kaput", "details": None}


async def test_rerun_waits_for_the_new_run(gql, faas):
    first = await execute(gql, faas.service, "echo", {"config": "x"})
    assert await _claimed(gql, faas.service) == first["id"]
    await gql(COMPLETE, {"id": first["id"], "o": "first"})
    waiting = asyncio.create_task(gql(RERUN, {"id": first["id"], "t": 60}))
    assert await _claimed(gql, faas.service) == first["id"]
    assert not waiting.done()
    await gql(COMPLETE, {"id": first["id"], "o": "second"})
    payload = (await waiting)["executionRerun"]
    assert payload["errors"] == [] and payload["execution"]["output"] == "second"
    assert payload["execution"]["status"] == "SUCCESS"


async def test_bad_wait_input_is_refused_and_nothing_is_written(gql, faas):
    for variables, message in (
            ({"t": 0}, "timeoutSec must be between 1 and 300 seconds, got 0"),
            ({"t": 301}, "timeoutSec must be between 1 and 300 seconds, got 301"),
            ({"t": 5, "wait": False}, "timeoutSec needs wait: true")):
        data = await gql(CREATE, {"s": faas.service, "f": "noop", **variables})
        assert data["executionCreate"]["execution"] is None
        assert data["executionCreate"]["errors"] == [{"field": ["timeoutSec"], "code": "INVALID", "message": message}]
    data = await gql(RERUN, {"id": "exe_nothing", "t": 1000})
    assert data["executionRerun"]["errors"][0]["field"] == ["timeoutSec"]
    assert await executions_of(gql, faas.service) == []


async def test_waiting_requests_are_bounded_per_token(gql, faas, monkeypatch):
    monkeypatch.setattr(WAITING, "per_caller", 2)
    waiting = [asyncio.create_task(gql.raw(CREATE, {"s": faas.service, "f": "noop", "t": 60})) for _ in range(2)]
    queued: list[dict] = []

    async def both_written() -> bool:
        queued[:] = await executions_of(gql, faas.service)
        return len(queued) == 2
    await eventually(both_written, what="the two waiting requests' executions")
    refused = await gql.raw(CREATE, {"s": faas.service, "f": "noop", "t": 60})
    [error] = refused["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and "2 requests waiting" in error["message"]
    assert len(await executions_of(gql, faas.service)) == 2  # the refused one wrote nothing
    # without wait the same token still creates executions; ended ones free the waiting requests
    await execute(gql, faas.service, "noop")
    for e in queued:
        await gql("""mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { code } } }""",
                  {"id": e["id"]})
    for task in waiting:
        assert (await task)["data"]["executionCreate"]["execution"]["status"] == "TERMINATED"
    assert WAITING.count == 0 and WAITING.held == {}


async def test_shortcut_inputs_fill_the_functions_entity_input(gql, faas, build):
    [item] = await build.items(faas.dataset, [{"name": "cat.jpg"}])
    data = await gql(CREATE, {"s": faas.service, "f": "describe", "item": item["id"], "wait": False})
    assert data["executionCreate"]["errors"] == []
    assert data["executionCreate"]["execution"]["input"] == {
        "item": {"item_id": item["id"], "dataset_id": faas.dataset}}
    # the dataset sent along must be the item's
    other = await build.dataset(faas.project, name="other")
    data = await gql(CREATE, {"s": faas.service, "f": "describe", "item": item["id"], "ds": other, "wait": False})
    [error] = data["executionCreate"]["errors"]
    assert error["field"] == ["datasetId"] and error["code"] == "NOT_FOUND" and faas.dataset in error["message"]
    # annotation > item: an annotation id fills an Annotation input, which describe does not have
    [annotation] = await build.boxes([item["id"]], 1)
    data = await gql(CREATE, {"s": faas.service, "f": "describe", "item": item["id"], "ann": annotation,
                              "wait": False})
    [error] = data["executionCreate"]["errors"]
    assert error["field"] == ["annotationId"] and "has no Annotation input" in error["message"]
    # the same input twice
    data = await gql(CREATE, {"s": faas.service, "f": "describe", "item": item["id"], "i": {"item": item["id"]},
                              "wait": False})
    assert data["executionCreate"]["errors"][0]["message"] == (
        "input 'item' is given twice: in input and as itemId; send one")
    assert len(await executions_of(gql, faas.service)) == 1
