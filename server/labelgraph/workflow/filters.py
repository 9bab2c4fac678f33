"""Filters of the workflow domain's lists."""

from __future__ import annotations

import sqlalchemy as sa
import strawberry

from labelgraph.graph.filters import (
    DateTimeFilter,
    StringFilter,
    check_conditions,
    datetime_conditions,
    string_conditions,
)
from labelgraph.workflow.models import Task

_task = Task.__table__


@strawberry.input
class TaskFilter:
    name: StringFilter | None = None
    status: StringFilter | None = None
    type: str | None = strawberry.field(default=None, description='"annotation" or "qa"')
    dataset_id: strawberry.ID | None = None
    due_date: DateTimeFilter | None = None
    created_at: DateTimeFilter | None = None


def apply_task_filter(f: TaskFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds = []
    if f.name:
        conds += string_conditions(_task.c.name, f.name, "filter.name")
    if f.status:
        conds += string_conditions(_task.c.status, f.status, "filter.status")
    if f.type is not None:
        conds.append(_task.c.type == f.type)
    if f.dataset_id is not None:
        conds.append(_task.c.dataset_id == f.dataset_id)
    if f.due_date:
        conds += datetime_conditions(_task.c.due_date, f.due_date)
    if f.created_at:
        conds += datetime_conditions(_task.c.created_at, f.created_at)
    return conds
