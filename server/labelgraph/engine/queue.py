"""The execution queue: state changes of executions, worker claims with leases, heartbeats, progress,
completion, and the reaper of expired leases and timeouts. No GraphQL here; every function runs inside a
db.UnitOfWork and records one outbox event per changed execution (``version`` + 1 each time).

Claims are atomic: on PostgreSQL the candidate rows are locked with ``FOR UPDATE SKIP LOCKED`` (concurrent
claimers skip each other's rows), on SQLite every write transaction starts with ``BEGIN IMMEDIATE`` (one writer
at a time, across processes), so the select-then-update cannot interleave. Either way a row is handed to one
worker only, and a worker's later calls are checked against its lease (``lease_owner``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from labelgraph.auth import FUNCTION_TOKEN_PREFIX, PROJECT_PERMISSIONS, TOKEN, hash_token, new_token
from labelgraph.columns import as_utc, utcnow
from labelgraph.data.models import Annotation, Dataset, Item
from labelgraph.db import UnitOfWork, any_id
from labelgraph.engine.lease import claimable, lease_values, locked, update_versioned
from labelgraph.errors import Problem, Problems, not_found
from labelgraph.faas.models import Execution, Package, PackageRevision, Service
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.service import service_bot
from labelgraph.ids import derived_id, new_id, type_of

EXECUTION = Execution.__table__
SERVICE = Service.__table__
PACKAGE = Package.__table__
REVISION = PackageRevision.__table__
ITEM, DATASET, ANNOTATION = Item.__table__, Dataset.__table__, Annotation.__table__

CREATED, IN_PROGRESS, SUCCESS, FAILED = "created", "in-progress", "success", "failed"
TERMINATED, ABORTED, CANCELED, SYSTEM_FAILURE = "terminated", "aborted", "canceled", "system-failure"
TERMINAL = frozenset({SUCCESS, FAILED, TERMINATED, ABORTED, CANCELED, SYSTEM_FAILURE})

ENTITY_TYPES = {"Item": "item", "Dataset": "dataset", "Annotation": "annotation"}
MAX_CLAIM = 100
MAX_LOG = 200  # status-log entries kept per execution (the oldest go first)


def entry(status: str, percent: int | None, message: str | None, now: datetime) -> dict[str, Any]:
    return {"status": status, "percentComplete": percent, "message": message, "timestamp": now.isoformat()}


def _append(log: list | None, item: dict) -> list:
    out = [*(log or []), item]
    return out[-MAX_LOG:]


# the columns an execution event carries: its whole visible state at that version (not ``input``, which never
# changes, and not ``status_log``, whose newest entry travels as ``latestStatus``), so a subscriber can be sent
# every version in order without reading the database (faas/subscriptions.py)
SNAPSHOT = ("id", "project_id", "service_id", "trigger_id", "function_name", "status", "progress", "output", "error",
            "attempts", "max_attempts", "to_terminate", "version", "lease_owner", "started_at", "finished_at",
            "created_at", "updated_at")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


SNAPSHOT_KEYS = tuple((c, _camel(c)) for c in SNAPSHOT)


def execution_event(row: Any, values: dict[str, Any]) -> dict[str, Any]:
    """The outbox payload of one committed version of an execution: ``SNAPSHOT`` in camelCase (datetimes as ISO
    8601 UTC) plus ``latestStatus``, the newest status-log entry."""
    merged = {**(row._asdict() if hasattr(row, "_asdict") else dict(row)), **values}
    out: dict[str, Any] = {}
    for column, key in SNAPSHOT_KEYS:
        value = merged.get(column)
        out[key] = as_utc(value).isoformat() if isinstance(value, datetime) else value
    log = merged.get("status_log")
    out["latestStatus"] = log[-1] if log else None
    return out


async def insert_executions(uow: UnitOfWork, rows: list[dict[str, Any]]) -> list[str]:
    """Insert new CREATED executions (each dict: project_id, service_id, package_id, function_name, input,
    max_attempts and optionally trigger_id, event_id, created_by). One statement, one event each."""
    if not rows:
        return []
    now = utcnow()
    full = []
    for r in rows:
        full.append({
            "id": new_id("exe"), "trigger_id": None, "event_id": None, "created_by": uow.principal_id, **r,
            "output": None, "error": None, "status": CREATED, "status_log": [entry(CREATED, 0, None, now)],
            "progress": 0, "message": None, "attempts": 0, "to_terminate": False, "version": 1,
            "lease_owner": None, "lease_expires_at": None, "started_at": None, "finished_at": None,
            "created_at": now, "updated_at": now,
        })
    await uow.conn.execute(sa.insert(EXECUTION), full)
    for r in full:
        uow.emit("execution", "created", r["id"], r["project_id"], execution_event(r, {}))
    return [r["id"] for r in full]


async def _update(uow: UnitOfWork, changes: list[tuple[Any, dict[str, Any]]],
                  tokens: Collection[str] | None = None) -> None:
    """Apply per-row value dicts (same keys for all rows) with version + 1, in one executemany. An attempt that
    ends here (leaving IN_PROGRESS) takes its function token with it. ``tokens``: the executions whose current
    attempt may hold one, when the caller knows (the embedded pool issues them itself); None: any of them."""
    if not changes:
        return
    await revoke_function_tokens(uow, [row for row, v in changes
                                       if row.status == IN_PROGRESS and v.get("status", IN_PROGRESS) != IN_PROGRESS
                                       and (tokens is None or row.id in tokens)])
    await update_versioned(uow, EXECUTION, "execution", changes, execution_event)


# --- function tokens -----------------------------------------------------------------------------------------
# Each claimed attempt gets a token of its service's bot (one project, the engineer role): the worker hands it to
# the function (context.client), never its own. It expires shortly after the service's executionTimeout and is
# revoked when the attempt ends; the scheduler prunes dead ones. It cannot create or revoke tokens (it would
# outlive its execution, or end other executions' tokens). Its id is derived from (execution, attempt), so
# ending an attempt revokes it by primary key, without a lookup.
FUNCTION_TOKEN_GRACE = timedelta(seconds=60)


def function_token_id(execution_id: str, attempt: int) -> str:
    return derived_id("tok", f"{execution_id}/{attempt}")


async def issue_function_tokens(uow: UnitOfWork, rows: list[tuple[str, int, str, int]]) -> dict[str, str]:
    """Tokens for claimed attempts, ``rows``: (execution id, attempt, bot user id, execution timeout in seconds).
    Returns execution id → token (shown once: to the worker holding the lease). Two statements for the batch."""
    if not rows:
        return {}
    now = utcnow()
    tokens = {exe_id: new_token() for exe_id, *_ in rows}
    values = [{"id": function_token_id(exe_id, attempt), "user_id": bot, "name": f"execution {exe_id}",
               "token_hash": hash_token(tokens[exe_id]), "hint": tokens[exe_id][:10],
               "expires_at": now + timedelta(seconds=timeout) + FUNCTION_TOKEN_GRACE, "created_at": now}
              for exe_id, attempt, bot, timeout in rows]
    # a rerun starts its attempts over: the (revoked) token of an earlier run may hold the id
    await uow.conn.execute(sa.delete(TOKEN).where(TOKEN.c.id.in_([v["id"] for v in values])))
    await uow.conn.execute(sa.insert(TOKEN), values)
    return tokens


async def revoke_function_tokens(uow: UnitOfWork, rows: list[Any]) -> None:
    """Revoke the tokens of the attempts of these (in-progress) execution rows."""
    if rows:
        await uow.conn.execute(sa.update(TOKEN).where(
            TOKEN.c.id.in_([function_token_id(r.id, r.attempts) for r in rows]), TOKEN.c.revoked_at.is_(None))
            .values(revoked_at=utcnow()))


async def prune_function_tokens(uow: UnitOfWork, now: datetime | None = None, batch: int = 5000) -> int:
    """Delete function tokens that are revoked or expired (at most ``batch``)."""
    now = now or utcnow()
    dead = (sa.select(TOKEN.c.id).where(TOKEN.c.name.startswith(FUNCTION_TOKEN_PREFIX),
                                        sa.or_(TOKEN.c.revoked_at.is_not(None), TOKEN.c.expires_at < now))
            .limit(batch))
    result = await uow.conn.execute(sa.delete(TOKEN).where(TOKEN.c.id.in_(dead)))
    return result.rowcount or 0


COLUMNS = (*SNAPSHOT, "status_log")  # what state changes read: enough to write the next version's event


async def load_execution(uow: UnitOfWork, id_: str, permission: str, field: str = "id") -> Any:
    if type_of(id_) != "Execution":
        raise not_found(f"{field} {id_!r} is not the id of an Execution", field)
    # every caller writes the next version from this row: concurrent changes of one execution queue on its lock
    stmt = locked(sa.select(*[EXECUTION.c[c] for c in COLUMNS]).where(EXECUTION.c.id == id_), uow.conn.dialect.name)
    row = (await uow.conn.execute(stmt)).first()
    if row is None:
        raise not_found(f"no execution with id {id_!r}", field)
    uow.access.require_project(row.project_id, permission, "execution", id_, field)
    return row


# --- user operations ---------------------------------------------------------------------------------------

async def terminate(uow: UnitOfWork, id_: str) -> str:
    """Ask a running execution to stop. A queued one ends TERMINATED at once; a running one gets
    toTerminate=true and its worker ends it on its next heartbeat."""
    row = await load_execution(uow, id_, "execution.write")
    if row.status in TERMINAL:
        raise Problems.one("CONFLICT", f"execution {id_} has ended already ({row.status}); nothing to terminate",
                           ["id"])
    now = utcnow()
    if row.status == CREATED:
        await _update(uow, [(row, {"status": TERMINATED, "to_terminate": True, "finished_at": now, "updated_at": now,
                                   "status_log": _append(row.status_log, entry(TERMINATED, row.progress,
                                                                               "terminated before it started", now))})])
    elif not row.to_terminate:
        await _update(uow, [(row, {"to_terminate": True, "updated_at": now})])
    return id_


async def rerun(uow: UnitOfWork, id_: str) -> str:
    """Queue an ended execution again with the same input (attempts start over)."""
    row = await load_execution(uow, id_, "execution.write")
    if row.status not in TERMINAL:
        raise Problems.one("CONFLICT", f"execution {id_} is still {row.status}; rerun an execution that has ended "
                           "(or terminate it first)", ["id"])
    now = utcnow()
    await _update(uow, [(row, {
        "status": CREATED, "attempts": 0, "to_terminate": False, "output": None, "error": None, "progress": 0,
        "message": None, "lease_owner": None, "lease_expires_at": None, "started_at": None, "finished_at": None,
        "updated_at": now, "status_log": _append(row.status_log, entry(CREATED, 0, "rerun", now)),
    })])
    return id_


# --- the worker protocol -----------------------------------------------------------------------------------

def _check_lease(row: Any, worker_id: str) -> None:
    if row.status != IN_PROGRESS or row.lease_owner != worker_id:
        raise Problems.one("CONFLICT", f"execution {row.id} is not leased by worker {worker_id!r} (it is "
                           f"{row.status}); its lease expired or it was terminated", ["id"])


async def _leased(uow: UnitOfWork, id_: str, worker_id: str) -> Any:
    row = await load_execution(uow, id_, "execution.work")
    _check_lease(row, worker_id)
    return row


async def workable_services(uow: UnitOfWork, service_ids: list[str] | None) -> list[Any]:
    """The active services the caller may work for (all it can reach when ``service_ids`` is None)."""
    stmt = sa.select(SERVICE.c.id, SERVICE.c.project_id, SERVICE.c.concurrency, SERVICE.c.active,
                     SERVICE.c.bot_user_id, SERVICE.c.execution_timeout)
    if service_ids is not None:
        for i, sid in enumerate(service_ids):
            if type_of(sid) != "Service":
                raise not_found(f"serviceIds[{i}] {sid!r} is not the id of a Service", "serviceIds", i)
        stmt = stmt.where(in_ids(SERVICE.c.id, list(set(service_ids)), uow.conn.dialect.name))
    elif not uow.access.is_admin:
        stmt = stmt.where(SERVICE.c.project_id.in_(uow.access.project_ids()))
    rows = (await uow.conn.execute(stmt)).all()
    if service_ids is not None:
        found = {r.id: r for r in rows}
        for i, sid in enumerate(service_ids):
            r = found.get(sid)
            if r is None or not uow.access.can_read_project(r.project_id):
                raise not_found(f"no service with id {sid!r}", "serviceIds", i)
            uow.access.require_project(r.project_id, "execution.work", "service", sid, "serviceIds")
    else:
        from labelgraph.auth import PROJECT_PERMISSIONS

        allowed = PROJECT_PERMISSIONS["execution.work"]
        rows = [r for r in rows if uow.access.is_admin or uow.access.project_roles.get(r.project_id) in allowed]
    return [r for r in rows if r.active]


async def claim_resolved(uow: UnitOfWork, worker_id: str, service_ids: list[str] | None, max_: int,
                         lease_seconds: float, running: dict[str, int] | None = None,
                         tokens: bool = True) -> list[tuple[Any, int, dict[str, Any], str | None]]:
    """A claim and what a worker needs to run each claimed attempt, in this one transaction: (row as claimed,
    attempt number, resolved input, function token or None when ``tokens`` is False), oldest first."""
    taken = await claim_rows(uow, worker_id, service_ids, max_, lease_seconds, running, with_input=True)
    if not taken:
        return []
    issued = await _tokens_for(uow, taken) if tokens else {}
    rows = [r for r, _ in taken]
    resolved = await resolve_inputs(uow.conn, rows, await claimed_signatures(uow.conn, rows))
    return [(r, v["attempts"], inputs, issued.get(r.id)) for (r, v), inputs in zip(taken, resolved, strict=True)]


async def _tokens_for(uow: UnitOfWork, taken: list[tuple[Any, dict[str, Any]]]) -> dict[str, str]:
    bots: dict[str, str] = {}
    for r, _ in taken:
        if r.service_id not in bots:
            bots[r.service_id] = r.service_bot or await _adopt_bot(uow, _ServiceRef(r.service_id, r.project_id))
    return await issue_function_tokens(uow, [(r.id, v["attempts"], bots[r.service_id], r.service_timeout)
                                             for r, v in taken])


async def claim_rows(uow: UnitOfWork, worker_id: str, service_ids: list[str] | None, max_: int,
                     lease_seconds: float, running: dict[str, int] | None = None,
                     with_input: bool = False) -> list[tuple[Any, dict[str, Any]]]:
    """Lease up to ``max_`` queued executions of the given services to ``worker_id`` (oldest first), never more
    per service than its concurrency minus what this worker runs of it already. Returns the claimed rows (as
    they were, with their service's concurrency, bot, timeout, package and module, and ``input`` when
    ``with_input``) with the values written. No token is issued: ``claim`` issues one per attempt, the embedded
    pool asks for an attempt's when its function first needs one (``issue_token``).

    ``running``: service id → executions this worker holds of it, when the caller knows (the embedded pool
    does: it is this process); otherwise they are counted here. With ``service_ids`` None the services are read
    in the candidates' statement (a join), so a claim is two statements plus its update and events."""
    if not worker_id or len(worker_id) > 200:
        raise Problems.one("INVALID", "workerId must be 1-200 characters", ["workerId"])
    if not 1 <= max_ <= MAX_CLAIM:
        raise Problems.one("INVALID", f"max must be between 1 and {MAX_CLAIM}, got {max_}", ["max"])
    if not 1 <= lease_seconds <= 3600:
        raise Problems.one("INVALID", f"leaseSeconds must be between 1 and 3600, got {lease_seconds}",
                           ["leaseSeconds"])
    dialect = uow.conn.dialect.name
    services: dict[str, Any] = {}
    if service_ids is not None:
        services = {s.id: s for s in await workable_services(uow, service_ids)}
        if not services:
            return []
    if running is None:
        running = dict((await uow.conn.execute(
            sa.select(EXECUTION.c.service_id, sa.func.count()).where(
                EXECUTION.c.status == IN_PROGRESS, EXECUTION.c.lease_owner == worker_id)
            .group_by(EXECUTION.c.service_id))).all())
    scope, projects = "all", None
    if service_ids is not None:
        scope = "services"
    elif not uow.access.is_admin:
        allowed = PROJECT_PERMISSIONS["execution.work"]
        projects = [p for p, role in uow.access.project_roles.items() if role in allowed]
        if not projects:
            return []
        scope = "projects"
    if dialect == "postgresql":  # one statement object per shape, its values as parameters (_claim_select)
        busy = {sid: n for sid, n in running.items() if n > 0}
        rows = (await uow.conn.execute(_claim_select(with_input, scope), {
            "busy": busy, "limit": max_,
            "scope_ids": list(services) if scope == "services" else projects})).all()
    else:
        rows = (await uow.conn.execute(_claim_select_sqlite(running, max_, with_input, list(services)
                                                            if scope == "services" else projects, scope))).all()
    now = utcnow()
    taken: list[tuple[Any, dict[str, Any]]] = []
    per_service: Counter[str] = Counter()
    for r in rows:
        if per_service[r.service_id] >= r.service_concurrency - running.get(r.service_id, 0):
            continue
        per_service[r.service_id] += 1
        taken.append((r, {
            "status": IN_PROGRESS, "attempts": r.attempts + 1, **lease_values(worker_id, lease_seconds, now),
            "started_at": now, "updated_at": now,
            "status_log": _append(r.status_log, entry(IN_PROGRESS, r.progress, f"attempt {r.attempts + 1} on "
                                                      f"{worker_id}", now)),
        }))
    await _update(uow, taken)
    return taken


def _candidates(with_input: bool, busy: Any, limit: Any, scope_filter: Any) -> sa.Select:
    """The queued executions a claim may take, oldest first, with their service's columns (``busy``: what this
    worker runs of the row's service already; ``scope_filter``: the services or projects asked for, or None)."""
    stmt = (sa.select(*[EXECUTION.c[c] for c in COLUMNS], *([EXECUTION.c.input] if with_input else []),
                      SERVICE.c.concurrency.label("service_concurrency"), SERVICE.c.bot_user_id.label("service_bot"),
                      SERVICE.c.execution_timeout.label("service_timeout"), SERVICE.c.package_id,
                      SERVICE.c.package_revision, SERVICE.c.module_name)
            .join(SERVICE, SERVICE.c.id == EXECUTION.c.service_id)
            .where(EXECUTION.c.status == CREATED, SERVICE.c.active == sa.true(), SERVICE.c.concurrency > busy)
            .order_by(EXECUTION.c.created_at, EXECUTION.c.id).limit(limit))
    return stmt if scope_filter is None else stmt.where(scope_filter)


def _scope_column(scope: str) -> Any:
    return EXECUTION.c.service_id if scope == "services" else EXECUTION.c.project_id


_CLAIMS: dict[tuple[bool, str], sa.Select] = {}


def _claim_select(with_input: bool, scope: str) -> sa.Select:
    """PostgreSQL: the candidates of a claim, built once per shape (``scope``: "all" services, the "services"
    or the "projects" in parameter ``scope_ids``). What the worker runs already comes as a JSON object ``busy``
    (service id → count; a service not in it: 0) and the row limit as ``limit``, so the statement text and
    object never change: no construction, cache key or compilation per claim. Only the executions are locked:
    claimers skip each other's rows, never each other's services."""
    stmt = _CLAIMS.get((with_input, scope))
    if stmt is None:
        busy = sa.func.coalesce(sa.cast(sa.bindparam("busy", type_=JSONB).op("->>")(SERVICE.c.id), sa.Integer), 0)
        scope_filter = None if scope == "all" else \
            any_id(_scope_column(scope), name="scope_ids")
        stmt = _CLAIMS[(with_input, scope)] = claimable(
            _candidates(with_input, busy, sa.bindparam("limit", type_=sa.Integer), scope_filter), "postgresql",
            of=EXECUTION)
    return stmt


def _claim_select_sqlite(running: dict[str, int], max_: int, with_input: bool, scope_ids: list[str] | None,
                         scope: str) -> sa.Select:
    """SQLite: the same candidates, built per claim (one writer at a time there: BEGIN IMMEDIATE)."""
    busy = sa.case({sid: n for sid, n in running.items() if n > 0}, value=SERVICE.c.id, else_=0) \
        if any(n > 0 for n in running.values()) else sa.literal(0)
    scope_filter = None if scope == "all" else in_ids(_scope_column(scope), scope_ids or [], "sqlite")
    return _candidates(with_input, busy, max_, scope_filter)


class _ServiceRef:
    def __init__(self, id_: str, project_id: str) -> None:
        self.id, self.project_id = id_, project_id


async def issue_token(uow: UnitOfWork, id_: str, worker_id: str, attempt: int) -> str:
    """The function token of attempt ``attempt`` of an execution ``worker_id`` holds, issued when its function
    first needs one (claims of the embedded pool issue none). Per attempt as a claim's: its id is derived from
    (execution, attempt), so the attempt's end revokes it (``_update``); asking again replaces it."""
    row = await _leased(uow, id_, worker_id)
    if row.attempts != attempt:
        raise Problems.one("CONFLICT", f"execution {id_} is in attempt {row.attempts}, not {attempt}", ["id"])
    svc = (await uow.conn.execute(sa.select(SERVICE.c.id, SERVICE.c.project_id, SERVICE.c.bot_user_id,
                                            SERVICE.c.execution_timeout)
                                  .where(SERVICE.c.id == row.service_id))).one()
    bot = svc.bot_user_id or await _adopt_bot(uow, svc)
    return (await issue_function_tokens(uow, [(id_, attempt, bot, svc.execution_timeout)]))[id_]


async def _adopt_bot(uow: UnitOfWork, service: Any) -> str:
    """A service deployed before services had a bot gets one now (once)."""
    bot = await service_bot(uow, service.project_id)
    await uow.conn.execute(sa.update(SERVICE).where(SERVICE.c.id == service.id).values(bot_user_id=bot))
    return bot


async def heartbeat(uow: UnitOfWork, id_: str, worker_id: str, lease_seconds: float) -> tuple[str, bool]:
    """Extend the lease. When termination was asked for, the execution ends TERMINATED now and the answer is
    (id, True): the worker stops the function and reports nothing more."""
    row = await _leased(uow, id_, worker_id)
    now = utcnow()
    if row.to_terminate:
        await _update(uow, [(row, _ended(row, TERMINATED, "terminated on request", now))])
        return id_, True
    # a lease extension is not a visible change: no version bump, no event
    await uow.conn.execute(sa.update(EXECUTION).where(EXECUTION.c.id == id_).values(
        lease_expires_at=now + timedelta(seconds=lease_seconds)))
    return id_, False


def _ended(row: Any, status: str, message: str | None, now: datetime, **more: Any) -> dict[str, Any]:
    percent = 100 if status == SUCCESS else row.progress
    return {"status": status, "finished_at": now, "updated_at": now, "lease_owner": None, "lease_expires_at": None,
            "progress": percent, "message": message,
            "status_log": _append(row.status_log, entry(status, percent, message, now)), **more}


async def progress(uow: UnitOfWork, id_: str, worker_id: str, percent: int | None, message: str | None,
                   lease_seconds: float | None) -> str:
    row = await _leased(uow, id_, worker_id)
    if percent is not None and not 0 <= percent <= 100:
        raise Problems.one("INVALID", f"percentComplete must be between 0 and 100, got {percent}",
                           ["percentComplete"])
    now = utcnow()
    pct = row.progress if percent is None else percent
    values: dict[str, Any] = {"progress": pct, "message": message, "updated_at": now,
                              "status_log": _append(row.status_log, entry(IN_PROGRESS, pct, message, now))}
    if lease_seconds:
        values["lease_expires_at"] = now + timedelta(seconds=lease_seconds)
    await _update(uow, [(row, values)])
    return id_


async def complete(uow: UnitOfWork, id_: str, worker_id: str, output: Any) -> str:
    row = await _leased(uow, id_, worker_id)
    await _update(uow, [(row, _ended(row, SUCCESS, None, utcnow(), output=output))])
    return id_


async def complete_many(uow: UnitOfWork, worker_id: str, outputs: dict[str, Any],
                        tokens: Collection[str] | None = None) -> dict[str, Problem]:
    """``complete`` for many executions in this one transaction (one read, one update, their events in one
    insert). Returns the refused ones: execution id → why (NOT_FOUND: no such execution; CONFLICT: not leased by
    ``worker_id``, its lease expired or it ended); the others are SUCCESS. A refusal concerns that execution
    alone: another worker's lease or a terminated execution is not the batch's fault. ``tokens``: as ``_update``'s
    (the embedded pool names the attempts it issued a token for; none: no revoking statement)."""
    ids = list(outputs)
    refused: dict[str, Problem] = {}
    for id_ in ids:
        if type_of(id_) != "Execution":
            refused[id_] = Problem("NOT_FOUND", f"{id_!r} is not the id of an Execution")
    wanted = [i for i in ids if i not in refused]
    rows = {r.id: r for r in (await uow.conn.execute(_rows_by_id(uow.conn.dialect.name),
                                                     {"ids": wanted})).all()} if wanted else {}
    now = utcnow()
    changes = []
    for id_ in ids:
        row = rows.get(id_)
        if id_ in refused:
            continue
        if row is None or not uow.access.can_read_project(row.project_id):
            refused[id_] = Problem("NOT_FOUND", f"no execution with id {id_!r}")
            continue
        try:
            uow.access.require_project(row.project_id, "execution.work", "execution", id_, "id")
            _check_lease(row, worker_id)
        except Problems as exc:
            refused[id_] = Problem(exc.problems[0].code, "; ".join(p.message for p in exc.problems))
            continue
        changes.append((row, _ended(row, SUCCESS, None, now, output=outputs[id_])))
    await _update(uow, changes, tokens)
    return refused


_BY_ID: dict[str, sa.Select] = {}


def _rows_by_id(dialect: str) -> sa.Select:
    """The executions of the ids in parameter ``ids`` (``COLUMNS``), locked as load_execution's on PostgreSQL (changes
    of one execution queue there), in id order. Built once per process (no construction or cache key per call)
    and with a text that does not vary with the number of ids (one array parameter on PostgreSQL)."""
    stmt = _BY_ID.get(dialect)
    if stmt is None:
        ids = any_id(EXECUTION.c.id) if dialect == "postgresql" \
            else EXECUTION.c.id.in_(sa.bindparam("ids", expanding=True))
        stmt = sa.select(*[EXECUTION.c[c] for c in COLUMNS]).where(ids).order_by(EXECUTION.c.id)
        stmt = _BY_ID[dialect] = stmt.with_for_update() if dialect == "postgresql" else stmt
    return stmt


async def fail(uow: UnitOfWork, id_: str, worker_id: str, message: str, details: Any = None) -> str:
    row = await _leased(uow, id_, worker_id)
    message = (message or "failed")[:2000]
    await _update(uow, [(row, _ended(row, FAILED, message, utcnow(), error={"message": message,
                                                                           "details": details}))])
    return id_


async def release(uow: UnitOfWork, id_: str, worker_id: str) -> str:
    """Give a leased execution back to the queue without counting the attempt (a worker shutting down)."""
    row = await _leased(uow, id_, worker_id)
    now = utcnow()
    await _update(uow, [(row, {
        "status": CREATED, "attempts": max(0, row.attempts - 1), "lease_owner": None, "lease_expires_at": None,
        "updated_at": now, "status_log": _append(row.status_log, entry(CREATED, row.progress,
                                                                      f"released by {worker_id}", now))})])
    return id_


# --- the reaper --------------------------------------------------------------------------------------------

def _requeued(r: Any, message: str, now: datetime) -> dict[str, Any]:
    return {"status": CREATED, "lease_owner": None, "lease_expires_at": None, "updated_at": now,
            "status_log": _append(r.status_log, entry(CREATED, r.progress, message, now))}


def _reset(r: Any, now: datetime) -> tuple[str, dict[str, Any]] | None:
    """A run the service's reset left behind: the service was updated or paused (``updated_at``) after the run
    started, and its ``drainTime`` has run out since. Its ``onReset`` decides: ``rerun`` queues it again (while
    attempts are left), ``failed`` fails it. The worker learns it at its next heartbeat and stops the function."""
    changed, started = as_utc(r.service_reset_at), as_utc(r.started_at)
    if changed is None or started is None or changed <= started or changed + timedelta(seconds=r.drain_time) > now:
        return None
    return _on_reset(r, f"the service was updated or paused and its drainTime ({r.drain_time} s) ran out", now)


def _on_reset(r: Any, why: str, now: datetime) -> tuple[str, dict[str, Any]]:
    """The service's ``onReset`` decides what a reset run becomes: ``rerun`` queues it again while attempts are
    left (and fails it after the last), ``failed`` (the default) fails it."""
    if r.on_reset == "rerun" and r.attempts < r.max_attempts:
        return "requeue", _requeued(r, f"{why}; queued again (onReset RERUN, attempt {r.attempts} of "
                                       f"{r.max_attempts} used)", now)
    if r.on_reset == "rerun":
        message = f"{why} after the last of {r.max_attempts} attempts (onReset RERUN, no attempt left)"
    else:
        message = f"{why} (onReset FAILED: not run again; a service with onReset RERUN queues it again)"
    return "end", _ended(r, FAILED, message, now, error={"message": message})


async def reap(uow: UnitOfWork, now: datetime | None = None, limit: int = 500) -> int:
    """Apply the service's onReset (rerun while attempts are left, or fail) to executions whose lease expired and
    to runs that outlived their service's drainTime after an update or pause; fail executions that ran longer
    than their service's executionTimeout. Returns how many changed."""
    now = now or utcnow()
    dialect = uow.conn.dialect.name
    stmt = (sa.select(*[EXECUTION.c[c] for c in COLUMNS], EXECUTION.c.lease_expires_at,
                      SERVICE.c.execution_timeout, SERVICE.c.drain_time, SERVICE.c.on_reset,
                      SERVICE.c.reset_at.label("service_reset_at"))
            .join(SERVICE, SERVICE.c.id == EXECUTION.c.service_id)
            .where(EXECUTION.c.status == IN_PROGRESS).order_by(EXECUTION.c.lease_expires_at).limit(limit))
    rows = (await uow.conn.execute(claimable(stmt, dialect, of=EXECUTION))).all()
    requeue, ended = [], []
    for r in rows:
        started = as_utc(r.started_at)
        reset = _reset(r, now)
        if started is not None and started + timedelta(seconds=r.execution_timeout) < now:
            ended.append((r, _ended(r, FAILED, f"timed out: ran longer than the service's executionTimeout "
                                   f"({r.execution_timeout} s)", now, error={"message": "timeout"})))
        elif reset is not None:
            (requeue if reset[0] == "requeue" else ended).append((r, reset[1]))
        elif as_utc(r.lease_expires_at) is not None and as_utc(r.lease_expires_at) < now:
            # the worker stopped heartbeating (it crashed, was killed or lost the plane): a reset, onReset decides
            kind, values = _on_reset(r, f"lease of {r.lease_owner} expired", now)
            (requeue if kind == "requeue" else ended).append((r, values))
    await _update(uow, requeue)
    await _update(uow, ended)
    return len(requeue) + len(ended)


# --- inputs ------------------------------------------------------------------------------------------------

async def function_signatures(conn, service_ids: list[str]) -> dict[tuple[str, str], list[dict]]:
    """(service id, function name) -> the function's inputs, from the package revision each service pins."""
    if not service_ids:
        return {}
    rows = (await conn.execute(
        sa.select(SERVICE.c.id, SERVICE.c.module_name, REVISION.c.modules)
        .join(REVISION, sa.and_(REVISION.c.package_id == SERVICE.c.package_id,
                                REVISION.c.revision == SERVICE.c.package_revision))
        .where(in_ids(SERVICE.c.id, list(set(service_ids)), conn.dialect.name)))).all()
    out: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        for module in r.modules or []:
            if module.get("name") == r.module_name:
                for fn in module.get("functions") or []:
                    out[(r.id, fn["name"])] = fn.get("inputs") or []
    return out


_SIGNATURES: dict[tuple[str, int, str], dict[str, list[dict]]] = {}  # (package, revision, module) → fn → inputs


async def claimed_signatures(conn, rows: list[Any]) -> dict[tuple[str, str], list[dict]]:
    """``function_signatures`` for claimed rows (claim_rows: they name their service's package revision and
    module) or the matcher's triggers (joined with their service's). A package revision never changes once
    written, so its functions' inputs are kept in this process: they are read only the first time a revision
    is met."""
    keys = {(r.package_id, r.package_revision, r.module_name) for r in rows}
    missing = [k for k in keys if k not in _SIGNATURES]
    if missing:
        found = (await conn.execute(sa.select(REVISION.c.package_id, REVISION.c.revision, REVISION.c.modules)
                                    .where(sa.or_(*[sa.and_(REVISION.c.package_id == p, REVISION.c.revision == n)
                                                    for p, n, _ in missing])))).all()
        modules = {(f.package_id, f.revision): f.modules or [] for f in found}
        if len(_SIGNATURES) > 10_000:
            _SIGNATURES.clear()
        for key in missing:
            for module in modules.get(key[:2], []):
                if module.get("name") == key[2]:
                    _SIGNATURES[key] = {fn["name"]: fn.get("inputs") or [] for fn in module.get("functions") or []}
                    break
            else:
                _SIGNATURES[key] = {}
    out: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        inputs = _SIGNATURES.get((r.package_id, r.package_revision, r.module_name), {}).get(r.function_name)
        if inputs is not None:
            out[(r.service_id, r.function_name)] = inputs
    return out


def _entity_dict(row: Any) -> dict[str, Any]:
    out = {}
    for k, v in row._asdict().items():
        out[_camel(k)] = as_utc(v).isoformat() if isinstance(v, datetime) else v
    return out


async def resolve_inputs(conn, executions: list[Any],
                         sigs: dict[tuple[str, str], list[dict]] | None = None) -> list[dict[str, Any]]:
    """Each execution's input with entity references replaced by the entities (an Item input arrives as the
    item: id, datasetId, name, dir, filename, mimetype, metadata, …). A deleted entity — or one outside the
    execution's project, which no input may reach — arrives as its reference with ``deleted: true``.
    ``executions`` have id, project_id, service_id, function_name, input; ``sigs``: their functions' inputs when
    known (claimed_signatures), else read here."""
    if sigs is None:
        sigs = await function_signatures(conn, [e.service_id for e in executions])
    wanted: dict[str, set[str]] = {"item": set(), "dataset": set(), "annotation": set()}
    plans = []
    for e in executions:
        plan = {}
        for spec in sigs.get((e.service_id, e.function_name), []):
            kind = ENTITY_TYPES.get(spec.get("type", "").removesuffix("[]"))
            if kind and spec["name"] in (e.input or {}):
                value = e.input[spec["name"]]
                refs = value if isinstance(value, list) else [value]
                for ref in refs:
                    if isinstance(ref, dict) and ref.get(f"{kind}_id"):
                        wanted[kind].add(ref[f"{kind}_id"])
                plan[spec["name"]] = kind
        plans.append(plan)
    found: dict[str, dict[str, Any]] = {}
    dialect = conn.dialect.name
    for kind, table in (("item", ITEM), ("dataset", DATASET), ("annotation", ANNOTATION)):
        if wanted[kind]:
            cols = [c for c in table.c if c.name not in ("storage_key",)]
            for row in (await conn.execute(sa.select(*cols).where(in_ids(table.c.id, list(wanted[kind]),
                                                                         dialect)))).all():
                found[row.id] = _entity_dict(row)
    out = []
    for e, plan in zip(executions, plans, strict=True):
        resolved = dict(e.input or {})
        for name, kind in plan.items():
            def one(ref: Any, kind: str = kind, project_id: str = e.project_id) -> Any:
                if isinstance(ref, dict) and ref.get(f"{kind}_id"):
                    entity = found.get(ref[f"{kind}_id"])
                    if entity is not None and entity["projectId"] == project_id:
                        return entity
                    return {**ref, "id": ref[f"{kind}_id"], "deleted": True}
                return ref

            value = resolved[name]
            resolved[name] = [one(v) for v in value] if isinstance(value, list) else one(value)
        out.append(resolved)
    return out
