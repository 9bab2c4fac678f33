"""A task's items: add and remove them, set statuses."""

from __future__ import annotations

import sqlalchemy as sa

from labelgraph.auth import PROJECT_PERMISSIONS
from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid
from labelgraph.graph.pagination import in_ids
from labelgraph.workflow.commands import (
    ItemStatusSet,
    TaskItemsAdd,
    TaskItemsRemove,
)
from labelgraph.workflow.service.common import (
    ASSIGNMENT,
    ITEM,
    TASK_ITEM,
    distribute,
    item_scope,
    load_task,
    member_ids,
    new_assignments,
    workload,
)


async def add_items(uow: UnitOfWork, cmd: TaskItemsAdd) -> int:
    """Add items not yet in the task, over the given assignees (new ones get assignments) or, without
    assignees, equally over the task's assignments. Returns how many were added."""
    task_id, item_ids, item_conditions, assignees = cmd.task_id, cmd.item_ids, cmd.item_filter, cmd.assignees
    task = await load_task(uow, task_id, "task.write", "taskId")
    if item_ids is None and not item_conditions:
        raise invalid("give itemIds or filter", "itemIds")
    where = await item_scope(uow, task.dataset_id, item_ids, item_conditions)
    if assignees:
        loads = workload(assignees)
        users = await member_ids(uow, task.project_id, [e for e, _ in loads], "assignees")
        existing = dict((await uow.conn.execute(sa.select(ASSIGNMENT.c.annotator_id, ASSIGNMENT.c.id).where(
            ASSIGNMENT.c.task_id == task_id))).all())
        new_emails = [e for e, _ in loads if users[e] not in existing]
        created = await new_assignments(uow, task, [users[e] for e in new_emails], new_emails)
        existing.update(zip([users[e] for e in new_emails], created, strict=True))
        assignment_ids = [existing[users[e]] for e, _ in loads]
        shares = [load for _, load in loads]
    else:
        assignment_ids = list((await uow.conn.execute(sa.select(ASSIGNMENT.c.id).where(
            ASSIGNMENT.c.task_id == task_id).order_by(ASSIGNMENT.c.id))).scalars().all())
        if not assignment_ids:
            raise invalid("the task has no assignments: give assignees", "assignees")
        n = len(assignment_ids)
        shares = [float(100 // n + (1 if i < 100 % n else 0)) for i in range(n)]
    added = await distribute(uow, task, where, assignment_ids, shares)
    uow.emit("task", "updated", task_id, task.project_id, {"itemsAdded": added})
    return added


async def remove_items(uow: UnitOfWork, cmd: TaskItemsRemove) -> int:
    task_id, item_ids, item_conditions = cmd.task_id, cmd.item_ids, cmd.item_filter
    task = await load_task(uow, task_id, "task.write", "taskId")
    if item_ids is None and not item_conditions:
        raise invalid("give itemIds or filter", "itemIds")
    where = await item_scope(uow, task.dataset_id, item_ids, item_conditions)
    result = await uow.conn.execute(sa.delete(TASK_ITEM).where(
        TASK_ITEM.c.task_id == task_id, TASK_ITEM.c.item_id.in_(sa.select(ITEM.c.id).where(*where))))
    uow.emit("task", "updated", task_id, task.project_id, {"itemsRemoved": result.rowcount})
    return result.rowcount


async def set_status(uow: UnitOfWork, cmd: ItemStatusSet) -> list[str]:
    """Set (or, with status None, clear) the status of items in a task. Annotators may change only the items
    of their own assignments. ``field``: the input field of the ids (``itemId`` names a single one)."""
    task_id, item_ids, status, limit, field = cmd.task_id, cmd.item_ids, cmd.status, cmd.limit, cmd.field
    task = await load_task(uow, task_id, "item_status.write", "taskId")
    if cmd.filter is not None:
        item_ids = []
    elif not item_ids:
        raise invalid("itemIds must contain at least one id", "itemIds")
    if len(item_ids) > limit:
        raise Problems.one("LIMIT_EXCEEDED", f"itemIds takes at most {limit} ids per call, got {len(item_ids)}",
                           ["itemIds"])
    if status is not None:
        allowed = [a["action"] for a in task.available_actions]
        if status not in allowed:
            raise invalid(f"status must be one of this task's actions: {', '.join(allowed)}; got {status!r}",
                          "status")
    dialect = uow.conn.dialect.name
    if cmd.filter is not None:  # one subquery, whatever the count
        from labelgraph.data.resources import ITEM as ITEM_RESOURCE
        from labelgraph.graph import filterspec as fs

        selected = sa.select(ITEM_RESOURCE.table.c.id).where(*fs.conditions(cmd.filter, ITEM_RESOURCE, dialect))
        where = [TASK_ITEM.c.task_id == task_id, TASK_ITEM.c.item_id.in_(selected)]
    else:
        where = [TASK_ITEM.c.task_id == task_id, in_ids(TASK_ITEM.c.item_id, list(set(item_ids)), dialect)]
    role = uow.access.project_roles.get(task.project_id)
    if not uow.access.is_admin and role not in PROJECT_PERMISSIONS["task.write"]:
        where.append(TASK_ITEM.c.assignment_id.in_(sa.select(ASSIGNMENT.c.id).where(
            ASSIGNMENT.c.annotator_id == uow.principal_id)))
    found = set((await uow.conn.execute(sa.select(TASK_ITEM.c.item_id).where(*where))).scalars().all())
    missing = [(i, item) for i, item in enumerate(item_ids) if item not in found]
    if missing:
        raise Problems([Problem("NOT_FOUND", f"item {item!r} is not in this task" + (
            " (or not in your assignment)" if role == "annotator" else ""), [field, str(i)] if field == "itemIds"
            else [field])
            for i, item in missing[:50]])
    now = utcnow()
    await uow.conn.execute(sa.update(TASK_ITEM).where(*where).values(
        status=status, status_by=uow.principal_id if status else None, status_at=now if status else None))
    for item in found:
        uow.emit("item_status", "status_changed", item, task.project_id, {"taskId": task_id, "status": status})
    return sorted(found)
