"""GraphQL types of the data domain (Dataset, Item, Annotation), each with its declarative map to columns, and the
relations whose child is one of them (``Project.datasets``, ``Recipe.datasets``…, graph/relations.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import strawberry

from labelgraph.context import Info
from labelgraph.data import models as m
from labelgraph.data.commands import AnnotationType
from labelgraph.data.filters import (
    ANNOTATION,
    ITEM,
    AnnotationFilter,
    AnnotationOrder,
    DatasetFilter,
    DatasetOrder,
    ItemFilter,
    ItemOrder,
    annotation_query,
    apply_annotation_filter,
    apply_dataset_filter,
    apply_item_filter,
    item_query,
)
from labelgraph.graph.connection import Connection, Loader
from labelgraph.graph.filters import order_of
from labelgraph.graph.filterspec import conditions
from labelgraph.graph.mapping import EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.pagination import in_ids
from labelgraph.graph.relations import Dql, children, to_many, to_one
from labelgraph.graph.relations import columns as _cols
from labelgraph.graph.scalars import JSON, Long
from labelgraph.identity.types import Organization, Project, User  # noqa: F401  (data's queries use them by name)
from labelgraph.ontology.types import Label, Recipe, dataset_labels

strawberry.enum(AnnotationType,
                description="Annotation geometry; the values are the platform's wire names (box, class, segment…).")


@register(
    EntityMap(
        "Dataset",
        "ds",
        m.Dataset.__table__,
        _cols("id", "name", "description", "readonly", "items_count", "annotated_count", "project_id",
              "recipe_id", "created_at", "updated_at", metadata="metadata"),
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

    @strawberry.field(description="The label tree of the recipe's (first) ontology")
    async def labels(self, info: Info) -> list[Label]:
        return (await dataset_labels(info, self.recipe_id))[0]

    @strawberry.field(description="Sorted label tags of the recipe → 1..N (pixel values of instance masks)")
    async def instance_map(self, info: Info) -> JSON:
        return (await dataset_labels(info, self.recipe_id))[1]

    @strawberry.field(description="How many annotations use each label, most used first")
    async def label_counts(self, info: Info) -> list[LabelCount]:
        return await label_counts(info, self.id)


@strawberry.type
class LabelCount:
    label: str
    count: int


async def label_counts(info: Info, dataset_id: str) -> list[LabelCount]:
    """How many annotations use each label in a dataset (one grouped statement for a page of datasets)."""
    ctx = info.context
    table = m.Annotation.__table__

    async def batch(ids: list[str]) -> list[list[LabelCount]]:
        async with ctx.db.read() as conn:
            rows = (await conn.execute(
                sa.select(table.c.dataset_id, table.c.label, sa.func.count())
                .where(in_ids(table.c.dataset_id, list(ids), conn.dialect.name))
                .group_by(table.c.dataset_id, table.c.label)
                .order_by(table.c.dataset_id, sa.func.count().desc(), table.c.label))).all()
        out: dict[str, list[LabelCount]] = {i: [] for i in ids}
        for dataset_id, label, count in rows:
            out[dataset_id].append(LabelCount(label=label, count=count))
        return [out[i] for i in ids]

    return await ctx.loader(("label-counts",), lambda: Loader(batch)).load(dataset_id)


@register(
    EntityMap(
        "Item",
        "itm",
        m.Item.__table__,
        _cols("id", "name", "dir", "filename", "type", "hidden", "mimetype", "size", "width", "height",
              "description", "annotated", "annotations_count", "dataset_id", "created_at", "updated_at",
              "sha256", "fps", "duration", "split", metadata="metadata"),
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
    size: Long | None
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
    split: str | None = strawberry.field(default=None, description="train, validation, test or any name")

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


@register(
    EntityMap(
        "Annotation",
        "ann",
        m.Annotation.__table__,
        _cols("id", "type", "label", "coordinates", "attributes", "status", "object_id", "frame", "end_frame",
              "automated", "description", "item_id", "dataset_id", "parent_id", "created_at", "updated_at",
              metadata="metadata"),
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


@register(
    EntityMap(
        "DatasetVersion",
        "dsv",
        m.DatasetVersion.__table__,
        _cols("id", "name", "items_count", "annotations_count", "created_at", "dataset_id", "snapshot_id",
              "project_id"),
    )
)
@strawberry.type(description="A named, frozen copy of a dataset (items, metadata, annotations, splits): read it "
                 "like a dataset, it refuses every write (READ_ONLY)")
class DatasetVersion(Node):
    id: strawberry.ID
    name: str
    items_count: int = strawberry.field(description="Items frozen in the version")
    annotations_count: int = strawberry.field(description="Annotations frozen in the version")
    created_at: datetime
    dataset_id: strawberry.Private[str]
    snapshot_id: strawberry.Private[str]
    project_id: strawberry.Private[str]

    @strawberry.field(description="The version's items (as they were when it was made)")
    def items(self, info: Info, filter: ItemFilter | None = None, first: int | None = None,
              after: str | None = None) -> Connection[Item]:
        where = apply_item_filter(filter, info.context.db.dialect)
        return children(info, "Item", "dataset_id", self.snapshot_id, where, order_of(None), first, after, None,
                        None, filter)


# --- relations (graph/relations.py): each declared once, here because data owns the child ----------------------
to_many(Project, "datasets", Dataset, "project_id", filter=DatasetFilter, order=DatasetOrder,
        where=apply_dataset_filter, compiled=True)
to_many(Recipe, "datasets", Dataset, "recipe_id", filter=DatasetFilter, where=apply_dataset_filter,
        description="Datasets annotated with this recipe")
to_one(Dataset, "project", Project, "project_id")
to_one(Dataset, "recipe", Recipe, "recipe_id", optional=True,
       description="The recipe annotations are checked against (null: no checks)")
to_many(Dataset, "items", Item, "dataset_id", filter=ItemFilter, order=ItemOrder, where=apply_item_filter,
        compiled=True, dql=Dql(item_query, lambda node, dialect: conditions(node, ITEM, dialect), (
            "A DQL document or its filter part (README, Filters); ANDed with filter; its sort applies when "
            "orderBy is not given")))
to_many(Dataset, "annotations", Annotation, "dataset_id", filter=AnnotationFilter, order=AnnotationOrder,
        where=apply_annotation_filter, compiled=True, description="The dataset's annotations, across its items",
        dql=Dql(annotation_query, lambda node, dialect: conditions(node, ANNOTATION, dialect), (
            "A DQL document of annotations or its filter part (README, Filters); ANDed with filter")))
to_one(Item, "dataset", Dataset, "dataset_id", same_project=True)
to_many(Dataset, "versions", DatasetVersion, "dataset_id", description="The dataset's versions, oldest first")
to_one(DatasetVersion, "dataset", Dataset, "dataset_id", description="The dataset the version was taken of")
to_many(Item, "annotations", Annotation, "item_id", filter=AnnotationFilter, order=AnnotationOrder,
        where=apply_annotation_filter, compiled=True)
to_one(Annotation, "item", Item, "item_id", same_project=True)
to_one(Annotation, "dataset", Dataset, "dataset_id", same_project=True)
to_one(Annotation, "parent", Annotation, "parent_id", optional=True, same_project=True)
to_many(Annotation, "children", Annotation, "parent_id", compiled=True)

NODE_TYPES = [Dataset, Item, Annotation, DatasetVersion]
