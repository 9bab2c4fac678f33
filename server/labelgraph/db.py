"""Database access: async engines, the unit of work (commit, then publish) and the statement counter.

* Reads go through ``Database.read()``: a short connection without a transaction round trip (PostgreSQL
  AUTOCOMMIT, SQLite autocommit). Each dataloader batch opens its own.
* Writes go through ``Database.transaction()``: one transaction; the outbox events collected in it are inserted
  before commit and handed to the event dispatcher after commit.
* On SQLite the write engine holds a single connection and begins with ``BEGIN IMMEDIATE``: writers in this
  process queue in Python instead of failing with "database is locked"; other processes wait on busy_timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from labelgraph.auth import Access
from labelgraph.columns import utcnow
from labelgraph.events.models import TRIGGER_RESOURCES, OutboxEvent
from labelgraph.ids import new_id

SYSTEM = Access(is_admin=True)  # internal work (bootstrap, workers of the engine) acts as the platform

_statement_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "labelgraph_statement_counter", default=None
)


@contextlib.contextmanager
def count_statements() -> Any:
    """Count the SQL statements executed inside the block (in this task and the tasks it starts).

    >>> with count_statements() as counter: ...
    >>> counter[0]
    """
    counter = [0]
    token = _statement_counter.set(counter)
    try:
        yield counter
    finally:
        _statement_counter.reset(token)


def start_statement_count() -> list[int]:
    """Start counting for the current request context; returns the live counter."""
    counter = [0]
    _statement_counter.set(counter)
    return counter


def current_statement_count() -> int:
    counter = _statement_counter.get()
    return counter[0] if counter else 0


def _on_statement(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
    counter = _statement_counter.get()
    if counter is not None:
        counter[0] += 1


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _json_loads(value: Any) -> Any:
    # SQLite hands back a bare JSON number (e.g. an execution output of 80) already converted by column affinity
    return value if isinstance(value, int | float) else orjson.loads(value)


@dataclass
class OutboxEntry:
    resource: str
    action: str
    entity_id: str
    project_id: str | None
    payload: dict = field(default_factory=dict)
    id: str = field(default_factory=lambda: new_id("evt"))


class UnitOfWork:
    """One write transaction. Services write through ``conn`` and record domain events with ``emit``."""

    def __init__(self, conn: AsyncConnection, access: Access | None = None) -> None:
        self.conn = conn
        self.access = access if access is not None else SYSTEM
        self.principal_id = self.access.user_id
        self.events: list[OutboxEntry] = []

    def emit(
        self, resource: str, action: str, entity_id: str, project_id: str | None, payload: dict | None = None
    ) -> None:
        self.events.append(OutboxEntry(resource, action, entity_id, project_id, payload or {}))

    async def flush_events(self) -> None:
        if not self.events:
            return
        now = utcnow()
        await self.conn.execute(
            insert(OutboxEvent.__table__),
            [
                {
                    "id": e.id,
                    "project_id": e.project_id,
                    "resource": e.resource,
                    "action": e.action,
                    "entity_id": e.entity_id,
                    "payload": e.payload,
                    "created_at": now,
                    "published_at": None,
                    "matched_at": None if e.resource in TRIGGER_RESOURCES else now,
                }
                for e in self.events
            ],
        )


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        common: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps, "json_deserializer": _json_loads}
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_async_engine(url, **common, pool_size=8, max_overflow=8)
            self.write_engine = create_async_engine(url, **common, pool_size=1, max_overflow=0, pool_timeout=120)
            for eng, begin in ((self.engine, None), (self.write_engine, "BEGIN IMMEDIATE")):
                self._sqlite_setup(eng, begin)
            self.read_engine = self.engine
        else:
            self.engine = create_async_engine(url, **common, pool_size=10, max_overflow=10, pool_pre_ping=False)
            self.write_engine = self.engine
            self.read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        for eng in {id(e): e for e in (self.engine, self.write_engine)}.values():
            event.listen(eng.sync_engine, "before_cursor_execute", _on_statement)
        # called with each committed unit of work's events (set by the app: publish + trigger matching)
        self.on_commit: Callable[[list[OutboxEntry]], Awaitable[None]] | None = None

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": what the filter compilers and per-parent pages are written for."""
        return "sqlite" if self.is_sqlite else "postgresql"

    @staticmethod
    def _sqlite_setup(engine: AsyncEngine, begin: str | None) -> None:
        @event.listens_for(engine.sync_engine, "connect")
        def _connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=15000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn) -> None:
            if begin:
                conn.exec_driver_sql(begin)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.read_engine.connect() as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def transaction(self, access: Access | None = None) -> AsyncIterator[UnitOfWork]:
        """One write transaction on behalf of ``access`` (None: the system itself, allowed everything)."""
        async with self.write_engine.connect() as conn:
            uow = UnitOfWork(conn, access)
            async with conn.begin():
                yield uow
                await uow.flush_events()
        if uow.events and self.on_commit is not None:
            await self.on_commit(uow.events)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.write_engine is not self.engine:
            await self.write_engine.dispose()


def null_pool_engine(url: str) -> AsyncEngine:
    """An engine for one-off maintenance (migrations, test set-up)."""
    return create_async_engine(url, poolclass=NullPool)


async def serialize_on_postgres(conn, key: int) -> None:
    """Hold the PostgreSQL advisory lock ``key`` until ``conn``'s transaction ends, so replicas starting together
    do one-time work (migrating, creating the first admin) one after another. SQLite needs nothing: its write
    transactions already begin with ``BEGIN IMMEDIATE``."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
