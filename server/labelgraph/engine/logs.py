"""Execution logs: the lines a function printed (stdout, stderr) and logged (``logging``), shipped by its worker in
batches (engine/runner.py, through the worker port) and kept in ``execution_log`` up to
``LABELGRAPH_MAX_LOG_BYTES`` per execution: beyond it lines are dropped and one marker line says how many bytes
were. The scheduler prunes lines older than ``LABELGRAPH_LOG_RETENTION_DAYS``.

Every kept line gets ``seq``, its place in the execution's log (1, 2, …; ``execution.log_lines`` is the last one
given, written under the execution row's lock), and every batch that kept lines emits one small ``executionLog``
event (``{"executionId", "seq"}``: the last line's) on ``logs:<execution id>``; ``executionLogs`` reads the lines
after the last one it sent when such a notice arrives (faas/subscriptions.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import as_utc, utcnow
from labelgraph.db import UnitOfWork
from labelgraph.engine.queue import EXECUTION, _leased
from labelgraph.errors import Problems
from labelgraph.events.outbox import LOG_RESOURCE
from labelgraph.faas.models import ExecutionLog
from labelgraph.ids import derived_id, new_id

LONG_MAX = 2**63 - 1  # execution.log_dropped is BIGINT (0014_long), droppedBytes a GraphQL Long

LOG = ExecutionLog.__table__
STREAMS = ("stdout", "stderr", "log")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_LINE = 16 * 1024  # characters of one line kept (a longer one is cut, and says so)
MAX_BATCH = 5000  # lines in one call


def check_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines as rows to write (without ids): a clear error naming the line and field otherwise."""
    if len(lines) > MAX_BATCH:
        raise Problems.one("INVALID", f"lines: at most {MAX_BATCH} lines per call, got {len(lines)}", ["lines"])
    out = []
    for i, line in enumerate(lines):
        stream, level, text, at = line.get("stream"), line.get("level"), line.get("text"), line.get("time")
        if stream not in STREAMS:
            raise Problems.one("INVALID", f"lines[{i}].stream must be one of {', '.join(STREAMS)}, got {stream!r}",
                               ["lines", i, "stream"])
        if level is not None and level not in LEVELS:
            raise Problems.one("INVALID", f"lines[{i}].level must be one of {', '.join(LEVELS)}, got {level!r}",
                               ["lines", i, "level"])
        if not isinstance(text, str):
            raise Problems.one("INVALID", f"lines[{i}].text must be a string", ["lines", i, "text"])
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                raise Problems.one("INVALID", f"lines[{i}].time must be an ISO 8601 time, got {at!r}",
                                   ["lines", i, "time"]) from None
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE] + f" … [{len(text) - MAX_LINE} more characters cut]"
        out.append({"stream": stream, "level": level, "text": text, "at": as_utc(at) if at else utcnow()})
    return out


async def append(uow: UnitOfWork, id_: str, worker_id: str, lines: list[dict[str, Any]], max_bytes: int,
                 dropped_before: int = 0) -> int:
    """Keep ``lines`` of the execution ``worker_id`` holds (its lease is checked), up to ``max_bytes`` per
    execution; the rest, and the ``dropped_before`` bytes the worker did not ship, only count in the marker
    line. Returns how many lines were kept."""
    if not isinstance(dropped_before, int) or dropped_before < 0:
        raise Problems.one("INVALID", f"droppedBytes must be 0 or more, got {dropped_before!r}", ["droppedBytes"])
    rows = check_lines(lines)
    row = await _leased(uow, id_, worker_id)
    used, dropped, seq = await _usage(uow, id_)
    kept, lost = [], 0
    for r in rows:  # the worker sends what it kept before what it dropped: these lines come first
        size = len(r["text"].encode())
        if dropped == 0 and lost == 0 and used + size <= max_bytes:
            used += size
            seq += 1
            kept.append({"id": new_id("log"), "execution_id": id_, "service_id": row.service_id,
                         "project_id": row.project_id, "attempt": row.attempts, "seq": seq, **r})
        else:
            lost += size
    lost = min(lost + dropped_before, LONG_MAX - dropped)  # a 64-bit count (droppedBytes is a Long): it saturates
    if kept:
        await uow.conn.execute(sa.insert(LOG), kept)
    if lost:
        marker = derived_id("log", f"{id_}:dropped")
        text = (f"[log limit reached: {dropped + lost} bytes of output dropped (LABELGRAPH_MAX_LOG_BYTES = "
                f"{max_bytes} per execution)]")
        if dropped:
            await uow.conn.execute(sa.update(LOG).where(LOG.c.id == marker).values(text=text))
        else:  # followers see the marker as first written; Execution.logs has the final count
            at = rows[-1]["at"] if rows else utcnow()
            seq += 1
            await uow.conn.execute(sa.insert(LOG).values(
                id=marker, execution_id=id_, service_id=row.service_id, project_id=row.project_id,
                attempt=row.attempts, at=at, stream="stderr", level="WARNING", text=text, seq=seq))
    await uow.conn.execute(sa.update(EXECUTION).where(EXECUTION.c.id == id_).values(
        log_bytes=used, log_dropped=dropped + lost, log_lines=seq))
    if kept or (lost and not dropped):
        uow.emit(LOG_RESOURCE, "appended", id_, row.project_id, {"executionId": id_, "seq": seq})
    return len(kept)


async def _usage(uow: UnitOfWork, id_: str) -> tuple[int, int, int]:
    """Bytes kept, bytes dropped, lines kept (read after ``_leased`` locked the row on PostgreSQL)."""
    found = (await uow.conn.execute(sa.select(EXECUTION.c.log_bytes, EXECUTION.c.log_dropped, EXECUTION.c.log_lines)
                                    .where(EXECUTION.c.id == id_))).first()
    return (found.log_bytes, found.log_dropped, found.log_lines) if found else (0, 0, 0)


async def prune(uow: UnitOfWork, before: datetime) -> int:
    """Delete the lines logged before ``before`` (the retention); returns how many."""
    result = await uow.conn.execute(sa.delete(LOG).where(LOG.c.at < before))
    return result.rowcount or 0
