"""Three `labelgraph serve` replicas on PostgreSQL and Redis, two external `labelgraph worker` processes, all on
loopback. A dashboard subscribes through replica A; items are created through replica B; an ITEM CREATED
trigger fires; the workers run the executions; the subscriber sees every version of every execution in order.
Replica B is killed (SIGKILL) half-way: nothing it committed is lost, and the work completes through the others.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from prespawn import Spawned, spawn_labelgraph
from scale_support import REDIS_BASE, needs_redis
from support import WS, free_loopback_port, pg_admin, wait_healthy, with_database

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")
pytestmark = [needs_redis, pytest.mark.skipif(not PG_URL, reason="replicas share PostgreSQL: set "
                                              "LABELGRAPH_TEST_DATABASE_URL (the PostgreSQL run of CI does)")]

WATCH_ALL = """subscription($s: ID!) { executionsUpdated(filter: {serviceId: $s}) { id version status } }"""
# the TLS context every client would build (~28 ms of CPU each: loading the CA bundle), built once for all of them
TLS = httpx.create_ssl_context()
ITEMS = """mutation($d: ID!, $items: [ItemCreateInput!]!) { itemsCreate(input: {datasetId: $d, items: $items}) {
  items { id } errors { message } } }"""


class Cluster:
    def __init__(self, root: Path, database_url: str, broker_url: str) -> None:
        self.root, self.database_url, self.broker_url = root, database_url, broker_url
        self.token = "lg_" + secrets.token_urlsafe(32)
        # `labelgraph serve` and `labelgraph worker` processes, forked from one that has already imported them
        # (tests/prespawn.py): each runs what `python -m labelgraph.cli …` runs, without ~1.7 s of imports
        self.replicas: dict[str, tuple[str, Spawned]] = {}
        self.workers: list[Spawned] = []

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=self.token, LABELGRAPH_LOG_LEVEL="warning", LABELGRAPH_RATE_LIMIT="0")
        return env

    def start_replica(self, name: str) -> None:
        port = free_loopback_port()
        proc = spawn_labelgraph(
            ["serve", "--port", str(port), "--data-dir", str(self.root / name), "--database-url", self.database_url,
             "--broker-url", self.broker_url, "--embedded-workers", "0"], self.env(),
            self.root / f"replica-{name}.log")
        self.replicas[name] = (f"http://127.0.0.1:{port}", proc)

    def wait_healthy(self) -> None:
        wait_healthy([(proc, url, self.root / f"replica-{name}.log") for name, (url, proc) in self.replicas.items()],
                     within=60)
        for url, _ in self.replicas.values():  # healthy means the database and Redis too
            body = httpx.get(url + "/healthz", timeout=5, verify=TLS).json()
            assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok"), body

    def start_worker(self, replica: str, service: str, i: int) -> None:
        self.workers.append(spawn_labelgraph(
            ["worker", "--url", self.url(replica) + "/graphql", "--token", self.token, "--service", service,
             "--worker-id", f"worker-{i}", "--log-level", "warning", "--drain", "5"], self.env(),
            self.root / f"worker-{i}.log"))

    def url(self, replica: str) -> str:
        return self.replicas[replica][0]

    async def gql(self, replica: str, query: str, variables: dict | None = None) -> dict:
        async with httpx.AsyncClient(timeout=30, verify=TLS) as http:
            body = (await http.post(self.url(replica) + "/graphql", json={"query": query, "variables": variables or {}},
                                    headers={"Authorization": f"Bearer {self.token}"})).json()
        assert not body.get("errors"), body
        return body["data"]

    def stop(self) -> None:
        procs = [*self.workers, *(p for _, p in self.replicas.values())]
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=5)


@pytest.fixture
def cluster(tmp_path):
    name = f"lg_scale_{os.getpid()}"
    asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
    stream = f"lgtest:{uuid.uuid4().hex}"
    c = Cluster(tmp_path, with_database(PG_URL, name), f"{REDIS_BASE}?stream={stream}")
    try:
        for replica in "ABC":  # they start together: migrations take turns (an advisory lock)
            c.start_replica(replica)
        c.wait_healthy()
        yield c
    finally:
        c.stop()
        asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "DEL", stream], capture_output=True)


async def test_three_replicas_two_workers_and_a_replica_killed_mid_run(cluster: Cluster):
    org = (await cluster.gql("A", 'mutation { organizationCreate(input: {name: "Scale"}) { organization { id } } }')
           )["organizationCreate"]["organization"]["id"]
    project = (await cluster.gql("A", 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "S"}) '
                                 '{ project { id } } }', {"o": org}))["projectCreate"]["project"]["id"]
    dataset = (await cluster.gql("A", 'mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "d"}) '
                                 '{ dataset { id } } }', {"p": project}))["datasetCreate"]["dataset"]["id"]
    package = (await cluster.gql("A", """mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "scale",
      codebase: {reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "describe",
      inputs: [{type: ITEM}]}]}]}) { package { id } } }""", {"p": project}))["packageCreate"]["package"]["id"]
    service = (await cluster.gql("A", """mutation($p: ID!) { serviceCreate(input: {packageId: $p, concurrency: 5})
      { service { id } } }""", {"p": package}))["serviceCreate"]["service"]["id"]
    await cluster.gql("B", """mutation($s: ID!) { triggerCreate(input: {serviceId: $s, functionName: "describe",
      resource: ITEM, actions: [CREATED], executionMode: ALWAYS}) { errors { message } } }""", {"s": service})
    cluster.start_worker("A", service, 1)
    cluster.start_worker("C", service, 2)

    streams: dict[str, list[tuple[int, str]]] = {}
    async with WS.open(cluster.url("A"), cluster.token) as ws:
        await ws.subscribe("dash", WATCH_ALL, {"s": service})
        await asyncio.sleep(0.5)  # the subscription is in place before anything commits

        async def follow() -> None:
            while True:
                state = (await ws.next("dash", timeout=120))["executionsUpdated"]
                streams.setdefault(state["id"], []).append((state["version"], state["status"]))

        follower = asyncio.create_task(follow())
        committed: list[str] = []
        for batch in range(30):  # 150 items, 5 per request; B dies after the 15th request, C takes over
            replica = "B" if batch < 15 else "C"
            data = await cluster.gql(replica, ITEMS, {"d": dataset, "items": [
                {"name": f"{batch:02}-{i}.jpg"} for i in range(5)]})
            committed += [item["id"] for item in data["itemsCreate"]["items"]]
            if batch == 14:
                cluster.replicas["B"][1].send_signal(signal.SIGKILL)
        assert len(committed) == 150
        assert cluster.replicas["B"][1].wait(10) == -signal.SIGKILL

        # every committed item gets exactly one execution, and all of them succeed, through A, C and the workers
        deadline = time.monotonic() + 120
        while True:
            data = await cluster.gql("A", """query($s: ID!) { service(id: $s) { executions(first: 1000) {
              totalCount nodes { id status input } } } }""", {"s": service})
            nodes = data["service"]["executions"]["nodes"]
            if len(nodes) == 150 and all(n["status"] == "SUCCESS" for n in nodes):
                break
            assert time.monotonic() < deadline, (len(nodes), {n["status"] for n in nodes})
            await asyncio.sleep(0.5)
        assert sorted(n["input"]["item"]["item_id"] for n in nodes) == sorted(committed)

        # the dashboard saw every version of every execution, in order, ending with SUCCESS
        deadline = time.monotonic() + 30
        while not (len(streams) == 150 and all(s[-1][1] == "SUCCESS" for s in streams.values())):
            assert time.monotonic() < deadline, f"{len(streams)} executions streamed"
            assert not follower.done(), follower.exception()
            await asyncio.sleep(0.2)
        follower.cancel()
    for id_, stream in streams.items():
        versions = [v for v, _ in stream]
        assert versions == list(range(1, versions[-1] + 1)), (id_, stream)
        assert stream[0][1] == "CREATED" and stream[-1][1] == "SUCCESS"
    assert set(streams) == {n["id"] for n in nodes}
