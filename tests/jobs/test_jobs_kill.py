"""A server killed mid-job (kill -9) leaves its job to another ``labelgraph serve`` process on the same database:
the lease expires, the other process claims the command and runs it again; it ends SUCCESS once, its output
complete and not duplicated (the output is written in the transaction that marks SUCCESS)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from prespawn import Spawned, spawn_labelgraph
from support import free_loopback_port, pg_admin, wait_healthy, with_database

from labelgraph import auth  # noqa: F401  (db.SYSTEM)
from labelgraph.db import Database
from labelgraph.jobs import queue

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")
HERE = Path(__file__).parent
START_WITHIN = 240  # seconds for both servers to answer /healthz on a loaded machine


def _start(root: Path, name: str, token: str, database_url: str | None) -> tuple[Spawned, str, Path]:
    """``labelgraph serve`` forked from a process that has already imported it (tests/prespawn.py)."""
    port = free_loopback_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    env.update(LABELGRAPH_LOG_LEVEL="warning", LABELGRAPH_ADMIN_TOKEN=token, LABELGRAPH_JOB_MODULES="lg_job_fixtures",
               LABELGRAPH_JOB_LEASE_SECONDS="1.5", LABELGRAPH_EMBEDDED_WORKERS="0",
               PYTHONPATH=os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]))
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(root / "data")]
    if database_url:
        args += ["--database-url", database_url]
    log = root / f"{name}.log"
    return spawn_labelgraph(args, env, log), f"http://127.0.0.1:{port}", log


async def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.05)  # state in other processes: polled


async def test_a_job_whose_server_is_killed_is_finished_once_by_another(tmp_path):
    token = "lg_" + secrets.token_urlsafe(32)
    database_url, live_db = None, None
    if PG_URL:
        live_db = f"lg_kill_{os.getpid()}"
        await pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{live_db}" WITH (FORCE)')
        await pg_admin(PG_URL, f'CREATE DATABASE "{live_db}"')
        database_url = with_database(PG_URL, live_db)
    servers = [_start(tmp_path, name, token, database_url) for name in ("a", "b")]
    db = None
    try:
        wait_healthy(servers, START_WITHIN)
        from labelgraph.settings import Settings

        db = Database(Settings(data_dir=tmp_path / "data", database_url=database_url or "").database_url)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=servers[0][1], headers=headers) as http:
            async def gql(query: str, variables: dict | None = None) -> dict:
                body = (await http.post("/graphql", json={"query": query, "variables": variables or {}})).json()
                assert not body.get("errors"), body
                return body["data"]

            org = (await gql('mutation { organizationCreate(input: {name: "K"}) { organization { id } } }')
                   )["organizationCreate"]["organization"]["id"]
            project = (await gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "K"}) '
                                 '{ project { id } } }', {"o": org}))["projectCreate"]["project"]["id"]
            dataset = (await gql('mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "out"}) '
                                 '{ dataset { id } } }', {"p": project}))["datasetCreate"]["dataset"]["id"]
            gate = tmp_path / "gate"
            async with db.transaction() as uow:
                id_ = await queue.create(uow, "test.gate", project, {"gate": str(gate), "datasetId": dataset,
                                                                     "count": 25})
            table = queue.COMMAND

            async def leased():
                async with db.read() as conn:
                    row = (await conn.execute(sa.select(table).where(table.c.id == id_))).first()
                return row if row.status == queue.IN_PROGRESS else None

            first = await _until(leased, 60, "a server to claim the job")
            pid = int(first.lease_owner.rsplit("-", 1)[1])
            killed = next(s for s in servers if s[0].pid == pid)
            os.kill(pid, signal.SIGKILL)
            killed[0].wait(timeout=10)
            gate.touch()

            async def ended():
                data = await gql("query($id: ID!) { command(id: $id) { status result error } }", {"id": id_})
                return data["command"] if data["command"]["status"] in ("SUCCESS", "FAILED", "ABORTED") else None

            other = next(s for s in servers if s is not killed)
            http.base_url = httpx.URL(other[1])
            done = await _until(ended, 60, "the other server to finish the job")
            assert done["status"] == "SUCCESS", done
            assert done["result"] == {"items": 25, "attempt": 2}
            async with db.read() as conn:
                row = (await conn.execute(sa.select(table).where(table.c.id == id_))).first()
            assert row.attempts == 2 and row.version >= 4
            names = await gql('query($d: ID!) { dataset(id: $d) { itemsCount items(first: 100) { nodes { name } } } }',
                              {"d": dataset})
            got = sorted(n["name"] for n in names["dataset"]["items"]["nodes"])
            assert names["dataset"]["itemsCount"] == 25 and got == sorted(f"{i}.txt" for i in range(25))
    finally:
        if db is not None:
            await db.dispose()
        for process, _, _ in servers:
            if process.poll() is None:
                process.terminate()
        for process, _, _ in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if live_db:
            await pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{live_db}" WITH (FORCE)')
