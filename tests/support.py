"""Shared test support: GraphQL over HTTP (GQL) and a builder of sample data, used the way a user would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from datetime import datetime, timedelta

import httpx

from labelgraph.app import STATEMENTS_HEADER
from labelgraph.columns import utcnow


class GraphQLError(AssertionError):
    pass


class Clock:
    """A clock a test moves forward: real time plus the time the test has skipped. Handed to the parts that
    take a ``now`` (the scheduler, the app's token checks), it replaces waiting for schedules and expiries."""

    def __init__(self) -> None:
        self.skipped = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.skipped

    def advance(self, seconds: float) -> None:
        self.skipped += timedelta(seconds=seconds)

    def set(self, instant: datetime) -> None:
        """Move forward to ``instant`` (never back)."""
        self.skipped += max(timedelta(), instant - self())


class GQL:
    """Send GraphQL over HTTP to the app. ``await gql(q, v)`` returns ``data`` and fails on errors;
    ``await gql.raw(q, v)`` returns the whole response body."""

    def __init__(self, http: httpx.AsyncClient, token: str | None = None) -> None:
        self.http = http
        self.token = token
        self.last_statements: int | None = None
        self.last_response: httpx.Response | None = None
        self.headers: dict[str, str] = {}  # sent with every request (e.g. x-labelgraph-compiler: off)

    async def raw(self, query: str, variables: dict | None = None, headers: dict | None = None) -> dict:
        auth = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}},
            headers={STATEMENTS_HEADER: "1", **auth, **self.headers, **(headers or {})},
        )
        self.last_response = response
        body = response.json()
        self.last_statements = (body.get("extensions") or {}).get("sqlStatements")
        return body

    async def __call__(self, query: str, variables: dict | None = None, **kw) -> dict:
        body = await self.raw(query, variables, **kw)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        return body["data"]


ORG = "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } errors { message } } }"
PROJECT = """mutation($o: ID!, $n: String!) {
  projectCreate(input: {organizationId: $o, name: $n}) { project { id } errors { message } } }"""
DATASET = """mutation($p: ID!, $n: String!) {
  datasetCreate(input: {projectId: $p, name: $n}) { dataset { id } errors { field code message } } }"""
ITEMS = """mutation($d: ID!, $items: [ItemCreateInput!]!) {
  itemsCreate(input: {datasetId: $d, items: $items}) { items { id filename } errors { field code message } } }"""
ANNOTATIONS = """mutation($a: [AnnotationCreateInput!]!) {
  annotationsCreate(input: {annotations: $a}) { annotations { id } errors { field code message } } }"""

BOX = [{"x": 10, "y": 20}, {"x": 110, "y": 220}]


class Builder:
    def __init__(self, gql) -> None:
        self.gql = gql

    async def org(self, name: str = "Acme") -> str:
        return (await self.gql(ORG, {"n": name}))["organizationCreate"]["organization"]["id"]

    async def project(self, org_id: str | None = None, name: str = "Cars") -> str:
        org_id = org_id or await self.org()
        return (await self.gql(PROJECT, {"o": org_id, "n": name}))["projectCreate"]["project"]["id"]

    async def dataset(self, project_id: str, name: str = "frames") -> str:
        data = await self.gql(DATASET, {"p": project_id, "n": name})
        assert data["datasetCreate"]["errors"] == []
        return data["datasetCreate"]["dataset"]["id"]

    async def items(self, dataset_id: str, specs: list[dict]) -> list[dict]:
        out = []
        for start in range(0, len(specs), 1000):
            data = await self.gql(ITEMS, {"d": dataset_id, "items": specs[start:start + 1000]})
            assert data["itemsCreate"]["errors"] == [], data["itemsCreate"]["errors"]
            out += data["itemsCreate"]["items"]
        return out

    async def annotations(self, specs: list[dict]) -> list[str]:
        ids = []
        for start in range(0, len(specs), 1000):
            data = await self.gql(ANNOTATIONS, {"a": specs[start:start + 1000]})
            assert data["annotationsCreate"]["errors"] == [], data["annotationsCreate"]["errors"]
            ids += [a["id"] for a in data["annotationsCreate"]["annotations"]]
        return ids

    async def boxes(self, item_ids: list[str], per_item: int, label: str = "car") -> list[str]:
        return await self.annotations(
            [{"itemId": i, "type": "BOX", "label": label, "coordinates": BOX} for i in item_ids
             for _ in range(per_item)]
        )




def with_database(url: str, name: str) -> str:
    """``url`` (a PostgreSQL URL) pointing at database ``name`` instead."""
    return url.rsplit("/", 1)[0] + "/" + name


async def pg_admin(url: str, sql: str) -> None:
    """Run one maintenance statement (CREATE/DROP DATABASE …) outside a transaction."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from labelgraph.settings import normalize_database_url

    engine = create_async_engine(normalize_database_url(url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(app):
    """Serve an ASGI app whose lifespan already runs with uvicorn on a free loopback port, in the current event
    loop; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_loopback_port(), lifespan="off",
                                           log_level="warning", ws="websockets-sansio"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


class WS:
    """One WebSocket connection to ``/graphql`` over a real socket (the ``served`` fixture), speaking
    graphql-transport-ws (or legacy graphql-ws) the way a frontend does. Server pings are answered with pongs
    and counted in ``pings`` unless ``answer_pings`` is False."""

    def __init__(self, conn, answer_pings: bool = True) -> None:
        self.conn = conn
        self.answer_pings = answer_pings
        self.pings = 0

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, base_url: str, token: str | None = None, protocol: str = "graphql-transport-ws",
                   **kw):
        from websockets.asyncio.client import connect

        async with connect(base_url.replace("http", "ws", 1) + "/graphql", subprotocols=[protocol]) as conn:
            ws = cls(conn, **kw)
            if token is not None:
                await ws.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
                ack = await ws.receive()
                assert ack["type"] == "connection_ack", ack
            yield ws

    async def send(self, message: dict) -> None:
        await self.conn.send(json.dumps(message))

    async def receive(self, timeout: float = 10.0) -> dict:
        """The next message other than a server ping, within ``timeout`` seconds (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout):
            return await self._receive()

    async def _receive(self) -> dict:
        while True:
            message = json.loads(await self.conn.recv())
            if message.get("type") == "ping" and self.answer_pings:
                self.pings += 1
                await self.send({"type": "pong"})
                continue
            return message

    async def subscribe(self, id_: str, query: str, variables: dict | None = None) -> None:
        await self.send({"id": id_, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})

    async def next(self, id_: str, timeout: float = 10.0) -> dict:
        """The data of the next ``next`` message of operation ``id_`` (fails on anything else)."""
        message = await self.receive(timeout)
        assert message.get("id") == id_ and message["type"] == "next", message
        assert not message["payload"].get("errors"), message
        return message["payload"]["data"]
