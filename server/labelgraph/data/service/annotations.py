"""Writes of annotations: checked against the dataset's recipe, counters of items and datasets kept
exact, a delete takes the annotation's descendants with it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from labelgraph.columns import utcnow
from labelgraph.data.commands import (
    AnnotationsCreate,
    AnnotationsDelete,
    AnnotationsUpdate,
    AnnotationType,
    AnnotationUpdate,
)
from labelgraph.data.resources import ANNOTATION as ANNOTATION_RESOURCE
from labelgraph.data.resources import annotation_record, records
from labelgraph.data.service.common import (
    ANNOTATION,
    ITEM,
    bump_datasets,
    check_batch,
    check_datasets_writable,
    check_user_metadata,
    dialect_of,
    require_each_project,
)
from labelgraph.data.validation import (
    check_coordinates,
    check_name,
)
from labelgraph.db import UnitOfWork, insert_rows
from labelgraph.errors import Problem, Problems, raise_if
from labelgraph.graph.mapping import Written
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import new_ids
from labelgraph.ontology.service import label_indexes
from labelgraph.rows import load_for, load_within


async def create_annotations(uow: UnitOfWork, cmd: AnnotationsCreate) -> list[str]:
    """Create annotations on any items (one transaction)."""
    annotations, limit = cmd.annotations, cmd.limit
    check_batch(annotations, "annotations", limit)
    dialect = dialect_of(uow)
    item_ids = list({a.item_id for a in annotations})
    items = {r.id: r for r in (await uow.conn.execute(
        sa.select(ITEM.c.id, ITEM.c.dataset_id, ITEM.c.project_id, ITEM.c.annotated)
        .where(in_ids(ITEM.c.id, item_ids, dialect)))).all() if uow.access.can_read_project(r.project_id)}
    parent_ids = list({a.parent_id for a in annotations if a.parent_id})
    parents = {r.id: r for r in (await uow.conn.execute(
        sa.select(ANNOTATION.c.id, ANNOTATION.c.item_id).where(
            in_ids(ANNOTATION.c.id, parent_ids, dialect), *uow.access.scope("Annotation", ANNOTATION, "project_id"))
    )).all()} if parent_ids else {}  # a parent the caller cannot read is one that does not exist
    indexes = await label_indexes(uow.conn, list({r.dataset_id for r in items.values()}))
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    now = utcnow()
    fresh = iter(new_ids("ann", len(annotations)))  # increasing, as new_id's would be
    for i, a in enumerate(annotations):
        base = ["annotations", str(i)]
        item = items.get(a.item_id)
        if item is None:
            problems.append(Problem("NOT_FOUND", f"no item with id {a.item_id!r}", [*base, "itemId"]))
            continue
        problem = (
            check_name(a.label, [*base, "label"], "label", 400)
            or check_coordinates(a.type.value, a.coordinates, [*base, "coordinates"], a.type.name)
            or _check_attributes(a.attributes, [*base, "attributes"])
            or check_user_metadata(a.metadata, [*base, "metadata"])
        )
        if problem is None and a.parent_id:
            parent = parents.get(a.parent_id)
            if parent is None:
                problem = Problem("NOT_FOUND", f"no annotation with id {a.parent_id!r} to be the parent",
                                  [*base, "parentId"])
            elif parent.item_id != a.item_id:
                problem = Problem("INVALID", f"the parent annotation {a.parent_id} is on another item "
                                  f"({parent.item_id}); a parent must be on the same item", [*base, "parentId"])
        if problem:
            problems.append(problem)
            continue
        label_problems = indexes[item.dataset_id].check(a.label.strip(), a.attributes, base)
        if label_problems:
            problems.extend(label_problems)
            continue
        rows.append({
            "id": next(fresh), "project_id": item.project_id, "dataset_id": item.dataset_id,
            "item_id": item.id, "parent_id": a.parent_id, "type": a.type.value, "label": a.label.strip(),
            "coordinates": a.coordinates if a.coordinates is not None else [], "attributes": a.attributes,
            "status": a.status, "object_id": a.object_id, "frame": a.frame, "end_frame": a.end_frame,
            "automated": bool(a.automated), "description": a.description,
            "metadata": {"system": {}, "user": a.metadata or {}}, "created_by": uow.principal_id,
            "updated_by": uow.principal_id, "created_at": now, "updated_at": now,
        })
    raise_if(problems)
    require_each_project(uow, {r["project_id"] for r in rows}, "annotation.write", "annotations")
    await check_datasets_writable(uow, {items[r["item_id"]].dataset_id for r in rows}, "annotations")
    await insert_rows(uow.conn, ANNOTATION, rows)
    per_item = Counter(r["item_id"] for r in rows)
    # the items' counters only: an item's updated_at is the last change of its own fields, and leaving it (an
    # indexed column) alone makes this a HOT update on PostgreSQL (migration 0016_bulkdb: no index entry written)
    if dialect == "postgresql":  # one statement for every item (executemany is one execution per item there)
        counts = sa.func.unnest(sa.bindparam("iids", list(per_item), type_=ARRAY(sa.String)),
                                sa.bindparam("ns", list(per_item.values()), type_=ARRAY(sa.Integer))
                                ).table_valued("iid", "n").render_derived()
        await uow.conn.execute(sa.update(ITEM).where(ITEM.c.id == counts.c.iid).values(
            annotations_count=ITEM.c.annotations_count + counts.c.n, annotated=True))
    else:  # SQLite: executemany runs in the driver's process, one prepared statement
        await uow.conn.execute(
            sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
                annotations_count=ITEM.c.annotations_count + sa.bindparam("n"), annotated=True),
            [{"iid": iid, "n": n} for iid, n in per_item.items()],
        )
    flipped = Counter(items[iid].dataset_id for iid in per_item if not items[iid].annotated)
    await bump_datasets(uow, {ds: (0, n) for ds, n in flipped.items()})
    uow.emit_many("annotation", "created", [(r["id"], r["project_id"], record) for r, record in
                                            zip(rows, records(ANNOTATION_RESOURCE, rows), strict=True)])
    return Written([r["id"] for r in rows], rows)


def _annotation_event(r: dict[str, Any]) -> dict[str, Any]:
    return annotation_record(r)


def _check_attributes(value: Any, field: list[str]) -> Problem | None:
    if value is None or isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, str)
                                                                                   for v in value)):
        return None
    return Problem("INVALID", "attributes must be an object of key → value (or a legacy list of strings)", field)


def _changes(spec: AnnotationUpdate, row: Any, at: list[str]) -> tuple[dict[str, Any], list[Problem | None]]:
    """The column values ``spec`` sets on ``row`` and the problems of its values (``at``: where the spec is in
    the input)."""
    values: dict[str, Any] = {}
    type_ = spec.type if spec.type is not None else AnnotationType(row.type)
    problems: list[Problem | None] = []
    if spec.label is not None:
        problems.append(check_name(spec.label, [*at, "label"], "label", 400))
        values["label"] = spec.label.strip()
    if spec.type is not None or spec.coordinates is not None:
        coords = spec.coordinates if spec.coordinates is not None else row.coordinates
        problems.append(check_coordinates(type_.value, coords, [*at, "coordinates"], type_.name))
        values.update(type=type_.value, coordinates=coords)
    if spec.attributes is not None:
        problems.append(_check_attributes(spec.attributes, [*at, "attributes"]))
        values["attributes"] = spec.attributes
    if spec.metadata is not None:
        problems.append(check_user_metadata(spec.metadata, [*at, "metadata"]))
        meta = dict(row.metadata or {})
        meta["user"] = {**(meta.get("user") or {}), **spec.metadata}
        meta["user"] = {k: v for k, v in meta["user"].items() if v is not None}
        values["metadata"] = meta
    for name in ("status", "description", "object_id", "frame", "end_frame", "automated"):
        value = getattr(spec, name)
        if value is not None:
            values[name] = value
    return values, problems


async def update_annotation(uow: UnitOfWork, spec: AnnotationUpdate) -> str:
    id_ = spec.id
    row = await load_for(uow, ANNOTATION, id_, "id", "Annotation", "annotation.write",
                             *[c.name for c in ANNOTATION.c])
    await check_datasets_writable(uow, {row.dataset_id}, "id")
    values: dict[str, Any] = {"updated_at": utcnow(), "updated_by": uow.principal_id}
    changes, problems = _changes(spec, row, [])
    values.update(changes)
    raise_if(problems)
    if spec.label is not None or spec.attributes is not None:
        index = (await label_indexes(uow.conn, [row.dataset_id]))[row.dataset_id]
        raise_if(index.check(values.get("label", row.label), values.get("attributes", row.attributes), []))
    await uow.conn.execute(sa.update(ANNOTATION).where(ANNOTATION.c.id == id_).values(**values))
    uow.emit("annotation", "updated", id_, row.project_id, _annotation_event({**row._asdict(), **values}))
    return id_


_UPDATABLE = ("label", "type", "coordinates", "attributes", "metadata", "status", "description", "object_id",
              "frame", "end_frame", "automated")


async def update_annotations(uow: UnitOfWork, cmd: AnnotationsUpdate) -> list[str]:
    """Update up to ``cmd.limit`` annotations, each with its own changes, all or nothing: one read, one
    recipe check per dataset, one batched UPDATE and one batched insert of the events."""
    specs = cmd.annotations
    check_batch(specs, "annotations", cmd.limit)
    ids = [s.id for s in specs]
    if len(set(ids)) != len(ids):
        raise Problems.one("INVALID", "an annotation may appear once per call", ["annotations"])
    rows = await load_within(uow, ANNOTATION, "Annotation",
                             [(s.id, ["annotations", str(n), "id"]) for n, s in enumerate(specs)],
                             uow.access.scope("Annotation", ANNOTATION, "project_id"), "")
    require_each_project(uow, {r.project_id for r in rows.values()}, "annotation.write", "annotations")
    await check_datasets_writable(uow, {r.dataset_id for r in rows.values()}, "annotations")
    now = utcnow()
    problems: list[Problem | None] = []
    updates = []
    for n, spec in enumerate(specs):
        row = rows[spec.id]
        changes, found = _changes(spec, row, ["annotations", str(n)])
        problems += found
        updates.append((n, row, changes, spec))
    raise_if(problems)
    checked = [(n, row, changes) for n, row, changes, spec in updates
               if spec.label is not None or spec.attributes is not None]
    if checked:
        indexes = await label_indexes(uow.conn, list({row.dataset_id for _, row, _ in checked}))
        for n, row, changes in checked:
            raise_if(indexes[row.dataset_id].check(changes.get("label", row.label),
                                                   changes.get("attributes", row.attributes),
                                                   ["annotations", str(n)]))
    params = [{"b_id": row.id, "b_updated_by": uow.principal_id,
               **{f"b_{c}": changes.get(c, getattr(row, c)) for c in _UPDATABLE}} for _, row, changes, _ in updates]
    await uow.conn.execute(
        sa.update(ANNOTATION).where(ANNOTATION.c.id == sa.bindparam("b_id")).values(
            updated_at=now, updated_by=sa.bindparam("b_updated_by"),
            **{c: sa.bindparam(f"b_{c}", type_=ANNOTATION.c[c].type) for c in _UPDATABLE}),
        params)
    for _, row, changes, _ in updates:
        uow.emit("annotation", "updated", row.id, row.project_id,
                 _annotation_event({**row._asdict(), **changes, "updated_at": now}))
    return ids


async def delete_annotations(uow: UnitOfWork, cmd: AnnotationsDelete) -> list[str]:
    """Delete annotations and their descendants (a pose takes its keypoints with it)."""
    ids, limit = cmd.ids, cmd.limit
    check_batch(ids, "ids", limit)
    dialect = dialect_of(uow)
    wanted = list(set(ids))
    await load_within(uow, ANNOTATION, "Annotation", [(i, ["ids", str(n)]) for n, i in enumerate(ids)],
                      uow.access.scope("Annotation", ANNOTATION, "project_id"), "", "id")
    tree = sa.select(ANNOTATION.c.id).where(in_ids(ANNOTATION.c.id, wanted, dialect)).cte("tree", recursive=True)
    tree = tree.union_all(sa.select(ANNOTATION.c.id).join(tree, ANNOTATION.c.parent_id == tree.c.id))
    rows = (await uow.conn.execute(
        sa.select(ANNOTATION.c.id, ANNOTATION.c.item_id, ANNOTATION.c.dataset_id, ANNOTATION.c.project_id)
        .where(ANNOTATION.c.id.in_(sa.select(tree.c.id))))).all()
    require_each_project(uow, {r.project_id for r in rows}, "annotation.write", "ids")
    await check_datasets_writable(uow, {r.dataset_id for r in rows}, "ids")
    all_ids = [r.id for r in rows]
    await uow.conn.execute(sa.delete(ANNOTATION).where(in_ids(ANNOTATION.c.id, all_ids, dialect)))
    per_item = Counter(r.item_id for r in rows)
    await uow.conn.execute(  # the counters only, as create_annotations
        sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
            annotations_count=ITEM.c.annotations_count - sa.bindparam("n"),
            annotated=ITEM.c.annotations_count - sa.bindparam("n") > 0),
        [{"iid": iid, "n": n} for iid, n in per_item.items()],
    )
    emptied = (await uow.conn.execute(sa.select(ITEM.c.dataset_id).where(
        in_ids(ITEM.c.id, list(per_item), dialect), ITEM.c.annotations_count == 0))).scalars().all()
    await bump_datasets(uow, {ds: (0, -n) for ds, n in Counter(emptied).items()})
    for r in rows:
        uow.emit("annotation", "deleted", r.id, r.project_id, {"itemId": r.item_id, "datasetId": r.dataset_id})
    return all_ids
