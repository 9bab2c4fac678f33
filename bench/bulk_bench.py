#!/usr/bin/env python3
"""Issue 16.9: bulk creation through the generated client, against the driver's floor in the same run.

    .venv/bin/python bench/bulk_bench.py --calls 10 --rounds 3          # PostgreSQL (LG_PG_DSN) and SQLite
    .venv/bin/python bench/bulk_bench.py --only pg --profile prof.txt   # + pyinstrument of one annotationsCreate
    .venv/bin/python bench/bulk_bench.py --serve --concurrency 4        # `labelgraph serve` + HTTP, 4 calls in flight
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
collector's thresholds are the server's).

``--serve``: the app runs as a ``labelgraph serve`` process of its own (as a user runs it) and the client calls
it over HTTP on loopback; the table then splits the CPU per 1,000 rows into the client (this process), the
``serve`` process (``/proc/PID/stat``: server and its background tasks, SQLite included) and PostgreSQL's
backends. ``--concurrency N``: N calls in flight at once (both modes; rows/s is then the rate N callers
sustain). ``--profile FILE`` writes a pyinstrument
text profile (cProfile without it) of one more 1,000-annotation call (client included) to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from pg_cpu import TICK, backends_cpu

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


CONCURRENCY = {"n": 1}  # calls in flight (--concurrency)
SERVER: dict[str, Any] = {"pid": None}  # the `labelgraph serve` process (--serve), None: the app in this process


def server_cpu() -> float:
    """CPU seconds used so far by the served app's process (--serve), 0 in-process."""
    pid = SERVER["pid"]
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def in_flight(calls: list[Any]) -> list[Any]:
    """Await the coroutines ``calls`` with at most ``--concurrency`` of them running at once; their results, in
    order."""
    gate = asyncio.Semaphore(CONCURRENCY["n"])

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


def measured(results: dict, key: str, rows: int, t0: float, cpu0: float, db0: float, srv0: float) -> None:
    """rows/s, and CPU ms per 1,000 rows of this process, of the database's backends (PostgreSQL) and of the
    served app (--serve) since the readings ``cpu0``, ``db0``, ``srv0``."""
    results.setdefault(key, []).append(rows / (time.perf_counter() - t0))
    results.setdefault(f"{key}_cpu_ms", []).append((time.process_time() - cpu0) * 1e6 / rows)
    if DB_CPU["on"]:
        results.setdefault(f"{key}_db_cpu_ms", []).append((db_cpu() - db0) * 1e6 / rows)
    if SERVER["pid"] is not None:
        results.setdefault(f"{key}_server_cpu_ms", []).append((server_cpu() - srv0) * 1e6 / rows)


async def timed_items(results: dict, key: str, create: Any, ds: str, batches: list) -> list[str]:
    t0, cpu0, db0, srv0 = time.perf_counter(), time.process_time(), db_cpu(), server_cpu()
    answers = await in_flight([create(ds, batch) for batch in batches])
    measured(results, key, sum(len(b) for b in batches), t0, cpu0, db0, srv0)
    ids: list[str] = []
    for res in answers:
        assert not res.errors, res.errors
        ids += [i.id for i in res.items]
    return ids


async def timed_annotations(results: dict, key: str, create: Any, ids: list[str], calls: int) -> None:
    from labelgraph_client.input_types import AnnotationCreateInput

    batches = [[AnnotationCreateInput(item_id=ids[c * 1000 + i], type="BOX", label=LABELS[i % 20], coordinates=BOX)
                for i in range(1000)] for c in range(calls)]
    t0, cpu0, db0, srv0 = time.perf_counter(), time.process_time(), db_cpu(), server_cpu()
    answers = await in_flight([create(batch) for batch in batches])
    measured(results, key, calls * 1000, t0, cpu0, db0, srv0)
    for res in answers:
        assert not res.errors, res.errors
        assert len(res.annotations) == 1000


@contextlib.asynccontextmanager
async def served(url: str, settings: Settings, serve: bool) -> AsyncIterator[tuple[str, Any]]:
    """The app, as (base URL, httpx transport): in this process (ASGI transport) or, with ``serve``, as a
    ``labelgraph serve`` process of its own on a free port (real HTTP on loopback; its pid in SERVER)."""
    if not serve:
        app = create_app(settings, migrate=False)
        async with app.router.lifespan_context(app):
            yield "http://bench.test", httpx.ASGITransport(app=app)
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    env.update(LABELGRAPH_ADMIN_TOKEN=TOKEN, LABELGRAPH_RATE_LIMIT="0", LABELGRAPH_LOG_LEVEL="warning")
    log_file = settings.data_dir / "serve.log"
    with log_file.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "labelgraph.cli", "serve", "--port", str(port), "--data-dir",
                                 str(settings.data_dir), "--database-url", url, "--no-migrate"],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(600):
                if proc.poll() is not None:
                    raise SystemExit(log_file.read_text())
                with contextlib.suppress(httpx.HTTPError):
                    if (await probe.get(f"{base}/healthz", timeout=1)).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit(log_file.read_text())
        SERVER["pid"] = proc.pid
        yield base, None
    finally:
        SERVER["pid"] = None
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


async def run_db(url: str, calls: int, rounds: int, profile: str | None, serve: bool = False) -> dict[str, Any]:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    pg = kind == "PostgreSQL"
    await upgrade(url)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="lgbb")), database_url=url, admin_token=TOKEN,
                        rate_limit=0, freeze_gc=True)
    from labelgraph_client import Client
    from labelgraph_client.input_types import AnnotationCreateInput, ItemCreateInput

    results: dict[str, list[float]] = {}
    DB_CPU["on"] = pg
    async with served(url, settings, serve) as (base, transport):  # noqa: SIM117 (the client needs base)
        async with httpx.AsyncClient(transport=transport, base_url=base, timeout=600) as http:
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
            async with Client(f"{base}/graphql", TOKEN, transport=transport, timeout=600) as client:
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
    return {"db": kind, "calls": calls, "mode": "serve" if serve else "in-process",
            "concurrency": CONCURRENCY["n"], **results}


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=10, help="calls of 1,000 rows per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=["pg", "sqlite"])
    ap.add_argument("--profile", help="write a pyinstrument profile of one annotationsCreate here")
    ap.add_argument("--label", default="", help="a name for this tree in the output")
    ap.add_argument("--json", help="append the results as one JSON line to this file")
    ap.add_argument("--serve", action="store_true", help="run the app as a `labelgraph serve` process of its own "
                    "and call it over HTTP on loopback (default: in this process, ASGI transport)")
    ap.add_argument("--concurrency", type=int, default=1, help="calls in flight at once (default 1)")
    args = ap.parse_args()
    CONCURRENCY["n"] = args.concurrency
    pg = os.environ.get("LG_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
    reports = []
    if args.only != "sqlite":
        admin = await asyncpg.connect(pg)
        await admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        await admin.execute(f"CREATE DATABASE {DB_NAME}")
        await admin.close()
        url = pg.rsplit("/", 1)[0] + "/" + DB_NAME
        reports.append(await run_db(url, args.calls, args.rounds, args.profile, args.serve))
    if args.only != "pg":
        path = Path(tempfile.mkdtemp(prefix="lgbb")) / "bench.db"
        reports.append(await run_db(f"sqlite:///{path}", args.calls, args.rounds,
                                    args.profile + ".sqlite" if args.profile else None, args.serve))
    mode = "`labelgraph serve` over HTTP" if args.serve else "in-process (ASGI)"
    print(f"\n{args.label} — {mode}, {args.concurrency} call(s) in flight; {args.rounds} rounds × {args.calls} calls "
          "× 1,000 rows; medians (rows/s); *ids*: the id-only operations (create_item_ids / create_annotation_ids)\n")
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
        who = "this process: the client" if args.serve else "this process: client + server + background tasks"
        print(f"| {r['db']} CPU ms per 1,000 rows ({who}) | "
              + " | ".join(f"{med[k]:.0f}" if k in med else "–" for k in (
                  "items_cpu_ms", "annotations_cpu_ms", "items_ids_cpu_ms", "annotations_ids_cpu_ms"))
              + " | | | | | | |")
        if "items_server_cpu_ms" in med:
            print(f"| {r['db']} CPU ms per 1,000 rows of the `serve` process (server + background tasks"
                  f"{'' if r['db'] == 'PostgreSQL' else ' + SQLite'}) | "
                  + " | ".join(f"{med[k]:.0f}" if k in med else "–" for k in (
                      "items_server_cpu_ms", "annotations_server_cpu_ms", "items_ids_server_cpu_ms",
                      "annotations_ids_server_cpu_ms")) + " | | | | | | |")
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
