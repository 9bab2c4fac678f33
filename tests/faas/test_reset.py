"""A service reset (serviceUpdate, servicePause) gives running executions the service's drainTime to finish; then
its onReset decides: RERUN queues the execution again (while attempts are left), FAILED fails it. The worker
holding the run learns it at its next heartbeat (its lease is gone)."""

from __future__ import annotations

import pytest
from faas_support import CLAIM, execute, get_execution
from support import Clock

from labelgraph.engine.scheduler import Scheduler

UPDATE = """mutation($s: ID!, $d: Int, $r: OnResetAction, $m: Int) { serviceUpdate(input: {id: $s, drainTime: $d,
  onReset: $r, maxAttempts: $m}) { service { drainTime onReset } errors { code message } } }"""
PAUSE = "mutation($s: ID!) { servicePause(input: {id: $s}) { service { active } errors { code } } }"
HEARTBEAT = """mutation($id: ID!, $w: String!) { executionHeartbeat(input: {id: $id, workerId: $w, leaseSeconds: 60})
  { toTerminate errors { code message } } }"""


async def _claimed(gql, service: str, worker: str = "w1") -> str:
    [claim] = (await gql(CLAIM, {"w": worker, "s": [service], "m": 1, "l": 3600}))["executionsClaim"]["claims"]
    return claim["execution"]["id"]


async def _set(gql, service: str, **values) -> None:
    data = await gql(UPDATE, {"s": service, **values})
    assert data["serviceUpdate"]["errors"] == [], data


@pytest.mark.parametrize(("on_reset", "after"), [("RERUN", "CREATED"), ("FAILED", "FAILED")])
@pytest.mark.parametrize("reset", ["update", "pause"])
async def test_a_run_outliving_the_drain_time_of_a_reset_follows_on_reset(gql, faas, app, on_reset, after, reset):
    await _set(gql, faas.service, d=30, r=on_reset)
    await execute(gql, faas.service, "noop")
    exe = await _claimed(gql, faas.service)  # started before the reset
    clock = Clock()  # real time plus what the test skips
    reaper = Scheduler(app.state.labelgraph["db"], now=clock)
    if reset == "pause":
        assert (await gql(PAUSE, {"s": faas.service}))["servicePause"]["errors"] == []
    else:
        await _set(gql, faas.service, m=5)
    clock.advance(25)  # within the drain time: it may finish
    await reaper.run_once()
    assert (await get_execution(gql, exe))["status"] == "IN_PROGRESS"
    clock.advance(10)
    await reaper.run_once()
    ended = await get_execution(gql, exe)
    assert ended["status"] == after, ended
    assert "drainTime (30 s) ran out" in ended["latestStatus"]["message"]
    assert f"onReset {on_reset}" in ended["latestStatus"]["message"]
    beat = (await gql(HEARTBEAT, {"id": exe, "w": "w1"}))["executionHeartbeat"]
    assert [e["code"] for e in beat["errors"]] == ["CONFLICT"]  # the worker stops the function


async def test_rerun_fails_the_run_when_no_attempt_is_left(gql, faas, app):
    await _set(gql, faas.service, d=5, r="RERUN", m=1)
    await execute(gql, faas.service, "noop")
    exe = await _claimed(gql, faas.service)
    await _set(gql, faas.service, d=5)
    clock = Clock()
    clock.advance(6)
    await Scheduler(app.state.labelgraph["db"], now=clock).run_once()
    ended = await get_execution(gql, exe)
    assert ended["status"] == "FAILED" and "no attempt left" in ended["latestStatus"]["message"]


async def test_runs_started_after_the_reset_are_not_touched(gql, faas, app):
    await _set(gql, faas.service, d=5, r="FAILED")
    await execute(gql, faas.service, "noop")
    exe = await _claimed(gql, faas.service)  # started after the service's last change
    clock = Clock()
    clock.advance(10)
    await Scheduler(app.state.labelgraph["db"], now=clock).run_once()
    assert (await get_execution(gql, exe))["status"] == "IN_PROGRESS"


RESUME = "mutation($s: ID!) { serviceResume(input: {id: $s}) { service { active } errors { code } } }"


async def test_a_resume_does_not_restart_the_drain_time_of_a_pause(gql, faas, app, clock, monkeypatch):
    from labelgraph.faas.service import services

    monkeypatch.setattr(services, "utcnow", clock)  # the service's writes and the reaper share the test's clock
    await _set(gql, faas.service, d=30, r="FAILED")
    await execute(gql, faas.service, "noop")
    exe = await _claimed(gql, faas.service)
    reaper = Scheduler(app.state.labelgraph["db"], now=clock)
    assert (await gql(PAUSE, {"s": faas.service}))["servicePause"]["errors"] == []
    clock.advance(20)
    assert (await gql(RESUME, {"s": faas.service}))["serviceResume"]["errors"] == []
    await reaper.run_once()
    assert (await get_execution(gql, exe))["status"] == "IN_PROGRESS"
    clock.advance(15)  # 35 s after the pause, 15 s after the resume: the pause's drainTime has run out
    await reaper.run_once()
    ended = await get_execution(gql, exe)
    assert ended["status"] == "FAILED" and "drainTime (30 s) ran out" in ended["latestStatus"]["message"]


# --- a worker that stops heartbeating (crash, kill, lost network): its lease expires, and that is a reset too ----

async def _expire_lease(gql, app, service: str) -> str:
    await execute(gql, service, "noop")
    [claim] = (await gql(CLAIM, {"w": "gone", "s": [service], "m": 1, "l": 60}))["executionsClaim"]["claims"]
    clock = Clock()
    reaper = Scheduler(app.state.labelgraph["db"], now=clock)
    clock.advance(59)
    await reaper.run_once()
    assert (await get_execution(gql, claim["execution"]["id"]))["status"] == "IN_PROGRESS"
    clock.advance(2)
    await reaper.run_once()
    return claim["execution"]["id"]


async def test_an_expired_lease_fails_the_execution_under_the_default_on_reset(gql, faas, app):
    service = (await gql("query($s: ID!) { service(id: $s) { onReset maxAttempts } }", {"s": faas.service}))
    assert service["service"] == {"onReset": "FAILED", "maxAttempts": 3}  # the defaults: attempts are left
    ended = await get_execution(gql, await _expire_lease(gql, app, faas.service))
    assert ended["status"] == "FAILED", ended
    message = ended["latestStatus"]["message"]
    assert "lease of gone expired" in message and "onReset FAILED" in message and "not run again" in message
    assert ended["attempts"] == 1


async def test_an_expired_lease_is_queued_again_under_on_reset_rerun(gql, faas, app):
    await _set(gql, faas.service, r="RERUN")
    ended = await get_execution(gql, await _expire_lease(gql, app, faas.service))
    assert ended["status"] == "CREATED", ended
    assert ended["latestStatus"]["message"] == \
        "lease of gone expired; queued again (onReset RERUN, attempt 1 of 3 used)"
