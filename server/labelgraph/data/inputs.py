"""Mutation inputs of the data domain."""

from __future__ import annotations

import strawberry

from labelgraph.data.commands import AnnotationType
from labelgraph.graph.inputs import fast_input
from labelgraph.graph.scalars import JSON, Long


@strawberry.input
class OrganizationCreateInput:
    name: str


@strawberry.input
class OrganizationUpdateInput:
    id: strawberry.ID
    name: str | None = None


@strawberry.input(description="Deleting cannot be undone: confirm must be true.")
class DeleteInput:
    id: strawberry.ID
    confirm: bool = False


@strawberry.input
class ProjectCreateInput:
    organization_id: strawberry.ID
    name: str
    description: str | None = None


@strawberry.input
class ProjectUpdateInput:
    id: strawberry.ID
    name: str | None = None
    description: str | None = strawberry.field(default=None, description="An empty string clears it")


@strawberry.input
class DatasetCreateInput:
    project_id: strawberry.ID
    name: str
    description: str | None = None
    recipe_id: strawberry.ID | None = None


@strawberry.input
class DatasetUpdateInput:
    id: strawberry.ID
    name: str | None = None
    description: str | None = None
    readonly: bool | None = None
    recipe_id: strawberry.ID | None = strawberry.field(default=None, description="Switch the dataset's recipe")


@fast_input
@strawberry.input
class ItemCreateInput:
    name: str = strawberry.field(description="The file name, without folders")
    dir: str | None = strawberry.field(default="/", description='The folder, "/" by default: "/train/cats"')
    mimetype: str | None = None
    metadata: JSON | None = strawberry.field(default=None, description="The item's metadata.user space")
    hidden: bool | None = False
    description: str | None = None
    size: Long | None = None
    width: int | None = None
    height: int | None = None
    upload_id: strawberry.ID | None = strawberry.field(
        default=None, description="Commit a finished direct upload (itemUploadsCreate) as this item's content: its "
        "size and sha256 are checked and the file probed. Every item of the call names one, or none does")


@fast_input
@strawberry.input
class ItemsCreateInput:
    dataset_id: strawberry.ID
    items: list[ItemCreateInput] = strawberry.field(description="At most 1000 per call; all or nothing")


@strawberry.input
class ItemUpdateInput:
    id: strawberry.ID
    name: str | None = None
    dir: str | None = None
    hidden: bool | None = None
    description: str | None = strawberry.field(default=None, description="An empty string clears it")
    metadata: JSON | None = strawberry.field(
        default=None, description="Merged into metadata.user key by key; a null value removes that key"
    )


@strawberry.input
class IdsInput:
    ids: list[strawberry.ID] = strawberry.field(description="At most 1000 per call; all or nothing")


@fast_input
@strawberry.input
class AnnotationCreateInput:
    item_id: strawberry.ID
    type: AnnotationType
    label: str
    coordinates: JSON | None = None
    attributes: JSON | None = None
    parent_id: strawberry.ID | None = None
    status: str | None = None
    object_id: str | None = None
    frame: int | None = None
    end_frame: int | None = None
    automated: bool | None = False
    description: str | None = None
    metadata: JSON | None = strawberry.field(default=None, description="The annotation's metadata.user space")


@fast_input
@strawberry.input
class AnnotationsCreateInput:
    annotations: list[AnnotationCreateInput] = strawberry.field(description="At most 1000 per call")


@fast_input
@strawberry.input
class AnnotationUpdateInput:
    id: strawberry.ID
    type: AnnotationType | None = None
    label: str | None = None
    coordinates: JSON | None = None
    attributes: JSON | None = None
    status: str | None = None
    object_id: str | None = None
    frame: int | None = None
    end_frame: int | None = None
    automated: bool | None = None
    description: str | None = None
    metadata: JSON | None = None
