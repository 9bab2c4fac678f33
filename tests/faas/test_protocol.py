"""The worker protocol over GraphQL: claims, leases, progress, completion, failure, release, versions."""

from __future__ import annotations

from faas_support import CLAIM, execute, get_execution


async def test_claim_progress_complete_bumps_version_each_change(gql, faas):
    exe = await execute(gql, faas.service, "echo", {"config": {"a": 1}})
    assert exe["status"] == "CREATED" and exe["version"] == 1 and exe["attempts"] == 0
    data = await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 5})
    [claim] = data["executionsClaim"]["claims"]
    assert claim["execution"] == {"id": exe["id"], "status": "IN_PROGRESS", "version": 2, "attempts": 1}
    assert claim["resolvedInput"] == {"config": {"a": 1}}
    # nothing left to claim
    assert (await gql(CLAIM, {"w": "w2", "s": [faas.service], "m": 5}))["executionsClaim"]["claims"] == []

    progress = """mutation($id: ID!, $w: String!) { executionProgress(input: {id: $id, workerId: $w,
      percentComplete: 40, message: "resizing"}) { execution { version progress } errors { code message } } }"""
    data = await gql(progress, {"id": exe["id"], "w": "w1"})
    assert data["executionProgress"] == {"execution": {"version": 3, "progress": 40}, "errors": []}
    # another worker may not report for it
    data = await gql(progress, {"id": exe["id"], "w": "w2"})
    assert data["executionProgress"]["errors"][0]["code"] == "CONFLICT"

    beat = """mutation($id: ID!) { executionHeartbeat(input: {id: $id, workerId: "w1", leaseSeconds: 30}) {
      toTerminate errors { code } } }"""
    assert (await gql(beat, {"id": exe["id"]}))["executionHeartbeat"] == {"toTerminate": False, "errors": []}

    done = await gql("""mutation($id: ID!) { executionComplete(input: {id: $id, workerId: "w1", output: {ok: true}})
      { execution { status version } errors { code } } }""", {"id": exe["id"]})
    assert done["executionComplete"] == {"execution": {"status": "SUCCESS", "version": 4}, "errors": []}
    final = await get_execution(gql, exe["id"])
    assert final["output"] == {"ok": True} and final["progress"] == 100 and final["duration"] >= 0
    assert [e["status"] for e in final["statusLog"]] == ["CREATED", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"]
    assert final["statusLog"][2]["percentComplete"] == 40 and final["statusLog"][2]["message"] == "resizing"
    assert final["latestStatus"]["status"] == "SUCCESS"


async def test_fail_and_release(gql, faas):
    a = await execute(gql, faas.service, "noop")
    b = await execute(gql, faas.service, "noop")
    claims = (await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 2}))["executionsClaim"]["claims"]
    assert [c["execution"]["id"] for c in claims] == [a["id"], b["id"]]  # oldest first
    data = await gql("""mutation($id: ID!) { executionFail(input: {id: $id, workerId: "w1", error: "bad input"})
      { execution { status } errors { code } } }""", {"id": a["id"]})
    assert data["executionFail"]["execution"]["status"] == "FAILED"
    assert (await get_execution(gql, a["id"]))["error"]["message"] == "bad input"
    data = await gql("""mutation($id: ID!) { executionRelease(input: {id: $id, workerId: "w1"})
      { execution { status } errors { code } } }""", {"id": b["id"]})
    assert data["executionRelease"]["execution"]["status"] == "CREATED"
    again = await get_execution(gql, b["id"])
    assert again["attempts"] == 0 and again["workerId"] is None


async def test_concurrency_caps_claims_per_worker_and_paused_services_are_not_claimed(gql, faas):
    await gql("""mutation($s: ID!) { serviceUpdate(input: {id: $s, concurrency: 2}) { errors { code } } }""",
              {"s": faas.service})
    for _ in range(5):
        await execute(gql, faas.service, "noop")
    first = (await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 10}))["executionsClaim"]["claims"]
    assert len(first) == 2
    assert (await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 10}))["executionsClaim"]["claims"] == []
    assert len((await gql(CLAIM, {"w": "w2", "s": None, "m": 10}))["executionsClaim"]["claims"]) == 2
    await gql("""mutation($s: ID!) { servicePause(input: {id: $s}) { service { active } } }""", {"s": faas.service})
    assert (await gql(CLAIM, {"w": "w3", "s": [faas.service], "m": 10}))["executionsClaim"]["claims"] == []
    await gql("""mutation($s: ID!) { serviceResume(input: {id: $s}) { service { active } } }""", {"s": faas.service})
    assert len((await gql(CLAIM, {"w": "w3", "s": [faas.service], "m": 10}))["executionsClaim"]["claims"]) == 1


async def test_item_inputs_arrive_resolved(gql, faas, build):
    [item] = await build.items(faas.dataset, [{"name": "cat.jpg", "dir": "/train", "metadata": {"split": "train"}}])
    exe = await execute(gql, faas.service, "describe", {"item": item["id"]})
    assert exe["input"] == {"item": {"item_id": item["id"], "dataset_id": faas.dataset}}
    [claim] = (await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 1}))["executionsClaim"]["claims"]
    resolved = claim["resolvedInput"]["item"]
    assert resolved["id"] == item["id"] and resolved["filename"] == "/train/cat.jpg"
    assert resolved["datasetId"] == faas.dataset and resolved["metadata"]["user"] == {"split": "train"}
