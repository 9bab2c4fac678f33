#!/usr/bin/env python3
"""Issue 16.7 and 16.9 on big data: metadata filters and metadata sort on one large dataset, and bulk creation,
each against a raw floor measured in the same run.

    .venv/bin/python bench/filters_bench.py --items 100000            # PostgreSQL (LG_PG_DSN) and SQLite
    .venv/bin/python bench/filters_bench.py --items 100000 --only pg  # one database

Per database: a fresh database (PostgreSQL ``labelgraph_filters_bench``, dropped and created; SQLite a file in
a temporary directory), migrated; one organization/project/dataset through the API; ``--items`` items loaded
straight into the table (COPY / executemany) with ``metadata.user`` = ``{"score": <int 0..9999>, "split":
train|val|test, "tags": [two of 20 words]}``; ``datasetIndexCreate`` on ``user.score`` and ``user.split``
(ANALYZE after). Then, through the app in-process (httpx ASGI transport: GraphQL parsing, authorization,
resolvers, JSON; no network), ``--repeat`` times each, p50 and p90 in ms:

* ``plain``: first 50 by creation, no filter (the stack's own cost around any page)
* ``eq-rare``: ``filter: {metadata: [{path: "user.score", eq: 4242}]}``, first 50 (≈ items/10,000 match)
* ``eq-common``: ``{path: "user.split", eq: "val"}``, first 50 (a third match)
* ``sort-first`` / ``sort-page3``: ``orderBy: [{metadata: "user.score", direction: DESC}]``, first 50, then the
  third page through the cursors
* each with its **floor**: the same rows selected by hand-written SQL through the driver (asyncpg / sqlite3).

The EXPLAIN of labelgraph's statements is printed. Bulk creation (16.9): ``--bulk-calls`` calls of
``itemsCreate`` (1,000 items each) and of ``annotationsCreate`` (1,000 boxes each, against the dataset's recipe)
through the generated client (``labelgraph_client.Client`` over the ASGI transport), rows/s, against the
floor: the same number of rows written with one COPY (PostgreSQL) / executemany (SQLite) by the driver.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import sqlalchemy as sa

from labelgraph.app import create_app
from labelgraph.data.filters import ANNOTATION, ITEM
from labelgraph.db import Database
from labelgraph.graph import filterspec as fs
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.pagination import Order, PageArgs, PageQuery, metadata_key_sql, metadata_keys
from labelgraph.migrations import upgrade
from labelgraph.settings import Settings, normalize_database_url

TOKEN = "lg_bench-filters-admin-token-0123456789abcdefghij"
WORDS = [f"w{i:02d}" for i in range(20)]
BASE = datetime(2025, 1, 1, tzinfo=UTC)
PAGE = """query($d: ID!, $f: ItemFilter, $o: [ItemOrder!], $after: String) {
  dataset(id: $d) { items(filter: $f, orderBy: $o, first: 50, after: $after) {
    nodes { id name metadata } pageInfo { endCursor } } } }"""


def log(*a: Any) -> None:
    print(*a, file=sys.stderr, flush=True)


def item_rows(n: int, project_id: str, dataset_id: str, prefix: str = "itm_b") -> list[tuple]:
    rng = random.Random(16)
    rows = []
    for i in range(n):
        at = BASE + timedelta(seconds=i)
        meta = {"system": {"mimetype": "image/jpeg"},
                "user": {"score": rng.randrange(10000), "split": rng.choice(["train", "val", "test"]),
                         "tags": rng.sample(WORDS, 2)}}
        name = f"{i:07d}.jpg"
        rows.append((f"{prefix}{i:010d}", project_id, dataset_id, name, "/", "/" + name, "file", False, "image/jpeg",
                     orjson.dumps(meta).decode(), False, 0, at, at))
    return rows


def generate_sql(pg: bool, n: int) -> list[str]:
    """Set-based generation of ``n`` items (and their annotations) in the dataset ``:d`` of project ``:p``: one
    ``INSERT … SELECT`` over ``generate_series`` (PostgreSQL) / a recursive CTE (SQLite), no API, no Python per
    row. Item i: ``user.score`` = i·7919 mod 10,000 (each score on n/10,000 items, spread over the creation
    order), ``user.split`` one of train/val/test, ``user.tags`` two of 20 words; an annotation ``car`` on every
    10th item, ``person`` on one item in 10,000 (i mod 10,000 = 5)."""
    if pg:
        pad = "lpad(i::text, 7, '0')"
        w = "'w' || lpad(({x})::text, 2, '0')"
        meta = ("jsonb_build_object('system', jsonb_build_object('mimetype', 'image/jpeg'), 'user', "
                "jsonb_build_object('score', (i * 7919) % 10000, 'split', (ARRAY['train', 'val', 'test'])"
                "[1 + (i * 31 + i / 7) % 3], 'tags', jsonb_build_array(" + w.format(x="i % 20") + ", "
                + w.format(x="(i % 20 + 1 + (i / 20) % 19) % 20") + ")))")
        at = "(timestamptz '2025-01-01 00:00:00+00' + i * interval '1 second')"
        series = f"FROM generate_series(0::bigint, {n - 1}) AS i"
        ann = "'ann_b' || lpad(i::text, 10, '0')"
        item_id = "'itm_b' || lpad(i::text, 10, '0')"
        t, f = "true", "false"
    else:
        pad = "printf('%07d', i)"
        w = "printf('w%02d', {x})"
        meta = ("json_object('system', json_object('mimetype', 'image/jpeg'), 'user', json_object('score', "
                "(i * 7919) % 10000, 'split', CASE (i * 31 + i / 7) % 3 WHEN 0 THEN 'train' WHEN 1 THEN 'val' ELSE "
                "'test' END, 'tags', json_array(" + w.format(x="i % 20") + ", "
                + w.format(x="(i % 20 + 1 + (i / 20) % 19) % 20") + ")))")
        at = "(strftime('%Y-%m-%d %H:%M:%S', '2025-01-01', '+' || i || ' seconds') || '.000000')"
        series = (f"FROM (WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1}) "
                  "SELECT i FROM s)")
        ann = "printf('ann_b%010d', i)"
        item_id = "printf('itm_b%010d', i)"
        t, f = "1", "0"
    annotated = f"(CASE WHEN i % 10 = 0 OR i % 10000 = 5 THEN {t} ELSE {f} END)"
    return [
        f"INSERT INTO item (id, project_id, dataset_id, name, dir, filename, type, hidden, mimetype, metadata, "
        f"annotated, annotations_count, created_at, updated_at) SELECT {item_id}, :p, :d, {pad} || '.jpg', '/', "
        f"'/' || {pad} || '.jpg', 'file', {f}, 'image/jpeg', {meta}, {annotated}, "
        f"(CASE WHEN {annotated} = {t} THEN 1 ELSE 0 END), {at}, {at} {series}",
        f"INSERT INTO annotation (id, project_id, dataset_id, item_id, type, label, coordinates, automated, metadata, "
        f"created_at, updated_at) SELECT {ann}, :p, :d, {item_id}, 'box', CASE WHEN i % 10 = 0 THEN 'car' ELSE "
        f"'person' END, '[]', {f}, '{{}}', {at}, {at} {series} WHERE i % 10 = 0 OR i % 10000 = 5",
    ]


async def generate(url: str, n: int, project_id: str, dataset_id: str) -> float:
    """Generate the items in the database (``generate_sql``); seconds taken."""
    t0 = time.perf_counter()
    db = Database(normalize_database_url(url))
    async with db.transaction() as uow:
        for stmt in generate_sql(url.startswith("postgresql"), n):
            await uow.conn.execute(sa.text(stmt), {"p": project_id, "d": dataset_id})
    await db.dispose()
    return time.perf_counter() - t0


COLUMNS = ("id", "project_id", "dataset_id", "name", "dir", "filename", "type", "hidden", "mimetype", "metadata",
           "annotated", "annotations_count", "created_at", "updated_at")


async def load_items(url: str, rows: list[tuple], table: str = "item") -> float:
    """Write ``rows`` with the driver's fastest path; seconds taken."""
    t0 = time.perf_counter()
    if url.startswith("postgresql"):
        conn = await asyncpg.connect(url)
        try:
            await conn.copy_records_to_table(table, records=rows, columns=COLUMNS)
        finally:
            await conn.close()
    else:
        db = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=120)
        db.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                       [(*r[:12], r[12].strftime("%Y-%m-%d %H:%M:%S.%f"), r[13].strftime("%Y-%m-%d %H:%M:%S.%f"))
                        for r in rows])
        db.commit()
        db.close()
    return time.perf_counter() - t0


async def gql(http: httpx.AsyncClient, query: str, variables: dict | None = None) -> dict:
    r = await http.post("/graphql", json={"query": query, "variables": variables or {}},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def timed(fn, repeat: int) -> list[float]:
    await fn()  # warm
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def stats(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=10)
    return f"p50 {statistics.median(ms):7.2f} ms  p90 {q[8]:7.2f} ms"


async def floor_runner(url: str):
    """A function running one SQL text with parameters through the bare driver."""
    if url.startswith("postgresql"):
        conn = await asyncpg.connect(url)

        async def run(sql: str, *args: Any) -> list:
            return await conn.fetch(sql, *args)

        return run, conn.close
    db = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=120)

    async def run_sqlite(sql: str, *args: Any) -> list:
        return db.execute(sql.replace("$1", "?").replace("$2", "?"), args).fetchall()

    async def close() -> None:
        db.close()

    return run_sqlite, close


async def explain(db: Database, stmt: sa.Select) -> str:
    async with db.transaction() as uow:
        pg = uow.conn.dialect.name == "postgresql"
        sql = str(stmt.compile(uow.conn.sync_connection, compile_kwargs={"literal_binds": True}))
        rows = (await uow.conn.exec_driver_sql(("EXPLAIN (ANALYZE, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN ")
                                               + sql)).all()
    return "\n".join("    " + " ".join(str(c) for c in r) for r in rows)


async def world(http: httpx.AsyncClient, name: str) -> tuple[str, str, str]:
    """organization, project, datasets "big" and "bulk" through the API: (project, big, bulk) ids."""
    org = (await gql(http, 'mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } } }',
                     {"n": name}))
    org_id = org["organizationCreate"]["organization"]["id"]
    p = await gql(http, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"}) '
                        '{ project { id } } }', {"o": org_id})
    project_id = p["projectCreate"]["project"]["id"]
    ids = []
    for ds in ("big", "bulk"):
        d = await gql(http, 'mutation($p: ID!, $n: String!) { datasetCreate(input: {projectId: $p, name: $n}) '
                            '{ dataset { id } } }', {"p": project_id, "n": ds})
        ids.append(d["datasetCreate"]["dataset"]["id"])
    return project_id, ids[0], ids[1]


async def cached_world(url: str, n: int) -> tuple[str, str, str] | None:
    """The world of an earlier run with ``n`` items (a kept database), if there is one."""
    db = Database(normalize_database_url(url))
    try:
        async with db.read() as conn:
            rows = (await conn.execute(sa.text(
                "SELECT d.id, d.project_id, d.name FROM dataset d JOIN project p ON p.id = d.project_id "
                "JOIN organization o ON o.id = p.organization_id WHERE o.name = :o"), {"o": f"B{n}"})).all()
            by = {r.name: r for r in rows}
            if set(by) != {"big", "bulk"}:
                return None
            count = (await conn.execute(sa.text("SELECT count(*) FROM item WHERE dataset_id = :d"),
                                        {"d": by["big"].id})).scalar()
            return (by["big"].project_id, by["big"].id, by["bulk"].id) if count == n else None
    except Exception:  # noqa: BLE001 — no schema yet
        return None
    finally:
        await db.dispose()


async def run_one(url: str, n: int, repeat: int, bulk_calls: int, before: bool) -> dict[str, Any]:
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    await upgrade(url)
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="lgfb")), database_url=url, admin_token=TOKEN,
                        rate_limit=0)
    out: dict[str, Any] = {"db": kind, "items": n, "load_s": 0.0}
    cached = await cached_world(url, n)
    if cached:
        project_id, dataset_id, bulk_ds = cached
        log(f"{kind}: reusing the {n:,} items of an earlier run")
    else:
        app = create_app(settings, migrate=False)
        # the world through the API; the items straight into the table with the app stopped (a running app's
        # SQLite writer would hold the file's write lock against another connection)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=600) as http:
                project_id, dataset_id, bulk_ds = await world(http, f"B{n}")
        log(f"{kind}: generating {n:,} items")
        out["load_s"] = await generate(url, n, project_id, dataset_id)
    log(f"{kind}: items there ({out['load_s']:.1f} s); indexing")
    app = create_app(settings, migrate=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.test", timeout=600) as http:
            t0 = time.perf_counter()
            for path in ("user.score", "user.split", "user.tags"):
                r = await gql(http, 'mutation($d: ID!, $p: String!) { datasetIndexCreate(input: {datasetId: $d, '
                                    'path: $p}) { errors { message } } }', {"d": dataset_id, "p": path})
                assert not r["datasetIndexCreate"]["errors"], r
            out["index_s"] = time.perf_counter() - t0
            log(f"{kind}: indexed in {out['index_s']:.1f} s")
            db = Database(settings.database_url)
            if not cached:
                async with db.transaction() as uow:
                    await uow.conn.exec_driver_sql("ANALYZE")
            run, close = await floor_runner(url)
            pg = kind == "PostgreSQL"
            cases = {
                "plain": (None, None, 0),  # no filter, by creation: what the stack costs around any page
                "eq-rare": ({"metadata": [{"path": "user.score", "eq": 4242}]}, None, 0),
                "eq-common": ({"metadata": [{"path": "user.split", "eq": "val"}]}, None, 0),
                "eq-array": ({"metadata": [{"path": "user.tags", "eq": "w07"}]}, None, 0),
                "join-rare": ({"annotations": {"label": {"eq": "person"}}}, None, 0),
                "join-common": ({"annotations": {"label": {"eq": "car"}}}, None, 0),
                "sort-first": (None, [{"metadata": "user.score", "direction": "DESC"}], 0),
                "sort-page3": (None, [{"metadata": "user.score", "direction": "DESC"}], 2),
            }
            join_sql = ("SELECT id, name, metadata FROM item WHERE dataset_id = $1 AND EXISTS (SELECT 1 FROM "
                        "annotation a WHERE a.item_id = item.id AND a.label = $2) ORDER BY created_at, id LIMIT 51")
            if pg:
                eq_sql = ("SELECT id, name, metadata FROM item WHERE dataset_id = $1 AND jsonb_path_query_array("
                          "metadata, 'lax $.\"user\".\"{k}\"[*]'::jsonpath) @> $2::jsonb "
                          "ORDER BY created_at, id LIMIT 51")
                key = ("(CASE jsonb_typeof(metadata -> 'user' -> 'score') WHEN 'number' THEN 0 WHEN 'string' THEN 1 "
                       "WHEN 'boolean' THEN 2 ELSE 3 END)")
                sort_sql = (f"SELECT id, name, metadata FROM item WHERE dataset_id = $1 ORDER BY {key}, "
                            "(CASE jsonb_typeof(metadata -> 'user' -> 'score') WHEN 'number' THEN "
                            "(metadata -> 'user' -> 'score')::double precision WHEN 'boolean' THEN (CASE WHEN "
                            "(metadata -> 'user' -> 'score')::boolean THEN 1 ELSE 0 END)::double precision "
                            "ELSE 0::double precision END) DESC LIMIT 51")
            else:  # the expressions the indexes hold (what a hand-written query would use with them)
                def k(path: str, part: str) -> str:
                    return metadata_key_sql("sqlite", "metadata", path, part)

                eq_sql = (f"SELECT id, name, metadata FROM item WHERE dataset_id = $1 AND {k('user.{k}', 'rank')} = "
                          "{r} AND {col} = $2 ORDER BY created_at, id LIMIT 51")
                sort_sql = (f"SELECT id, name, metadata FROM item WHERE dataset_id = $1 ORDER BY "
                            f"{k('user.score', 'rank')}, {k('user.score', 'num')} DESC, {k('user.score', 'text')} "
                            "DESC, id DESC LIMIT 51")
                tags_sql = ("SELECT id, name, metadata FROM item WHERE dataset_id = $1 AND id IN (SELECT item_id FROM "
                            "item_md_value WHERE path = 'user.tags' AND kind = 1 AND val = $2) "
                            "ORDER BY created_at, id LIMIT 51")
            floors = {
                "plain": ("SELECT id, name, metadata FROM item WHERE dataset_id = $1 ORDER BY created_at, id LIMIT 51",
                          None),
                "eq-rare": (eq_sql.replace("{k}", "score").replace("{r}", "0").replace(
                    "{col}", "" if pg else k("user.score", "num")), 4242 if not pg else "[4242]"),
                "eq-common": (eq_sql.replace("{k}", "split").replace("{r}", "1").replace(
                    "{col}", "" if pg else k("user.split", "text")), "val" if not pg else '["val"]'),
                "eq-array": ((eq_sql.replace("{k}", "tags"), '["w07"]') if pg else (tags_sql, "w07")),
                "join-rare": (join_sql, "person"),
                "join-common": (join_sql, "car"),
                "sort-first": (sort_sql, None),
                "sort-page3": (sort_sql.replace("LIMIT 51", "LIMIT 51 OFFSET 100"), None),
            }
            if before and not pg:  # the same requests with the equality of 0011 (json_tree where not a scalar)
                for name in ("eq-rare", "eq-common", "eq-array", "join-rare", "join-common"):
                    cases[name + " (0011)"] = cases[name]
                    floors[name + " (0011)"] = floors[name]
            results = {}
            for name, (flt, order, skip) in cases.items():
                after = None
                for _ in range(skip):  # the cursor of the page before
                    page = await gql(http, PAGE, {"d": dataset_id, "f": flt, "o": order, "after": after})
                    after = page["dataset"]["items"]["pageInfo"]["endCursor"]

                # the (0011) cases ask a different document: the compiled read path caches a document's SQL
                doc = PAGE.replace("nodes {", "__typename nodes {") if name.endswith("(0011)") else PAGE

                async def lg(flt=flt, order=order, after=after, doc=doc) -> None:
                    await gql(http, doc, {"d": dataset_id, "f": flt, "o": order, "after": after})

                sql, arg = floors[name]

                async def floor(sql=sql, arg=arg) -> None:
                    await (run(sql, dataset_id, arg) if arg is not None else run(sql, dataset_id))

                old = name.endswith("(0011)")
                if old:  # 0011: json_tree equality, joins always by a probe per item
                    object.__setattr__(ITEM, "md_values", False)
                try:
                    a = await timed(lg, min(repeat, 3) if old else repeat)
                finally:
                    object.__setattr__(ITEM, "md_values", True)
                f = await timed(floor, repeat)
                results[name] = (a, f)
                log(f"{kind} {name:11s} labelgraph {stats(a)} | floor {stats(f)}")
            await close()
            emap = ENTITIES["Item"]
            t = emap.table
            plans = {}
            node = fs.cond(ITEM, "metadata", "eq", 4242, "filter", ("user", "score"))
            plans["eq-rare"] = PageQuery(emap, [t.c.dataset_id == dataset_id,
                                                *fs.conditions(node, ITEM, db.dialect)],
                                         Order.of([("created_at", False)]), PageArgs(50), 50, False).root()
            node = fs.cond(ITEM, "metadata", "eq", "val", "filter", ("user", "split"))
            plans["eq-common"] = PageQuery(emap, [t.c.dataset_id == dataset_id,
                                                  *fs.conditions(node, ITEM, db.dialect)],
                                           Order.of([("created_at", False)]), PageArgs(50), 50, False).root()
            node = fs.cond(ITEM, "metadata", "eq", "w07", "filter", ("user", "tags"))
            plans["eq-array"] = PageQuery(emap, [t.c.dataset_id == dataset_id,
                                                 *fs.conditions(node, ITEM, db.dialect)],
                                          Order.of([("created_at", False)]), PageArgs(50), 50, False).root()
            for name, label in (("join-rare", "person"), ("join-common", "car")):
                node = fs.Join("annotations", fs.cond(ANNOTATION, "label", "eq", label, "filter"))
                plans[name] = PageQuery(emap, [t.c.dataset_id == dataset_id, *fs.conditions(node, ITEM, db.dialect)],
                                        Order.of([("created_at", False)]), PageArgs(50), 50, False).root()
            plans["sort-first"] = PageQuery(emap, [t.c.dataset_id == dataset_id],
                                            Order.of(metadata_keys("user.score", True)), PageArgs(50), 50,
                                            False).root()
            out["plans"] = {k: await explain(db, v) for k, v in plans.items()}
            for k, v in out["plans"].items():
                log(f"{kind} EXPLAIN {k}:\n{v}")
            out["reads"] = results
            await db.dispose()

            if not bulk_calls:
                return out
            # --- bulk creation through the generated client ----------------------------------------------
            from labelgraph_client import Client
            from labelgraph_client.input_types import AnnotationCreateInput, ItemCreateInput

            async with Client("http://bench.test/graphql", TOKEN, transport=transport) as client:
                ids: list[str] = []
                t0 = time.perf_counter()
                for c in range(bulk_calls):
                    batch = [ItemCreateInput(name=f"{c:03d}-{i:04d}.jpg", dir="/bulk",
                                             metadata={"score": i, "split": "train"}) for i in range(1000)]
                    res = await client.create_items(bulk_ds, batch)
                    assert not res.errors, res.errors
                    ids += [i.id for i in res.items]
                items_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                box = [{"x": 1, "y": 2}, {"x": 30, "y": 40}]
                for c in range(bulk_calls):
                    batch = [AnnotationCreateInput(item_id=ids[c * 1000 + i], type="BOX", label="car",
                                                   coordinates=box) for i in range(1000)]
                    res = await client.create_annotations(batch)
                    assert not res.errors, res.errors
                ann_s = time.perf_counter() - t0
    rows = bulk_calls * 1000
    floor_rows = item_rows(rows, project_id, bulk_ds, prefix="itm_f")
    floor_rows = [(*r[:5], "/floor" + r[5], *r[6:]) for r in floor_rows]
    floor_s = await load_items(url, floor_rows)
    out["bulk"] = {"rows": rows, "items_per_s": rows / items_s, "annotations_per_s": rows / ann_s,
                   "floor_per_s": rows / floor_s}
    log(f"{kind} bulk: itemsCreate {rows / items_s:,.0f} items/s, annotationsCreate "
        f"{rows / ann_s:,.0f} annotations/s, floor {rows / floor_s:,.0f} rows/s")
    return out


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--bulk-calls", type=int, default=10, help="0: no bulk creation part")
    ap.add_argument("--only", choices=["pg", "sqlite"])
    ap.add_argument("--keep", metavar="NAME", help="keep the data for the next run: PostgreSQL database NAME, SQLite "
                    "file /tmp/NAME.db (reused when it holds --items items; drop/delete it when done)")
    ap.add_argument("--before", action="store_true", help="SQLite: also time the equality cases as 0011 compiled "
                    "them (json_tree where the path holds no scalar), on the same data")
    args = ap.parse_args()
    pg = os.environ.get("LG_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
    reports = []
    if args.only != "sqlite":
        name = args.keep or "labelgraph_filters_bench"
        admin = await asyncpg.connect(pg)
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not (args.keep and exists):
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            await admin.execute(f"CREATE DATABASE {name}")
        await admin.close()
        url = pg.rsplit("/", 1)[0] + "/" + name
        reports.append(await run_one(url, args.items, args.repeat, args.bulk_calls, args.before))
    if args.only != "pg":
        path = Path(f"/tmp/{args.keep}.db") if args.keep else Path(tempfile.mkdtemp(prefix="lgfb")) / "bench.db"
        reports.append(await run_one(f"sqlite:///{path}", args.items, args.repeat, args.bulk_calls, args.before))
    for r in reports:
        print(f"\n## {r['db']}, {r['items']:,} items in one dataset (generated in {r['load_s']:.1f} s, 0 = reused; "
              f"datasetIndexCreate ×3 {r['index_s']:.1f} s)\n")
        print("| case | labelgraph p50 / p90 (ms) | raw SQL floor p50 / p90 (ms) |\n|---|---|---|")
        for name, (a, f) in r["reads"].items():
            qa, qf = statistics.quantiles(a, n=10), statistics.quantiles(f, n=10)
            print(f"| {name} | {statistics.median(a):.1f} / {qa[8]:.1f} | {statistics.median(f):.1f} / {qf[8]:.1f} |")
        b = r.get("bulk")
        if b:
            print(f"\nbulk ({b['rows']:,} rows): itemsCreate **{b['items_per_s']:,.0f} items/s**, annotationsCreate "
                  f"**{b['annotations_per_s']:,.0f} annotations/s**; driver floor {b['floor_per_s']:,.0f} rows/s\n")
        for k, v in r["plans"].items():
            print(f"EXPLAIN {k}:\n```\n{v}\n```")


if __name__ == "__main__":
    asyncio.run(main())
