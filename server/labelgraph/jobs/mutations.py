"""Root mutation fields of dataset jobs: each creates (or aborts) a Command and answers at once; follow the
command with ``commandUpdated(id)`` or ``command(id)``."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data.filters import ItemFilter
from labelgraph.graph import filterspec as fs
from labelgraph.graph.errors import UserError
from labelgraph.graph.mutations import mutate, node
from labelgraph.jobs import formats_api, service
from labelgraph.jobs.commands import CommandAbort, DatasetClone, DatasetsMerge
from labelgraph.jobs.types import Command


@strawberry.type
class CommandPayload:
    command: Command | None
    errors: list[UserError]


@strawberry.input(description="Clone a dataset (or the items a filter selects) as a job. The clone shares the "
                  "files (no byte is copied) and is made with a bounded number of set-based statements.")
class DatasetCloneInput:
    dataset_id: strawberry.ID
    name: str
    project_id: strawberry.ID | None = strawberry.field(default=None, description="Default: the source's project")
    filter: ItemFilter | None = strawberry.field(default=None, description="Only the items that match")
    with_annotations: bool = True
    with_metadata: bool = strawberry.field(default=True, description="false: the items' user metadata is left out")
    with_item_statuses: bool = strawberry.field(default=False, description="The copies join the source items' "
                                                "tasks with their statuses (same project only)")


@strawberry.input(description="Merge datasets of one project that share a recipe into a new dataset, as a job")
class DatasetsMergeInput:
    dataset_ids: list[strawberry.ID]
    name: str
    with_annotations: bool = True


@strawberry.input
class CommandAbortInput:
    id: strawberry.ID


@strawberry.type
class JobsMutation:
    @strawberry.mutation(description="Clone a dataset as a job (type clone); result: {datasetId, items, "
                         "annotations, itemStatuses}")
    async def dataset_clone(self, info: Info, input: DatasetCloneInput) -> CommandPayload:
        command = DatasetClone(dataset_id=input.dataset_id, name=input.name, project_id=input.project_id,
                               filter=fs.to_json(input.filter), with_annotations=input.with_annotations,
                               with_metadata=input.with_metadata, with_item_statuses=input.with_item_statuses)
        return await mutate(info, CommandPayload, service.clone, command, command=node("Command"))

    @strawberry.mutation(description="Merge datasets as a job (type merge); result: {datasetId, items, annotations}")
    async def datasets_merge(self, info: Info, input: DatasetsMergeInput) -> CommandPayload:
        command = DatasetsMerge(dataset_ids=tuple(input.dataset_ids), name=input.name,
                                with_annotations=input.with_annotations)
        return await mutate(info, CommandPayload, service.merge, command, command=node("Command"))

    @strawberry.mutation(description="Export a dataset as a job (type export): COCO, YOLO, VOC or JSON in a zip; "
                         "Command.url downloads it once the command is SUCCESS; result: {images, annotations, "
                         "skipped, files, bytes}")
    async def dataset_export(self, info: Info, input: formats_api.DatasetExportInput) -> CommandPayload:
        return await formats_api.dataset_export(info, input, CommandPayload)

    @strawberry.mutation(description="Import into a dataset as a job (type import), all or nothing: a malformed "
                         "entry fails the command with an error naming the file and the entry, and nothing is "
                         "written; result: {items, itemsMatched, itemsCreated, annotations, labelsCreated}")
    async def dataset_import(self, info: Info, input: formats_api.DatasetImportInput) -> CommandPayload:
        return await formats_api.dataset_import(info, input, CommandPayload)

    @strawberry.mutation(description="Stop a job: a queued one ends ABORTED at once, a running one within a second; "
                         "CONFLICT when it has ended already")
    async def command_abort(self, info: Info, input: CommandAbortInput) -> CommandPayload:
        return await mutate(info, CommandPayload, service.abort, CommandAbort(id=input.id), command=node("Command"))
