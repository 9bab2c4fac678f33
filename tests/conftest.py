"""Test fixtures: a real database per test (SQLite by default; PostgreSQL when LABELGRAPH_TEST_DATABASE_URL is
set), the real ASGI app with its lifespan, and helpers to send GraphQL over HTTP to it.

* SQLite: the migrations run once into a template file; each test gets its own copy.
* PostgreSQL: the migrations run once into a fresh database ``lg_test_<pid>``; after each test every table is
  emptied (``empty_tables``), so no state leaks between tests. The database is dropped at the end of the session.
* pytest-xdist (``make test`` runs ``-n auto``): each worker is a process of its own, so it has its own temporary
  directory and, on PostgreSQL, its own databases (every name holds the worker's pid); ports are taken from 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import os
import resource
import secrets
import shutil
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prespawn import Spawned, close_zygote, spawn_labelgraph
from support import (
    ADMIN_TOKEN,
    GQL,
    Builder,
    Clock,
    empty_tables,
    free_loopback_port,
    pg_admin,
    serving,
    sign_in,
    wait_healthy,
    with_database,
)

from labelgraph.app import create_app
from labelgraph.engine.scheduler import Scheduler
from labelgraph.migrations import upgrade
from labelgraph.settings import Settings

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")

# The in-process apps of this process (``app`` and tests' own create_app) do their first prune round (outbox,
# function tokens, log lines, finished commands, unreferenced blobs) a minute after start instead of on their first
# tick: most live well under a second, and each paid the whole round (SQLite ~20 ms of CPU, ~40 ms wall; PostgreSQL
# ~100 ms wall) and stopped only when it had ended. Tests of pruning run the round themselves; ``labelgraph serve``
# processes (tests/prespawn.py, the CLI tests) prune on their first tick as always.
Scheduler.first_prune_after = 60.0

# Collection imports labelgraph, its schema and ~200 test modules: ~1M objects that live as long as the process.
# The cycle collector walked them again and again while they were made; it is off until collection ends, then
# they are frozen out of its sight (pytest_collection_finish), as ``labelgraph serve`` does with its imports.
gc.disable()


def pytest_report_header(config) -> str:
    return f"labelgraph database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


# The modules that take the longest (each a minute or more of one core: many ``labelgraph serve`` or worker
# processes, the fuzz run). ``make test`` runs the suite on every core (pytest-xdist, ``--dist worksteal``); these go
# first, so that the cores share them out and the run does not end with one core finishing a long module alone.
LONG_MODULES = ("scale/test_one_data_dir.py", "faas/test_reliability.py", "security/test_fuzz.py", "test_cli.py",
                "faas/test_execution_logs.py", "faas/test_isolation.py", "edge/test_timeouts.py")


# Tests whose subject does not involve the database carry ``@pytest.mark.database_agnostic("why")`` (a reason per
# module): CI runs the suite twice, on SQLite and on PostgreSQL, and these run once, in the SQLite run; the
# PostgreSQL run skips them, naming the reason. Anything that reads or writes through labelgraph's database layer as
# part of what it checks stays in both runs; a marked test may not take the per-test database (``settings``).
PER_TEST_DATABASE = {"settings", "database_template"}


def _database_agnostic(items) -> None:
    for item in items:
        marker = item.get_closest_marker("database_agnostic")
        if marker is None:
            continue
        reason = marker.args[0] if marker.args else marker.kwargs.get("reason")
        if not reason:
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.database_agnostic needs a reason (why the "
                                    "database does not matter to what the test checks)")
        if uses := PER_TEST_DATABASE & set(getattr(item, "fixturenames", ())):
            raise pytest.UsageError(f"{item.nodeid} is marked database_agnostic but takes the per-test database "
                                    f"({', '.join(sorted(uses))}): it must run on both databases")
        if PG_URL:
            item.add_marker(pytest.mark.skip(reason=f"database-agnostic, runs in the SQLite run: {reason}"))


def pytest_collection_modifyitems(session, config, items) -> None:
    _database_agnostic(items)
    if getattr(config.option, "numprocesses", None):  # pytest-xdist: whole modules move, their order kept
        rank = {name: i for i, name in enumerate(LONG_MODULES)}

        def key(item) -> int:
            path = item.nodeid.split("::", 1)[0].removeprefix("tests/")
            return rank.get(path, len(LONG_MODULES))

        items.sort(key=key)


def pytest_sessionfinish(session) -> None:
    """The zygote of tests/prespawn.py (if this process started one) ends, and is waited for: its children's CPU
    then counts in this process's (what ``time make test`` reports), as a subprocess's would."""
    close_zygote()


def pytest_collection_finish(session) -> None:
    """What the test process has built so far (labelgraph's modules and schema, the test modules) lives until it
    ends: frozen out of the cycle collector's sight (``gc.freeze``, as ``labelgraph serve`` does), so the full
    collections during the run no longer walk it. The role matrix in one process, back to back at load ~19: the
    collector's CPU 1.44–1.54 s → 0.85 s (each full collection ~185 → ~67 ms)."""
    gc.collect()
    gc.freeze()
    gc.enable()


# LABELGRAPH_TEST_TIMELINE=FILE: each test's start, end and where its time went, one line per test (tab-separated,
# appended by every xdist worker): worker, test, start and end (epoch seconds), CPU of this process, CPU of the
# children it reaped, and of the main thread's wall time, the part it ran, the part it waited for a core (run queue)
# and the rest, blocked (sleeping, waiting on a socket, a subprocess or a thread). Blocked time is a core left idle
# unless another worker uses it. Off unless the variable is set; for one run of a subset, not the whole suite.
TIMELINE = os.environ.get("LABELGRAPH_TEST_TIMELINE")


def _schedstat() -> tuple[float, float]:
    """The main thread's time on a core and waiting for one, in seconds (/proc/thread-self/schedstat)."""
    try:
        run, wait, _ = Path("/proc/thread-self/schedstat").read_text().split()
    except OSError:
        return 0.0, 0.0
    return int(run) / 1e9, int(wait) / 1e9


if TIMELINE:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, (run, wait), start = time.process_time(), _schedstat(), time.time()
        yield
        end, (run2, wait2) = time.time(), _schedstat()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        reaped = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        ran, queued = run2 - run, wait2 - wait
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(TIMELINE, "a") as out:
            out.write(f"{worker}\t{item.nodeid}\t{start:.3f}\t{end:.3f}\t{time.process_time() - cpu:.3f}\t"
                      f"{reaped:.3f}\t{ran:.3f}\t{queued:.3f}\t{end - start - ran - queued:.3f}\n")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> Any:
    """The migrated database the tests start from (a file for SQLite, a database URL for PostgreSQL)."""
    if PG_URL:
        name = f"lg_test_{os.getpid()}"
        asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}"'))
        asyncio.run(pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
        # a connection leaked mid-transaction by a test must not hold its locks (and stall the next TRUNCATE)
        asyncio.run(pg_admin(PG_URL, f'ALTER DATABASE "{name}" SET idle_in_transaction_session_timeout = \'30s\''))
        url = with_database(PG_URL, name)
        asyncio.run(upgrade(url))
        yield url
        asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "labelgraph.db"
        asyncio.run(upgrade(f"sqlite:///{path}"))
        yield path


@pytest.fixture
async def settings(database_template, tmp_path: Path) -> AsyncIterator[Settings]:
    if PG_URL:
        yield Settings(data_dir=tmp_path / "data", database_url=database_template, admin_token=ADMIN_TOKEN)
        await empty_tables(database_template)
    else:
        path = tmp_path / "labelgraph.db"
        shutil.copyfile(database_template, path)
        yield Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{path}", admin_token=ADMIN_TOKEN)


@pytest.fixture
def clock() -> Clock:
    """The ``app``'s clock: real time until the test advances it (token expiry, cron schedules, leases)."""
    return Clock()


@pytest.fixture
async def app(settings: Settings, clock: Clock):
    application = create_app(settings, migrate=False, now=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://labelgraph.test") as client:
        yield client


@pytest.fixture
async def served(app) -> AsyncIterator[str]:
    """The test's ``app`` served by uvicorn on a free loopback port (real HTTP and WebSocket). Yields the base
    URL, ``http://127.0.0.1:<port>``."""
    async with serving(app) as url:
        yield url


@pytest.fixture
def admin_token() -> str:
    return ADMIN_TOKEN


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GQL:
    """GraphQL as the platform admin (see ``as_user`` for other callers)."""
    return GQL(http, ADMIN_TOKEN)


@pytest.fixture
def as_user(http: httpx.AsyncClient, gql: GQL):
    """``await as_user("ann@example.com")`` → a GQL sending a fresh token of that user (created if new)."""

    async def make(email: str) -> GQL:
        return await sign_in(gql, email)

    return make


# ------------------------------------------------------------------------------------------------------------------
# The generated client (labelgraph_client), the way users drive the server:
#
# * ``client``: the async ``labelgraph_client.Client`` wired to the in-process ``app`` through httpx.ASGITransport.
# * ``labelgraph_server``: one live ``labelgraph serve`` process for the session, on a free loopback port with a
#   temporary data dir (on PostgreSQL runs: a database of its own, ``lg_live_<pid>``); ``live_client`` and
#   ``live_sync_client`` are the async and sync clients connected to it.
#
# Both sign in as the platform admin: ``admin_token`` in-process, ``LABELGRAPH_ADMIN_TOKEN`` for the live server.
# ------------------------------------------------------------------------------------------------------------------

CLIENT_TEST_URL = "http://labelgraph.test/graphql"
SERVE_START_TIMEOUT = 180  # seconds for a ``labelgraph serve`` subprocess to answer /healthz


@pytest.fixture
async def client(app, admin_token: str):
    """The generated async client, talking to the in-process ASGI app as the platform admin."""
    from labelgraph_client import Client

    async with Client(CLIENT_TEST_URL, admin_token, transport=httpx.ASGITransport(app=app)) as c:
        yield c


@dataclasses.dataclass
class LiveServer:
    url: str  # http://127.0.0.1:<port>
    graphql_url: str
    token: str
    data_dir: Path
    process: subprocess.Popen | Spawned
    log: Path


@contextlib.contextmanager
def running_labelgraph_serve(root: Path, **env_vars: str) -> Iterator[LiveServer]:
    """A ``labelgraph serve`` subprocess on a free loopback port with its data under ``root`` and the given
    LABELGRAPH_* variables (on PostgreSQL runs: a database of its own); stopped when the block ends. The process is
    forked from one that has already imported the server (tests/prespawn.py): ~1.7 s of CPU less per start."""
    port = free_loopback_port()
    token = "lg_" + secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    env.update(LABELGRAPH_ADMIN_TOKEN=token, LABELGRAPH_LOG_LEVEL="warning", **env_vars)
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(root / "data")]
    live_db = None
    if PG_URL:
        live_db = f"lg_live_{os.getpid()}_{port}"
        asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{live_db}" WITH (FORCE)'))
        asyncio.run(pg_admin(PG_URL, f'CREATE DATABASE "{live_db}"'))
        args += ["--database-url", with_database(PG_URL, live_db)]
    log = root / "serve.log"
    process = spawn_labelgraph(args, env, log)  # `python -m labelgraph.cli serve …`, its imports already done
    url = f"http://127.0.0.1:{port}"
    try:
        # a process that exits fails at once; one still starting gets 180 s: on a loaded machine (load average 27 on 2
        # cores) importing the app alone took 30-40 s, and 60 s failed healthy starts
        wait_healthy([(process, url, log)], SERVE_START_TIMEOUT)
        yield LiveServer(url, url + "/graphql", token, root / "data", process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        if live_db:
            asyncio.run(pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{live_db}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def labelgraph_server(tmp_path_factory) -> Iterator[LiveServer]:
    """A live ``labelgraph serve`` subprocess for the whole session; stopped (and its database dropped) at the end."""
    with running_labelgraph_serve(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def start_labelgraph_serve():
    """``with start_labelgraph_serve(root, LABELGRAPH_…="…") as server:`` — a live server with settings of its own."""
    return running_labelgraph_serve


@pytest.fixture
async def live_client(labelgraph_server: LiveServer):
    """The generated async client connected to the live server."""
    from labelgraph_client import Client

    async with Client(labelgraph_server.graphql_url, labelgraph_server.token) as c:
        yield c


@pytest.fixture
def live_sync_client(labelgraph_server: LiveServer):
    """The generated sync client connected to the live server."""
    from labelgraph_client import SyncClient

    with SyncClient(labelgraph_server.graphql_url, labelgraph_server.token) as c:
        yield c


@pytest.fixture
def build(gql: GQL) -> Builder:
    """Builds sample data as the platform admin."""
    return Builder(gql)
