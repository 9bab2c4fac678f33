"""Set-based copies of dataset rows (clone, merge, versions): ``INSERT … SELECT``, a bounded number of statements
whatever the number of items and annotations. Content is shared: the copies point at the same blobs (``sha256``,
``storage_key``); no byte is copied.

New ids are computed in SQL from the source ids: ``<prefix>_`` + 16 characters of a fresh ULID made for this copy
(its millisecond timestamp and 30 random bits: the copies sort after everything created before) + the last 10
characters of the source id. A row and the rows pointing at it (an annotation's item and parent) are mapped by
the same function, so the references hold without a lookup table. Every copy has its own ``salt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data import models as m
from labelgraph.db import UnitOfWork
from labelgraph.events.models import OutboxEvent
from labelgraph.ids import new_id

ITEM = m.Item.__table__
ANNOTATION = m.Annotation.__table__
DATASET = m.Dataset.__table__
OUTBOX = OutboxEvent.__table__


def new_salt() -> str:
    """16 characters of a fresh ULID: the millisecond now and 30 random bits."""
    return new_id("x")[2:18]


def remap(col: sa.ColumnElement, salt: str) -> sa.ColumnElement:
    """The id of the copy of the row whose id is ``col`` (see the module doc)."""
    prefix = sa.func.substr(col, 1, sa.func.length(col) - 26)  # "itm_"
    return prefix.concat(sa.literal(salt)).concat(sa.func.substr(col, sa.func.length(col) - 9))


def _json_object(dialect: str, pairs: list[tuple[str, Any]]) -> sa.ColumnElement:
    args: list[Any] = []
    for k, v in pairs:
        args += [sa.literal(k), v]
    return (sa.func.jsonb_build_object if dialect == "postgresql" else sa.func.json_object)(*args)


def _system_only(dialect: str) -> sa.ColumnElement:
    """The item's metadata without its user part: ``{"system": …, "user": {}}``."""
    meta = ITEM.c.metadata
    if dialect == "postgresql":
        return sa.func.jsonb_build_object("system", sa.func.coalesce(meta.op("->")("system"), sa.text("'{}'::jsonb")),
                                          "user", sa.text("'{}'::jsonb"))
    return sa.func.json_object("system", sa.func.json(sa.func.coalesce(sa.func.json_extract(meta, "$.system"), "{}")),
                               "user", sa.func.json("{}"))


def _bool(dialect: str, col: sa.ColumnElement) -> sa.ColumnElement:
    if dialect == "postgresql":
        return col
    return sa.func.json(sa.case((col, "true"), else_="false"))


@dataclass(frozen=True)
class Copied:
    items: int
    annotations: int


async def copy_rows(uow: UnitOfWork, *, source_ids: list[str], target_id: str, target_project_id: str,
                    where: list[sa.ColumnElement] | None = None, with_annotations: bool = True,
                    with_metadata: bool = True, salt: str | None = None, emit_events: bool = True) -> Copied:
    """Copy the items of the datasets ``source_ids`` matching ``where`` (conditions on the item table) into the
    dataset ``target_id`` (of project ``target_project_id``), with their annotations (parent links kept) when
    ``with_annotations``, their user metadata when ``with_metadata`` (else only ``metadata.system``). The
    target's counters are set from what it holds. With ``emit_events`` one ``item`` ``created`` event per copied
    item is written to the outbox in one statement (triggers and ``datasetChanged`` see them; they are published
    by the outbox sweep). At most six statements, whatever the numbers of rows. The caller checks access, that
    the target is empty of clashing file names, and owns the transaction."""
    dialect = uow.conn.dialect.name
    salt = salt or new_salt()
    now = utcnow()
    chosen = sa.and_(ITEM.c.dataset_id.in_(source_ids), *(where or []))
    item_cols = ("name", "dir", "filename", "type", "hidden", "mimetype", "size", "width", "height", "description",
                 "storage_key", "sha256", "fps", "duration", "created_by", "split")
    select = sa.select(
        remap(ITEM.c.id, salt), sa.literal(target_project_id), sa.literal(target_id),
        *[ITEM.c[c] for c in item_cols],
        ITEM.c.metadata if with_metadata else _system_only(dialect),
        ITEM.c.annotated if with_annotations else sa.false(),
        ITEM.c.annotations_count if with_annotations else sa.literal(0),
        sa.literal(now, ITEM.c.created_at.type), sa.literal(now, ITEM.c.updated_at.type),
    ).where(chosen)
    result = await uow.conn.execute(sa.insert(ITEM).from_select(
        ["id", "project_id", "dataset_id", *item_cols, "metadata", "annotated", "annotations_count", "created_at",
         "updated_at"], select))
    items = result.rowcount or 0
    annotations = 0
    if with_annotations and items:
        ann_cols = ("type", "label", "coordinates", "attributes", "status", "object_id", "frame", "end_frame",
                    "automated", "description", "metadata", "created_by", "updated_by", "created_at", "updated_at")
        parent = sa.case((ANNOTATION.c.parent_id.is_(None), sa.null()), else_=remap(ANNOTATION.c.parent_id, salt))
        select = sa.select(
            remap(ANNOTATION.c.id, salt), sa.literal(target_project_id), sa.literal(target_id),
            remap(ANNOTATION.c.item_id, salt), parent, *[ANNOTATION.c[c] for c in ann_cols],
        ).where(ANNOTATION.c.dataset_id.in_(source_ids),
                ANNOTATION.c.item_id.in_(sa.select(ITEM.c.id).where(chosen)))
        result = await uow.conn.execute(sa.insert(ANNOTATION).from_select(
            ["id", "project_id", "dataset_id", "item_id", "parent_id", *ann_cols], select))
        annotations = result.rowcount or 0
    mine = ITEM.alias("counted")
    await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == target_id).values(
        items_count=sa.select(sa.func.count()).select_from(mine).where(mine.c.dataset_id == target_id)
        .scalar_subquery(),
        annotated_count=sa.select(sa.func.count()).select_from(mine).where(
            mine.c.dataset_id == target_id, mine.c.annotated.is_(True)).scalar_subquery(),
        updated_at=now))
    if emit_events and items:
        copy = ITEM.alias("copy")
        payload = _json_object(dialect, [
            ("id", copy.c.id), ("datasetId", copy.c.dataset_id), ("name", copy.c.name), ("dir", copy.c.dir),
            ("filename", copy.c.filename), ("type", copy.c.type), ("mimetype", copy.c.mimetype),
            ("hidden", _bool(dialect, copy.c.hidden)), ("annotated", _bool(dialect, copy.c.annotated)),
            ("split", copy.c.split), ("metadata", copy.c.metadata if dialect == "postgresql"
                                      else sa.func.json(copy.c.metadata)),
            ("createdAt", sa.literal(now.isoformat())), ("updatedAt", sa.literal(now.isoformat())),
        ])
        event_id = sa.literal("evt_").concat(sa.literal(new_salt())).concat(
            sa.func.substr(copy.c.id, sa.func.length(copy.c.id) - 9))
        await uow.conn.execute(sa.insert(OUTBOX).from_select(
            ["id", "project_id", "resource", "action", "entity_id", "payload", "created_at", "published_at",
             "matched_at"],
            sa.select(event_id, copy.c.project_id, sa.literal("item"), sa.literal("created"), copy.c.id, payload,
                      sa.literal(now, OUTBOX.c.created_at.type), sa.null(), sa.null())
            .where(copy.c.dataset_id == target_id, sa.func.substr(copy.c.id, 5, 16) == salt)))
    return Copied(items=items, annotations=annotations)
