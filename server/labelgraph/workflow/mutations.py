"""Mutations of the workflow domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data.filters import apply_item_filter
from labelgraph.graph.errors import UserError
from labelgraph.graph.mutations import run_write
from labelgraph.graph.relations import load_one
from labelgraph.workflow import service
from labelgraph.workflow.inputs import (
    AssignmentReassignInput,
    AssignmentRedistributeInput,
    ItemsStatusSetInput,
    ItemStatusSetInput,
    TaskCreateInput,
    TaskIdInput,
    TaskItemsInput,
    TaskUpdateInput,
)
from labelgraph.workflow.types import Assignment, Task


@strawberry.type
class TaskPayload:
    task: Task | None
    errors: list[UserError]


@strawberry.type
class TaskItemsPayload:
    task: Task | None
    count: int = strawberry.field(description="How many items were added or removed")
    errors: list[UserError]


@strawberry.type
class TaskDeletePayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class AssignmentPayload:
    assignment: Assignment | None
    errors: list[UserError]


@strawberry.type
class AssignmentsPayload:
    assignments: list[Assignment]
    errors: list[UserError]


@strawberry.type
class ItemStatusPayload:
    item_ids: list[strawberry.ID]
    task: Task | None
    errors: list[UserError]


def _filter(info: Info, f):
    return apply_item_filter(f, info.context.db.dialect) if f else None


@strawberry.type
class WorkflowMutation:
    @strawberry.mutation(description="A task over items by ids or filter, distributed over assignees by load")
    async def task_create(self, info: Info, input: TaskCreateInput) -> TaskPayload:
        spec = _Spec(input, type=input.type.value if input.type else None,
                     priority=input.priority.value if input.priority else None)
        id_, errors = await run_write(info, lambda uow: service.create_task(uow, input.dataset_id, spec,
                                                                           _filter(info, input.filter)))
        return TaskPayload(task=await load_one(info, "Task", id_), errors=errors)

    @strawberry.mutation
    async def task_update(self, info: Info, input: TaskUpdateInput) -> TaskPayload:
        spec = _Spec(input, priority=input.priority.value if input.priority else None)
        id_, errors = await run_write(info, lambda uow: service.update_task(uow, input.id, spec))
        return TaskPayload(task=await load_one(info, "Task", id_), errors=errors)

    @strawberry.mutation(description="Delete a task with its assignments and item statuses")
    async def task_delete(self, info: Info, input: TaskIdInput) -> TaskDeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_task(uow, input.id))
        return TaskDeletePayload(deleted_id=id_, errors=errors)

    @strawberry.mutation(description="Add items not yet in the task (by ids or filter)")
    async def task_add_items(self, info: Info, input: TaskItemsInput) -> TaskItemsPayload:
        count, errors = await run_write(info, lambda uow: service.add_items(
            uow, input.task_id, input.item_ids, _filter(info, input.filter), input.assignees))
        return TaskItemsPayload(task=None if errors else await load_one(info, "Task", input.task_id),
                                count=count or 0, errors=errors)

    @strawberry.mutation
    async def task_remove_items(self, info: Info, input: TaskItemsInput) -> TaskItemsPayload:
        count, errors = await run_write(info, lambda uow: service.remove_items(
            uow, input.task_id, input.item_ids, _filter(info, input.filter)))
        return TaskItemsPayload(task=None if errors else await load_one(info, "Task", input.task_id),
                                count=count or 0, errors=errors)

    @strawberry.mutation(description="Give a whole assignment to another project member")
    async def assignment_reassign(self, info: Info, input: AssignmentReassignInput) -> AssignmentPayload:
        id_, errors = await run_write(info, lambda uow: service.reassign(uow, input.assignment_id, input.email))
        return AssignmentPayload(assignment=await load_one(info, "Assignment", id_), errors=errors)

    @strawberry.mutation(description="Spread an assignment's items over members by load")
    async def assignment_redistribute(self, info: Info, input: AssignmentRedistributeInput) -> AssignmentsPayload:
        ids, errors = await run_write(info, lambda uow: service.redistribute(uow, input.assignment_id,
                                                                            input.workload))
        assignments = [await load_one(info, "Assignment", i) for i in ids or []]
        return AssignmentsPayload(assignments=[a for a in assignments if a], errors=errors)

    @strawberry.mutation(description="Set (or with status null, clear) one item's status in a task")
    async def item_status_set(self, info: Info, input: ItemStatusSetInput) -> ItemStatusPayload:
        ids, errors = await run_write(info, lambda uow: service.set_status(
            uow, input.task_id, [input.item_id], input.status, info.context.settings.max_batch_size,
            "itemId"))
        return ItemStatusPayload(item_ids=ids or [], task=None if errors else await load_one(info, "Task",
                                                                                              input.task_id),
                                 errors=errors)

    @strawberry.mutation(description="Set (or clear) the status of up to 1000 items in a task: all or nothing")
    async def items_status_set(self, info: Info, input: ItemsStatusSetInput) -> ItemStatusPayload:
        ids, errors = await run_write(info, lambda uow: service.set_status(
            uow, input.task_id, input.item_ids, input.status, info.context.settings.max_batch_size))
        return ItemStatusPayload(item_ids=ids or [], task=None if errors else await load_one(info, "Task",
                                                                                              input.task_id),
                                 errors=errors)


class _Spec:
    """A strawberry input with enum values replaced by their wire values, as the service expects."""

    def __init__(self, source, **overrides) -> None:
        self.__dict__.update(vars(source))
        self.__dict__.update(overrides)
        for name in ("item_ids", "parent_task_id", "recipe_id", "available_actions", "metadata", "due_date",
                     "status", "name", "assignees"):
            self.__dict__.setdefault(name, None)
