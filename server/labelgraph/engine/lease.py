"""Queue mechanics shared by the execution queue (engine/queue.py) and the dataset jobs (jobs/queue.py): rows
claimed with leases, versioned updates with one outbox event per changed row, and the lease checks.

* ``claimable`` makes a candidate select atomic: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (concurrent claimers
  skip each other's rows); on SQLite every write transaction begins with ``BEGIN IMMEDIATE`` (one writer at a
  time, across processes), so the select-then-update cannot interleave either way.
* ``locked`` reads one row for a change of it: on PostgreSQL concurrent changes of one row queue on its lock, or
  two of them would both write "version + 1" events from the same read.
* ``update_versioned`` applies per-row value dicts with ``version + 1`` in one executemany and emits one event
  per row carrying the row's whole visible state at its new version (so subscribers need no read).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from labelgraph.db import UnitOfWork


def claimable(stmt: sa.Select, dialect: str, **of: Any) -> sa.Select:
    """A candidate select whose rows one claimer only may take (see the module doc)."""
    return stmt.with_for_update(skip_locked=True, **of) if dialect == "postgresql" else stmt


def locked(stmt: sa.Select, dialect: str) -> sa.Select:
    """A select of rows about to be changed from what it reads (see the module doc)."""
    return stmt.with_for_update() if dialect == "postgresql" else stmt


def lease_values(owner: str, seconds: float, now: datetime) -> dict[str, Any]:
    return {"lease_owner": owner, "lease_expires_at": now + timedelta(seconds=seconds)}


def holds_lease(row: Any, owner: str, in_progress: str) -> bool:
    return row.status == in_progress and row.lease_owner == owner


async def update_versioned(uow: UnitOfWork, table: sa.Table, resource: str,
                           changes: list[tuple[Any, dict[str, Any]]],
                           event_of: Callable[[Any, dict[str, Any]], dict[str, Any]]) -> None:
    """Apply per-row value dicts (the same keys for every row) with ``version + 1``, in one executemany; one
    ``resource`` "updated" event per row, its payload ``event_of(row, values with the new version)``."""
    if not changes:
        return
    keys = tuple(sorted(changes[0][1]))
    params = [{"_id": row.id, **{f"_{k}": v[k] for k in keys}} for row, v in changes]
    await uow.conn.execute(_versioned_update(table, keys), params)
    for row, v in changes:
        uow.emit(resource, "updated", row.id, row.project_id, event_of(row, {**v, "version": row.version + 1}))


_UPDATES: dict[tuple[str, tuple[str, ...]], sa.Update] = {}


def _versioned_update(table: sa.Table, keys: tuple[str, ...]) -> sa.Update:
    """The UPDATE of ``update_versioned`` for one set of changed columns, built once per process: a statement
    object used again skips its construction and its cache key (SQLAlchemy memoizes that on the object)."""
    stmt = _UPDATES.get((table.name, keys))
    if stmt is None:
        stmt = (sa.update(table).where(table.c.id == sa.bindparam("_id"))
                .values(version=table.c.version + 1, **{k: sa.bindparam(f"_{k}") for k in keys}))
        if len(_UPDATES) < 1000:  # a few dozen shapes exist: never unbounded
            _UPDATES[(table.name, keys)] = stmt
    return stmt
