"""GraphQL of item content: ``itemsUpload`` (the GraphQL multipart request spec), direct uploads
(``itemUploadsCreate``, then ``itemsCreate`` with ``uploadId``), ``itemUpload`` (what a direct upload received:
resuming), and the ``Item`` fields ``url``/``thumbnailUrl`` (data/types.py delegates to ``item_url`` here)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from labelgraph.columns import as_utc, utcnow
from labelgraph.context import Info
from labelgraph.data import content
from labelgraph.data.validation import join_path
from labelgraph.errors import Problem, Problems
from labelgraph.graph.errors import UserError, user_errors
from labelgraph.graph.extensions import log_refusal
from labelgraph.graph.mutations import run_write
from labelgraph.graph.scalars import JSON, Long
from labelgraph.rows import MAX_PROBLEMS
from labelgraph.storage.store import part_key

if TYPE_CHECKING:
    from labelgraph.data.mutations import ItemsPayload

ItemsPayloadType = Annotated["ItemsPayload", strawberry.lazy("labelgraph.data.mutations")]

MAX_FILES = 1000
UPLOAD_HEADERS_LOCAL: dict[str, str] = {}


@strawberry.input(description="Files sent with the request (the GraphQL multipart request spec): each becomes an "
                  "item named as the file, in `dir`. At most 1000 files; all items are created or none.")
class ItemsUploadInput:
    dataset_id: strawberry.ID
    files: list[Upload]
    dir: str | None = strawberry.field(default="/", description='The folder of every file, "/" by default')
    metadata: list[JSON] | None = strawberry.field(
        default=None, description="Per file (same order), its metadata.user object; or null")
    overwrite: bool | None = strawberry.field(
        default=False, description="Replace the content of items with the same path instead of DUPLICATE")


@strawberry.input
class ItemUploadFileInput:
    name: str = strawberry.field(description="The item's name (no '/', no control characters)")
    size: Long = strawberry.field(description="The file's size in bytes")
    dir: str | None = "/"
    sha256: str | None = strawberry.field(default=None, description="Hex; checked when the upload is committed")
    mimetype: str | None = strawberry.field(default=None, description="Informative: the server probes the bytes")


@strawberry.input
class ItemUploadsCreateInput:
    dataset_id: strawberry.ID
    files: list[ItemUploadFileInput] = strawberry.field(description="At most 1000 per call")


@strawberry.type(description="One part of a direct upload: PUT exactly `size` bytes to `uploadUrl`")
class ItemUploadPart:
    number: int = strawberry.field(description="1, 2, …")
    size: Long
    upload_url: str
    received: bool = strawberry.field(description="Whether the server holds this part complete (resume: PUT "
                                      "only the parts not received)")


@strawberry.type(description=(
    "A direct upload. PUT the file's bytes to `uploadUrl` with `headers` (a file of at most `partSize` bytes: one "
    "PUT), or, for a larger file, PUT each of `parts` (exactly its `size` bytes, in any order, several at once if "
    "you like) to its URL. A part PUT again replaces itself, so a dropped connection costs one part: ask "
    "`itemUpload(uploadId)` which parts are `received` and send the others. Then commit with "
    "`itemsCreate(input: {datasetId, items: [{name, dir, uploadId}]})`: the server checks the size and sha256 and "
    "probes the file. URLs expire at `expiresAt`."))
class ItemUpload:
    upload_id: strawberry.ID
    upload_url: str = strawberry.field(description="Part 1's URL (the whole file when it has one part)")
    headers: JSON = strawberry.field(description="Headers to send with every PUT")
    expires_at: datetime
    part_size: Long = strawberry.field(description="Bytes per part (the last one may be smaller)")
    parts: list[ItemUploadPart]


@strawberry.type
class ItemUploadsPayload:
    uploads: list[ItemUpload]
    errors: list[UserError]


async def _part_url(info: Info, services: content.ContentServices, upload_id: str, number: int, size: int,
                    expires_in: int) -> str:
    if services.storage.kind == "s3":
        return await services.storage.presign("PUT", part_key(upload_id, number), expires_in)
    path = f"/files/uploads/{upload_id}/{number}/{size}"
    query, _ = services.signer.query("PUT", path, expires_in)
    return f"{content.base_url(info)}{path}?{query}"


async def _describe(info: Info, row: Any, received: dict[int, int] | None = None) -> ItemUpload:
    services = content.services_of(info)
    expires_at = as_utc(row.expires_at)
    expires_in = max(1, int((expires_at - utcnow()).total_seconds()))
    sizes = content.part_sizes(row.size)
    parts = [ItemUploadPart(number=n, size=s, upload_url=await _part_url(info, services, row.id, n, s, expires_in),
                            received=bool(received) and received.get(n) == s)
             for n, s in enumerate(sizes, start=1)]
    return ItemUpload(upload_id=row.id, upload_url=parts[0].upload_url, headers=dict(UPLOAD_HEADERS_LOCAL),
                      expires_at=expires_at, part_size=row.part_size, parts=parts)


def _refuse(info: Info, problems: list[Problem]) -> list[UserError]:
    log_refusal(info.context, [(p.code, f"{'.'.join(p.field)}: {p.message}") for p in problems])
    return user_errors(problems)


async def _load_many(info: Info, type_name: str, ids: list[str] | None) -> list:
    if not ids:
        return []
    from labelgraph.graph.connection import by_id_loader
    from labelgraph.graph.mapping import ENTITIES

    return await by_id_loader(info.context, ENTITIES[type_name]).load_many(ids)


async def _precheck(uow, dataset_id: str, dir_: str, names: list[str], overwrite: bool) -> None:
    """The caller may write items in the dataset, and (unless overwriting) no name is taken."""
    await content.check_dataset(uow, dataset_id)
    if overwrite:
        return
    filenames = [join_path(dir_, n) for n in names]
    existing = await content.existing_names(uow.conn, dataset_id, filenames)
    if existing:
        raise Problems([Problem("DUPLICATE", f"an item {f} exists already in this dataset; pass overwrite: "
                                "true to replace its content", ["files", str(i)])
                        for i, f in enumerate(filenames) if f in existing][:20])


@strawberry.type
class ContentMutation:
    @strawberry.mutation(description=(
        "Upload files in this request (multipart/form-data: the GraphQL multipart request spec; e.g. curl -F "
        "operations=… -F map=… -F 0=@cat.jpg). Each file becomes an item named as the file; the server probes "
        "it (mimetype, size, sha256, width/height, video fps/duration). At most 1000 files, each at most "
        "LABELGRAPH_MAX_UPLOAD_BYTES; all items are created or none. A corrupt image is stored with width/height "
        "null and metadata.system.probeError."))
    async def items_upload(self, info: Info, input: ItemsUploadInput) -> ItemsPayloadType:
        from labelgraph.data.mutations import ItemsPayload

        services = content.services_of(info)
        db = info.context.db
        problems: list[Problem] = []
        files = list(input.files or [])
        if not files:
            problems.append(Problem("INVALID", "files must contain at least one file", ["files"]))
        elif len(files) > MAX_FILES:
            problems.append(Problem("LIMIT_EXCEEDED", f"files takes at most {MAX_FILES} files per call, got "
                                    f"{len(files)}", ["files"]))
        if input.metadata is not None and len(input.metadata) != len(files):
            problems.append(Problem("INVALID", f"metadata must have one entry per file ({len(files)}), got "
                                    f"{len(input.metadata)}", ["metadata"]))
        dir_, dir_problem = content.check_dir(input.dir, ["dir"])
        if dir_problem:
            problems.append(dir_problem)
        seen: dict[str, int] = {}
        for i, f in enumerate(files):
            name = getattr(f, "filename", None)
            problem = content.check_file_name(name, ["files", str(i)])
            if problem is None and input.metadata is not None and input.metadata[i] is not None and not isinstance(
                    input.metadata[i], dict):
                problem = Problem("INVALID", "metadata entries must be JSON objects (metadata.user) or null",
                                  ["metadata", str(i)])
            if problem is None and name in seen:
                problem = Problem("DUPLICATE", f"the file name {name!r} appears twice in this call (files "
                                  f"{seen[name]} and {i})", ["files", str(i)])
            if problem:
                problems.append(problem)
            else:
                seen[name] = i
        if problems:
            # may the caller write here first (an unreadable dataset is NOT_FOUND, whatever else is wrong)
            _, errors = await run_write(info, lambda uow: content.check_dataset(uow, input.dataset_id))
            return ItemsPayload(items=[], errors=errors or _refuse(info, problems))
        # the caller may write here, and (unless overwriting) no name is taken: checked before storing anything (one
        # transaction: the input checks above need no database)
        _, errors = await run_write(info, lambda uow: _precheck(uow, input.dataset_id, dir_, list(seen),
                                                                    bool(input.overwrite)))
        if errors:
            return ItemsPayload(items=[], errors=errors)
        # every file of the call copied from the form's spool (hashed on the way) and probed in ONE trip to a
        # worker thread, then one transaction claims all their blobs (a trip and a transaction per file before)
        try:
            received = await asyncio.to_thread(content.receive_uploaded, services.storage, [f.file for f in files],
                                               services.settings.max_upload_bytes)
        except content.FileTooLarge as exc:
            return ItemsPayload(items=[], errors=_refuse(info, [Problem(
                "LIMIT_EXCEEDED", f"the file {files[exc.index].filename!r} is over the limit of {exc.limit:,} bytes "
                "(setting LABELGRAPH_MAX_UPLOAD_BYTES)", ["files", str(exc.index)])]))
        await content.store_many(db, services, received)
        entries = [content.ContentItem(f.filename, dir_, stored, input.metadata[i] if input.metadata else None,
                                       ["files", str(i)]) for i, (f, (_, stored)) in enumerate(zip(files, received,
                                                                                                  strict=True))]
        ids, errors = await run_write(info, lambda uow: content.create_content_items(
            uow, input.dataset_id, entries, bool(input.overwrite)))
        return ItemsPayload(items=await _load_many(info, "Item", ids), errors=errors)

    @strawberry.mutation(description=(
        "Start direct uploads (large files, S3): per file an uploadId and the URLs to PUT its bytes to (S3 "
        "presigned on S3; the gateway's own signed URLs on local storage), in parts of 64 MiB above 64 MiB. "
        "Commit with itemsCreate(items: [{name, dir, uploadId}])."))
    async def item_uploads_create(self, info: Info, input: ItemUploadsCreateInput) -> ItemUploadsPayload:
        settings = info.context.settings
        files = [_FileSpec(f) for f in input.files]
        rows, errors = await run_write(info, lambda uow: content.create_uploads(
            uow, input.dataset_id, files, settings.max_upload_bytes, settings.max_batch_size))
        if errors:
            return ItemUploadsPayload(uploads=[], errors=errors)
        return ItemUploadsPayload(uploads=[await _describe(info, _Row(r)) for r in rows], errors=[])


class _FileSpec:
    def __init__(self, f: ItemUploadFileInput) -> None:
        self.name, self.dir, self.sha256, self.mimetype = f.name, f.dir, f.sha256, f.mimetype
        self.size = f.size  # a Long: an integer already (the scalar refuses fractions); < 0 is refused


class _Row:
    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)


@strawberry.type
class ContentQuery:
    @strawberry.field(description="A direct upload you started and have not committed: which parts arrived "
                      "(resume by sending the others); null when unknown, committed or expired")
    async def item_upload(self, info: Info, upload_id: strawberry.ID) -> ItemUpload | None:
        ctx = info.context
        async with ctx.db.read() as conn:
            try:
                rows = await content.load_uploads(conn, ctx.access, [(upload_id, ["uploadId"])],
                                                  await _dataset_of(conn, upload_id), utcnow())
            except Problems:
                return None
        row = rows[upload_id]
        return await _describe(info, row, await content.received_parts(content.services_of(info).storage, row.id))


async def _dataset_of(conn, upload_id: str) -> str:
    import sqlalchemy as sa

    return (await conn.execute(sa.select(content.UPLOAD.c.dataset_id).where(
        content.UPLOAD.c.id == upload_id))).scalar() or ""


async def items_create_from_uploads(info: Info, input: Any) -> Any:
    """``itemsCreate`` whose items name ``uploadId``s: assemble and check each upload (outside any transaction),
    then create every item in one transaction; the uploads are then forgotten and their parts deleted."""
    from labelgraph.data.mutations import ItemsPayload

    ctx = info.context
    services = content.services_of(info)
    _, errors = await run_write(info, lambda uow: content.check_dataset(uow, input.dataset_id))
    if errors:
        return ItemsPayload(items=[], errors=errors)
    items = list(input.items)
    problems: list[Problem] = []
    if len(items) > ctx.settings.max_batch_size:
        problems.append(Problem("LIMIT_EXCEEDED", f"items takes at most {ctx.settings.max_batch_size} entries per "
                                f"call, got {len(items)}", ["items"]))
    for i, spec in enumerate(items):
        if not getattr(spec, "upload_id", None):
            problems.append(Problem("INVALID", "either every item of a call names an uploadId or none does",
                                    ["items", str(i), "uploadId"]))
        problem = content.check_file_name(spec.name, ["items", str(i), "name"])
        if problem:
            problems.append(problem)
    if problems:
        return ItemsPayload(items=[], errors=_refuse(info, problems))
    try:
        async with ctx.db.read() as conn:
            uploads = await content.load_uploads(conn, ctx.access, [(s.upload_id, ["items", str(i), "uploadId"])
                                                                    for i, s in enumerate(items)],
                                                 input.dataset_id, utcnow())
        dirs = []
        for i, spec in enumerate(items):
            dir_, problem = content.check_dir(spec.dir, ["items", str(i), "dir"])
            if problem:
                raise Problems([problem])
            dirs.append(dir_)
        # several uploads are assembled and probed at once (probing runs in threads)
        gate = asyncio.Semaphore(4)

        async def assemble(i: int, spec: Any) -> Any:
            async with gate:
                return await content.assemble(ctx.db, services, uploads[spec.upload_id],
                                              ["items", str(i), "uploadId"], store=False)

        results = await asyncio.gather(*(assemble(i, spec) for i, spec in enumerate(items)), return_exceptions=True)
        received = [r for r in results if isinstance(r, tuple)]
        found = [p for r in results if isinstance(r, Problems) for p in r.problems]
        failed = [r for r in results if isinstance(r, BaseException) and not isinstance(r, Problems)]
        if found or failed:
            for spooled, _ in received:
                spooled.remove()
            if failed:
                raise failed[0]
            raise Problems(found[:MAX_PROBLEMS])
        # one transaction claims every blob of the call, then the bytes are put under their hashes
        await content.store_many(ctx.db, services, received)
        entries = [content.ContentItem(spec.name, dir_, stored, spec.metadata, ["items", str(i), "name"])
                   for i, (spec, dir_, (_, stored)) in enumerate(zip(items, dirs, results, strict=True))]
    except Problems as exc:
        return ItemsPayload(items=[], errors=_refuse(info, exc.problems))
    ids, errors = await run_write(info, lambda uow: content.create_content_items(uow, input.dataset_id, entries,
                                                                                 False))
    if not errors:
        await content.finish_uploads(ctx.db, services.storage, list(uploads))
    return ItemsPayload(items=await _load_many(info, "Item", ids), errors=errors)
