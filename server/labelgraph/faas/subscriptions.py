"""Live execution status: ``executionUpdated(id)`` and ``executionsUpdated(filter)``.

How a stream keeps its promise (every committed version once, in order, no gap):

1. Subscribe to the broker *before* reading the current state, so no change committed after that read can be
   missed; changes at or below the state's version are dropped as already seen.
2. Every execution event carries the execution's whole visible state at its version (engine/queue.py
   ``execution_event``), so each version is sent as it was, without reading the database.
3. The broker delivers at least once and, across transactions or replicas, not always in commit order: a
   ``Sequencer`` (events/sequence.py) drops duplicates and holds early versions until the missing ones arrive.
   A gap still open after half a second is filled from the outbox, which keeps every event's payload.
4. ``input`` and ``statusLog`` are not in events; when a subscription selects them they are read with each
   message (``input`` never changes; ``statusLog`` is the log as of sending, which can be ahead of the version).

A subscriber that falls more than 1,000 messages behind is cut off with LIMIT_EXCEEDED: resubscribe, which
starts again from the current state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from labelgraph.columns import utcnow
from labelgraph.context import Context, Info
from labelgraph.engine.queue import TERMINAL
from labelgraph.errors import Refused, invalid
from labelgraph.events.broker import BrokerOverflow, Subscription
from labelgraph.events.models import OutboxEvent
from labelgraph.events.outbox import LOG_RESOURCE, entity_topic, log_topic, topic_of
from labelgraph.events.sequence import Sequencer
from labelgraph.faas import models as m
from labelgraph.faas.filters import ExecutionFilter
from labelgraph.faas.types import Execution, ExecutionLogLine, execution_of_event, status_log_of
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import type_of

log = logging.getLogger("labelgraph.subscriptions")
EXECUTION = m.Execution.__table__
CLOCK_MARGIN = timedelta(seconds=2)
OUTBOX = OutboxEvent.__table__
BEHIND = ("this subscription fell more than 1,000 changes behind and was stopped: resubscribe (the stream starts "
          "again from the current state)")


def _not_found(message: str, field: str) -> Exception:
    # subscription errors are not shaped by the schema extension: shape them here
    return to_graphql_error(Refused("NOT_FOUND", message, field=field))


def _selected(info: Info) -> set[str]:
    """The field names selected on the subscription's Execution (through fragments too)."""
    names: set[str] = set()

    def walk(selections: list) -> None:
        for s in selections:
            if isinstance(s, SelectedField):
                names.add(s.name)
            elif isinstance(s, FragmentSpread | InlineFragment):
                walk(s.selections)

    for field in info.selected_fields:
        walk(field.selections)
    return names


async def _read(ctx: Context, ids: list[str]) -> dict[str, Execution]:
    """The executions as committed now (not from the connection's loader cache), as far as the caller may see."""
    emap = ENTITIES["Execution"]
    stmt = sa.select(*emap.select_columns()).where(
        in_ids(EXECUTION.c.id, ids, ctx.db.dialect), *ctx.access.scope("Execution", EXECUTION, "project_id"))
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    return {e.id: e for e in (emap.build(r) for r in rows)}


async def _complete(ctx: Context, states: list[Execution], wanted: set[str]) -> None:
    """Read ``input`` / ``statusLog`` for states built from events, when the subscription selects them."""
    want_input, want_log = "input" in wanted, "statusLog" in wanted
    if not (want_input or want_log) or not states:
        return
    async with ctx.db.read() as conn:
        rows = (await conn.execute(sa.select(EXECUTION.c.id, EXECUTION.c.input, EXECUTION.c.status_log).where(
            in_ids(EXECUTION.c.id, list({s.id for s in states}), ctx.db.dialect)))).all()
    found = {r.id: r for r in rows}
    for s in states:
        r = found.get(s.id)
        if r is not None:
            s.input = r.input
            s.status_log = status_log_of(r.status_log) if want_log else []


async def _history(ctx: Context, entity_id: str, after: int, resource: str = "execution") -> list[tuple[int, dict]]:
    """Versions of an execution (or another versioned ``resource``: a command) after ``after``, from the
    outbox."""
    async with ctx.db.read() as conn:
        rows = (await conn.execute(sa.select(OUTBOX.c.payload).where(
            OUTBOX.c.entity_id == entity_id, OUTBOX.c.resource == resource))).all()
    return [(r.payload["version"], r.payload) for r in rows if r.payload.get("version", 0) > after]


async def in_order(ctx: Context, events: Subscription, seq: Sequencer, accept: Callable[[dict], bool],
                   since: datetime | None = None, resource: str = "execution") -> AsyncIterator[dict]:
    """Execution payloads from ``events`` (those ``accept`` lets through), each version once and in order; any
    other versioned ``resource`` whose events carry its whole state and ``version`` (a command: jobs/) as well.
    ``since``: executions created after this instant are owed from version 1 on, even when a later version
    arrives first (a replica that committed version 1 died before publishing it: it comes from the outbox)."""
    while True:
        wait = seq.next_deadline()
        try:
            message = await (events.__anext__() if wait is None else asyncio.wait_for(events.__anext__(), wait))
        except TimeoutError:
            for key in seq.stalled():
                last = seq.last_version(key) or 0
                for payload in seq.fill(key, await _history(ctx, key, last, resource)):
                    yield payload
                if key in seq.gap_since:  # the missing versions are gone from the outbox too
                    log.warning("%s %s: versions after %s are missing from the outbox; continuing at the "
                                "next one held", resource, key, seq.last_version(key))
                    for payload in seq.skip(key):
                        yield payload
            continue
        except BrokerOverflow:
            raise to_graphql_error(Refused("LIMIT_EXCEEDED", BEHIND)) from None
        if message["resource"] != resource or not accept(message["payload"]):
            continue
        payload = message["payload"]
        known_from = None
        if since is not None and payload["version"] > 1 and payload.get("createdAt") \
                and datetime.fromisoformat(payload["createdAt"]) >= since:
            known_from = 0
        for released in seq.offer(message["entityId"], payload["version"], payload, known_from):
            yield released


LOG = m.ExecutionLog.__table__
LOG_PAGE = 500  # lines read at a time while following a log


async def _lines_after(ctx: Context, id_: str, after: int) -> list[ExecutionLogLine]:
    """The next lines of execution ``id_``'s log after ``seq`` ``after`` (at most ``LOG_PAGE``), in order. The
    caller checked that it may read the execution; lines are in its project."""
    lmap = ENTITIES["ExecutionLogLine"]
    stmt = (sa.select(*lmap.select_columns()).where(LOG.c.execution_id == id_, LOG.c.seq > after)
            .order_by(LOG.c.seq).limit(LOG_PAGE))
    async with ctx.db.read() as conn:
        rows = (await conn.execute(stmt)).all()
    return lmap.build_all(rows)


def _project_of(row: Any, ctx: Context, field: str, what: str, id_: str) -> str:
    if row is None or not ctx.access.can_read_project(row.project_id):
        raise _not_found(f"no {what} with id {id_!r}", f"filter.{field}")
    return row.project_id


async def _topics(ctx: Context, f: ExecutionFilter) -> list[str]:
    """The broker topics carrying the executions ``f`` selects that the caller may see."""
    if f.project_id is not None:
        if type_of(f.project_id) != "Project" or not ctx.access.can_read_project(f.project_id):
            raise _not_found(f"no project with id {f.project_id!r}", "filter.projectId")
        return [topic_of("execution", f.project_id)]
    for field, value, what, table in (("serviceId", f.service_id, "Service", m.Service.__table__),
                                      ("triggerId", f.trigger_id, "Trigger", m.Trigger.__table__)):
        if value is None:
            continue
        row = None
        if type_of(value) == what:
            async with ctx.db.read() as conn:
                row = (await conn.execute(sa.select(table.c.project_id).where(table.c.id == value))).first()
        return [topic_of("execution", _project_of(row, ctx, field, what.lower(), value))]
    if ctx.access.is_admin:
        return ["events"]
    return [topic_of("execution", p) for p in ctx.access.project_ids()]


def _matcher(f: ExecutionFilter, ctx: Context) -> Callable[[dict], bool]:
    """Which executions the stream follows: by project, service and trigger (fixed for an execution, so every
    version of a followed execution passes; statuses are applied after sequencing), among the projects the
    caller can read now (ws.py refreshes ``ctx.access`` while the connection lives)."""
    checks = [(key, value) for key, value in (("projectId", f.project_id), ("serviceId", f.service_id),
                                                ("triggerId", f.trigger_id)) if value is not None]

    def accept(p: dict) -> bool:
        return ctx.access.can_read_project(p.get("projectId")) and all(p.get(k) == v for k, v in checks)

    return accept


@strawberry.type
class FaasSubscription:
    @strawberry.subscription(description="One execution: its current state first, then every committed change in "
                             "version order (no gaps, no duplicates); completes after a terminal status.")
    async def execution_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Execution, None]:
        ctx = info.context
        if type_of(id) != "Execution":
            raise _not_found(f"id {id!r} is not the id of an Execution", "id")
        wanted = _selected(info)
        async with ctx.broker.subscribe(entity_topic(id)) as events:
            current = (await _read(ctx, [id])).get(id)
            if current is None:
                raise _not_found(f"no execution with id {id!r}", "id")
            yield current
            if current.status.value in TERMINAL:
                return
            seq = Sequencer(max_entities=1)
            seq.start(id, current.version)
            async for payload in in_order(ctx, events, seq, lambda p: True):
                if not ctx.access.can_read_project(payload["projectId"]):  # the caller left the project
                    raise _not_found(f"no execution with id {id!r}", "id")
                state = execution_of_event(payload)
                await _complete(ctx, [state], wanted)
                yield state
                if payload["status"] in TERMINAL:
                    return

    @strawberry.subscription(description="The lines an execution's function printed and logged: those kept so far "
                             "first, then new ones as their batches commit, in `seq` order, each once; completes "
                             "when the execution has ended and its last lines were sent. At most "
                             "LABELGRAPH_MAX_LOG_BYTES per execution are kept (then one marker line)")
    async def execution_logs(self, info: Info, id: strawberry.ID) -> AsyncGenerator[ExecutionLogLine, None]:
        ctx = info.context
        if type_of(id) != "Execution":
            raise _not_found(f"id {id!r} is not the id of an Execution", "id")
        last = 0  # the seq of the last line sent
        while True:
            # subscribed before reading: a batch committed after a read is announced to this subscription;
            # lines are read by seq > last, so a notice seen twice, late or never (the next one, or the end,
            # reads what it announced) loses or repeats nothing
            async with ctx.broker.subscribe(entity_topic(id), log_topic(id)) as events:
                current = (await _read(ctx, [id])).get(id)
                if current is None:
                    raise _not_found(f"no execution with id {id!r}", "id")
                ended = current.status.value in TERMINAL  # its worker ships its lines before it ends it
                try:
                    while True:
                        while lines := await _lines_after(ctx, id, last):
                            for line in lines:
                                yield line
                            last = lines[-1].seq
                            if len(lines) < LOG_PAGE:
                                break
                        if ended:
                            return
                        async for message in events:
                            payload = message["payload"]
                            if message["resource"] == LOG_RESOURCE and payload.get("seq", 0) > last:
                                break
                            if message["resource"] == "execution":
                                if not ctx.access.can_read_project(payload.get("projectId")):
                                    raise _not_found(f"no execution with id {id!r}", "id")
                                if payload.get("status") in TERMINAL:
                                    ended = True
                                    break
                        else:
                            return  # the broker closed (the server stops)
                except BrokerOverflow:
                    continue  # fell behind on notices: subscribe again; the lines come from the database

    @strawberry.subscription(description="Every committed change of the executions matching the filter "
                             "(projectId, serviceId, triggerId, statuses) that you can see, per execution in "
                             "version order without duplicates. No initial state: query `executions` for that.")
    async def executions_updated(self, info: Info, filter: ExecutionFilter | None = None
                                 ) -> AsyncGenerator[Execution, None]:
        ctx = info.context
        f = filter or ExecutionFilter()
        for name, value in (("functionName", f.function_name), ("createdAt", f.created_at)):
            if value is not None:
                raise to_graphql_error(Refused(
                    "BAD_USER_INPUT", f"filter.{name} is not supported by executionsUpdated: filter a stream by "
                    "projectId, serviceId, triggerId and statuses", field=f"filter.{name}"))
        wanted = _selected(info)
        topics = await _topics(ctx, f)
        accept = _matcher(f, ctx)
        statuses = {s.value for s in f.statuses} if f.statuses else None
        # executions created from now on are streamed from their first version (with a margin for the clocks
        # of other replicas: a few versions committed just before subscribing may come along, in order)
        since = utcnow() - CLOCK_MARGIN
        async with ctx.broker.subscribe(*topics) as events:
            async for payload in in_order(ctx, events, Sequencer(), accept, since):
                if statuses is not None and payload["status"] not in statuses:
                    continue
                state = execution_of_event(payload)
                await _complete(ctx, [state], wanted)
                yield state


# --- sync replies: a mutation that answers when its execution has ended ---------------------------------------

DEFAULT_WAIT = 60  # seconds, when wait: true comes without timeoutSec
MAX_WAIT = 300  # the longest timeoutSec: a request held longer is better served by executionUpdated
MAX_WAITING_PER_CALLER = 10  # requests one token may hold waiting at a time, per process
MAX_WAITING = 1_000  # requests waiting at a time, per process


class Waiting:
    """Bounds what waiting requests hold: each holds a coroutine, a broker subscription (its queue bounded by the
    broker) and its connection, no database connection; at most ``MAX_WAITING_PER_CALLER`` per token and
    ``MAX_WAITING`` per process, each for at most ``MAX_WAIT`` seconds. A request over the bound is refused
    (LIMIT_EXCEEDED) before anything is written."""

    def __init__(self, per_caller: int = MAX_WAITING_PER_CALLER, total: int = MAX_WAITING) -> None:
        self.per_caller, self.total = per_caller, total
        self.held: dict[str, int] = {}
        self.count = 0

    @contextlib.contextmanager
    def slot(self, caller: str):
        if self.count >= self.total:
            raise Refused("LIMIT_EXCEEDED", f"{self.total:,} requests are already waiting for executions on this "
                          "server: retry without wait and follow the execution with executionUpdated(id)",
                          limit="waitingRequests")
        if self.held.get(caller, 0) >= self.per_caller:
            raise Refused("LIMIT_EXCEEDED", f"you already have {self.per_caller} requests waiting for executions "
                          "(the limit per token): retry without wait and follow the execution with "
                          "executionUpdated(id)", limit="waitingRequestsPerToken")
        self.held[caller] = self.held.get(caller, 0) + 1
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1
            self.held[caller] -= 1
            if not self.held[caller]:
                del self.held[caller]


WAITING = Waiting()


def wait_seconds(wait: bool, timeout_sec: int | None) -> float | None:
    """The time a mutation's ``wait`` / ``timeoutSec`` ask for (None: answer at once); raises ``Problems``."""
    if timeout_sec is not None and not 1 <= timeout_sec <= MAX_WAIT:
        raise invalid(f"timeoutSec must be between 1 and {MAX_WAIT} seconds, got {timeout_sec}", "timeoutSec")
    if not wait:
        if timeout_sec is not None:
            raise invalid("timeoutSec needs wait: true", "timeoutSec")
        return None
    return float(timeout_sec or DEFAULT_WAIT)


async def wait_until_ended(ctx: Context, id_: str, timeout: float) -> bool:
    """Whether execution ``id_`` has ended (a terminal status) within ``timeout`` seconds. Follows the change
    stream: subscribed to the execution's topic before reading its state, it wakes on the event of a terminal
    version; the database is read once at the start and once more at the deadline (an event lost with a replica
    that died before publishing it costs at most the wait, never a wrong answer)."""
    deadline = asyncio.timeout(timeout)
    try:
        async with deadline:
            while True:
                async with ctx.broker.subscribe(entity_topic(id_)) as events:
                    current = (await _read(ctx, [id_])).get(id_)
                    if current is None or current.status.value in TERMINAL:
                        return True
                    try:
                        async for message in events:
                            if message["resource"] == "execution" and message["payload"]["status"] in TERMINAL:
                                return True
                    except BrokerOverflow:
                        continue  # fell behind: subscribe again and read the state again
                return True  # the broker closed (the server stops): the caller reads the state as it is
    except TimeoutError:
        if not deadline.expired():
            raise
    current = (await _read(ctx, [id_])).get(id_)
    return current is None or current.status.value in TERMINAL
