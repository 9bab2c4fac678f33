"""Database access: async engines, the unit of work (commit, then publish) and the statement counter.

* Reads go through ``Database.read()``: a short connection without a transaction round trip (PostgreSQL
  AUTOCOMMIT, SQLite autocommit). Each dataloader batch opens its own.
* Writes go through ``Database.transaction()``: one transaction; the outbox events collected in it are inserted
  before commit and handed to the event dispatcher after commit.
* On SQLite the write engine holds a single connection and begins with ``BEGIN IMMEDIATE``: writers in this
  process queue in Python instead of failing with "database is locked"; other processes wait up to BUSY_TIMEOUT.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event, insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from labelgraph.columns import utcnow
from labelgraph.events.models import TRIGGER_RESOURCES, OutboxEvent
from labelgraph.ids import new_id, new_ids

# Who a transaction acts for is an ``auth.Access``; db sits below auth and does not import it. SYSTEM, what a
# transaction without one acts as (the platform itself: bootstrap, the engine's bookkeeping), is set by auth.
Access = Any
SYSTEM: Any = None

# SQLite: seconds a statement waits for another process's lock before "database is locked". Passed as the
# driver's ``timeout``, so it holds from the connection's first statement (its pragmas) on.
BUSY_TIMEOUT = 15
MAINTENANCE_BUSY_TIMEOUT = 120  # a process starting waits for another one's migration to end
SERVING_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL")

_statement_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "labelgraph_statement_counter", default=None
)


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


MD_OPEN, MD_SEP, MD_CLOSE = "/*lgmd[*/", "/*lgmd|*/", "/*lgmd]*/"
_MD_SPAN = re.compile(re.escape(MD_OPEN) + r"\(CASE WHEN (.*?) " + re.escape(MD_SEP) + "THEN (.*?)"
                      + re.escape(MD_SEP) + " WHEN (.*?) " + re.escape(MD_SEP) + "THEN (.*?)" + re.escape(MD_SEP)
                      + r" ELSE (.*?) END = 1\)" + re.escape(MD_CLOSE) + "( = 1)?", re.DOTALL)
# (SQLAlchemy writes a boolean expression in a WHERE as "x = 1" on SQLite: dropped with the span, since an
# "(id IN (…)) = 1" would hide the IN from the planner)


def choose_md_eq(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> tuple[str, Any]:  # noqa: ARG001
    """SQLAlchemy ``before_cursor_execute`` hook (retval) of the SQLite engines: replace each indexed metadata
    equality (graph/filterspec.py ``_MdEq``) by the one of its three ways that fits, asked of the database in
    one statement (counted as any other)."""
    if MD_OPEN not in statement:
        return statement, parameters
    spans = list(_MD_SPAN.finditer(statement))
    if not spans:
        return statement, parameters
    tests = ", ".join(f"(CASE WHEN {m.group(1)} THEN 0 WHEN {m.group(3)} THEN 1 ELSE 2 END)" for m in spans)
    ways = conn.exec_driver_sql(f"SELECT {tests}").one()
    out, at = [], 0
    for m, way in zip(spans, ways, strict=True):
        out += [statement[at:m.start()], "(", m.group((2, 4, 5)[way]), ")"]
        at = m.end()
    return "".join(out) + statement[at:], parameters


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
        if self.access is None:
            raise RuntimeError("a transaction without an Access acts as auth.SYSTEM: import labelgraph.auth first")
        self.principal_id = self.access.user_id
        self.events: list[OutboxEntry] = []

    def emit(
        self, resource: str, action: str, entity_id: str, project_id: str | None, payload: dict | None = None
    ) -> None:
        self.events.append(OutboxEntry(resource, action, entity_id, project_id, payload or {}))

    def emit_many(self, resource: str, action: str,
                  events: list[tuple[str, str | None, dict[str, Any]]]) -> None:
        """``emit`` for each (entity id, project id, payload) of a bulk write: the event ids made at once."""
        self.events.extend(OutboxEntry(resource, action, entity_id, project_id, payload, id_)
                           for (entity_id, project_id, payload), id_ in zip(events, new_ids("evt", len(events)),
                                                                            strict=True))

    async def flush_events(self) -> None:
        """The transaction's events in one statement. ``matched_at`` is set in that statement for every event no
        active event trigger of its project could match (no trigger on its resource, or not a trigger resource),
        so trigger matching reads back only events some trigger may want. The check runs in SQL against the
        triggers as they are when the events are written: no cache to invalidate, the same on every replica."""
        if not self.events:
            return
        now = utcnow()
        events = self.events
        if self.conn.dialect.name == "postgresql":  # one array per column (see unnest_rows), one statement
            dumps = orjson.dumps
            await self.conn.execute(_outbox_insert("postgresql"), {
                "u_id": [e.id for e in events], "u_project_id": [e.project_id for e in events],
                "u_resource": [e.resource for e in events], "u_action": [e.action for e in events],
                "u_entity_id": [e.entity_id for e in events],
                "u_payload": [dumps(e.payload).decode() for e in events], "now": now})
            return
        # SQLite: one prepared statement run for each row in the driver (executemany), the same check inline
        # (``b_match``: the project to look for triggers in, null for the resources triggers never name)
        await self.conn.execute(_outbox_insert("sqlite"), [
            {"b_id": e.id, "b_project_id": e.project_id, "b_resource": e.resource, "b_action": e.action,
             "b_entity_id": e.entity_id, "b_payload": e.payload, "b_now": now,
             "b_match": e.project_id if e.resource in TRIGGER_RESOURCES else None} for e in events])


OUTBOX = OutboxEvent.__table__
_PG = postgresql.dialect()
# the faas tables, named here without importing faas (db sits below it): what an event trigger is waiting for
_TRIGGER = sa.table("trigger", sa.column("project_id"), sa.column("resource"), sa.column("service_id"),
                    sa.column("type"), sa.column("active"))
_SERVICE = sa.table("service", sa.column("id"), sa.column("active"))


_OUTBOX_COLUMNS = ("id", "project_id", "resource", "action", "entity_id", "payload")
_OUTBOX_INSERTS: dict[str, Any] = {}


def _outbox_insert(dialect: str) -> Any:
    """``flush_events``' INSERT, built once per process: a statement object used again costs neither its
    construction nor its cache key (SQLAlchemy memoizes that on the object); its values come as parameters.
    PostgreSQL: INSERT … SELECT from ``unnest`` of one array per column (``u_<column>``, the payloads as JSON
    text) with ``matched_at`` computed in SQL; SQLite: a per-row INSERT (``b_<column>``) for executemany."""
    stmt = _OUTBOX_INSERTS.get(dialect)
    if stmt is not None:
        return stmt
    at = sa.bindparam("now" if dialect == "postgresql" else "b_now", type_=OUTBOX.c.created_at.type)
    if dialect == "postgresql":
        source = unnest_source(OUTBOX, list(_OUTBOX_COLUMNS))
        matched = matched_at_unless_watched(source.c.project_id, source.c.resource, at)
        stmt = insert(OUTBOX).from_select([*_OUTBOX_COLUMNS, "created_at", "matched_at"],
                                          sa.select(*source.c, at, matched))
    else:
        matched = sa.case((sa.tuple_(sa.bindparam("b_match"), sa.bindparam("b_resource")).in_(_live_trigger_keys()),
                           sa.null()), else_=at)
        stmt = insert(OUTBOX).values(**{c: sa.bindparam(f"b_{c}", type_=OUTBOX.c[c].type) for c in _OUTBOX_COLUMNS},
                                     created_at=at, matched_at=matched)
    _OUTBOX_INSERTS[dialect] = stmt
    return stmt


def matched_at_unless_watched(project_id: Any, resource: Any, now: Any) -> sa.ColumnElement:
    """An outbox event's ``matched_at`` as it is written: null (left for trigger matching) when an active event
    trigger of an active service of its project names its resource, else ``now`` (nothing can match it)."""
    return sa.case((sa.and_(resource.in_(sorted(TRIGGER_RESOURCES)),
                            sa.tuple_(project_id, resource).in_(_live_trigger_keys())), sa.null()), else_=now)


def _live_trigger_keys() -> sa.Select:
    """(project_id, resource) of every active event trigger of an active service."""
    return (sa.select(_TRIGGER.c.project_id, _TRIGGER.c.resource)
            .join(_SERVICE, _SERVICE.c.id == _TRIGGER.c.service_id)
            .where(_TRIGGER.c.type == "event", _TRIGGER.c.active.is_(sa.true()), _SERVICE.c.active.is_(sa.true())))


def _json_columns(table: sa.Table, names: Any) -> set[str]:
    return {n for n in names if isinstance(table.c[n].type.dialect_impl(_PG), sa.JSON)}


def any_id(column: sa.ColumnElement, ids: list[str] | None = None, name: str | None = "ids") -> sa.ColumnElement:
    """``column = ANY(:name)``: PostgreSQL's way of ``column IN ids`` with the ids as one array parameter, so the
    statement's text (and a statement built once) does not vary with their number. ``ids`` may come at execution;
    ``name=None``: an anonymous parameter of its own (several in one statement)."""
    return column == sa.any_(sa.bindparam(name, ids, type_=ARRAY(sa.String), unique=name is None))


def unnest_source(table: sa.Table, names: list[str], arrays: dict[str, list[Any]] | None = None) -> Any:
    """PostgreSQL: a derived table ``u`` of one ``unnest`` of one array per column (``names``, columns of
    ``table``), to INSERT … SELECT from; each array is parameter ``u_<column>``, bound here from ``arrays`` or,
    when None, at execution (a statement built once). JSON columns travel as text and are cast back."""
    json = _json_columns(table, names)

    def bind(n: str) -> Any:
        type_ = ARRAY(sa.Text if n in json else table.c[n].type)
        return sa.bindparam(f"u_{n}", type_=type_) if arrays is None else sa.bindparam(f"u_{n}", arrays[n],
                                                                                       type_=type_)
    derived = sa.func.unnest(*[bind(n) for n in names]).table_valued(*names).render_derived()
    return sa.select(*[sa.cast(derived.c[n], JSONB).label(n) if n in json else derived.c[n]
                       for n in names]).subquery("u")


def unnest_rows(table: sa.Table, rows: list[dict[str, Any]]) -> Any:
    """PostgreSQL: ``rows`` (dicts with the same keys, columns of ``table``) as one ``unnest`` of one array
    per column (``unnest_source``). One statement with a fixed text whatever the row count (asyncpg prepares it
    once), instead of one execution per row (SQLAlchemy's executemany). A Python None in a JSON column is JSON
    null, as SQLAlchemy's JSON type writes it."""
    names = list(rows[0])
    json = _json_columns(table, names)
    dumps = orjson.dumps
    return unnest_source(table, names, {n: [dumps(r[n]).decode() for r in rows] if n in json
                                        else [r[n] for r in rows] for n in names})


COPY_MIN = 50  # PostgreSQL: from this many rows on, insert_rows sends a COPY (fewer: one INSERT … unnest)


def count_statement() -> None:
    """Count one statement sent past SQLAlchemy (a COPY on the driver's connection) in the request's counter."""
    counter = _statement_counter.get()
    if counter is not None:
        counter[0] += 1


async def copy_rows(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: ``rows`` (same keys in each) sent with one binary ``COPY`` on the transaction's own asyncpg
    connection (inside its transaction: a rollback takes them back), counted as one statement. JSON values are
    encoded as the JSON type writes them (None as JSON null); asyncpg prepares its column-type lookup once per
    connection."""
    names = list(rows[0])
    json_names = _json_columns(table, names)
    json = [k for k, n in enumerate(names) if n in json_names]
    if json:
        dumps = orjson.dumps
        records = []
        for r in rows:
            record = list(r.values())
            for k in json:
                record[k] = dumps(record[k]).decode()
            records.append(record)
    else:
        records = [tuple(r.values()) for r in rows]
    raw = await conn.get_raw_connection()
    count_statement()
    await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)


async def insert_rows(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (same keys in each) in one statement on PostgreSQL (``copy_rows`` from ``COPY_MIN`` rows
    on, else ``unnest_rows``); SQLite runs SQLAlchemy's executemany (one prepared statement stepped per row inside
    the driver, no round trips)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql" or len(rows) == 1:
        await conn.execute(insert(table), rows)
        return
    if len(rows) >= COPY_MIN:
        await copy_rows(conn, table, rows)
        return
    source = unnest_rows(table, rows)
    await conn.execute(insert(table).from_select(list(rows[0]), sa.select(*source.c)))


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        common: dict[str, Any] = {"echo": echo, "json_serializer": _json_dumps, "json_deserializer": _json_loads}
        if self.is_sqlite:
            sqlite_file(url)
            common["connect_args"] = {"timeout": BUSY_TIMEOUT}
            self.engine = _on_sqlite(create_async_engine(url, **common, pool_size=8, max_overflow=8),
                                     SERVING_PRAGMAS, begin=None)
            self.write_engine = _on_sqlite(
                create_async_engine(url, **common, pool_size=1, max_overflow=0, pool_timeout=120),
                SERVING_PRAGMAS, begin="BEGIN IMMEDIATE")
            self.read_engine = self.engine
        else:
            self.engine = create_async_engine(url, **common, pool_size=10, max_overflow=10, pool_pre_ping=False)
            self.write_engine = self.engine
            self.read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        for eng in {id(e): e for e in (self.engine, self.write_engine)}.values():
            event.listen(eng.sync_engine, "before_cursor_execute", _on_statement)
            if self.is_sqlite:  # indexed metadata equality: the way that fits the value (graph/filterspec.py)
                event.listen(eng.sync_engine, "before_cursor_execute", choose_md_eq, retval=True)
        # called with each committed unit of work's events (set by the app: publish + trigger matching)
        self.on_commit: Callable[[list[OutboxEntry]], Awaitable[None]] | None = None

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": what the filter compilers and per-parent pages are written for."""
        return "sqlite" if self.is_sqlite else "postgresql"

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


def _on_sqlite(engine: AsyncEngine, pragmas: tuple[str, ...], begin: str | None) -> AsyncEngine:
    """Run ``pragmas`` on each new connection of ``engine``, and begin its transactions with ``begin`` (None:
    statements autocommit). The driver's own transaction handling is off: it would begin lazily, so two
    processes could both read a state that only one of them may then act on."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn) -> None:
        if begin:
            conn.exec_driver_sql(begin)

    return engine


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (its folder created), None for an in-memory database or another database."""
    path = url.split("///", 1)[1] if url.startswith("sqlite") and "///" in url else ""
    if not path or path == ":memory:":
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Path(path)


def null_pool_engine(url: str) -> AsyncEngine:
    """An engine for one-off maintenance (migrations, test set-up). On SQLite it switches the file to WAL (the
    serving engines then never change the journal mode: that change fails at once, without waiting, while
    another process holds a lock) and its transactions take the write lock as they begin (``BEGIN
    IMMEDIATE``). Foreign keys stay off: a migration may rebuild a table others point at."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, poolclass=NullPool)
    engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": MAINTENANCE_BUSY_TIMEOUT})
    return _on_sqlite(engine, ("PRAGMA journal_mode=WAL",), begin="BEGIN IMMEDIATE")


async def serialize_on_postgres(conn, key: int) -> None:
    """Hold the PostgreSQL advisory lock ``key`` until ``conn``'s transaction ends, so replicas starting together
    do one-time work (migrating, creating the first admin) one after another. SQLite needs nothing here: the write
    engine's and ``null_pool_engine``'s transactions begin with ``BEGIN IMMEDIATE``, which takes the file's write
    lock (waiting up to the busy timeout for another process to release it); see also migrations.upgrade."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
