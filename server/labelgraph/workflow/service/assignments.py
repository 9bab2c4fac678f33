"""Assignments: reassign to another member, redistribute over new loads."""

from __future__ import annotations

import re

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.workflow.commands import (
    AssignmentReassign,
    AssignmentRedistribute,
    Workload,
)
from labelgraph.workflow.service.common import (
    ASSIGNMENT,
    TASK,
    TASK_ITEM,
    block_bounds,
    block_case,
    load_assignment,
    member_ids,
    new_assignments,
    workload,
)


async def reassign(uow: UnitOfWork, cmd: AssignmentReassign) -> str:
    """Give the whole assignment to another member; when they have one in the task already, its items join
    theirs. Returns the assignment that now holds the items."""
    assignment_id = cmd.assignment_id
    assignment = await load_assignment(uow, assignment_id)
    [(email, _)] = workload([Workload(email=cmd.email)], "email")
    user_id = (await member_ids(uow, assignment.project_id, [email], "email"))[email]
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
    assignment = await load_assignment(uow, assignment_id)
    loads = workload(assignees, "workload")
    users = await member_ids(uow, assignment.project_id, [e for e, _ in loads], "workload")
    task = (await uow.conn.execute(sa.select(TASK).where(TASK.c.id == assignment.task_id))).one()
    existing = dict((await uow.conn.execute(sa.select(ASSIGNMENT.c.annotator_id, ASSIGNMENT.c.id).where(
        ASSIGNMENT.c.task_id == task.id))).all())
    new_emails = [e for e, _ in loads if users[e] not in existing]
    existing.update(zip([users[e] for e in new_emails],
                        await new_assignments(uow, task, [users[e] for e in new_emails], new_emails), strict=True))
    targets = [existing[users[e]] for e, _ in loads]
    total = (await uow.conn.execute(sa.select(sa.func.count()).select_from(TASK_ITEM).where(
        TASK_ITEM.c.assignment_id == assignment_id))).scalar_one()
    if total:
        rn = sa.func.row_number().over(order_by=TASK_ITEM.c.item_id)
        ranked = sa.select(TASK_ITEM.c.item_id, rn.label("rn")).where(
            TASK_ITEM.c.task_id == task.id, TASK_ITEM.c.assignment_id == assignment_id).subquery()
        moves = sa.select(ranked.c.item_id, block_case(ranked.c.rn, targets, block_bounds(
            total, [load for _, load in loads])).label("target")).subquery()
        await uow.conn.execute(sa.update(TASK_ITEM).values(assignment_id=moves.c.target).where(
            TASK_ITEM.c.task_id == task.id, TASK_ITEM.c.item_id == moves.c.item_id))
    if assignment_id not in targets:
        await uow.conn.execute(sa.delete(ASSIGNMENT).where(ASSIGNMENT.c.id == assignment_id))
        uow.emit("assignment", "deleted", assignment_id, task.project_id, {"taskId": task.id})
    for target in targets:
        uow.emit("assignment", "updated", target, task.project_id, {"taskId": task.id})
    return targets
