#!/usr/bin/env python3
"""Issue 16.9: where PostgreSQL's CPU goes, statement by statement, in itemsCreate / annotationsCreate (a
pg_stat_statements of our own: that extension is not loaded on the bench machine).

    .venv/bin/python bench/bulk_statements.py --calls 10          # LG_PG_DSN, LG_BULK_DB (default bulkdb_stmts)

The app runs in this process as bench/bulk_bench.py runs it (a fresh database, a recipe of 20 labels). Every
statement sent on the app's engine (the calls, the dispatcher marking events published, trigger matching) and
every COPY (``db.copy_rows``) is timed by the CPU its backend spent on it: ``/proc/<backend>/schedstat`` (time on
a CPU, in ns) read before and after. Commits are counted as "COMMIT". Per operation, a table of statements by
backend CPU per 1,000 rows, summed over ``--calls`` calls of 1,000 rows (background work included while it runs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import event

import labelgraph.db as lgdb
from labelgraph.app import create_app
from labelgraph.migrations import upgrade
from labelgraph.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))
from bulk_bench import BOX, LABELS, TOKEN, gql  # noqa: E402
from pg_cpu import pg_backends  # noqa: E402

STATS: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])  # statement → [ns, count]


def on_cpu(pid: int) -> int:
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def key_of(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    sql = re.sub(r"\$\d+(::[A-Z0-9_\[\]]+)?", "?", sql)
    return sql[:110]


def instrument(app_db: lgdb.Database, explain_ms: int | None) -> None:
    eng = app_db.write_engine.sync_engine
    if explain_ms is not None:  # auto_explain into PostgreSQL's log, for the app's connections opened from now on
        @event.listens_for(eng, "connect")
        def _explain(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            for sql in ("LOAD 'auto_explain'", f"SET auto_explain.log_min_duration = {int(explain_ms)}",
                        "SET auto_explain.log_analyze = on", "SET auto_explain.log_buffers = on",
                        "SET auto_explain.log_nested_statements = on"):
                cur.execute(sql)
            cur.close()
        app_db.write_engine.sync_engine.pool.dispose()

    @event.listens_for(eng, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        pid = conn.connection.driver_connection.get_server_pid()
        context._lg_cpu = (pid, on_cpu(pid))

    @event.listens_for(eng, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        pid, t0 = context._lg_cpu
        s = STATS[key_of(statement)]
        s[0] += on_cpu(pid) - t0
        s[1] += 1

    original_copy = lgdb.copy_rows

    async def copy_rows(conn, table, rows) -> None:
        raw = await conn.get_raw_connection()
        pid = raw.driver_connection.get_server_pid()
        t0 = on_cpu(pid)
        await original_copy(conn, table, rows)
        s = STATS[f"COPY {table.name}"]
        s[0] += on_cpu(pid) - t0
        s[1] += 1

    lgdb.copy_rows = copy_rows


def backends_ns(database: str) -> int:
    """ns on a CPU so far of the backends connected to ``database``."""
    total = 0
    for pid in pg_backends(database):
        with contextlib.suppress(OSError):  # gone since
            total += on_cpu(pid)
    return total


def instrument_sqlite() -> None:
    """SQLite runs in aiosqlite's thread, one per connection: each call the driver makes there (execute,
    executemany, commit) timed by that thread's CPU."""
    import aiosqlite.core

    original = aiosqlite.core.Connection._execute

    async def _execute(self, fn, *args, **kwargs):
        what = args[0] if args and isinstance(args[0], str) else getattr(fn, "__name__", "?").upper()
        name = ("executemany " if getattr(fn, "__name__", "") == "executemany" else "") + what

        def timed(*a, **k):
            t0 = time.thread_time_ns()
            try:
                return fn(*a, **k)
            finally:
                s = STATS[key_of(name)]
                s[0] += time.thread_time_ns() - t0
                s[1] += 1

        return await original(self, timed, *args, **kwargs)

    aiosqlite.core.Connection._execute = _execute


def report(title: str, rows: int, all_ns: int | None) -> None:
    total = sum(v[0] for v in STATS.values())
    if all_ns is not None:
        STATS["(the rest: commits, other connections)"] = [all_ns - total, 0]
        total = all_ns
    where = "backend" if all_ns is not None else "SQLite (aiosqlite threads)"
    print(f"\n### {title}: {where} CPU ms per 1,000 rows (total {total / 1e6 * 1000 / rows:.1f})\n")
    print("| statement | ms / 1,000 rows | executions |\n|---|---|---|")
    for k, (ns, n) in sorted(STATS.items(), key=lambda kv: -kv[1][0]):
        if ns * 1000 / rows / 1e6 >= 0.05:
            print(f"| `{k}` | {ns / 1e6 * 1000 / rows:.1f} | {n} |")
    STATS.clear()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--explain", type=int, metavar="MS", help="auto_explain (ANALYZE, BUFFERS) of the app's "
                    "statements taking MS ms or more, into PostgreSQL's log")
    ap.add_argument("--sqlite", action="store_true", help="SQLite (a file in a temporary folder) instead")
    args = ap.parse_args()
    pg = os.environ.get("LG_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = os.environ.get("LG_BULK_DB", "bulkdb_stmts")
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='lgbs')}/bench.db"
        instrument_sqlite()
    else:
        admin = await asyncpg.connect(pg)
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {name}")
        await admin.close()
        url = pg.rsplit("/", 1)[0] + "/" + name
    await upgrade(url)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="lgbs")), database_url=url, admin_token=TOKEN,
                        rate_limit=0, freeze_gc=True)
    from labelgraph_client import Client
    from labelgraph_client.input_types import AnnotationCreateInput, ItemCreateInput

    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app):
        if not args.sqlite:
            instrument(app.state.labelgraph["db"], args.explain)
        backends = (lambda: None) if args.sqlite else (lambda: backends_ns(name))  # noqa: E731
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b.test", timeout=600) as http:
            org = (await gql(http, 'mutation { organizationCreate(input: {name: "B"}) { organization { id } } }'))
            p = await gql(http, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"}) '
                                '{ project { id } } }', {"o": org["organizationCreate"]["organization"]["id"]})
            project_id = p["projectCreate"]["project"]["id"]
            r = await gql(http, 'mutation($p: ID!, $l: [LabelInput!]) { recipeCreate(input: {projectId: $p, '
                                'title: "R", labels: $l}) { recipe { id } } }',
                          {"p": project_id, "l": [{"tag": t} for t in LABELS]})
            d = await gql(http, 'mutation($p: ID!, $r: ID) { datasetCreate(input: {projectId: $p, name: "d", '
                                'recipeId: $r}) { dataset { id } } }',
                          {"p": project_id, "r": r["recipeCreate"]["recipe"]["id"]})
            ds = d["datasetCreate"]["dataset"]["id"]
            async with Client("http://b.test/graphql", TOKEN, transport=transport) as client:
                res = await client.create_items(ds, [ItemCreateInput(name=f"warm{i}.jpg") for i in range(10)])
                await client.create_annotations([AnnotationCreateInput(item_id=it.id, type="BOX", label=LABELS[0],
                                                                       coordinates=BOX) for it in res.items])
                await asyncio.sleep(1.5)
                STATS.clear()
                t0 = backends()
                ids: list[str] = []
                for c in range(args.calls):
                    res = await client.create_items(ds, [ItemCreateInput(name=f"{c:03d}-{i:04d}.jpg", dir="/bulk",
                                                                         metadata={"score": i, "split": "train"})
                                                         for i in range(1000)])
                    ids += [it.id for it in res.items]
                await asyncio.sleep(1.5)  # the dispatcher's marking and the matcher, counted with the calls
                report("itemsCreate", len(ids), None if t0 is None else backends() - t0)
                t0 = backends()
                for c in range(args.calls):
                    res = await client.create_annotations([
                        AnnotationCreateInput(item_id=ids[c * 1000 + i], type="BOX", label=LABELS[i % 20],
                                              coordinates=BOX) for i in range(1000)])
                    assert not res.errors, res.errors
                await asyncio.sleep(1.5)
                report("annotationsCreate", len(ids), None if t0 is None else backends() - t0)


if __name__ == "__main__":
    asyncio.run(main())
