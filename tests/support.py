"""Shared test support: GraphQL over HTTP (GQL) and a builder of sample data, used the way a user would."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
import warnings
from datetime import datetime, timedelta

import asyncpg
import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from labelgraph.app import STATEMENTS_HEADER
from labelgraph.columns import utcnow
from labelgraph.models import metadata
from labelgraph.settings import normalize_database_url


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




async def insert_items(db, dataset_id: str, specs: list[dict]) -> list[str]:
    """Set-up only, for worlds of thousands of items: the rows ``itemsCreate`` would write for ``specs``
    (name, optional dir and user metadata), inserted in one statement, and the dataset's items_count raised
    in the same transaction as the data service does. No outbox event: nothing in such a test listens."""
    from labelgraph.data.models import Dataset, Item
    from labelgraph.ids import new_id

    now = utcnow()
    async with db.transaction() as uow:
        project_id = (await uow.conn.execute(sa.select(Dataset.__table__.c.project_id).where(
            Dataset.__table__.c.id == dataset_id))).scalar_one()
        rows = [{"id": new_id("itm"), "project_id": project_id, "dataset_id": dataset_id, "name": spec["name"],
                 "dir": spec.get("dir", "/"), "filename": spec.get("dir", "/").rstrip("/") + "/" + spec["name"],
                 "type": "file", "hidden": False, "metadata": {"system": {}, "user": spec.get("metadata", {})},
                 "annotated": False, "annotations_count": 0, "created_at": now, "updated_at": now}
                for spec in specs]
        await uow.conn.execute(sa.insert(Item.__table__), rows)
        await uow.conn.execute(sa.update(Dataset.__table__).where(Dataset.__table__.c.id == dataset_id).values(
            items_count=Dataset.__table__.c.items_count + len(rows), updated_at=now))
    return [r["id"] for r in rows]


async def service_items(db, dataset_id: str, specs: list[dict]) -> list[str]:
    """Set-up of bigger worlds: ``specs`` (ItemCreateInput fields in snake_case) created by the data service
    in one transaction, as itemsCreate does it (same checks, rows, counters and events) without GraphQL."""
    from labelgraph.data.commands import ItemCreate, ItemsCreate
    from labelgraph.data.service.items import create_items

    async with db.transaction() as uow:
        return await create_items(uow, ItemsCreate(dataset_id=dataset_id, items=[ItemCreate(**s) for s in specs],
                                                   limit=len(specs)))


async def service_boxes(db, item_ids: list[str], per_item: int, label: str = "car") -> list[str]:
    """``per_item`` boxes on each item, created by the data service in one transaction (as annotationsCreate)."""
    from labelgraph.data.commands import AnnotationCreate, AnnotationsCreate, AnnotationType
    from labelgraph.data.service.annotations import create_annotations

    specs = [AnnotationCreate(item_id=i, type=AnnotationType.BOX, label=label, coordinates=BOX)
             for i in item_ids for _ in range(per_item)]
    async with db.transaction() as uow:
        return await create_annotations(uow, AnnotationsCreate(annotations=specs, limit=len(specs)))


ADMIN_TOKEN = "lg_test-admin-token-0123456789abcdefghijklmnopq"  # registered through LABELGRAPH_ADMIN_TOKEN


async def sign_in(admin: GQL, email: str) -> GQL:
    """A GQL sending a fresh token of the user ``email`` (created if new), issued by the platform admin."""
    data = await admin("mutation($e: String!) { tokenCreate(input: {name: \"test\", email: $e}) { token "
                       "errors { message } } }", {"e": email})
    return GQL(admin.http, data["tokenCreate"]["token"])


async def eventually(check, timeout: float = 5.0, what: str = "the condition") -> None:
    """Wait until ``check()`` (a function or coroutine function) returns something true; fail after ``timeout``
    seconds, naming ``what`` was awaited."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.01)


JOB_ENDS = ("SUCCESS", "FAILED", "ABORTED")


async def job_finished(gql, query: str, id_: str, timeout: float = 20.0) -> dict:
    """Poll ``query`` (``command(id: $id) { … status … }``) until the job ``id_`` ends; its last answer."""
    found: dict = {}

    async def done() -> bool:
        found.update((await gql(query, {"id": id_}))["command"])
        return found["status"] in JOB_ENDS

    await eventually(done, timeout, f"command {id_} to end")
    return found


async def subscribers_reach(broker, count: int, timeout: float = 10.0) -> None:
    """Wait until ``broker`` (an app's, in this process) holds ``count`` subscriptions: the subscriptions a test
    opened are in place, so changes committed from now on reach them."""
    await eventually(lambda: broker.subscriber_count() >= count, timeout,
                     f"{count} subscriptions (have {broker.subscriber_count()})")


def with_database(url: str, name: str) -> str:
    """``url`` (a PostgreSQL URL) pointing at database ``name`` instead."""
    return url.rsplit("/", 1)[0] + "/" + name


async def pg_admin(url: str, sql: str) -> None:
    """Run one maintenance statement (CREATE/DROP DATABASE …) outside a transaction."""
    engine = create_async_engine(normalize_database_url(url), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


def pg_connect(url: str):
    """A plain asyncpg connection to a PostgreSQL test database: no engine to set up, and several statements
    can go in one round trip (the clean-up between tests costs a few ms instead of a few hundred)."""
    return asyncpg.connect(normalize_database_url(url).replace("postgresql+asyncpg://", "postgresql://", 1))


async def empty_tables(url: str, *, big: int = 1000) -> None:
    """Delete every row of a PostgreSQL test database, leaving the schema. Only tables holding rows are touched:
    DELETE (a few ms), or TRUNCATE once a table holds more than ``big`` rows (TRUNCATE costs ~25 ms per table,
    whatever it holds). A connection still open on the database is a leak of the test that used it (reported as
    a warning, then closed) and must not make the clean-up wait for its locks."""
    tables = metadata.sorted_tables
    conn = await pg_connect(url)
    try:
        leaked = await conn.fetch("SELECT pid, state, left(query, 120) AS query FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        if any(r["state"] and r["state"].startswith("idle in transaction") for r in leaked):
            warnings.warn(f"connections left open in a transaction after the test: {[dict(r) for r in leaked]}",
                          stacklevel=1)
        for r in leaked:
            await conn.execute("SELECT pg_terminate_backend($1)", r["pid"])
        sizes = dict(await conn.fetch(" UNION ALL ".join(
            f"SELECT '{t.name}', (SELECT count(*) FROM (SELECT 1 FROM \"{t.name}\" LIMIT {big + 1}) s)"
            for t in tables)))
        filled = [t.name for t in tables if sizes[t.name]]
        if any(sizes[t] > big for t in filled):
            statements = ["TRUNCATE " + ", ".join(f'"{t}"' for t in filled) + " CASCADE"]
        else:  # children first; one round trip
            statements = [f'DELETE FROM "{t}"' for t in reversed(filled)]
        if filled:
            await conn.execute("SET lock_timeout = '20s'; " + "; ".join(statements))
    finally:
        await conn.close()


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(app, compression: bool = False, **options):
    """Serve an ASGI app whose lifespan already runs with uvicorn on a free loopback port, in the current event
    loop, with the WebSocket protocol of `labelgraph serve` (permessage-deflate off unless ``compression``;
    ``options``: more of uvicorn's Config, e.g. ``ws_ping_interval``); yields its base URL."""
    import uvicorn

    from labelgraph.edge import EdgeWebSocketProtocol

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_loopback_port(), lifespan="off",
                                           log_level="warning", ws=EdgeWebSocketProtocol,
                                           ws_per_message_deflate=compression, **options))
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
                   read_ahead: int | None = 16, receive_buffer: int | None = None, **kw):
        """``read_ahead``: the frames the client reads ahead of the test (websockets' ``max_queue``); past it, it
        stops reading the socket, as a reader that stops reading does. ``None``: no bound, the way a browser
        reads: a test that does not read for a while still sees and answers uvicorn's protocol pings (with 16, a
        test sending a thousand mutations before reading their updates was closed with 1011 "keepalive ping
        timeout" once it ran past uvicorn's 20 + 20 s on a loaded machine). ``receive_buffer``: the socket's
        receive buffer in bytes, fixed (no autotuning: Linux grows it up to net.ipv4.tcp_rmem's maximum, 32 MB
        here, so a reader that stops reading would otherwise absorb megabytes before the server notices)."""
        from websockets.asyncio.client import connect

        if receive_buffer is not None:
            host, port = base_url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
            kw_connect = {"sock": sock}
        else:
            kw_connect = {}

        # no client pings: the tests watch what the server sends; a ping answered late because the machine is
        # loaded (server and test share one event loop) closed the connection with 1011 mid-test. No proxy: the
        # servers are on the loopback (websockets otherwise reads the proxy settings of the environment again at
        # every connection: ~0.15 ms of CPU each, a thousand times in the thousand-connection tests)
        async with connect(base_url.replace("http", "ws", 1) + "/graphql", subprotocols=[protocol],
                           ping_interval=None, max_queue=read_ahead, proxy=None, **kw_connect) as conn:
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


def wait_healthy(servers, within: float) -> None:
    """Poll each ``(process, url, log)`` until its ``/healthz`` answers 200; fail at once with the log when a
    process exits, or when ``within`` seconds pass. One client for every poll: each ``httpx.get`` builds a client
    and its TLS context (~28 ms of CPU). The 0.1 s pause is between polls of another process's ``/healthz``:
    nothing to await across processes."""
    deadline = time.monotonic() + within
    with httpx.Client(timeout=2) as http:
        for process, url, log in servers:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"labelgraph serve exited with {process.returncode}:\n{log.read_text()}")
                try:
                    if http.get(url + "/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"labelgraph serve did not answer on {url} within {within} s:\n{log.read_text()}")
                time.sleep(0.1)
