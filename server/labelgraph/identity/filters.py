"""Filters and orderings of identity's lists (projects), and their compilers."""

from __future__ import annotations

import enum

import sqlalchemy as sa
import strawberry

from labelgraph.graph.filters import (
    DateTimeFilter,
    OrderDirection,
    StringFilter,
    check_conditions,
    datetime_conditions,
    string_conditions,
)
from labelgraph.identity.models import Project

_project = Project.__table__


# --- projects ------------------------------------------------------------------------------------------
@strawberry.input
class ProjectFilter:
    name: StringFilter | None = None
    created_at: DateTimeFilter | None = None


@strawberry.enum
class ProjectOrderField(enum.Enum):
    NAME = "name"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ProjectOrder:
    field: ProjectOrderField
    direction: OrderDirection = OrderDirection.ASC


def apply_project_filter(f: ProjectFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds = []
    if f.name:
        conds += string_conditions(_project.c.name, f.name, "filter.name")
    if f.created_at:
        conds += datetime_conditions(_project.c.created_at, f.created_at)
    return conds
