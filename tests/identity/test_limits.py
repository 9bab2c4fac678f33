"""Limits before execution (depth, aliases, document size, node budget), extensions.cost, rate limiting,
and WebSocket authentication."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from support import GQL

from labelgraph.app import create_app


async def test_cost_is_the_node_budget(gql, build):
    project = await build.project()
    body = await gql.raw("""query($p: ID!) { project(id: $p) { datasets(first: 5) { nodes {
        items(first: 50) { nodes { annotations(first: 10) { nodes { id } } } } } } } }""", {"p": project})
    assert body["extensions"]["cost"] == 5 + 5 * 50 + 5 * 50 * 10
    body = await gql.raw("""query($p: ID!, $n: Int) { project(id: $p) { datasets { nodes {
        items(first: $n) { totalCount } } } } }""", {"p": project, "n": 20})
    assert body["extensions"]["cost"] == 50 + 50 * 20  # default page of 50 where no size is given


async def test_over_budget_queries_are_refused_with_the_figure(gql, build):
    project = await build.project()
    body = await gql.raw("""query($p: ID!) { project(id: $p) { datasets(first: 1000) { nodes {
        items(first: 1000) { nodes { id } } } } } }""", {"p": project})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["extensions"]["cost"] == 1000 + 1000 * 1000
    assert "1,001,000 nodes" in error["message"] and body["data"] is None


async def test_depth_aliases_and_size_limits(gql):
    cycle = "organizations { nodes { members { nodes { user { "  # five levels a cycle
    deep = "{ me { " + cycle * 4 + "id" + " } } } } }" * 4 + " } }"
    body = await gql.raw(deep)
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "deeper than 15" in body["errors"][0]["message"]
    aliased = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(51)) + " }"
    body = await gql.raw(aliased)
    assert body["errors"][0]["message"] == "the query uses at least 51 aliases; the limit is 50"
    body = await gql.raw("{ me { id } }" + " " * 100_001)
    assert body["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "documentBytes"}


async def test_rate_limit_answers_429_with_retry_after(settings, admin_token):
    import httpx

    app = create_app(settings.with_(rate_limit=5), migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http):
        gql = GQL(http, admin_token)
        for _ in range(5):
            await gql("{ me { id } }")
        body = await gql.raw("{ me { id } }")
        assert gql.last_response.status_code == 429
        assert int(gql.last_response.headers["Retry-After"]) >= 1
        assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_websocket_needs_a_valid_token(settings, admin_token):
    with TestClient(create_app(settings, migrate=False)) as client:
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {admin_token}"}})
            assert ws.receive_json() == {"type": "connection_ack"}
        for payload in ({}, {"authorization": "Bearer lg_wrong"}):
            with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
                ws.send_json({"type": "connection_init", "payload": payload})
                with pytest.raises(WebSocketDisconnect) as exc:
                    ws.receive_json()
                assert exc.value.code == 4403
