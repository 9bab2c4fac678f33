"""Reliability with real processes: `labelgraph serve` and `labelgraph worker` subprocesses on the test database.

* 200 executions over 4 workers: each runs exactly once, none is lost;
* a worker killed mid-execution (SIGKILL): the lease expires, the execution is requeued and another worker
  completes it;
* outbox events committed while no server was running (a crash between commit and publish): delivered —
  published and matched to triggers — after the next start, and run by the embedded worker.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from faas_support import BASIC_FUNCTIONS
from prespawn import Spawned, spawn_labelgraph
from support import free_loopback_port

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")


class Server:
    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.database_url = database_url
        self.token = "lg_" + secrets.token_urlsafe(32)
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        # `labelgraph serve` and `labelgraph worker` processes, forked from one that has already imported them
        # (tests/prespawn.py): what they run is `python -m labelgraph.cli …`'s main, without ~1.7 s of imports each
        self.process: Spawned | None = None
        self.workers: list[Spawned] = []
        # one client while a process serves (closed at ``stop``): each ``httpx.post`` would build a client and its
        # TLS context, ~28 ms of CPU, for each of the 200 creations and every poll
        self.http: httpx.Client | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=self.token, LABELGRAPH_LOG_LEVEL="warning",
                   LABELGRAPH_CODEBASE_CACHE=str(self.root / "cache"))
        return env

    def start(self, embedded: int = 0) -> None:
        self.process = spawn_labelgraph(
            ["serve", "--port", str(self.port), "--data-dir", str(self.root / "data"), "--database-url",
             self.database_url, "--embedded-workers", str(embedded)],
            self.env(), self.root / "serve.log", append=True)
        self.http = httpx.Client(timeout=30)
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, (self.root / "serve.log").read_text()
            try:
                if self.http.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "labelgraph serve did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        for p in [*self.workers, self.process]:
            if p is not None and p.poll() is None:
                p.terminate()
        for p in [*self.workers, self.process]:
            if p is not None:
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
        self.workers = []
        self.process = None
        if self.http is not None:
            self.http.close()
            self.http = None

    def worker(self, service_id: str, name: str, *extra: str) -> Spawned:
        p = spawn_labelgraph(
            ["worker", "--url", self.url, "--token", self.token, "--service", service_id, "--worker-id", name,
             "--log-level", "warning", *extra],
            self.env(), self.root / f"{name}.log", append=True)
        self.workers.append(p)
        return p

    def gql(self, query: str, variables: dict | None = None) -> dict:
        r = self.http.post(self.url, json={"query": query, "variables": variables or {}},
                           headers={"Authorization": f"Bearer {self.token}"})
        body = r.json()
        assert not body.get("errors"), body
        return body["data"]

    def deploy(self, name: str = "basic", **service) -> tuple[str, str, str]:
        org = self.gql('mutation { organizationCreate(input: {name: "Rel"}) { organization { id } } }')
        org_id = org["organizationCreate"]["organization"]["id"]
        project = self.gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "p"}) '
                           '{ project { id } } }', {"o": org_id})["projectCreate"]["project"]["id"]
        package = self.gql("""mutation($i: PackageCreateInput!) { packageCreate(input: $i) { package { id }
          errors { message } } }""", {"i": {"projectId": project, "name": name, "codebase": {
            "type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
            "modules": [{"functions": BASIC_FUNCTIONS}]}})["packageCreate"]["package"]["id"]
        svc = self.gql("""mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { service { id }
          errors { message } } }""", {"i": {"packageId": package, "name": name, **service}})
        return project, package, svc["serviceCreate"]["service"]["id"]

    def execution(self, id_: str) -> dict:
        return self.gql("""query($id: ID!) { execution(id: $id) { status attempts workerId statusLog { status
          message } } }""", {"id": id_})["execution"]

    def count(self, service_id: str, status: str) -> int:
        return self.gql("""query($s: ID!, $st: [ExecutionStatus!]) { executions(filter: {serviceId: $s,
          statuses: $st}) { totalCount } }""", {"s": service_id, "st": [status]})["executions"]["totalCount"]


async def _admin(sql: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from labelgraph.settings import normalize_database_url

    engine = create_async_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


@pytest.fixture
def server(tmp_path):
    if PG_URL:
        name = f"lg_faas_{os.getpid()}"
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
        url = PG_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'data' / 'labelgraph.db'}"
    s = Server(tmp_path, url)
    try:
        yield s
    finally:
        s.stop()
        if PG_URL:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_200_executions_over_4_workers_run_exactly_once(server, tmp_path):
    server.start(embedded=0)
    _, _, service = server.deploy(concurrency=10)
    path = str(tmp_path / "ran.txt")
    create = """mutation($s: ID!, $p: String!) { executionCreate(input: {serviceId: $s, functionName: "record",
      input: {path: $p}}) { execution { id } } }"""
    ids = {server.gql(create, {"s": service, "p": path})["executionCreate"]["execution"]["id"] for _ in range(200)}
    for i in range(4):  # the recorder writes to this test's file: only a plain child process may (not bwrap's)
        server.worker(service, f"worker-{i}", "--slots", "10", "--sandbox", "process")
    _wait(lambda: server.count(service, "SUCCESS") == 200, 90, "200 successful executions")
    ran = Path(path).read_text().split()
    assert len(ran) == 200 and set(ran) == ids  # each exactly once, none lost
    data = server.gql("""query($s: ID!) { executions(first: 1000, filter: {serviceId: $s}) { nodes { attempts
      statusLog { message } } } }""", {"s": service})["executions"]["nodes"]
    assert {n["attempts"] for n in data} == {1}
    workers_used = {n["statusLog"][1]["message"].split(" on ")[1] for n in data}
    assert len(workers_used) >= 2, workers_used
    for p in server.workers:  # graceful stop
        p.send_signal(signal.SIGTERM)
    assert [p.wait(timeout=30) for p in server.workers] == [0, 0, 0, 0]


def test_a_killed_workers_execution_is_requeued_and_completed_by_another(server):
    server.start(embedded=0)
    _, _, service = server.deploy(maxAttempts=3, onReset="RERUN")
    exe = server.gql("""mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "sleep",
      input: {seconds: 2}}) { execution { id } } }""", {"s": service})["executionCreate"]["execution"]["id"]
    doomed = server.worker(service, "doomed", "--lease-seconds", "3")
    _wait(lambda: server.execution(exe)["workerId"] == "doomed", 30, "the first worker to start it")
    doomed.kill()
    doomed.wait(timeout=10)
    server.worker(service, "rescuer")  # the default lease (30 s): only the dead worker's lease may expire
    _wait(lambda: server.execution(exe)["status"] == "SUCCESS", 30, "the second worker to complete it")
    final = server.execution(exe)
    assert final["attempts"] == 2
    messages = [e["message"] or "" for e in final["statusLog"]]
    assert any("attempt 1 on doomed" in m for m in messages)
    assert any("lease of doomed expired" in m for m in messages)
    assert any("attempt 2 on rescuer" in m for m in messages)


def test_outbox_events_left_undelivered_are_delivered_after_a_restart(server):
    server.start(embedded=0)
    project, _, service = server.deploy()
    server.gql("""mutation($s: ID!) { triggerCreate(input: {serviceId: $s, functionName: "describe"}) {
      errors { message } } }""", {"s": service})
    dataset = server.gql("""mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "d"}) { dataset { id } }
      }""", {"p": project})["datasetCreate"]["dataset"]["id"]
    server.stop()

    async def write_without_a_server() -> list[str]:
        # a commit whose events were never published nor matched: what a crash right after commit leaves
        from labelgraph.data import service as data_service
        from labelgraph.data.commands import ItemCreate, ItemsCreate
        from labelgraph.db import Database
        from labelgraph.settings import normalize_database_url

        db = Database(normalize_database_url(server.database_url))
        try:
            async with db.transaction() as uow:
                command = ItemsCreate(dataset_id=dataset, limit=1000,
                                      items=[ItemCreate(name=f"{i}.jpg") for i in range(3)])
                return await data_service.create_items(uow, command)
        finally:
            await db.dispose()

    items = asyncio.run(write_without_a_server())
    server.start(embedded=1)
    _wait(lambda: server.count(service, "SUCCESS") == 3, 30, "the three executions to run")
    data = server.gql("""query($s: ID!) { executions(filter: {serviceId: $s}) { nodes { output } } }""",
                      {"s": service})["executions"]["nodes"]
    assert sorted(n["output"]["id"] for n in data) == sorted(items)
