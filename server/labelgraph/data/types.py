"""GraphQL types of the data domain, each with its declarative map to columns and relations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from labelgraph.context import Info
from labelgraph.data import models as m
from labelgraph.data.filters import (
    AnnotationFilter,
    AnnotationOrder,
    DatasetFilter,
    DatasetOrder,
    ItemFilter,
    ItemOrder,
    ProjectFilter,
    ProjectOrder,
    apply_annotation_filter,
    apply_dataset_filter,
    apply_item_filter,
    apply_project_filter,
)
from labelgraph.graph.connection import Connection
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import EntityMap, ToMany, ToOne, register
from labelgraph.graph.node import Node
from labelgraph.graph.pagination import Through
from labelgraph.graph.relations import children as _children
from labelgraph.graph.relations import columns as _cols
from labelgraph.graph.relations import load_one as _one
from labelgraph.graph.scalars import JSON
from labelgraph.identity import models as identity_models


@strawberry.enum(description="Annotation geometry; the values are the platform's wire names (box, class, segment…).")
class AnnotationType(enum.Enum):
    BOX = "box"
    CLASSIFICATION = "class"
    POINT = "point"
    POLYGON = "segment"
    POLYLINE = "polyline"
    SEGMENTATION = "binary"
    ELLIPSE = "ellipse"
    CUBE = "cube"
    CUBE_3D = "cube_3d"
    POSE = "pose"
    NOTE = "note"
    SUBTITLE = "subtitle"
    TEXT = "text_mark"
    COMPARISON = "comparison"
    DESCRIPTION = "item_description"


if TYPE_CHECKING:
    from labelgraph.faas.filters import ExecutionFilter, ExecutionOrder, PackageFilter, ServiceFilter
    from labelgraph.faas.types import Execution, Package, Service
    from labelgraph.identity.types import ApiToken, OrganizationMember, OrganizationRole, ProjectMember, ProjectRole
    from labelgraph.ontology.types import Label, LabelCount, Ontology, Recipe
    from labelgraph.workflow.filters import TaskFilter
    from labelgraph.workflow.types import ItemTaskStatus, Task

TaskFilterType = Annotated["TaskFilter", strawberry.lazy("labelgraph.workflow.filters")]

TaskType = Annotated["Task", strawberry.lazy("labelgraph.workflow.types")]
ItemTaskStatusType = Annotated["ItemTaskStatus", strawberry.lazy("labelgraph.workflow.types")]

RecipeType = Annotated["Recipe", strawberry.lazy("labelgraph.ontology.types")]
OntologyType = Annotated["Ontology", strawberry.lazy("labelgraph.ontology.types")]
LabelType = Annotated["Label", strawberry.lazy("labelgraph.ontology.types")]
LabelCountType = Annotated["LabelCount", strawberry.lazy("labelgraph.ontology.types")]

PackageType = Annotated["Package", strawberry.lazy("labelgraph.faas.types")]
ServiceType = Annotated["Service", strawberry.lazy("labelgraph.faas.types")]
ExecutionType = Annotated["Execution", strawberry.lazy("labelgraph.faas.types")]
PackageFilterType = Annotated["PackageFilter", strawberry.lazy("labelgraph.faas.filters")]
ServiceFilterType = Annotated["ServiceFilter", strawberry.lazy("labelgraph.faas.filters")]
ExecutionFilterType = Annotated["ExecutionFilter", strawberry.lazy("labelgraph.faas.filters")]
ExecutionOrderType = Annotated["ExecutionOrder", strawberry.lazy("labelgraph.faas.filters")]

OrganizationMemberType = Annotated["OrganizationMember", strawberry.lazy("labelgraph.identity.types")]
ProjectMemberType = Annotated["ProjectMember", strawberry.lazy("labelgraph.identity.types")]
ApiTokenType = Annotated["ApiToken", strawberry.lazy("labelgraph.identity.types")]
OrganizationRoleType = Annotated["OrganizationRole", strawberry.lazy("labelgraph.identity.types")]
ProjectRoleType = Annotated["ProjectRole", strawberry.lazy("labelgraph.identity.types")]


@register(
    EntityMap(
        "User", "usr", identity_models.User.__table__, _cols("id", "email", "name", "created_at"), project_column=None
    )
)
@strawberry.type
class User(Node):
    id: strawberry.ID
    email: str
    name: str | None
    created_at: datetime

    @strawberry.field(description="Organizations the user is a member of (that you can see)")
    def organizations(self, info: Info, first: int | None = None, after: str | None = None,
                      last: int | None = None, before: str | None = None
                      ) -> Connection[Annotated[Organization, strawberry.lazy("labelgraph.data.types")]]:
        return _children(info, "Organization", Through(identity_models.OrganizationMember.__table__, "user_id",
                                                       "organization_id"),
                         self.id, [], order_of(None), first, after, last, before)

    @strawberry.field(description="Projects the user is a member of (that you can see). Organization owners "
                      "and admins reach every project of their organizations without being members.")
    def projects(self, info: Info, first: int | None = None, after: str | None = None,
                 last: int | None = None, before: str | None = None
                 ) -> Connection[Annotated[Project, strawberry.lazy("labelgraph.data.types")]]:
        return _children(info, "Project", Through(identity_models.ProjectMember.__table__, "user_id", "project_id"),
                         self.id, [], order_of(None), first, after, last, before)

    @strawberry.field(description="Your API tokens (empty for other users)")
    def tokens(self, info: Info, first: int | None = None, after: str | None = None,
               last: int | None = None, before: str | None = None) -> Connection[ApiTokenType]:
        return _children(info, "ApiToken", "user_id", self.id, [], order_of(None), first, after, last, before)


@register(
    EntityMap(
        "Organization",
        "org",
        m.Organization.__table__,
        _cols("id", "name", "plan", "created_at", "updated_at"),
        relations={"projects": ToMany("Project", "organization_id", lambda f, _d: apply_project_filter(f),
                                      compiled=True)},
        project_column=None,
        compiled=True,
    )
)
@strawberry.type
class Organization(Node):
    id: strawberry.ID
    name: str
    plan: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Your role here; null when you reach it as a platform admin only")
    def viewer_role(self, info: Info) -> OrganizationRoleType | None:
        from labelgraph.identity.types import OrganizationRole

        role = info.context.access.org_roles.get(self.id)
        return OrganizationRole(role) if role else None

    @strawberry.field
    def members(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None) -> Connection[OrganizationMemberType]:
        return _children(info, "OrganizationMember", "organization_id", self.id, [], order_of(None), first, after,
                         last, before)

    @strawberry.field
    def projects(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ProjectFilter | None = None,
        order_by: list[ProjectOrder] | None = None,
    ) -> Connection[Annotated[Project, strawberry.lazy("labelgraph.data.types")]]:
        return _children(info, "Project", "organization_id", self.id, apply_project_filter(filter),
                         order_of(order_by), first, after, last, before, filter, order_by)


@register(
    EntityMap(
        "Project",
        "prj",
        m.Project.__table__,
        _cols("id", "name", "description", "organization_id", "created_at", "updated_at", metadata="metadata"),
        relations={
            "organization": ToOne("Organization", "organization_id"),
            "datasets": ToMany("Dataset", "project_id", lambda f, _d: apply_dataset_filter(f), compiled=True),
        },
        orders={"NAME": ("name",), "CREATED_AT": ("created_at",), "UPDATED_AT": ("updated_at",)},
        compiled=True,
    )
)
@strawberry.type
class Project(Node):
    id: strawberry.ID
    name: str
    description: str | None
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    organization_id: strawberry.Private[str]

    @strawberry.field
    async def organization(self, info: Info) -> Organization:
        return await _one(info, "Organization", self.organization_id)

    @strawberry.field(description="Your effective role here (organization owners and admins act as owners)")
    def viewer_role(self, info: Info) -> ProjectRoleType | None:
        from labelgraph.identity.types import ProjectRole

        role = info.context.access.project_roles.get(self.id)
        return ProjectRole(role) if role else None

    @strawberry.field
    def tasks(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
              before: str | None = None, filter: TaskFilterType | None = None) -> Connection[TaskType]:
        from labelgraph.workflow.filters import apply_task_filter

        return _children(info, "Task", "project_id", self.id, apply_task_filter(filter), order_of(None), first,
                         after, last, before, filter)

    @strawberry.field
    def recipes(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None) -> Connection[RecipeType]:
        from labelgraph.ontology.types import project_recipes

        return project_recipes(info, self.id, first, after, last, before)

    @strawberry.field
    def ontologies(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                   before: str | None = None) -> Connection[OntologyType]:
        from labelgraph.ontology.types import project_ontologies

        return project_ontologies(info, self.id, first, after, last, before)

    @strawberry.field
    def packages(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                 before: str | None = None, filter: PackageFilterType | None = None) -> Connection[PackageType]:
        from labelgraph.faas.filters import apply_package_filter

        return _children(info, "Package", "project_id", self.id, apply_package_filter(filter), order_of(None), first,
                         after, last, before, filter)

    @strawberry.field
    def services(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                 before: str | None = None, filter: ServiceFilterType | None = None) -> Connection[ServiceType]:
        from labelgraph.faas.filters import apply_service_filter

        return _children(info, "Service", "project_id", self.id, apply_service_filter(filter), order_of(None), first,
                         after, last, before, filter)

    @strawberry.field
    def executions(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                   before: str | None = None, filter: ExecutionFilterType | None = None,
                   order_by: list[ExecutionOrderType] | None = None) -> Connection[ExecutionType]:
        from labelgraph.faas.filters import apply_execution_filter

        return _children(info, "Execution", "project_id", self.id, apply_execution_filter(filter),
                         order_of(order_by), first, after, last, before, filter, order_by)

    @strawberry.field
    def members(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                before: str | None = None) -> Connection[ProjectMemberType]:
        return _children(info, "ProjectMember", "project_id", self.id, [], order_of(None), first, after, last,
                         before)

    @strawberry.field
    def datasets(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: DatasetFilter | None = None,
        order_by: list[DatasetOrder] | None = None,
    ) -> Connection[Annotated[Dataset, strawberry.lazy("labelgraph.data.types")]]:
        return _children(info, "Dataset", "project_id", self.id, apply_dataset_filter(filter),
                         order_of(order_by), first, after, last, before, filter, order_by)


@register(
    EntityMap(
        "Dataset",
        "ds",
        m.Dataset.__table__,
        _cols("id", "name", "description", "readonly", "items_count", "annotated_count", "project_id",
              "recipe_id", "created_at", "updated_at", metadata="metadata"),
        relations={"project": ToOne("Project", "project_id"),
                   "items": ToMany("Item", "dataset_id", apply_item_filter, compiled=True),
                   "recipe": ToOne("Recipe", "recipe_id")},
        compiled=True,
    )
)
@strawberry.type
class Dataset(Node):
    id: strawberry.ID
    name: str
    description: str | None
    readonly: bool
    items_count: int = strawberry.field(description="Items in the dataset (folders and hidden items included)")
    annotated_count: int = strawberry.field(description="Items with at least one annotation")
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    project_id: strawberry.Private[str]
    recipe_id: strawberry.Private[str | None]

    @strawberry.field
    async def project(self, info: Info) -> Project:
        return await _one(info, "Project", self.project_id)

    @strawberry.field
    def tasks(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
              before: str | None = None) -> Connection[TaskType]:
        return _children(info, "Task", "dataset_id", self.id, [], order_of(None), first, after, last, before)

    @strawberry.field(description="The recipe annotations are checked against (null: no checks)")
    async def recipe(self, info: Info) -> RecipeType | None:
        return await _one(info, "Recipe", self.recipe_id)

    @strawberry.field(description="The label tree of the recipe's (first) ontology")
    async def labels(self, info: Info) -> list[LabelType]:
        from labelgraph.ontology.types import dataset_labels

        return (await dataset_labels(info, self.recipe_id))[0]

    @strawberry.field(description="Sorted label tags of the recipe → 1..N (pixel values of instance masks)")
    async def instance_map(self, info: Info) -> JSON:
        from labelgraph.ontology.types import dataset_labels

        return (await dataset_labels(info, self.recipe_id))[1]

    @strawberry.field(description="How many annotations use each label, most used first")
    async def label_counts(self, info: Info) -> list[LabelCountType]:
        from labelgraph.ontology.types import label_counts

        return await label_counts(info, self.id)

    @strawberry.field
    def items(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ItemFilter | None = None,
        order_by: list[ItemOrder] | None = None,
    ) -> Connection[Annotated[Item, strawberry.lazy("labelgraph.data.types")]]:
        dialect = info.context.db.dialect
        return _children(info, "Item", "dataset_id", self.id, apply_item_filter(filter, dialect),
                         order_of(order_by), first, after, last, before, filter, order_by)


@register(
    EntityMap(
        "Item",
        "itm",
        m.Item.__table__,
        _cols("id", "name", "dir", "filename", "type", "hidden", "mimetype", "size", "width", "height",
              "description", "annotated", "annotations_count", "dataset_id", "created_at", "updated_at",
              "sha256", "fps", "duration", metadata="metadata"),
        relations={"dataset": ToOne("Dataset", "dataset_id"),
                   "annotations": ToMany("Annotation", "item_id", apply_annotation_filter, compiled=True)},
        compiled=True,
    )
)
@strawberry.type
class Item(Node):
    id: strawberry.ID
    name: str
    dir: str
    filename: str = strawberry.field(description='The full path: dir + "/" + name')
    type: str = strawberry.field(description='"file" or "dir"')
    hidden: bool
    mimetype: str | None
    size: int | None
    width: int | None
    height: int | None
    description: str | None
    metadata: JSON = strawberry.field(description='{"system": {…platform-owned…}, "user": {…free-form…}}')
    annotated: bool
    annotations_count: int
    created_at: datetime
    updated_at: datetime
    dataset_id: strawberry.Private[str]
    # item content (data/content.py)
    sha256: str | None = strawberry.field(description="The content's SHA-256 (hex); null without content")
    fps: float | None = strawberry.field(description="Frames per second of a video")
    duration: float | None = strawberry.field(description="Seconds, of a video")

    @strawberry.field(description="A signed URL of the content, valid expiresIn seconds (at most 7 days): usable "
                      "in <img src> without a header; null without content")
    async def url(self, info: Info, expires_in: int = 3600) -> str | None:
        from labelgraph.data.content import item_url

        return await item_url(info, self.sha256, self.mimetype, expires_in)

    @strawberry.field(description="A signed URL of a JPEG thumbnail at most size×size pixels (16–2048; images, "
                      "and a video's first frame), made once and kept; null for other content")
    def thumbnail_url(self, info: Info, size: int = 256) -> str | None:
        from labelgraph.data.content import item_thumbnail_url

        return item_thumbnail_url(info, self.sha256, self.mimetype, size)

    @strawberry.field
    async def dataset(self, info: Info) -> Dataset:
        return await _one(info, "Dataset", self.dataset_id)

    @strawberry.field(description="The tasks the item is in, with its status in each")
    async def task_statuses(self, info: Info) -> list[ItemTaskStatusType]:
        from labelgraph.workflow.types import item_task_statuses

        return await item_task_statuses(info, self.id)

    @strawberry.field
    def annotations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: AnnotationFilter | None = None,
        order_by: list[AnnotationOrder] | None = None,
    ) -> Connection[Annotated[Annotation, strawberry.lazy("labelgraph.data.types")]]:
        dialect = info.context.db.dialect
        return _children(info, "Annotation", "item_id", self.id, apply_annotation_filter(filter, dialect),
                         order_of(order_by), first, after, last, before, filter, order_by)


@register(
    EntityMap(
        "Annotation",
        "ann",
        m.Annotation.__table__,
        _cols("id", "type", "label", "coordinates", "attributes", "status", "object_id", "frame", "end_frame",
              "automated", "description", "item_id", "dataset_id", "parent_id", "created_at", "updated_at",
              metadata="metadata"),
        relations={"item": ToOne("Item", "item_id"), "parent": ToOne("Annotation", "parent_id"),
                   "children": ToMany("Annotation", "parent_id", compiled=True)},
        converters={"type": AnnotationType},
        compiled=True,
    )
)
@strawberry.type
class Annotation(Node):
    id: strawberry.ID
    type: AnnotationType
    label: str = strawberry.field(description='The full dotted label tag, e.g. "vehicle.car"')
    coordinates: JSON
    attributes: JSON | None
    status: str | None
    object_id: str | None
    frame: int | None
    end_frame: int | None
    automated: bool
    description: str | None
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    item_id: strawberry.Private[str]
    dataset_id: strawberry.Private[str]
    parent_id: strawberry.Private[str | None]

    @strawberry.field
    async def item(self, info: Info) -> Item:
        return await _one(info, "Item", self.item_id)

    @strawberry.field
    async def dataset(self, info: Info) -> Dataset:
        return await _one(info, "Dataset", self.dataset_id)

    @strawberry.field
    async def parent(self, info: Info) -> Annotation | None:
        return await _one(info, "Annotation", self.parent_id)

    @strawberry.field
    def children(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotation]:
        return _children(info, "Annotation", "parent_id", self.id, [], order_of(None), first, after, last,
                         before)


NODE_TYPES = [User, Organization, Project, Dataset, Item, Annotation]
