"""GraphQL types of dataset jobs: Command (a tracked job) with its declarative map to columns, its filter."""

from __future__ import annotations

import enum
import re
from datetime import datetime

import sqlalchemy as sa
import strawberry

from labelgraph.context import Info
from labelgraph.graph.filters import check_conditions
from labelgraph.graph.mapping import EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.relations import columns as _cols
from labelgraph.graph.relations import to_many, to_one
from labelgraph.graph.scalars import JSON, parse_datetime
from labelgraph.identity.types import Project
from labelgraph.jobs import models as m

COMMAND = m.Command.__table__
BLOB_KEY = re.compile(r"^blobs/[0-9a-f]{2}/([0-9a-f]{64})$")


@strawberry.enum(description="Where a job is: CREATED (queued) → IN_PROGRESS → SUCCESS | FAILED | ABORTED")
class CommandStatus(enum.Enum):
    CREATED = "created"
    IN_PROGRESS = "in-progress"
    SUCCESS = "success"
    FAILED = "failed"
    ABORTED = "aborted"


@strawberry.input(description="Conditions on commands; all given conditions must hold.")
class CommandFilter:
    project_id: strawberry.ID | None = None
    types: list[str] | None = strawberry.field(default=None, description="clone, merge, export, import…")
    statuses: list[CommandStatus] | None = None


def apply_command_filter(f: CommandFilter | None) -> list[sa.ColumnElement]:
    if f is None:
        return []
    check_conditions(f)
    conds: list[sa.ColumnElement] = []
    if f.project_id is not None:
        conds.append(COMMAND.c.project_id == f.project_id)
    if f.types is not None:
        conds.append(COMMAND.c.type.in_(f.types) if f.types else sa.false())
    if f.statuses is not None:
        conds.append(COMMAND.c.status.in_([s.value for s in f.statuses]) if f.statuses else sa.false())
    return conds


@register(EntityMap(
    "Command", "cmd", COMMAND,
    _cols("id", "type", "status", "progress", "message", "error", "result", "blob_key", "version", "project_id",
          "created_at", "updated_at"),
    orders={"CREATED_AT": ("created_at",), "UPDATED_AT": ("updated_at",)},
    converters={"status": CommandStatus},
))
@strawberry.type(description="A tracked dataset job (clone, merge, export, import): queued in the database, run "
                 "by a server process holding its lease; follow it with commandUpdated(id)")
class Command(Node):
    id: strawberry.ID
    type: str
    status: CommandStatus
    progress: int = strawberry.field(description="Percent complete, 0 to 100")
    message: str | None
    error: str | None = strawberry.field(description="Why it FAILED")
    result: JSON | None = strawberry.field(description="What it produced, e.g. {datasetId, items, annotations}")
    version: int = strawberry.field(description="Increases by one with every committed change")
    created_at: datetime
    updated_at: datetime
    blob_key: strawberry.Private[str | None]
    project_id: strawberry.Private[str]

    @strawberry.field(description="Download of its output (an export's zip): signed and expiring, like Item.url")
    async def url(self, info: Info, expires_in: int = 3600) -> str | None:
        found = BLOB_KEY.match(self.blob_key or "")
        if found is None:
            return None
        from labelgraph.data.content import item_url

        return await item_url(info, found.group(1), "application/zip", expires_in)


def command_of_event(p: dict) -> Command:
    """The command as of one committed version, from its outbox payload (jobs/queue.py ``command_event``)."""
    return Command(id=p["id"], type=p["type"], status=CommandStatus(p["status"]), progress=p["progress"],
                   message=p["message"], error=p["error"], result=p["result"], version=p["version"],
                   created_at=parse_datetime(p["createdAt"]), updated_at=parse_datetime(p["updatedAt"]),
                   blob_key=p["blobKey"], project_id=p["projectId"])


to_one(Command, "project", Project, "project_id")
to_many(Project, "commands", Command, "project_id", filter=CommandFilter, where=apply_command_filter)

NODE_TYPES = [Command]
