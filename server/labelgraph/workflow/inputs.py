"""Mutation inputs of the workflow domain."""

from __future__ import annotations

from datetime import datetime

import strawberry

from labelgraph.data.filters import ItemFilter
from labelgraph.graph.scalars import JSON
from labelgraph.workflow.commands import TaskPriority, TaskType


@strawberry.input(description="An assignee and their share of the items, in percent (all loads sum to 100)")
class WorkloadInput:
    email: str
    load: float | None = strawberry.field(default=None, description="Omit for every assignee: an equal split")


@strawberry.input
class ItemActionInput:
    action: str
    display_name: str | None = None
    color: str | None = None
    icon: str | None = None


@strawberry.input
class TaskCreateInput:
    dataset_id: strawberry.ID
    name: str
    assignees: list[WorkloadInput]
    item_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="At most 10,000; or filter")
    filter: ItemFilter | None = strawberry.field(default=None, description="Without itemIds or filter: all files")
    due_date: datetime | None = None
    priority: TaskPriority | None = TaskPriority.MEDIUM
    type: TaskType | None = TaskType.ANNOTATION
    parent_task_id: strawberry.ID | None = strawberry.field(default=None, description="The task a QA task reviews")
    recipe_id: strawberry.ID | None = None
    available_actions: list[ItemActionInput] | None = strawberry.field(
        default=None, description="Default: completed + discard (annotation), approved + discard (QA)")
    metadata: JSON | None = None


@strawberry.input
class TaskUpdateInput:
    id: strawberry.ID
    name: str | None = None
    status: str | None = None
    due_date: datetime | None = None
    priority: TaskPriority | None = None
    available_actions: list[ItemActionInput] | None = None
    metadata: JSON | None = None


@strawberry.input
class TaskIdInput:
    id: strawberry.ID


@strawberry.input
class TaskItemsInput:
    task_id: strawberry.ID
    item_ids: list[strawberry.ID] | None = None
    filter: ItemFilter | None = None
    assignees: list[WorkloadInput] | None = strawberry.field(
        default=None, description="taskAddItems: who gets the new items (default: the task's assignments equally)")


@strawberry.input
class AssignmentReassignInput:
    assignment_id: strawberry.ID
    email: str


@strawberry.input
class AssignmentRedistributeInput:
    assignment_id: strawberry.ID
    workload: list[WorkloadInput]


@strawberry.input
class ItemStatusSetInput:
    task_id: strawberry.ID
    item_id: strawberry.ID
    status: str | None = strawberry.field(description="One of the task's actions; null clears the status")


@strawberry.input
class ItemsStatusSetInput:
    task_id: strawberry.ID
    item_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="At most 1000 per call; all or nothing. Or give filter or dql")
    status: str | None = strawberry.field(description="One of the task's actions; null clears the status")
    filter: ItemFilter | None = strawberry.field(default=None, description="the task's items this filter selects")
    dql: JSON | None = strawberry.field(default=None, description="the task's items this DQL document selects")
