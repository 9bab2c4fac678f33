"""Request bodies over LABELGRAPH_MAX_BODY_BYTES are refused with 413 before they are read whole (issue 12,
point 6): over real HTTP, a declared Content-Length over the limit is answered before the body is sent, a
chunked body is cut off at the limit, requests without a token have a smaller limit (they may only introspect),
and the issue's concurrent anonymous 10 MB bodies leave the server's memory where it was."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import httpx
from support import serving

from labelgraph.app import create_app

MIB = 1024 * 1024
INTROSPECTION = b'{"query": "{ __typename }"}'


async def open_request(url: str, head: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A raw connection to the server at ``url`` with a POST /graphql head already sent."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(f"POST /graphql HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n{head}\r\n"
                 .encode())
    await writer.drain()
    return reader, writer


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one HTTP/1.1 response with Content-Length."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if line)}
    body = await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), 30)
    return status, headers, body


def assert_refusal(body: bytes, limit: int) -> str:
    """Checks the 413's GraphQL error; returns its message."""
    error = json.loads(body)["errors"][0]
    assert error["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": limit, "setting": "LABELGRAPH_MAX_BODY_BYTES"}
    assert f"{limit:,} bytes" in error["message"] and "LABELGRAPH_MAX_BODY_BYTES" in error["message"]
    return error["message"]


async def test_a_body_over_10_mib_is_refused_with_413(served, settings, admin_token):
    signed_in = {"content-type": "application/json", "authorization": f"Bearer {admin_token}"}
    async with httpx.AsyncClient(base_url=served, timeout=60) as http:
        response = await http.post("/graphql", content=b" " * (11 * MIB) + INTROSPECTION, headers=signed_in)
        assert response.status_code == 413
        assert_refusal(response.content, settings.max_body_bytes)
        assert settings.max_body_bytes == 10 * MIB
        # a body under the limit is answered as before
        response = await http.post("/graphql", content=b" " * (9 * MIB) + INTROSPECTION, headers=signed_in)
        assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


async def test_without_a_token_the_limit_is_what_introspection_needs(served, admin_token):
    body = b" " * 300_000 + INTROSPECTION
    async with httpx.AsyncClient(base_url=served, timeout=60) as http:
        response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413
        message = assert_refusal(response.content, 216_384)  # twice the document limit of 100,000 bytes, + 16 KiB
        assert "without a valid token" in message and "10,485,760" in message
        response = await http.post("/graphql", content=body, headers={"content-type": "application/json",
                                                                      "authorization": f"Bearer {admin_token}"})
        assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}
        # any Authorization header would do if it were not checked before the body is read
        for made_up in ("Bearer lg_made-up-token", "Basic YWRtaW46YWRtaW4="):
            response = await http.post("/graphql", content=body, headers={"content-type": "application/json",
                                                                          "authorization": made_up})
            assert response.status_code == 413, made_up
            assert "without a valid token" in assert_refusal(response.content, 216_384)


async def test_a_declared_length_over_the_limit_is_answered_before_the_body_is_sent(served, settings, admin_token):
    reader, writer = await open_request(served, f"Authorization: Bearer {admin_token}\r\n"
                                                f"Content-Length: {11 * MIB}\r\n")
    writer.write(b" " * 1000)  # a thousand bytes of eleven mebibytes: the answer comes without the rest
    status, _, body = await read_response(reader)
    assert status == 413
    assert_refusal(body, settings.max_body_bytes)
    writer.close()


async def test_a_chunked_body_is_cut_off_at_the_limit(settings, admin_token):
    limit = 64 * 1024
    app = create_app(settings.with_(max_body_bytes=limit), migrate=False)
    async with app.router.lifespan_context(app), serving(app) as url:
        reader, writer = await open_request(url, f"Authorization: Bearer {admin_token}\r\n"
                                                 "Transfer-Encoding: chunked\r\n")
        chunk = b" " * 8192
        for _ in range(limit // len(chunk) + 1):  # just over the limit, and the body never ends
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()
        status, _, body = await read_response(reader)
        assert status == 413
        assert_refusal(body, limit)
        writer.close()
        # a chunked body under the limit is read to its end and answered
        reader, writer = await open_request(url, "Transfer-Encoding: chunked\r\n")
        writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(INTROSPECTION), INTROSPECTION))
        status, _, body = await read_response(reader)
        assert status == 200 and json.loads(body)["data"] == {"__typename": "Query"}
        writer.close()


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


async def test_concurrent_anonymous_bodies_do_not_grow_the_servers_memory(labelgraph_server):
    """The issue's reproducer against `labelgraph serve`: 8 anonymous clients at once each send 10 MB. Before,
    each body was read whole (and parsed): RSS grew by 194 MB and stayed there."""
    body = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * 10_000_000}}).encode()

    async def send_whole_body() -> int:
        reader, writer = await open_request(labelgraph_server.url, f"Content-Length: {len(body)}\r\n")
        try:
            for start in range(0, len(body), MIB):  # the whole body, as an attacker would, whatever the server does
                writer.write(body[start:start + MIB])
                await writer.drain()
        except ConnectionError:
            pass  # the server answered and closed the connection
        status, _, _ = await read_response(reader)
        writer.close()
        return status

    before = rss_bytes(labelgraph_server.process.pid)
    assert await asyncio.gather(*(send_whole_body() for _ in range(8))) == [413] * 8
    grown = rss_bytes(labelgraph_server.process.pid) - before
    assert grown < 16 * MIB, f"RSS grew by {grown / MIB:.0f} MiB for 80 MB of refused bodies"


async def test_every_route_is_bounded_not_only_graphql(served, settings):
    """A route added later (or a POST where none is expected) cannot be used to send an unbounded body."""
    parts = urlsplit(served)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(f"POST /healthz HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer x\r\n"
                 f"Content-Length: {11 * MIB}\r\n\r\n".encode())
    status, _, body = await read_response(reader)
    assert status == 413
    assert_refusal(body, settings.max_body_bytes)
    writer.close()
