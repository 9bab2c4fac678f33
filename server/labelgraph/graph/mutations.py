"""Plumbing for mutations: run a service call in one transaction and turn Problems into payload errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from labelgraph.context import Info
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems
from labelgraph.graph.errors import UserError, user_errors
from labelgraph.graph.extensions import log_refusal


async def run_write(
    info: Info, work: Callable[[UnitOfWork], Awaitable[Any]]
) -> tuple[Any, list[UserError]]:
    """(result, []) when the transaction committed; (None, errors) when the service refused: nothing written."""
    ctx = info.context
    try:
        async with ctx.db.transaction(ctx.access) as uow:
            result = await work(uow)
    except Problems as exc:
        log_refusal(ctx, [(p.code, f"{'.'.join(p.field)}: {p.message}" if p.field else p.message)
                          for p in exc.problems])
        return None, user_errors(exc.problems)
    ctx._loaders.clear()  # objects loaded earlier in this request may have changed
    return result, []
