"""``subscription executionLogs(id)`` through the generated client over a real WebSocket: the lines kept so far
first, then live ones, each once and in ``seq`` order even when batches commit while the subscription starts;
it completes once the execution has ended and its last lines are sent; project access is checked; a backlog
longer than a subscriber's buffer is paced, not cut off; the log limit's marker line comes through. With the
in-process broker and with Redis (when one answers on 127.0.0.1:6379)."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid

import httpx
import pytest
from faas_support import CLAIM, deploy, execute
from support import GQL, sign_in

from labelgraph.app import GraphQLApp, create_app

APPEND = """mutation($id: ID!, $w: String!, $lines: [ExecutionLogLineInput!]!, $d: Long! = 0) { executionLogsAppend(
  input: {id: $id, workerId: $w, lines: $lines, droppedBytes: $d}) { kept errors { code message } } }"""
COMPLETE = """mutation($id: ID!, $w: String!) { executionComplete(input: {id: $id, workerId: $w, output: 1}) {
  errors { code message } } }"""
FOLLOW = "subscription($id: ID!) { executionLogs(id: $id) { seq text level } }"
REDIS = os.environ.get("LABELGRAPH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.skipif(
    not _redis_answers(), reason="no Redis answering on 127.0.0.1:6379"))])
async def world(request, settings):
    """An app (memory or Redis broker) served on loopback, a GQL helper as the admin, and its URL."""
    from support import serving

    stream = f"lgtest:{uuid.uuid4().hex}"
    if request.param == "redis":
        settings = settings.with_(broker_url=f"{REDIS}?stream={stream}")
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app), serving(app) as url, \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as http:
        yield app, url, GQL(http, settings.admin_token)
    if request.param == "redis":
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(REDIS)
        await client.delete(stream)
        await client.aclose()


async def _claimed(gql, build) -> tuple[str, str]:
    """A new execution of a new project's service, claimed by the hand-driven worker "w1"; (execution, project)."""
    project = await build.project()
    _, service = await deploy(gql, project)
    exe = await execute(gql, service)
    [claim] = (await gql(CLAIM, {"w": "w1", "s": [service], "m": 1, "l": 3600}))["executionsClaim"]["claims"]
    assert claim["execution"]["id"] == exe["id"]
    return exe["id"], project


async def _append(gql, id_: str, texts: list[str], dropped: int = 0) -> None:
    lines = [{"stream": "STDOUT", "text": t} for t in texts]
    data = await gql(APPEND, {"id": id_, "w": "w1", "lines": lines, "d": dropped})
    assert data["executionLogsAppend"]["errors"] == [], data


async def _complete(gql, id_: str) -> None:
    assert (await gql(COMPLETE, {"id": id_, "w": "w1"}))["executionComplete"]["errors"] == []


def _feeds(app) -> dict:
    view = next(r.endpoint for r in app.routes if isinstance(getattr(r, "endpoint", None), GraphQLApp))
    return view.feeds.feeds if "feeds" in view.__dict__ else {}


def _client(url: str, token: str):
    from labelgraph_client import Client

    return Client(url + "/graphql", token)


async def _follow(url: str, token: str, id_: str) -> list:
    async with _client(url, token) as client:
        return [line async for line in client.watch_execution_logs(id=id_)]


def _batch(n: int, size: int = 5) -> list[str]:
    return [f"line {n}.{i}" for i in range(size)]


async def test_backlog_then_live_lines_each_once_in_order_then_complete(world):
    app, url, gql = world
    from support import Builder

    id_, _ = await _claimed(gql, Builder(gql))
    for n in range(2):  # the backlog
        await _append(gql, id_, _batch(n))
    early = asyncio.create_task(_follow(url, gql.token, id_))
    for n in range(2, 5):  # committing while the first follower subscribes and reads the backlog
        await _append(gql, id_, _batch(n))
    late = asyncio.create_task(_follow(url, gql.token, id_))
    for n in range(5, 7):
        await _append(gql, id_, _batch(n))
    await _complete(gql, id_)
    expected = [t for n in range(7) for t in _batch(n)]
    for follower in (early, late):
        lines = await asyncio.wait_for(follower, 30)
        assert [line.text for line in lines] == expected
        assert [line.seq for line in lines] == list(range(1, len(expected) + 1))
        assert {line.stream.value for line in lines} == {"STDOUT"}
    # an ended execution: its whole log, then the end
    assert [line.seq for line in await _follow(url, gql.token, id_)] == list(range(1, len(expected) + 1))


async def test_a_slow_reader_is_paced_not_cut_off_and_the_limit_marker_comes_through(world):
    """6 MB of backlog to a reader that stops reading: the socket's buffers fill, its frames queue up, and the
    feed waits for it (instead of cutting it off at 1,000 frames); then it reads everything, in order."""
    app, url, gql = world
    from support import WS, Builder, eventually

    id_, _ = await _claimed(gql, Builder(gql))
    texts = [f"{i:04} " + "x" * 4000 for i in range(1500)]
    await _append(gql, id_, texts)
    # a fixed 64 KiB receive buffer: with autotuning the client's kernel could absorb the whole 6 MB (up to 32 MB)
    async with WS.open(url, gql.token, receive_buffer=1 << 16) as ws:
        await ws.subscribe("1", FOLLOW, {"id": id_})
        await eventually(lambda: any(m.room is not None for f in _feeds(app).values() for m in f.members),
                         30, "the feed waiting for its reader")  # 6 MB read and sent first: slow on a loaded machine
        await _append(gql, id_, [], dropped=7)  # the worker dropped 7 bytes beyond its limit: the marker line
        await _complete(gql, id_)
        lines = []
        while (message := await ws.receive())["type"] == "next":
            lines.append(message["payload"]["data"]["executionLogs"])
        assert message == {"id": "1", "type": "complete"}, message
    assert [line["text"] for line in lines[:-1]] == texts and [line["seq"] for line in lines] == list(range(1, 1502))
    assert lines[-1]["text"].startswith("[log limit reached: 7 bytes") and lines[-1]["level"] == "WARNING"


async def test_only_readers_of_the_project_may_follow(world):
    app, url, gql = world
    from support import Builder

    from labelgraph_client import NotFoundError

    id_, _ = await _claimed(gql, Builder(gql))
    await _append(gql, id_, _batch(0))
    outsider = await sign_in(gql, "outsider@example.com")
    for who, target in ((outsider.token, id_), (gql.token, "exe_00000000000000000000000000"),
                        (gql.token, "prj_00000000000000000000000000")):
        with pytest.raises(NotFoundError):
            await _follow(url, who, target)
