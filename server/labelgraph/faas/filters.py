"""Filters and orderings of the execution plane's lists."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
import strawberry

from labelgraph.faas.models import Execution, ExecutionLog, Package, Service, Trigger
from labelgraph.graph.filters import (
    DateTimeFilter,
    OrderDirection,
    StringFilter,
    check_conditions,
    datetime_conditions,
    string_conditions,
)

_execution = Execution.__table__
_service = Service.__table__
_package = Package.__table__
_trigger = Trigger.__table__
_log = ExecutionLog.__table__


@strawberry.enum(description="Where an execution is in its lifecycle; values are the platform's wire names.")
class ExecutionStatus(enum.Enum):
    CREATED = "created"
    IN_PROGRESS = "in-progress"
    SUCCESS = "success"
    FAILED = "failed"
    TERMINATED = "terminated"
    ABORTED = "aborted"
    CANCELED = "canceled"
    SYSTEM_FAILURE = "system-failure"


@strawberry.input(description="Conditions on executions; all given conditions must hold.")
class ExecutionFilter:
    project_id: strawberry.ID | None = None
    service_id: strawberry.ID | None = None
    trigger_id: strawberry.ID | None = None
    statuses: list[ExecutionStatus] | None = None
    function_name: StringFilter | None = None
    created_at: DateTimeFilter | None = None


@strawberry.enum
class ExecutionOrderField(enum.Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input
class ExecutionOrder:
    field: ExecutionOrderField
    direction: OrderDirection = OrderDirection.ASC


def apply_execution_filter(f: ExecutionFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    t = _execution
    conds: list[sa.ColumnElement] = []
    for attr in ("project_id", "service_id", "trigger_id"):
        value = getattr(f, attr)
        if value is not None:
            conds.append(t.c[attr] == value)
    if f.statuses is not None:
        conds.append(t.c.status.in_([s.value for s in f.statuses]) if f.statuses else sa.false())
    if f.function_name:
        conds += string_conditions(t.c.function_name, f.function_name, "filter.functionName")
    if f.created_at:
        conds += datetime_conditions(t.c.created_at, f.created_at)
    return conds


@strawberry.input
class ServiceFilter:
    name: StringFilter | None = None
    active: bool | None = None
    package_id: strawberry.ID | None = None


def apply_service_filter(f: ServiceFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds: list[sa.ColumnElement] = []
    if f.name:
        conds += string_conditions(_service.c.name, f.name, "filter.name")
    if f.active is not None:
        conds.append(_service.c.active.is_(f.active))
    if f.package_id is not None:
        conds.append(_service.c.package_id == f.package_id)
    return conds


@strawberry.input
class PackageFilter:
    name: StringFilter | None = None


def apply_package_filter(f: PackageFilter | None) -> list[sa.ColumnElement]:
    if f is None or not f.name:
        return []
    check_conditions(f)
    return string_conditions(_package.c.name, f.name, "filter.name")


@strawberry.input
class TriggerFilter:
    name: StringFilter | None = None
    active: bool | None = None


def apply_trigger_filter(f: TriggerFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds: list[sa.ColumnElement] = []
    if f.name:
        conds += string_conditions(_trigger.c.name, f.name, "filter.name")
    if f.active is not None:
        conds.append(_trigger.c.active.is_(f.active))
    return conds


@strawberry.enum(description="Where a log line came from: what the function printed (STDOUT, STDERR) or logged")
class LogStream(enum.Enum):
    STDOUT = "stdout"
    STDERR = "stderr"
    LOG = "log"


@strawberry.enum(description="The level of a line the function logged with Python's logging")
class LogLevel(enum.Enum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


LEVEL_ORDER = [level.value for level in LogLevel]


@strawberry.input(description="Conditions on log lines; all given conditions must hold.")
class ExecutionLogFilter:
    since: datetime | None = strawberry.field(default=None, description="Lines logged at or after this time")
    until: datetime | None = strawberry.field(default=None, description="Lines logged before this time")
    execution_id: strawberry.ID | None = None
    level: LogLevel | None = strawberry.field(
        default=None, description="Lines logged at this level or above (printed lines have no level: left out)")


def apply_log_filter(f: ExecutionLogFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    conds: list[sa.ColumnElement] = []
    if f.since is not None:
        conds.append(_log.c.at >= f.since)
    if f.until is not None:
        conds.append(_log.c.at < f.until)
    if f.execution_id is not None:
        conds.append(_log.c.execution_id == f.execution_id)
    if f.level is not None:
        conds.append(_log.c.level.in_(LEVEL_ORDER[LEVEL_ORDER.index(f.level.value):]))
    return conds
