"""Live execution status over a real WebSocket: executionUpdated(id) sends the current state, then every committed
version once and in order, and completes after a terminal status; executionsUpdated(filter) follows many
executions within what the caller may see."""

from __future__ import annotations

import asyncio

from faas_support import CLAIM, deploy, execute
from support import WS, subscribers_reach

from labelgraph.engine.local import LocalWorkerPort

WATCH = """subscription($id: ID!) { executionUpdated(id: $id) { id version status progress attempts workerId
  latestStatus { status percentComplete message } } }"""
WATCH_ALL = """subscription($f: ExecutionFilter) { executionsUpdated(filter: $f) { id version status progress
  service { id } } }"""
PROGRESS = """mutation($id: ID!, $w: String!, $p: Int!) { executionProgress(input: {id: $id, workerId: $w,
  percentComplete: $p, message: "working"}) { execution { version } errors { code message } } }"""
COMPLETE = """mutation($id: ID!, $w: String!) { executionComplete(input: {id: $id, workerId: $w, output: {done: true}})
  { execution { version status } errors { code message } } }"""


async def _claim(gql, service: str, worker: str = "w1") -> dict:
    """Claim as a worker driven by hand, for an hour: 1,100 changes can outlast a 30 s lease on a loaded machine
    (the lease then expires mid-test and the next change is refused)."""
    [claim] = (await gql(CLAIM, {"w": worker, "s": [service], "m": 1, "l": 3600}))["executionsClaim"]["claims"]
    return claim["execution"]


async def _progress(gql, id_: str, percent: int, worker: str = "w1") -> int:
    data = await gql(PROGRESS, {"id": id_, "w": worker, "p": percent})
    assert data["executionProgress"]["errors"] == [], data
    return data["executionProgress"]["execution"]["version"]


def _in_process_port(app) -> LocalWorkerPort:
    """The worker port of the app, in process: the tests that commit a thousand changes to watch them report
    progress through it (the queue's ``progress`` in one transaction, its events published as the mutation's are)
    instead of ``executionProgress`` over GraphQL, which is checked elsewhere (test_progress.py): a third of the CPU
    per change on SQLite, half on PostgreSQL. A refused change raises."""
    state = app.state.labelgraph
    return LocalWorkerPort(state["db"], state["work_signal"], app)


async def test_a_thousand_rapid_changes_arrive_gap_free_in_order_ending_terminal(gql, faas, app, served,
                                                                                 admin_token):
    exe = await execute(gql, faas.service, "noop")
    port = _in_process_port(app)
    async with WS.open(served, admin_token, read_ahead=None) as ws:  # reads later: see WS.open
        await ws.subscribe("1", WATCH, {"id": exe["id"]})
        first = (await ws.next("1"))["executionUpdated"]
        assert (first["id"], first["version"], first["status"]) == (exe["id"], 1, "CREATED")
        await _claim(gql, faas.service)  # version 2

        async def report(start: int) -> None:  # four concurrent reporters: commits race each other
            for i in range(start, 997, 4):
                await port.progress(exe["id"], "w1", i % 101, "working", None)

        await asyncio.gather(*(report(s) for s in range(4)))
        done = await gql(COMPLETE, {"id": exe["id"], "w": "w1"})
        assert done["executionComplete"]["execution"] == {"version": 1000, "status": "SUCCESS"}

        received = [first]
        while True:
            message = await ws.receive()
            if message["type"] == "complete":
                break
            assert message["type"] == "next" and message["id"] == "1", message
            received.append(message["payload"]["data"]["executionUpdated"])
    assert [r["version"] for r in received] == list(range(1, 1001))
    assert received[1]["status"] == "IN_PROGRESS" and received[1]["workerId"] == "w1"
    assert all(r["status"] == "IN_PROGRESS" for r in received[1:-1])
    last = received[-1]
    assert last["status"] == "SUCCESS" and last["progress"] == 100 and last["latestStatus"]["status"] == "SUCCESS"
    # each version shows the progress reported with it (the status log keeps the newest 200 entries)
    final = await gql("query($id: ID!) { execution(id: $id) { version statusLog { percentComplete } } }",
                      {"id": exe["id"]})
    assert final["execution"]["version"] == 1000
    log = [e["percentComplete"] for e in final["execution"]["statusLog"]]
    assert [r["progress"] for r in received[-200:-1]] == log[-200:-1]


async def test_a_subscriber_joining_mid_way_starts_from_the_current_state(gql, faas, served, admin_token):
    exe = await execute(gql, faas.service, "noop")
    await _claim(gql, faas.service)
    for p in (10, 20, 30):
        await _progress(gql, exe["id"], p)  # now version 5
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("a", WATCH, {"id": exe["id"]})
        state = (await ws.next("a"))["executionUpdated"]
        assert (state["version"], state["status"], state["progress"]) == (5, "IN_PROGRESS", 30)
        assert state["latestStatus"] == {"status": "IN_PROGRESS", "percentComplete": 30, "message": "working"}
        await _progress(gql, exe["id"], 40)
        assert (await ws.next("a"))["executionUpdated"]["version"] == 6
        await gql(COMPLETE, {"id": exe["id"], "w": "w1"})
        assert (await ws.next("a"))["executionUpdated"]["status"] == "SUCCESS"
        assert await ws.receive() == {"id": "a", "type": "complete"}
    # an execution that has ended: its final state, then complete
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("b", WATCH, {"id": exe["id"]})
        assert (await ws.next("b"))["executionUpdated"]["version"] == 7
        assert await ws.receive() == {"id": "b", "type": "complete"}


async def test_a_lost_delivery_is_filled_from_the_outbox(gql, faas, app, served, admin_token):
    """One version's broker message never arrives (as when a replica dies between commit and publish): the
    subscriber still gets every version, in order, once the gap has lasted half a second."""
    exe = await execute(gql, faas.service, "noop")
    broker = app.state.labelgraph["broker"]
    publish = broker.publish

    async def lossy(topics, message):
        if message["resource"] == "execution" and message["payload"]["version"] == 3:
            return  # dropped on the floor
        await publish(topics, message)

    broker.publish = lossy
    try:
        async with WS.open(served, admin_token) as ws:
            await ws.subscribe("1", WATCH, {"id": exe["id"]})
            assert (await ws.next("1"))["executionUpdated"]["version"] == 1
            await _claim(gql, faas.service)
            for p in (10, 20):
                await _progress(gql, exe["id"], p)
            got = [(await ws.next("1"))["executionUpdated"] for _ in range(3)]
            assert [(g["version"], g["progress"]) for g in got] == [(2, 0), (3, 10), (4, 20)]
    finally:
        broker.publish = publish


async def test_executions_updated_follows_what_the_filter_and_the_callers_roles_allow(gql, build, faas, app, served,
                                                                                       as_user, admin_token):
    other_project = await build.project(name="Elsewhere")
    _, other_service = await deploy(gql, other_project, name="other")
    _, second_service = await deploy(gql, faas.project, name="second")
    engineer = "eng@example.com"
    await gql("""mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e,
      role: ENGINEER}) { errors { message } } }""", {"p": faas.project, "e": engineer})
    eng = await as_user(engineer)
    broker = app.state.labelgraph["broker"]
    idle = broker.subscriber_count()  # the server's own (the engine follows the queue)
    async with (WS.open(served, eng.token) as mine, WS.open(served, admin_token) as admin):
        await mine.subscribe("all", WATCH_ALL, {})
        await mine.subscribe("svc", WATCH_ALL, {"f": {"serviceId": second_service}})
        await mine.subscribe("done", WATCH_ALL, {"f": {"projectId": faas.project, "statuses": ["TERMINATED"]}})
        await mine.subscribe("theirs", WATCH_ALL, {"f": {"projectId": other_project}})
        refused = await mine.receive()  # another project's executions: not found, and the operation ends
        assert refused["id"] == "theirs" and refused["payload"]["data"] is None
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert await mine.receive() == {"id": "theirs", "type": "complete"}
        await admin.subscribe("everything", WATCH_ALL, {})
        await subscribers_reach(broker, idle + 4)  # all, svc, done, everything: in place before anything commits

        hidden = await execute(gql, other_service, "noop")
        a = await execute(gql, faas.service, "noop")
        b = await execute(gql, second_service, "noop")
        await gql("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { message } } }",
                  {"id": a["id"]})

        seen: dict[str, list] = {"all": [], "svc": [], "done": []}
        for _ in range(5):  # all: a v1, b v1, a v2 (terminated); svc: b v1; done: a v2
            message = await mine.receive()
            assert message["type"] == "next", message
            seen[message["id"]].append(message["payload"]["data"]["executionsUpdated"])
        assert [(e["id"], e["version"]) for e in seen["all"]] == [(a["id"], 1), (b["id"], 1), (a["id"], 2)]
        assert [(e["id"], e["service"]["id"]) for e in seen["svc"]] == [(b["id"], second_service)]
        assert [(e["id"], e["status"]) for e in seen["done"]] == [(a["id"], "TERMINATED")]
        assert all(e["id"] != hidden["id"] for lst in seen.values() for e in lst)
        everything = [(await admin.next("everything"))["executionsUpdated"]["id"] for _ in range(4)]
        assert everything == [hidden["id"], a["id"], b["id"], a["id"]]


async def test_a_caller_outside_the_project_gets_not_found(gql, faas, served, as_user):
    exe = await execute(gql, faas.service, "noop")
    outsider = await as_user("outsider@example.com")
    async with WS.open(served, outsider.token) as ws:
        await ws.subscribe("1", WATCH, {"id": exe["id"]})
        message = await ws.receive()
        assert message["type"] == "next" and message["payload"]["data"] is None
        assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert exe["id"] in message["payload"]["errors"][0]["message"]


async def test_a_slow_subscriber_is_cut_off_without_holding_up_another(gql, faas, app):
    """Two subscriptions of one execution, driven the way the WebSocket handler drives them (it pulls the next
    message only once the previous one is sent): one is never read while 1,100 changes commit, the other keeps
    up. The slow one gets what it had buffered, then LIMIT_EXCEEDED; the other misses nothing."""
    from labelgraph.auth import Access
    from labelgraph.context import Context
    from labelgraph.schema import schema

    state = app.state.labelgraph
    exe = await execute(gql, faas.service, "noop")
    await _claim(gql, faas.service)

    async def subscribe():
        ctx = Context(db=state["db"], settings=None, access=Access(user_id="usr_admin", is_admin=True),
                      request_id="test", broker=state["broker"])
        stream = await schema.subscribe(WATCH, variable_values={"id": exe["id"]}, context_value=ctx)
        first = await stream.__anext__()
        assert first.data["executionUpdated"]["version"] == 2
        return stream

    idle = state["broker"].subscriber_count()  # the server's own (the engine follows the queue)
    slow, fast = await subscribe(), await subscribe()
    fast_seen: list[int] = []

    async def keep_up() -> None:
        async for result in fast:
            fast_seen.append(result.data["executionUpdated"]["version"])
            if len(fast_seen) == 1100:
                return

    reader = asyncio.create_task(keep_up())
    port = _in_process_port(app)
    for i in range(1100):
        await port.progress(exe["id"], "w1", i % 101, "working", None)
    await asyncio.wait_for(reader, 30)
    assert fast_seen == list(range(3, 1103))

    slow_seen, error = [], None
    async for result in slow:
        if result.errors:
            error = result.errors[0]
            break
        slow_seen.append(result.data["executionUpdated"]["version"])
    assert slow_seen == list(range(3, 3 + len(slow_seen))) and 990 <= len(slow_seen) <= 1000
    assert error.extensions["code"] == "LIMIT_EXCEEDED" and "resubscribe" in error.message
    assert state["broker"].subscriber_count() == idle + 1  # the slow one is gone; the fast one is still there
    await fast.aclose()
    assert state["broker"].subscriber_count() == idle
