#!/usr/bin/env python3
"""Issue 16.9: bulk creation through the generated client, against the driver's floor in the same run.

    .venv/bin/python bench/bulk_bench.py --calls 10 --rounds 3          # PostgreSQL (LG_PG_DSN) and SQLite
    .venv/bin/python bench/bulk_bench.py --only pg --profile prof.txt   # + pyinstrument of one annotationsCreate
    bash bench/bulk.sh <base-commit>                                    # before/after: both trees, one run

Per database: a fresh database (PostgreSQL ``labelgraph_bulk_bench`` or ``$LG_BULK_DB``, dropped and created; SQLite
a file in a temporary directory), migrated; an organization, a project, a recipe of 20 labels and a dataset using
it, through the API. Per round (rounds interleave labelgraph and the floor):

* ``itemsCreate``: ``--calls`` calls of 1,000 items (name, dir, metadata) through ``labelgraph_client.Client``
  (ASGI transport, in-process: the client's serialization, HTTP, GraphQL, the service, the database, the
  response and its parsing), into a dataset of its own;
* ``annotationsCreate``: ``--calls`` calls of 1,000 boxes on those items, labels from the recipe (so every
  annotation is checked against it);
* the **floor**: the same number of item rows, then of annotation rows, written by the bare driver in one
  ``COPY`` (asyncpg ``copy_records_to_table``) on PostgreSQL / one ``executemany`` on SQLite, one transaction.

Prints rows/s for each and the ratio to the floor (labelgraph / floor), and the CPU time of this process per
1,000 rows (``time.process_time``: client, server and the app's background tasks — all in this process — which
the machine's load distorts much less than the wall clock); on PostgreSQL also the CPU time of the database's
backends serving the bench database (``/proc/PID/stat`` of every ``postgres: … labelgraph_bulk_bench`` process,
in clock ticks of 10 ms: read it over several calls). The app runs as ``labelgraph serve`` runs it
(``freeze_gc``: what the imports and the start built is frozen out of the cycle collector's sight, and the
collector's thresholds are the server's). ``--profile FILE`` writes a pyinstrument
text profile (cProfile without it) of one more 1,000-annotation call (client included) to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from pg_cpu import backends_cpu

from labelgraph.app import create_app
from labelgraph.migrations import upgrade
from labelgraph.settings import Settings

TOKEN = "lg_bench-bulk-admin-token-0123456789abcdefghijklmn"
LABELS = [f"label{i:02d}" for i in range(20)]
ITEM_COLUMNS = ("id", "project_id", "dataset_id", "name", "dir", "filename", "type", "hidden", "metadata",
                "annotated", "annotations_count", "created_at", "updated_at")
ANN_COLUMNS = ("id", "project_id", "dataset_id", "item_id", "type", "label", "coordinates", "automated", "metadata",
               "created_at", "updated_at")
BOX = [{"x": 1, "y": 2}, {"x": 30, "y": 40}]


DB_NAME = os.environ.get("LG_BULK_DB", "labelgraph_bulk_bench")  # the PostgreSQL database (dropped, created)
DB_CPU = {"on": False}  # measure the database's backends (PostgreSQL)
FLOOR_DB_CPU: dict[str, list[float]] = {}  # table -> CPU ms per 1,000 rows of the database's backends, COPY


def db_cpu() -> float:
    """Seconds of CPU used so far by the PostgreSQL backends connected to the bench database."""
    return backends_cpu(DB_NAME)


def log(*a: Any) -> None:
    print(*a, file=sys.stderr, flush=True)


async def gql(http: httpx.AsyncClient, query: str, variables: dict | None = None) -> dict:
    r = await http.post("/graphql", json={"query": query, "variables": variables or {}},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def write_rows(url: str, table: str, columns: tuple[str, ...], rows: list[tuple]) -> float:
    """``rows`` written by the driver's fastest path in one transaction; seconds taken (connecting excluded)."""
    if url.startswith("postgresql"):
        conn = await asyncpg.connect(url)
        try:
            db0 = db_cpu()
            t0 = time.perf_counter()
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            took = time.perf_counter() - t0
            FLOOR_DB_CPU.setdefault(table, []).append((db_cpu() - db0) * 1e3 * 1000 / len(rows))
            return took
        finally:
            await conn.close()

    def sqlite_floor() -> float:  # in a thread: the app's background writers (trigger matching) keep running
        db = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=120)
        try:
            values = [tuple(v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v for v in r)
                      for r in rows]
            db.execute("BEGIN IMMEDIATE")  # wait for the write lock before timing
            t0 = time.perf_counter()
            db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                           values)
            db.commit()
            return time.perf_counter() - t0
        finally:
            db.close()

    return await asyncio.to_thread(sqlite_floor)


def floor_rows(tag: str, n: int, project_id: str, dataset_id: str, pg: bool) -> tuple[list[tuple], list[tuple]]:
    """Item and annotation rows like the ones the API writes (ids, JSON, timestamps), built before timing."""
    now = datetime.now(UTC)

    def js(v: Any) -> str:
        return orjson.dumps(v).decode()

    items, anns = [], []
    for i in range(n):
        name = f"{i:05d}.jpg"
        item_id = f"itm_floor{tag}{i:07d}"
        items.append((item_id, project_id, dataset_id, name, f"/floor{tag}", f"/floor{tag}/{name}", "file", False,
                      js({"system": {}, "user": {"score": i, "split": "train"}}), False, 0, now, now))
        anns.append((f"ann_floor{tag}{i:07d}", project_id, dataset_id, item_id, "box", LABELS[i % 20], js(BOX),
                     False, js({"system": {}, "user": {}}), now, now))
    return items, anns


async def profiled(call: Any, out: str) -> Any:
    """Await ``call`` under pyinstrument (if installed: ``pip install pyinstrument``) or cProfile; the report to
    ``out``."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        result = await call
        prof.disable()
        text = io.StringIO()
        pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(80)
        pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(60)
        Path(out).write_text(text.getvalue())
        return result
    profiler = Profiler(interval=0.0005, async_mode="enabled")
    profiler.start()
    result = await call
    profiler.stop()
    Path(out).write_text(profiler.output_text(unicode=True, show_all=False))
    return result


async def timed_items(results: dict, key: str, create: Any, ds: str, batches: list) -> list[str]:
    ids: list[str] = []
    t0, cpu0, db0 = time.perf_counter(), time.process_time(), db_cpu()
    for batch in batches:
        res = await create(ds, batch)
        assert not res.errors, res.errors
        ids += [i.id for i in res.items]
    results.setdefault(key, []).append(len(ids) / (time.perf_counter() - t0))
    results.setdefault(f"{key}_cpu_ms", []).append((time.process_time() - cpu0) * 1e6 / len(ids))
    if db0 is not None and DB_CPU["on"]:
        results.setdefault(f"{key}_db_cpu_ms", []).append((db_cpu() - db0) * 1e6 / len(ids))
    return ids


async def timed_annotations(results: dict, key: str, create: Any, ids: list[str], calls: int) -> None:
    from labelgraph_client.input_types import AnnotationCreateInput

    batches = [[AnnotationCreateInput(item_id=ids[c * 1000 + i], type="BOX", label=LABELS[i % 20], coordinates=BOX)
                for i in range(1000)] for c in range(calls)]
    t0, cpu0, db0 = time.perf_counter(), time.process_time(), db_cpu()
    for batch in batches:
        res = await create(batch)
        assert not res.errors, res.errors
        assert len(res.annotations) == 1000
    results.setdefault(key, []).append(calls * 1000 / (time.perf_counter() - t0))
    results.setdefault(f"{key}_cpu_ms", []).append((time.process_time() - cpu0) * 1e3 / calls)
    if db0 is not None and DB_CPU["on"]:
        results.setdefault(f"{key}_db_cpu_ms", []).append((db_cpu() - db0) * 1e3 / calls)


async def run_db(url: str, calls: int, rounds: int, profile: str | None) -> dict[str, Any]:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    pg = kind == "PostgreSQL"
    await upgrade(url)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="lgbb")), database_url=url, admin_token=TOKEN,
                        rate_limit=0, freeze_gc=True)
    from labelgraph_client import Client
    from labelgraph_client.input_types import AnnotationCreateInput, ItemCreateInput

    results: dict[str, list[float]] = {}
    DB_CPU["on"] = pg
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=600) as http:
            org = (await gql(http, 'mutation { organizationCreate(input: {name: "B"}) { organization { id } } }'))
            org_id = org["organizationCreate"]["organization"]["id"]
            p = await gql(http, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"}) '
                                '{ project { id } } }', {"o": org_id})
            project_id = p["projectCreate"]["project"]["id"]
            r = await gql(http, 'mutation($p: ID!, $l: [LabelInput!]) { recipeCreate(input: {projectId: $p, '
                                'title: "R", labels: $l}) { recipe { id } errors { message } } }',
                          {"p": project_id, "l": [{"tag": t} for t in LABELS]})
            recipe_id = r["recipeCreate"]["recipe"]["id"]

            async def dataset(name: str) -> str:
                d = await gql(http, 'mutation($p: ID!, $n: String!, $r: ID) { datasetCreate(input: {projectId: $p, '
                                    'name: $n, recipeId: $r}) { dataset { id } } }',
                              {"p": project_id, "n": name, "r": recipe_id})
                return d["datasetCreate"]["dataset"]["id"]

            floor_ds = await dataset("floor")
            async with Client("http://bench.test/graphql", TOKEN, transport=transport) as client:
                # warm-up, not timed: one call of 10 rows of each operation (first-use costs: prepared statements,
                # the executor's plans, the client's response models), so a round measures the steady state
                warm = await dataset("warm-up")
                for create_items, create_annotations in (
                        (client.create_items, client.create_annotations),
                        (getattr(client, "create_item_ids", None), getattr(client, "create_annotation_ids", None))):
                    if create_items is None:
                        continue
                    res = await create_items(warm, [ItemCreateInput(name=f"{create_items.__name__}-{i}.jpg")
                                                    for i in range(10)])
                    await create_annotations([AnnotationCreateInput(item_id=it.id, type="BOX", label=LABELS[0],
                                                                    coordinates=BOX) for it in res.items])
                for rnd in range(rounds):
                    ds = await dataset(f"bulk{rnd}")
                    batches = [[ItemCreateInput(name=f"{c:03d}-{i:04d}.jpg", dir="/bulk",
                                                metadata={"score": i, "split": "train"}) for i in range(1000)]
                               for c in range(calls)]
                    ids = await timed_items(results, "items", client.create_items, ds, batches)
                    await timed_annotations(results, "annotations", client.create_annotations, ids, calls)
                    if hasattr(client, "create_item_ids"):  # the id-only operations (16.9)
                        ds = await dataset(f"bulk-ids{rnd}")
                        ids = await timed_items(results, "items_ids", client.create_item_ids, ds, batches)
                        await timed_annotations(results, "annotations_ids", client.create_annotation_ids, ids, calls)
                    # the floor, while the app runs (PostgreSQL: another connection; SQLite: the app's writer is
                    # idle between requests, so the file's write lock is free)
                    items, anns = floor_rows(str(rnd), calls * 1000, project_id, floor_ds, pg)
                    results.setdefault("floor_items", []).append(
                        len(items) / await write_rows(url, "item", ITEM_COLUMNS, items))
                    results.setdefault("floor_annotations", []).append(
                        len(anns) / await write_rows(url, "annotation", ANN_COLUMNS, anns))
                    for table, key in (("item", "floor_items"), ("annotation", "floor_annotations")):
                        if FLOOR_DB_CPU.get(table):
                            results.setdefault(f"{key}_db_cpu_ms", []).append(FLOOR_DB_CPU[table].pop())
                    log(f"{kind} round {rnd + 1}: " + ", ".join(f"{k} {v[-1]:,.0f}{'' if k.endswith('_ms') else '/s'}"
                                                             for k, v in results.items()))
                if profile:
                    ds = await dataset("profile")
                    res = await client.create_items(ds, [ItemCreateInput(name=f"{i:04d}.jpg") for i in range(1000)])
                    batch = [AnnotationCreateInput(item_id=it.id, type="BOX", label=LABELS[i % 20], coordinates=BOX)
                             for i, it in enumerate(res.items)]
                    res = await profiled(client.create_annotations(batch), profile)
                    assert not res.errors
                    log(f"{kind}: profile written to {profile}")
    return {"db": kind, "calls": calls, **results}


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=10, help="calls of 1,000 rows per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=["pg", "sqlite"])
    ap.add_argument("--profile", help="write a pyinstrument profile of one annotationsCreate here")
    ap.add_argument("--label", default="", help="a name for this tree in the output")
    ap.add_argument("--json", help="append the results as one JSON line to this file")
    args = ap.parse_args()
    pg = os.environ.get("LG_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
    reports = []
    if args.only != "sqlite":
        admin = await asyncpg.connect(pg)
        await admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DB_NAME}")
        await admin.close()
        url = pg.rsplit("/", 1)[0] + "/" + DB_NAME
        reports.append(await run_db(url, args.calls, args.rounds, args.profile))
    if args.only != "pg":
        path = Path(tempfile.mkdtemp(prefix="lgbb")) / "bench.db"
        reports.append(await run_db(f"sqlite:///{path}", args.calls, args.rounds,
                                    args.profile + ".sqlite" if args.profile else None))
    print(f"\n{args.label} — {args.rounds} rounds × {args.calls} calls × 1,000 rows; medians (rows/s); "
          "*ids*: the id-only operations (create_item_ids / create_annotation_ids)\n")
    print("| database | itemsCreate | annotationsCreate | itemsCreate ids | annotationsCreate ids | floor items "
          "| floor annotations | items / floor | annotations / floor | ids: items / floor | ids: annotations / floor |"
          "\n|---|---|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        med = {k: statistics.median(v) for k, v in r.items() if isinstance(v, list)}
        fi, fa = med["floor_items"], med["floor_annotations"]

        def cell(key: str, floor: float | None = None, med: dict = med) -> str:
            if key not in med:
                return "–"
            return f"{med[key] / floor:.2f}×" if floor else f"{med[key]:,.0f}"

        print(f"| {r['db']} | {cell('items')} | {cell('annotations')} | {cell('items_ids')} | "
              f"{cell('annotations_ids')} | {fi:,.0f} | {fa:,.0f} | {cell('items', fi)} | {cell('annotations', fa)} | "
              f"{cell('items_ids', fi)} | {cell('annotations_ids', fa)} |")
        print(f"| {r['db']} CPU ms per 1,000 rows (this process: client + server + background tasks) | "
              + " | ".join(f"{med[k]:.0f}" if k in med else "–" for k in (
                  "items_cpu_ms", "annotations_cpu_ms", "items_ids_cpu_ms", "annotations_ids_cpu_ms"))
              + " | | | | | | |")
        if "items_db_cpu_ms" in med:
            print(f"| {r['db']} CPU ms per 1,000 rows of the database's backends | "
                  + " | ".join(f"{med[k]:.0f}" if k in med else "–" for k in (
                      "items_db_cpu_ms", "annotations_db_cpu_ms", "items_ids_db_cpu_ms",
                      "annotations_ids_db_cpu_ms", "floor_items_db_cpu_ms", "floor_annotations_db_cpu_ms"))
                  + " | | | | |")
        if args.json:
            with open(args.json, "a") as f:
                f.write(orjson.dumps({"label": args.label, **r}).decode() + "\n")


if __name__ == "__main__":
    asyncio.run(main())
