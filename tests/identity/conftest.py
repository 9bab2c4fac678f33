"""A world of callers for authorization tests: one organization with a project, a member for every role,
and an outsider with an organization of their own.

``world`` builds one inside a test; ``world_template`` builds the whole world (every role, the execution plane)
once per session for the role matrix, whose cases share one app on a copy of it (``WorldTemplate.copy``), the
world put back in place before each case (``WorldTemplate.restore``)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest
import sqlalchemy as sa
from support import ADMIN_TOKEN, BOX, GQL, Builder, empty_tables, pg_connect, sign_in

from labelgraph.app import create_app
from labelgraph.models import metadata
from labelgraph.settings import Settings

ORG_ROLES = {"org_owner": None, "org_admin": "ADMIN", "org_member": "MEMBER", "org_worker": "WORKER"}
PROJECT_ROLES = {"engineer": "ENGINEER", "manager": "ANNOTATION_MANAGER", "annotator": "ANNOTATOR"}


@dataclass
class World:
    callers: dict[str, GQL] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


async def add_faas(owner: GQL, w: World) -> None:
    """A package, service and trigger; executions: one leased to "world-worker" (for an hour: the world may be
    built once per session), one queued, one ended."""
    data = await owner("""mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "pkg", codebase: {
        type: IMPORT, reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "noop"},
        {name: "peek", inputs: [{type: ANNOTATION, name: "annotation", defaultValue: null}]}]}]}) {
        package { id } } }""",
                       {"p": w.ids["project"]})
    w.ids["package"] = data["packageCreate"]["package"]["id"]
    data = await owner("""mutation($p: ID!) { serviceCreate(input: {packageId: $p}) { service { id } } }""",
                       {"p": w.ids["package"]})
    w.ids["service"] = s = data["serviceCreate"]["service"]["id"]
    data = await owner("""mutation($s: ID!) {
        trigger: triggerCreate(input: {serviceId: $s, functionName: "noop"}) { trigger { id } }
        leased: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } }
        queued: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } }
        ended: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } } }""", {"s": s})
    w.ids["trigger"] = data["trigger"]["trigger"]["id"]
    for name in ("leased", "queued", "ended"):
        w.ids[f"execution_{name}"] = data[name]["execution"]["id"]
    await owner("""mutation($s: ID!, $e: ID!) {
        executionsClaim(input: {workerId: "world-worker", serviceIds: [$s], max: 1, leaseSeconds: 3600}) {
            errors { message } }
        executionTerminate(input: {id: $e}) { errors { message } } }""", {"s": s, "e": w.ids["execution_ended"]})


async def make_world(gql: GQL, as_user, roles: set[str] | None = None, faas: bool = False,
                     domain: str = "acme.test", db=None) -> World:  # noqa: ANN001
    """The world of one tenant; every email of its people ends in ``@domain``. With the app's ``db``: also a
    queued dataset job (``command``, of a type no process runs, so it stays CREATED)."""
    w = World()
    owner = await as_user(f"owner@{domain}")
    w.callers["org_owner"] = owner
    b = Builder(owner)
    w.ids["org"] = await b.org(domain.split(".")[0].capitalize())
    w.ids["project"] = await b.project(w.ids["org"], "Cars")
    w.ids["dataset"] = await b.dataset(w.ids["project"], "frames")
    recipe = (await owner("query($d: ID!) { dataset(id: $d) { recipe { id ontologies { id } } } }",
                          {"d": w.ids["dataset"]}))["dataset"]["recipe"]
    w.ids["recipe"], w.ids["ontology"] = recipe["id"], recipe["ontologies"][0]["id"]
    await owner("""mutation($o: ID!) { ontologyLabelsAdd(input: {ontologyId: $o, labels: [{tag: "car"},
        {tag: "person"}]}) { errors { message } } }""", {"o": w.ids["ontology"]})
    await owner("""mutation($o: ID!) { ontologyAttributesUpsert(input: {ontologyId: $o, attributes: [
        {key: "occluded", type: YES_NO}]}) { errors { message } } }""", {"o": w.ids["ontology"]})
    item = (await b.items(w.ids["dataset"], [{"name": "a.jpg"}, {"name": "b.jpg"}]))[0]
    w.ids["item"] = item["id"]
    [w.ids["annotation"]] = await b.annotations([{"itemId": item["id"], "type": "BOX", "label": "car",
                                                  "coordinates": BOX}])
    if faas:
        await add_faas(owner, w)
    add_org = ("mutation($o: ID!, $e: String!, $r: OrganizationRole!) { organizationMemberAdd(input: "
               "{organizationId: $o, email: $e, role: $r}) { errors { message } } }")
    add_project = ("mutation($p: ID!, $e: String!, $r: ProjectRole!) { projectMemberAdd(input: "
                   "{projectId: $p, email: $e, role: $r}) { errors { message } } }")
    wanted = roles or set(ORG_ROLES) | set(PROJECT_ROLES) | {"outsider"}
    for name, role in ORG_ROLES.items():
        if role and name in wanted:
            await owner(add_org, {"o": w.ids["org"], "e": f"{name}@{domain}", "r": role})
            w.callers[name] = await as_user(f"{name}@{domain}")
    for name, role in PROJECT_ROLES.items():
        if name in wanted:
            await owner(add_project, {"p": w.ids["project"], "e": f"{name}@{domain}", "r": role})
            w.callers[name] = await as_user(f"{name}@{domain}")
    # someone to change or remove in member mutations
    await owner(add_org, {"o": w.ids["org"], "e": f"target@{domain}", "r": "MEMBER"})
    await owner(add_project, {"p": w.ids["project"], "e": f"target@{domain}", "r": "ANNOTATOR"})
    task = await owner("""mutation($d: ID!, $e: String!) { taskCreate(input: {datasetId: $d, name: "Label cars",
        assignees: [{email: $e}]}) { task { id assignments { nodes { id } } } errors { message } } }""",
                       {"d": w.ids["dataset"], "e": f"target@{domain}"})
    w.ids["task"] = task["taskCreate"]["task"]["id"]
    w.ids["assignment"] = task["taskCreate"]["task"]["assignments"]["nodes"][0]["id"]
    if "outsider" in wanted:
        outsider = await as_user("outsider@other.test")
        w.callers["outsider"] = outsider
        w.ids["other_org"] = await Builder(outsider).org("Other")
    w.callers["project_owner"] = owner
    w.callers["platform_admin"] = gql
    if db is not None:
        from labelgraph.jobs import queue

        async with db.transaction() as uow:
            w.ids["command"] = await queue.create(uow, "world.idle", w.ids["project"], {})
    return w


@pytest.fixture
def world(app, gql, as_user):
    async def build(roles: set[str] | None = None, faas: bool = False, domain: str = "acme.test") -> World:
        return await make_world(gql, as_user, roles, faas, domain, app.state.labelgraph["db"])

    return build


WORLD_SCHEMA = "lg_world"  # PostgreSQL: where the world's rows are kept between the cases


@dataclass
class WorldTemplate:
    """The whole world, built once. ``database``: on SQLite the world's file (copied per case); on PostgreSQL the
    test database, whose tables are filled from ``WORLD_SCHEMA`` per case and emptied after it."""

    database: Path | str
    tokens: dict[str, str]  # role -> API token
    ids: dict[str, str]

    @contextlib.asynccontextmanager
    async def copy(self, tmp_path: Path) -> AsyncIterator[Settings]:
        """Settings of a database holding a fresh copy of the world, for one test."""
        if isinstance(self.database, Path):
            path = tmp_path / "labelgraph.db"
            shutil.copyfile(self.database, path)
            yield _settings(f"sqlite:///{path}", tmp_path)
            return
        conn = await pg_connect(self.database)
        try:  # parents first, in one round trip (one transaction); replica role: rows copied as they are, the
            # tables' triggers not run (outbox_event's would add outbox_pending rows, migration 0014)
            await conn.execute("SET session_replication_role = replica; " + "; ".join(
                f'INSERT INTO "{t.name}" SELECT * FROM {WORLD_SCHEMA}."{t.name}"' for t in metadata.sorted_tables))
        finally:
            await conn.close()
        try:
            yield _settings(self.database, tmp_path)
        finally:
            await empty_tables(self.database)


    async def restore(self, url: str) -> None:
        """Put the world back, in place, into the database at ``url`` (one that ``copy`` made), while an app keeps
        running on it: each role-matrix case starts from the world without starting an app of its own.

        SQLite: the world's file is copied page by page into the live one (the backup API, holding the database's
        write lock: a transaction of the app's background work commits first, then is overwritten); in a thread,
        so that the app's writer holding the lock can finish on the event loop. PostgreSQL: every table locked
        (in-flight transactions finish first, none start), emptied and filled from ``WORLD_SCHEMA``, in one
        transaction. The app's own connections stay open and see the world at their next statement."""
        if isinstance(self.database, Path):
            await asyncio.to_thread(_sqlite_restore, self.database, sa.make_url(url).database)
            return
        names = [f'"{t.name}"' for t in metadata.sorted_tables]
        sql = ("SET LOCAL lock_timeout = '3s'; SET LOCAL session_replication_role = replica; "  # as in copy()
               f"LOCK TABLE {', '.join(names)} IN ACCESS EXCLUSIVE MODE; "
               + "; ".join(f"DELETE FROM {n}" for n in reversed(names)) + "; "
               + "; ".join(f"INSERT INTO {n} SELECT * FROM {WORLD_SCHEMA}.{n}" for n in names))
        conn = await pg_connect(self.database)
        try:
            for attempt in range(10):
                try:
                    async with conn.transaction():
                        await conn.execute(sql)
                    return
                # an app transaction locked the tables in another order (PostgreSQL sees the deadlock), or waits on
                # something of the app's own that waits on these locks (a job's progress written through another
                # connection: PostgreSQL cannot see that cycle, the lock timeout ends it): giving the locks back
                # lets it finish, then the world goes back in
                except (asyncpg.DeadlockDetectedError, asyncpg.LockNotAvailableError):
                    if attempt == 9:
                        raise
        finally:
            await conn.close()


def _sqlite_restore(world: Path, target: str) -> None:
    with contextlib.closing(sqlite3.connect(world)) as src, \
            contextlib.closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst, sleep=0.005)


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=url, admin_token=ADMIN_TOKEN)


async def _build_world(settings: Settings) -> World:
    """Run the app on ``settings``' database and build the whole world through it, as the tests' ``world``."""
    app = create_app(settings, migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as http):
        admin = GQL(http, ADMIN_TOKEN)
        return await make_world(admin, lambda email: sign_in(admin, email), faas=True,
                                db=app.state.labelgraph["db"])


async def _keep_rows(url: str) -> None:
    """PostgreSQL: copy every table's rows into ``WORLD_SCHEMA``, then empty the tables for the next test."""
    conn = await pg_connect(url)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {WORLD_SCHEMA} CASCADE; CREATE SCHEMA {WORLD_SCHEMA}; " + "; ".join(
            f'CREATE TABLE {WORLD_SCHEMA}."{t.name}" AS TABLE "{t.name}"' for t in metadata.sorted_tables))
    finally:
        await conn.close()
    await empty_tables(url)


@pytest.fixture(scope="session")
def world_template(database_template, tmp_path_factory) -> WorldTemplate:
    """The whole world (every role, the execution plane), built once per session and database."""
    root = tmp_path_factory.mktemp("world")
    if isinstance(database_template, Path):
        building = root / "building.db"
        shutil.copyfile(database_template, building)
        world = asyncio.run(_build_world(_settings(f"sqlite:///{building}", root)))
        database: Path | str = root / "world.db"
        with contextlib.closing(sqlite3.connect(building)) as src, contextlib.closing(sqlite3.connect(database)) as dst:
            src.backup(dst)  # one self-contained file, whatever the write-ahead log still held
    else:
        world = asyncio.run(_build_world(_settings(database_template, root)))
        asyncio.run(_keep_rows(database_template))
        database = database_template
    return WorldTemplate(database, {role: caller.token for role, caller in world.callers.items()}, world.ids)
