"""Trigger matching: committed outbox events → executions, exactly once per (event, trigger).

The matcher takes a batch of outbox events not yet matched (``matched_at IS NULL``; on PostgreSQL locked with
``FOR UPDATE SKIP LOCKED``, so several server processes split the work), creates one execution per matching
active trigger of an active service, records ``once`` firings, and marks the events matched — all in one
transaction. A crash before commit leaves the events unmatched (they are matched after the restart); a commit
makes them matched together with their executions; the unique index on execution (trigger_id, event_id) rules
out a second execution for the same pair whatever happens.

Trigger filters are the item filter language written as JSON (see README, "Trigger filters"), evaluated on the
event's payload: ``{"dir": {"glob": "/train/**"}, "metadata": [{"path": "user.split", "eq": "train"}]}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import Database, OutboxEntry, UnitOfWork
from labelgraph.engine import queue
from labelgraph.events.models import TRIGGER_RESOURCES, OutboxEvent
from labelgraph.faas.models import Service, Trigger, TriggerFiring
from labelgraph.graph.filters import glob_to_regex
from labelgraph.tasks import stop_between

log = logging.getLogger("labelgraph.engine")
OUTBOX = OutboxEvent.__table__
TRIGGER = Trigger.__table__
SERVICE = Service.__table__
FIRING = TriggerFiring.__table__

STRING_OPS = {"eq", "ne", "in", "nin", "glob", "exists", "gt", "gte", "lt", "lte"}
BATCH = 200


# --- filters -----------------------------------------------------------------------------------------------

def check_filter(f: Any, path: str = "filter") -> str | None:
    """None when ``f`` is a valid trigger filter, else what is wrong (for a UserError)."""
    if f is None:
        return None
    if not isinstance(f, dict):
        return f"{path} must be a JSON object like {{\"dir\": {{\"glob\": \"/train/**\"}}}}"
    for key, value in f.items():
        where = f"{path}.{key}"
        if key in ("and", "or"):
            if not isinstance(value, list):
                return f"{where} must be a list of filters"
            for i, sub in enumerate(value):
                problem = check_filter(sub, f"{where}[{i}]")
                if problem:
                    return problem
        elif key == "not":
            problem = check_filter(value, where)
            if problem:
                return problem
        elif key == "metadata":
            if not isinstance(value, list):
                return f"{where} must be a list of {{path, eq|ne|in|nin|gt|gte|lt|lte|exists}}"
            for i, cond in enumerate(value):
                if not isinstance(cond, dict) or not isinstance(cond.get("path"), str):
                    return f"{where}[{i}] needs a path, e.g. \"user.split\""
                unknown = set(cond) - STRING_OPS - {"path"} - {"glob"}
                if unknown:
                    return f"{where}[{i}]: unknown operators {sorted(unknown)}; allowed: {sorted(STRING_OPS)}"
        elif isinstance(value, dict):
            unknown = set(value) - STRING_OPS
            if unknown:
                return f"{where}: unknown operators {sorted(unknown)}; allowed: {sorted(STRING_OPS)}"
            if "glob" in value and not isinstance(value["glob"], str):
                return f"{where}.glob must be a string"
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _compare(a: Any, b: Any, op: str) -> bool:
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
    if not numbers and not (isinstance(a, str) and isinstance(b, str)):
        return False
    return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]


def _condition(value: Any, present: bool, cond: dict[str, Any]) -> bool:
    for op, want in cond.items():
        if op == "path":
            continue
        if op == "exists":
            if bool(want) != (present and value is not None):
                return False
        elif op == "eq":
            if not (present and _same(value, want)):
                return False
        elif op == "ne":
            if present and _same(value, want):
                return False
        elif op == "in":
            if not (present and any(_same(value, w) for w in want or [])):
                return False
        elif op == "nin":
            if present and any(_same(value, w) for w in want or []):
                return False
        elif op == "glob":
            if not (isinstance(value, str) and re.match(glob_to_regex(want), value)):
                return False
        elif op in ("gt", "gte", "lt", "lte") and not (present and _compare(value, want, op)):
            return False
    return True


def _path(data: Any, path: str) -> tuple[Any, bool]:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None, False
        data = data[part]
    return data, True


def matches(f: dict | None, payload: dict[str, Any]) -> bool:
    """Does an event payload satisfy a trigger filter? (No filter: every event matches.)"""
    if not f:
        return True
    for key, value in f.items():
        if key == "and":
            if not all(matches(sub, payload) for sub in value):
                return False
        elif key == "or":
            if not any(matches(sub, payload) for sub in value):
                return False
        elif key == "not":
            if matches(value, payload):
                return False
        elif key == "metadata":
            for cond in value:
                found, present = _path(payload.get("metadata") or {}, cond["path"])
                if not _condition(found, present, cond):
                    return False
        else:
            found, present = _path(payload, key)
            cond = value if isinstance(value, dict) else {"eq": value}
            if not _condition(found, present, cond):
                return False
    return True


# --- events → executions -----------------------------------------------------------------------------------

def reference(resource: str, entity_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The execution input value for the resource that fired (domain.md §5.5)."""
    if resource == "item":
        return {"item_id": entity_id, "dataset_id": payload.get("datasetId")}
    if resource == "annotation":
        return {"annotation_id": entity_id, "item_id": payload.get("itemId"), "dataset_id": payload.get("datasetId")}
    if resource == "dataset":
        return {"dataset_id": entity_id}
    return {"id": entity_id, **payload}


RESOURCE_TYPES = {"item": "Item", "dataset": "Dataset", "annotation": "Annotation"}


def input_name(resource: str, inputs: list[dict]) -> str:
    """The function input that receives the firing resource: the first input of that type, else its name."""
    wanted = RESOURCE_TYPES.get(resource)
    for spec in inputs:
        if wanted and spec.get("type") == wanted:
            return spec["name"]
    return resource


async def match_batch(uow: UnitOfWork) -> int:
    """Match one batch of unmatched outbox events; returns how many events it handled (0: none left)."""
    conn = uow.conn
    dialect = conn.dialect.name
    stmt = (sa.select(OUTBOX.c.id, OUTBOX.c.project_id, OUTBOX.c.resource, OUTBOX.c.action, OUTBOX.c.entity_id,
                      OUTBOX.c.payload)
            .where(OUTBOX.c.matched_at.is_(None)).order_by(OUTBOX.c.id).limit(BATCH))
    if dialect == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    events = (await conn.execute(stmt)).all()
    if not events:
        return 0
    relevant = [e for e in events if e.resource in TRIGGER_RESOURCES and e.project_id]
    rows: list[dict[str, Any]] = []
    if relevant:
        triggers = (await conn.execute(
            sa.select(TRIGGER.c.id, TRIGGER.c.project_id, TRIGGER.c.service_id, TRIGGER.c.function_name,
                      TRIGGER.c.resource, TRIGGER.c.actions, TRIGGER.c.filter, TRIGGER.c.execution_mode,
                      TRIGGER.c.input, SERVICE.c.package_id, SERVICE.c.max_attempts)
            .join(SERVICE, SERVICE.c.id == TRIGGER.c.service_id)
            .where(TRIGGER.c.type == "event", TRIGGER.c.active.is_(True), SERVICE.c.active.is_(True),
                   TRIGGER.c.project_id.in_({e.project_id for e in relevant}),
                   TRIGGER.c.resource.in_({e.resource for e in relevant})))).all()
        pairs = [(e, t) for e in relevant for t in triggers
                 if t.project_id == e.project_id and t.resource == e.resource and e.action in (t.actions or [])
                 and matches(t.filter, e.payload or {})]
        once = [(e, t) for e, t in pairs if t.execution_mode == "once"]
        fired: set[tuple[str, str]] = set()
        if once:
            fired = {(r.trigger_id, r.resource_id) for r in (await conn.execute(
                sa.select(FIRING.c.trigger_id, FIRING.c.resource_id).where(
                    FIRING.c.trigger_id.in_({t.id for _, t in once}),
                    FIRING.c.resource_id.in_({e.entity_id for e, _ in once})))).all()}
        new_firings = []
        sigs = await queue.function_signatures(conn, list({t.service_id for _, t in pairs}))
        for e, t in pairs:
            if t.execution_mode == "once":
                key = (t.id, e.entity_id)
                if key in fired:
                    continue
                fired.add(key)
                new_firings.append({"trigger_id": t.id, "resource_id": e.entity_id, "project_id": e.project_id,
                                    "created_at": utcnow()})
            name = input_name(e.resource, sigs.get((t.service_id, t.function_name), []))
            rows.append({
                "project_id": e.project_id, "service_id": t.service_id, "package_id": t.package_id,
                "trigger_id": t.id, "event_id": e.id, "function_name": t.function_name,
                "input": {**(t.input or {}), name: reference(e.resource, e.entity_id, e.payload or {})},
                "max_attempts": t.max_attempts, "created_by": None,
            })
        if new_firings:
            await conn.execute(sa.insert(FIRING), new_firings)
        await queue.insert_executions(uow, rows)
    ids = [e.id for e in events]
    await conn.execute(sa.update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(matched_at=utcnow()))
    return len(events)


class TriggerMatcher:
    """Runs match_batch after every commit that wrote trigger-relevant events, and every ``poll`` seconds
    (events committed by other processes, and whatever was left unmatched before a restart)."""

    def __init__(self, db: Database, poll: float = 1.0) -> None:
        self.db = db
        self.poll = poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._batch = asyncio.Lock()  # held while a batch is matched: stop() waits for it, never cancels inside

    def notify(self, events: list[OutboxEntry]) -> None:
        if any(e.resource in TRIGGER_RESOURCES for e in events):
            self._wake.set()

    async def drain(self) -> int:
        total = 0
        while True:
            async with self._batch, self.db.transaction() as uow:
                n = await match_batch(uow)
            total += n
            if n < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # pragma: no cover - logged; the events stay unmatched and are retried
                log.exception("trigger matching failed")
                await asyncio.sleep(self.poll)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="trigger-matcher")

    async def stop(self, wait: float = 10.0) -> None:
        """Stop between two batches (tasks.stop_between)."""
        await stop_between(self._task, self._batch, wait)
