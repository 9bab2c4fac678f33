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
