"""Root query fields of the workflow domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.node import load_typed
from labelgraph.workflow.types import Assignment, Task


@strawberry.type
class WorkflowQuery:
    @strawberry.field
    async def task(self, info: Info, id: strawberry.ID) -> Task | None:
        return await load_typed(info, "Task", id)

    @strawberry.field(description="Annotators reach only their own assignments")
    async def assignment(self, info: Info, id: strawberry.ID) -> Assignment | None:
        return await load_typed(info, "Assignment", id)
