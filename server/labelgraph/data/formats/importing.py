"""Writing a parsed import: all or nothing. Everything that can be checked is checked before the first write
(labels, items to match or create, sizes for normalized coordinates; the parsers checked the coordinates as they
read); the files of new items are stored as blobs (outside any transaction, as uploads are: a blob no item ends
up referencing is collected after the grace period); then one transaction adds the missing labels, creates the
items without files set-based (``_create_items``: rows built here with their split and final counters, COPY on
PostgreSQL, their ``created`` events set-based over ``EVENTS_DIRECT``), sets the splits of the others (one UPDATE
per split) and inserts the annotations set-based (``_annotations``: rows as lists, COPY / executemany in chunks,
one event per existing item rather than per annotation). A streamed parse (``Parsed.reread``: the JSON format)
brings each item's annotations back only while they are written."""

from __future__ import annotations

import asyncio
import contextlib
import posixpath
import zipfile
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import AnnotationType
from labelgraph.data.content import ContentItem, create_content_items, probe_spooled, store_many
from labelgraph.data.content import check_dir as content_check_dir
from labelgraph.data.content import check_file_name as content_check_name
from labelgraph.data.formats.common import (
    ANNOTATION,
    ITEM,
    LABEL,
    RECIPE_ONTOLOGY,
    Found,
    InAnnotation,
    InItem,
    MatchBy,
    Parsed,
)
from labelgraph.data.resources import item_record
from labelgraph.data.service.annotations import _check_attributes
from labelgraph.data.service.common import bump_datasets, check_user_metadata, load_dataset_for_write
from labelgraph.data.validation import check_name, join_path
from labelgraph.db import Database, insert_rows
from labelgraph.errors import MAX_PROBLEMS
from labelgraph.events.models import OutboxEvent
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import new_ids
from labelgraph.ontology.commands import NewLabel
from labelgraph.ontology.service.checks import label_indexes
from labelgraph.ontology.service.labels import add_new_labels

OUTBOX = OutboxEvent.__table__
CHUNK = 1000
WRITE_CHUNK = 2000  # annotation rows per multi-row INSERT


def _split_path(path: str) -> tuple[str, str]:
    head, _, name = path.strip("/").rpartition("/")
    return "/" + head, name


def _stem(path: str) -> str:
    head, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{head}/{stem}" if head else stem


async def _existing(conn, dataset_id: str, parsed: Parsed, match_by: MatchBy) -> dict[str, Any]:
    """The dataset's items the input names, by the key ``match_by`` compares (a list when NAME finds several)."""
    dialect = conn.dialect.name
    cols = (ITEM.c.id, ITEM.c.filename, ITEM.c.name, ITEM.c.width, ITEM.c.height, ITEM.c.split)
    found: dict[str, Any] = defaultdict(list)
    by_stem = [i for i in parsed.items if i.by_stem]
    exact = [i for i in parsed.items if not i.by_stem]
    if match_by is MatchBy.NAME:
        keys = sorted({posixpath.basename(i.path) for i in exact})
        column = ITEM.c.name
    else:
        keys = sorted({"/" + i.path for i in exact})
        column = ITEM.c.filename
    for start in range(0, len(keys), CHUNK):
        for r in (await conn.execute(sa.select(*cols).where(
                ITEM.c.dataset_id == dataset_id, in_ids(column, keys[start:start + CHUNK], dialect)))).all():
            found[r.name if match_by is MatchBy.NAME else r.filename.lstrip("/")].append(r)
    if by_stem:  # YOLO label files without their image: compare paths without the extension
        stems = {_stem(i.path) if match_by is MatchBy.FILENAME else posixpath.basename(i.path) for i in by_stem}
        q = sa.select(*cols).where(ITEM.c.dataset_id == dataset_id)
        async for r in await conn.stream(q):
            key = _stem(r.filename.lstrip("/")) if match_by is MatchBy.FILENAME else _stem(r.name)
            if key in stems:
                found["stem:" + key].append(r)
    return found


def _key(item: InItem, match_by: MatchBy) -> str:
    if item.by_stem:
        return "stem:" + (item.path if match_by is MatchBy.FILENAME else posixpath.basename(item.path))
    return posixpath.basename(item.path) if match_by is MatchBy.NAME else item.path


async def _recipe_labels(conn, recipe_id: str | None) -> tuple[set[str], str | None]:
    """The tags of the recipe's labels and its first ontology (where missing labels go)."""
    if recipe_id is None:
        return set(), None
    ontologies = (await conn.execute(sa.select(RECIPE_ONTOLOGY.c.ontology_id).where(
        RECIPE_ONTOLOGY.c.recipe_id == recipe_id).order_by(RECIPE_ONTOLOGY.c.position))).scalars().all()
    tags = set((await conn.execute(sa.select(LABEL.c.tag).where(
        LABEL.c.ontology_id.in_(ontologies)))).scalars().all()) if ontologies else set()
    return tags, (ontologies[0] if ontologies else None)


async def import_parsed(db: Database, access: Any, content: Any, dataset_id: str, parsed: Parsed,
                        archive: zipfile.ZipFile | None, *, match_by: MatchBy = MatchBy.FILENAME,
                        create_missing_labels: bool = False,
                        progress: Callable[[str], Awaitable[None]] | None = None,
                        finish: Callable[[Any, dict[str, Any]], Awaitable[None]] | None = None) -> dict[str, Any]:
    """Write ``parsed`` into the dataset (all or nothing); returns counts. ``finish(uow, result)`` runs last in the
    writing transaction (a job marks itself done there: exactly once)."""
    async with db.transaction(access) as uow:  # the caller's rights, the dataset writable: checked first
        dataset = await load_dataset_for_write(uow, dataset_id, "datasetId", "item.write", "recipe_id")
        tags, ontology_id = await _recipe_labels(uow.conn, dataset.recipe_id)
        existing = await _existing(uow.conn, dataset_id, parsed, match_by)
    found = Found()
    first_use = parsed.used_labels()
    used = set(first_use)
    wanted = used | ({label.tag for label in parsed.labels} if create_missing_labels else set())
    missing = sorted(wanted - tags)
    if missing and not create_missing_labels:
        for tag in sorted(used - tags)[:MAX_PROBLEMS]:
            where = first_use[tag]
            found.add(f"{where}: label {tag!r} is not in the dataset's recipe (pass createMissingLabels: true to "
                      "add it)")
    if missing and ontology_id is None:
        found.add(f"the dataset has no recipe with an ontology to add the labels {', '.join(missing[:10])} to")
    matched: list[tuple[InItem, Any]] = []
    to_create: list[InItem] = []
    seen: dict[str, str] = {}
    for item in parsed.items:
        key = _key(item, match_by)
        if key in seen:
            found.add(f"{item.where}: the item {item.path!r} appears twice in the input (also {seen[key]})")
            continue
        seen[key] = item.where
        rows = existing.get(key) or []
        if len(rows) > 1:
            found.add(f"{item.where}: {len(rows)} items of the dataset are named {posixpath.basename(item.path)!r}; "
                      "match them by FILENAME")
        elif rows:
            matched.append((item, rows[0]))
        elif item.file is not None or parsed.creates_items:
            if item.by_stem:
                found.add(f"{item.where}: no item {item.path!r} (any extension) in the dataset")
            else:
                to_create.append(item)
        else:
            found.add(f"{item.where}: no item {item.path!r} in the dataset and no image for it in the archive")
    for item, row in matched:
        _check_size(item, row.width, row.height, found)
    for item in to_create:
        dir_, name = _split_path(item.path)
        problem = content_check_name(name, []) or content_check_dir(dir_, [])[1]
        if problem:
            found.add(f"{item.where}: {item.path!r}: {problem.message}")
        problem = check_user_metadata(item.metadata, [])
        if problem:
            found.add(f"{item.where}.metadata: {problem.message}")
        if item.file is None:
            _check_size(item, item.width, item.height, found)
    found.raise_if()
    if progress is not None:
        await progress("checked")

    stored: dict[int, Any] = {}  # id(item) → Stored
    with_files = [i for i in to_create if i.file is not None]
    for start in range(0, len(with_files), 100):  # bounded: spool, probe and store 100 files at a time
        received = []
        try:
            for item in with_files[start:start + 100]:
                received.append((await content.storage.spool(_chunks(archive, item.file),
                                                            content.settings.max_upload_bytes), item))
            probed = []
            for spooled, item in received:
                probed.append((spooled, await probe_spooled(spooled)))
                stored[id(item)] = probed[-1][1]
        except BaseException:
            for spooled, _ in received:
                spooled.remove()
            raise
        await store_many(db, content, probed)
    for item in with_files:
        s = stored[id(item)]
        _check_size(item, s.probe.get("width"), s.probe.get("height"), found)
    found.raise_if()
    if progress is not None:
        await progress("files stored")

    async with db.transaction(access) as uow:
        dataset = await load_dataset_for_write(uow, dataset_id, "datasetId", "annotation.write", "project_id")
        if missing:
            declared = {label.tag: label for label in parsed.labels}
            await add_new_labels(uow, ontology_id, [
                NewLabel(tag=t, display_name=getattr(declared.get(t), "display_name", None),
                         color=getattr(declared.get(t), "color", None),
                         display_data=getattr(declared.get(t), "display_data", None)) for t in missing])
        ids: dict[int, tuple[str, int | None, int | None]] = {id(i): (r.id, r.width, r.height) for i, r in matched}
        plain = [i for i in to_create if i.file is None]
        await _create_items(uow, dataset_id, dataset.project_id, plain, ids)
        for start in range(0, len(with_files), CHUNK):
            batch = with_files[start:start + CHUNK]
            new = await create_content_items(uow, dataset_id, [
                ContentItem(name=_split_path(i.path)[1], dir=content_check_dir(_split_path(i.path)[0], [])[0],
                            stored=stored[id(i)],
                            metadata=i.metadata, field=["file"]) for i in batch], overwrite=False)
            for i, n in zip(batch, new, strict=True):
                p = stored[id(i)].probe
                ids[id(i)] = (n, p.get("width"), p.get("height"))
        if with_files:
            extra = [{"iid": ids[id(i)][0], "h": i.hidden, "d": i.description} for i in with_files
                     if i.hidden or i.description]
            if extra:
                await uow.conn.execute(sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
                    hidden=sa.bindparam("h"), description=sa.bindparam("d")), extra)
        splits: dict[str | None, list[str]] = defaultdict(list)
        new_items = {id(i) for i in to_create}
        made = {id(i) for i in plain}  # created with their split, counters and event already
        for i in parsed.items:
            if id(i) in ids and id(i) not in made and i.has_split and (i.split is not None or id(i) in new_items):
                splits[i.split].append(ids[id(i)][0])
        dialect = uow.conn.dialect.name
        for split, item_ids in splits.items():
            for start in range(0, len(item_ids), CHUNK):
                await uow.conn.execute(sa.update(ITEM).where(in_ids(ITEM.c.id, item_ids[start:start + CHUNK],
                                                                    dialect)).values(split=split))
        created = await _annotations(uow, parsed, ids, dataset_id, dataset.project_id,
                                     {ids[id(i)][0] for i in to_create}, {ids[id(i)][0] for i in plain})
        result = {"items": len(parsed.items), "itemsMatched": len(matched), "itemsCreated": len(to_create),
                  "annotations": created, "labelsCreated": missing}
        if finish is not None:
            await finish(uow, result)
    return result


EVENTS_DIRECT = 1000  # more new items than this: their events are written set-based, published by the sweep


async def _create_items(uow, dataset_id: str, project_id: str, items: list[InItem],
                        ids: dict[int, tuple[str, Any, Any]]) -> None:
    """Create the items without a file (checked already: names, folders, metadata, no clash with the dataset's
    items) with their split and their annotation counters as they will be (the annotations are counted while
    parsing; a problem found later rolls everything back): rows built here, written through COPY on PostgreSQL
    (one executemany on SQLite), no per-item service call. One ``item`` ``created`` event each, carrying what
    the data slice's creation carries (``item_record``); over ``EVENTS_DIRECT`` items the events are written
    to the outbox set-based (COPY) and published by the outbox sweep a few seconds later instead of right after
    commit."""
    if not items:
        return
    now = utcnow()
    rows = []
    annotated = 0
    for item, iid in zip(items, new_ids("itm", len(items)), strict=True):
        head, name = _split_path(item.path)
        dir_ = content_check_dir(head, [])[0]
        count = item.count
        annotated += count > 0
        system = {k: v for k, v in (("mimetype", item.mimetype), ("width", item.width), ("height", item.height))
                  if v is not None}
        rows.append({
            "id": iid, "project_id": project_id, "dataset_id": dataset_id, "name": name, "dir": dir_,
            "filename": join_path(dir_, name), "type": "file", "hidden": bool(item.hidden),
            "mimetype": item.mimetype, "size": None, "width": item.width, "height": item.height,
            "description": item.description, "metadata": {"system": system, "user": item.metadata or {}},
            "annotated": count > 0, "annotations_count": count, "storage_key": None,
            "created_by": uow.principal_id, "created_at": now, "updated_at": now,
            "split": item.split if item.has_split else None})
        ids[id(item)] = (iid, item.width, item.height)
    for start in range(0, len(rows), WRITE_CHUNK):
        await insert_rows(uow.conn, ITEM, rows[start:start + WRITE_CHUNK])
    await bump_datasets(uow, {dataset_id: (len(rows), annotated)})
    if len(rows) <= EVENTS_DIRECT:
        for r in rows:
            uow.emit("item", "created", r["id"], project_id, item_record(r))
        return
    events = [{"id": eid, "project_id": project_id, "resource": "item", "action": "created", "entity_id": r["id"],
               "payload": item_record(r), "created_at": now, "published_at": None, "matched_at": None}
              for r, eid in zip(rows, new_ids("evt", len(rows)), strict=True)]
    for start in range(0, len(events), WRITE_CHUNK):
        await insert_rows(uow.conn, OUTBOX, events[start:start + WRITE_CHUNK])


def _check_size(item: InItem, width: int | None, height: int | None, found: Found) -> None:
    if (item.normalized or any(a.normalized for a in item.annotations)) and not (width and height):
        found.add(f"{item.where}: the size of {item.path!r} is unknown, so its normalized coordinates cannot be "
                  "converted to pixels (import its image with it)")


async def _chunks(archive: zipfile.ZipFile, name: str):
    with archive.open(name) as f:
        while chunk := f.read(1024 * 1024):
            yield chunk


def _pixels(ann: InAnnotation, width: int | None, height: int | None) -> Any:
    if not ann.normalized:
        return ann.coordinates

    def scale(p: dict) -> dict:
        return {"x": p["x"] * width, "y": p["y"] * height}

    if ann.type.value == "box":
        return [scale(p) for p in ann.coordinates]
    return [[scale(p) for p in ring] for ring in ann.coordinates]


TYPE_VALUE = {t: t.value for t in AnnotationType}
ANNOTATION_ROW = ("id", "project_id", "dataset_id", "item_id", "parent_id", "type", "label", "coordinates",
                  "attributes", "status", "object_id", "frame", "end_frame", "automated", "description", "metadata",
                  "created_by", "updated_by", "created_at", "updated_at")
PARENT_AT = ANNOTATION_ROW.index("parent_id")


async def _insert_rows(conn, table: sa.Table, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    """Insert rows given as lists in ``columns`` order, their JSON columns already encoded on PostgreSQL (COPY
    as they are) and not on SQLite (one executemany)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        await conn.execute(sa.insert(table), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    raw = await conn.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(table.name, records=rows, columns=columns)


async def _annotations(uow, parsed: Parsed, ids: dict[int, tuple[str, Any, Any]], dataset_id: str,
                       project_id: str, new_items: set[str], counted: set[str]) -> int:
    """Create every annotation set-based: the labels were resolved and the coordinates checked while parsing;
    here the attributes and metadata are checked (only where an annotation carries them), the ids are made in
    Python (so parent links resolve without a round trip), rows are ordered parents first and inserted in chunks
    of ``WRITE_CHUNK`` (multi-row INSERT). The items' counters are set with one executemany; one ``item``
    ``updated`` event per existing item that received annotations (new items have their ``created`` event):
    no event per annotation."""
    index = (await label_indexes(uow.conn, [dataset_id]))[dataset_id]
    found = Found()
    for tag in parsed.used_labels():  # every item is in ``ids`` by now
        problem = check_name(tag, [], "label", 400)
        if problem:
            found.add(f"label {tag[:40]!r}: {problem.message}")
    now = utcnow()
    principal = uow.principal_id
    per_item: dict[str, int] = {}
    fresh = iter(new_ids("ann", sum(i.count for i in parsed.items if id(i) in ids)))
    pg = uow.conn.dialect.name == "postgresql"
    no_meta: Any = {"system": {}, "user": {}}
    if pg:  # COPY takes the JSON columns as text: encoded here, once, as the JSON type would (None → null)
        no_meta = orjson.dumps(no_meta).decode()
    writer = _Pipelined(uow.conn)
    try:
        total = await _annotation_rows(parsed, ids, index, found, fresh, writer, per_item, project_id, dataset_id,
                                       principal, now, pg, no_meta)
    except BaseException:
        await writer.close(failed=True)
        raise
    await writer.close(failed=False)
    dialect = uow.conn.dialect.name
    touched = [iid for iid in per_item if iid not in counted]  # ``counted``: created with their counters set
    flipped = 0
    existing_touched: list[str] = []
    for start in range(0, len(touched), CHUNK):
        chunk = touched[start:start + CHUNK]
        before = (await uow.conn.execute(sa.select(ITEM.c.id, ITEM.c.annotated).where(
            in_ids(ITEM.c.id, chunk, dialect)))).all()
        flipped += sum(1 for r in before if not r.annotated)
        existing_touched += [r.id for r in before if r.id not in new_items]
        await uow.conn.execute(
            sa.update(ITEM).where(ITEM.c.id == sa.bindparam("iid")).values(
                annotations_count=ITEM.c.annotations_count + sa.bindparam("n"), annotated=True),  # as annotationsCreate
            [{"iid": iid, "n": per_item[iid]} for iid in chunk])
    await bump_datasets(uow, {dataset_id: (0, flipped)})
    for start in range(0, len(existing_touched), CHUNK):
        for r in (await uow.conn.execute(sa.select(ITEM).where(
                in_ids(ITEM.c.id, existing_touched[start:start + CHUNK], dialect)))).all():
            uow.emit("item", "updated", r.id, project_id, item_record(r._mapping))
    return total


class _Pipelined:
    """Annotation rows written while the next chunk is built: each chunk's COPY (executemany on SQLite) runs as a
    task on the transaction's connection, which nothing else uses meanwhile, and the next starts only when it has
    ended (so a child's parent is always in an earlier or the same statement). The builder yields to the loop
    now and then so the task can send its rows, and PostgreSQL checks and indexes them while Python builds."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.pending: asyncio.Task | None = None

    async def write(self, rows: list[list[Any]]) -> None:
        if self.pending is not None:
            await self.pending
        self.pending = asyncio.create_task(_insert_rows(self.conn, ANNOTATION, ANNOTATION_ROW, rows))

    async def close(self, failed: bool) -> None:
        """Wait for the last write (its error raised; after another error, only awaited)."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        if not failed:
            await pending
            return
        with contextlib.suppress(BaseException):
            await pending


async def _annotation_rows(parsed: Parsed, ids: dict[int, tuple[str, Any, Any]], index: Any, found: Found,
                           fresh: Any, writer: _Pipelined, per_item: dict[str, int], project_id: str,
                           dataset_id: str, principal: str | None, now: Any, pg: bool, no_meta: Any) -> int:
    """The rows of ``_annotations``, built item by item and handed to ``writer`` in chunks of ``WRITE_CHUNK``."""
    dumps = orjson.dumps
    total = 0
    rows: list[list[Any]] = []  # in ANNOTATION_ROW order
    deferred: list[tuple[int, list[Any]]] = []  # (depth, row) of annotations with a parent
    for n, (item, anns) in enumerate(zip(parsed.items, parsed.annotation_lists(), strict=True)):
        if n % 64 == 63:
            await asyncio.sleep(0)  # let the pending COPY send its rows
        target = ids.get(id(item))
        if target is None or not anns:
            continue
        item_id, width, height = target
        made: dict[str, str] = {}
        children: list[tuple[InAnnotation, list[Any]]] = []
        for a in anns:
            m = a.metadata
            plain_meta = m is None or (type(m) is dict and not m)  # stored as no_meta
            if a.attributes is not None or not plain_meta:
                problem = _check_attributes(a.attributes, []) or check_user_metadata(a.metadata, [])
                if problem:
                    found.add(f"{a.where}: {problem.message}")
                    continue
                if index.attributes and a.attributes is not None:
                    for p in index.check(a.label, a.attributes, [a.where]):
                        found.add(p.message)
            aid = next(fresh)
            if a.ref:
                made[a.ref] = aid
            coordinates = _pixels(a, width, height) if a.coordinates is not None else []
            attributes = a.attributes
            meta = no_meta if plain_meta else {"system": {}, "user": m}
            if pg:
                coordinates = dumps(coordinates).decode()
                attributes = "null" if attributes is None else dumps(attributes).decode()  # as the JSON type
                if not plain_meta:
                    meta = dumps(meta).decode()
            row = [aid, project_id, dataset_id, item_id, None, TYPE_VALUE[a.type], a.label, coordinates, attributes,
                   a.status, a.object_id, a.frame, a.end_frame, bool(a.automated), a.description, meta, principal,
                   principal, now, now]
            if a.parent_ref is None:
                rows.append(row)
            else:
                children.append((a, row))
        if len(rows) >= WRITE_CHUNK:  # written as they are made (a problem found later rolls everything back)
            if deferred:  # children of the items before this one: all their parents are in ``rows`` or written
                deferred.sort(key=lambda d: d[0])
                rows.extend(r for _, r in deferred)
                deferred.clear()
            if not found.problems:
                await writer.write(rows)
            total += len(rows)
            rows = []
        per_item[item_id] = per_item.get(item_id, 0) + len(anns)
        if children:  # parents before children: depth by following the links (a cycle is refused)
            by_ref = {a.ref: a for a in anns if a.ref}
            for a, row in children:
                depth, seen, ref = 0, set(), a.parent_ref
                while ref is not None and ref not in seen and ref in by_ref:
                    seen.add(ref)
                    depth += 1
                    ref = by_ref[ref].parent_ref
                if ref is not None:
                    found.add(f"{a.where}.parentId: " + ("the parent links form a cycle" if ref in seen else
                                                         f"no annotation {ref!r} on this item"))
                    continue
                row[PARENT_AT] = made.get(a.parent_ref)
                deferred.append((depth, row))
    found.raise_if()
    deferred.sort(key=lambda d: d[0])
    rows.extend(r for _, r in deferred)
    deferred.clear()
    for start in range(0, len(rows), WRITE_CHUNK):
        await writer.write(rows[start:start + WRITE_CHUNK])
    return total + len(rows)
