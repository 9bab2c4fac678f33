"""Trigger matching: committed outbox events → executions, exactly once per (event, trigger).

The matcher takes a batch of outbox events not yet matched (``matched_at IS NULL``; on PostgreSQL locked with
``FOR UPDATE SKIP LOCKED``, so several server processes split the work), creates one execution per matching
active trigger of an active service, records ``once`` firings, and marks the events matched — all in one
transaction. A crash before commit leaves the events unmatched (they are matched after the restart); a commit
makes them matched together with their executions; the unique index on execution (trigger_id, event_id) rules
out a second execution for the same pair whatever happens.

Trigger filters are the typed filter language written as JSON (see README, "Trigger filters"), parsed into the
one filter structure (graph/filterspec.py) and evaluated on the event's payload:
``{"dir": {"glob": "/train/**"}, "metadata": [{"path": "user.split", "eq": "train"}]}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from typing import Any

import orjson
import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data import filters as data_filters
from labelgraph.db import Database, OutboxEntry, UnitOfWork, any_id
from labelgraph.engine import queue
from labelgraph.errors import Refused
from labelgraph.events.models import TRIGGER_RESOURCES, OutboxEvent
from labelgraph.faas.models import Service, Trigger, TriggerFiring
from labelgraph.graph import dql
from labelgraph.graph import filterspec as fs
from labelgraph.tasks import stop_between

log = logging.getLogger("labelgraph.engine")
OUTBOX = OutboxEvent.__table__
TRIGGER = Trigger.__table__
SERVICE = Service.__table__
FIRING = TriggerFiring.__table__

BATCH = 200
_MARK_MATCHED_PG = (sa.update(OUTBOX).where(any_id(OUTBOX.c.id))
                    .values(matched_at=sa.bindparam("now", type_=OUTBOX.c.matched_at.type)))


# --- filters: parsed into the one filter structure (graph/filterspec.py) and evaluated in memory -------------

@functools.cache  # a few resources; the structures are not changed by their users
def _typed(resource: str) -> tuple[fs.Resource, fs.Typed] | None:
    typed = {"item": data_filters.ITEM_TYPED, "annotation": data_filters.ANNOTATION_TYPED,
             "dataset": data_filters.DATASET_TYPED}.get(resource)
    if typed is None:
        return None
    res = fs.resource(typed.resource)
    # the JSON form names every field the payload carries (datasetId, itemId…), not only the GraphQL input's
    kinds = {"string": "string", "datetime": "datetime", "bool": "scalar", "number": "scalar", "json": "metadata"}
    extra = {_snake(name): (kinds[f.kind], name) for name, f in res.fields.items()}
    return res, dataclasses.replace(typed, combinators=True, fields={**extra, **typed.fields})


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def parse_filter(f: Any, resource: str) -> fs.Node:
    """A trigger filter (the typed filter's JSON form, or a DQL document: graph/dql.py) as the filter
    structure; raises Refused naming the path
    inside the filter that is wrong."""
    if f is None or f == {}:
        return fs.TRUE
    if not isinstance(f, dict):
        raise fs.bad("filter", 'must be a JSON object like {"dir": {"glob": "/train/**"}}')
    kinds = _typed(resource)
    if kinds is None:
        raise fs.bad("filter", f"{resource} events take no filter")
    if dql.is_dql(f):
        node = dql.parse(f, kinds[0].name, "filter", allow_sort=False).filter
        if _joins(node):
            raise fs.bad("filter.join", "a trigger filter sees the event's resource only; it cannot join")
        return node
    return fs.check_limits(fs.from_typed(f, kinds[1]))


def _joins(node: fs.Node) -> bool:
    if isinstance(node, fs.Join):
        return True
    if isinstance(node, fs.And | fs.Or):
        return any(_joins(p) for p in node.parts)
    return isinstance(node, fs.Not) and _joins(node.part)


def check_filter(f: Any, resource: str | None = None) -> str | None:
    """None when ``f`` is a valid trigger filter for ``resource`` (None: for any resource), else what is wrong
    (for a UserError)."""
    problems = []
    for r in [resource] if resource else ["item", "annotation", "dataset"]:
        try:
            parse_filter(f, r)
            return None
        except Refused as exc:
            problems.append(str(exc))
    return problems[0]


_parsed = functools.lru_cache(maxsize=1024)(
    lambda text, resource: parse_filter(orjson.loads(text), resource))


def matcher(f: dict | None, resource: str = "item") -> Any:
    """A trigger filter as a test of event payloads (``matches``), parsed once for a batch of events."""
    if not f:
        return lambda _payload: True
    try:
        node = _parsed(orjson.dumps(f, option=orjson.OPT_SORT_KEYS).decode(), resource)
    except Refused:
        return lambda _payload: False
    kinds = _typed(resource)
    if kinds is None:
        return lambda _payload: False
    return functools.partial(fs.evaluate, node, kinds[0])


def matches(f: dict | None, payload: dict[str, Any], resource: str = "item") -> bool:
    """Does an event payload satisfy a trigger filter? (No filter: every event matches.) A filter that no
    longer parses (stored before a field was renamed) matches nothing."""
    return matcher(f, resource)(payload)


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
                      TRIGGER.c.input, SERVICE.c.package_id, SERVICE.c.max_attempts, SERVICE.c.package_revision,
                      SERVICE.c.module_name)
            .join(SERVICE, SERVICE.c.id == TRIGGER.c.service_id)
            .where(TRIGGER.c.type == "event", TRIGGER.c.active.is_(True), SERVICE.c.active.is_(True),
                   TRIGGER.c.project_id.in_({e.project_id for e in relevant}),
                   TRIGGER.c.resource.in_({e.resource for e in relevant})))).all()
        # each trigger's filter parsed once per batch; the triggers of each (project, resource) found once
        tests = {t.id: matcher(t.filter, t.resource) for t in triggers}
        by_key: dict[tuple[str, str], list[Any]] = {}
        for t in triggers:
            by_key.setdefault((t.project_id, t.resource), []).append(t)
        pairs = [(e, t) for e in relevant for t in by_key.get((e.project_id, e.resource), ())
                 if e.action in (t.actions or []) and tests[t.id](e.payload or {})]
        once = [(e, t) for e, t in pairs if t.execution_mode == "once"]
        fired: set[tuple[str, str]] = set()
        if once:
            fired = {(r.trigger_id, r.resource_id) for r in (await conn.execute(
                sa.select(FIRING.c.trigger_id, FIRING.c.resource_id).where(
                    FIRING.c.trigger_id.in_({t.id for _, t in once}),
                    FIRING.c.resource_id.in_({e.entity_id for e, _ in once})))).all()}
        new_firings = []
        # the functions' inputs: from the package revision each service pins, kept in this process (immutable)
        sigs = await queue.claimed_signatures(conn, [t for _, t in pairs])
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
    if dialect == "postgresql":  # the ids as one array parameter: one statement text, not BATCH bound values
        await conn.execute(_MARK_MATCHED_PG, {"ids": ids, "now": utcnow()})
    else:
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
