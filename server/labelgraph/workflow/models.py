"""Tables of the workflow domain: tasks, assignments and the item status per task."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from labelgraph.auth import Access, scope_rule
from labelgraph.columns import created_field, fk, id_field, json_field, time_field


class Task(SQLModel, table=True):
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    dataset_id: str = fk("dataset.id", index=True)
    recipe_id: str | None = fk("recipe.id", nullable=True, ondelete="SET NULL")
    parent_task_id: str | None = fk("task.id", nullable=True, index=True)
    name: str = Field(max_length=300)
    type: str = Field(default="annotation", max_length=20)  # annotation | qa
    status: str | None = Field(default=None, max_length=50)
    due_date: datetime | None = time_field()
    priority: int = 2  # 1 low, 2 medium, 3 high
    available_actions: list = json_field(default=list)
    query: dict | None = json_field(nullable=True)
    meta: dict = json_field("metadata")
    owner_id: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Assignment(SQLModel, table=True):
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    task_id: str = fk("task.id", index=True)
    dataset_id: str = fk("dataset.id")
    annotator_id: str = fk("app_user.id", index=True)
    name: str = Field(max_length=300)
    status: str | None = Field(default=None, max_length=50)
    meta: dict = json_field("metadata")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class TaskItem(SQLModel, table=True):
    """An item's membership in a task (and its assignment) with the item's status in that task."""

    __tablename__ = "task_item"
    __table_args__ = (
        Index("ix_task_item_assignment", "assignment_id", "item_id"),
        Index("ix_task_item_item", "item_id"),
    )
    task_id: str = Field(foreign_key="task.id", ondelete="CASCADE", primary_key=True, max_length=40)
    item_id: str = Field(foreign_key="item.id", ondelete="CASCADE", primary_key=True, max_length=40)
    project_id: str = fk("project.id", index=True)
    assignment_id: str | None = fk("assignment.id", nullable=True, ondelete="SET NULL")
    status: str | None = Field(default=None, max_length=100)  # completed | approved | discard | custom
    status_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    status_at: datetime | None = time_field()
    created_at: datetime = created_field()


@scope_rule("Task", "Assignment")
def _annotators_see_their_own(access: Access, type_name: str, table: sa.Table) -> list[sa.ColumnElement]:
    """Annotators see only their own assignments (and the tasks they are in); the other roles see all of their
    projects'. Registered with the table: whatever reads a Task or an Assignment has imported this module."""
    assignment = Assignment.__table__
    managing = [p for p, r in access.project_roles.items() if r != "annotator"]
    column = assignment.c.id if type_name == "Assignment" else assignment.c.task_id
    mine = sa.select(column).where(assignment.c.annotator_id == access.user_id)
    return [table.c.project_id.in_(access.project_ids()),
            sa.or_(table.c.project_id.in_(managing), table.c.id.in_(mine))]
