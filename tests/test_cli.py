"""The command line as a user runs it: migrate, schema, and serve + demo against a live process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support import free_loopback_port

from labelgraph.demo import load_demo

pytestmark = pytest.mark.database_agnostic(
    "the CLI on its embedded SQLite data dir in both runs (the live server drops LABELGRAPH_DATABASE_URL, "
    "migrate takes --data-dir) and `schema` opens no database: the PostgreSQL run would repeat the SQLite run")

LABELGRAPH = [sys.executable, "-m", "labelgraph.cli"]


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*LABELGRAPH, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_migrate_creates_the_embedded_database(tmp_path: Path):
    result = _run("migrate", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "labelgraph.db").exists()
    assert _run("migrate", "--data-dir", str(tmp_path / "data")).returncode == 0  # idempotent


def test_schema_command_prints_the_sdl():
    result = _run("schema", "--output", "-")
    assert result.returncode == 0
    assert "type Query" in result.stdout and "itemsCreate(input: ItemsCreateInput!): ItemsPayload!" in result.stdout


@pytest.fixture
def live_server(tmp_path: Path):
    port = free_loopback_port()
    env = {**os.environ, "LABELGRAPH_DATA_DIR": str(tmp_path / "data"), "LABELGRAPH_PORT": str(port)}
    env.pop("LABELGRAPH_DATABASE_URL", None)
    proc = subprocess.Popen([*LABELGRAPH, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a hang guard, not a speed assertion: a start took 33 s under load
    healthy = False
    with httpx.Client(timeout=1) as http:  # one client: each httpx.get would build a TLS context (~28 ms of CPU)
        while not healthy and time.monotonic() < deadline and proc.poll() is None:
            try:
                healthy = http.get(url + "/healthz").status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
    if not healthy:
        proc.kill()
        pytest.fail(f"labelgraph serve did not start: {proc.stdout.read()}")
    yield url, tmp_path / "data"
    proc.terminate()
    proc.wait(timeout=10)


async def test_demo_loads_into_a_running_gateway(live_server):
    url, data_dir = live_server
    summary = await load_demo(url + "/graphql", items_per_dataset=40, data_dir=data_dir)
    assert "2 datasets, 80 items" in summary
    token = (data_dir / "admin-token").read_text().strip()  # written by the first start, mode 0600
    assert (data_dir / "admin-token").stat().st_mode & 0o777 == 0o600
    query = "{ organizations { nodes { name projects { nodes { datasets { nodes { name itemsCount } } } } } } }"
    anonymous = httpx.post(url + "/graphql", json={"query": query})
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    response = httpx.post(url + "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})
    org = response.json()["data"]["organizations"]["nodes"][0]
    datasets = org["projects"]["nodes"][0]["datasets"]["nodes"]
    assert org["name"] == "Demo Org" and sorted(d["itemsCount"] for d in datasets) == [40, 40]
    # GraphiQL for browsers
    page = httpx.get(url + "/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
