"""What the workflow service modules share: the tables, row loaders with their permission checks, the
item scope of a task, and the deterministic distribution of items over assignees (see the package's docstring)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.models import Dataset, Item, Project
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.models import OrganizationMember, ProjectMember, User
from labelgraph.ids import new_id
from labelgraph.rows import load_for, load_within
from labelgraph.workflow.commands import Workload
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


async def load_task(uow: UnitOfWork, task_id: str, permission: str, field: str = "taskId") -> Any:
    return await load_for(uow, TASK, task_id, field, "Task", permission)


async def load_assignment(uow: UnitOfWork, assignment_id: str, field: str = "assignmentId") -> Any:
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


def block_case(rn: sa.ColumnElement, assignment_ids: Sequence[str], bounds: Sequence[int]) -> sa.ColumnElement:
    whens = [(rn <= bound, aid) for aid, bound in zip(assignment_ids, bounds, strict=True)]
    return sa.case(*whens, else_=assignment_ids[-1])


async def member_ids(uow: UnitOfWork, project_id: str, emails: Sequence[str], field: str) -> dict[str, str]:
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


async def item_scope(uow: UnitOfWork, dataset_id: str, item_ids: Sequence[str] | None, conditions: list | None
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


async def new_assignments(uow: UnitOfWork, task: Any, user_ids: Sequence[str], emails: Sequence[str]) -> list[str]:
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


async def distribute(uow: UnitOfWork, task: Any, where: list, assignment_ids: Sequence[str],
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
                       block_case(ranked.c.rn, assignment_ids, block_bounds(total, loads)), sa.literal(now))
    await uow.conn.execute(sa.insert(TASK_ITEM).from_select(
        ["task_id", "item_id", "project_id", "assignment_id", "created_at"], select))
    return total
