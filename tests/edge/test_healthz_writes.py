"""/healthz reports a failing database write path (issue 12, point 6: on a full disk it said "ok" while every
write failed): a committed write that needs a new page, at most once per LABELGRAPH_HEALTH_PROBE_INTERVAL, in the
background (health checks answer with the last probe's result: the first failing answer comes a probe later)."""

from __future__ import annotations

import asyncio
import os
import sqlite3

import httpx
import pytest
import sqlalchemy as sa
from support import GQL, Builder, pg_admin

from labelgraph.app import create_app
from labelgraph.db import start_statement_count
from labelgraph.health import WriteProbe

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="SQLite's page budget")
postgres_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL's read-only databases")


async def healthz_until(http: httpx.AsyncClient, status_code: int) -> httpx.Response:
    """GET /healthz until it answers ``status_code`` (probes run in the background: the next answer tells); the
    last answer after 10 s otherwise."""
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        response = await http.get("/healthz")
        if response.status_code == status_code or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.02)


@pytest.fixture
async def probed(settings):
    """The app probing writes on every /healthz (interval 0), and an HTTP client to it."""
    app = create_app(settings.with_(health_probe_interval=0), migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as http):
        yield app, http


@sqlite_only
async def test_healthz_is_503_when_the_sqlite_database_cannot_grow(probed, admin_token):
    app, http = probed
    builder = Builder(GQL(http, admin_token))
    dataset_id = await builder.dataset(await builder.project())
    response = await http.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"
    db = app.state.labelgraph["db"]
    async with db.write_engine.connect() as conn:  # the one connection every write of the app goes through
        sqlite = (await conn.get_raw_connection()).driver_connection  # outside SQLAlchemy's BEGIN IMMEDIATE
        await sqlite.execute("VACUUM")  # no free pages left to reuse
        pages = (await (await sqlite.execute("PRAGMA page_count")).fetchone())[0]
        await sqlite.execute(f"PRAGMA max_page_count = {pages}")  # the file cannot grow: a full disk
    response = await healthz_until(http, 503)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "writes failing: database or disk is full",
                               "broker": "memory"}
    # what users see meanwhile: writes that need room fail
    with pytest.raises(AssertionError, match="internal error"):
        await builder.items(dataset_id, [{"name": f"frame-{i}.jpg"} for i in range(500)])
    await sqlite.execute(f"PRAGMA max_page_count = {pages * 10}")  # room again
    response = await healthz_until(http, 200)
    assert response.status_code == 200 and response.json()["database"] == "ok"


@sqlite_only
async def test_a_stuck_writer_is_reported_within_the_timeout(probed, settings):
    """Another process holds SQLite's write lock: writes wait (busy_timeout 15 s); /healthz says so in 2 s (the
    product's timeout; this test gives the probe 0.5 s, so it waits less)."""
    app, http = probed
    probe = app.state.labelgraph["write_probe"]
    assert probe.timeout == 2.0
    probe.timeout = 0.5
    holder = sqlite3.connect(settings.database_url.split("///", 1)[1], isolation_level=None, timeout=30,
                             check_same_thread=False)
    # in a thread: waiting for the lock on the event loop would stop the app's writer that holds it from finishing
    await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
    try:
        responses = await asyncio.wait_for(asyncio.gather(http.get("/healthz"), http.get("/healthz")), 10)
        for response in responses:
            assert response.status_code == 503
            assert response.json()["database"] == "writes failing: no answer within 0.5 s"
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@postgres_only
async def test_healthz_is_503_when_the_postgres_database_is_read_only(probed, settings):
    app, http = probed
    assert (await http.get("/healthz")).status_code == 200
    name = settings.database_url.rsplit("/", 1)[1]
    # a fail-over left the database read-only: new connections can no longer write
    await pg_admin(PG_URL, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    try:
        await pg_admin(PG_URL, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        deadline = asyncio.get_running_loop().time() + 10
        while True:  # the pool notices its connections are gone and reconnects; the probe after tells
            response = await http.get("/healthz")
            body = response.json()
            if "read-only transaction" in body["database"] or asyncio.get_running_loop().time() > deadline:
                break
            await asyncio.sleep(0.02)
        assert response.status_code == 503 and body["status"] == "unavailable", body
        assert body["database"].startswith("writes failing: ") and "read-only transaction" in body["database"]
    finally:
        await pg_admin(PG_URL, f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        await pg_admin(PG_URL, f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                       "AND pid <> pg_backend_pid()")


async def test_the_probe_writes_at_most_once_per_interval(app):
    probe = WriteProbe(app.state.labelgraph["db"], interval=60, timeout=2)
    statements = start_statement_count()  # this test's task counts from here
    assert await probe.check() == "ok"
    assert statements[0] >= 2  # the insert and the delete
    assert await asyncio.gather(probe.check(), probe.check()) == ["ok", "ok"]
    assert probe.probes == 1  # the result is reused for the interval
    async with app.state.labelgraph["db"].read() as conn:  # and it leaves nothing behind
        assert (await conn.execute(sa.text("SELECT count(*) FROM health_probe"))).scalar() == 0
