"""Filters and orderings of the data domain's lists, and their compilers."""

from __future__ import annotations

import enum

import sqlalchemy as sa
import strawberry

from labelgraph.data.models import Annotation, Dataset, Item
from labelgraph.graph.filters import (
    DateTimeFilter,
    JSONPathFilter,
    OrderDirection,
    StringFilter,
    check_conditions,
    datetime_conditions,
    json_path_conditions,
    string_conditions,
)
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


def apply_dataset_filter(f: DatasetFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds = []
    if f.name:
        conds += string_conditions(_dataset.c.name, f.name, "filter.name")
    if f.readonly is not None:
        conds.append(_dataset.c.readonly.is_(f.readonly))
    if f.created_at:
        conds += datetime_conditions(_dataset.c.created_at, f.created_at)
    return conds


# --- items ---------------------------------------------------------------------------------------------
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


def apply_item_filter(f: ItemFilter | None, dialect: str) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    return _item_conditions(f, dialect, "filter")


def _item_conditions(f: ItemFilter, dialect: str, path: str) -> list[sa.ColumnElement]:
    t = _item
    conds: list[sa.ColumnElement] = []
    for name in ("name", "dir", "filename", "mimetype"):
        sf = getattr(f, name)
        if sf is not None:
            conds += string_conditions(t.c[name], sf, f"{path}.{name}")
    for name in ("annotated", "hidden"):
        value = getattr(f, name)
        if value is not None:
            conds.append(t.c[name].is_(value))
    if f.type is not None:
        conds.append(t.c.type == f.type)
    if f.created_at:
        conds += datetime_conditions(t.c.created_at, f.created_at)
    if f.updated_at:
        conds += datetime_conditions(t.c.updated_at, f.updated_at)
    for i, jf in enumerate(f.metadata or []):
        conds += json_path_conditions(t.c.metadata, jf, f"{path}.metadata[{i}]", dialect)
    if f.and_:
        for i, sub in enumerate(f.and_):
            conds += _item_conditions(sub, dialect, f"{path}.and[{i}]")
    if f.or_:
        conds.append(
            sa.or_(
                sa.false(),
                *[sa.and_(sa.true(), *_item_conditions(sub, dialect, f"{path}.or[{i}]"))
                  for i, sub in enumerate(f.or_)],
            )
        )
    if f.not_:
        conds.append(sa.not_(sa.and_(sa.true(), *_item_conditions(f.not_, dialect, f"{path}.not"))))
    return conds


# --- annotations ---------------------------------------------------------------------------------------
@strawberry.input
class AnnotationFilter:
    label: StringFilter | None = None
    type: list[str] | None = strawberry.field(default=None, description="wire type values, e.g. box, class")
    status: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    metadata: list[JSONPathFilter] | None = None


@strawberry.enum
class AnnotationOrderField(enum.Enum):
    LABEL = "label"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class AnnotationOrder:
    field: AnnotationOrderField
    direction: OrderDirection = OrderDirection.ASC


def apply_annotation_filter(f: AnnotationFilter | None, dialect: str) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    t = _annotation
    conds = []
    if f.label:
        conds += string_conditions(t.c.label, f.label, "filter.label")
    if f.type is not None:
        conds.append(t.c.type.in_(f.type))
    if f.status:
        conds += string_conditions(t.c.status, f.status, "filter.status")
    if f.created_at:
        conds += datetime_conditions(t.c.created_at, f.created_at)
    for i, jf in enumerate(f.metadata or []):
        conds += json_path_conditions(t.c.metadata, jf, f"filter.metadata[{i}]", dialect)
    return conds
