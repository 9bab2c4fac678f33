"""Mutation inputs of the execution plane."""

from __future__ import annotations

from datetime import datetime

import strawberry

from labelgraph.faas.commands import (
    CodebaseType,
    FunctionIOType,
    OnResetAction,
    TriggerAction,
    TriggerExecutionMode,
    TriggerResource,
)
from labelgraph.faas.filters import LogLevel, LogStream
from labelgraph.graph.scalars import JSON, Long


@strawberry.input(description="IMPORT: reference module:Class importable by the worker. ARCHIVE: a zip or tar "
                  "(base64) stored by the server; reference names module:Class inside it (e.g. main:ServiceRunner)")
class CodebaseInput:
    type: CodebaseType = CodebaseType.IMPORT
    reference: str
    archive: str | None = strawberry.field(default=None, description="The archive, base64-encoded")
    filename: str | None = strawberry.field(default=None, description="codebase.zip by default; .zip .tar .tar.gz")


@strawberry.input
class FunctionIOInput:
    type: FunctionIOType
    name: str | None = strawberry.field(default=None, description="Default: item, dataset, annotation … by type, "
                                        "else config")
    is_list: bool = strawberry.field(default=False, description="A list of the type (Item[])")
    description: str | None = None
    default_value: JSON | None = strawberry.field(default=strawberry.UNSET,
                                                  description="Makes the input optional (null is a default too)")


@strawberry.input
class PackageFunctionInput:
    name: str | None = strawberry.field(default="run")
    description: str | None = None
    display_name: str | None = None
    inputs: list[FunctionIOInput] | None = None
    outputs: list[FunctionIOInput] | None = None


@strawberry.input
class PackageModuleInput:
    name: str | None = strawberry.field(default="default_module")
    reference: str | None = strawberry.field(default=None, description="module:Class, if not the codebase's")
    init_inputs: list[FunctionIOInput] | None = None
    functions: list[PackageFunctionInput]


@strawberry.input
class PackageCreateInput:
    project_id: strawberry.ID
    name: str
    codebase: CodebaseInput
    modules: list[PackageModuleInput]
    version: str | None = None
    metadata: JSON | None = None


@strawberry.input(description="A new revision of the package with the given parts changed")
class PackageUpdateInput:
    id: strawberry.ID
    codebase: CodebaseInput | None = None
    modules: list[PackageModuleInput] | None = None
    version: str | None = None
    metadata: JSON | None = None


@strawberry.input
class ServiceCreateInput:
    package_id: strawberry.ID
    name: str | None = strawberry.field(default=None, description="Default: the package name")
    package_revision: int | None = strawberry.field(default=None, description="Default: the newest")
    module_name: str | None = strawberry.field(default=None, description="Default: the package's first module")
    init_params: JSON | None = None
    concurrency: int | None = strawberry.field(default=None, description="Default 10")
    max_attempts: int | None = strawberry.field(default=None, description="Default 3")
    execution_timeout: int | None = strawberry.field(default=None, description="Seconds, default 3600")
    drain_time: int | None = strawberry.field(default=None, description="Seconds, default 600")
    on_reset: OnResetAction | None = None
    active: bool | None = True



@strawberry.input
class ServiceUpdateInput:
    id: strawberry.ID
    name: str | None = None
    package_revision: int | None = None
    init_params: JSON | None = None
    concurrency: int | None = None
    max_attempts: int | None = None
    execution_timeout: int | None = None
    drain_time: int | None = None
    on_reset: OnResetAction | None = None
    active: bool | None = None


@strawberry.input
class TriggerCreateInput:
    service_id: strawberry.ID
    name: str | None = strawberry.field(default=None, description="Default: the service name")
    function_name: str | None = "run"
    resource: TriggerResource | None = strawberry.field(default=None, description="Event triggers; default ITEM")
    actions: list[TriggerAction] | None = strawberry.field(default=None, description="Default [CREATED]")
    execution_mode: TriggerExecutionMode | None = strawberry.field(default=None, description="Default ONCE")
    filter: JSON | None = strawberry.field(default=None, description="The item filter language as JSON")
    cron: str | None = strawberry.field(default=None, description="A cron trigger: 5 fields, or 6 with seconds")
    start_at: datetime | None = None
    end_at: datetime | None = None
    input: JSON | None = None
    active: bool | None = True


@strawberry.input
class TriggerUpdateInput:
    id: strawberry.ID
    name: str | None = None
    function_name: str | None = None
    resource: TriggerResource | None = None
    actions: list[TriggerAction] | None = None
    execution_mode: TriggerExecutionMode | None = None
    filter: JSON | None = None
    cron: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    input: JSON | None = None
    active: bool | None = None


@strawberry.input
class FaasDeleteInput:
    id: strawberry.ID
    confirm: bool = False


@strawberry.input
class FaasIdInput:
    id: strawberry.ID


@strawberry.input
class ExecutionCreateInput:
    service_id: strawberry.ID
    function_name: str | None = "run"
    input: JSON | None = strawberry.field(default=None, description="Keyed by the function's input names; an Item "
                                          "input takes the item id or {item_id}")
    item_id: strawberry.ID | None = strawberry.field(default=None, description="Shortcut: the function's Item input "
                                                     "(the most specific of annotationId > itemId > datasetId wins; "
                                                     "the others must agree with it)")
    dataset_id: strawberry.ID | None = strawberry.field(default=None, description="Shortcut: the function's Dataset "
                                                        "input")
    annotation_id: strawberry.ID | None = strawberry.field(default=None, description="Shortcut: the function's "
                                                           "Annotation input")
    wait: bool = strawberry.field(default=False, description="Answer when the execution has ended (or after "
                                  "timeoutSec, with its current state and a TIMEOUT error)")
    timeout_sec: int | None = strawberry.field(default=None, description="With wait: seconds to wait, 1 to 300 "
                                               "(default 60)")


@strawberry.input
class ExecutionIdInput:
    id: strawberry.ID
    wait: bool = strawberry.field(default=False, description="executionRerun and executionTerminate: answer when "
                                  "the execution has ended (or after timeoutSec, with a TIMEOUT error)")
    timeout_sec: int | None = strawberry.field(default=None, description="With wait: seconds to wait, 1 to 300 "
                                               "(default 60)")


@strawberry.input(description="Lease queued executions (workers)")
class ExecutionsClaimInput:
    worker_id: str
    service_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Default: every active service you may work for")
    max: int = 1
    lease_seconds: float = 30.0
    wait_seconds: float = strawberry.field(default=0.0, description="Wait up to this long (≤ 30) for work when "
                                           "none is queued")


@strawberry.input
class ExecutionHeartbeatInput:
    id: strawberry.ID
    worker_id: str
    lease_seconds: float = 30.0


@strawberry.input
class ExecutionProgressInput:
    id: strawberry.ID
    worker_id: str
    percent_complete: int | None = None
    message: str | None = None
    lease_seconds: float | None = None


@strawberry.input
class ExecutionCompleteInput:
    id: strawberry.ID
    worker_id: str
    output: JSON | None = None


@strawberry.input(description="One execution of executionsComplete: its id and the function's output")
class ExecutionCompletionInput:
    id: strawberry.ID
    output: JSON | None = None


@strawberry.input(description="Complete many executions leased by one worker at once (workers)")
class ExecutionsCompleteInput:
    worker_id: str
    completions: list[ExecutionCompletionInput] = strawberry.field(
        description="At most 100; each must be leased by workerId")


@strawberry.input
class ExecutionFailInput:
    id: strawberry.ID
    worker_id: str
    error: str
    details: JSON | None = None


@strawberry.input
class ExecutionReleaseInput:
    id: strawberry.ID
    worker_id: str


@strawberry.input(description="One line a function printed or logged")
class ExecutionLogLineInput:
    time: datetime | None = strawberry.field(default=None, description="When it was written (now if not given)")
    stream: LogStream
    level: LogLevel | None = None
    text: str


@strawberry.input
class ExecutionLogsAppendInput:
    id: strawberry.ID
    worker_id: str
    lines: list[ExecutionLogLineInput]
    dropped_bytes: Long = strawberry.field(default=0, description="Bytes of output the worker did not send "
                                          "(beyond its limit): counted in the marker line")
