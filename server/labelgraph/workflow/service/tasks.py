"""Tasks: create (with its items distributed over the assignees), update, delete."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.service.common import WRITE_COLUMNS, refuse_version
from labelgraph.db import UnitOfWork
from labelgraph.errors import invalid
from labelgraph.ids import new_id
from labelgraph.ontology.service import check_recipe
from labelgraph.rows import load_for
from labelgraph.workflow.commands import (
    TaskAction,
    TaskCreate,
    TaskDelete,
    TaskUpdate,
)
from labelgraph.workflow.service.common import (
    DATASET,
    DEFAULT_ACTIONS,
    TASK,
    distribute,
    item_scope,
    load_task,
    member_ids,
    new_assignments,
    workload,
)


async def create_task(uow: UnitOfWork, spec: TaskCreate) -> str:
    dataset_id, item_conditions = spec.dataset_id, spec.item_filter
    dataset = await load_for(uow, DATASET, dataset_id, "datasetId", "Dataset", "task.write", "recipe_id",
                             *WRITE_COLUMNS)
    refuse_version(dataset, "datasetId")  # a version's rows take no task (nor item statuses)
    if not spec.name or not spec.name.strip():
        raise invalid("name must not be empty", "name")
    if spec.item_ids is not None and item_conditions:
        raise invalid("give itemIds or filter, not both", "itemIds")
    task_type = spec.type.value if spec.type else "annotation"
    parent_id = spec.parent_task_id
    if task_type == "qa" and not parent_id:
        raise invalid("a QA task reviews another task: give parentTaskId", "parentTaskId")
    if parent_id:
        parent = await load_task(uow, parent_id, "task.write", "parentTaskId")
        if parent.dataset_id != dataset_id:
            raise invalid("the parent task must be on the same dataset", "parentTaskId")
    if spec.recipe_id is not None:
        await check_recipe(uow, spec.recipe_id, dataset.project_id)
    loads = workload(spec.assignees)
    users = await member_ids(uow, dataset.project_id, [e for e, _ in loads], "assignees")
    actions = _actions(spec.available_actions, task_type)
    where = await item_scope(uow, dataset_id, spec.item_ids, item_conditions)
    now, task_id = utcnow(), new_id("tsk")
    await uow.conn.execute(sa.insert(TASK).values(
        id=task_id, project_id=dataset.project_id, dataset_id=dataset_id,
        recipe_id=spec.recipe_id or dataset.recipe_id, parent_task_id=parent_id, name=spec.name.strip(),
        type=task_type, status="open", due_date=spec.due_date, priority=spec.priority.value if spec.priority else 2,
        available_actions=actions, query=None, metadata=spec.metadata or {}, owner_id=uow.principal_id,
        created_by=uow.principal_id, created_at=now, updated_at=now))
    task = (await uow.conn.execute(sa.select(TASK).where(TASK.c.id == task_id))).one()
    assignment_ids = await new_assignments(uow, task, [users[e] for e, _ in loads], [e for e, _ in loads])
    count = await distribute(uow, task, where, assignment_ids, [load for _, load in loads])
    if count == 0:
        raise invalid("no items of the dataset match: a task needs at least one item",
                      "itemIds" if spec.item_ids is not None else "filter")
    uow.emit("task", "created", task_id, dataset.project_id, {"datasetId": dataset_id, "items": count})
    return task_id


def _actions(actions: Sequence[TaskAction] | None, task_type: str) -> list[dict[str, Any]]:
    if not actions:
        return DEFAULT_ACTIONS[task_type]
    out, seen = [], set()
    for i, a in enumerate(actions):
        if not a.action or not re.fullmatch(r"[A-Za-z0-9_\-]{1,100}", a.action):
            raise invalid("an action is 1–100 letters, digits, _ or -", "availableActions", i, "action")
        if a.action in seen:
            raise invalid(f"action {a.action!r} appears twice", "availableActions", i, "action")
        seen.add(a.action)
        out.append({"action": a.action, "displayName": a.display_name or a.action, "color": a.color or "#FFFFFF",
                    "icon": a.icon})
    return out


async def update_task(uow: UnitOfWork, spec: TaskUpdate) -> str:
    task_id = spec.id
    task = await load_task(uow, task_id, "task.write", "id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if spec.name is not None:
        if not spec.name.strip():
            raise invalid("name must not be empty", "name")
        values["name"] = spec.name.strip()
    for attr in ("due_date", "status", "metadata"):
        if getattr(spec, attr) is not None:
            values[attr] = getattr(spec, attr)
    if spec.priority is not None:
        values["priority"] = spec.priority.value
    if spec.available_actions is not None:
        values["available_actions"] = _actions(spec.available_actions, task.type)
    await uow.conn.execute(sa.update(TASK).where(TASK.c.id == task_id).values(**values))
    uow.emit("task", "updated", task_id, task.project_id, {})
    return task_id


async def delete_task(uow: UnitOfWork, cmd: TaskDelete) -> str:
    task_id = cmd.id
    task = await load_task(uow, task_id, "task.write", "id")
    await uow.conn.execute(sa.delete(TASK).where(TASK.c.id == task_id))  # assignments and statuses go with it
    uow.emit("task", "deleted", task_id, task.project_id, {})
    return task_id
