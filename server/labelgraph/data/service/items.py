"""Writes of items: bulk create and delete keep the dataset counters exact; update merges the user
metadata."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import (
    ItemsCreate,
    ItemsDelete,
    ItemsDeleteWhere,
    ItemsUpdate,
    ItemUpdate,
)
from labelgraph.data.resources import ITEM as ITEM_RESOURCE
from labelgraph.data.resources import item_record, records
from labelgraph.data.service.common import (
    DATASET,
    ITEM,
    bump_datasets,
    check_batch,
    check_datasets_writable,
    check_user_metadata,
    dialect_of,
    load_dataset_for_write,
    require_each_project,
)
from labelgraph.data.validation import (
    check_item_name,
    join_path,
    normalize_dir,
)
from labelgraph.db import UnitOfWork, insert_rows
from labelgraph.errors import Problem, Problems, invalid, raise_if
from labelgraph.graph.mapping import Written
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import new_ids
from labelgraph.rows import load_for, load_within


async def create_items(uow: UnitOfWork, cmd: ItemsCreate) -> list[str]:
    """Create up to ``cmd.limit`` items in one dataset; all or nothing."""
    dataset_id, items, limit = cmd.dataset_id, cmd.items, cmd.limit
    check_batch(items, "items", limit)
    dataset = await load_dataset_for_write(uow, dataset_id, "datasetId")
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    now = utcnow()
    fresh = iter(new_ids("itm", len(items)))  # increasing, as new_id's would be; a refused call wastes them
    for i, spec in enumerate(items):
        problem = check_item_name(spec.name, ["items", str(i), "name"]) or check_user_metadata(
            spec.metadata, ["items", str(i), "metadata"])
        if problem is None and spec.size is not None and spec.size < 0:
            problem = Problem("INVALID", f"size is the file's size in bytes (0 or more), got {spec.size}",
                              ["items", str(i), "size"])
        if problem:
            problems.append(problem)
            continue
        try:
            dir_ = normalize_dir(spec.dir)
        except ValueError as exc:
            problems.append(Problem("INVALID", str(exc), ["items", str(i), "dir"]))
            continue
        filename = join_path(dir_, spec.name)
        if filename in seen:
            problems.append(Problem("DUPLICATE", f"{filename} appears twice in this call (items {seen[filename]} "
                                    f"and {i})", ["items", str(i), "name"]))
            continue
        seen[filename] = i
        system = {k: v for k, v in (("mimetype", spec.mimetype), ("size", spec.size), ("width", spec.width),
                                    ("height", spec.height)) if v is not None}
        rows.append({
            "id": next(fresh), "project_id": dataset.project_id, "dataset_id": dataset_id, "name": spec.name,
            "dir": dir_, "filename": filename, "type": "file", "hidden": bool(spec.hidden),
            "mimetype": spec.mimetype, "size": spec.size, "width": spec.width, "height": spec.height,
            "description": spec.description, "metadata": {"system": system, "user": spec.metadata or {}},
            "annotated": False, "annotations_count": 0, "storage_key": None, "created_by": uow.principal_id,
            "created_at": now, "updated_at": now,
        })
    raise_if(problems)
    existing = (await uow.conn.execute(  # one array parameter on PostgreSQL: a statement text prepared once
        sa.select(ITEM.c.filename).where(ITEM.c.dataset_id == dataset_id,
                                         in_ids(ITEM.c.filename, [r["filename"] for r in rows], dialect_of(uow)))
    )).scalars().all()
    raise_if([Problem("DUPLICATE", f"an item {f} exists already in this dataset",
                       ["items", str(seen[f]), "name"]) for f in existing])
    await insert_rows(uow.conn, ITEM, rows)
    await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == dataset_id).values(
        items_count=DATASET.c.items_count + len(rows), updated_at=now))
    uow.emit_many("item", "created", [(r["id"], dataset.project_id, record)
                                      for r, record in zip(rows, records(ITEM_RESOURCE, rows), strict=True)])
    return Written([r["id"] for r in rows], rows)


def _item_event(r: dict[str, Any]) -> dict[str, Any]:
    """Every field a filter can name (data/filters.item_record), so trigger filters see what list filters see."""
    return item_record(r)


async def update_item(uow: UnitOfWork, spec: ItemUpdate) -> str:
    """Rename/move, hide, describe, and merge ``spec.metadata`` into the user space (a null value removes
    the key)."""
    id_ = spec.id
    row = await load_for(uow, ITEM, id_, "id", "Item", "item.write", *[c.name for c in ITEM.c])
    await check_datasets_writable(uow, {row.dataset_id}, "id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    name, dir_ = row.name, row.dir
    if spec.name is not None:
        raise_if([check_item_name(spec.name, ["name"])])
        name = spec.name
    if spec.dir is not None:
        try:
            dir_ = normalize_dir(spec.dir)
        except ValueError as exc:
            raise invalid(str(exc), "dir") from None
    filename = join_path(dir_, name)
    if filename != row.filename:
        clash = (await uow.conn.execute(sa.select(ITEM.c.id).where(
            ITEM.c.dataset_id == row.dataset_id, ITEM.c.filename == filename))).first()
        if clash:
            raise Problems.one("DUPLICATE", f"an item {filename} exists already in this dataset", ["name"])
        values.update(name=name, dir=dir_, filename=filename)
    if spec.hidden is not None:
        values["hidden"] = spec.hidden
    if spec.description is not None:
        values["description"] = spec.description or None
    if spec.metadata is not None:
        problem = check_user_metadata(spec.metadata, ["metadata"])
        raise_if([problem])
        meta = dict(row.metadata or {})
        user = dict(meta.get("user") or {})
        for key, value in spec.metadata.items():
            if value is None:
                user.pop(key, None)
            else:
                user[key] = value
        meta["user"] = user
        values["metadata"] = meta
    await uow.conn.execute(sa.update(ITEM).where(ITEM.c.id == id_).values(**values))
    merged = {**row._asdict(), **values}
    uow.emit("item", "updated", id_, row.project_id, _item_event(merged))
    return id_


async def delete_items(uow: UnitOfWork, cmd: ItemsDelete) -> list[str]:
    ids, limit = cmd.ids, cmd.limit
    check_batch(ids, "ids", limit)
    dialect = dialect_of(uow)
    rows = list((await load_within(uow, ITEM, "Item", [(i, ["ids", str(n)]) for n, i in enumerate(ids)],
                                   uow.access.scope("Item", ITEM, "project_id"), "", "dataset_id", "project_id",
                                   "annotated")).values())
    if cmd.dataset_id is not None:  # the ids must be items of this dataset
        dataset = await load_for(uow, DATASET, cmd.dataset_id, "datasetId", "Dataset", "item.write", "id")
        elsewhere = sorted(r.id for r in rows if r.dataset_id != dataset.id)
        if elsewhere:
            raise Problems.one("INVALID", f"items {', '.join(elsewhere[:5])} are not in dataset {dataset.id}",
                               ["datasetId"])
    found = {r.id for r in rows}
    require_each_project(uow, {r.project_id for r in rows}, "item.write", "ids")
    await check_datasets_writable(uow, {r.dataset_id for r in rows}, "ids")
    await uow.conn.execute(sa.delete(ITEM).where(in_ids(ITEM.c.id, list(found), dialect)))
    per_dataset: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        per_dataset[r.dataset_id][0] += 1
        per_dataset[r.dataset_id][1] += int(bool(r.annotated))
    await bump_datasets(uow, {ds: (-n, -a) for ds, (n, a) in per_dataset.items()})
    for r in rows:
        uow.emit("item", "deleted", r.id, r.project_id, {"datasetId": r.dataset_id})
    return [r.id for r in rows]


def _merged_user_metadata(col: sa.ColumnElement, patch: dict[str, Any], dialect: str) -> sa.ColumnElement:
    """``col`` (an item's metadata) with ``patch`` merged into its user space key by key (null removes)."""
    sets = {k: v for k, v in patch.items() if v is not None}
    removed = [k for k, v in patch.items() if v is None]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY, JSONB

        meta = sa.type_coerce(col, JSONB)
        current = sa.case((sa.func.jsonb_typeof(meta["user"]) == "object", meta["user"]),
                          else_=sa.cast(sa.literal("{}"), JSONB))
        user = current.op("||", return_type=JSONB)(sa.cast(sa.literal(orjson.dumps(sets).decode()), JSONB))
        if removed:
            user = user.op("-", return_type=JSONB)(sa.cast(sa.literal(removed), ARRAY(sa.Text)))
        return sa.func.jsonb_set(sa.func.coalesce(meta, sa.cast(sa.literal("{}"), JSONB)),
                                 sa.literal_column("'{user}'::text[]"), user)
    current = sa.case((sa.func.json_type(col, "$.user") == "object", sa.func.json_extract(col, "$.user")),
                      else_="{}")
    if sets:  # each key's value replaces the old one whole (as PostgreSQL's ||)
        args = [a for k, v in sets.items() for a in (f'$."{k}"', sa.func.json(orjson.dumps(v).decode()))]
        user = sa.func.json_set(current, *args)
    else:
        user = current
    if removed:
        user = sa.func.json_remove(user, *[f'$."{k}"' for k in removed])
    return sa.func.json_set(sa.func.coalesce(col, "{}"), "$.user", sa.func.json(user))


async def update_items(uow: UnitOfWork, cmd: ItemsUpdate) -> int:
    """Change the items ``cmd`` selects in one dataset with one UPDATE (whatever their count), and one outbox
    event per changed item (one batched insert). Returns how many changed."""
    from labelgraph.data.resources import ITEM as ITEM_RESOURCE
    from labelgraph.graph import filterspec as fs

    dialect = dialect_of(uow)
    given = [n for n, v in (("ids", cmd.ids), ("filter", cmd.filter)) if v is not None]
    if len(given) != 1:
        raise Problems.one("INVALID", "give exactly one of ids, filter or dql to select the items", ["ids"])
    if cmd.metadata is None and cmd.hidden is None and cmd.dir is None:
        raise Problems.one("INVALID", "nothing to change: give metadata, hidden or dir", ["metadata"])
    raise_if([check_user_metadata(cmd.metadata, ["metadata"])])
    dataset = await load_dataset_for_write(uow, cmd.dataset_id, "datasetId")
    where = [ITEM.c.dataset_id == dataset.id]
    if cmd.ids is not None:  # each id must be an item of this dataset the caller reads: NOT_FOUND otherwise
        check_batch(cmd.ids, "ids", cmd.limit)
        await load_within(uow, ITEM, "Item", [(i, ["ids", str(n)]) for n, i in enumerate(cmd.ids)],
                          [*uow.access.scope("Item", ITEM, "project_id"), ITEM.c.dataset_id == dataset.id],
                          " in this dataset", "id")
        where.append(in_ids(ITEM.c.id, list(cmd.ids), dialect))
    else:
        where += fs.conditions(cmd.filter, ITEM_RESOURCE, dialect)
    values: dict[str, Any] = {"updated_at": utcnow()}
    if cmd.hidden is not None:
        values["hidden"] = cmd.hidden
    if cmd.metadata:
        values["metadata"] = _merged_user_metadata(ITEM.c["metadata"], cmd.metadata, dialect)
    if cmd.dir is not None:
        try:
            dir_ = normalize_dir(cmd.dir)
        except ValueError as exc:
            raise invalid(str(exc), "dir") from None
        values["dir"] = dir_
        values["filename"] = sa.literal(dir_.rstrip("/") + "/").concat(ITEM.c.name)
    statement = sa.update(ITEM).where(*where).values(**values).returning(*ITEM.c)
    try:
        rows = (await uow.conn.execute(statement)).mappings().all()
    except sa.exc.IntegrityError:  # the (dataset, filename) key: the transaction rolls back
        raise Problems.one("DUPLICATE", f"moving these items to {cmd.dir} would give two items one filename",
                           ["dir"]) from None
    for r in rows:
        uow.emit("item", "updated", r["id"], r["project_id"], _item_event(dict(r)))
    return len(rows)


async def delete_items_where(uow: UnitOfWork, cmd: ItemsDeleteWhere) -> list[str]:
    """Delete the items ``cmd.filter`` selects in one dataset (with their annotations) in one DELETE, whatever
    their count; one outbox event per item."""
    from labelgraph.data.resources import ITEM as ITEM_RESOURCE
    from labelgraph.graph import filterspec as fs

    dataset = await load_dataset_for_write(uow, cmd.dataset_id, "datasetId")
    where = [ITEM.c.dataset_id == dataset.id, *fs.conditions(cmd.filter, ITEM_RESOURCE, dialect_of(uow))]
    rows = (await uow.conn.execute(sa.delete(ITEM).where(*where).returning(
        ITEM.c.id, ITEM.c.project_id, ITEM.c.annotated))).all()
    if rows:
        await bump_datasets(uow, {dataset.id: (-len(rows), -sum(1 for r in rows if r.annotated))})
    for r in rows:
        uow.emit("item", "deleted", r.id, r.project_id, {"datasetId": dataset.id})
    return [r.id for r in rows]
