"""What the execution plane's service is asked to do: typed, immutable commands built by ``faas/mutations.py``
from the GraphQL inputs. No strawberry here; enums are plain Python enums (values: the platform's wire names)
that ``types.py`` registers with GraphQL."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Json = Any  # a decoded JSON value, checked by jsonvalues on the way in

command = dataclass(frozen=True, kw_only=True, slots=True)


class CodebaseType(enum.Enum):
    IMPORT = "import"
    ARCHIVE = "archive"


class FunctionIOType(enum.Enum):
    ITEM = "Item"
    DATASET = "Dataset"
    ANNOTATION = "Annotation"
    EXECUTION = "Execution"
    TASK = "Task"
    ASSIGNMENT = "Assignment"
    SERVICE = "Service"
    PACKAGE = "Package"
    PROJECT = "Project"
    RECIPE = "Recipe"
    MODEL = "Model"
    JSON = "Json"
    STRING = "String"
    NUMBER = "Number"
    INTEGER = "Integer"
    FLOAT = "Float"
    BOOLEAN = "Boolean"


class OnResetAction(enum.Enum):
    FAILED = "failed"
    RERUN = "rerun"


class TriggerResource(enum.Enum):
    ITEM = "item"
    DATASET = "dataset"
    ANNOTATION = "annotation"
    ITEM_STATUS = "item_status"
    TASK = "task"
    ASSIGNMENT = "assignment"


class TriggerAction(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    STATUS_CHANGED = "status_changed"
    CLONE = "clone"


class TriggerExecutionMode(enum.Enum):
    ONCE = "once"
    ALWAYS = "always"



@command
class Codebase:
    """IMPORT: ``reference`` (module:Class) importable by the worker. ARCHIVE: an uploaded zip or tar."""

    type: CodebaseType = CodebaseType.IMPORT
    reference: str
    archive: str | None = None  # base64
    filename: str | None = None


@command
class FunctionIO:
    type: FunctionIOType
    name: str | None = None  # default: item, dataset, annotation … by type, config otherwise
    is_list: bool = False
    description: str | None = None
    has_default: bool = False  # a default value was given (even null)
    default_value: Json = None


@command
class PackageFunction:
    name: str | None = "run"
    description: str | None = None
    display_name: str | None = None
    inputs: Sequence[FunctionIO] | None = None
    outputs: Sequence[FunctionIO] | None = None


@command
class PackageModule:
    name: str | None = "default_module"
    reference: str | None = None  # module:Class, if not the codebase's
    init_inputs: Sequence[FunctionIO] | None = None
    functions: Sequence[PackageFunction]


@command
class PackageCreate:
    project_id: str
    name: str
    codebase: Codebase
    modules: Sequence[PackageModule]
    version: str | None = None
    metadata: Json = None
    import_modules: tuple[str, ...]  # what IMPORT codebases may name (settings.import_modules)


@command
class PackageUpdate:
    """A new revision with the given parts changed."""

    id: str
    codebase: Codebase | None = None
    modules: Sequence[PackageModule] | None = None
    version: str | None = None
    metadata: Json = None
    import_modules: tuple[str, ...]


@command
class Delete:
    """Delete a package or a service with what hangs off it: ``confirm`` must be true."""

    id: str
    confirm: bool = False


@command
class ServiceCreate:
    package_id: str
    name: str | None = None  # default: the package name
    package_revision: int | None = None  # default: the newest
    module_name: str | None = None  # default: the package's first module
    init_params: Json = None
    concurrency: int | None = None
    max_attempts: int | None = None
    execution_timeout: int | None = None
    drain_time: int | None = None
    on_reset: OnResetAction | None = None
    active: bool | None = True


@command
class ServiceUpdate:
    id: str
    name: str | None = None
    package_revision: int | None = None
    init_params: Json = None
    concurrency: int | None = None
    max_attempts: int | None = None
    execution_timeout: int | None = None
    drain_time: int | None = None
    on_reset: OnResetAction | None = None
    active: bool | None = None


@command
class ServiceActivate:
    """Pause (``active=False``: nothing is claimed, no trigger fires) or resume a service."""

    id: str
    active: bool


@command
class TriggerCreate:
    service_id: str
    name: str | None = None  # default: the service name
    function_name: str | None = "run"
    resource: TriggerResource | None = None
    actions: Sequence[TriggerAction] | None = None
    execution_mode: TriggerExecutionMode | None = None
    filter: Json = None  # the item filter language
    cron: str | None = None  # a cron trigger
    start_at: datetime | None = None
    end_at: datetime | None = None
    input: Json = None
    active: bool | None = True


@command
class TriggerUpdate:
    id: str
    name: str | None = None
    function_name: str | None = None
    resource: TriggerResource | None = None
    actions: Sequence[TriggerAction] | None = None
    execution_mode: TriggerExecutionMode | None = None
    filter: Json = None
    cron: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    input: Json = None
    active: bool | None = None


@command
class TriggerDelete:
    id: str


@command
class ExecutionCreate:
    """Queue a function run; ``input`` is checked against the function's signature."""

    service_id: str
    function_name: str | None = "run"
    input: Json = None
    item_id: str | None = None  # shortcut inputs (domain.md §5.5): the most specific one fills its entity input
    dataset_id: str | None = None
    annotation_id: str | None = None


@command
class LogLine:
    time: datetime | None = None  # when the function wrote it (now if not given)
    stream: str  # stdout | stderr | log
    level: str | None = None  # DEBUG … CRITICAL, for ``logging`` records
    text: str


@command
class ExecutionLogsAppend:
    """Workers: lines the function of an execution this worker holds printed or logged, oldest first; the plane
    keeps up to ``max_bytes`` per execution (LABELGRAPH_MAX_LOG_BYTES), ``dropped_bytes`` the worker did not ship."""

    id: str
    worker_id: str
    lines: list[LogLine]
    dropped_bytes: int = 0
    max_bytes: int
