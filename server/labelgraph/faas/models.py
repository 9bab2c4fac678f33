"""Tables of the execution plane: packages, services, triggers, executions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field, time_field


class Package(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: str = id_field()
    project_id: str = fk("project.id")
    name: str = Field(max_length=200)
    version: str = Field(default="1.0.0", max_length=50)
    revision: int = 1
    type: str = Field(default="faas", max_length=10)  # faas | app | ml
    codebase: dict = json_field()  # {"type": "import", "reference": "module:Class"} | archive
    modules: list = json_field(default=list)
    requirements: list = json_field(default=list)
    service_config: dict = json_field()
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class PackageCodebase(SQLModel, table=True):
    """An uploaded code archive (zip or tar), stored once per checksum; workers download it by checksum."""

    __tablename__ = "package_codebase"
    checksum: str = Field(primary_key=True, max_length=64)  # sha256 hex of the archive
    filename: str = Field(max_length=200)
    size: int = Field(sa_type=sa.BigInteger)
    data: bytes = Field(sa_type=sa.LargeBinary, nullable=False)
    created_at: datetime = created_field()


class PackageRevision(SQLModel, table=True):
    __tablename__ = "package_revision"
    __table_args__ = (UniqueConstraint("package_id", "revision"),)
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    package_id: str = fk("package.id")
    revision: int
    version: str = Field(max_length=50)
    codebase: dict = json_field()
    modules: list = json_field(default=list)
    created_at: datetime = created_field()


class Service(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: str = id_field()
    project_id: str = fk("project.id")
    package_id: str = fk("package.id", index=True)
    package_revision: int = 1
    name: str = Field(max_length=200)
    module_name: str = Field(default="default_module", max_length=200)
    init_params: dict = json_field()
    concurrency: int = 10
    max_attempts: int = 3
    execution_timeout: int = 3600
    drain_time: int = 600
    on_reset: str = Field(default="failed", max_length=10)  # failed | rerun
    active: bool = True
    runtime: dict = json_field()
    bot_user_id: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    # the last reset (an update or a pause; a resume is not one): runs started before it get drainTime
    reset_at: datetime | None = time_field()


class Trigger(SQLModel, table=True):
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    service_id: str = fk("service.id", index=True)
    name: str = Field(max_length=200)
    type: str = Field(default="event", max_length=10)  # event | cron
    function_name: str = Field(default="run", max_length=200)
    resource: str | None = Field(default=None, max_length=20)  # item | dataset | annotation | …
    actions: list = json_field(default=list)
    filter: dict | None = json_field(nullable=True)
    execution_mode: str = Field(default="once", max_length=10)  # once | always
    cron: str | None = Field(default=None, max_length=100)
    start_at: datetime | None = time_field()
    end_at: datetime | None = time_field()
    input: dict = json_field()
    active: bool = True
    next_fire_at: datetime | None = time_field()
    last_fired_at: datetime | None = time_field()
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class TriggerFiring(SQLModel, table=True):
    """Which resources a ``once`` trigger has fired for already."""

    __tablename__ = "trigger_firing"
    trigger_id: str = Field(foreign_key="trigger.id", ondelete="CASCADE", primary_key=True, max_length=40)
    resource_id: str = Field(primary_key=True, max_length=40)
    project_id: str = fk("project.id", index=True)
    created_at: datetime = created_field()


class Execution(SQLModel, table=True):
    __table_args__ = (
        Index("ix_execution_queue", "status", "service_id", "created_at"),
        Index("ix_execution_project_created", "project_id", "created_at", "id"),
        Index("ix_execution_service_created", "service_id", "created_at", "id"),
        Index("ix_execution_lease", "status", "lease_expires_at"),
        # one execution per (trigger, event): the outbox event id, or "cron:<instant>" for cron firings
        Index("uq_execution_trigger_event", "trigger_id", "event_id", unique=True),
    )
    id: str = id_field()
    project_id: str = fk("project.id")
    service_id: str = fk("service.id")
    trigger_id: str | None = fk("trigger.id", nullable=True, index=True, ondelete="SET NULL")
    package_id: str | None = fk("package.id", nullable=True, ondelete="SET NULL")
    function_name: str = Field(default="run", max_length=200)
    event_id: str | None = Field(default=None, max_length=40)
    input: dict = json_field()
    output: object | None = json_field(nullable=True)
    error: dict | None = json_field(nullable=True)
    status: str = Field(default="created", max_length=20)
    status_log: list = json_field(default=list)
    progress: int = 0
    message: str | None = None
    attempts: int = 0
    max_attempts: int = 3
    to_terminate: bool = False
    version: int = 1
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = time_field()
    started_at: datetime | None = time_field()
    finished_at: datetime | None = time_field()
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    # what its function printed and logged: bytes kept (execution_log) and dropped beyond LABELGRAPH_MAX_LOG_BYTES
    log_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    log_dropped: int = Field(default=0, sa_type=sa.BigInteger)
    log_lines: int = 0  # lines kept so far: the last execution_log.seq given


class ExecutionLog(SQLModel, table=True):
    """One line a function printed (stdout, stderr) or logged (``logging``), shipped by its worker in batches."""

    __tablename__ = "execution_log"
    __table_args__ = (
        Index("ix_execution_log_execution", "execution_id", "at", "id"),
        Index("ix_execution_log_service", "service_id", "at", "id"),
        Index("ix_execution_log_at", "at"),
        Index("ix_execution_log_seq", "execution_id", "seq"),
    )
    id: str = id_field()
    execution_id: str = fk("execution.id")
    service_id: str = fk("service.id")
    project_id: str = fk("project.id")
    attempt: int = 1
    seq: int = 0  # its place in the execution's log: 1, 2, … in the order lines were kept (executionLogs)
    at: datetime = created_field()
    stream: str = Field(max_length=10)  # stdout | stderr | log
    level: str | None = Field(default=None, max_length=10)  # DEBUG … CRITICAL for ``logging`` records
    text: str = Field(sa_type=sa.Text)
