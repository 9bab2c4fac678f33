"""Indexes on item metadata paths (``datasetIndexCreate``): what makes ``orderBy: {metadata: path}`` pages and
(on PostgreSQL) metadata equality filters walk an index instead of reading the dataset.

One path gets, on the ``item`` table for every dataset (the index leads with ``dataset_id``, so each dataset's
pages are a range of it): a B-tree on ``(dataset_id, rank, number, text, id)`` of the ordering keys
(graph/pagination.py) ascending and one descending; on PostgreSQL also a GIN index on the path's reached values
(``jsonb_path_query_array``), which the equality filter compiles to (graph/filterspec.py); on SQLite the path's
values in ``item_md_value`` (migration 0012: one row per scalar reached, array elements included, kept by two
triggers on ``item`` that this adds, filled set-based here), which the equality filter reads there. The
expressions are the ones the queries write, inline. Idempotent (``IF NOT EXISTS``, names derived from the path); at most
``MAX_METADATA_PATHS`` paths in all, since every index costs every item write. The names are the record: no table.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from labelgraph.data.commands import MetadataIndexCreate
from labelgraph.data.service.common import DATASET, dialect_of
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems
from labelgraph.graph.filterspec import sqlite_value_selects
from labelgraph.graph.pagination import metadata_key_sql
from labelgraph.rows import load_for

MAX_METADATA_PATHS = 16
PREFIX = "ix_item_md_"
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def check_path(path: str, field: str = "path") -> str:
    parts = path.split(".")
    if len(parts) < 2 or parts[0] not in ("user", "system") or len(parts) > 10 \
            or not all(p and set(p) <= _KEY_CHARS for p in parts):
        raise Problems.one("INVALID", f'{field}: a path of keys (letters, digits, _ or -) separated by dots, starting '
                           f'with user or system (e.g. "user.score"), got {path!r}', [field])
    return path


def index_base(path: str) -> str:
    """The name shared by a path's indexes (each adds _a, _d or _g): readable start, hash for uniqueness."""
    readable = "".join(c if c.isalnum() else "_" for c in path.lower())[:24]
    return f"{PREFIX}{hashlib.sha1(path.encode()).hexdigest()[:10]}_{readable}"


def index_statements(dialect: str, path: str) -> dict[str, str]:
    """name -> CREATE INDEX statement for ``path``."""
    base = index_base(path)
    rank, num, text = (metadata_key_sql(dialect, "metadata", path, p) for p in ("rank", "num", "text"))
    out = {
        f"{base}_a": f"CREATE INDEX IF NOT EXISTS {base}_a ON item (dataset_id, ({rank}), ({num}), ({text}), id)",
        f"{base}_d": f"CREATE INDEX IF NOT EXISTS {base}_d ON item (dataset_id, ({rank}), ({num}) DESC, "
                     f"({text}) DESC, id DESC)",
    }
    if dialect == "postgresql":
        jsonpath = "lax $" + "".join(f'."{k}"' for k in path.split(".")) + "[*]"
        out[f"{base}_g"] = (f"CREATE INDEX IF NOT EXISTS {base}_g ON item USING gin "
                            f"((jsonb_path_query_array(metadata, '{jsonpath}'::jsonpath)) jsonb_path_ops)")
    return out


def sqlite_value_statements(path: str) -> list[str]:
    """SQLite: the triggers keeping ``path``'s rows of ``item_md_value`` (insert; update of metadata; and the
    delete trigger, one for every path, made with the first), the set-based fill of the existing items, and the
    ``item_md_path`` row that tells the equality filter the rows are there. Idempotent."""
    base = "tr_" + index_base(path).removeprefix("ix_")
    parts = tuple(path.split("."))
    head = "INSERT INTO item_md_value (path, kind, val, item_id) SELECT"

    def inserts(doc: str, item_id: str, table: str) -> list[str]:
        out = []
        for froms, where, kind, val in sqlite_value_selects(doc, parts):
            source = ", ".join(x for x in (table, froms) if x)
            out.append(f"{head} '{path}', {kind}, {val}, {item_id}" + (f" FROM {source}" if source else "")
                       + f" WHERE {where}")
        return out

    on_new = "; ".join(inserts("NEW.metadata", "NEW.id", ""))
    return [
        "CREATE TRIGGER IF NOT EXISTS tr_item_md_value_delete AFTER DELETE ON item BEGIN "
        "DELETE FROM item_md_value WHERE item_id = OLD.id; END",
        f"CREATE TRIGGER IF NOT EXISTS {base}_i AFTER INSERT ON item BEGIN {on_new}; END",
        f"CREATE TRIGGER IF NOT EXISTS {base}_u AFTER UPDATE OF metadata ON item BEGIN "
        f"DELETE FROM item_md_value WHERE item_id = OLD.id AND path = '{path}'; {on_new}; END",
        f"DELETE FROM item_md_value WHERE path = '{path}'",
        *inserts("item.metadata", "item.id", "item"),
        f"INSERT OR IGNORE INTO item_md_path (path) VALUES ('{path}')",
    ]


def drop_statements(dialect: str, path: str) -> list[str]:
    """What undoes ``datasetIndexCreate`` of ``path`` (a platform admin's SQL; README, Filters)."""
    out = [f"DROP INDEX IF EXISTS {name}" for name in index_statements(dialect, path)]
    if dialect == "sqlite":
        base = "tr_" + index_base(path).removeprefix("ix_")
        out += [f"DROP TRIGGER IF EXISTS {base}_i", f"DROP TRIGGER IF EXISTS {base}_u",
                f"DELETE FROM item_md_path WHERE path = '{path}'", f"DELETE FROM item_md_value WHERE path = '{path}'"]
    return out


async def metadata_index_names(conn: Any) -> set[str]:
    """The metadata indexes that exist (their names)."""
    if conn.dialect.name == "postgresql":
        stmt = sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'item' "
                       "AND indexname LIKE :p ESCAPE '\\'")
    else:
        stmt = sa.text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'item' "
                       "AND name LIKE :p ESCAPE '\\'")
    return set((await conn.execute(stmt, {"p": PREFIX.replace("_", "\\_") + "%"})).scalars())


def indexed_paths(names: set[str]) -> set[str]:
    return {n.rsplit("_", 1)[0] for n in names}


async def create_metadata_index(uow: UnitOfWork, cmd: MetadataIndexCreate) -> dict[str, Any]:
    """Create the indexes of ``cmd.path`` (owners of the dataset's project, platform admins). Returns
    ``{"path", "created"}`` (created is false when they existed)."""
    await load_for(uow, DATASET, cmd.dataset_id, "datasetId", "Dataset", "project.update", "id")
    path = check_path(cmd.path.strip())
    dialect = dialect_of(uow)
    statements = index_statements(dialect, path)
    existing = await metadata_index_names(uow.conn)
    # SQLite: the path's values are kept when it is listed and both its triggers exist (a rebuild of the item
    # table drops triggers: then they are made again and the values refilled)
    base = "tr_" + index_base(path).removeprefix("ix_")
    values_kept = dialect != "sqlite" or (await uow.conn.exec_driver_sql(
        f"SELECT (SELECT count(*) FROM item_md_path WHERE path = '{path}') + (SELECT count(*) FROM sqlite_master "
        f"WHERE type = 'trigger' AND name IN ('{base}_i', '{base}_u', 'tr_item_md_value_delete'))")).scalar_one() == 4
    if set(statements) <= existing and values_kept:
        return {"path": path, "created": False}
    if index_base(path) not in indexed_paths(existing) and len(indexed_paths(existing)) >= MAX_METADATA_PATHS:
        raise Problems.one("LIMIT_EXCEEDED", f"path: {MAX_METADATA_PATHS} metadata paths are indexed already, the "
                           "limit; a platform admin can drop one (README, Filters)", ["path"])
    for stmt in statements.values():
        await uow.conn.exec_driver_sql(stmt)
    if not values_kept:
        for stmt in sqlite_value_statements(path):
            await uow.conn.exec_driver_sql(stmt)
    return {"path": path, "created": True}
