"""Mutations of the data domain: entity-first names, one input, a payload with errors. Each resolver builds
the service's typed command from its input and hands it to ``graph.mutations.mutate``."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data import service
from labelgraph.data.commands import (
    AnnotationCreate,
    AnnotationsCreate,
    AnnotationsDelete,
    AnnotationsUpdate,
    AnnotationUpdate,
    DatasetCreate,
    DatasetSplit,
    DatasetUpdate,
    DatasetVersionCreate,
    Delete,
    ItemCreate,
    ItemsCreate,
    ItemsDelete,
    ItemsDeleteWhere,
    ItemsSplitSet,
    ItemsUpdate,
    ItemUpdate,
    OrganizationCreate,
    OrganizationUpdate,
    ProjectCreate,
    ProjectUpdate,
)
from labelgraph.data.content_api import ContentMutation, items_create_from_uploads
from labelgraph.data.filters import ItemFilter, item_query
from labelgraph.data.inputs import (
    AnnotationsCreateInput,
    AnnotationUpdateInput,
    DatasetCreateInput,
    DatasetUpdateInput,
    DeleteInput,
    IdsInput,
    ItemsCreateInput,
    ItemUpdateInput,
    OrganizationCreateInput,
    OrganizationUpdateInput,
    ProjectCreateInput,
    ProjectUpdateInput,
)
from labelgraph.data.types import Annotation, Dataset, DatasetVersion, Item, Organization, Project
from labelgraph.errors import Refused
from labelgraph.graph.errors import UserError
from labelgraph.graph.filters import check_conditions
from labelgraph.graph.mutations import command_from, deleted_ids, mutate, node, nodes, value
from labelgraph.graph.scalars import JSON


@strawberry.type
class CountPayload:
    count: int = strawberry.field(description="how many changed (0 when refused)")
    errors: list[UserError]


@strawberry.input(description="Select items of one dataset by ids, a typed filter or a DQL document (exactly one), "
                              "and what to change")
class ItemsUpdateInput:
    dataset_id: strawberry.ID
    ids: list[strawberry.ID] | None = strawberry.field(default=None, description="at most 1000")
    filter: ItemFilter | None = None
    dql: JSON | None = strawberry.field(default=None, description="a DQL document or its filter part")
    metadata: JSON | None = strawberry.field(
        default=None, description="merged into metadata.user key by key; a null value removes the key")
    hidden: bool | None = None
    dir: str | None = strawberry.field(default=None, description="move the items to this directory")


@strawberry.input(description="The items to delete: ids (at most 1000; with datasetId: of that dataset), "
                              "or datasetId with a typed filter or a DQL document (any number, one statement)")
class ItemsDeleteInput:
    ids: list[strawberry.ID] | None = strawberry.field(default=None,
                                                       description="At most 1000 per call; all or nothing")
    dataset_id: strawberry.ID | None = None
    filter: ItemFilter | None = None
    dql: JSON | None = strawberry.field(default=None, description="a DQL document or its filter part")


@strawberry.input
class AnnotationsUpdateInput:
    annotations: list[AnnotationUpdateInput] = strawberry.field(
        description="At most 1000 per call, each with its own changes; all or nothing")


@strawberry.type
class OrganizationPayload:
    organization: Organization | None
    errors: list[UserError]


@strawberry.type
class ProjectPayload:
    project: Project | None
    errors: list[UserError]


@strawberry.type
class DatasetPayload:
    dataset: Dataset | None
    errors: list[UserError]


@strawberry.type
class ItemPayload:
    item: Item | None
    errors: list[UserError]


@strawberry.type
class ItemsPayload:
    items: list[Item]
    errors: list[UserError]


@strawberry.type
class AnnotationPayload:
    annotation: Annotation | None
    errors: list[UserError]


@strawberry.type
class AnnotationsPayload:
    annotations: list[Annotation]
    errors: list[UserError]


@strawberry.type(description="What a delete removed (deleting a parent also removes what it owns)")
class DeletePayload:
    deleted_ids: list[strawberry.ID]
    errors: list[UserError]


@strawberry.type
class DatasetVersionPayload:
    version: DatasetVersion | None
    errors: list[UserError]


@strawberry.input(description="Freeze a dataset as it is now (items, metadata, annotations, splits)")
class DatasetVersionCreateInput:
    dataset_id: strawberry.ID
    name: str = strawberry.field(description="Unique among the dataset's versions; 1..200 characters")


@strawberry.input(description="Set the split of items of one dataset chosen by itemIds or filter (exactly one)")
class ItemsSplitSetInput:
    dataset_id: strawberry.ID
    split: str | None = strawberry.field(description="1..64 characters; null clears the split")
    item_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="at most 1000")
    filter: ItemFilter | None = strawberry.field(default=None, description="any number of items")


@strawberry.input(description="Split a dataset's files by ratios, deterministically for a seed")
class DatasetSplitInput:
    dataset_id: strawberry.ID
    ratios: JSON = strawberry.field(description='{split name: share}, shares positive and summing to 1, e.g. '
                                    '{"train": 0.8, "validation": 0.1, "test": 0.1}')
    seed: int = strawberry.field(default=0, description="the same seed and items give the same splits")


def _limit(info: Info) -> int:
    return info.context.settings.max_batch_size


@strawberry.type
class DataMutation(ContentMutation):
    @strawberry.mutation
    async def organization_create(self, info: Info, input: OrganizationCreateInput) -> OrganizationPayload:
        return await mutate(info, OrganizationPayload, service.create_organization,
                            OrganizationCreate(name=input.name), organization=node("Organization"))

    @strawberry.mutation
    async def organization_update(self, info: Info, input: OrganizationUpdateInput) -> OrganizationPayload:
        return await mutate(info, OrganizationPayload, service.update_organization,
                            OrganizationUpdate(id=input.id, name=input.name), organization=node("Organization"))

    @strawberry.mutation
    async def organization_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_organization,
                            Delete(id=input.id, confirm=input.confirm), deleted_ids=deleted_ids())

    @strawberry.mutation
    async def project_create(self, info: Info, input: ProjectCreateInput) -> ProjectPayload:
        return await mutate(info, ProjectPayload, service.create_project, command_from(ProjectCreate, input),
                            project=node("Project"))

    @strawberry.mutation
    async def project_update(self, info: Info, input: ProjectUpdateInput) -> ProjectPayload:
        return await mutate(info, ProjectPayload, service.update_project, command_from(ProjectUpdate, input),
                            project=node("Project"))

    @strawberry.mutation
    async def project_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_project, Delete(id=input.id, confirm=input.confirm),
                            deleted_ids=deleted_ids())

    @strawberry.mutation
    async def dataset_create(self, info: Info, input: DatasetCreateInput) -> DatasetPayload:
        return await mutate(info, DatasetPayload, service.create_dataset, command_from(DatasetCreate, input),
                            dataset=node("Dataset"))

    @strawberry.mutation
    async def dataset_update(self, info: Info, input: DatasetUpdateInput) -> DatasetPayload:
        return await mutate(info, DatasetPayload, service.update_dataset, command_from(DatasetUpdate, input),
                            dataset=node("Dataset"))

    @strawberry.mutation(description="Delete a dataset with all its items and annotations")
    async def dataset_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_dataset, Delete(id=input.id, confirm=input.confirm),
                            deleted_ids=deleted_ids())

    @strawberry.mutation(description="Create up to 1000 items in one dataset in one transaction: all or nothing")
    async def items_create(self, info: Info, input: ItemsCreateInput) -> ItemsPayload:
        if any(item.upload_id for item in input.items):  # direct uploads: data/content_api.py
            return await items_create_from_uploads(info, input)
        command = ItemsCreate(dataset_id=input.dataset_id, limit=_limit(info),
                              items=[command_from(ItemCreate, item) for item in input.items])
        return await mutate(info, ItemsPayload, service.create_items, command, items=nodes("Item"))

    @strawberry.mutation
    async def item_update(self, info: Info, input: ItemUpdateInput) -> ItemPayload:
        return await mutate(info, ItemPayload, service.update_item, command_from(ItemUpdate, input),
                            item=node("Item"))

    @strawberry.mutation(description="Delete up to 1000 items with their annotations: all or nothing")
    async def items_delete(self, info: Info, input: ItemsDeleteInput) -> DeletePayload:
        if input.filter is None and input.dql is None:
            if input.ids is None:
                raise Refused("BAD_USER_INPUT", "input: give ids, or datasetId with filter or dql", field="input")
            return await mutate(info, DeletePayload, service.delete_items,
                                ItemsDelete(ids=input.ids, limit=_limit(info), dataset_id=input.dataset_id),
                                deleted_ids=deleted_ids())
        if input.ids is not None or input.dataset_id is None:
            raise Refused("BAD_USER_INPUT", "input: a filter or dql needs datasetId and no ids", field="input")
        if input.filter is not None:
            check_conditions(input.filter)
        node_, _ = item_query(input.filter, input.dql, None)
        return await mutate(info, DeletePayload, service.delete_items_where,
                            ItemsDeleteWhere(dataset_id=input.dataset_id, filter=node_), deleted_ids=deleted_ids())

    @strawberry.mutation(description="Change every item that ids, filter or dql selects in one dataset: one "
                                     "transaction and a fixed number of statements whatever the count")
    async def items_update(self, info: Info, input: ItemsUpdateInput) -> CountPayload:
        node_ = None
        if input.filter is not None or input.dql is not None:
            if input.filter is not None:
                check_conditions(input.filter)
            node_, _ = item_query(input.filter, input.dql, None)
        command = ItemsUpdate(dataset_id=input.dataset_id, ids=input.ids, filter=node_, metadata=input.metadata,
                              hidden=input.hidden, dir=input.dir, limit=_limit(info))
        return await mutate(info, CountPayload, service.update_items, command, count=value(empty=0))

    @strawberry.mutation(description="Freeze a dataset as a named version (a set-based copy; read-only)")
    async def dataset_version_create(self, info: Info, input: DatasetVersionCreateInput) -> DatasetVersionPayload:
        return await mutate(info, DatasetVersionPayload, service.create_version, command_from(
            DatasetVersionCreate, input), version=node("DatasetVersion"))

    @strawberry.mutation(description="Set (or with null clear) the split of items chosen by ids or a filter: one "
                                     "statement whatever their number")
    async def items_split_set(self, info: Info, input: ItemsSplitSetInput) -> CountPayload:
        node_ = None
        if input.filter is not None:
            check_conditions(input.filter)
            node_, _ = item_query(input.filter, None, None)
        command = ItemsSplitSet(dataset_id=input.dataset_id, ids=input.item_ids, filter=node_, split=input.split,
                                limit=_limit(info))
        return await mutate(info, CountPayload, service.set_items_split, command, count=value(empty=0))

    @strawberry.mutation(description="Give every file of a dataset a split by ratios, the same for the same seed")
    async def dataset_split(self, info: Info, input: DatasetSplitInput) -> CountPayload:
        return await mutate(info, CountPayload, service.split_dataset, command_from(DatasetSplit, input),
                            count=value(empty=0))

    @strawberry.mutation(description="Create up to 1000 annotations on any items in one transaction")
    async def annotations_create(self, info: Info, input: AnnotationsCreateInput) -> AnnotationsPayload:
        command = AnnotationsCreate(limit=_limit(info),
                                    annotations=[command_from(AnnotationCreate, a) for a in input.annotations])
        return await mutate(info, AnnotationsPayload, service.create_annotations, command,
                            annotations=nodes("Annotation"))

    @strawberry.mutation
    async def annotation_update(self, info: Info, input: AnnotationUpdateInput) -> AnnotationPayload:
        return await mutate(info, AnnotationPayload, service.update_annotation,
                            command_from(AnnotationUpdate, input), annotation=node("Annotation"))

    @strawberry.mutation(description="Update up to 1000 annotations, each with its own changes, in one transaction")
    async def annotations_update(self, info: Info, input: AnnotationsUpdateInput) -> AnnotationsPayload:
        command = AnnotationsUpdate(limit=_limit(info),
                                    annotations=[command_from(AnnotationUpdate, a) for a in input.annotations])
        return await mutate(info, AnnotationsPayload, service.update_annotations, command,
                            annotations=nodes("Annotation"))

    @strawberry.mutation(description="Delete annotations and their child annotations: all or nothing")
    async def annotations_delete(self, info: Info, input: IdsInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_annotations,
                            AnnotationsDelete(ids=input.ids, limit=_limit(info)), deleted_ids=deleted_ids())
