"""Item content: receiving files (multipart ``itemsUpload`` and direct uploads), probing them, recording blobs
and the items that hold them, signed download and thumbnail URLs, and collecting blobs nothing references.

Bytes never pass through a database transaction: a file is received, hashed and probed first (storage/), its
blob row is claimed in a short transaction of its own, its bytes are put under their hash, and only then one
transaction creates all the items of the call (all or none). A blob whose items are never created (a name
clash found late, a failed transaction) is collected like any other unreferenced blob after the grace period.

Blob collection is safe with replicas: a collector deletes a blob's row (only if no item references it and it
has not been claimed within ``LABELGRAPH_BLOB_GRACE_SECONDS``) and its bytes in one transaction; an upload claims
the row (``used_at = now``) before it looks for the bytes, so either the claim wins and the row stays, or the
claim waits for the collector's commit, finds the bytes gone and puts them again.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import AsyncIterable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from labelgraph.columns import as_utc, utcnow
from labelgraph.data import models as m
from labelgraph.data.content_models import Blob, ItemUpload
from labelgraph.data.service.common import load_dataset_for_write
from labelgraph.data.validation import check_item_name, join_path, normalize_dir
from labelgraph.db import Database, UnitOfWork
from labelgraph.errors import Problem, Problems
from labelgraph.ids import new_id
from labelgraph.rows import MAX_PROBLEMS
from labelgraph.settings import Settings
from labelgraph.storage import probe as probing
from labelgraph.storage.signing import Signer, load_key
from labelgraph.storage.store import Spooled, Storage, TooLarge, blob_key, part_key, spooled_chunks, thumb_key

BLOB = Blob.__table__
UPLOAD = ItemUpload.__table__
ITEM = m.Item.__table__
DATASET = m.Dataset.__table__

PART_SIZE = 64 * 1024 * 1024  # direct uploads larger than this go up in parts of this size
UPLOAD_TTL = timedelta(hours=24)  # a direct upload's URLs stay valid this long
THUMB_SIZES = range(16, 2049)
MIMETYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")
MAX_EXPIRES_IN = 7 * 24 * 3600
CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


@dataclass
class ContentServices:
    storage: Storage
    signer: Signer
    settings: Settings
    thumb_locks: dict[str, asyncio.Lock] = field(default_factory=dict)


def services(state: dict, settings: Settings) -> ContentServices:
    """The app's storage and URL signer (made on first use: the data dir is secured before)."""
    found = state.get("content")
    if found is None:
        found = state["content"] = ContentServices(Storage(settings), Signer(load_key(settings)), settings)
    return found


def services_of(info) -> ContentServices:
    request = info.context.request
    return services(request.app.state.labelgraph, info.context.settings)


# --- names ---------------------------------------------------------------------------------------------------

def check_file_name(name: str | None, field: list[str]) -> Problem | None:
    """An item name from a client's file: the data slice's rules, plus no NUL, no control characters and not
    ``.``/``..``."""
    problem = check_item_name(name, field)
    if problem:
        return problem
    if any(c in CONTROL for c in name):
        return Problem("INVALID", f"name must not contain control characters (NUL, newline…), got {name!r}", field)
    if name in (".", ".."):
        return Problem("INVALID", f"name must not be {name!r}", field)
    return None


def check_dir(value: str | None, field: list[str]) -> tuple[str | None, Problem | None]:
    if value and any(c in CONTROL for c in value):
        return None, Problem("INVALID", f"dir must not contain control characters, got {value!r}", field)
    try:
        return normalize_dir(value), None
    except ValueError as exc:
        return None, Problem("INVALID", str(exc), field)


# --- receiving and probing -----------------------------------------------------------------------------------

@dataclass
class Stored:
    """A file kept in storage and what probing it found."""

    sha256: str
    size: int
    mimetype: str
    probe: dict[str, Any]

    def system(self) -> dict[str, Any]:
        """The item's ``metadata.system`` content fields."""
        found = {"mimetype": self.mimetype, "size": self.size, "sha256": self.sha256}
        found.update({k: v for k, v in self.probe.items() if k != "mimetype"})
        return found


async def store_spooled(db: Database, content: ContentServices, spooled: Spooled) -> Stored:
    """Probe a received file, claim its blob row, put its bytes under their hash; removes the spooled file."""
    try:
        found = await asyncio.to_thread(probing.probe, spooled.path)
        mimetype = found.pop("mimetype")
        await claim_blob(db, spooled.sha256, spooled.size, mimetype, found)
        await content.storage.keep(spooled, mimetype)
        return Stored(spooled.sha256, spooled.size, mimetype, found)
    finally:
        spooled.remove()


async def probe_spooled(spooled: Spooled) -> Stored:
    """Probe a received file (in a thread); the spooled file stays (see ``store_many``)."""
    try:
        found = await asyncio.to_thread(probing.probe, spooled.path)
    except BaseException:
        spooled.remove()
        raise
    mimetype = found.pop("mimetype")
    return Stored(spooled.sha256, spooled.size, mimetype, found)


SMALL_UPLOAD = 1024 * 1024  # a file of a multipart call up to this size is handled in memory (receive_uploaded)


class FileTooLarge(TooLarge):
    """File ``index`` of a call went over the limit."""

    def __init__(self, index: int, limit: int) -> None:
        super().__init__(limit)
        self.index = index


def receive_uploaded(storage: Storage, sources: Sequence[Any], max_bytes: int) -> list[tuple[Spooled, Stored]]:
    """Blocking (call it in a thread, once for all the files of a multipart call): each file object (the form
    parser's spool) copied to a temporary file in bounded chunks while hashed and counted, then probed. Raises
    FileTooLarge past ``max_bytes``; on any failure every temporary file made so far is removed."""
    done: list[tuple[Spooled, Stored]] = []
    storage.tmp_dir.mkdir(parents=True, exist_ok=True)
    try:
        for i, source in enumerate(sources):
            # a small file (the usual case) is read whole from the spool once: hashed, written and probed from
            # memory (one open of one new file); a larger one is copied in chunks
            source.seek(0)
            data = source.read(SMALL_UPLOAD + 1)
            small = len(data) <= min(SMALL_UPLOAD, max_bytes)
            try:
                spooled = storage.spool_bytes(data, made_dir=True) if small else storage.spool_file(source, max_bytes)
            except TooLarge as exc:
                raise FileTooLarge(i, exc.limit) from None
            try:
                found = probing.probe_bytes(data, spooled.path) if small else probing.probe(spooled.path)
            except BaseException:
                spooled.remove()
                raise
            mimetype = found.pop("mimetype")
            done.append((spooled, Stored(spooled.sha256, spooled.size, mimetype, found)))
    except BaseException:
        for spooled, _ in done:
            spooled.remove()
        raise
    return done


async def store_many(db: Database, content: ContentServices, received: Sequence[tuple[Spooled, Stored]]) -> None:
    """Claim the blob rows of several probed files in one transaction, then put their bytes under their hashes
    (moved on local storage); removes the spooled files."""
    try:
        if received:
            await claim_blobs(db, [stored for _, stored in received])
        if content.storage.kind == "file":  # every file moved into place in one trip to a thread
            await asyncio.to_thread(content.storage.keep_local, [spooled for spooled, _ in received])
        else:
            for spooled, stored in received:
                await content.storage.keep(spooled, stored.mimetype)
    finally:
        for spooled, _ in received:
            spooled.remove()


async def claim_blobs(db: Database, stored: Sequence[Stored]) -> None:
    """``claim_blob`` for several files in one statement (each distinct sha256 once)."""
    now = utcnow()
    rows = list({s.sha256: {"sha256": s.sha256, "size": s.size, "mimetype": s.mimetype, "probe": s.probe,
                            "created_at": now, "used_at": now} for s in stored}.values())
    insert = (postgresql.insert(BLOB) if db.dialect == "postgresql" else sqlite.insert(BLOB)).values(rows)
    async with db.transaction() as uow:
        await uow.conn.execute(insert.on_conflict_do_update(index_elements=["sha256"],
                                                            set_={"used_at": insert.excluded.used_at}))


async def receive(db: Database, content: ContentServices, chunks: AsyncIterable[bytes]) -> Stored:
    spooled = await content.storage.spool(chunks, content.settings.max_upload_bytes)
    return await store_spooled(db, content, spooled)


async def claim_blob(db: Database, sha256: str, size: int, mimetype: str, found: dict[str, Any]) -> None:
    """Insert the blob's row or mark it used now (so no collector deletes it during the grace period)."""
    now = utcnow()
    values = {"sha256": sha256, "size": size, "mimetype": mimetype, "probe": found, "created_at": now,
              "used_at": now}
    insert = (postgresql.insert(BLOB) if db.dialect == "postgresql" else sqlite.insert(BLOB)).values(**values)
    async with db.transaction() as uow:
        await uow.conn.execute(insert.on_conflict_do_update(index_elements=["sha256"], set_={"used_at": now}))


# --- items with content --------------------------------------------------------------------------------------

@dataclass
class ContentItem:
    """One item to create (or overwrite) with stored content."""

    name: str
    dir: str
    stored: Stored
    metadata: dict | None = None
    field: list[str] = field(default_factory=list)


def content_columns(stored: Stored) -> dict[str, Any]:
    p = stored.probe
    return {"mimetype": stored.mimetype, "size": stored.size, "sha256": stored.sha256,
            "storage_key": blob_key(stored.sha256), "width": p.get("width"), "height": p.get("height"),
            "fps": p.get("fps"), "duration": p.get("duration")}


def item_event(r: dict[str, Any]) -> dict[str, Any]:
    """An item's CREATED/UPDATED payload: the data slice's fields plus the content (trigger filters see
    ``metadata.system.width`` and the rest)."""
    return {"datasetId": r["dataset_id"], "name": r["name"], "dir": r["dir"], "filename": r["filename"],
            "mimetype": r["mimetype"], "metadata": r["metadata"], "size": r.get("size"), "width": r.get("width"),
            "height": r.get("height"), "sha256": r.get("sha256"), "fps": r.get("fps"),
            "duration": r.get("duration")}


async def check_dataset(uow: UnitOfWork, dataset_id: str) -> Any:
    return await load_dataset_for_write(uow, dataset_id, "datasetId")


async def existing_names(conn, dataset_id: str, filenames: list[str]) -> dict[str, Any]:
    rows = (await conn.execute(sa.select(ITEM.c.id, ITEM.c.filename, ITEM.c.metadata).where(
        ITEM.c.dataset_id == dataset_id, ITEM.c.filename.in_(filenames)))).all()
    return {r.filename: r for r in rows}


async def create_content_items(uow: UnitOfWork, dataset_id: str, entries: Sequence[ContentItem],
                               overwrite: bool) -> list[str]:
    """Create the items (or, with ``overwrite``, replace the content of items of the same path): all or none."""
    dataset = await check_dataset(uow, dataset_id)
    now = utcnow()
    filenames = [join_path(e.dir, e.name) for e in entries]
    existing = await existing_names(uow.conn, dataset_id, filenames)
    if existing and not overwrite:
        raise Problems([Problem("DUPLICATE", f"an item {f} exists already in this dataset; pass overwrite: true "
                                "to replace its content", entries[i].field)
                        for i, f in enumerate(filenames) if f in existing][:MAX_PROBLEMS])
    rows, ids = [], []
    for entry, filename in zip(entries, filenames, strict=True):
        columns = content_columns(entry.stored)
        old = existing.get(filename)
        if old is not None:
            meta = dict(old.metadata or {})
            meta["system"] = {**(meta.get("system") or {}), **entry.stored.system()}
            meta["system"].pop("probeError", None) if "probeError" not in entry.stored.probe else None
            if entry.metadata is not None:
                meta["user"] = entry.metadata
            values = {**columns, "metadata": meta, "updated_at": now}
            await uow.conn.execute(sa.update(ITEM).where(ITEM.c.id == old.id).values(**values))
            uow.emit("item", "updated", old.id, dataset.project_id, item_event(
                {"dataset_id": dataset_id, "name": entry.name, "dir": entry.dir, "filename": filename, **values}))
            ids.append(old.id)
            continue
        row = {
            "id": new_id("itm"), "project_id": dataset.project_id, "dataset_id": dataset_id, "name": entry.name,
            "dir": entry.dir, "filename": filename, "type": "file", "hidden": False, "description": None,
            "metadata": {"system": entry.stored.system(), "user": entry.metadata or {}}, "annotated": False,
            "annotations_count": 0, "created_by": uow.principal_id, "created_at": now, "updated_at": now,
            **columns,
        }
        rows.append(row)
        ids.append(row["id"])
    if rows:
        await uow.conn.execute(sa.insert(ITEM), rows)
        await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == dataset_id).values(
            items_count=DATASET.c.items_count + len(rows), updated_at=now))
        for r in rows:
            uow.emit("item", "created", r["id"], dataset.project_id, item_event(r))
    return ids


# --- direct uploads ------------------------------------------------------------------------------------------

def part_sizes(size: int) -> list[int]:
    """The sizes of a direct upload's parts: one part up to PART_SIZE, else PART_SIZE each and the rest."""
    if size <= PART_SIZE:
        return [size]
    count = math.ceil(size / PART_SIZE)
    return [PART_SIZE] * (count - 1) + [size - PART_SIZE * (count - 1)]


async def create_uploads(uow: UnitOfWork, dataset_id: str, files: Sequence[Any], max_upload: int,
                         limit: int) -> list[dict[str, Any]]:
    """Record direct uploads (checked: names, dirs, sizes, sha256); returns their rows."""
    if not files:
        raise Problems.one("INVALID", "files must contain at least one entry", ["files"])
    if len(files) > limit:
        raise Problems.one("LIMIT_EXCEEDED", f"files takes at most {limit} entries per call, got {len(files)}",
                           ["files"])
    dataset = await check_dataset(uow, dataset_id)
    problems: list[Problem] = []
    rows = []
    now = utcnow()
    for i, f in enumerate(files):
        base = ["files", str(i)]
        problem = check_file_name(f.name, [*base, "name"])
        dir_, dir_problem = check_dir(f.dir, [*base, "dir"])
        problem = problem or dir_problem
        if problem is None and (f.size is None or f.size < 0):
            problem = Problem("INVALID", f"size must be the file's size in bytes (0 or more), got {f.size}",
                              [*base, "size"])
        if problem is None and f.size > max_upload:
            problem = Problem("LIMIT_EXCEEDED", f"the file is {f.size:,} bytes, over the limit of {max_upload:,} "
                              "bytes (setting LABELGRAPH_MAX_UPLOAD_BYTES)", [*base, "size"])
        sha = (f.sha256 or "").lower() or None
        if problem is None and sha is not None and (len(sha) != 64 or any(c not in "0123456789abcdef"
                                                                             for c in sha)):
            problem = Problem("INVALID", "sha256 must be 64 hexadecimal digits", [*base, "sha256"])
        if problem:
            problems.append(problem)
            continue
        sizes = part_sizes(f.size)
        rows.append({"id": new_id("upl"), "project_id": dataset.project_id, "dataset_id": dataset_id,
                     "name": f.name, "dir": dir_, "size": f.size, "sha256": sha, "mimetype": f.mimetype,
                     "part_size": sizes[0] if len(sizes) == 1 else PART_SIZE, "parts": len(sizes),
                     "created_by": uow.principal_id, "created_at": now, "expires_at": now + UPLOAD_TTL})
    if problems:
        raise Problems(problems[:MAX_PROBLEMS])
    await uow.conn.execute(sa.insert(UPLOAD), rows)
    return rows


async def load_uploads(conn, access, upload_ids: list[tuple[str, list[str]]], dataset_id: str,
                       now: datetime) -> dict[str, Any]:
    """The caller's unexpired uploads into ``dataset_id``, by id; a problem names each one that is not."""
    ids = [u for u, _ in upload_ids]
    rows = {r.id: r for r in (await conn.execute(sa.select(UPLOAD).where(UPLOAD.c.id.in_(ids)))).all()
            if access.can_read_project(r.project_id)}
    problems = []
    for upload_id, where in upload_ids:
        row = rows.get(upload_id)
        if row is None or row.dataset_id != dataset_id:
            problems.append(Problem("NOT_FOUND", f"no direct upload {upload_id!r} into dataset {dataset_id}",
                                    where))
        elif as_utc(row.expires_at) < now:
            problems.append(Problem("CONFLICT", f"the direct upload {upload_id} expired at "
                                    f"{as_utc(row.expires_at).isoformat()}; create a new one", where))
    if problems:
        raise Problems(problems[:MAX_PROBLEMS])
    return rows


async def received_parts(storage: Storage, upload_id: str) -> dict[int, int]:
    """part number → bytes received."""
    if storage.kind == "file":
        return storage.local_parts(upload_id)  # one small folder: quicker than a trip to a thread
    found = await storage.list(f"uploads/{upload_id}/")
    return {int(name): size for key, size in found.items() if (name := key.rsplit("/", 1)[1]).isdigit()}


async def assemble(db: Database, content: ContentServices, upload: Any, where: list[str],
                   store: bool = True) -> Any:
    """Stream an upload's parts through the hasher into storage; checks every part, the size and the sha256.
    Raises Problems (the parts stay: the client may re-send a part and commit again). With ``store=False``:
    (spooled, probed) for ``store_many``, nothing stored yet."""
    storage = content.storage
    sizes = part_sizes(upload.size)
    have = await received_parts(storage, upload.id)
    missing = [n for n in range(1, len(sizes) + 1) if have.get(n) != sizes[n - 1]]
    if missing:
        raise Problems.one("CONFLICT", f"the upload {upload.id} lacks part(s) {missing[:20]} (of "
                           f"{len(sizes)}; each must be exactly its size): PUT them, then commit again", where)

    keys = [part_key(upload.id, n) for n in range(1, len(sizes) + 1)]
    if storage.kind == "file":
        # one part: hard-linked, with the sha256 noted when it arrived (no re-read); several: joined, the parts
        # the upload's running hash covers copied by the kernel, only the others read and hashed; in a thread
        if len(keys) == 1 and not store:  # taken (a hard link) and probed in one trip to a thread
            spooled, found = await asyncio.to_thread(_take_and_probe, storage, keys[0])
            _check_assembled(upload, spooled, where)
            mimetype = found.pop("mimetype")
            return spooled, Stored(spooled.sha256, spooled.size, mimetype, found)
        if len(keys) == 1:
            spooled = await asyncio.to_thread(storage.take_local_part, keys[0])
        else:
            spooled = await asyncio.to_thread(storage.join_local_parts, keys, upload.id)
    else:
        async def chunks():
            for key in keys:
                async for chunk in storage.read(key):
                    yield chunk

        spooled = await storage.spool(chunks(), content.settings.max_upload_bytes)
    _check_assembled(upload, spooled, where)
    if not store:
        return spooled, await probe_spooled(spooled)
    return await store_spooled(db, content, spooled)


def _take_and_probe(storage: Storage, key: str) -> tuple[Spooled, dict[str, Any]]:
    spooled = storage.take_local_part(key)
    try:
        return spooled, probing.probe(spooled.path)
    except BaseException:
        spooled.remove()
        raise


def _check_assembled(upload: Any, spooled: Spooled, where: list[str]) -> None:
    """The assembled bytes are what the upload announced (size, sha256); else the spooled file goes."""
    if spooled.size != upload.size or (upload.sha256 and spooled.sha256 != upload.sha256):
        spooled.remove()
        what = (f"{spooled.size:,} bytes arrived, {upload.size:,} were announced" if spooled.size != upload.size
                else f"the bytes' sha256 is {spooled.sha256}, {upload.sha256} was announced")
        raise Problems.one("INVALID", f"the upload {upload.id} does not match: {what}; PUT the parts again",
                           where)


async def finish_uploads(db: Database, storage: Storage, upload_ids: list[str]) -> None:
    """After their items are committed: forget the uploads and delete their parts."""
    async with db.transaction() as uow:
        await uow.conn.execute(sa.delete(UPLOAD).where(UPLOAD.c.id.in_(upload_ids)))
    if storage.kind == "file":
        await asyncio.to_thread(storage.remove_local_uploads, upload_ids)
        return
    for upload_id in upload_ids:
        await storage.delete_prefix(f"uploads/{upload_id}/")


# --- URLs ----------------------------------------------------------------------------------------------------

def base_url(info) -> str:
    request = info.context.request
    return str(request.base_url).rstrip("/")


def blob_path(sha256: str) -> str:
    return f"/files/blobs/{sha256}"


async def item_url(info, sha256: str | None, mimetype: str | None, expires_in: int) -> str | None:
    if not sha256:
        return None
    expires_in = max(1, min(expires_in, MAX_EXPIRES_IN))
    content = services_of(info)
    if content.storage.kind == "s3":
        return await content.storage.presign("GET", blob_key(sha256), expires_in)
    path = blob_path(sha256)
    if mimetype and MIMETYPE.match(mimetype):
        # the type rides in the URL, signed with it: serving the file needs no database
        query, _ = content.signer.query("GET", f"{path}\n{mimetype}", expires_in)
        return f"{base_url(info)}{path}?{query}&{urlencode({'t': mimetype})}"
    query, _ = content.signer.query("GET", path, expires_in)
    return f"{base_url(info)}{path}?{query}"


def thumbnail_path(sha256: str, size: int) -> str:
    return f"/files/thumbs/{sha256}/{size}"


def item_thumbnail_url(info, sha256: str | None, mimetype: str | None, size: int,
                       expires_in: int = 3600) -> str | None:
    if not sha256 or not mimetype or not mimetype.startswith(("image/", "video/")):
        return None
    if size not in THUMB_SIZES:
        raise Problems.one("INVALID", f"size must be {THUMB_SIZES.start}–{THUMB_SIZES.stop - 1} pixels, got {size}",
                           ["size"])
    content = services_of(info)
    path = thumbnail_path(sha256, size)
    query, _ = content.signer.query("GET", path, expires_in)
    return f"{base_url(info)}{path}?{query}"


async def thumbnail(db: Database, content: ContentServices, sha256: str, size: int) -> str | None:
    """The storage key of the blob's thumbnail at ``size``, made (once) if missing; None if it cannot be."""
    key = thumb_key(sha256, size)
    if await content.storage.exists(key):
        return key
    lock = content.thumb_locks.setdefault(key, asyncio.Lock())
    async with lock:
        if await content.storage.exists(key):
            return key
        async with db.read() as conn:
            mimetype = (await conn.execute(sa.select(BLOB.c.mimetype).where(BLOB.c.sha256 == sha256))).scalar()
        if mimetype is None:
            return None
        source = await content.storage.download(blob_key(sha256))
        out = source.with_suffix(".jpg")
        try:
            await asyncio.to_thread(probing.thumbnail, source, mimetype, size, out)
            await content.storage.put_file(key, out, "image/jpeg")
        except Exception:
            return None
        finally:
            source.unlink(missing_ok=True)
            out.unlink(missing_ok=True)
        content.thumb_locks.pop(key, None)
        return key


# --- collecting blobs ----------------------------------------------------------------------------------------

# what else keeps a blob (beyond items): predicates correlated with BLOB.c.sha256, added by the slices above this
# one (jobs/: the output a Command's url downloads)
BLOB_REFERENCES: list[Callable[[], sa.ColumnElement]] = []


async def collect_blobs(db: Database, content: ContentServices, now: datetime | None = None,
                        batch: int = 100) -> int:
    """Delete blobs no item references and no upload claimed within the grace period (rows and bytes, with
    their thumbnails; one transaction per batch, so an upload claiming one meanwhile waits and re-puts it).
    Also forgets expired direct uploads and their parts. Returns how many blobs went."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=content.settings.blob_grace_seconds)
    async with db.transaction() as uow:
        expired = (await uow.conn.execute(sa.delete(UPLOAD).where(UPLOAD.c.expires_at < now)
                                          .returning(UPLOAD.c.id))).scalars().all()
    for upload_id in expired:
        await content.storage.delete_prefix(f"uploads/{upload_id}/")
    unreferenced = sa.and_(~sa.exists().where(ITEM.c.sha256 == BLOB.c.sha256),
                           *[~reference() for reference in BLOB_REFERENCES])
    async with db.transaction() as uow:
        candidates = sa.select(BLOB.c.sha256).where(BLOB.c.used_at < cutoff, unreferenced).limit(batch)
        gone = (await uow.conn.execute(sa.delete(BLOB).where(BLOB.c.sha256.in_(candidates), BLOB.c.used_at < cutoff,
                                                             unreferenced).returning(BLOB.c.sha256))).scalars().all()
        for sha in gone:  # inside the transaction: a claim of the same row waits for it
            await content.storage.delete(blob_key(sha))
            await content.storage.delete_prefix(f"thumbs/{sha}/")
    return len(gone)


def spooled_source(spooled: Spooled):
    return spooled_chunks(spooled.path)


__all__ = ["TooLarge"]
