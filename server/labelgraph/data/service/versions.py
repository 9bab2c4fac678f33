"""Dataset versions and splits.

A version is a set-based copy (``copy.copy_dataset_rows``) of the dataset's items, metadata, annotations and
splits into a hidden dataset whose ``version_of`` is the dataset: O(rows) once at creation, a fixed number of
statements, and afterwards the version is an ordinary dataset to read (filters, DQL, exports, the compiler), never
listed (``Project.datasets``, ``Recipe.datasets``) and refused every write (``common.check_writable``: READ_ONLY).
Blobs are shared, so a version costs rows, not bytes.

Splits: ``itemsSplitSet`` sets one split on any number of items with one UPDATE; ``datasetSplit`` ranks the
dataset's files by a seeded hash of their ids computed in SQL and cuts the ranking by the cumulative ratios: one
count, one UPDATE, the same result for the same seed and items.
"""

from __future__ import annotations

import math
import random
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import DatasetSplit, DatasetVersionCreate, ItemsSplitSet
from labelgraph.data.models import DatasetVersion
from labelgraph.data.resources import item_record
from labelgraph.data.service.common import (
    DATASET,
    ITEM,
    check_batch,
    check_writable,
    dialect_of,
    load_dataset_for_write,
)
from labelgraph.data.service.copy import copy_dataset_rows
from labelgraph.data.validation import check_name
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, raise_if
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import new_id
from labelgraph.rows import load_for, load_within

VERSION = DatasetVersion.__table__
SPLIT_NAME_MAX = 64


async def create_version(uow: UnitOfWork, cmd: DatasetVersionCreate) -> str:
    """Freeze the dataset under ``cmd.name`` (unique per dataset). Returns the version's id."""
    dataset = await load_for(uow, DATASET, cmd.dataset_id, "datasetId", "Dataset", "dataset.write",
                             "id", "name", "recipe_id", "readonly", "version_of")
    if dataset.version_of is not None:
        check_writable(dataset, "datasetId")  # a version of a version: READ_ONLY
    raise_if([check_name(cmd.name, ["name"])])
    name = cmd.name.strip()
    taken = (await uow.conn.execute(sa.select(VERSION.c.id).where(
        VERSION.c.dataset_id == dataset.id, VERSION.c.name == name))).first()
    if taken is not None:
        raise Problems.one("DUPLICATE", f"dataset {dataset.id} has a version named {name!r} already", ["name"])
    now, version_id, snapshot_id = utcnow(), new_id("dsv"), new_id("ds")
    await uow.conn.execute(sa.insert(DATASET).values(
        id=snapshot_id, project_id=dataset.project_id, name=f"~{version_id}", description=None,
        recipe_id=dataset.recipe_id, readonly=True, version_of=dataset.id, items_count=0, annotated_count=0,
        metadata={"version": {"id": version_id, "name": name}}, created_by=uow.principal_id, created_at=now,
        updated_at=now))
    copied = await copy_dataset_rows(uow, source_dataset_id=dataset.id, target_dataset_id=snapshot_id,
                                     with_item_statuses=False)
    await uow.conn.execute(sa.insert(VERSION).values(
        id=version_id, project_id=dataset.project_id, dataset_id=dataset.id, snapshot_id=snapshot_id, name=name,
        items_count=copied.items, annotations_count=copied.annotations, created_by=uow.principal_id,
        created_at=now))
    uow.emit("dataset_version", "created", version_id, dataset.project_id,
             {"datasetId": dataset.id, "snapshotId": snapshot_id, "name": name, "items": copied.items,
              "annotations": copied.annotations})
    return version_id


def check_split_name(value: Any, field: list[str]) -> Problem | None:
    if not isinstance(value, str) or not value.strip():
        return Problem("INVALID", "a split name must be a non-empty string", field)
    if len(value) > SPLIT_NAME_MAX:
        return Problem("INVALID", f"a split name must be at most {SPLIT_NAME_MAX} characters, got {len(value)}",
                       field)
    return None


async def _set_split(uow: UnitOfWork, where: list, split: Any) -> int:
    """One UPDATE of the selected items' split, one outbox event per changed item (one batched insert)."""
    rows = (await uow.conn.execute(sa.update(ITEM).where(*where).values(split=split, updated_at=utcnow())
                                   .returning(*ITEM.c))).mappings().all()
    for r in rows:
        uow.emit("item", "updated", r["id"], r["project_id"], item_record(dict(r)))
    return len(rows)


async def set_items_split(uow: UnitOfWork, cmd: ItemsSplitSet) -> int:
    """Set (None: clear) the split of the items ``ids`` names or ``filter`` selects: one UPDATE."""
    from labelgraph.data.resources import ITEM as ITEM_RESOURCE
    from labelgraph.graph import filterspec as fs

    dialect = dialect_of(uow)
    if (cmd.ids is None) == (cmd.filter is None):
        raise Problems.one("INVALID", "give exactly one of itemIds or filter to select the items", ["itemIds"])
    split = cmd.split.strip() if isinstance(cmd.split, str) else None
    if cmd.split is not None:
        raise_if([check_split_name(cmd.split, ["split"])])
    dataset = await load_dataset_for_write(uow, cmd.dataset_id, "datasetId")
    where = [ITEM.c.dataset_id == dataset.id]
    if cmd.ids is not None:
        check_batch(cmd.ids, "itemIds", cmd.limit)
        await load_within(uow, ITEM, "Item", [(i, ["itemIds", str(n)]) for n, i in enumerate(cmd.ids)],
                          [*uow.access.scope("Item", ITEM, "project_id"), ITEM.c.dataset_id == dataset.id],
                          " in this dataset", "id")
        where.append(in_ids(ITEM.c.id, list(cmd.ids), dialect))
    else:
        where += fs.conditions(cmd.filter, ITEM_RESOURCE, dialect)
    return await _set_split(uow, where, split)


def check_ratios(ratios: Any) -> list[tuple[str, float]]:
    """``{name: share}``: 1..64-character names, positive shares summing to 1 (within 1e-6); else INVALID
    naming ``ratios`` (or ``ratios.<name>``)."""
    if not isinstance(ratios, dict) or not ratios:
        raise Problems.one("INVALID", 'ratios must be a non-empty object of split name → share, e.g. '
                           '{"train": 0.8, "validation": 0.1, "test": 0.1}', ["ratios"])
    problems: list[Problem | None] = []
    out = []
    for name, share in ratios.items():
        problems.append(check_split_name(name, ["ratios", str(name)]))
        if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share) or share <= 0:
            problems.append(Problem("INVALID", f"ratios.{name} must be a positive number, got {share!r}",
                                    ["ratios", str(name)]))
        else:
            out.append((name.strip() if isinstance(name, str) else name, float(share)))
    raise_if(problems)
    if len({n for n, _ in out}) != len(out):
        raise Problems.one("INVALID", "ratios names a split twice", ["ratios"])
    total = math.fsum(s for _, s in out)
    if abs(total - 1) > 1e-6:
        raise Problems.one("INVALID", f"the ratios must sum to 1 (within 1e-6), got {total:.9g}", ["ratios"])
    return out


_M = 2_147_483_647  # 2^31 - 1: the product of two residues fits in 64 bits


def seeded_hash(id_col: sa.ColumnElement, seed: int, dialect: str, start: int = 5, length: int = 26
                ) -> sa.ColumnElement:
    """A pseudo-random integer in [0, 2^31-1) of an id and a seed, in portable SQL: the id's characters
    (``start``.., past the type prefix) weighted by coefficients drawn from the seed and summed (a flat sum:
    SQLite's parser refuses deep nesting), then squared and multiplied modulo the prime, so that neighbouring ids
    land far apart."""
    code = sa.func.ascii if dialect == "postgresql" else sa.func.unicode
    draw = random.Random(seed)

    def const(value: int) -> sa.ColumnElement:
        return sa.literal_column(str(value), sa.BigInteger)

    terms = [code(sa.func.substr(id_col, const(start + i), const(1))) * const(draw.randrange(1, 1 << 24))
             for i in range(length)]
    h = sa.func.coalesce(sum(terms[1:], terms[0]), const(0)) % const(_M)
    return ((h * h) % const(_M) * const(48271) + const(seed % _M)) % const(_M)


async def split_dataset(uow: UnitOfWork, cmd: DatasetSplit) -> int:
    """Give each file item of the dataset a split: ranked by ``seeded_hash(id, seed)``, the first
    round(n × r1) get the first name, and so on (the last takes the rest). Returns how many items changed."""
    ratios = check_ratios(cmd.ratios)
    dataset = await load_dataset_for_write(uow, cmd.dataset_id, "datasetId")
    dialect = dialect_of(uow)
    files = [ITEM.c.dataset_id == dataset.id, ITEM.c.type == "file"]
    n = (await uow.conn.execute(sa.select(sa.func.count()).select_from(ITEM).where(*files))).scalar_one()
    if n == 0:
        return 0
    bounds, cum = [], 0.0
    for _, share in ratios[:-1]:
        cum += share
        bounds.append(round(n * cum))
    rank = sa.func.row_number().over(order_by=(seeded_hash(ITEM.c.id, cmd.seed, dialect), ITEM.c.id))
    ranked = sa.select(ITEM.c.id, rank.label("rn")).where(*files).subquery("ranked")
    split = sa.case(*[(ranked.c.rn <= b, name) for (name, _), b in zip(ratios, bounds, strict=False)],
                    else_=ratios[-1][0]) if bounds else sa.literal(ratios[-1][0])
    chosen = sa.select(ranked.c.id, split.label("split")).subquery("chosen")
    rows = (await uow.conn.execute(sa.update(ITEM).where(ITEM.c.id == chosen.c.id).values(
        split=chosen.c.split, updated_at=utcnow()).returning(*ITEM.c))).mappings().all()
    for r in rows:
        uow.emit("item", "updated", r["id"], r["project_id"], item_record(dict(r)))
    return len(rows)
