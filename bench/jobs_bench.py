#!/usr/bin/env python3
"""Clone (issue 15, point 9, the clone part): copying 40,000 items with 200,000 annotations with
``data/service/copy.copy_rows`` (what the ``clone``/``merge`` jobs run: new ids computed in SQL, counters,
one outbox event per item) against the floor measured in the same run: the same rows copied with plain
``INSERT … SELECT`` (ids suffixed, nothing else). Each measurement runs in a transaction that is rolled back, so
rounds start from the same database. Uses the bench data of ``gen_data.py`` (all 20 datasets into one target).

    .venv/bin/python bench/gen_data.py --sqlite bench/.work/labelgraph.db      # once (~1 min)
    .venv/bin/python bench/jobs_bench.py --sqlite bench/.work/labelgraph.db [--pg postgresql://…/labelgraph_bench]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from labelgraph import auth  # noqa: F401  (db.SYSTEM)
from labelgraph.columns import utcnow
from labelgraph.data.models import Annotation, Dataset, Item
from labelgraph.data.service.copy import copy_rows
from labelgraph.db import Database, UnitOfWork, start_statement_count
from labelgraph.ids import new_id
from labelgraph.settings import normalize_database_url

ITEM, ANNOTATION, DATASET = Item.__table__, Annotation.__table__, Dataset.__table__


async def _target(conn) -> tuple[list[str], str, str]:
    sources = (await conn.execute(sa.select(DATASET.c.id).order_by(DATASET.c.id))).scalars().all()
    project = (await conn.execute(sa.select(DATASET.c.project_id).limit(1))).scalar()
    target, now = new_id("ds"), utcnow()
    await conn.execute(sa.insert(DATASET).values(id=target, project_id=project, name=f"bench clone {target}",
                                                 readonly=False, items_count=0, annotated_count=0, metadata={},
                                                 created_at=now, updated_at=now))
    return list(sources), target, project


async def copy_round(db: Database) -> tuple[float, int, int, int]:
    async with db.write_engine.connect() as conn:
        trans = await conn.begin()
        try:
            sources, target, project = await _target(conn)
            counter = start_statement_count()
            t0 = time.perf_counter()
            copied = await copy_rows(UnitOfWork(conn), source_ids=sources, target_id=target,
                                     target_project_id=project)
            took = time.perf_counter() - t0
            return took, copied.items, copied.annotations, counter[0]
        finally:
            await trans.rollback()


async def floor_round(db: Database) -> tuple[float, int, int]:
    async with db.write_engine.connect() as conn:
        trans = await conn.begin()
        try:
            sources, target, project = await _target(conn)
            t0 = time.perf_counter()
            icols = [c.name for c in ITEM.c if c.name not in ("id", "dataset_id")]
            items = (await conn.execute(sa.insert(ITEM).from_select(
                ["id", "dataset_id", *icols],
                sa.select(ITEM.c.id.concat("x"), sa.literal(target), *[ITEM.c[c] for c in icols])
                .where(ITEM.c.dataset_id.in_(sources))))).rowcount
            acols = [c.name for c in ANNOTATION.c if c.name not in ("id", "dataset_id", "item_id", "parent_id")]
            anns = (await conn.execute(sa.insert(ANNOTATION).from_select(
                ["id", "dataset_id", "item_id", "parent_id", *acols],
                sa.select(ANNOTATION.c.id.concat("x"), sa.literal(target), ANNOTATION.c.item_id.concat("x"),
                          ANNOTATION.c.parent_id.concat("x"), *[ANNOTATION.c[c] for c in acols])
                .where(ANNOTATION.c.dataset_id.in_(sources))))).rowcount
            return time.perf_counter() - t0, items, anns
        finally:
            await trans.rollback()


async def bench(url: str, rounds: int) -> list[str]:
    db = Database(normalize_database_url(url))
    rows = []
    try:
        for r in range(rounds):
            floor, fi, fa = await floor_round(db)
            took, items, anns, statements = await copy_round(db)
            assert (items, anns) == (fi, fa), (items, anns, fi, fa)
            rows.append(f"| {db.dialect} | {r + 1} | {items:,} | {anns:,} | {statements} | {took:.2f} s | "
                        f"{floor:.2f} s | {floor / took:.2f}× |")
            print(rows[-1], file=sys.stderr)
    finally:
        await db.dispose()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sqlite", type=Path, help="the SQLite file gen_data.py wrote")
    ap.add_argument("--pg", help="the PostgreSQL database gen_data.py loaded")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not (args.sqlite or args.pg):
        ap.error("give --sqlite and/or --pg")
    out = ["| database | round | items | annotations | statements | copy_rows | floor (INSERT … SELECT) | "
           "copy vs floor (floor time / copy time) |", "|---|---|---|---|---|---|---|---|"]
    if args.sqlite:
        out += asyncio.run(bench(f"sqlite:///{args.sqlite}", args.rounds))
    if args.pg:
        out += asyncio.run(bench(args.pg, args.rounds))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
