"""Mutations of the data domain: entity-first names, one input, a payload with errors."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data import service
from labelgraph.data.content_api import ContentMutation, items_create_from_uploads
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
from labelgraph.data.types import Annotation, AnnotationType, Dataset, Item, Organization, Project
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.errors import UserError
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.mutations import run_write

TYPE_NAMES = {t.value: t.name for t in AnnotationType}


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


async def _load(info: Info, type_name: str, id_: str | None):
    return None if id_ is None else await by_id_loader(info.context, ENTITIES[type_name]).load(id_)


async def _load_many(info: Info, type_name: str, ids: list[str] | None) -> list:
    if not ids:
        return []
    return await by_id_loader(info.context, ENTITIES[type_name]).load_many(ids)


def _limit(info: Info) -> int:
    return info.context.settings.max_batch_size


@strawberry.type
class DataMutation(ContentMutation):
    @strawberry.mutation
    async def organization_create(self, info: Info, input: OrganizationCreateInput) -> OrganizationPayload:
        id_, errors = await run_write(info, lambda uow: service.create_organization(uow, input.name))
        return OrganizationPayload(organization=await _load(info, "Organization", id_), errors=errors)

    @strawberry.mutation
    async def organization_update(self, info: Info, input: OrganizationUpdateInput) -> OrganizationPayload:
        id_, errors = await run_write(info, lambda uow: service.update_organization(uow, input.id, input.name))
        return OrganizationPayload(organization=await _load(info, "Organization", id_), errors=errors)

    @strawberry.mutation
    async def organization_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_organization(uow, input.id, input.confirm))
        return DeletePayload(deleted_ids=[id_] if id_ else [], errors=errors)

    @strawberry.mutation
    async def project_create(self, info: Info, input: ProjectCreateInput) -> ProjectPayload:
        id_, errors = await run_write(info, lambda uow: service.create_project(
            uow, input.organization_id, input.name, input.description))
        return ProjectPayload(project=await _load(info, "Project", id_), errors=errors)

    @strawberry.mutation
    async def project_update(self, info: Info, input: ProjectUpdateInput) -> ProjectPayload:
        id_, errors = await run_write(info, lambda uow: service.update_project(
            uow, input.id, input.name, input.description))
        return ProjectPayload(project=await _load(info, "Project", id_), errors=errors)

    @strawberry.mutation
    async def project_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_project(uow, input.id, input.confirm))
        return DeletePayload(deleted_ids=[id_] if id_ else [], errors=errors)

    @strawberry.mutation
    async def dataset_create(self, info: Info, input: DatasetCreateInput) -> DatasetPayload:
        id_, errors = await run_write(info, lambda uow: service.create_dataset(
            uow, input.project_id, input.name, input.description, input.recipe_id))
        return DatasetPayload(dataset=await _load(info, "Dataset", id_), errors=errors)

    @strawberry.mutation
    async def dataset_update(self, info: Info, input: DatasetUpdateInput) -> DatasetPayload:
        id_, errors = await run_write(info, lambda uow: service.update_dataset(
            uow, input.id, input.name, input.description, input.readonly, input.recipe_id))
        return DatasetPayload(dataset=await _load(info, "Dataset", id_), errors=errors)

    @strawberry.mutation(description="Delete a dataset with all its items and annotations")
    async def dataset_delete(self, info: Info, input: DeleteInput) -> DeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_dataset(uow, input.id, input.confirm))
        return DeletePayload(deleted_ids=[id_] if id_ else [], errors=errors)

    @strawberry.mutation(description="Create up to 1000 items in one dataset in one transaction: all or nothing")
    async def items_create(self, info: Info, input: ItemsCreateInput) -> ItemsPayload:
        if any(item.upload_id for item in input.items):  # direct uploads: data/content_api.py
            return await items_create_from_uploads(info, input)
        ids, errors = await run_write(info, lambda uow: service.create_items(
            uow, input.dataset_id, input.items, _limit(info)))
        return ItemsPayload(items=await _load_many(info, "Item", ids), errors=errors)

    @strawberry.mutation
    async def item_update(self, info: Info, input: ItemUpdateInput) -> ItemPayload:
        id_, errors = await run_write(info, lambda uow: service.update_item(uow, input.id, input))
        return ItemPayload(item=await _load(info, "Item", id_), errors=errors)

    @strawberry.mutation(description="Delete up to 1000 items with their annotations: all or nothing")
    async def items_delete(self, info: Info, input: IdsInput) -> DeletePayload:
        ids, errors = await run_write(info, lambda uow: service.delete_items(uow, input.ids, _limit(info)))
        return DeletePayload(deleted_ids=ids or [], errors=errors)

    @strawberry.mutation(description="Create up to 1000 annotations on any items in one transaction")
    async def annotations_create(self, info: Info, input: AnnotationsCreateInput) -> AnnotationsPayload:
        specs = [_AnnotationSpec(a) for a in input.annotations]
        ids, errors = await run_write(info, lambda uow: service.create_annotations(
            uow, specs, _limit(info), TYPE_NAMES))
        return AnnotationsPayload(annotations=await _load_many(info, "Annotation", ids), errors=errors)

    @strawberry.mutation
    async def annotation_update(self, info: Info, input: AnnotationUpdateInput) -> AnnotationPayload:
        id_, errors = await run_write(info, lambda uow: service.update_annotation(
            uow, input.id, _AnnotationSpec(input), TYPE_NAMES))
        return AnnotationPayload(annotation=await _load(info, "Annotation", id_), errors=errors)

    @strawberry.mutation(description="Delete annotations and their child annotations: all or nothing")
    async def annotations_delete(self, info: Info, input: IdsInput) -> DeletePayload:
        ids, errors = await run_write(info, lambda uow: service.delete_annotations(uow, input.ids, _limit(info)))
        return DeletePayload(deleted_ids=ids or [], errors=errors)


class _AnnotationSpec:
    """An annotation input with its type as the wire value, as the service expects."""

    def __init__(self, source) -> None:
        self.__dict__.update(vars(source))
        self.type = source.type.value if source.type is not None else None
        for name in ("item_id", "parent_id"):
            self.__dict__.setdefault(name, None)
