"""Filters and orderings of the data domain's lists, and their compilers."""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
import strawberry

from labelgraph.data.models import Annotation, Dataset, Item
from labelgraph.data.resources import ANNOTATION, DATASET, ITEM, annotation_record, item_record  # noqa: F401
from labelgraph.graph import dql
from labelgraph.graph import filterspec as fs
from labelgraph.graph.filters import (
    DateTimeFilter,
    JSONPathFilter,
    OrderDirection,
    StringFilter,
    check_conditions,
    datetime_conditions,
    order_of,
    string_conditions,
)
from labelgraph.graph.pagination import Order
from labelgraph.identity.filters import ProjectFilter, ProjectOrder, ProjectOrderField, apply_project_filter  # noqa: F401

_dataset = Dataset.__table__
_item = Item.__table__
_annotation = Annotation.__table__


# --- datasets ------------------------------------------------------------------------------------------
@strawberry.input
class DatasetFilter:
    name: StringFilter | None = None
    readonly: bool | None = None
    created_at: DateTimeFilter | None = None


@strawberry.enum
class DatasetOrderField(enum.Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class DatasetOrder:
    field: DatasetOrderField
    direction: OrderDirection = OrderDirection.ASC


DATASET_TYPED = fs.Typed("dataset", {"name": ("string", "name"), "readonly": ("scalar", "readonly"),
                                     "created_at": ("datetime", "createdAt")})


def apply_dataset_filter(f: DatasetFilter | None) -> list[sa.ColumnElement]:
    """The conditions of a list of datasets: never a version's frozen copy (read through DatasetVersion)."""
    conds = [_dataset.c.version_of.is_(None)]
    if f is None:
        return conds
    check_conditions(f)
    if f.name:
        conds += string_conditions(_dataset.c.name, f.name, "filter.name")
    if f.readonly is not None:
        conds.append(_dataset.c.readonly.is_(f.readonly))
    if f.created_at:
        conds += datetime_conditions(_dataset.c.created_at, f.created_at)
    return conds


# --- items and annotations: one structure (graph/filterspec.py; the resources in data/resources.py) -----
DATASET_DQL = dql.register(dql.Dialect(("datasets", "dataset"), "dataset", {}, {},
                                      {"name": "name", "createdAt": "created_at"}))
ITEM_DQL = dql.register(dql.Dialect(
    ("items", "item"), "item", {"hidden": ("eq", False), "type": ("eq", "file")}, {"annotations": "annotations"},
    {"filename": "filename", "name": "name", "dir": "dir", "type": "type", "createdAt": "created_at",
     "updatedAt": "updated_at"}))
ANNOTATION_DQL = dql.register(dql.Dialect(
    ("annotations", "annotation"), "annotation",
    {"type": ("in", ["box", "class", "comparison", "ellipse", "point", "segment", "polyline", "binary", "subtitle",
                     "cube", "pose", "text_mark"])},
    {"items": "item"}, {"label": "label", "type": "type", "createdAt": "created_at", "updatedAt": "updated_at"}))


@strawberry.input(description="Conditions on items; all given conditions must hold. Combine with and/or/not.")
class ItemFilter:
    and_: list[ItemFilter] | None = strawberry.field(name="and", default=None)
    or_: list[ItemFilter] | None = strawberry.field(name="or", default=None)
    not_: ItemFilter | None = strawberry.field(name="not", default=None)
    name: StringFilter | None = None
    dir: StringFilter | None = None
    filename: StringFilter | None = None
    mimetype: StringFilter | None = None
    annotated: bool | None = None
    hidden: bool | None = None
    type: str | None = strawberry.field(default=None, description='"file" or "dir"')
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    metadata: list[JSONPathFilter] | None = None
    annotations: AnnotationFilter | None = strawberry.field(
        default=None, description="items having at least one annotation that matches")
    no_annotations: AnnotationFilter | None = strawberry.field(
        default=None, description="items having no annotation that matches (what DQL's join cannot say)")
    split: StringFilter | None = strawberry.field(default=None, description="train, validation, test or any name")


ITEM_TYPED = fs.Typed("item", {
    "name": ("string", "name"), "dir": ("string", "dir"), "filename": ("string", "filename"),
    "mimetype": ("string", "mimetype"), "annotated": ("scalar", "annotated"), "hidden": ("scalar", "hidden"),
    "type": ("scalar", "type"), "created_at": ("datetime", "createdAt"), "updated_at": ("datetime", "updatedAt"),
    "metadata": ("metadata", "metadata"), "annotations": ("join", "annotations"),
    "no_annotations": ("none", "annotations"), "split": ("string", "split"),
}, nested={"annotations": lambda: ANNOTATION_TYPED, "no_annotations": lambda: ANNOTATION_TYPED})


@strawberry.enum
class ItemOrderField(enum.Enum):
    NAME = "name"
    FILENAME = "filename"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ItemOrder:
    field: ItemOrderField
    direction: OrderDirection = OrderDirection.ASC


def item_filter(f: ItemFilter | None) -> fs.Node:
    return fs.check_limits(fs.from_typed(f, ITEM_TYPED))


def item_query(f: ItemFilter | None, dql_doc: Any, order_by: list | None) -> tuple[fs.Node, Order]:
    """The typed filter and a DQL document (both may be given: both must hold) as one filter structure, and
    the order: ``orderBy``, else the document's ``sort``, else creation time."""
    node = item_filter(f)
    sort: tuple = ()
    if dql_doc is not None:
        q = dql.parse(dql_doc, "item")
        node, sort = fs.all_of([node, q.filter]), q.sort
    order = order_of(order_by) if order_by or not sort else Order.of(list(sort))
    return node, order


def apply_item_filter(f: ItemFilter | None, dialect: str) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    return fs.conditions(item_filter(f), ITEM, dialect)


# --- annotations ---------------------------------------------------------------------------------------
@strawberry.input
class AnnotationFilter:
    label: StringFilter | None = None
    type: list[str] | None = strawberry.field(default=None, description="wire type values, e.g. box, class")
    status: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    metadata: list[JSONPathFilter] | None = None
    item: ItemFilter | None = strawberry.field(default=None, description="annotations whose item matches")


ANNOTATION_TYPED = fs.Typed("annotation", {
    "label": ("string", "label"), "type": ("list", "type"), "status": ("string", "status"),
    "created_at": ("datetime", "createdAt"), "metadata": ("metadata", "metadata"), "item": ("join", "item"),
}, nested={"item": lambda: ITEM_TYPED}, combinators=False)


@strawberry.enum
class AnnotationOrderField(enum.Enum):
    LABEL = "label"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class AnnotationOrder:
    field: AnnotationOrderField
    direction: OrderDirection = OrderDirection.ASC


def annotation_filter(f: AnnotationFilter | None) -> fs.Node:
    return fs.check_limits(fs.from_typed(f, ANNOTATION_TYPED))


def annotation_query(f: AnnotationFilter | None, dql_doc: Any, order_by: list | None) -> tuple[fs.Node, Order]:
    """As ``item_query``, for annotations."""
    node = annotation_filter(f)
    sort: tuple = ()
    if dql_doc is not None:
        q = dql.parse(dql_doc, "annotation")
        node, sort = fs.all_of([node, q.filter]), q.sort
    order = order_of(order_by) if order_by or not sort else Order.of(list(sort))
    return node, order


def apply_annotation_filter(f: AnnotationFilter | None, dialect: str) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    return fs.conditions(annotation_filter(f), ANNOTATION, dialect)
