"""GraphQL types of the workflow domain: Task, Assignment, progress and item statuses per task."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import strawberry

from labelgraph.auth import PROJECT_PERMISSIONS
from labelgraph.columns import as_utc
from labelgraph.context import Info
from labelgraph.data.filters import ItemFilter, ItemOrder, apply_item_filter
from labelgraph.data.types import Dataset, Item
from labelgraph.graph.connection import Connection, Loader
from labelgraph.graph.filters import StringFilter, order_of, string_conditions
from labelgraph.graph.mapping import EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.pagination import Through, in_ids
from labelgraph.graph.relations import children, columns, field, load_one, to_many, to_one
from labelgraph.graph.scalars import JSON
from labelgraph.identity.types import Project, User
from labelgraph.ontology.types import Recipe
from labelgraph.workflow import models as m
from labelgraph.workflow.commands import TaskPriority, TaskType
from labelgraph.workflow.filters import TaskFilter, apply_task_filter

TASK_ITEM = m.TaskItem.__table__
ASSIGNMENT = m.Assignment.__table__


strawberry.enum(TaskType)


strawberry.enum(TaskPriority)


@strawberry.type(description="A status an item can get in a task (completed, approved, discard, or custom)")
class ItemAction:
    action: str
    display_name: str
    color: str
    icon: str | None


@strawberry.type
class StatusCount:
    status: str | None = strawberry.field(description="null: items without a status yet")
    count: int


@strawberry.type
class Progress:
    total: int
    done: int = strawberry.field(description="Items with a status (any action)")
    percent: float
    by_status: list[StatusCount]


def _progress(counts: dict[str | None, int]) -> Progress:
    total = sum(counts.values())
    done = total - counts.get(None, 0)
    by_status = [StatusCount(status=s, count=c) for s, c in sorted(counts.items(), key=lambda x: (x[0] is None,
                                                                                                   x[0] or ""))]
    return Progress(total=total, done=done, percent=round(100 * done / total, 2) if total else 0.0,
                    by_status=by_status)


async def status_counts(info: Info, column: str, parent_id: str) -> dict[str | None, int]:
    """Item counts per status of tasks or assignments (one grouped statement for a page of them)."""
    ctx = info.context

    async def batch(ids: list[str]) -> list[dict[str | None, int]]:
        col = TASK_ITEM.c[column]
        async with ctx.db.read() as conn:
            rows = (await conn.execute(sa.select(col, TASK_ITEM.c.status, sa.func.count()).where(
                in_ids(col, list(ids), conn.dialect.name)).group_by(col, TASK_ITEM.c.status))).all()
        out: dict[str, dict[str | None, int]] = {i: {} for i in ids}
        for parent, status, count in rows:
            out[parent][status] = count
        return [out[i] for i in ids]

    return await ctx.loader(("status-counts", column), lambda: Loader(batch)).load(parent_id)


def _is_annotator_only(info: Info, project_id: str) -> bool:
    access = info.context.access
    return not access.is_admin and access.project_roles.get(project_id) not in PROJECT_PERMISSIONS["task.write"]


@register(EntityMap("Task", "tsk", m.Task.__table__,
                    columns("id", "name", "type", "status", "due_date", "priority", "project_id", "dataset_id",
                            "recipe_id", "parent_task_id", "created_at", "updated_at", metadata="metadata",
                            actions="available_actions"),
                    converters={"type": TaskType, "priority": TaskPriority}))
@strawberry.type(description="Work on a dataset's items, split into assignments (one annotator each)")
class Task(Node):
    id: strawberry.ID
    name: str
    type: TaskType
    status: str | None
    due_date: datetime | None
    priority: TaskPriority
    actions: strawberry.Private[list]
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    project_id: strawberry.Private[str]
    dataset_id: strawberry.Private[str]
    recipe_id: strawberry.Private[str | None]
    parent_task_id: strawberry.Private[str | None]

    @strawberry.field
    def available_actions(self) -> list[ItemAction]:
        return [ItemAction(action=a["action"], display_name=a.get("displayName") or a["action"],
                           color=a.get("color") or "#FFFFFF", icon=a.get("icon")) for a in self.actions]

    @strawberry.field(description="The task's items (annotators: the items of their assignment), optionally by "
                      "status in this task")
    def items(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
              before: str | None = None, filter: ItemFilter | None = None, order_by: list[ItemOrder] | None = None,
              status: StringFilter | None = None) -> Connection[Item]:
        dialect = info.context.db.dialect
        where = apply_item_filter(filter, dialect)
        if status is not None:
            where += string_conditions(TASK_ITEM.c.status, status, "status")
        if _is_annotator_only(info, self.project_id):
            where.append(TASK_ITEM.c.assignment_id.in_(sa.select(ASSIGNMENT.c.id).where(
                ASSIGNMENT.c.annotator_id == info.context.access.user_id)))
        return children(info, "Item", Through(TASK_ITEM, "task_id", "item_id"), self.id, where, order_of(order_by),
                        first, after, last, before, filter, order_by, status, _is_annotator_only(info, self.project_id))

    @strawberry.field
    async def progress(self, info: Info) -> Progress:
        return _progress(await status_counts(info, "task_id", self.id))

    @strawberry.field(description="Items per status in this task (null status: not done yet)")
    async def item_status_counts(self, info: Info) -> list[StatusCount]:
        return _progress(await status_counts(info, "task_id", self.id)).by_status


@register(EntityMap("Assignment", "asg", m.Assignment.__table__,
                    columns("id", "name", "status", "project_id", "task_id", "dataset_id", "annotator_id",
                            "created_at", "updated_at", metadata="metadata"),
                    ))
@strawberry.type(description="One annotator's share of a task")
class Assignment(Node):
    id: strawberry.ID
    name: str
    status: str | None
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    project_id: strawberry.Private[str]
    task_id: strawberry.Private[str]
    dataset_id: strawberry.Private[str]
    annotator_id: strawberry.Private[str]

    @strawberry.field
    def items(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
              before: str | None = None, filter: ItemFilter | None = None, order_by: list[ItemOrder] | None = None,
              status: StringFilter | None = None) -> Connection[Item]:
        dialect = info.context.db.dialect
        where = apply_item_filter(filter, dialect)
        if status is not None:
            where += string_conditions(TASK_ITEM.c.status, status, "status")
        return children(info, "Item", Through(TASK_ITEM, "assignment_id", "item_id"), self.id, where,
                        order_of(order_by), first, after, last, before, filter, order_by, status)

    @strawberry.field
    async def progress(self, info: Info) -> Progress:
        return _progress(await status_counts(info, "assignment_id", self.id))


@strawberry.type(description="An item's place and status in one task")
class ItemTaskStatus:
    status: str | None
    status_at: datetime | None
    task_id: strawberry.Private[str]
    assignment_id: strawberry.Private[str | None]

    @strawberry.field
    async def task(self, info: Info) -> Task | None:
        return await load_one(info, "Task", self.task_id)

    @strawberry.field
    async def assignment(self, info: Info) -> Assignment | None:
        return await load_one(info, "Assignment", self.assignment_id)


async def item_task_statuses(info: Info, item_id: str) -> list[ItemTaskStatus]:
    """The tasks an item is in, with its status in each (one statement for a page of items)."""
    ctx = info.context

    async def batch(ids: list[str]) -> list[list[ItemTaskStatus]]:
        async with ctx.db.read() as conn:
            rows = (await conn.execute(sa.select(TASK_ITEM.c.item_id, TASK_ITEM.c.task_id,
                                                 TASK_ITEM.c.assignment_id, TASK_ITEM.c.status, TASK_ITEM.c.status_at)
                                       .where(in_ids(TASK_ITEM.c.item_id, list(ids), conn.dialect.name),
                                              TASK_ITEM.c.project_id.in_(ctx.access.project_ids())
                                              if not ctx.access.is_admin else sa.true())
                                       .order_by(TASK_ITEM.c.item_id, TASK_ITEM.c.task_id))).all()
        out: dict[str, list[ItemTaskStatus]] = {i: [] for i in ids}
        for item, task, assignment, status, at in rows:
            out[item].append(ItemTaskStatus(status=status, status_at=as_utc(at), task_id=task,
                                            assignment_id=assignment))
        return [out[i] for i in ids]

    return await ctx.loader(("item-task-statuses",), lambda: Loader(batch)).load(item_id)


async def _item_task_statuses(self: Item, info: Info) -> list[ItemTaskStatus]:
    return await item_task_statuses(info, self.id)


# --- relations (graph/relations.py): each declared once, here because workflow owns the child ------------------
to_many(Project, "tasks", Task, "project_id", filter=TaskFilter, where=apply_task_filter)
to_many(Dataset, "tasks", Task, "dataset_id")
field(Item, "task_statuses", _item_task_statuses, description="The tasks the item is in, with its status in each")
to_one(Task, "dataset", Dataset, "dataset_id")
to_one(Task, "project", Project, "project_id")
to_one(Task, "recipe", Recipe, "recipe_id", optional=True)
to_one(Task, "parent_task", Task, "parent_task_id", optional=True, description="The reviewed task, for a QA task")
to_many(Task, "assignments", Assignment, "task_id", description="Annotators see only their own assignment")
to_one(Assignment, "annotator", User, "annotator_id")
to_one(Assignment, "task", Task, "task_id")
to_one(Assignment, "dataset", Dataset, "dataset_id")

NODE_TYPES = [Task, Assignment]
