"""Mutations of the workflow domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data.filters import apply_item_filter, item_query
from labelgraph.errors import Refused
from labelgraph.graph.errors import UserError
from labelgraph.graph.filters import check_conditions
from labelgraph.graph.mutations import command_from, mutate, node, nodes, value
from labelgraph.workflow import service
from labelgraph.workflow.commands import (
    AssignmentReassign,
    AssignmentRedistribute,
    ItemStatusSet,
    TaskAction,
    TaskCreate,
    TaskDelete,
    TaskItemsAdd,
    TaskItemsRemove,
    TaskUpdate,
    Workload,
)
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
    """The item filter compiled to SQL conditions (or None)."""
    return apply_item_filter(f, info.context.db.dialect) if f else None


def _workload(assignees) -> list[Workload] | None:
    return None if assignees is None else [Workload(email=a.email, load=a.load) for a in assignees]


def _actions(actions) -> list[TaskAction] | None:
    return None if actions is None else [command_from(TaskAction, a) for a in actions]


def _task(task_id: str):
    """The payload's task: the one whose items changed."""
    return node("Task", lambda _: task_id)


@strawberry.type
class WorkflowMutation:
    @strawberry.mutation(description="A task over items by ids or filter, distributed over assignees by load")
    async def task_create(self, info: Info, input: TaskCreateInput) -> TaskPayload:
        command = command_from(TaskCreate, input, assignees=_workload(input.assignees),
                               item_filter=_filter(info, input.filter),
                               available_actions=_actions(input.available_actions))
        return await mutate(info, TaskPayload, service.create_task, command, task=node("Task"))

    @strawberry.mutation
    async def task_update(self, info: Info, input: TaskUpdateInput) -> TaskPayload:
        command = command_from(TaskUpdate, input, available_actions=_actions(input.available_actions))
        return await mutate(info, TaskPayload, service.update_task, command, task=node("Task"))

    @strawberry.mutation(description="Delete a task with its assignments and item statuses")
    async def task_delete(self, info: Info, input: TaskIdInput) -> TaskDeletePayload:
        return await mutate(info, TaskDeletePayload, service.delete_task, TaskDelete(id=input.id),
                            deleted_id=value())

    @strawberry.mutation(description="Add items not yet in the task (by ids or filter)")
    async def task_add_items(self, info: Info, input: TaskItemsInput) -> TaskItemsPayload:
        command = TaskItemsAdd(task_id=input.task_id, item_ids=input.item_ids, item_filter=_filter(info, input.filter),
                               assignees=_workload(input.assignees))
        return await mutate(info, TaskItemsPayload, service.add_items, command, task=_task(input.task_id),
                            count=value(empty=0))

    @strawberry.mutation
    async def task_remove_items(self, info: Info, input: TaskItemsInput) -> TaskItemsPayload:
        command = TaskItemsRemove(task_id=input.task_id, item_ids=input.item_ids,
                                  item_filter=_filter(info, input.filter))
        return await mutate(info, TaskItemsPayload, service.remove_items, command, task=_task(input.task_id),
                            count=value(empty=0))

    @strawberry.mutation(description="Give a whole assignment to another project member")
    async def assignment_reassign(self, info: Info, input: AssignmentReassignInput) -> AssignmentPayload:
        return await mutate(info, AssignmentPayload, service.reassign, command_from(AssignmentReassign, input),
                            assignment=node("Assignment"))

    @strawberry.mutation(description="Spread an assignment's items over members by load")
    async def assignment_redistribute(self, info: Info, input: AssignmentRedistributeInput) -> AssignmentsPayload:
        command = AssignmentRedistribute(assignment_id=input.assignment_id, workload=_workload(input.workload))
        return await mutate(info, AssignmentsPayload, service.redistribute, command,
                            assignments=nodes("Assignment"))

    @strawberry.mutation(description="Set (or with status null, clear) one item's status in a task")
    async def item_status_set(self, info: Info, input: ItemStatusSetInput) -> ItemStatusPayload:
        command = ItemStatusSet(task_id=input.task_id, item_ids=[input.item_id], status=input.status,
                                limit=info.context.settings.max_batch_size, field="itemId")
        return await mutate(info, ItemStatusPayload, service.set_status, command, item_ids=value(empty=[]),
                            task=_task(input.task_id))

    @strawberry.mutation(description="Set (or clear) the status of up to 1000 items in a task: all or nothing")
    async def items_status_set(self, info: Info, input: ItemsStatusSetInput) -> ItemStatusPayload:
        node_ = None
        if input.filter is not None or input.dql is not None:
            if input.item_ids is not None:
                raise Refused("BAD_USER_INPUT", "input: give itemIds, filter or dql, not both", field="input")
            if input.filter is not None:
                check_conditions(input.filter)
            node_, _ = item_query(input.filter, input.dql, None)
        command = ItemStatusSet(task_id=input.task_id, item_ids=input.item_ids or [], status=input.status,
                                limit=info.context.settings.max_batch_size, filter=node_)
        return await mutate(info, ItemStatusPayload, service.set_status, command, item_ids=value(empty=[]),
                            task=_task(input.task_id))
