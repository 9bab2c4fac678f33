"""Issue 12, points 2 and 3: no request freezes the server, and the limits cannot be skipped.

Every reproducer of the issue is sent over real HTTP (uvicorn on loopback) while ``/healthz`` is polled: the
refusal costs the event loop under 100 ms of CPU (so it cannot hold any ``/healthz`` answer up longer), and
``/healthz`` answers meanwhile. The ways around the limits (several
operations without ``operationName``, the legacy ``graphql-ws`` protocol, page sizes in variables, fragments
spread under connections, inline fragments on interfaces, subscriptions over HTTP, GET) are refused with the
limit named.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta

import httpx
import pytest
from graphql import get_introspection_query
from support import GQL, WS, Builder, serving
from websockets.exceptions import ConnectionClosed

from labelgraph.app import GraphQLApp, create_app

BOUND = 0.100  # seconds: the bound for a refusal and for /healthz meanwhile


def fragment_bomb(levels: int, leaf: str = "__typename") -> str:
    """The issue's anonymous document: each fragment spreads the one below it twice (2**levels fields)."""
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"{{ ...F{levels} }} " + " ".join(fragments)


ALIASES_200 = "query A { " + " ".join(f"a{i}: __typename" for i in range(200)) + " } query Z { __typename }"
SCHEMA_50 = "{ " + " ".join(f"s{i}: __schema {{ types {{ name fields {{ name }} }} }}" for i in range(50)) + " }"
HUGE = "{ me { " + "id " * 33_000 + "} }"  # 33,005 tokens in 99 kB: parsing and validating it takes seconds
REPEATED = "{ " + "me { organizations { nodes { id } } } " * 100 + "}"  # quadratic for field merging
NODES_100K = ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [f"ds_{i}" for i in range(100_000)]})

# (name, query, variables, signed in, expected extensions.code, expected words in the message)
REPRODUCERS = [
    # only __typename: introspection, which anonymous callers may send, so it is measured
    ("bomb22-anonymous", fragment_bomb(22), None, False, "LIMIT_EXCEEDED", "fields"),
    ("bomb39-anonymous", fragment_bomb(39), None, False, "LIMIT_EXCEEDED", "fields"),
    # anything else is refused unmeasured
    ("bomb39-anonymous-me", fragment_bomb(39, "me { id }"), None, False, "UNAUTHENTICATED", "sign in"),
    ("bomb22", fragment_bomb(22), None, True, "LIMIT_EXCEEDED", "fields"),
    ("bomb39", fragment_bomb(39), None, True, "LIMIT_EXCEEDED", "fields"),
    ("nodes-100k-ids", *NODES_100K, True, "LIMIT_EXCEEDED", "1,000 ids"),
    ("50-aliased-schema", SCHEMA_50, None, False, "LIMIT_EXCEEDED", "introspection"),
    ("200-aliases-and-a-second-operation", ALIASES_200, None, True, "BAD_USER_INPUT", "2 operations (A, Z)"),
    ("huge-token-count", HUGE, None, True, "LIMIT_EXCEEDED", "tokens"),
    ("repeated-fields", REPEATED, None, True, "LIMIT_EXCEEDED", "repeated"),
]


async def _healthz(base_url: str, done: asyncio.Event, times: list[float]) -> None:
    """Poll /healthz on a connection of its own until ``done`` (at least once), recording each wall time; a pause
    of 5 ms between answers keeps the polling itself from loading the event loop it watches."""
    async with httpx.AsyncClient(base_url=base_url) as other:
        while not done.is_set() or not times:
            start = time.perf_counter()
            assert (await other.get("/healthz")).status_code == 200
            times.append(time.perf_counter() - start)
            await asyncio.sleep(0.005)


async def _refusal_beside_healthz(http: httpx.AsyncClient, body: bytes, headers: dict) -> tuple[dict, dict]:
    """Send ``body`` alone, then again while another connection polls /healthz. Returns the answer and the
    timings: the CPU time of the event loop's thread for the refusal alone (server and client share it; other
    processes of a loaded machine do not count), the refusal's wall time beside the polling, the slowest
    /healthz answer meanwhile, and the slowest of three /healthz answers with nothing else going on."""
    headers = {"Content-Type": "application/json", **headers}
    cpu = time.thread_time()
    await http.post("/graphql", content=body, headers=headers)
    cpu = time.thread_time() - cpu

    quiet: list[float] = []
    for _ in range(3):
        done = asyncio.Event()
        done.set()
        await _healthz(str(http.base_url), done, quiet)

    done, health = asyncio.Event(), []
    poller = asyncio.create_task(_healthz(str(http.base_url), done, health))
    await asyncio.sleep(0)  # the poller's first request is on its way
    start = time.perf_counter()
    try:
        response = await http.post("/graphql", content=body, headers=headers)
        took = time.perf_counter() - start
    finally:
        done.set()
        await poller
    return response.json(), {"cpu": cpu, "wall": took, "healthz": max(health), "quiet healthz": max(quiet)}


def _within_bound(timings: dict) -> bool:
    """The refusal's CPU time on the event loop's thread is under the bound: that is how long it can hold the loop
    (and every /healthz answer) up, whatever else the machine runs. The wall times beside it (the refusal's, the
    slowest /healthz answer, /healthz alone) are measured and shown but not asserted: on a 2-core machine running
    two suites on four workers they are mostly the other processes' time (house rule: no timed tests)."""
    return timings["cpu"] < BOUND


@pytest.mark.parametrize(("query", "variables", "signed_in", "code", "words"),
                         [r[1:] for r in REPRODUCERS], ids=[r[0] for r in REPRODUCERS])
async def test_each_reproducer_is_refused_within_100_ms_while_healthz_answers(
        served, admin_token, query, variables, signed_in, code, words):
    """The bound is the issue's 100 ms, of the event loop's CPU for the refusal (the longest it can keep /healthz
    waiting); /healthz is polled meanwhile and must answer. The first try may pay for warming caches: the bound
    must hold in one of 8 tries."""
    headers = {"Authorization": f"Bearer {admin_token}"} if signed_in else {}
    body = json.dumps({"query": query, "variables": variables or {}}).encode()  # encoded once, not per attempt
    async with httpx.AsyncClient(base_url=served, timeout=60) as http:
        await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)  # warm-up
        attempts = []
        for _ in range(8):
            answer, timings = await _refusal_beside_healthz(http, body, headers)
            [error] = answer["errors"]
            assert error["extensions"]["code"] == code, error
            assert words in error["message"], error
            assert answer.get("data") is None
            attempts.append(timings)
            if _within_bound(timings):
                break
        assert _within_bound(attempts[-1]), attempts


async def test_refusals_count_against_the_rate_limit(settings, admin_token):
    """Refusing is cheap, not free: each request takes its first rate-limit point before any work."""
    app = create_app(settings.with_(rate_limit=3), migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lg.test") as http):
        gql = GQL(http, admin_token)
        for _ in range(3):
            assert (await gql.raw(fragment_bomb(39)))["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        body = await gql.raw(fragment_bomb(39))
        assert gql.last_response.status_code == 429 and body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_several_operations_need_an_operation_name(gql):
    body = await gql.raw(ALIASES_200)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and body["data"] is None
    assert error["message"] == "the document has 2 operations (A, Z): send operationName to choose one"
    body = await gql.raw("{ me { id } } query Z { __typename }")
    assert "2 operations (anonymous, Z)" in body["errors"][0]["message"]
    # naming one measures that one
    response = await gql.http.post("/graphql", json={"query": ALIASES_200, "operationName": "A"},
                                   headers={"Authorization": f"Bearer {gql.token}"})
    assert response.json()["errors"][0]["message"] == "the query uses at least 51 aliases; the limit is 50"
    response = await gql.http.post("/graphql", json={"query": ALIASES_200, "operationName": "Z"},
                                   headers={"Authorization": f"Bearer {gql.token}"})
    assert response.json() == {"data": {"__typename": "Query"}, "extensions": {"cost": 0}}
    response = await gql.http.post("/graphql", json={"query": ALIASES_200, "operationName": "B"},
                                   headers={"Authorization": f"Bearer {gql.token}"})
    [error] = response.json()["errors"]
    assert error["message"] == "the document has no operation named 'B'; it has A, Z"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    body = await gql.raw("fragment F on Query { __typename }")
    assert body["errors"][0]["message"] == "the document has no operation: send a query, mutation or subscription"


async def test_tokens_are_counted_as_graphql_counts_them(http):
    """A string is one token however many words it holds; comments count (graphql-core's max_tokens)."""
    anonymous = GQL(http)
    words = " ".join(["word"] * 5000)
    body = await anonymous.raw(f'{{ __type(name: "{words}") {{ name }} }}')
    assert body["data"] == {"__type": None} and "errors" not in body
    body = await anonymous.raw('{ __type(name: """' + words + '""") { name } }')
    assert body["data"] == {"__type": None} and "errors" not in body
    body = await anonymous.raw("{ __typename }" + "\n# a comment" * 2000)
    assert body["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "tokens", "maximum": 2000}


async def test_get_requests_are_held_to_the_same_limits(gql):
    response = await gql.http.get("/graphql", params={"query": ALIASES_200},
                                  headers={"Authorization": f"Bearer {gql.token}"})
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    response = await gql.http.get("/graphql", params={"query": fragment_bomb(39)},
                                  headers={"Authorization": f"Bearer {gql.token}"})
    assert response.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_subscription_over_http_is_refused(gql):
    body = await gql.raw('subscription { executionUpdated(id: "exe_1") { id } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "WebSocket" in error["message"]


async def test_page_sizes_in_variables_count_as_they_run(gql, build):
    """Floats that GraphQL accepts as Int, and variable defaults, are the page sizes that run."""
    project = await build.project()
    query = """query($p: ID!, $a: Int, $b: Int = 1000) { project(id: $p) { datasets(first: $a) { nodes {
        items(first: $b) { nodes { id } } } } } }"""
    body = await gql.raw(query, {"p": project, "a": 1000.0})
    assert body["errors"][0]["extensions"]["cost"] == 1000 + 1000 * 1000
    body = await gql.raw(query, {"p": project, "a": 2, "b": 3.0})
    assert body["extensions"]["cost"] == 2 + 2 * 3 and "errors" not in body
    body = await gql.raw(query, {"p": project, "a": "many"})
    assert body["errors"][0]["message"].startswith("Variable '$a' has invalid value: Int cannot represent")


async def test_fragments_multiply_with_the_connections_above_them(gql, build):
    project = await build.project()
    body = await gql.raw("""query($p: ID!) { project(id: $p) { datasets(first: 4) { nodes { ...D } }
        again: datasets(first: 2) { nodes { ...D ...D } } } }
        fragment D on Dataset { items(first: 10) { nodes { id } } }""", {"p": project})
    assert "errors" not in body, body
    assert body["extensions"]["cost"] == (4 + 4 * 10) + (2 + 2 * 10 * 2)
    body = await gql.raw("""query($p: ID!) { project(id: $p) { datasets(first: 1000) { nodes { ...D } } } }
        fragment D on Dataset { items(first: 1000) { nodes { id } } }""", {"p": project})
    assert body["errors"][0]["extensions"]["cost"] == 1000 + 1000 * 1000


async def test_inline_fragments_on_interfaces_are_measured(gql, build):
    project = await build.project()
    dataset = await build.dataset(project)
    body = await gql.raw("""query($ids: [ID!]!) { nodes(ids: $ids) { ... on Dataset {
        items(first: 1000) { nodes { annotations(first: 100) { nodes { id } } } } } } }""",
                         {"ids": [dataset] * 5})
    assert body["errors"][0]["extensions"]["cost"] == 5 + 5 * 1000 + 5 * 1000 * 100  # the ids count too
    body = await gql.raw("query($id: ID!) { node(id: $id) { ... on Dataset { items(first: 3) { totalCount } } } }",
                         {"id": dataset})
    assert body["data"] == {"node": {"items": {"totalCount": 0}}} and body["extensions"]["cost"] == 3


async def test_nodes_takes_at_most_a_thousand_ids_and_counts_them(gql, build):
    dataset = await build.dataset(await build.project())
    body = await gql.raw("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [dataset] * 1000})
    assert body["extensions"]["cost"] == 1000 and len(body["data"]["nodes"]) == 1000
    body = await gql.raw("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [dataset] * 1001})
    [error] = body["errors"]
    assert error["message"] == "nodes(ids:) takes at most 1,000 ids; got 1,001"
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "ids", "maximum": 1000}
    literal = "{ nodes(ids: [" + ", ".join(f'"{dataset}"' for _ in range(1001)) + "]) { id } }"
    assert (await gql.raw(literal))["errors"][0]["extensions"]["limit"] == "ids"


async def test_fields_under_unknown_fields_are_measured_too(gql):
    body = await gql.raw("{ nope { ...F39 } } " + fragment_bomb(39).split(" ", 3)[3])
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_fragment_cycle_is_a_validation_error(gql):
    body = await gql.raw("{ me { ...A } } fragment A on User { organizations { nodes { members { nodes { user {"
                         " ...A } } } } } }")
    [error] = body["errors"]
    assert "Cannot spread fragment 'A' within itself" in error["message"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_introspection_stays_anonymous_and_bounded(http):
    anonymous = GQL(http)
    body = await anonymous.raw(get_introspection_query(descriptions=True))
    assert "errors" not in body and body["data"]["__schema"]["queryType"]["name"] == "Query"
    three = "{ " + " ".join(f"t{i}: __type(name: \"Query\") {{ name }}" for i in range(3)) + " }"
    assert "errors" not in await anonymous.raw(three)
    four = "{ " + " ".join(f"t{i}: __type(name: \"Query\") {{ name }}" for i in range(4)) + " }"
    [error] = (await anonymous.raw(four))["errors"]
    assert error["message"] == "the query asks for at least 4 introspection fields (__schema, __type); the limit is 3"
    body = await anonymous.raw("{ __typename me { id } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- WebSocket: both protocols apply the same limits, rate limits and token re-checks ------------------------------

DEEP_SUBSCRIPTION = ("subscription($id: ID!) { executionUpdated(id: $id) { " + "project { organization { " * 11
                     + "id" + " } }" * 11 + " } }")


async def _legacy_ack(ws: WS, token: str) -> None:
    await ws.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    assert (await ws.receive())["type"] == "connection_ack"


async def _receive_no_ka(ws: WS, timeout: float = 10.0) -> dict:
    while (message := await ws.receive(timeout))["type"] == "ka":
        pass
    return message


async def test_both_websocket_protocols_refuse_what_http_refuses(served, admin_token):
    refused = [(ALIASES_200, "BAD_USER_INPUT"), (fragment_bomb(39), "LIMIT_EXCEEDED"),
               (DEEP_SUBSCRIPTION, "LIMIT_EXCEEDED")]
    async with WS.open(served, admin_token) as ws:
        for n, (query, code) in enumerate(refused):
            await ws.subscribe(str(n), query, {"id": "exe_1"})
            message = await ws.receive()
            assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == code, message
    async with WS.open(served, protocol="graphql-ws") as ws:
        await _legacy_ack(ws, admin_token)
        for n, (query, code) in enumerate(refused):
            await ws.send({"id": str(n), "type": "start", "payload": {"query": query, "variables": {"id": "exe_1"}}})
            message = await _receive_no_ka(ws)
            assert message["type"] == "error" and message["id"] == str(n), message
            assert message["payload"]["extensions"]["code"] == code, message


async def test_a_legacy_start_without_a_query_is_refused_and_the_connection_stays(served, admin_token, caplog):
    """strawberry read payload["query"] unchecked: the KeyError closed the connection and was logged as a fault."""
    async with WS.open(served, protocol="graphql-ws") as ws:
        await _legacy_ack(ws, admin_token)
        for n, payload in enumerate(({}, None, {"query": 5}, "query")):
            await ws.send({"id": str(n), "type": "start", "payload": payload})
            message = await _receive_no_ka(ws)
            assert message["type"] == "error" and message["id"] == str(n), message
            assert message["payload"]["extensions"]["code"] == "BAD_USER_INPUT", message
            assert '"query" string' in message["payload"]["message"]
        # the same connection still answers (the legacy protocol runs subscriptions only: a query is refused)
        await ws.send({"id": "q", "type": "start", "payload": {"query": "{ __typename }"}})
        message = await _receive_no_ka(ws)
        assert message["type"] == "error" and message["payload"]["message"] == "queries are not allowed", message
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_legacy_graphql_ws_is_rate_limited(settings, admin_token):
    app = create_app(settings.with_(rate_limit=3), migrate=False)
    async with app.router.lifespan_context(app), serving(app) as url, WS.open(url, protocol="graphql-ws") as ws:
        await _legacy_ack(ws, admin_token)
        watch = "subscription { datasetChanged(datasetId: \"ds_none\") { __typename } }"
        for n in range(3):
            await ws.send({"id": str(n), "type": "start", "payload": {"query": watch}})
        await ws.send({"id": "over", "type": "start", "payload": {"query": watch}})
        message = await _receive_no_ka(ws)
        while message.get("id") != "over":
            message = await _receive_no_ka(ws)
        assert message["type"] == "error" and message["payload"]["extensions"]["code"] == "RATE_LIMITED", message


async def test_legacy_graphql_ws_closes_when_the_token_is_revoked(settings, admin_token):
    app = create_app(settings.with_(ws_reauth_interval=0.2), migrate=False)
    async with (app.router.lifespan_context(app), serving(app) as url,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lg.test") as http):
        gql = GQL(http, admin_token)
        dataset = await Builder(gql).dataset(await Builder(gql).project())
        created = await gql("""mutation { tokenCreate(input: {name: "ws"}) { token apiToken { id } } }""")
        token, token_id = created["tokenCreate"]["token"], created["tokenCreate"]["apiToken"]["id"]
        async with WS.open(url, protocol="graphql-ws") as ws:
            await _legacy_ack(ws, token)
            await ws.send({"id": "1", "type": "start", "payload": {
                "query": "subscription($d: ID!) { datasetChanged(datasetId: $d) { __typename } }",
                "variables": {"d": dataset}}})
            await gql("mutation($id: ID!) { tokenRevoke(input: {id: $id}) { errors { message } } }", {"id": token_id})
            with pytest.raises(ConnectionClosed) as closed:
                while True:  # nothing comes before the close
                    await _receive_no_ka(ws, timeout=3)
            assert closed.value.rcvd.code == 4403


async def test_legacy_graphql_ws_must_sign_in_within_the_wait(settings, monkeypatch):
    assert GraphQLApp.connection_init_wait == timedelta(seconds=3)  # the product's wait
    # the test waits 0.5 s, not 3: closed after the wait it is given, well before the product's 3 s
    monkeypatch.setattr(GraphQLApp, "connection_init_wait", timedelta(seconds=0.5))
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app), serving(app) as url, WS.open(url, protocol="graphql-ws") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.receive(timeout=2.9)
        assert closed.value.rcvd.code == 4408
