#!/usr/bin/env python3
"""The outbox's database cost per 1,000 events (issue 16.9, branch bulk5): writing events as a bulk write does
(``UnitOfWork.emit_many`` + ``flush_events``: one statement) and marking them published as the dispatcher does
after commit (``OutboxDispatcher._mark``), measured as CPU of the PostgreSQL backends serving a fresh database
(``/proc/PID/stat``, clock ticks of 10 ms: read it over many events). Run it with one tree's server on PYTHONPATH,
then another's, alternated (``bench/outbox.sh``):

    PYTHONPATH=server .venv/bin/python bench/outbox_bench.py --label new --batches 20 [--sqlite]

On SQLite (``--sqlite``) the CPU is this process's (SQLite runs in it), the write and the mark timed apart.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time

import asyncpg
from pg_cpu import backends_cpu

import labelgraph.auth  # noqa: F401  (the unit of work needs auth.SYSTEM)
from labelgraph.db import Database
from labelgraph.events.broker import MemoryBroker
from labelgraph.events.outbox import OutboxDispatcher
from labelgraph.migrations import upgrade
from labelgraph.settings import normalize_database_url

DB = os.environ.get("LG_OUTBOX_DB", "labelgraph_bulk5_outbox")


def db_cpu() -> float:
    return backends_cpu(DB)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="")
    ap.add_argument("--batches", type=int, default=20, help="bulk writes of --size events")
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--sqlite", action="store_true", help="SQLite: the CPU of this process (SQLite runs in it)")
    args = ap.parse_args()
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='lgob')}/outbox.db"
        clock = time.process_time
    else:
        base = os.environ.get("LG_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
        admin = await asyncpg.connect(base)
        await admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DB}")
        await admin.close()
        url = base.rsplit("/", 1)[0] + "/" + DB
        clock = db_cpu
    await upgrade(url)
    db = Database(normalize_database_url(url))
    dispatcher = OutboxDispatcher(db, MemoryBroker())
    write = mark = 0.0
    cpu = time.process_time()
    try:
        for b in range(args.batches):
            c0 = clock()
            async with db.transaction() as uow:
                uow.emit_many("item", "created", [(f"itm_{b}_{i}", "prj_bench", {
                    "id": f"itm_{b}_{i}", "name": f"{i:05d}.jpg", "dir": "/bulk", "metadata": {"user": {"i": i}},
                    "annotated": False, "hidden": False, "type": "file"}) for i in range(args.size)])
                events = uow.events
            c1 = clock()
            dispatcher._published = [e.id for e in events]
            await dispatcher._mark()
            c2 = clock()
            write += c1 - c0
            mark += c2 - c1
    finally:
        await db.dispose()
    n = args.batches * args.size / 1000
    where = "SQLite, this process" if args.sqlite else "PostgreSQL backends"
    print(f"{args.label}: {where}' CPU ms per 1,000 events: write {write * 1e3 / n:.1f}, "
          f"mark published {mark * 1e3 / n:.1f}, both {(write + mark) * 1e3 / n:.1f}; "
          f"this process {(time.process_time() - cpu) * 1e3 / n:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
