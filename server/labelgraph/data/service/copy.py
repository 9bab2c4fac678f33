"""A set-based copy of a dataset's rows into another dataset: clones, merges (the jobs) and versions.

``copy_dataset_rows`` runs a fixed number of statements whatever the row count: the old → new ids go into a
temporary mapping table filled by ``INSERT … SELECT`` (the new ids computed in SQL), then the items and the
annotations are inserted by ``INSERT … SELECT`` joined to it (an annotation's item and parent remapped), and the
target's counters are bumped once. Blobs are shared: a copied item points at the same ``sha256``/``storage_key``,
no byte is copied.

New ids are well-formed prefixed ULIDs (ids.py): the 48-bit timestamp of the call, 40 random bits drawn once per
call and per kind, and the row's rank (40 bits) in the source's id order, so the copies sort as their originals
did and two calls never share a base but with probability 2^-40.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from ulid import ULID

from labelgraph.columns import utcnow
from labelgraph.data.service.common import ANNOTATION, DATASET, ITEM, dialect_of
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANK_CHARS = 8  # 40 bits of rank: up to 10^12 rows per kind and call

# the columns copied as they are (the rest: the new id, dataset, project, remapped references, counters)
ITEM_COPIED = ("name", "dir", "filename", "type", "hidden", "mimetype", "size", "width", "height", "description",
               "storage_key", "sha256", "fps", "duration", "split", "created_by", "created_at", "updated_at")
ANNOTATION_COPIED = ("type", "label", "coordinates", "attributes", "status", "object_id", "frame", "end_frame",
                     "automated", "description", "metadata", "created_by", "updated_by", "created_at",
                     "updated_at")


@dataclass(frozen=True)
class CopyResult:
    items: int
    annotations: int
    annotated: int


def id_base(prefix: str) -> str:
    """``prefix_`` + 10 characters of the current millisecond + 8 random characters (the ULID's first 18)."""
    stamp = str(ULID())[:10]
    rand = "".join(secrets.choice(CROCKFORD) for _ in range(26 - 10 - _RANK_CHARS))
    return f"{prefix}_{stamp}{rand}"


def id_expr(base: str, rank: sa.ColumnElement) -> sa.ColumnElement:
    """The id ``base`` + ``rank`` in 8 Crockford base32 characters, as SQL (SQLite and PostgreSQL; the
    constants inline, as integers: PostgreSQL has ``bigint >> integer`` only)."""
    rank = sa.cast(rank, sa.BigInteger)
    alphabet = sa.literal_column(f"'{CROCKFORD}'", sa.String)
    out: sa.ColumnElement = sa.literal(base, sa.String)
    for k in range(_RANK_CHARS - 1, -1, -1):
        shifted = rank.op(">>")(sa.literal_column(str(5 * k), sa.Integer)) if k else rank
        digit = shifted.op("&")(sa.literal_column("31", sa.Integer))
        out = out.concat(sa.func.substr(alphabet, sa.cast(digit, sa.Integer) + sa.literal_column("1", sa.Integer),
                                        sa.literal_column("1", sa.Integer)))
    return out


def _mapping_table(name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), sa.Column("old_id", sa.String(40), primary_key=True),
                    sa.Column("new_id", sa.String(40), nullable=False), prefixes=["TEMPORARY"])


def _user_metadata_dropped(col: sa.ColumnElement, dialect: str) -> sa.ColumnElement:
    """An item's metadata with its system part kept and its user part emptied."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        meta = sa.type_coerce(col, JSONB)
        return sa.func.jsonb_build_object(
            "system", sa.func.coalesce(meta["system"], sa.cast(sa.literal("{}"), JSONB)),
            "user", sa.cast(sa.literal("{}"), JSONB))
    return sa.func.json_object(
        "system", sa.func.json(sa.func.coalesce(sa.func.json_extract(col, "$.system"), "{}")),
        "user", sa.func.json("{}"))


async def copy_dataset_rows(
    uow: UnitOfWork, *, source_dataset_id: str, target_dataset_id: str, item_filter: Any = None,
    with_annotations: bool = True, with_metadata: bool = True, with_item_statuses: bool = True,
    on_conflict: Literal["error", "skip"] = "error",
    on_step: Callable[[str], Awaitable[None]] | None = None,
) -> CopyResult:
    """Copy the items of ``source_dataset_id`` (those ``item_filter`` — the one filter structure,
    graph/filterspec — selects; all without one) into ``target_dataset_id``, with their split, metadata
    (``with_metadata=False``: the user part left empty), annotations (parent links remapped) and attributes.

    Access is the caller's business: both datasets must have been loaded for the write (``rows.load_for``).
    An item whose path exists in the target already is a DUPLICATE (``on_conflict="error"``, nothing written)
    or left out (``"skip"``, with its annotations). ``with_item_statuses``: item statuses belong to tasks (the
    workflow slice, above this one) and a copy is in no task, so they are not copied; the flag is accepted for the
    jobs' inputs. The target's counters are kept exact; no outbox event per row (the caller emits one for the
    dataset). A fixed number of statements, whatever the row count. ``on_step(name)`` is awaited after each
    table is copied ("items", "annotations"), inside the caller's transaction (jobs report progress with it)."""
    del with_item_statuses
    from labelgraph.data.resources import ITEM as ITEM_RESOURCE
    from labelgraph.graph import filterspec as fs

    dialect = dialect_of(uow)
    conn = uow.conn
    target = (await conn.execute(sa.select(DATASET.c.id, DATASET.c.project_id).where(
        DATASET.c.id == target_dataset_id))).one()
    where = [ITEM.c.dataset_id == source_dataset_id]
    if item_filter is not None:
        where += fs.conditions(item_filter, ITEM_RESOURCE, dialect)
    there = ITEM.alias("there")
    existing = sa.select(there.c.id).where(there.c.dataset_id == target_dataset_id,
                                           there.c.filename == ITEM.c.filename)
    if on_conflict == "error":
        clash = (await conn.execute(sa.select(ITEM.c.filename).where(*where, sa.exists(existing)).order_by(
            ITEM.c.filename).limit(5))).scalars().all()
        if clash:
            raise Problems.one("DUPLICATE", f"items with these paths exist in dataset {target_dataset_id} already: "
                               f"{', '.join(clash)}", ["datasetId"])
    else:
        where.append(~sa.exists(existing))

    suffix = secrets.token_hex(6)
    item_map, ann_map = _mapping_table(f"copy_items_{suffix}"), _mapping_table(f"copy_anns_{suffix}")
    tables = [item_map] + ([ann_map] if with_annotations else [])
    for t in tables:
        ddl = str(sa.schema.CreateTable(t).compile(dialect=conn.dialect)).strip()
        await conn.execute(sa.text(ddl + (" ON COMMIT DROP" if dialect == "postgresql" else "")))
    try:
        ranked = sa.select(ITEM.c.id, sa.func.row_number().over(order_by=ITEM.c.id).label("rn")).where(
            *where).subquery()
        n_items = (await conn.execute(sa.insert(item_map).from_select(
            ["old_id", "new_id"], sa.select(ranked.c.id, id_expr(id_base("itm"), ranked.c.rn))))).rowcount
        src = ITEM
        meta = src.c["metadata"] if with_metadata else _user_metadata_dropped(src.c["metadata"], dialect)
        annotated = src.c.annotated if with_annotations else sa.false()
        count = src.c.annotations_count if with_annotations else sa.literal(0)
        item_cols = ["id", "project_id", "dataset_id", *ITEM_COPIED, "metadata", "annotated", "annotations_count"]
        await conn.execute(sa.insert(ITEM).from_select(item_cols, sa.select(
            item_map.c.new_id, sa.literal(target.project_id, sa.String), sa.literal(target_dataset_id, sa.String),
            *[src.c[c] for c in ITEM_COPIED], meta, annotated, count,
        ).select_from(src.join(item_map, item_map.c.old_id == src.c.id))))
        if on_step is not None:
            await on_step("items")
        n_anns = 0
        if with_annotations and n_items:
            a = ANNOTATION
            ranked = sa.select(a.c.id, sa.func.row_number().over(order_by=a.c.id).label("rn")).where(
                a.c.item_id.in_(sa.select(item_map.c.old_id))).subquery()
            n_anns = (await conn.execute(sa.insert(ann_map).from_select(
                ["old_id", "new_id"], sa.select(ranked.c.id, id_expr(id_base("ann"), ranked.c.rn))))).rowcount
            mine, parent = ann_map.alias("mine"), ann_map.alias("parent")
            ann_cols = ["id", "project_id", "dataset_id", "item_id", "parent_id", *ANNOTATION_COPIED]
            await conn.execute(sa.insert(ANNOTATION).from_select(ann_cols, sa.select(
                mine.c.new_id, sa.literal(target.project_id, sa.String), sa.literal(target_dataset_id, sa.String),
                item_map.c.new_id, parent.c.new_id, *[a.c[c] for c in ANNOTATION_COPIED],
            ).select_from(a.join(mine, mine.c.old_id == a.c.id).join(item_map, item_map.c.old_id == a.c.item_id)
                          .outerjoin(parent, parent.c.old_id == a.c.parent_id))))
            if on_step is not None:
                await on_step("annotations")
        n_annotated = 0
        if n_items:
            if with_annotations:
                n_annotated = (await conn.execute(sa.select(sa.func.count()).select_from(
                    ITEM.join(item_map, item_map.c.old_id == ITEM.c.id)).where(ITEM.c.annotated.is_(True)))
                ).scalar_one()
            await conn.execute(sa.update(DATASET).where(DATASET.c.id == target_dataset_id).values(
                items_count=DATASET.c.items_count + n_items,
                annotated_count=DATASET.c.annotated_count + n_annotated, updated_at=utcnow()))
    finally:
        if dialect != "postgresql":  # PostgreSQL drops them at commit (or rollback)
            for t in tables:
                await conn.execute(sa.text(f"DROP TABLE IF EXISTS temp.{t.name}"))
    return CopyResult(items=n_items, annotations=n_anns, annotated=n_annotated)
