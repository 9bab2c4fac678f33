"""The WebSocket protocol on /graphql over a real socket: graphql-transport-ws per its specification (sign-in,
ordering rules, ping/pong both ways, complete both ways), legacy graphql-ws, limits on WebSocket operations,
and no task or broker subscription left behind by clients that vanish."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
import sqlalchemy as sa
from faas_support import CLAIM, deploy, execute
from support import GQL, WS, Builder, eventually, serving
from websockets.exceptions import ConnectionClosed

from labelgraph.app import GraphQLApp, create_app

WATCH = "subscription($id: ID!) { executionUpdated(id: $id) { id version status } }"


async def _closed_with(ws: WS, timeout: float = 5.0) -> int:
    with pytest.raises(ConnectionClosed) as exc:
        while True:
            await ws.receive(timeout)
    return exc.value.rcvd.code


@pytest.fixture
def rechecks(monkeypatch) -> list[str | None]:
    """The WebSocket token re-checks the server has completed (one entry each, appended when the connection
    holds the answer), to wait for a re-check or count them."""
    done: list[str | None] = []
    real = GraphQLApp.recheck

    async def recheck(self, header):
        try:
            return await real(self, header)
        finally:
            done.append(header)

    monkeypatch.setattr(GraphQLApp, "recheck", recheck)
    return done


@pytest.fixture
async def running(gql, faas) -> str:
    """An execution claimed by worker w1: its stream stays open until it ends."""
    exe = await execute(gql, faas.service, "noop")
    await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 1})
    return exe["id"]


@pytest.mark.parametrize("payload", [{"authorization": "Bearer lg_not-a-token"}, {}])
async def test_a_bad_or_missing_token_closes_with_4403(served, payload):
    async with WS.open(served) as ws:
        await ws.send({"type": "connection_init", "payload": payload})
        assert await _closed_with(ws) == 4403


async def test_subscribe_before_the_ack_closes_with_4401(served, running):
    async with WS.open(served) as ws:
        await ws.subscribe("1", WATCH, {"id": running})
        assert await _closed_with(ws) == 4401


async def test_a_duplicate_operation_id_closes_with_4409(served, admin_token, running):
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", WATCH, {"id": running})
        assert (await ws.next("1"))["executionUpdated"]["version"] == 2
        await ws.subscribe("1", WATCH, {"id": running})
        assert await _closed_with(ws) == 4409


async def test_ping_is_answered_with_pong(served, admin_token):
    async with WS.open(served, admin_token) as ws:
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}


async def test_the_server_sends_keep_alive_pings(settings, admin_token):
    app = create_app(settings.with_(ws_ping_interval=0.2), migrate=False)
    async with app.router.lifespan_context(app), serving(app) as url, WS.open(url, admin_token) as ws:
        async with asyncio.timeout(10):  # three are due within 0.6 s
            while ws.pings < 3:  # nothing but pings arrives meanwhile (and they are answered)
                with contextlib.suppress(TimeoutError):
                    message = await ws.receive(timeout=0.1)
                    raise AssertionError(f"only pings were due, got {message}")
        assert ws.pings >= 3
    # legacy graphql-ws: "ka" messages
    async with app.router.lifespan_context(app), serving(app) as url, \
            WS.open(url, protocol="graphql-ws") as ws:
        await ws.send({"type": "connection_init", "payload": {"authorization": f"Bearer {admin_token}"}})
        assert await ws.receive() == {"type": "connection_ack"}
        assert await ws.receive() == {"type": "ka"}
        assert await ws.receive() == {"type": "ka"}


async def test_complete_from_the_client_ends_the_subscription(served, app, admin_token, gql, running):
    broker = app.state.labelgraph["broker"]
    idle = broker.subscriber_count()  # the server's own (the engine follows the queue)
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", WATCH, {"id": running})
        await ws.next("1")
        assert broker.subscriber_count() == idle + 1
        await ws.send({"id": "1", "type": "complete"})
        for _ in range(100):
            if broker.subscriber_count() == idle:
                break
            await asyncio.sleep(0.01)
        assert broker.subscriber_count() == idle
        await gql("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { message } } }",
                  {"id": running})
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}  # nothing for "1" came before it


async def test_complete_from_the_server_after_a_terminal_status(served, admin_token, gql, running):
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", WATCH, {"id": running})
        await ws.next("1")
        await gql("""mutation($id: ID!) { executionFail(input: {id: $id, workerId: "w1", error: "no"}) {
          errors { message } } }""", {"id": running})
        assert (await ws.next("1"))["executionUpdated"]["status"] == "FAILED"
        assert await ws.receive() == {"id": "1", "type": "complete"}


async def test_legacy_graphql_ws_streams_too(served, admin_token, running, gql):
    async with WS.open(served, protocol="graphql-ws") as ws:
        await ws.send({"type": "connection_init", "payload": {"authorization": f"Bearer {admin_token}"}})
        assert (await ws.receive())["type"] == "connection_ack"
        await ws.send({"id": "7", "type": "start", "payload": {"query": WATCH, "variables": {"id": running}}})
        message = await ws.receive()
        while message["type"] == "ka":
            message = await ws.receive()
        assert message["type"] == "data" and message["payload"]["data"]["executionUpdated"]["version"] == 2
        await ws.send({"id": "7", "type": "stop"})


async def test_websocket_operations_are_held_to_the_limits(served, admin_token):
    deep = "query { organizations { nodes { " + "projects { nodes { organization { " * 6 + "id" + " } } }" * 6 \
        + " } } }"  # 21 levels: the limit is 15
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("deep", deep)
        message = await ws.receive()
        assert message["type"] == "error" and message["id"] == "deep", message
        assert message["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        await ws.send({"type": "ping"})  # the connection stays usable
        assert await ws.receive() == {"type": "pong"}


async def test_a_thousand_abrupt_disconnects_leave_nothing_behind(served, app, admin_token, running):
    broker = app.state.labelgraph["broker"]
    await asyncio.sleep(0.1)
    tasks_before, idle = len(asyncio.all_tasks()), broker.subscriber_count()

    async def cycle() -> None:
        async with WS.open(served, admin_token) as ws:
            await ws.subscribe("1", WATCH, {"id": running})
            await ws.next("1")
            ws.conn.transport.abort()  # no close frame, no complete: the peer just vanishes

    for _ in range(100):
        await asyncio.gather(*(cycle() for _ in range(10)), return_exceptions=True)
    for _ in range(200):
        if broker.subscriber_count() == idle and len(asyncio.all_tasks()) <= tasks_before:
            break
        await asyncio.sleep(0.05)
    assert broker.subscriber_count() == idle
    assert len(asyncio.all_tasks()) <= tasks_before, [t.get_name() for t in asyncio.all_tasks()]


async def test_a_revoked_token_closes_the_connection_and_a_left_project_stops_its_streams(settings, admin_token,
                                                                                           rechecks):
    app = create_app(settings.with_(ws_reauth_interval=0.2), migrate=False)
    async with (app.router.lifespan_context(app), serving(app) as url,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lg.test") as http):
        gql = GQL(http, admin_token)
        project = await Builder(gql).project()
        _, service = await deploy(gql, project)
        exe = await execute(gql, service, "noop")
        await gql(CLAIM, {"w": "w1", "s": [service], "m": 1})
        await gql("""mutation($p: ID!) { projectMemberAdd(input: {projectId: $p, email: "eng@example.com",
          role: ENGINEER}) { errors { message } } }""", {"p": project})
        created = await gql("""mutation { tokenCreate(input: {name: "ws", email: "eng@example.com"}) {
          token apiToken { id } } }""")
        token, token_id = created["tokenCreate"]["token"], created["tokenCreate"]["apiToken"]["id"]

        async with WS.open(url, token) as ws:
            await ws.subscribe("1", WATCH, {"id": exe["id"]})
            assert (await ws.next("1"))["executionUpdated"]["version"] == 2
            await gql("""mutation($p: ID!) { projectMemberRemove(input: {projectId: $p, email: "eng@example.com"})
              { errors { message } } }""", {"p": project})
            # the connection has looked the token up again: the second re-check ending now began after the change
            seen = len(rechecks)
            await eventually(lambda: len(rechecks) >= seen + 2, what="two token re-checks")
            await gql("""mutation($id: ID!) { executionProgress(input: {id: $id, workerId: "w1",
              percentComplete: 5}) { errors { message } } }""", {"id": exe["id"]})
            message = await ws.receive()
            assert message["id"] == "1" and message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            assert await ws.receive() == {"id": "1", "type": "complete"}

            await gql("mutation($id: ID!) { tokenRevoke(input: {id: $id}) { errors { message } } }",
                      {"id": token_id})
            assert await _closed_with(ws, timeout=3) == 4403


async def test_connections_holding_one_token_share_its_re_checks(settings, admin_token, rechecks):
    """50 connections re-checking every 0.4 s: the token is looked up about once per 0.2 s for all of them,
    not once per re-check — and a revocation still closes every one of them."""
    app = create_app(settings.with_(ws_reauth_interval=0.4), migrate=False)
    lookups: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ARG001
        if "api_token" in statement:
            lookups.append(statement)

    async with (app.router.lifespan_context(app), serving(app) as url,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lg.test") as http):
        gql = GQL(http, admin_token)
        created = await gql("""mutation { tokenCreate(input: {name: "tabs", email: "tabs@example.com"}) {
          token apiToken { id } } }""")
        token, token_id = created["tokenCreate"]["token"], created["tokenCreate"]["apiToken"]["id"]
        async with contextlib.AsyncExitStack() as stack:
            sockets = [await stack.enter_async_context(WS.open(url, token)) for _ in range(50)]
            engine = app.state.labelgraph["db"].engine.sync_engine
            sa.event.listen(engine, "before_cursor_execute", count)
            try:
                before = len(rechecks)
                await eventually(lambda: len(rechecks) >= before + 150, timeout=30, what="150 token re-checks")
                checked = len(rechecks) - before
            finally:
                sa.event.remove(engine, "before_cursor_execute", count)
            # unshared, every re-check is a lookup; shared, one lookup serves the connections re-checking within
            # 0.2 s of it (about 25 of the 50, whatever the pace of the machine)
            assert 1 <= len(lookups) <= checked // 5, (len(lookups), checked)
            await gql("mutation($id: ID!) { tokenRevoke(input: {id: $id}) { errors { message } } }",
                      {"id": token_id})
            codes = await asyncio.gather(*(_closed_with(ws, timeout=3) for ws in sockets))
            assert codes == [4403] * 50


async def test_a_revoked_token_closes_its_connections_only(settings, admin_token, rechecks):
    """Re-checks go token by token: revoking one of two tokens closes that token's connections (4403) and no
    other; the other token's connections keep their subscriptions and get the next change."""
    app = create_app(settings.with_(ws_reauth_interval=0.2), migrate=False)
    async with (app.router.lifespan_context(app), serving(app) as url,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lg.test") as http):
        gql = GQL(http, admin_token)
        project = await Builder(gql).project()
        _, service = await deploy(gql, project)
        exe = await execute(gql, service, "noop")
        await gql(CLAIM, {"w": "w1", "s": [service], "m": 1})
        tokens = {}
        for name in ("kept", "revoked"):
            await gql("""mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e,
              role: ENGINEER}) { errors { message } } }""", {"p": project, "e": f"{name}@example.com"})
            created = await gql("""mutation($n: String!, $e: String!) { tokenCreate(input: {name: $n, email: $e}) {
              token apiToken { id } } }""", {"n": name, "e": f"{name}@example.com"})
            tokens[name] = (created["tokenCreate"]["token"], created["tokenCreate"]["apiToken"]["id"])
        async with contextlib.AsyncExitStack() as stack:
            sockets = {name: [await stack.enter_async_context(WS.open(url, token)) for _ in range(3)]
                       for name, (token, _) in tokens.items()}
            for ws in sockets["kept"] + sockets["revoked"]:
                await ws.subscribe("1", WATCH, {"id": exe["id"]})
                assert (await ws.next("1"))["executionUpdated"]["version"] == 2
            await gql("mutation($id: ID!) { tokenRevoke(input: {id: $id}) { errors { message } } }",
                      {"id": tokens["revoked"][1]})
            codes = await asyncio.gather(*(_closed_with(ws, timeout=5) for ws in sockets["revoked"]))
            assert codes == [4403] * 3
            seen = len(rechecks)
            await eventually(lambda: len(rechecks) >= seen + 6, what="the kept connections re-checked twice more")
            await gql("""mutation($id: ID!) { executionProgress(input: {id: $id, workerId: "w1",
              percentComplete: 5}) { errors { message } } }""", {"id": exe["id"]})
            for ws in sockets["kept"]:
                assert (await ws.next("1"))["executionUpdated"]["version"] == 3
