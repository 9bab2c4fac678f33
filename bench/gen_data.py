#!/usr/bin/env python3
"""Deterministic benchmark data in labelgraph's own schema (the shape of ../shared/bench-anchors/gen_data.py).

1 organization -> 4 projects -> 5 datasets each (20) -> 2,000 items each (40,000) -> 5 box annotations each
(200,000). Fixed seed, fixed timestamps and ids derived from them: every run writes the same rows, byte for
byte, into SQLite and PostgreSQL.

    .venv/bin/python bench/gen_data.py --sqlite bench/.work/labelgraph.db \
        --pg postgresql://postgres@127.0.0.1:5432/labelgraph_bench

The data belong to one user, ``bench@labelgraph.local``, owner of the organization (so the effective owner of
its projects: reads go through labelgraph's authorization predicates like any member's), who holds a fixed API
token (``--token-file`` writes it; send it as ``Authorization: Bearer <token>``).

Each target is recreated (the SQLite file deleted; the PostgreSQL database dropped WITH (FORCE) and created
again through the maintenance database ``postgres``), then labelgraph's migrations run
(``labelgraph.migrations.upgrade``), then the rows are loaded: COPY (asyncpg ``copy_records_to_table``) on
PostgreSQL, ``executemany`` on SQLite. Prints the id of the project to query on stdout; progress on stderr.

The random stream follows the anchors' generator draw for draw, so item ``created_at`` values are the anchors'
(minute resolution, with ties) and the id tie-break follows the anchors' integer ids: the first 50 items of a
dataset by (created_at, id) are the same items as in the anchors' database. Anchor annotation shapes
(bbox / polygon / point) become labelgraph ``box`` annotations (their bounding boxes).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from labelgraph.data import models as m
from labelgraph.identity import models as identity_models
from labelgraph.migrations import upgrade

PROJECTS, DATASETS_PER_PROJECT, ITEMS_PER_DATASET, ANNOTATIONS_PER_ITEM = 4, 5, 2000, 5
BASE = datetime(2024, 1, 1, tzinfo=UTC)
LABELS = ["car", "person", "bicycle", "truck", "traffic_sign", "tree", "dog", "bus"]
TYPES = ["bbox", "polygon", "point"]  # the anchors' shapes; stored as labelgraph "box" annotations
MIMETYPES = [("jpg", "image/jpeg"), ("png", "image/png")]
SEED = 20240101

TABLES = {
    "app_user": identity_models.User.__table__,
    "organization": m.Organization.__table__,
    "organization_member": identity_models.OrganizationMember.__table__,
    "api_token": identity_models.ApiToken.__table__,
    "project": m.Project.__table__,
    "dataset": m.Dataset.__table__,
    "item": m.Item.__table__,
    "annotation": m.Annotation.__table__,
}
# a fixed API token for the benchmark user: "lg_" + 43 url-safe characters, like labelgraph's own tokens
TOKEN = "lg_" + base64.urlsafe_b64encode(hashlib.sha256(b"labelgraph-bench-%d" % SEED).digest()).decode().rstrip("=")
USER_EMAIL = "bench@labelgraph.local"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _b32(value: int, length: int) -> str:
    out = []
    for _ in range(length):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))


class Ids:
    """labelgraph-shaped ids (``itm_`` + ULID: 48-bit ms timestamp + 80 bits), deterministic: the timestamp
    is the row's created_at and the 80 bits start with a per-process sequence number, so rows created in the
    same millisecond sort in generation order (the anchors' integer id order)."""

    def __init__(self) -> None:
        self.seq = 0
        self.filler = random.Random(SEED + 1)  # separate stream: the main one stays aligned with the anchors

    def __call__(self, prefix: str, at: datetime) -> str:
        self.seq += 1
        ms = int(at.timestamp() * 1000)
        rand = (self.seq << 56) | self.filler.getrandbits(56)
        return f"{prefix}_{_b32(ms, 10)}{_b32(rand, 16)}"


def dumps(obj: Any) -> str:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS).decode()


def _box(x1: float, y1: float, x2: float, y2: float) -> list[dict[str, float]]:
    return [{"x": round(min(x1, x2), 1), "y": round(min(y1, y2), 1)},
            {"x": round(max(x1, x2), 1), "y": round(max(y1, y2), 1)}]


def generate() -> dict[str, list[dict[str, Any]]]:
    """All rows as dicts keyed by column name, per table, in FK order."""
    rng = random.Random(SEED)
    new_id = Ids()
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    user_id = new_id("usr", BASE)
    rows["app_user"].append({"id": user_id, "email": USER_EMAIL, "name": "Benchmark", "is_admin": False,
                             "bot_project_id": None, "created_at": BASE, "updated_at": BASE})
    org_id = new_id("org", BASE)
    rows["organization"].append({"id": org_id, "name": "Acme Vision", "plan": "freemium", "created_by": user_id,
                                 "created_at": BASE, "updated_at": BASE})
    rows["organization_member"].append({"id": new_id("om", BASE), "organization_id": org_id, "user_id": user_id,
                                        "role": "owner", "created_at": BASE, "updated_at": BASE})
    # labelgraph stores SHA-256(token) in hex (labelgraph.auth.hash_token) and the first characters as a hint
    rows["api_token"].append({"id": new_id("tok", BASE), "user_id": user_id, "name": "bench",
                              "token_hash": hashlib.sha256(TOKEN.encode()).hexdigest(), "hint": TOKEN[:10],
                              "expires_at": None, "revoked_at": None, "last_used_at": None, "created_at": BASE})
    dataset_no = item_no = 0
    for p in range(1, PROJECTS + 1):
        p_at = BASE + timedelta(hours=p)
        project_id = new_id("prj", p_at)
        rows["project"].append({"id": project_id, "organization_id": org_id, "name": f"Project {p}",
                                "description": f"Benchmark project {p}", "metadata": "{}", "created_by": user_id,
                                "created_at": p_at, "updated_at": p_at})
        for _ in range(DATASETS_PER_PROJECT):
            dataset_no += 1
            d_start = BASE + timedelta(days=dataset_no)
            dataset_id = new_id("ds", d_start)
            rows["dataset"].append({
                "id": dataset_id, "project_id": project_id, "name": f"Dataset {dataset_no}",
                "description": f"Dataset {dataset_no} of project {p}", "recipe_id": None, "readonly": False,
                "items_count": ITEMS_PER_DATASET, "annotated_count": ITEMS_PER_DATASET, "metadata": "{}",
                "created_by": user_id, "created_at": d_start, "updated_at": d_start,
            })
            for k in range(ITEMS_PER_DATASET):
                item_no += 1
                ext, mime = MIMETYPES[k % 2]
                # minute resolution over 1,500 slots: ordering differs from id order and has ties
                created = d_start + timedelta(minutes=rng.randrange(1500))
                width, height = rng.choice([640, 1280, 1920]), rng.choice([480, 720, 1080])
                camera = f"cam-{rng.randrange(8)}"
                tags = rng.sample(["day", "night", "urban", "rural", "rain", "fog"], 2)
                size = 40_000 + (item_no * 7919) % 400_000
                name = f"frame_{item_no:06d}.{ext}"
                dir_ = "/train" if k % 10 < 8 else "/val"
                item_id = new_id("itm", created)
                rows["item"].append({
                    "id": item_id, "project_id": project_id, "dataset_id": dataset_id, "name": name, "dir": dir_,
                    "filename": f"{dir_}/{name}", "type": "file", "hidden": False, "mimetype": mime,
                    "size": size, "width": width, "height": height, "description": None,
                    "metadata": dumps({"system": {"mimetype": mime, "size": size, "width": width, "height": height},
                                       "user": {"camera": camera, "tags": tags}}),
                    "annotated": True, "annotations_count": ANNOTATIONS_PER_ITEM, "storage_key": None,
                    "created_by": user_id, "created_at": created, "updated_at": created,
                })
                for a in range(ANNOTATIONS_PER_ITEM):
                    shape = TYPES[rng.randrange(3)]
                    x, y = rng.uniform(0, 1800), rng.uniform(0, 1000)
                    if shape == "bbox":
                        coords = _box(x, y, x + rng.uniform(5, 300), y + rng.uniform(5, 300))
                    elif shape == "polygon":
                        pts = [(x + rng.uniform(-50, 50), y + rng.uniform(-50, 50)) for _ in range(4)]
                        coords = _box(min(p[0] for p in pts), min(p[1] for p in pts),
                                      max(p[0] for p in pts), max(p[1] for p in pts))
                    else:
                        coords = _box(x - 4, y - 4, x + 4, y + 4)
                    a_at = created + timedelta(seconds=a + 1)
                    rows["annotation"].append({
                        "id": new_id("ann", a_at), "project_id": project_id, "dataset_id": dataset_id,
                        "item_id": item_id, "parent_id": None, "type": "box", "label": rng.choice(LABELS),
                        "coordinates": dumps(coords), "attributes": None, "status": None, "object_id": None,
                        "frame": None, "end_frame": None, "automated": False, "description": None,
                        "metadata": dumps({"system": {}, "user": {}}), "created_by": user_id, "updated_by": user_id,
                        "created_at": a_at, "updated_at": a_at,
                    })
    return rows


def _tuples(table: str, rows: list[dict[str, Any]], convert=None) -> tuple[list[str], list[tuple]]:
    """Rows as tuples in the model's column order. Nullable columns the generator does not know (added to the
    model later) are left NULL; unknown or missing NOT NULL columns stop the run."""
    columns = TABLES[table].columns
    unknown = set(rows[0]) - {c.name for c in columns}
    missing = [c.name for c in columns if c.name not in rows[0] and not c.nullable]
    if unknown or missing:
        raise SystemExit(f"gen_data: {table} columns differ from labelgraph's model: "
                         f"not in the model {sorted(unknown)}, not generated {missing}")
    cols = [c.name for c in columns if c.name in rows[0]]
    if convert is None:
        return cols, [tuple(r[c] for c in cols) for r in rows]
    return cols, [tuple(convert(r[c]) for c in cols) for r in rows]


# --- SQLite ---------------------------------------------------------------------------------------------

def _sqlite_value(v: Any) -> Any:
    # SQLAlchemy's SQLite DateTime storage format (naive; the app treats it as UTC); booleans as 0/1
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, bool):
        return int(v)
    return v


def load_sqlite(path: Path, rows: dict[str, list[dict[str, Any]]]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    asyncio.run(upgrade(f"sqlite:///{path}"))
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    for table, table_rows in rows.items():
        cols, data = _tuples(table, table_rows, _sqlite_value)
        con.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', data)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


# --- PostgreSQL -----------------------------------------------------------------------------------------

def _split_dsn(dsn: str) -> tuple[str, str]:
    """(DSN of the maintenance database ``postgres``, target database name)."""
    base, _, name = dsn.partition("?")[0].rpartition("/")
    if not name:
        raise SystemExit(f"gen_data: the PostgreSQL DSN must name a database: {dsn}")
    return f"{base}/postgres", name


async def load_pg(dsn: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    admin_dsn, name = _split_dsn(dsn)
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    await upgrade(dsn)
    con = await asyncpg.connect(dsn)
    try:
        async with con.transaction():
            # the rows are consistent by construction: skip the per-row FK trigger checks during the load
            await con.execute("SET LOCAL session_replication_role = replica")
            for table, table_rows in rows.items():
                cols, data = _tuples(table, table_rows)
                await con.copy_records_to_table(table, records=data, columns=cols)
        await con.execute("VACUUM (ANALYZE)")
    finally:
        await con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pg", help="PostgreSQL DSN of the database to (re)create, e.g. "
                                 "postgresql://postgres@127.0.0.1:5432/labelgraph_bench")
    ap.add_argument("--sqlite", type=Path, help="SQLite file to (re)create")
    ap.add_argument("--token-file", type=Path, help="write the benchmark user's API token here")
    args = ap.parse_args()
    if not (args.pg or args.sqlite):
        ap.error("give --pg and/or --sqlite")
    t0 = time.perf_counter()
    rows = generate()
    counts = {t: len(r) for t, r in rows.items()}
    print(f"gen_data: generated {counts} in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    if args.pg:
        t = time.perf_counter()
        asyncio.run(load_pg(args.pg, rows))
        print(f"gen_data: PostgreSQL {args.pg.rpartition('@')[2]} loaded in {time.perf_counter() - t:.1f}s",
              file=sys.stderr)
    if args.sqlite:
        t = time.perf_counter()
        args.sqlite.parent.mkdir(parents=True, exist_ok=True)
        load_sqlite(args.sqlite, rows)
        print(f"gen_data: SQLite {args.sqlite} ({os.path.getsize(args.sqlite) / 1e6:.0f} MB) loaded in "
              f"{time.perf_counter() - t:.1f}s", file=sys.stderr)
    if args.token_file:
        args.token_file.parent.mkdir(parents=True, exist_ok=True)
        args.token_file.write_text(TOKEN + "\n")
    print(f"gen_data: total {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    print(rows["project"][0]["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
