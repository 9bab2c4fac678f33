"""Dataset export and import as jobs (types ``export`` and ``import``) over the format library
(data/formats/): the mutation side checks access and input and queues the command; the handlers do the work.

* export: the zip is written to a temporary file (streamed, bounded memory), stored as a blob under its sha256
  (so a restarted job stores the same bytes once) and ``Command.url`` downloads it.
* import: the uploaded file (a multipart ``file`` stored as a blob when the mutation ran, or a direct upload's
  ``uploadId``) is parsed and validated whole, then written in one transaction that also marks the command
  SUCCESS; a malformed entry fails the command with an error naming the file and the entry, nothing written.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data import content
from labelgraph.data.formats import ExportFormat, MatchBy, Source, export_dataset, import_archive
from labelgraph.data.models import Dataset
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems, Refused, invalid, not_found
from labelgraph.ids import type_of
from labelgraph.jobs import queue
from labelgraph.jobs.registry import JobContext, JobResult, register
from labelgraph.jobs.service import item_conditions
from labelgraph.rows import load_for
from labelgraph.storage.store import Spooled, blob_key

DATASET = Dataset.__table__
# the versions slice's table (a version is a hidden snapshot dataset): named here, not imported, so this module
# does not depend on it; a versionId is looked up only when its prefix is a DatasetVersion's
VERSION = sa.table("dataset_version", sa.column("id"), sa.column("dataset_id"), sa.column("snapshot_id"))
MAX_SPLITS = 100


@dataclass(frozen=True, kw_only=True)
class DatasetExport:
    dataset_id: str
    format: ExportFormat
    filter: Any = None  # the item filter's JSON form (graph/filterspec.to_json) or a DQL document
    version_id: str | None = None
    include_files: bool = False
    splits: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class DatasetImport:
    dataset_id: str
    format: ExportFormat
    file_sha256: str | None = None  # a multipart file, stored as a blob by the mutation
    upload_id: str | None = None  # or a direct upload (itemUploadsCreate into this dataset)
    create_missing_labels: bool = False
    match_by: MatchBy = MatchBy.FILENAME


# --- the mutation side ---------------------------------------------------------------------------------------

async def check_import_target(uow: UnitOfWork, dataset_id: str, create_missing_labels: bool) -> Any:
    """The caller may write items and annotations in the dataset (and the recipe, to add labels); the dataset is
    not read-only."""
    dataset = await load_for(uow, DATASET, dataset_id, "datasetId", "Dataset", "item.write", "readonly",
                             "recipe_id")
    uow.access.require_project(dataset.project_id, "annotation.write", "dataset", dataset_id, "datasetId")
    if create_missing_labels:
        uow.access.require_project(dataset.project_id, "recipe.write", "dataset", dataset_id, "createMissingLabels")
    if dataset.readonly:
        raise Problems.one("CONFLICT", f"dataset {dataset_id} is read-only: nothing can be imported into it",
                           ["datasetId"])
    return dataset


async def queue_export(uow: UnitOfWork, cmd: DatasetExport) -> str:
    dataset = await load_for(uow, DATASET, cmd.dataset_id, "datasetId", "Dataset", "dataset.write")
    try:  # a bad filter is refused now, not when the job runs
        item_conditions(cmd.filter, uow.conn.dialect.name)
    except Refused as exc:
        raise invalid(str(exc), "filter") from None
    if cmd.splits is not None and (len(cmd.splits) > MAX_SPLITS or any(not s.strip() for s in cmd.splits)):
        raise invalid(f"splits takes 1 to {MAX_SPLITS} non-empty split names", "splits")
    snapshot = None
    if cmd.version_id is not None:  # a version's rows live in its snapshot dataset (the versions slice)
        if type_of(cmd.version_id) == "DatasetVersion":
            snapshot = (await uow.conn.execute(sa.select(VERSION.c.snapshot_id).where(
                VERSION.c.id == cmd.version_id, VERSION.c.dataset_id == cmd.dataset_id))).scalar()
        if snapshot is None:
            raise not_found(f"no version {cmd.version_id!r} of dataset {cmd.dataset_id}", "versionId")
    return await queue.create(uow, "export", dataset.project_id, {
        "datasetId": cmd.dataset_id, "snapshotId": snapshot, "format": cmd.format.value, "filter": cmd.filter,
        "versionId": cmd.version_id,
        "includeFiles": cmd.include_files, "splits": list(cmd.splits) if cmd.splits is not None else None})


async def queue_import(uow: UnitOfWork, cmd: DatasetImport) -> str:
    dataset = await check_import_target(uow, cmd.dataset_id, cmd.create_missing_labels)
    if (cmd.file_sha256 is None) == (cmd.upload_id is None):
        raise invalid("give exactly one of file (a multipart upload) or uploadId (a direct upload)", "file")
    if cmd.upload_id is not None:
        await content.load_uploads(uow.conn, uow.access, [(cmd.upload_id, ["uploadId"])], cmd.dataset_id,
                                   utcnow())
    return await queue.create(uow, "import", dataset.project_id, {
        "datasetId": cmd.dataset_id, "format": cmd.format.value, "fileSha256": cmd.file_sha256,
        "uploadId": cmd.upload_id, "createMissingLabels": cmd.create_missing_labels,
        "matchBy": cmd.match_by.value})


# --- the handlers ----------------------------------------------------------------------------------------------

def _hash(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@register("export")
async def export(job: JobContext) -> JobResult:
    p = job.command.input
    fmt = ExportFormat(p["format"])
    store = job.store
    store.tmp_dir.mkdir(parents=True, exist_ok=True)
    target = store.tmp_dir / f"export-{job.command.id}-{uuid.uuid4().hex}.zip"
    try:
        async with job.db.read() as conn:
            read_from = p.get("snapshotId") or p["datasetId"]  # a version: its snapshot dataset's rows
            exists = (await conn.execute(sa.select(DATASET.c.id).where(DATASET.c.id == read_from))).first()
            if exists is None:
                raise Problems.one("NOT_FOUND", f"dataset {read_from} was deleted before the job ran",
                                   ["datasetId"])
            source = Source(conn, read_from, item_conditions(p.get("filter"), conn.dialect.name), p.get("splits"))
            total, _ = await source.count()
            done = 0
            await job.progress(0, max(total, 1), f"{fmt.value} export")

            async def progress(n: int) -> None:
                nonlocal done
                done += n
                job.check_abort()
                await job.progress(done, max(total, 1), f"{fmt.value} export: {done}/{total} items")

            def files(item: Any):
                return store.read(blob_key(item.sha256))

            result = await export_dataset(source, fmt, target, files=files if p.get("includeFiles") else None,
                                          progress=progress)
        job.check_abort()
        sha, size = await asyncio.to_thread(_hash, target)
        await content.claim_blob(job.db, sha, size, "application/zip", {})
        await store.keep(Spooled(target, sha, size), "application/zip")
        result["bytes"] = size
        return JobResult(result=result, blob_key=blob_key(sha))
    finally:
        target.unlink(missing_ok=True)


@register("import")
async def import_(job: JobContext) -> JobResult:
    p = job.command.input
    fmt = ExportFormat(p["format"])
    services = content.ContentServices(job.store, None, job.settings)
    local: Path | None = None
    upload = None
    try:
        if p.get("uploadId"):
            async with job.db.read() as conn:
                upload = (await conn.execute(sa.select(content.UPLOAD).where(
                    content.UPLOAD.c.id == p["uploadId"]))).first()
            if upload is None:
                raise Problems.one("NOT_FOUND", f"the direct upload {p['uploadId']} is gone", ["uploadId"])
            spooled, _ = await content.assemble(job.db, services, upload, ["uploadId"], store=False)
            local = spooled.path
        else:
            local = await job.store.download(blob_key(p["fileSha256"]))
        await job.progress(0, 3, f"{fmt.value} import: checking")
        job.check_abort()

        async def progress(stage: str) -> None:
            job.check_abort()
            await job.progress(1 if stage == "checked" else 2, 3, f"{fmt.value} import: {stage}")

        async def finish(uow: UnitOfWork, result: dict[str, Any]) -> None:
            await job.complete(uow, JobResult(result={**result, "format": fmt.value}))

        await import_archive(job.db, None, services, p["datasetId"], fmt, local,
                             match_by=p.get("matchBy"), create_missing_labels=bool(p.get("createMissingLabels")),
                             progress=progress, finish=finish)
    finally:
        if local is not None:
            local.unlink(missing_ok=True)
            local.with_name(local.name + ".zip").unlink(missing_ok=True)
    if upload is not None:
        await content.finish_uploads(job.db, job.store, [upload.id])
    return JobResult()
