"""Writes of the data domain. The only code that changes organizations, projects, datasets, items and
annotations. Every function runs inside the caller's UnitOfWork (one transaction), validates everything
before writing anything, keeps the dataset/item counters exact and records outbox events."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data import models as m
from labelgraph.data.filters import annotation_record, item_record
from labelgraph.data.validation import (
    check_coordinates,
    check_item_name,
    check_name,
    join_path,
    normalize_dir,
)
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.models import OrganizationMember, ProjectMember
from labelgraph.ids import new_id
from labelgraph.ontology.service import check_recipe, create_default_recipe, label_indexes
from labelgraph.rows import MAX_PROBLEMS, load_for, load_org, load_within

ORG = m.Organization.__table__
PROJECT = m.Project.__table__
DATASET = m.Dataset.__table__
ITEM = m.Item.__table__
ANNOTATION = m.Annotation.__table__
ORG_MEMBER = OrganizationMember.__table__
PROJECT_MEMBER = ProjectMember.__table__


def _dialect(uow: UnitOfWork) -> str:
    return uow.conn.dialect.name


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise Problems(problems[:MAX_PROBLEMS])


def _require_each_project(uow: UnitOfWork, project_ids: set[str], permission: str, field: str) -> None:
    for pid in project_ids:
        uow.access.require_project(pid, permission, "project", pid, field)


async def _unique(uow: UnitOfWork, table: sa.Table, scope_col: str, scope_id: str, name: str, field: str,
                  what: str, exclude: str | None = None) -> None:
    stmt = sa.select(table.c.id).where(table.c[scope_col] == scope_id, table.c.name == name)
    if exclude:
        stmt = stmt.where(table.c.id != exclude)
    if (await uow.conn.execute(stmt)).first() is not None:
        raise Problems.one("DUPLICATE", f"a {what} named {name!r} exists already here", [field])


# --- organizations -------------------------------------------------------------------------------------

async def create_organization(uow: UnitOfWork, name: str) -> str:
    """Any signed-in user may create an organization; they become its owner."""
    uow.access.require_user()
    _raise_if([p for p in [check_name(name, ["name"])] if p])
    now, id_ = utcnow(), new_id("org")
    await uow.conn.execute(sa.insert(ORG).values(id=id_, name=name.strip(), plan="freemium",
                                                created_by=uow.principal_id, created_at=now, updated_at=now))
    if uow.principal_id:
        await uow.conn.execute(sa.insert(ORG_MEMBER).values(
            id=new_id("om"), organization_id=id_, user_id=uow.principal_id, role="owner", created_at=now,
            updated_at=now))
        uow.access.org_roles[id_] = "owner"
    return id_


async def update_organization(uow: UnitOfWork, id_: str, name: str | None) -> str:
    await load_org(uow, id_, "id", "organization.update")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        _raise_if([p for p in [check_name(name, ["name"])] if p])
        values["name"] = name.strip()
    await uow.conn.execute(sa.update(ORG).where(ORG.c.id == id_).values(**values))
    return id_


async def delete_organization(uow: UnitOfWork, id_: str, confirm: bool) -> str:
    await load_org(uow, id_, "id", "organization.delete")
    _require_confirm(confirm, "an organization with all its projects")
    await uow.conn.execute(sa.delete(ORG).where(ORG.c.id == id_))
    return id_


def _require_confirm(confirm: bool, what: str) -> None:
    if not confirm:
        raise invalid(f"deleting {what} cannot be undone: pass confirm: true", "confirm")


# --- projects ------------------------------------------------------------------------------------------

async def create_project(uow: UnitOfWork, organization_id: str, name: str, description: str | None) -> str:
    await load_org(uow, organization_id, "organizationId", "project.create")
    _raise_if([p for p in [check_name(name, ["name"])] if p])
    await _unique(uow, PROJECT, "organization_id", organization_id, name.strip(), "name", "project")
    now, id_ = utcnow(), new_id("prj")
    await uow.conn.execute(sa.insert(PROJECT).values(
        id=id_, organization_id=organization_id, name=name.strip(), description=description, metadata={},
        created_by=uow.principal_id, created_at=now, updated_at=now))
    if uow.principal_id:  # the creator owns the project
        await uow.conn.execute(sa.insert(PROJECT_MEMBER).values(
            id=new_id("pm"), project_id=id_, user_id=uow.principal_id, role="owner", created_at=now,
            updated_at=now))
        uow.access.project_roles[id_] = "owner"
    return id_


async def update_project(uow: UnitOfWork, id_: str, name: str | None, description: str | None) -> str:
    row = await load_for(uow, PROJECT, id_, "id", "Project", "project.update", "organization_id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        _raise_if([p for p in [check_name(name, ["name"])] if p])
        await _unique(uow, PROJECT, "organization_id", row.organization_id, name.strip(), "name", "project",
                      exclude=id_)
        values["name"] = name.strip()
    if description is not None:
        values["description"] = description or None
    await uow.conn.execute(sa.update(PROJECT).where(PROJECT.c.id == id_).values(**values))
    return id_


async def delete_project(uow: UnitOfWork, id_: str, confirm: bool) -> str:
    await load_for(uow, PROJECT, id_, "id", "Project", "project.delete")
    _require_confirm(confirm, "a project with all its datasets, items and annotations")
    await uow.conn.execute(sa.delete(PROJECT).where(PROJECT.c.id == id_))
    return id_


# --- datasets ------------------------------------------------------------------------------------------

async def create_dataset(uow: UnitOfWork, project_id: str, name: str, description: str | None = None,
                         recipe_id: str | None = None) -> str:
    await load_for(uow, PROJECT, project_id, "projectId", "Project", "dataset.write")
    _raise_if([p for p in [check_name(name, ["name"])] if p])
    await _unique(uow, DATASET, "project_id", project_id, name.strip(), "name", "dataset")
    if recipe_id is not None:
        await check_recipe(uow, recipe_id, project_id)
    else:  # a new dataset gets a default recipe with an empty ontology
        recipe_id = await create_default_recipe(uow, project_id, name.strip())
    now, id_ = utcnow(), new_id("ds")
    await uow.conn.execute(sa.insert(DATASET).values(
        id=id_, project_id=project_id, name=name.strip(), description=description, recipe_id=recipe_id,
        readonly=False, items_count=0, annotated_count=0, metadata={}, created_by=uow.principal_id,
        created_at=now, updated_at=now))
    uow.emit("dataset", "created", id_, project_id, {"name": name.strip()})
    return id_


async def update_dataset(uow: UnitOfWork, id_: str, name: str | None, description: str | None,
                         readonly: bool | None, recipe_id: str | None = None) -> str:
    row = await load_for(uow, DATASET, id_, "id", "Dataset", "dataset.write")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        _raise_if([p for p in [check_name(name, ["name"])] if p])
        await _unique(uow, DATASET, "project_id", row.project_id, name.strip(), "name", "dataset", exclude=id_)
        values["name"] = name.strip()
    if description is not None:
        values["description"] = description or None
    if readonly is not None:
        values["readonly"] = readonly
    if recipe_id is not None:  # switch the recipe: later annotations are checked against the new one
        await check_recipe(uow, recipe_id, row.project_id)
        values["recipe_id"] = recipe_id
    await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == id_).values(**values))
    uow.emit("dataset", "updated", id_, row.project_id, {k: v for k, v in values.items() if k != "updated_at"})
    return id_


async def delete_dataset(uow: UnitOfWork, id_: str, confirm: bool) -> str:
    row = await load_for(uow, DATASET, id_, "id", "Dataset", "dataset.write")
    _require_confirm(confirm, "a dataset with all its items and annotations")
    # items and annotations go with it (ON DELETE CASCADE)
    await uow.conn.execute(sa.delete(DATASET).where(DATASET.c.id == id_))
    uow.emit("dataset", "deleted", id_, row.project_id)
    return id_


def _check_writable(dataset: Any, field: str) -> None:
    if dataset.readonly:
        raise Problems.one("CONFLICT", f"dataset {dataset.id} is read-only; set readonly: false first", [field])


# --- items ---------------------------------------------------------------------------------------------

def _check_batch(entries: Sequence[Any], field: str, limit: int) -> None:
    if not entries:
        raise invalid(f"{field} must contain at least one entry", field)
    if len(entries) > limit:
        raise Problems.one("LIMIT_EXCEEDED", f"{field} takes at most {limit} entries per call, got {len(entries)}",
                           [field])


def _check_user_metadata(value: Any, field: list[str]) -> Problem | None:
    if value is not None and not isinstance(value, dict):
        return Problem("INVALID", "metadata must be a JSON object (it is the item's metadata.user space)", field)
    return None


async def create_items(uow: UnitOfWork, dataset_id: str, items: Sequence[Any], limit: int) -> list[str]:
    """Create up to ``limit`` items in one dataset; all or nothing. Each entry has name, dir, mimetype,
    metadata (the user space), hidden, description, size, width, height."""
    _check_batch(items, "items", limit)
    dataset = await load_for(uow, DATASET, dataset_id, "datasetId", "Dataset", "item.write", "readonly")
    _check_writable(dataset, "datasetId")
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    now = utcnow()
    for i, spec in enumerate(items):
        problem = check_item_name(spec.name, ["items", str(i), "name"]) or _check_user_metadata(
            spec.metadata, ["items", str(i), "metadata"])
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
            "id": new_id("itm"), "project_id": dataset.project_id, "dataset_id": dataset_id, "name": spec.name,
            "dir": dir_, "filename": filename, "type": "file", "hidden": bool(spec.hidden),
            "mimetype": spec.mimetype, "size": spec.size, "width": spec.width, "height": spec.height,
            "description": spec.description, "metadata": {"system": system, "user": spec.metadata or {}},
            "annotated": False, "annotations_count": 0, "storage_key": None, "created_by": uow.principal_id,
            "created_at": now, "updated_at": now,
        })
    _raise_if(problems)
    existing = (await uow.conn.execute(
        sa.select(ITEM.c.filename).where(ITEM.c.dataset_id == dataset_id,
                                         ITEM.c.filename.in_([r["filename"] for r in rows]))
    )).scalars().all()
    _raise_if([Problem("DUPLICATE", f"an item {f} exists already in this dataset",
                       ["items", str(seen[f]), "name"]) for f in existing])
    await uow.conn.execute(sa.insert(ITEM), rows)
    await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == dataset_id).values(
        items_count=DATASET.c.items_count + len(rows), updated_at=now))
    for r in rows:
        uow.emit("item", "created", r["id"], dataset.project_id, _item_event(r))
    return [r["id"] for r in rows]


def _item_event(r: dict[str, Any]) -> dict[str, Any]:
    """Every field a filter can name (data/filters.item_record), so trigger filters see what list filters see."""
    return item_record(r)


async def update_item(uow: UnitOfWork, id_: str, spec: Any) -> str:
    """Rename/move, hide, describe, and merge ``spec.metadata`` into the user space (a null value removes
    the key)."""
    row = await load_for(uow, ITEM, id_, "id", "Item", "item.write", *[c.name for c in ITEM.c])
    dataset = (await uow.conn.execute(sa.select(DATASET.c.id, DATASET.c.readonly).where(
        DATASET.c.id == row.dataset_id))).one()
    _check_writable(dataset, "id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    name, dir_ = row.name, row.dir
    if spec.name is not None:
        _raise_if([p for p in [check_item_name(spec.name, ["name"])] if p])
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
        problem = _check_user_metadata(spec.metadata, ["metadata"])
        _raise_if([problem] if problem else [])
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


async def delete_items(uow: UnitOfWork, ids: Sequence[str], limit: int) -> list[str]:
    _check_batch(ids, "ids", limit)
    dialect = _dialect(uow)
    rows = list((await load_within(uow, ITEM, "Item", [(i, ["ids", str(n)]) for n, i in enumerate(ids)],
                                   uow.access.scope("Item", ITEM, "project_id"), "", "dataset_id", "project_id",
                                   "annotated")).values())
    found = {r.id for r in rows}
    _require_each_project(uow, {r.project_id for r in rows}, "item.write", "ids")
    await _check_datasets_writable(uow, {r.dataset_id for r in rows}, "ids")
    await uow.conn.execute(sa.delete(ITEM).where(in_ids(ITEM.c.id, list(found), dialect)))
    per_dataset: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        per_dataset[r.dataset_id][0] += 1
        per_dataset[r.dataset_id][1] += int(bool(r.annotated))
    await _bump_datasets(uow, {ds: (-n, -a) for ds, (n, a) in per_dataset.items()})
    for r in rows:
        uow.emit("item", "deleted", r.id, r.project_id, {"datasetId": r.dataset_id})
    return [r.id for r in rows]


async def _check_datasets_writable(uow: UnitOfWork, dataset_ids: set[str], field: str) -> None:
    readonly = (await uow.conn.execute(sa.select(DATASET.c.id).where(
        in_ids(DATASET.c.id, list(dataset_ids), _dialect(uow)), DATASET.c.readonly.is_(True)))).scalars().all()
    _raise_if([Problem("CONFLICT", f"dataset {d} is read-only; set readonly: false first", [field])
               for d in readonly])


async def _bump_datasets(uow: UnitOfWork, deltas: dict[str, tuple[int, int]]) -> None:
    """Add (items, annotated items) deltas to dataset counters: one executemany."""
    changes = [{"ds": ds, "n": n, "a": a} for ds, (n, a) in deltas.items() if n or a]
    if not changes:
        return
    await uow.conn.execute(
        sa.update(DATASET).where(DATASET.c.id == sa.bindparam("ds")).values(
            items_count=DATASET.c.items_count + sa.bindparam("n"),
            annotated_count=DATASET.c.annotated_count + sa.bindparam("a")),
        changes,
    )


# --- annotations ---------------------------------------------------------------------------------------

async def create_annotations(uow: UnitOfWork, annotations: Sequence[Any], limit: int,
                             type_names: dict[str, str]) -> list[str]:
    """Create annotations on any items (one transaction). Each entry: itemId, type (wire value), label,
    coordinates, attributes, parentId, status, objectId, frame, endFrame, automated, description, metadata."""
    _check_batch(annotations, "annotations", limit)
    dialect = _dialect(uow)
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
    for i, a in enumerate(annotations):
        base = ["annotations", str(i)]
        item = items.get(a.item_id)
        if item is None:
            problems.append(Problem("NOT_FOUND", f"no item with id {a.item_id!r}", [*base, "itemId"]))
            continue
        problem = (
            check_name(a.label, [*base, "label"], "label", 400)
            or check_coordinates(a.type, a.coordinates, [*base, "coordinates"], type_names[a.type])
            or _check_attributes(a.attributes, [*base, "attributes"])
            or _check_user_metadata(a.metadata, [*base, "metadata"])
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
            "id": new_id("ann"), "project_id": item.project_id, "dataset_id": item.dataset_id,
            "item_id": item.id, "parent_id": a.parent_id, "type": a.type, "label": a.label.strip(),
            "coordinates": a.coordinates if a.coordinates is not None else [], "attributes": a.attributes,
            "status": a.status, "object_id": a.object_id, "frame": a.frame, "end_frame": a.end_frame,
            "automated": bool(a.automated), "description": a.description,
            "metadata": {"system": {}, "user": a.metadata or {}}, "created_by": uow.principal_id,
            "updated_by": uow.principal_id, "created_at": now, "updated_at": now,
        })
    _raise_if(problems)
    _require_each_project(uow, {r["project_id"] for r in rows}, "annotation.write", "annotations")
    await _check_datasets_writable(uow, {items[r["item_id"]].dataset_id for r in rows}, "annotations")
    await uow.conn.execute(sa.insert(ANNOTATION), rows)
    per_item = Counter(r["item_id"] for r in rows)
    await uow.conn.execute(
        sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
            annotations_count=ITEM.c.annotations_count + sa.bindparam("n"), annotated=True, updated_at=now),
        [{"iid": iid, "n": n} for iid, n in per_item.items()],
    )
    flipped = Counter(items[iid].dataset_id for iid in per_item if not items[iid].annotated)
    await _bump_datasets(uow, {ds: (0, n) for ds, n in flipped.items()})
    for r in rows:
        uow.emit("annotation", "created", r["id"], r["project_id"], _annotation_event(r))
    return [r["id"] for r in rows]


def _annotation_event(r: dict[str, Any]) -> dict[str, Any]:
    return annotation_record(r)


def _check_attributes(value: Any, field: list[str]) -> Problem | None:
    if value is None or isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, str)
                                                                                   for v in value)):
        return None
    return Problem("INVALID", "attributes must be an object of key → value (or a legacy list of strings)", field)


async def update_annotation(uow: UnitOfWork, id_: str, spec: Any, type_names: dict[str, str]) -> str:
    row = await load_for(uow, ANNOTATION, id_, "id", "Annotation", "annotation.write",
                             *[c.name for c in ANNOTATION.c])
    await _check_datasets_writable(uow, {row.dataset_id}, "id")
    values: dict[str, Any] = {"updated_at": utcnow(), "updated_by": uow.principal_id}
    type_ = spec.type if spec.type is not None else row.type
    problems: list[Problem | None] = []
    if spec.label is not None:
        problems.append(check_name(spec.label, ["label"], "label", 400))
        values["label"] = spec.label.strip()
    if spec.type is not None or spec.coordinates is not None:
        coords = spec.coordinates if spec.coordinates is not None else row.coordinates
        problems.append(check_coordinates(type_, coords, ["coordinates"], type_names[type_]))
        values.update(type=type_, coordinates=coords)
    if spec.attributes is not None:
        problems.append(_check_attributes(spec.attributes, ["attributes"]))
        values["attributes"] = spec.attributes
    if spec.metadata is not None:
        problems.append(_check_user_metadata(spec.metadata, ["metadata"]))
        meta = dict(row.metadata or {})
        meta["user"] = {**(meta.get("user") or {}), **spec.metadata}
        meta["user"] = {k: v for k, v in meta["user"].items() if v is not None}
        values["metadata"] = meta
    for name in ("status", "description", "object_id", "frame", "end_frame", "automated"):
        value = getattr(spec, name)
        if value is not None:
            values[name] = value
    _raise_if([p for p in problems if p])
    if spec.label is not None or spec.attributes is not None:
        index = (await label_indexes(uow.conn, [row.dataset_id]))[row.dataset_id]
        _raise_if(index.check(values.get("label", row.label), values.get("attributes", row.attributes), []))
    await uow.conn.execute(sa.update(ANNOTATION).where(ANNOTATION.c.id == id_).values(**values))
    uow.emit("annotation", "updated", id_, row.project_id, _annotation_event({**row._asdict(), **values}))
    return id_


async def delete_annotations(uow: UnitOfWork, ids: Sequence[str], limit: int) -> list[str]:
    """Delete annotations and their descendants (a pose takes its keypoints with it)."""
    _check_batch(ids, "ids", limit)
    dialect = _dialect(uow)
    wanted = list(set(ids))
    await load_within(uow, ANNOTATION, "Annotation", [(i, ["ids", str(n)]) for n, i in enumerate(ids)],
                      uow.access.scope("Annotation", ANNOTATION, "project_id"), "", "id")
    tree = sa.select(ANNOTATION.c.id).where(in_ids(ANNOTATION.c.id, wanted, dialect)).cte("tree", recursive=True)
    tree = tree.union_all(sa.select(ANNOTATION.c.id).join(tree, ANNOTATION.c.parent_id == tree.c.id))
    rows = (await uow.conn.execute(
        sa.select(ANNOTATION.c.id, ANNOTATION.c.item_id, ANNOTATION.c.dataset_id, ANNOTATION.c.project_id)
        .where(ANNOTATION.c.id.in_(sa.select(tree.c.id))))).all()
    _require_each_project(uow, {r.project_id for r in rows}, "annotation.write", "ids")
    await _check_datasets_writable(uow, {r.dataset_id for r in rows}, "ids")
    all_ids = [r.id for r in rows]
    await uow.conn.execute(sa.delete(ANNOTATION).where(in_ids(ANNOTATION.c.id, all_ids, dialect)))
    per_item = Counter(r.item_id for r in rows)
    now = utcnow()
    await uow.conn.execute(
        sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
            annotations_count=ITEM.c.annotations_count - sa.bindparam("n"),
            annotated=ITEM.c.annotations_count - sa.bindparam("n") > 0, updated_at=now),
        [{"iid": iid, "n": n} for iid, n in per_item.items()],
    )
    emptied = (await uow.conn.execute(sa.select(ITEM.c.dataset_id).where(
        in_ids(ITEM.c.id, list(per_item), dialect), ITEM.c.annotations_count == 0))).scalars().all()
    await _bump_datasets(uow, {ds: (0, -n) for ds, n in Counter(emptied).items()})
    for r in rows:
        uow.emit("annotation", "deleted", r.id, r.project_id, {"itemId": r.item_id, "datasetId": r.dataset_id})
    return all_ids
