"""The embedded pool works through the in-process worker port: `labelgraph serve` never loads the generated
client (labelgraph_client) and mints no token for its workers; only `labelgraph worker` speaks GraphQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from support import GQL

from labelgraph.engine.local import LocalWorkerPort
from labelgraph.engine.port import WorkerPort
from labelgraph.engine.remote import GraphQLWorkerPort

SERVE = r'''
import asyncio, json, sys, time
from pathlib import Path

import httpx
import sqlalchemy as sa

import labelgraph.cli, labelgraph.schema  # everything `labelgraph serve` imports
from labelgraph.app import create_app
from labelgraph.auth import TOKEN, USER
from labelgraph.settings import Settings

data_dir, database_url, admin = sys.argv[1:4]


async def main():
    settings = Settings(data_dir=Path(data_dir), database_url=database_url, admin_token=admin, embedded_workers=1)
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://serve.test",
                                     headers={"Authorization": f"Bearer {admin}"}, timeout=30) as http:
            async def gql(query, **variables):
                body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
                assert not body.get("errors"), body
                return body["data"]

            org = (await gql('mutation { organizationCreate(input: {name: "o"}) { organization { id } } }'))
            project = (await gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "p"}) '
                                 '{ project { id } } }', o=org["organizationCreate"]["organization"]["id"]))
            package = await gql("""mutation($i: PackageCreateInput!) { packageCreate(input: $i) { package { id } } }""",
                                i={"projectId": project["projectCreate"]["project"]["id"], "name": "basic",
                                   "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
                                   "modules": [{"functions": [{"name": "echo", "inputs": [
                                       {"type": "JSON", "name": "config"}]}]}]})
            service = await gql("""mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { service { id } } }""",
                                i={"packageId": package["packageCreate"]["package"]["id"], "name": "basic"})
            exe = await gql("""mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "echo",
              input: {config: {n: 1}}}) { execution { id } } }""", s=service["serviceCreate"]["service"]["id"])
            query = "query($id: ID!) { execution(id: $id) { id status output statusLog { message } } }"
            deadline = time.monotonic() + 60
            while True:
                found = (await gql(query, id=exe["executionCreate"]["execution"]["id"]))["execution"]
                if found["status"] in ("SUCCESS", "FAILED") or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
        db = app.state.labelgraph["db"]
        async with db.read() as conn:
            tokens = (await conn.execute(sa.select(TOKEN.c.name, USER.c.email, USER.c.is_admin)
                                         .join(USER, USER.c.id == TOKEN.c.user_id))).all()
    loaded = sorted(m for m in sys.modules if m.split(".")[0] == "labelgraph_client")
    print(json.dumps({"execution": found, "client_modules": loaded,
                      "tokens": [[t.name, t.email, t.is_admin] for t in tokens]}))


asyncio.run(main())
'''


def test_serve_runs_executions_without_the_generated_client_or_a_worker_token(settings, admin_token):
    """In a fresh interpreter: import what `labelgraph serve` imports, start the app with an embedded worker, run
    an execution to SUCCESS; labelgraph_client was never imported, and the only token is the admin's (the function
    never used context.client, so no token of its service's bot was issued)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    done = subprocess.run([sys.executable, "-c", SERVE, str(settings.data_dir), settings.database_url, admin_token],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["execution"]["status"] == "SUCCESS", out
    assert out["execution"]["output"] == {"greeting": "hello", "config": {"n": 1}}
    assert any(" on embedded-" in (e["message"] or "") for e in out["execution"]["statusLog"]), out  # the pool
    assert out["client_modules"] == []
    admins = [t for t in out["tokens"] if t[2]]
    assert [t[1] for t in admins] == ["admin@labelgraph.local"], out["tokens"]
    # the embedded pool issues an attempt's token only when its function calls context.client: echo does not
    assert [t for t in out["tokens"] if not t[2]] == [], out["tokens"]


def test_both_adapters_implement_the_port(app, client):
    local = LocalWorkerPort(app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    assert isinstance(local, WorkerPort)
    assert isinstance(GraphQLWorkerPort(client), WorkerPort)
    assert not isinstance(client, WorkerPort)  # a Runner given a client wraps it in the GraphQL port


async def test_completions_of_many_commit_together_and_refuse_what_the_worker_does_not_hold(gql, faas, app):
    from faas_support import execute, get_execution

    local = LocalWorkerPort(app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    ids = [(await execute(gql, faas.service, "noop"))["id"] for _ in range(4)]
    mine = await local.claim("w1", [faas.service], 3, 60, 0)
    theirs = await local.claim("w2", [faas.service], 1, 60, 0)
    assert sorted(c.id for c in mine + theirs) == sorted(ids)
    refused = await local.complete_many("w1", {**{c.id: {"n": i} for i, c in enumerate(mine)},
                                               theirs[0].id: {"n": 9}, "exe_unknown": None})
    assert set(refused) == {theirs[0].id, "exe_unknown"}
    assert "not leased by worker 'w1'" in str(refused[theirs[0].id])
    for i, c in enumerate(mine):
        done = await get_execution(gql, c.id)
        assert (done["status"], done["output"], done["progress"]) == ("SUCCESS", {"n": i}, 100)
    assert (await get_execution(gql, theirs[0].id))["status"] == "IN_PROGRESS"


COMPLETE_MANY = """mutation($w: String!, $c: [ExecutionCompletionInput!]!) { executionsComplete(input: {workerId: $w,
  completions: $c}) { completedIds errors { field code message } } }"""


async def test_executions_complete_commits_what_the_worker_holds_and_names_the_rest(gql, faas):
    from faas_support import CLAIM, execute, get_execution

    ids = [(await execute(gql, faas.service, "noop"))["id"] for _ in range(4)]
    mine = [c["execution"]["id"] for c in
            (await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 3}))["executionsClaim"]["claims"]]
    [theirs] = [c["execution"]["id"] for c in
                (await gql(CLAIM, {"w": "w2", "s": [faas.service], "m": 3}))["executionsClaim"]["claims"]]
    assert sorted([*mine, theirs]) == sorted(ids)

    # bad input changes nothing: a duplicate id refuses the whole call
    dup = (await gql(COMPLETE_MANY, {"w": "w1", "c": [{"id": mine[0]}, {"id": mine[0]}]}))["executionsComplete"]
    assert dup["completedIds"] == [] and [(e["code"], e["field"]) for e in dup["errors"]] == [
        ("INVALID", ["completions", "1", "id"])]
    assert (await get_execution(gql, mine[0]))["status"] == "IN_PROGRESS"

    # an id that names no execution is bad input too: the whole call is refused
    unknown = (await gql(COMPLETE_MANY, {"w": "w1", "c": [{"id": mine[0]}, {"id": "exe_unknown"}]}
                         ))["executionsComplete"]
    assert unknown["completedIds"] == [] and [(e["code"], e["field"]) for e in unknown["errors"]] == [
        ("NOT_FOUND", ["completions", "1", "id"])]
    assert (await get_execution(gql, mine[0]))["status"] == "IN_PROGRESS"

    # another worker's lease is not the batch's fault: the others complete, that one is named
    out = (await gql(COMPLETE_MANY, {"w": "w1", "c": [{"id": i, "output": {"n": n}} for n, i in enumerate(mine)]
                                     + [{"id": theirs, "output": 9}]}))["executionsComplete"]
    assert out["completedIds"] == mine
    assert [(e["code"], e["field"]) for e in out["errors"]] == [("CONFLICT", ["completions", "3", "id"])]
    assert "not leased by worker 'w1'" in out["errors"][0]["message"]
    for n, i in enumerate(mine):
        done = await get_execution(gql, i)
        assert (done["status"], done["output"], done["progress"]) == ("SUCCESS", {"n": n}, 100)
    assert (await get_execution(gql, theirs))["status"] == "IN_PROGRESS"
    # a second completion of the same executions is refused (exactly once), the first output stays
    again = (await gql(COMPLETE_MANY, {"w": "w1", "c": [{"id": mine[0], "output": "late"}]}))["executionsComplete"]
    assert again["completedIds"] == [] and again["errors"][0]["code"] == "CONFLICT"
    assert (await get_execution(gql, mine[0]))["output"] == {"n": 0}


async def test_the_graphql_port_completes_many_in_one_request(gql, faas, client):
    from faas_support import execute, get_execution

    ids = [(await execute(gql, faas.service, "noop"))["id"] for _ in range(3)]
    port = GraphQLWorkerPort(client)
    claims = await port.claim("w1", [faas.service], 2, 60, 0)
    other = await port.claim("w2", [faas.service], 1, 60, 0)
    sent = []
    original = client.complete_executions

    async def counting(**kwargs):
        sent.append(len(kwargs["completions"]))
        return await original(**kwargs)

    client.complete_executions = counting
    failed = await port.complete_many("w1", {**{c.id: {"n": 1} for c in claims}, other[0].id: None})
    assert sent == [3]  # one request for the three
    assert set(failed) == {other[0].id} and "not leased" in str(failed[other[0].id])
    # a bad id refuses the request: the worker sends the others again without it
    [last] = [(await execute(gql, faas.service, "noop"))["id"]]
    [claim] = await port.claim("w1", [faas.service], 1, 60, 0)
    failed = await port.complete_many("w1", {"exe_unknown": None, claim.id: {"n": 2}})
    assert sent == [3, 2, 1] and set(failed) == {"exe_unknown"}
    assert claim.id == last and (await get_execution(gql, last))["output"] == {"n": 2}
    assert sorted(c.id for c in claims + other) == sorted(ids)
    for c in claims:
        assert (await get_execution(gql, c.id))["status"] == "SUCCESS"


def test_a_resumed_service_wakes_waiting_claims_at_once():
    from labelgraph.db import OutboxEntry
    from labelgraph.engine.pool import WorkSignal
    from labelgraph.events.outbox import QUEUE_TOPIC, topics_of

    signal = WorkSignal()
    resumed = OutboxEntry("service", "updated", "svc_1", "prj_1", {"active": True})
    for quiet in (OutboxEntry("service", "updated", "svc_1", "prj_1", {"active": False}),
                  OutboxEntry("service", "updated", "svc_1", "prj_1", {"name": "renamed"}),
                  OutboxEntry("execution", "updated", "exe_1", "prj_1", {"status": "success"})):
        signal.notify([quiet])
        assert signal.seq == 0 and QUEUE_TOPIC not in topics_of(quiet)
    signal.notify([resumed])
    assert signal.seq == 1  # this process's claims
    assert QUEUE_TOPIC in topics_of(resumed)  # and the other replicas' (engine/pool.py WorkSignal.follow)


async def test_the_embedded_pool_issues_an_attempts_token_only_when_asked_and_it_dies_with_the_attempt(gql, http,
                                                                                                        faas, app):
    from faas_support import execute

    from labelgraph.db import start_statement_count
    from labelgraph.engine.port import Refused

    local = LocalWorkerPort(app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    ids = [(await execute(gql, faas.service, "noop"))["id"] for _ in range(3)]
    counter = start_statement_count()
    claims = await local.claim("w1", None, 10, 60, 0, running={})
    # services in the candidates' join, no count of running executions, no token written: select, update, events
    assert counter[0] <= 5, counter[0]
    assert sorted(c.id for c in claims) == sorted(ids) and {c.token for c in claims} == {None}
    first = claims[0]
    for worker, attempt in (("w2", first.attempt), ("w1", first.attempt + 1)):  # only the lease holder's attempt
        with pytest.raises(Refused):
            await local.function_token(first.id, worker, attempt)
    token = await local.function_token(first.id, "w1", first.attempt)
    bot = GQL(http, token)
    assert (await bot("query { me { email } }"))["me"]["email"].endswith(".bots.labelgraph")
    assert await local.complete_many("w1", {first.id: None}) == {}
    refused = await bot.raw("query { me { email } }")
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    with pytest.raises(Refused):  # the attempt ended: no new token for it
        await local.function_token(first.id, "w1", first.attempt)


async def test_an_embedded_claim_never_takes_more_of_a_service_than_its_concurrency_minus_what_the_worker_runs(
        gql, faas, app):
    from faas_support import execute

    await gql("mutation($s: ID!) { serviceUpdate(input: {id: $s, concurrency: 3}) { errors { message } } }",
              {"s": faas.service})
    local = LocalWorkerPort(app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    for _ in range(6):
        await execute(gql, faas.service, "noop")
    assert len(await local.claim("w1", None, 10, 60, 0, running={faas.service: 2})) == 1
    assert await local.claim("w1", None, 10, 60, 0, running={faas.service: 3}) == []
    assert len(await local.claim("w1", None, 10, 60, 0)) == 2  # counted by the queue: it holds 1 now
    assert len(await local.claim("w2", [faas.service], 10, 60, 0, running={})) == 3

async def test_an_embedded_completion_batch_revokes_the_tokens_it_issued_and_writes_no_token_statement_otherwise(
        gql, http, faas, app):
    from faas_support import execute, get_execution

    from labelgraph.db import start_statement_count

    local = LocalWorkerPort(app.state.labelgraph["db"], app.state.labelgraph["work_signal"], app)
    for _ in range(4):
        await execute(gql, faas.service, "noop")
    claims = await local.claim("w1", None, 10, 60, 0, running={})
    assert len(claims) == 4
    # two completions of attempts that never asked for a token: read, update, events (no token statement)
    counter = start_statement_count()
    assert await local.complete_many("w1", {c.id: None for c in claims[:2]}) == {}
    db = app.state.labelgraph["db"]
    assert counter[0] <= 3 + db.is_sqlite, counter[0]  # (SQLite: and its BEGIN IMMEDIATE)
    # a batch with one attempt that holds a token: that token dies with its attempt, the others' completions too
    token = await local.function_token(claims[2].id, "w1", claims[2].attempt)
    bot = GQL(http, token)
    assert (await bot("query { me { email } }"))["me"]["email"].endswith(".bots.labelgraph")
    assert await local.complete_many("w1", {c.id: None for c in claims[2:]}) == {}
    refused = await bot.raw("query { me { email } }")
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for c in claims:
        assert (await get_execution(gql, c.id))["status"] == "SUCCESS"
