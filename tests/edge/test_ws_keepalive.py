"""WebSocket keep-alive of `labelgraph serve`'s protocol (edge.EdgeWebSocketProtocol): one round per server pings
every open connection (no timer per connection); a peer that answers stays open, a peer that never answers a ping
is closed with 1011 "keepalive ping timeout" — what uvicorn's per-connection timers did."""

from __future__ import annotations

import asyncio
import contextlib
import struct
import time

import pytest
from support import serving
from websockets.asyncio.client import connect

pytestmark = pytest.mark.database_agnostic(
    "the WebSocket keep-alive of the server's protocol against an echo app, no database")

INTERVAL = TIMEOUT = 0.2
SLACK = 10.0  # a loaded 2-core machine runs timers late, never this late


async def echo(scope, receive, send) -> None:
    assert scope["type"] == "websocket"
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] != "websocket.disconnect":
        await send({"type": "websocket.send", "text": message.get("text")})


@contextlib.asynccontextmanager
async def serving_echo():
    async with serving(echo, ws_ping_interval=INTERVAL, ws_ping_timeout=TIMEOUT) as url:
        yield int(url.rsplit(":", 1)[1])


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", await reader.readexactly(8))
    return first & 0x0F, await reader.readexactly(length)


async def test_a_peer_that_never_answers_pings_is_closed_and_one_that_answers_stays() -> None:
    async with serving_echo() as port, connect(f"ws://127.0.0.1:{port}/") as live:  # live answers pings
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: labelgraph.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), SLACK)
        assert head.startswith(b"HTTP/1.1 101")
        started = time.monotonic()
        opcodes = []
        async with asyncio.timeout(SLACK):
            while True:  # a silent peer: reads, never answers
                opcode, payload = await read_frame(reader)
                opcodes.append(opcode)
                if opcode == 0x8:
                    break
        assert opcodes[0] == 0x9  # a ping first
        assert struct.unpack("!H", payload[:2])[0] == 1011 and b"keepalive ping timeout" in payload
        assert time.monotonic() - started >= TIMEOUT
        writer.close()
        # meanwhile the peer that answers was pinged as often and is still open
        await live.send("still here")
        assert await asyncio.wait_for(live.recv(), SLACK) == "still here"
