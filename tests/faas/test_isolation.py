"""Functions never run with the server's rights (issue 12): IMPORT codebases are limited to the platform's
allowlist; function code runs in a child process (embedded pool and `labelgraph worker` alike) with a scrubbed
environment, its own working directory and, as its only credential, a token of its project's bot that dies with
the attempt; where bubblewrap is installed it sees neither the data dir nor any network."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from faas_support import EXECUTION, SERVICE, wait_for
from support import GQL, Builder, eventually, serving
from test_reliability import server  # noqa: F401  (the fixture: `labelgraph serve` and workers as subprocesses)

from labelgraph.app import create_app
from labelgraph.auth import TOKEN
from labelgraph.db import Database
from labelgraph.engine.isolation import resolve
from labelgraph.engine.scheduler import Scheduler

BWRAP = shutil.which("bwrap")
PACKAGE = """mutation($input: PackageCreateInput!) { packageCreate(input: $input) {
  package { id revision codebase { type reference } } errors { field code message } } }"""
PACKAGE_UPDATE = """mutation($input: PackageUpdateInput!) { packageUpdate(input: $input) {
  package { id revision codebase { reference } } errors { field code message } } }"""
PACKAGES = """query($p: ID!) { project(id: $p) { packages { totalCount } } }"""
ME = "query { me { email projects { nodes { id } } } }"


def archive(source: str) -> str:
    """A zip holding ``main.py`` (the class ``Probe``), base64-encoded for packageCreate."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("main.py", source)
    return base64.b64encode(buf.getvalue()).decode()


async def deploy_archive(gql, project: str, source: str, functions: list[dict], init: dict | None = None) -> str:
    data = await gql(PACKAGE, {"input": {
        "projectId": project, "name": "probe", "modules": [{"functions": functions}],
        "codebase": {"type": "ARCHIVE", "reference": "main:Probe", "archive": archive(source)}}})
    assert data["packageCreate"]["errors"] == [], data
    data = await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"],
                                         "initParams": init or {}}})
    assert data["serviceCreate"]["errors"] == [], data
    return data["serviceCreate"]["service"]["id"]


async def run(gql, service: str, function: str = "run", timeout: float = 60) -> dict:
    data = await gql("""mutation($s: ID!, $f: String) { executionCreate(input: {serviceId: $s, functionName: $f})
      { execution { id } errors { message } } }""", {"s": service, "f": function})
    exe = data["executionCreate"]["execution"]
    return await wait_for(gql, exe["id"], {"SUCCESS", "FAILED"}, timeout=timeout)


@contextlib.asynccontextmanager
async def started(settings):
    """The app with the given settings, its lifespan running; yields (app, http client)."""
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://labelgraph.test") as http:
            yield app, http


async def signed_up(gql_admin: GQL, http, email: str) -> GQL:
    data = await gql_admin('mutation($e: String!) { tokenCreate(input: {name: "t", email: $e}) { token } }',
                           {"e": email})
    return GQL(http, data["tokenCreate"]["token"])


# --- 1. the allowlist of IMPORT codebases ---------------------------------------------------------------------

async def test_a_user_cannot_import_builtins_open_and_nothing_is_created(as_user):
    mallory = await as_user("mallory@example.com")
    project = await Builder(mallory).project()
    data = await mallory(PACKAGE, {"input": {
        "projectId": project, "name": "read", "codebase": {"type": "IMPORT", "reference": "builtins:open"},
        "modules": [{"functions": [{"name": "read"}]}]}})
    [error] = data["packageCreate"]["errors"]
    assert data["packageCreate"]["package"] is None
    assert error["field"] == ["codebase", "reference"] and error["code"] == "FORBIDDEN"
    assert "'builtins'" in error["message"] and "labelgraph.samples.*" in error["message"]
    assert "LABELGRAPH_IMPORT_MODULES" in error["message"] and "ARCHIVE" in error["message"]
    assert (await mallory(PACKAGES, {"p": project}))["project"]["packages"]["totalCount"] == 0


async def test_module_references_and_updates_are_held_to_the_allowlist_too(as_user):
    mallory = await as_user("mallory@example.com")
    project = await Builder(mallory).project()
    data = await mallory(PACKAGE, {"input": {
        "projectId": project, "name": "sneaky", "codebase": {"type": "IMPORT",
                                                             "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"name": "ok", "functions": [{"name": "noop"}]},
                    {"name": "bad", "reference": "os:system", "functions": [{"name": "run"}]}]}})
    assert [(e["field"], e["code"]) for e in data["packageCreate"]["errors"]] == [
        (["modules", "1", "reference"], "FORBIDDEN")]
    assert (await mallory(PACKAGES, {"p": project}))["project"]["packages"]["totalCount"] == 0

    data = await mallory(PACKAGE, {"input": {
        "projectId": project, "name": "fine", "codebase": {"type": "IMPORT",
                                                           "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"functions": [{"name": "noop"}]}]}})
    package = data["packageCreate"]["package"]
    assert data["packageCreate"]["errors"] == [] and package["revision"] == 1
    for change in ({"codebase": {"type": "IMPORT", "reference": "subprocess:Popen"}},
                   {"modules": [{"reference": "labelgraph.app:create_app", "functions": [{"name": "noop"}]}]}):
        data = await mallory(PACKAGE_UPDATE, {"input": {"id": package["id"], **change}})
        assert [e["code"] for e in data["packageUpdate"]["errors"]] == ["FORBIDDEN"], data
    data = await mallory("query($id: ID!) { package(id: $id) { revision codebase { reference } } }",
                         {"id": package["id"]})
    assert data["package"] == {"revision": 1, "codebase": {"reference": "labelgraph.samples.basic:Basic"}}


async def test_platform_admins_widen_the_allowlist_with_LABELGRAPH_IMPORT_MODULES(settings, admin_token):
    async with started(settings.with_(import_modules=("labelgraph.samples.*", "json"))) as (_, http):
        gql = GQL(http, admin_token)
        user = await signed_up(gql, http, "dev@example.com")
        project = await Builder(user).project()
        data = await user(PACKAGE, {"input": {
            "projectId": project, "name": "json", "codebase": {"type": "IMPORT", "reference": "json:JSONDecoder"},
            "modules": [{"functions": [{"name": "decode", "inputs": [{"type": "STRING", "name": "s"}]}]}]}})
        assert data["packageCreate"]["errors"] == []
        data = await user(PACKAGE, {"input": {
            "projectId": project, "name": "os", "codebase": {"type": "IMPORT", "reference": "os:system"},
            "modules": [{"functions": [{"name": "run"}]}]}})
        assert [e["code"] for e in data["packageCreate"]["errors"]] == ["FORBIDDEN"]
        assert "labelgraph.samples.*, json" in data["packageCreate"]["errors"][0]["message"]


# --- 2. what a hostile function gets ----------------------------------------------------------------------------

PROBE = '''
import os, socket, sys


def attempt(action):
    try:
        return {"ok": repr(action())[:400]}
    except BaseException as exc:
        return {"error": type(exc).__name__}


def read(path):
    with open(path, "rb") as f:
        return f.read(200)


class Probe:
    def __init__(self, data_dir, database, ports, own_dataset, other_dataset):
        self.data_dir, self.database, self.ports = data_dir, database, ports
        self.own_dataset, self.other_dataset = own_dataset, other_dataset

    async def run(self, context):
        def connect(port):
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return "connected"

        me = await context.client.get_me()
        own = await context.client.get_dataset(id=self.own_dataset)
        try:
            other = await context.client.get_dataset(id=self.other_dataset)
            other = None if other is None else other.name
        except Exception as exc:
            other = type(exc).__name__
        return {
            "pid": os.getpid(), "cwd": os.getcwd(), "env": dict(os.environ),
            "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "labelgraph", "uvicorn")),
            "admin_token": attempt(lambda: read(os.path.join(self.data_dir, "admin-token"))),
            "data_dir": attempt(lambda: os.listdir(self.data_dir)),
            "database": attempt(lambda: read(self.database)),
            "network": {str(p): attempt(lambda p=p: connect(p)) for p in self.ports},
            "me": me.email if me else None, "own": own.name if own else None, "other": other,
        }
'''


@pytest.fixture
async def exposed(settings, tmp_path, monkeypatch):
    """A server that made its admin on first start (the token is in <data dir>/admin-token), with a secret in its
    environment, an embedded worker and a real HTTP port; two users' projects."""
    monkeypatch.setenv("LABELGRAPH_SECRET_PROBE", "s3cret-in-the-server-environment")
    async with started(settings.with_(admin_token=None, embedded_workers=1)) as (app, http), serving(app) as url:
        token = (settings.data_dir / "admin-token").read_text().strip()
        admin = GQL(http, token)
        alice = await signed_up(admin, http, "alice@example.com")
        mallory = await signed_up(admin, http, "mallory@example.com")
        alice_dataset = await Builder(alice).dataset(await Builder(alice).project(name="Alice's"), "private")
        project = await Builder(mallory).project(name="Mallory's")
        own_dataset = await Builder(mallory).dataset(project, "mine")
        database = settings.database_url.split(":///", 1)[-1] if settings.is_sqlite else str(tmp_path / "none")
        ports = [5432, int(url.rsplit(":", 1)[1])]
        service = await deploy_archive(mallory, project, PROBE, [{"name": "run"}], {
            "data_dir": str(settings.data_dir), "database": database, "ports": ports,
            "own_dataset": own_dataset, "other_dataset": alice_dataset})
        yield mallory, service, token


def test_auto_takes_bubblewrap_wherever_it_is_installed():
    """`auto` must not fall back quietly where bubblewrap could isolate (it did once: a checkout under /tmp was
    hidden by the sandbox's private /tmp, the probe failed, and functions ran as plain children)."""
    if BWRAP is None:
        pytest.skip("bubblewrap (bwrap) is not installed")
    isolation = resolve("auto", [])
    assert isolation.mode == "bwrap", isolation.describe()


async def test_a_hostile_function_gets_no_secret_of_the_server(exposed, settings):
    mallory, service, admin_token = exposed
    done = await run(mallory, service)
    assert done["status"] == "SUCCESS", done
    out = done["output"]
    if resolve("auto", []).mode == "process":
        # a plain child runs as the server's user and can read its files (docs/security.md says so); everything
        # else below holds in every setup
        out = {k: v for k, v in out.items() if k not in ("admin_token", "data_dir", "database")}
    assert admin_token not in repr(out)
    assert not [k for k in out["env"] if k.startswith("LABELGRAPH")], out["env"]
    assert "s3cret-in-the-server-environment" not in repr(out["env"])
    assert settings.database_url not in repr(out["env"]) and "postgresql" not in repr(out["env"])
    assert set(out["env"]) <= {"PATH", "HOME", "TMPDIR", "PWD", "LANG", "LC_ALL", "LC_CTYPE", "TZ"}, out["env"]
    assert out["cwd"] != os.getcwd() and out["env"]["HOME"] == out["cwd"]
    assert out["pid"] != os.getpid() and out["modules"] == ["labelgraph", "labelgraph.engine",
                                                            "labelgraph.engine.sandbox"]
    # its client is its project's bot: its own data, and nothing of anyone else's
    assert out["me"].startswith("default@") and out["me"].endswith(".bots.labelgraph")
    assert out["own"] == "mine" and out["other"] is None


@pytest.mark.skipif(BWRAP is None, reason="bubblewrap (bwrap) is not installed: functions run as a plain child "
                    "process, which can read what the server's user can and reach the network")
async def test_under_bubblewrap_a_function_sees_no_data_dir_and_no_network(exposed):
    mallory, service, _ = exposed
    out = (await run(mallory, service))["output"]
    assert out["admin_token"] == {"error": "FileNotFoundError"}
    assert out["data_dir"] == {"error": "FileNotFoundError"}
    assert out["database"] == {"error": "FileNotFoundError"}
    assert all("error" in result for result in out["network"].values()), out["network"]


# --- 3. the embedded pool and `labelgraph worker` both run functions in a child ----------------------------------

WHERE = '''
import os, sys


class Probe:
    def run(self):
        return {"pid": os.getpid(), "ppid": os.getppid(), "server_modules": [m for m in ("sqlalchemy",
                "labelgraph.app", "labelgraph.cli", "labelgraph.engine.runner") if m in sys.modules]}
'''


async def test_the_embedded_pool_runs_functions_in_a_child_process(settings, admin_token):
    async with started(settings.with_(embedded_workers=1)) as (_, http):
        gql = GQL(http, admin_token)
        service = await deploy_archive(gql, await Builder(gql).project(), WHERE, [{"name": "run"}])
        out = (await run(gql, service))["output"]
    assert out["pid"] != os.getpid() and out["server_modules"] == []


def test_labelgraph_worker_runs_functions_in_a_child_process(server):  # noqa: F811
    server.start(embedded=0)
    org = server.gql('mutation { organizationCreate(input: {name: "W"}) { organization { id } } }')
    project = server.gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "w"}) '
                         '{ project { id } } }', {"o": org["organizationCreate"]["organization"]["id"]})

    async def call(query: str, variables: dict | None = None) -> dict:
        return server.gql(query, variables)

    service = asyncio.run(deploy_archive(call, project["projectCreate"]["project"]["id"], WHERE, [{"name": "run"}]))
    worker = server.worker(service, "cli-worker")
    exe = server.gql('mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "run"}) '
                     '{ execution { id } } }', {"s": service})["executionCreate"]["execution"]["id"]
    deadline = time.monotonic() + 60
    while (done := server.gql(EXECUTION, {"id": exe})["execution"])["status"] not in ("SUCCESS", "FAILED"):
        assert time.monotonic() < deadline, done
        time.sleep(0.1)
    assert done["status"] == "SUCCESS", done
    assert "attempt 1 on cli-worker" in [e["message"] for e in done["statusLog"]]
    assert done["output"]["server_modules"] == []
    assert done["output"]["pid"] not in (worker.pid, server.process.pid)
    worker.terminate()
    worker.wait(timeout=30)
    assert "functions run in a" in (server.root / "cli-worker.log").read_text()


# --- 4. termination kills the function's process; the claim's token dies with the attempt ------------------------

def sandbox_processes() -> list[int]:
    """Live function processes started from this test process (their command line names the child host)."""
    mine, found = str(os.getpid()), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if b"labelgraph.engine.sandbox" in (entry / "cmdline").read_bytes() and _descends(entry.name, mine):
                found.append(int(entry.name))
    return found


def _descends(pid: str, ancestor: str) -> bool:
    while pid not in ("0", "1"):
        if pid == ancestor:
            return True
        stat = Path(f"/proc/{pid}/stat").read_text()
        pid = stat.rsplit(")", 1)[1].split()[1]
    return False


STUBBORN = '''
import time


class Probe:
    def run(self):
        while True:  # never checks context.check_terminated()
            time.sleep(0.05)
'''


async def test_terminate_kills_a_function_that_ignores_it(gql, build, client, tmp_path):
    from labelgraph.engine.runner import Runner

    service = await deploy_archive(gql, await build.project(), STUBBORN, [{"name": "run"}])
    exe = (await gql("""mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "run"}) {
      execution { id } } }""", {"s": service}))["executionCreate"]["execution"]
    # a lease long enough that a heartbeat late on a loaded machine does not let it expire (onReset would fail the
    # execution before the terminate the test is about)
    runner = Runner(client, worker_id="w", wait_seconds=0.3, lease_seconds=6, cache_dir=tmp_path / "cache",
                    service_ids=[service], drain=1)
    task = asyncio.create_task(runner.run())
    try:
        await wait_for(gql, exe["id"], {"IN_PROGRESS"})
        await eventually(lambda: sandbox_processes() != [], 15, "the function's process to start")
        await gql("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { code } } }",
                  {"id": exe["id"]})
        assert (await wait_for(gql, exe["id"], {"TERMINATED"}, timeout=15))["status"] == "TERMINATED"
        await eventually(lambda: sandbox_processes() == [], 15, "the function's process to be killed")
    finally:
        runner.stop()
        await asyncio.wait_for(task, 20)
    assert sandbox_processes() == []


async def test_the_claim_token_is_the_projects_bot_and_dies_with_the_attempt(gql, http, faas, build, settings):
    from faas_support import execute

    other = await build.dataset(await build.project(name="Elsewhere"), "theirs")
    exe = await execute(gql, faas.service, "noop")
    [claim] = (await gql("""mutation($s: ID!) { executionsClaim(input: {workerId: "w1", serviceIds: [$s]}) {
      claims { token } } }""", {"s": faas.service}))["executionsClaim"]["claims"]
    bot = GQL(http, claim["token"])
    me = (await bot(ME))["me"]
    assert me["email"] == f"default@{faas.project.lower()}.bots.labelgraph"
    assert me["projects"]["nodes"] == [{"id": faas.project}]
    assert (await bot("query($d: ID!) { dataset(id: $d) { id } }", {"d": faas.dataset}))["dataset"]["id"]
    assert (await bot("query($d: ID!) { dataset(id: $d) { id } }", {"d": other}))["dataset"] is None
    # it cannot make itself a token that would outlive the execution
    refused = await bot.raw('mutation { tokenCreate(input: {name: "keep"}) { token } }')
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    data = await gql("""mutation($id: ID!) { executionComplete(input: {id: $id, workerId: "w1"}) {
      errors { code } } }""", {"id": exe["id"]})
    assert data["executionComplete"]["errors"] == []
    refused = await bot.raw(ME)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # the scheduler prunes dead function tokens
    db = Database(settings.database_url)
    try:
        before = await _tokens(db)
        await Scheduler(db).run_once()
        assert await _tokens(db) == before - 1
    finally:
        await db.dispose()


async def _tokens(db: Database) -> int:
    async with db.read() as conn:
        return (await conn.execute(sa.select(sa.func.count()).select_from(TOKEN))).scalar_one()


async def test_the_data_dir_is_private_to_the_servers_user(settings):
    settings.data_dir.mkdir()
    os.chmod(settings.data_dir, 0o755)  # made open by an earlier version, or by hand
    async with started(settings.with_(admin_token=None)):
        assert settings.data_dir.stat().st_mode & 0o777 == 0o700
        assert (settings.data_dir / "admin-token").stat().st_mode & 0o777 == 0o600


def test_an_unknown_sandbox_setting_stops_the_worker_with_a_clear_error():
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    done = subprocess.run([sys.executable, "-m", "labelgraph.cli", "worker", "--url", "http://127.0.0.1:9/graphql",
                           "--token", "lg_x"], env={**env, "LABELGRAPH_SANDBOX": "chroot"}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "LABELGRAPH_SANDBOX must be one of auto, bwrap, user, process, got 'chroot'" in done.stderr
