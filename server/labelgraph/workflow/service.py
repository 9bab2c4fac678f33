"""Writes of the workflow domain: tasks, assignments and item statuses.

Distribution is deterministic: the task's items in creation order (created_at, id) are cut into consecutive
blocks, one per assignee in the order given, of ⌊total × load / 100⌋ items each; the items left over by the
rounding go one each to the first assignees. With no loads given the split is equal (100 // n each, the
remainder to the first ones, as on the platform). Creating, adding, removing and redistributing are single
INSERT … SELECT / UPDATE … FROM statements over row numbers, so a 50,000-item task costs the same number of
statements as a 5-item one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.auth import PROJECT_PERMISSIONS
from labelgraph.columns import utcnow
from labelgraph.data.models import Dataset, Item, Project
from labelgraph.data.service.common import WRITE_COLUMNS, refuse_version
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.models import OrganizationMember, ProjectMember, User
from labelgraph.ids import new_id
from labelgraph.ontology.service import check_recipe
from labelgraph.rows import load_for, load_within
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
from labelgraph.workflow.models import Assignment, Task, TaskItem

TASK = Task.__table__
ASSIGNMENT = Assignment.__table__
TASK_ITEM = TaskItem.__table__
ITEM = Item.__table__
DATASET = Dataset.__table__
USER = User.__table__
PROJECT = Project.__table__
PROJECT_MEMBER = ProjectMember.__table__
ORG_MEMBER = OrganizationMember.__table__

DEFAULT_ACTIONS = {
    "annotation": [{"action": "completed", "displayName": "Completed", "color": "#2ecc71", "icon": None},
                   {"action": "discard", "displayName": "Discard", "color": "#e74c3c", "icon": None}],
    "qa": [{"action": "approved", "displayName": "Approved", "color": "#2ecc71", "icon": None},
           {"action": "discard", "displayName": "Discard", "color": "#e74c3c", "icon": None}],
}
MAX_IDS = 10_000  # itemIds per call; use a filter for more


# --- helpers -------------------------------------------------------------------------------------------

async def _task(uow: UnitOfWork, task_id: str, permission: str, field: str = "taskId") -> Any:
    return await load_for(uow, TASK, task_id, field, "Task", permission)


async def _assignment(uow: UnitOfWork, assignment_id: str, field: str = "assignmentId") -> Any:
    return await load_for(uow, ASSIGNMENT, assignment_id, field, "Assignment", "task.write")


def workload(assignees: Sequence[Workload], field: str = "assignees") -> list[tuple[str, float]]:
    """[(email, load)] with loads summing to 100: given loads are checked, missing ones split equally."""
    if not assignees:
        raise invalid("give at least one assignee", field)
    emails = [(a.email or "").strip().lower() for a in assignees]
    for i, e in enumerate(emails):
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", e):
            raise invalid(f"email must be an address, got {e!r}", field, i, "email")
    if len(set(emails)) != len(emails):
        raise invalid("each assignee may appear once", field)
    loads = [a.load for a in assignees]
    if all(load is None for load in loads):
        n = len(emails)
        return [(e, float(100 // n + (1 if i < 100 % n else 0))) for i, e in enumerate(emails)]
    if any(load is None for load in loads):
        raise invalid("give a load for every assignee, or for none (an equal split)", field)
    if any(load < 0 or load > 100 for load in loads):
        raise invalid("each load is a percentage from 0 to 100", field)
    if round(sum(loads)) != 100:
        raise invalid(f"loads must sum to 100, got {sum(loads):g}", field)
    return list(zip(emails, [float(x) for x in loads], strict=True))


def block_bounds(total: int, loads: Sequence[float]) -> list[int]:
    """Cumulative upper row numbers of each assignee's block (see the module docstring)."""
    sizes = [int(total * load // 100) for load in loads]
    left = total - sum(sizes)
    for i in range(len(sizes)):
        if left <= 0:
            break
        if loads[i] > 0:
            sizes[i] += 1
            left -= 1
    bounds, acc = [], 0
    for size in sizes:
        acc += size
        bounds.append(acc)
    return bounds


def _block_case(rn: sa.ColumnElement, assignment_ids: Sequence[str], bounds: Sequence[int]) -> sa.ColumnElement:
    whens = [(rn <= bound, aid) for aid, bound in zip(assignment_ids, bounds, strict=True)]
    return sa.case(*whens, else_=assignment_ids[-1])


async def _members(uow: UnitOfWork, project_id: str, emails: Sequence[str], field: str) -> dict[str, str]:
    """email → user id for assignees, who must reach the project (members, or organization owners/admins)."""
    project = (await uow.conn.execute(sa.select(PROJECT.c.organization_id).where(PROJECT.c.id == project_id))).one()
    rows = (await uow.conn.execute(
        sa.select(USER.c.email, USER.c.id).where(USER.c.email.in_(list(emails)), sa.or_(
            USER.c.id.in_(sa.select(PROJECT_MEMBER.c.user_id).where(PROJECT_MEMBER.c.project_id == project_id)),
            USER.c.id.in_(sa.select(ORG_MEMBER.c.user_id).where(
                ORG_MEMBER.c.organization_id == project.organization_id, ORG_MEMBER.c.role.in_(("owner", "admin")))),
        )))).all()
    found = {r.email: r.id for r in rows}
    missing = [(i, e) for i, e in enumerate(emails) if e not in found]
    if missing:
        raise Problems([Problem("INVALID", f"{e} is not a member of this project: add them with projectMemberAdd "
                                "first", [field, str(i), "email"]) for i, e in missing])
    return found


async def _item_scope(uow: UnitOfWork, dataset_id: str, item_ids: Sequence[str] | None, conditions: list | None
                      ) -> list:
    """The conditions selecting a task's items: of its dataset, and the given ones (each must be a file of the
    dataset: NOT_FOUND naming it otherwise) or those matching the filter."""
    where = [ITEM.c.dataset_id == dataset_id, ITEM.c.type == "file"]
    if item_ids is not None:
        if len(item_ids) > MAX_IDS:
            raise Problems.one("LIMIT_EXCEEDED", f"itemIds takes at most {MAX_IDS:,} ids; use filter for more",
                               ["itemIds"])
        await load_within(uow, ITEM, "Item", [(item, ["itemIds", str(i)]) for i, item in enumerate(item_ids)],
                          where, "in the task's dataset", "id")
        where.append(in_ids(ITEM.c.id, list(item_ids), uow.conn.dialect.name))
    if conditions:
        where.extend(conditions)
    return where


async def _new_assignments(uow: UnitOfWork, task: Any, user_ids: Sequence[str], emails: Sequence[str]) -> list[str]:
    now = utcnow()
    rows = [{"id": new_id("asg"), "project_id": task.project_id, "task_id": task.id, "dataset_id": task.dataset_id,
             "annotator_id": uid, "name": f"{task.name} — {email}", "status": None, "metadata": {},
             "created_at": now, "updated_at": now} for uid, email in zip(user_ids, emails, strict=True)]
    if rows:
        await uow.conn.execute(sa.insert(ASSIGNMENT), rows)
        for r in rows:
            uow.emit("assignment", "created", r["id"], task.project_id, {"taskId": task.id, "annotatorId":
                                                                          r["annotator_id"]})
    return [r["id"] for r in rows]


async def _distribute(uow: UnitOfWork, task: Any, where: list, assignment_ids: Sequence[str],
                      loads: Sequence[float]) -> int:
    """Insert the matching items not yet in the task, block-distributed over the assignments. Returns how many."""
    not_in_task = ~sa.exists().where(TASK_ITEM.c.task_id == task.id, TASK_ITEM.c.item_id == ITEM.c.id)
    total = (await uow.conn.execute(sa.select(sa.func.count()).select_from(ITEM).where(*where, not_in_task)))
    total = total.scalar_one()
    if total == 0:
        return 0
    rn = sa.func.row_number().over(order_by=(ITEM.c.created_at, ITEM.c.id))
    ranked = sa.select(ITEM.c.id.label("item_id"), rn.label("rn")).where(*where, not_in_task).subquery()
    now = utcnow()
    select = sa.select(sa.literal(task.id), ranked.c.item_id, sa.literal(task.project_id),
                       _block_case(ranked.c.rn, assignment_ids, block_bounds(total, loads)), sa.literal(now))
    await uow.conn.execute(sa.insert(TASK_ITEM).from_select(
        ["task_id", "item_id", "project_id", "assignment_id", "created_at"], select))
    return total


# --- tasks ---------------------------------------------------------------------------------------------

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
        parent = await _task(uow, parent_id, "task.write", "parentTaskId")
        if parent.dataset_id != dataset_id:
            raise invalid("the parent task must be on the same dataset", "parentTaskId")
    if spec.recipe_id is not None:
        await check_recipe(uow, spec.recipe_id, dataset.project_id)
    loads = workload(spec.assignees)
    users = await _members(uow, dataset.project_id, [e for e, _ in loads], "assignees")
    actions = _actions(spec.available_actions, task_type)
    where = await _item_scope(uow, dataset_id, spec.item_ids, item_conditions)
    now, task_id = utcnow(), new_id("tsk")
    await uow.conn.execute(sa.insert(TASK).values(
        id=task_id, project_id=dataset.project_id, dataset_id=dataset_id,
        recipe_id=spec.recipe_id or dataset.recipe_id, parent_task_id=parent_id, name=spec.name.strip(),
        type=task_type, status="open", due_date=spec.due_date, priority=spec.priority.value if spec.priority else 2,
        available_actions=actions, query=None, metadata=spec.metadata or {}, owner_id=uow.principal_id,
        created_by=uow.principal_id, created_at=now, updated_at=now))
    task = (await uow.conn.execute(sa.select(TASK).where(TASK.c.id == task_id))).one()
    assignment_ids = await _new_assignments(uow, task, [users[e] for e, _ in loads], [e for e, _ in loads])
    count = await _distribute(uow, task, where, assignment_ids, [load for _, load in loads])
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
    task = await _task(uow, task_id, "task.write", "id")
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
    task = await _task(uow, task_id, "task.write", "id")
    await uow.conn.execute(sa.delete(TASK).where(TASK.c.id == task_id))  # assignments and statuses go with it
    uow.emit("task", "deleted", task_id, task.project_id, {})
    return task_id


async def add_items(uow: UnitOfWork, cmd: TaskItemsAdd) -> int:
    """Add items not yet in the task, over the given assignees (new ones get assignments) or, without
    assignees, equally over the task's assignments. Returns how many were added."""
    task_id, item_ids, item_conditions, assignees = cmd.task_id, cmd.item_ids, cmd.item_filter, cmd.assignees
    task = await _task(uow, task_id, "task.write", "taskId")
    if item_ids is None and not item_conditions:
        raise invalid("give itemIds or filter", "itemIds")
    where = await _item_scope(uow, task.dataset_id, item_ids, item_conditions)
    if assignees:
        loads = workload(assignees)
        users = await _members(uow, task.project_id, [e for e, _ in loads], "assignees")
        existing = dict((await uow.conn.execute(sa.select(ASSIGNMENT.c.annotator_id, ASSIGNMENT.c.id).where(
            ASSIGNMENT.c.task_id == task_id))).all())
        new_emails = [e for e, _ in loads if users[e] not in existing]
        created = await _new_assignments(uow, task, [users[e] for e in new_emails], new_emails)
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
    added = await _distribute(uow, task, where, assignment_ids, shares)
    uow.emit("task", "updated", task_id, task.project_id, {"itemsAdded": added})
    return added


async def remove_items(uow: UnitOfWork, cmd: TaskItemsRemove) -> int:
    task_id, item_ids, item_conditions = cmd.task_id, cmd.item_ids, cmd.item_filter
    task = await _task(uow, task_id, "task.write", "taskId")
    if item_ids is None and not item_conditions:
        raise invalid("give itemIds or filter", "itemIds")
    where = await _item_scope(uow, task.dataset_id, item_ids, item_conditions)
    result = await uow.conn.execute(sa.delete(TASK_ITEM).where(
        TASK_ITEM.c.task_id == task_id, TASK_ITEM.c.item_id.in_(sa.select(ITEM.c.id).where(*where))))
    uow.emit("task", "updated", task_id, task.project_id, {"itemsRemoved": result.rowcount})
    return result.rowcount


# --- assignments ---------------------------------------------------------------------------------------

async def reassign(uow: UnitOfWork, cmd: AssignmentReassign) -> str:
    """Give the whole assignment to another member; when they have one in the task already, its items join
    theirs. Returns the assignment that now holds the items."""
    assignment_id = cmd.assignment_id
    assignment = await _assignment(uow, assignment_id)
    [(email, _)] = workload([Workload(email=cmd.email)], "email")
    user_id = (await _members(uow, assignment.project_id, [email], "email"))[email]
    if user_id == assignment.annotator_id:
        return assignment_id
    theirs = (await uow.conn.execute(sa.select(ASSIGNMENT.c.id).where(
        ASSIGNMENT.c.task_id == assignment.task_id, ASSIGNMENT.c.annotator_id == user_id))).first()
    now = utcnow()
    if theirs:
        await uow.conn.execute(sa.update(TASK_ITEM).where(TASK_ITEM.c.assignment_id == assignment_id)
                               .values(assignment_id=theirs.id))
        await uow.conn.execute(sa.delete(ASSIGNMENT).where(ASSIGNMENT.c.id == assignment_id))
        uow.emit("assignment", "deleted", assignment_id, assignment.project_id, {"taskId": assignment.task_id})
        uow.emit("assignment", "updated", theirs.id, assignment.project_id, {"taskId": assignment.task_id})
        return theirs.id
    await uow.conn.execute(sa.update(ASSIGNMENT).where(ASSIGNMENT.c.id == assignment_id).values(
        annotator_id=user_id, name=re.sub(r" — .*$", f" — {email}", assignment.name), updated_at=now))
    uow.emit("assignment", "updated", assignment_id, assignment.project_id, {"taskId": assignment.task_id,
                                                                             "annotatorId": user_id})
    return assignment_id


async def redistribute(uow: UnitOfWork, cmd: AssignmentRedistribute) -> list[str]:
    """Spread the assignment's items over members by load (block distribution, in item id order). Returns the
    assignments that hold them now."""
    assignment_id, assignees = cmd.assignment_id, cmd.workload
    assignment = await _assignment(uow, assignment_id)
    loads = workload(assignees, "workload")
    users = await _members(uow, assignment.project_id, [e for e, _ in loads], "workload")
    task = (await uow.conn.execute(sa.select(TASK).where(TASK.c.id == assignment.task_id))).one()
    existing = dict((await uow.conn.execute(sa.select(ASSIGNMENT.c.annotator_id, ASSIGNMENT.c.id).where(
        ASSIGNMENT.c.task_id == task.id))).all())
    new_emails = [e for e, _ in loads if users[e] not in existing]
    existing.update(zip([users[e] for e in new_emails],
                        await _new_assignments(uow, task, [users[e] for e in new_emails], new_emails), strict=True))
    targets = [existing[users[e]] for e, _ in loads]
    total = (await uow.conn.execute(sa.select(sa.func.count()).select_from(TASK_ITEM).where(
        TASK_ITEM.c.assignment_id == assignment_id))).scalar_one()
    if total:
        rn = sa.func.row_number().over(order_by=TASK_ITEM.c.item_id)
        ranked = sa.select(TASK_ITEM.c.item_id, rn.label("rn")).where(
            TASK_ITEM.c.task_id == task.id, TASK_ITEM.c.assignment_id == assignment_id).subquery()
        moves = sa.select(ranked.c.item_id, _block_case(ranked.c.rn, targets, block_bounds(
            total, [load for _, load in loads])).label("target")).subquery()
        await uow.conn.execute(sa.update(TASK_ITEM).values(assignment_id=moves.c.target).where(
            TASK_ITEM.c.task_id == task.id, TASK_ITEM.c.item_id == moves.c.item_id))
    if assignment_id not in targets:
        await uow.conn.execute(sa.delete(ASSIGNMENT).where(ASSIGNMENT.c.id == assignment_id))
        uow.emit("assignment", "deleted", assignment_id, task.project_id, {"taskId": task.id})
    for target in targets:
        uow.emit("assignment", "updated", target, task.project_id, {"taskId": task.id})
    return targets


# --- item statuses -------------------------------------------------------------------------------------

async def set_status(uow: UnitOfWork, cmd: ItemStatusSet) -> list[str]:
    """Set (or, with status None, clear) the status of items in a task. Annotators may change only the items
    of their own assignments. ``field``: the input field of the ids (``itemId`` names a single one)."""
    task_id, item_ids, status, limit, field = cmd.task_id, cmd.item_ids, cmd.status, cmd.limit, cmd.field
    task = await _task(uow, task_id, "item_status.write", "taskId")
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

