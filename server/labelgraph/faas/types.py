"""GraphQL types of the execution plane, each with its declarative map to columns and relations."""

from __future__ import annotations

import base64
import enum
from datetime import datetime

import sqlalchemy as sa
import strawberry

from labelgraph.columns import utcnow
from labelgraph.context import Info
from labelgraph.faas import models as m
from labelgraph.faas.commands import (
    CodebaseType,
    FunctionIOType,
    OnResetAction,
    TriggerAction,
    TriggerExecutionMode,
    TriggerResource,
)
from labelgraph.faas.filters import (
    ExecutionFilter,
    ExecutionLogFilter,
    ExecutionOrder,
    ExecutionStatus,
    LogLevel,
    LogStream,
    PackageFilter,
    ServiceFilter,
    TriggerFilter,
    apply_execution_filter,
    apply_log_filter,
    apply_package_filter,
    apply_service_filter,
    apply_trigger_filter,
)
from labelgraph.graph.mapping import EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.relations import columns as _cols
from labelgraph.graph.relations import to_many, to_one
from labelgraph.graph.scalars import JSON, Long, parse_datetime
from labelgraph.identity.types import Project

strawberry.enum(CodebaseType)


strawberry.enum(FunctionIOType, description="The type of a function input or output (domain PackageInputType)")


strawberry.enum(OnResetAction)


@strawberry.enum
class TriggerType(enum.Enum):
    EVENT = "event"
    CRON = "cron"


strawberry.enum(TriggerResource)


strawberry.enum(TriggerAction)


strawberry.enum(
    TriggerExecutionMode,
    description="ONCE fires at most once per resource ever; ALWAYS on every matching event",
)


@strawberry.type(description="A function input or output: `type` is the wire type, `Item[]` for a list")
class FunctionIO:
    name: str
    type: str
    description: str | None = None
    default_value: JSON | None = None


@strawberry.type
class PackageFunction:
    name: str
    description: str | None
    display_name: str | None
    inputs: list[FunctionIO]
    outputs: list[FunctionIO]


@strawberry.type
class PackageModule:
    name: str
    reference: str | None = strawberry.field(description="module:Class for this module (else the codebase's)")
    init_inputs: list[FunctionIO]
    functions: list[PackageFunction]


def _ios(specs: list[dict] | None) -> list[FunctionIO]:
    return [FunctionIO(name=s["name"], type=s["type"], description=s.get("description"),
                       default_value=s.get("value")) for s in specs or []]


def modules_of(value: list[dict]) -> list[PackageModule]:
    return [PackageModule(
        name=mod["name"], reference=mod.get("reference"), init_inputs=_ios(mod.get("initInputs")),
        functions=[PackageFunction(name=f["name"], description=f.get("description"),
                                   display_name=f.get("displayName"), inputs=_ios(f.get("inputs")),
                                   outputs=_ios(f.get("outputs"))) for f in mod.get("functions") or []],
    ) for mod in value or []]


@strawberry.type(description="Where a package's code comes from: an importable module:Class, or an uploaded "
                 "archive the worker unpacks into a cache keyed by its checksum")
class Codebase:
    type: CodebaseType
    reference: str = strawberry.field(description="module:Class the worker instantiates")
    checksum: str | None = strawberry.field(description="sha256 of the archive")
    filename: str | None
    size: Long | None

    @strawberry.field(description="The archive, base64-encoded (ARCHIVE codebases; for workers)")
    async def archive(self, info: Info) -> str | None:
        if not self.checksum:
            return None
        table = m.PackageCodebase.__table__
        async with info.context.db.read() as conn:
            data = (await conn.execute(sa.select(table.c.data).where(table.c.checksum == self.checksum))).scalar()
        return base64.b64encode(bytes(data)).decode() if data is not None else None


def codebase_of(value: dict) -> Codebase:
    return Codebase(type=CodebaseType(value.get("type", "import")), reference=value.get("reference", ""),
                    checksum=value.get("checksum"), filename=value.get("filename"), size=value.get("size"))


@strawberry.type
class ExecutionStatusEntry:
    status: ExecutionStatus
    percent_complete: int | None
    message: str | None
    timestamp: datetime


def status_log_of(value: list[dict]) -> list[ExecutionStatusEntry]:
    return [ExecutionStatusEntry(status=ExecutionStatus(e["status"]), percent_complete=e.get("percentComplete"),
                                 message=e.get("message"), timestamp=parse_datetime(e["timestamp"]))
            for e in value or []]


ORDERS = {"CREATED_AT": ("created_at",), "UPDATED_AT": ("updated_at",)}


@register(EntityMap(
    "Package", "pkg", m.Package.__table__,
    _cols("id", "name", "version", "revision", "type", "codebase", "modules", "project_id", "created_at",
          "updated_at", metadata="metadata"),
    orders={"NAME": ("name",), **ORDERS},
    converters={"codebase": codebase_of, "modules": modules_of},
))
@strawberry.type(description="Code and its functions with typed inputs (domain.md §2.13)")
class Package(Node):
    id: strawberry.ID
    name: str
    version: str
    revision: int = strawberry.field(description="Increases with every packageUpdate")
    type: str
    codebase: Codebase
    modules: list[PackageModule]
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    project_id: strawberry.Private[str]


@register(EntityMap(
    "Service", "svc", m.Service.__table__,
    _cols("id", "name", "package_revision", "module_name", "init_params", "concurrency", "max_attempts",
          "execution_timeout", "drain_time", "on_reset", "active", "package_id", "project_id", "created_at",
          "updated_at"),
    orders={"NAME": ("name",), **ORDERS},
    converters={"on_reset": OnResetAction},
))
@strawberry.type(description="A deployed package module with its runtime settings (domain.md §2.14)")
class Service(Node):
    id: strawberry.ID
    name: str
    package_revision: int
    module_name: str
    init_params: JSON
    concurrency: int = strawberry.field(description="Executions one worker runs at once for this service")
    max_attempts: int
    execution_timeout: int = strawberry.field(description="Seconds one run may take before it fails")
    drain_time: int
    on_reset: OnResetAction
    active: bool = strawberry.field(description="False while paused: nothing is claimed and no trigger fires")
    created_at: datetime
    updated_at: datetime
    package_id: strawberry.Private[str]
    project_id: strawberry.Private[str]


@register(EntityMap(
    "Trigger", "trg", m.Trigger.__table__,
    _cols("id", "name", "type", "function_name", "resource", "actions", "filter", "execution_mode", "cron",
          "start_at", "end_at", "input", "active", "next_fire_at", "last_fired_at", "service_id", "project_id",
          "created_at", "updated_at"),
    orders=ORDERS,
    converters={"type": TriggerType, "resource": TriggerResource, "execution_mode": TriggerExecutionMode,
                "actions": lambda v: [TriggerAction(a) for a in v]},
))
@strawberry.type(description="Creates executions from events (resource × actions × filter) or on a cron schedule")
class Trigger(Node):
    id: strawberry.ID
    name: str
    type: TriggerType
    function_name: str
    resource: TriggerResource | None
    actions: list[TriggerAction]
    filter: JSON | None = strawberry.field(description="The item filter language as JSON (see the README)")
    execution_mode: TriggerExecutionMode
    cron: str | None
    start_at: datetime | None
    end_at: datetime | None
    input: JSON = strawberry.field(description="Static input merged into every execution it creates")
    active: bool
    next_fire_at: datetime | None
    last_fired_at: datetime | None
    created_at: datetime
    updated_at: datetime
    service_id: strawberry.Private[str]
    project_id: strawberry.Private[str]


@register(EntityMap(
    "Execution", "exe", m.Execution.__table__,
    _cols("id", "version", "function_name", "status", "progress", "input", "output", "error", "attempts",
          "max_attempts", "to_terminate", "status_log", "lease_owner", "started_at", "finished_at", "service_id",
          "trigger_id", "project_id", "created_at", "updated_at"),
    orders=ORDERS,
    converters={"status": ExecutionStatus, "status_log": status_log_of},
))
@strawberry.type(description="One run of a service function (domain.md §2.16, lifecycle §5)")
class Execution(Node):
    id: strawberry.ID
    version: int = strawberry.field(description="Increases by one with every committed change")
    function_name: str
    status: ExecutionStatus
    progress: int = strawberry.field(description="Percent complete, from the latest status")
    input: JSON = strawberry.field(description="Keyed by input name; entities as references {item_id, dataset_id}")
    output: JSON | None
    error: JSON | None
    attempts: int
    max_attempts: int
    to_terminate: bool
    status_log: list[ExecutionStatusEntry] = strawberry.field(description="Oldest first")
    lease_owner: strawberry.Private[str | None]
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime
    updated_at: datetime
    service_id: strawberry.Private[str]
    trigger_id: strawberry.Private[str | None]
    project_id: strawberry.Private[str]
    # set when built from an event (a subscription message) rather than from the row
    latest: strawberry.Private[ExecutionStatusEntry | None] = None

    @strawberry.field
    def latest_status(self) -> ExecutionStatusEntry:
        if self.latest is not None:
            return self.latest
        return self.status_log[-1] if self.status_log else ExecutionStatusEntry(
            status=self.status, percent_complete=self.progress, message=None, timestamp=self.updated_at)

    @strawberry.field(description="Seconds from the start of the last attempt to its end (or now)")
    def duration(self) -> float | None:
        if self.started_at is None:
            return None
        return ((self.finished_at or utcnow()) - self.started_at).total_seconds()

    @strawberry.field(description="The worker holding the lease while IN_PROGRESS")
    def worker_id(self) -> str | None:
        return self.lease_owner


@register(EntityMap(
    "ExecutionLogLine", "log", m.ExecutionLog.__table__,
    _cols("id", "attempt", "seq", "stream", "level", "text", "execution_id", "service_id", "project_id", time="at"),
    default_order=("at",),
    converters={"stream": LogStream, "level": lambda v: LogLevel(v) if v else None},
))
@strawberry.type(description="One line an execution's function printed or logged (engine/logs.py)")
class ExecutionLogLine:
    id: strawberry.ID
    time: datetime = strawberry.field(description="When the function wrote it")
    stream: LogStream
    level: LogLevel | None = strawberry.field(description="For logged lines; printed ones have none")
    text: str
    attempt: int = strawberry.field(description="The attempt that wrote it (1 for the first)")
    seq: int = strawberry.field(description="Its place in the execution's log: 1, 2, … in the order lines were "
                                "kept (executionLogs sends them in this order)")
    execution_id: strawberry.ID
    service_id: strawberry.Private[str]
    project_id: strawberry.Private[str]


@strawberry.type(description="An execution leased to a worker, with its input resolved (an Item input arrives as "
                 "the item, not its id)")
class ExecutionClaim:
    execution: Execution
    resolved_input: JSON
    lease_seconds: float
    token: str | None = strawberry.field(description=(
        "A token of the service's bot (its project only), for the function's own calls (context.client): valid "
        "while this attempt runs, revoked when it ends. Shown only here, to the worker holding the lease; a "
        "worker never hands its own token to function code"))


def execution_of_event(p: dict) -> Execution:
    """The execution as of one committed version, from its outbox payload (engine/queue.py ``execution_event``).
    ``input`` and ``statusLog`` are not in events: the subscription reads them when they are selected."""
    latest = p.get("latestStatus")
    return Execution(
        id=p["id"], version=p["version"], function_name=p["functionName"], status=ExecutionStatus(p["status"]),
        progress=p["progress"], input=None, output=p["output"], error=p["error"], attempts=p["attempts"],
        max_attempts=p["maxAttempts"], to_terminate=p["toTerminate"], status_log=[], lease_owner=p["leaseOwner"],
        started_at=_time(p["startedAt"]), finished_at=_time(p["finishedAt"]), created_at=_time(p["createdAt"]),
        updated_at=_time(p["updatedAt"]), service_id=p["serviceId"], trigger_id=p["triggerId"],
        project_id=p["projectId"], latest=status_log_of([latest])[0] if latest else None,
    )


def _time(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


# --- relations (graph/relations.py): each declared once, here because faas owns the child ----------------------
to_many(Project, "packages", Package, "project_id", filter=PackageFilter, where=apply_package_filter)
to_many(Project, "services", Service, "project_id", filter=ServiceFilter, where=apply_service_filter)
to_many(Project, "executions", Execution, "project_id", filter=ExecutionFilter, order=ExecutionOrder,
        where=apply_execution_filter)
to_one(Package, "project", Project, "project_id")
to_many(Package, "services", Service, "package_id", filter=ServiceFilter, where=apply_service_filter)
to_one(Service, "package", Package, "package_id")
to_one(Service, "project", Project, "project_id")
to_many(Service, "triggers", Trigger, "service_id", filter=TriggerFilter, where=apply_trigger_filter)
to_many(Service, "executions", Execution, "service_id", filter=ExecutionFilter, order=ExecutionOrder,
        where=apply_execution_filter)
to_one(Trigger, "service", Service, "service_id")
to_many(Trigger, "executions", Execution, "trigger_id", filter=ExecutionFilter, order=ExecutionOrder,
        where=apply_execution_filter)
to_one(Execution, "service", Service, "service_id")
to_one(Execution, "trigger", Trigger, "trigger_id", optional=True)
to_one(Execution, "project", Project, "project_id")
to_many(Execution, "logs", ExecutionLogLine, "execution_id",
        description="What the function printed and logged, oldest first (at most LABELGRAPH_MAX_LOG_BYTES)")
to_many(Service, "logs", ExecutionLogLine, "service_id", filter=ExecutionLogFilter, where=apply_log_filter,
        description="Its executions' log lines, oldest first")

NODE_TYPES = [Package, Service, Trigger, Execution]
