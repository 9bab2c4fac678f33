#!/usr/bin/env python3
"""COCO export of the bench data in one dataset (40,000 items, 200,000 box annotations) against a floor measured in
the same run: the same rows read with one SQL query and written to a file with orjson. Reports annotations/s and
the peak RSS growth of each (each measured in a fresh child process: ``VmHWM`` minus the RSS before the work).

    .venv/bin/python bench/formats_bench.py --sqlite bench/.work/jobs.db            # SQLite
    .venv/bin/python bench/formats_bench.py --pg postgresql://postgres@127.0.0.1:5432/labelgraph_formats_bench

The data are gen_data.py's (loaded afresh unless --reuse), with every item and annotation moved into the first
dataset (the names are unique across the bench data, so the (dataset, filename) key holds). Targets (issue 15.9):
export ≥ 0.5× the floor, RSS growth ≤ 200 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))

RUNS = 2


def rss_kib(field: str = "VmRSS") -> int:
    """The process's resident set (``VmHWM``: its peak; unlike ``ru_maxrss``, not inherited from the parent)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


async def _dataset(db) -> str:
    async with db.read() as conn:
        return (await conn.execute(sa.text("SELECT id FROM dataset ORDER BY id LIMIT 1"))).scalar()


async def backend_cpu(db) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving this benchmark's database (its own database: no other
    client's work counted), read from /proc (the server runs on this machine); {} on SQLite."""
    if db.is_sqlite:
        return {}
    async with db.read() as conn:
        pids = (await conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"))
                ).scalars().all()
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return out


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(v - before.get(pid, 0.0) for pid, v in after.items())


async def _copy_floor(db, ds: str, out: Path) -> tuple[int, float, float]:
    """The import's floor: the dataset's item and annotation rows (read first, not timed, given new ids and a new
    dataset) serialized (JSON columns with orjson) and sent with COPY in one transaction (rolled back).
    Returns (annotations, seconds, CPU seconds of this process)."""
    from labelgraph.data.models import Annotation, Item

    item_t, ann_t = Item.__table__, Annotation.__table__
    async with db.read() as conn:
        items = [dict(r._mapping) for r in (await conn.execute(sa.select(item_t).where(item_t.c.dataset_id == ds)))]
        anns = [dict(r._mapping) for r in (await conn.execute(sa.select(ann_t).where(ann_t.c.dataset_id == ds)))]
    json_cols = {"metadata", "coordinates", "attributes"}
    target = ds[:-1] + ("y" if ds[-1] != "y" else "z")
    for r in items:
        r["id"] += "x"
        r["dataset_id"] = target
    for r in anns:
        r["id"] += "x"
        r["dataset_id"] = target
        r["item_id"] += "x"
        if r["parent_id"]:
            r["parent_id"] += "x"
    pg0 = await backend_cpu(db)
    t, cpu = time.perf_counter(), time.process_time()
    async with db.engine.connect() as conn:
        trans = await conn.begin()
        await conn.execute(sa.text("INSERT INTO dataset (id, project_id, name, readonly, items_count, annotated_count, "
                                   "metadata, created_at, updated_at) SELECT :t, project_id, name || ' floor', "
                                   "readonly, 0, 0, metadata, created_at, updated_at FROM dataset WHERE id = :d"),
                           {"t": target, "d": ds})
        raw = (await conn.get_raw_connection()).driver_connection
        for table, rows in ((item_t, items), (ann_t, anns)):
            cols = list(rows[0])
            flags = [c in json_cols for c in cols]
            records = [tuple(orjson.dumps(v).decode() if j and v is not None else v
                             for v, j in zip(r.values(), flags, strict=True)) for r in rows]
            await raw.copy_records_to_table(table.name, records=records, columns=cols)
        took, cpu = time.perf_counter() - t, time.process_time() - cpu
        pg = cpu_delta(pg0, await backend_cpu(db))
        await trans.rollback()
    return len(anns), took, cpu, pg


async def one(url: str, what: str) -> dict:
    import labelgraph.auth  # noqa: F401  (a transaction without an Access acts as auth.SYSTEM)
    from labelgraph.data.formats import Source, export_dataset
    from labelgraph.db import Database
    from labelgraph.settings import normalize_database_url

    db = Database(normalize_database_url(url))
    ds = await _dataset(db)
    out = Path(tempfile.mkdtemp()) / "out"
    base = rss_kib()
    t = time.perf_counter()
    if what == "floor":  # the same rows, one query, orjson, streamed to a file
        q = sa.text("SELECT i.id, i.filename, i.width, i.height, a.id AS aid, a.label, a.coordinates FROM item i "
                    "JOIN annotation a ON a.item_id = i.id WHERE i.dataset_id = :d ORDER BY i.id")
        n = 0
        async with db.engine.connect() as conn, conn.begin():  # a server-side cursor needs a transaction
            result = await conn.stream(q, {"d": ds})
            with out.open("wb") as f:
                async for r in result:
                    f.write(orjson.dumps({"image": r.id, "file_name": r.filename, "width": r.width,
                                          "height": r.height, "id": r.aid, "label": r.label,
                                          "coordinates": r.coordinates}) + b"\n")
                    n += 1
    elif what == "copyfloor":  # the import's floor: the same item and annotation rows sent with COPY
        n = await _copy_floor(db, ds, out)
        seconds, cpu = n[1], n[2]
        await db.dispose()
        return {"what": what, "annotations": n[0], "seconds": round(seconds, 2), "per_s": round(n[0] / seconds),
                "cpu_ms_per_1000": round(cpu * 1e6 / n[0], 1), "pg_cpu_ms_per_1000": round(n[3] * 1e6 / n[0], 1),
                "rss_growth_mib": round((rss_kib("VmHWM") - base) / 1024, 1)}
    elif what == "import":  # the JSON export (written first, not timed) into a new empty dataset of the project
        from labelgraph.data.commands import DatasetCreate
        from labelgraph.data.formats import import_archive
        from labelgraph.data.service import create_dataset

        async with db.read() as conn:
            await export_dataset(Source(conn, ds), "JSON", out.with_suffix(".zip"))
            project = (await conn.execute(sa.text("SELECT project_id FROM dataset WHERE id = :d"), {"d": ds})).scalar()
        async with db.transaction() as uow:
            target = await create_dataset(uow, DatasetCreate(project_id=project, name=f"import {time.time()}"))
        base = rss_kib()
        t = time.perf_counter()
        pg0 = await backend_cpu(db)
        cpu0 = time.process_time()
        if os.environ.get("LG_PROFILE"):
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        result = await import_archive(db, None, None, target, "JSON", out.with_suffix(".zip"),
                                      create_missing_labels=True)
        n = result["annotations"]
        cpu1 = time.process_time()
        pg = cpu_delta(pg0, await backend_cpu(db))
        if os.environ.get("LG_PROFILE"):
            prof.disable()
            prof.dump_stats(os.environ["LG_PROFILE"])
    else:
        async with db.read() as conn:
            result = await export_dataset(Source(conn, ds), "COCO", out.with_suffix(".zip"))
        n = result["annotations"]
    seconds = time.perf_counter() - t
    cpu = (cpu1 - cpu0) if what == "import" else 0
    await db.dispose()
    peak = rss_kib("VmHWM")
    return {"what": what, "annotations": n, "seconds": round(seconds, 2), "per_s": round(n / seconds),
            "cpu_ms_per_1000": round(cpu * 1e6 / max(n, 1), 1) if what == "import" else None,
            "pg_cpu_ms_per_1000": round(pg * 1e6 / max(n, 1), 1) if what == "import" else None,
            "rss_growth_mib": round((peak - base) / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sqlite", type=Path)
    ap.add_argument("--pg")
    ap.add_argument("--reuse", action="store_true", help="the database holds the data already")
    ap.add_argument("--runs", type=int, default=RUNS, help=f"interleaved rounds (default {RUNS})")
    ap.add_argument("--one", choices=["floor", "export", "import", "copyfloor"], help=argparse.SUPPRESS)
    ap.add_argument("--import", dest="with_import", action="store_true",
                    help="also time importing the JSON export into an empty dataset (annotations/s)")
    ap.add_argument("--baseline", type=Path, help="with --import: also time the import with the labelgraph package "
                    "found under this directory (e.g. an extracted `git archive main server`), in the same run")
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(one(args.url, args.one))))
        return 0
    if not (args.sqlite or args.pg):
        ap.error("give --sqlite and/or --pg")
    import gen_data

    targets = []
    if args.sqlite:
        targets.append(("SQLite", f"sqlite:///{args.sqlite}"))
    if args.pg:
        targets.append(("PostgreSQL", args.pg))
    if not args.reuse:
        rows = gen_data.generate()
        first = rows["dataset"][0]["id"]
        for table in ("item", "annotation"):
            for r in rows[table]:
                r["dataset_id"] = first
                r["project_id"] = rows["dataset"][0]["project_id"]
        rows["dataset"][0]["items_count"] = len(rows["item"])
        if args.sqlite:
            args.sqlite.parent.mkdir(parents=True, exist_ok=True)
            gen_data.load_sqlite(args.sqlite, rows)
        if args.pg:
            asyncio.run(gen_data.load_pg(args.pg, rows))
    for name, url in targets:
        results = {"floor": [], "export": []}
        for _ in range(args.runs):
            for what in ("floor", "export"):  # interleaved: the machine's load hits both alike
                out = subprocess.run([sys.executable, __file__, "--one", what, "--url", url], check=True,
                                     capture_output=True, text=True).stdout
                results[what].append(json.loads(out.strip().splitlines()[-1]))
        best = {w: max(r, key=lambda x: x["per_s"]) for w, r in results.items()}
        ratio = best["export"]["per_s"] / best["floor"]["per_s"]
        print(f"{name}: floor {best['floor']['per_s']:,} ann/s ({best['floor']['seconds']} s, RSS +"
              f"{best['floor']['rss_growth_mib']} MiB); COCO export {best['export']['per_s']:,} ann/s "
              f"({best['export']['seconds']} s, RSS +{best['export']['rss_growth_mib']} MiB); export/floor "
              f"{ratio:.2f}×  (runs: {json.dumps(results)})", flush=True)
        if args.with_import:
            variants = [("this tree", None)] + ([("baseline", args.baseline)] if args.baseline else [])
            for label, tree in variants:
                env = dict(os.environ)
                if tree is not None:  # the baseline's package shadows the installed one
                    env["PYTHONPATH"] = str(tree.resolve())
                out = subprocess.run([sys.executable, __file__, "--one", "import", "--url", url], check=False,
                                     capture_output=True, text=True, env=env).stdout
                imported = json.loads(out.strip().splitlines()[-1])
                print(f"{name}: JSON import into an empty dataset ({label}): {imported['per_s']:,} annotations/s "
                      f"({imported['seconds']} s for {imported['annotations']:,}, RSS +"
                      f"{imported['rss_growth_mib']} MiB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
