"""The floor under a fan-out's write loop: the CPU of writing one ~100-byte WebSocket frame to each of N loopback
TCP connections with uvloop's ``transport.write`` (what ``EdgeWebSocketProtocol.write_frame`` ends in), nothing else.

    .venv/bin/python bench/subscriptions_write_floor.py [--connections 1000] [--rounds 40]

A reader process holds the other ends (one selectors loop, reads everything). Reported: the writing thread's user
and system CPU per write (``getrusage(RUSAGE_THREAD)`` around each round of N writes), to compare with the write
loop's CPU per subscriber that ``subscriptions_memory.py --trace`` reports for the real server.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import selectors
import socket

FRAME = bytes((0x81, 100)) + b"x" * 100


def reader(port: int, n: int, total: int, ready) -> None:
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
    selector = selectors.DefaultSelector()
    for s in socks:
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
    ready.set()
    got = 0
    while got < total:
        for key, _ in selector.select(1.0):
            got += len(key.fileobj.recv(65536))


async def main(n: int, rounds: int) -> None:
    transports: list[asyncio.Transport] = []

    class Sink(asyncio.Protocol):
        def connection_made(self, transport) -> None:
            transports.append(transport)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=reader, args=(port, n, n * rounds * len(FRAME), ready))
    proc.start()
    while len(transports) < n or not ready.is_set():
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    user = system = 0.0
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_THREAD)
        for transport in transports:
            transport.write(FRAME)
        after = resource.getrusage(resource.RUSAGE_THREAD)
        user += after.ru_utime - before.ru_utime
        system += after.ru_stime - before.ru_stime
        await asyncio.sleep(0.1)  # a change every 100 ms, as in subscriptions_bench.py
    await loop.run_in_executor(None, proc.join)
    server.close()
    print(f"{n} connections, {rounds} rounds: user {user / rounds / n * 1e6:.2f} µs, system "
          f"{system / rounds / n * 1e6:.2f} µs per write (total {(user + system) / rounds / n * 1e6:.2f} µs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    import uvloop

    uvloop.install()
    asyncio.run(main(args.connections, args.rounds))
