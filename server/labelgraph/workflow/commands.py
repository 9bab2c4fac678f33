"""What the workflow service is asked to do: typed, immutable commands built by ``workflow/mutations.py`` from
the GraphQL inputs. No strawberry here; ``TaskType``/``TaskPriority`` are plain enums that ``types.py``
registers. An item filter arrives compiled: the SQL conditions of ``data.filters.apply_item_filter``."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Json = Any  # a decoded JSON value, checked by jsonvalues on the way in
ItemConditions = Sequence[Any]  # SQL conditions on the item table (a compiled ItemFilter)

command = dataclass(frozen=True, kw_only=True, slots=True)


class TaskType(enum.Enum):
    ANNOTATION = "annotation"
    QA = "qa"


class TaskPriority(enum.Enum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3



@command
class Workload:
    """An assignee and their share of the items in percent (None for every assignee: an equal split)."""

    email: str
    load: float | None = None


@command
class TaskAction:
    """A status an item can get in a task."""

    action: str
    display_name: str | None = None
    color: str | None = None
    icon: str | None = None


@command
class TaskCreate:
    """A task over items by ids or filter (neither: all the dataset's items), distributed over assignees."""

    dataset_id: str
    name: str
    assignees: Sequence[Workload]
    item_ids: Sequence[str] | None = None
    item_filter: ItemConditions | None = None
    due_date: datetime | None = None
    priority: TaskPriority | None = TaskPriority.MEDIUM
    type: TaskType | None = TaskType.ANNOTATION
    parent_task_id: str | None = None  # the task a QA task reviews
    recipe_id: str | None = None
    available_actions: Sequence[TaskAction] | None = None
    metadata: Json = None


@command
class TaskUpdate:
    id: str
    name: str | None = None
    status: str | None = None
    due_date: datetime | None = None
    priority: TaskPriority | None = None
    available_actions: Sequence[TaskAction] | None = None
    metadata: Json = None


@command
class TaskDelete:
    id: str


@command
class TaskItemsAdd:
    """Add items not yet in the task, over ``assignees`` (default: the task's assignments equally)."""

    task_id: str
    item_ids: Sequence[str] | None = None
    item_filter: ItemConditions | None = None
    assignees: Sequence[Workload] | None = None


@command
class TaskItemsRemove:
    task_id: str
    item_ids: Sequence[str] | None = None
    item_filter: ItemConditions | None = None


@command
class AssignmentReassign:
    assignment_id: str
    email: str


@command
class AssignmentRedistribute:
    assignment_id: str
    workload: Sequence[Workload]


@command
class ItemStatusSet:
    """Set (or with status None, clear) the status of items in a task."""

    task_id: str
    item_ids: Sequence[str]
    status: str | None
    limit: int  # at most this many ids per call (settings.max_batch_size)
    field: str = "itemIds"  # the input field naming the ids ("itemId": a single one)
    filter: Any = None  # instead of item_ids: the task's items this filterspec node selects (any number)
