"""The job queue: commands are rows claimed with leases by the server processes (jobs/runner.py), with the
engine queue's mechanics (engine/lease.py): atomic claims, a lease per attempt, heartbeats, version + 1 and one
outbox event per visible change. No GraphQL here; every function runs inside a db.UnitOfWork.

A command whose lease expired (its process was killed, or lost the database) is claimed again by any process,
up to ``max_attempts``; its handler then runs again from the start. Handlers make that safe by writing their
output in the transaction that marks the command SUCCESS (``complete`` checks the lease inside it), so an
attempt that lost its lease writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import as_utc, utcnow
from labelgraph.db import UnitOfWork
from labelgraph.engine.lease import claimable, holds_lease, lease_values, locked, update_versioned
from labelgraph.errors import Problems, not_found
from labelgraph.ids import new_id, type_of
from labelgraph.jobs.models import Command

COMMAND = Command.__table__
CREATED, IN_PROGRESS, SUCCESS, FAILED, ABORTED = "created", "in-progress", "success", "failed", "aborted"
TERMINAL = frozenset({SUCCESS, FAILED, ABORTED})
MAX_MESSAGE = 2000

# what a command event carries: its whole visible state at that version (commandUpdated sends it as is)
SNAPSHOT = ("id", "project_id", "type", "status", "progress", "message", "error", "result", "blob_key", "version",
            "attempts", "lease_owner", "created_at", "updated_at")
COLUMNS = (*SNAPSHOT, "input", "max_attempts", "abort_requested", "lease_expires_at", "created_by")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


SNAPSHOT_KEYS = tuple((c, _camel(c)) for c in SNAPSHOT)


def command_event(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    merged = {**(row._asdict() if hasattr(row, "_asdict") else dict(row)), **values}
    out: dict[str, Any] = {}
    for column, key in SNAPSHOT_KEYS:
        value = merged.get(column)
        out[key] = as_utc(value).isoformat() if isinstance(value, datetime) else value
    return out


async def _update(uow: UnitOfWork, changes: list[tuple[Any, dict[str, Any]]]) -> None:
    await update_versioned(uow, COMMAND, "command", changes, command_event)


async def create(uow: UnitOfWork, type_: str, project_id: str, input_: dict[str, Any], max_attempts: int = 3) -> str:
    """Queue a new CREATED command (one statement, one event). The caller has checked access."""
    now = utcnow()
    row = {"id": new_id("cmd"), "project_id": project_id, "type": type_, "status": CREATED, "progress": 0,
           "message": None, "error": None, "result": None, "blob_key": None, "input": input_, "version": 1,
           "attempts": 0, "max_attempts": max_attempts, "abort_requested": False, "lease_owner": None,
           "lease_expires_at": None, "created_by": uow.principal_id, "created_at": now, "updated_at": now}
    await uow.conn.execute(sa.insert(COMMAND), [row])
    uow.emit("command", "created", row["id"], project_id, command_event(row, {}))
    return row["id"]


async def load(uow: UnitOfWork, id_: str, permission: str | None = None, field: str = "id") -> Any:
    """The command row, locked for a change (PostgreSQL); NOT_FOUND outside the caller's projects."""
    if type_of(id_) != "Command":
        raise not_found(f"{field} {id_!r} is not the id of a Command", field)
    stmt = locked(sa.select(*[COMMAND.c[c] for c in COLUMNS]).where(COMMAND.c.id == id_), uow.conn.dialect.name)
    row = (await uow.conn.execute(stmt)).first()
    if row is None or not uow.access.can_read_project(row.project_id):
        raise not_found(f"no command with id {id_!r}", field)
    if permission:
        uow.access.require_project(row.project_id, permission, "command", id_, field)
    return row


def _ended(status: str, message: str | None, now: datetime, row: Any, **more: Any) -> dict[str, Any]:
    return {"status": status, "updated_at": now, "lease_owner": None, "lease_expires_at": None,
            "progress": 100 if status == SUCCESS else row.progress, "message": message, **more}


async def abort(uow: UnitOfWork, id_: str) -> str:
    """Ask a command to stop: a queued one ends ABORTED at once; a running one is flagged and its runner ends it
    ABORTED within a second. CONFLICT when it has ended already."""
    row = await load(uow, id_, "dataset.write")
    if row.status in TERMINAL:
        raise Problems.one("CONFLICT", f"command {id_} has ended already ({row.status.upper()}); nothing to abort",
                           ["id"])
    now = utcnow()
    if row.status == CREATED:
        await _update(uow, [(row, {**_ended(ABORTED, "aborted before it started", now, row),
                                   "abort_requested": True})])
    elif not row.abort_requested:
        # not a visible change (no version): the runner holding the lease sees it on its next check
        await uow.conn.execute(sa.update(COMMAND).where(COMMAND.c.id == id_).values(abort_requested=True))
    return id_


# --- the runner protocol -----------------------------------------------------------------------------------

class LeaseLost(Exception):
    """This process no longer holds the command's lease: it expired and another process took the command (or it
    was aborted). Nothing of this attempt may be written."""


async def claim(uow: UnitOfWork, owner: str, max_: int, lease_seconds: float, types: list[str]) -> list[Any]:
    """Lease up to ``max_`` commands of ``types`` to ``owner``: CREATED ones, and IN_PROGRESS ones whose lease
    expired (their process died). An expired one out of attempts ends FAILED, an expired one asked to abort
    ABORTED. Returns the claimed rows (as they were before the claim) with their new attempt number."""
    now = utcnow()
    dialect = uow.conn.dialect.name
    stmt = (sa.select(*[COMMAND.c[c] for c in COLUMNS])
            .where(COMMAND.c.type.in_(types), sa.or_(
                COMMAND.c.status == CREATED,
                sa.and_(COMMAND.c.status == IN_PROGRESS, COMMAND.c.lease_expires_at < now)))
            .order_by(COMMAND.c.created_at, COMMAND.c.id).limit(max_ * 4))
    rows = (await uow.conn.execute(claimable(stmt, dialect))).all()
    taken, ended = [], []
    for r in rows:
        if r.status == IN_PROGRESS and r.abort_requested:
            ended.append((r, _ended(ABORTED, "aborted", now, r)))
        elif r.status == IN_PROGRESS and r.attempts >= r.max_attempts:
            msg = f"lease of {r.lease_owner} expired after the last of {r.max_attempts} attempts"
            ended.append((r, _ended(FAILED, msg, now, r, error=msg)))
        elif len(taken) < max_:
            message = f"attempt {r.attempts + 1}" + (f" (lease of {r.lease_owner} expired)"
                                                     if r.status == IN_PROGRESS else "")
            taken.append((r, {"status": IN_PROGRESS, "attempts": r.attempts + 1, "message": message,
                              "updated_at": now, **lease_values(owner, lease_seconds, now)}))
    await _update(uow, ended)
    await _update(uow, taken)
    return [r for r, _ in taken]


async def _leased(uow: UnitOfWork, id_: str, owner: str) -> Any:
    row = await load(uow, id_)
    if not holds_lease(row, owner, IN_PROGRESS):
        raise LeaseLost(f"command {id_} is not leased by {owner} (it is {row.status}, lease of {row.lease_owner})")
    return row


async def heartbeat(uow: UnitOfWork, id_: str, owner: str, lease_seconds: float) -> bool:
    """Extend the lease (not a visible change: no version, no event). Returns whether an abort was asked for."""
    row = await _leased(uow, id_, owner)
    await uow.conn.execute(sa.update(COMMAND).where(COMMAND.c.id == id_).values(
        **lease_values(owner, lease_seconds, utcnow())))
    return bool(row.abort_requested)


async def abort_requested(conn, id_: str) -> bool:
    """A cheap read (no lock): has an abort been asked for, or is the command no longer running?"""
    row = (await conn.execute(sa.select(COMMAND.c.abort_requested, COMMAND.c.status)
                              .where(COMMAND.c.id == id_))).first()
    return row is None or bool(row.abort_requested) or row.status != IN_PROGRESS


async def progress(uow: UnitOfWork, id_: str, owner: str, percent: int, message: str | None,
                   lease_seconds: float) -> None:
    row = await _leased(uow, id_, owner)
    now = utcnow()
    await _update(uow, [(row, {"progress": max(0, min(100, percent)), "message": (message or None) and
                               message[:MAX_MESSAGE], "updated_at": now,
                               **lease_values(owner, lease_seconds, now)})])


async def complete(uow: UnitOfWork, id_: str, owner: str, result: dict | None, blob_key: str | None = None,
                   message: str | None = None) -> None:
    """SUCCESS, in the caller's transaction: call it in the transaction that writes the job's output, so the
    output is committed exactly once (raises LeaseLost, rolling everything back, when the lease is gone)."""
    row = await _leased(uow, id_, owner)
    await _update(uow, [(row, _ended(SUCCESS, message, utcnow(), row, result=result, blob_key=blob_key))])


async def fail(uow: UnitOfWork, id_: str, owner: str, error: str) -> None:
    row = await _leased(uow, id_, owner)
    error = (error or "failed")[:MAX_MESSAGE]
    await _update(uow, [(row, _ended(FAILED, error, utcnow(), row, error=error))])


async def end_aborted(uow: UnitOfWork, id_: str, owner: str) -> None:
    row = await _leased(uow, id_, owner)
    await _update(uow, [(row, _ended(ABORTED, "aborted on request", utcnow(), row))])


async def release(uow: UnitOfWork, id_: str, owner: str) -> None:
    """Give a leased command back to the queue without counting the attempt (a server shutting down)."""
    row = await _leased(uow, id_, owner)
    await _update(uow, [(row, {"status": CREATED, "attempts": max(0, row.attempts - 1), "lease_owner": None,
                               "lease_expires_at": None, "updated_at": utcnow(),
                               "message": f"released by {owner} (shutting down)"})])


async def pending(conn, types: list[str]) -> bool:
    """Is anything claimable? (a cheap read before taking the write lock)"""
    now = utcnow()
    found = await conn.scalar(sa.select(COMMAND.c.id).where(COMMAND.c.type.in_(types), sa.or_(
        COMMAND.c.status == CREATED,
        sa.and_(COMMAND.c.status == IN_PROGRESS, COMMAND.c.lease_expires_at < now))).limit(1))
    return found is not None


async def prune(uow: UnitOfWork, cutoff: datetime, batch: int = 1000) -> int:
    """Delete finished commands (SUCCESS, FAILED, ABORTED) last updated before ``cutoff`` (at most ``batch``; the
    scheduler calls it every prune round, see ``LABELGRAPH_COMMAND_RETENTION_DAYS``). An export's zip is kept
    by its command only (jobs/types.py ``_kept_by_a_command``): once the command is gone, the blob collection
    that runs after this in the same round deletes it when its grace period is over. Running commands are never
    touched, whatever their age."""
    old = (sa.select(COMMAND.c.id).where(COMMAND.c.status.in_(sorted(TERMINAL)), COMMAND.c.updated_at < cutoff)
           .order_by(COMMAND.c.updated_at).limit(batch))
    result = await uow.conn.execute(sa.delete(COMMAND).where(COMMAND.c.id.in_(old)))
    return result.rowcount or 0
