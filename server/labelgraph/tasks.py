"""Stopping background tasks for good.

Python 3.11's ``asyncio.wait_for`` (used inside asyncpg, SQLAlchemy's pool and redis-py) can swallow a
cancellation that arrives just as the awaited operation completes; a loop task whose cancellation was swallowed
goes on looping, and a single ``task.cancel(); await task`` then waits forever (seen as a shutdown hang on
PostgreSQL). ``cancel_and_wait`` repeats the cancellation until the task has really ended.
"""

from __future__ import annotations

import asyncio
import contextlib


async def cancel_and_wait(task: asyncio.Task | None) -> None:
    """Cancel ``task`` until it is done; its result, cancellation or exception is discarded."""
    if task is None:
        return
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.1)
    with contextlib.suppress(asyncio.CancelledError, Exception):
        task.result()


async def stop_between(task: asyncio.Task | None, busy: asyncio.Lock, wait: float = 10.0) -> None:
    """Stop a loop ``task`` between two units of its work (it holds ``busy`` during each). Cancelled inside a
    database transaction, a connection is not closed cleanly: on SQLite it kept the write lock, and the shutdown's
    last writes waited out the busy timeout (15 s teardowns). A unit that cannot finish within ``wait`` seconds
    (the database is stuck) is cancelled all the same."""
    try:
        async with asyncio.timeout(wait):
            await busy.acquire()
    except TimeoutError:
        await cancel_and_wait(task)
        return
    try:
        await cancel_and_wait(task)
    finally:
        busy.release()
