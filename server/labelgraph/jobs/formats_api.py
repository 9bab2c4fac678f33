"""GraphQL of dataset exports and imports: ``datasetExport`` and ``datasetImport`` queue a Command (types
``export``/``import``, jobs/formats.py) and answer at once; ``Command.url`` downloads an export's zip."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from labelgraph.context import Info
from labelgraph.data import content
from labelgraph.data.filters import ItemFilter
from labelgraph.data.formats import ExportFormat, MatchBy
from labelgraph.errors import Problems
from labelgraph.graph import filterspec as fs
from labelgraph.graph.errors import user_errors
from labelgraph.graph.mutations import mutate, node, run_write
from labelgraph.jobs.formats import DatasetExport, DatasetImport, check_import_target, queue_export, queue_import
from labelgraph.storage.store import TooLarge

strawberry.enum(ExportFormat, description="Dataset export and import formats: COCO (detection JSON), YOLO "
                "(Ultralytics layout), VOC (Pascal VOC XML), JSON (labelgraph's lossless format)")
strawberry.enum(MatchBy, description="How imported entries find the dataset's items: FILENAME (the path, dir + "
                "name, as exports write it) or NAME (the name alone: it must be unique in the dataset)")


@strawberry.input(description="Export a dataset (or the items a filter selects) as a zip, as a job (type export)")
class DatasetExportInput:
    dataset_id: strawberry.ID
    format: ExportFormat
    filter: ItemFilter | None = strawberry.field(default=None, description="Only the items that match (an "
                                                "empty selection is a valid empty export)")
    version_id: strawberry.ID | None = strawberry.field(default=None, description="Export this version of the "
                                                        "dataset")
    include_files: bool = strawberry.field(default=False, description="Put the items' files into the zip")
    splits: list[str] | None = strawberry.field(default=None, description="Only these splits (\"default\": "
                                                "items without a split)")


@strawberry.input(description="Import annotations (and items with their files when the zip carries them) into a "
                  "dataset, all or nothing, as a job (type import)")
class DatasetImportInput:
    dataset_id: strawberry.ID
    format: ExportFormat
    file: Upload | None = strawberry.field(default=None, description="The zip (or a COCO JSON file), sent as a "
                                           "multipart file")
    upload_id: strawberry.ID | None = strawberry.field(default=None, description="Or a finished direct upload "
                                                       "(itemUploadsCreate) into this dataset")
    create_missing_labels: bool = strawberry.field(default=False, description="Add labels the recipe lacks to "
                                                   "its ontology (otherwise an unknown label fails the import)")
    match_by: MatchBy = MatchBy.FILENAME


async def _chunks(upload):
    await upload.seek(0)
    while chunk := await upload.read(1024 * 1024):
        yield chunk


async def dataset_export(info: Info, input: DatasetExportInput, payload):  # noqa: ANN001, ANN201
    """The ``datasetExport`` resolver (declared on JobsMutation, jobs/mutations.py): ``payload`` CommandPayload."""
    command = DatasetExport(dataset_id=input.dataset_id, format=input.format, filter=fs.to_json(input.filter),
                            version_id=input.version_id, include_files=input.include_files,
                            splits=tuple(input.splits) if input.splits is not None else None)
    return await mutate(info, payload, queue_export, command, command=node("Command"))


async def dataset_import(info: Info, input: DatasetImportInput, payload):  # noqa: ANN001, ANN201
    """The ``datasetImport`` resolver: a multipart file is stored (as a blob, by its hash) once the caller is
    known to may import here, then the command is queued."""
    sha = None
    if input.file is not None:
        _, errors = await run_write(info, lambda uow: check_import_target(uow, input.dataset_id,
                                                                          input.create_missing_labels))
        if errors:
            return payload(command=None, errors=errors)
        try:
            stored = await content.receive(info.context.db, content.services_of(info), _chunks(input.file))
        except TooLarge as exc:
            return payload(command=None, errors=user_errors(Problems.one(
                "LIMIT_EXCEEDED", f"the file is {exc}", ["file"]).problems))
        sha = stored.sha256
    command = DatasetImport(dataset_id=input.dataset_id, format=input.format, file_sha256=sha,
                            upload_id=input.upload_id, create_missing_labels=input.create_missing_labels,
                            match_by=input.match_by)
    return await mutate(info, payload, queue_import, command, command=node("Command"))
