"""The ``command`` table: tracked dataset jobs (clone, merge, export, import…) claimed with leases by the server
processes (jobs/queue.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field, time_field


class Command(SQLModel, table=True):
    __table_args__ = (
        Index("ix_command_queue", "status", "created_at"),
        Index("ix_command_lease", "status", "lease_expires_at"),
        Index("ix_command_project_created", "project_id", "created_at", "id"),
    )
    id: str = id_field()  # cmd_…, time-sortable
    project_id: str = fk("project.id")
    type: str = Field(max_length=50)  # clone | merge | export | import | …  (jobs/registry.py)
    status: str = Field(default="created", max_length=20)  # created | in-progress | success | failed | aborted
    progress: int = 0  # 0..100
    message: str | None = None
    error: str | None = None
    result: object | None = json_field(nullable=True)
    blob_key: str | None = Field(default=None, max_length=300)  # downloadable output: Command.url is signed on read
    input: dict = json_field()
    version: int = 1
    attempts: int = 0
    max_attempts: int = 3
    abort_requested: bool = False
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = time_field()
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
