"""Root query fields of the execution plane."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.faas.filters import ExecutionFilter, ExecutionOrder, apply_execution_filter
from labelgraph.faas.types import Execution, Package, Service, Trigger
from labelgraph.graph.connection import Connection, root_connection
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.node import load_typed
from labelgraph.graph.pagination import PageArgs


@strawberry.type
class FaasQuery:
    @strawberry.field
    async def package(self, info: Info, id: strawberry.ID) -> Package | None:
        return await load_typed(info, "Package", id)

    @strawberry.field
    async def service(self, info: Info, id: strawberry.ID) -> Service | None:
        return await load_typed(info, "Service", id)

    @strawberry.field
    async def trigger(self, info: Info, id: strawberry.ID) -> Trigger | None:
        return await load_typed(info, "Trigger", id)

    @strawberry.field
    async def execution(self, info: Info, id: strawberry.ID) -> Execution | None:
        return await load_typed(info, "Execution", id)

    @strawberry.field(description="Executions you can see, across projects (filter by projectId, serviceId, "
                      "triggerId, statuses)")
    def executions(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                   before: str | None = None, filter: ExecutionFilter | None = None,
                   order_by: list[ExecutionOrder] | None = None) -> Connection[Execution]:
        return root_connection(info.context, ENTITIES["Execution"], PageArgs(first, after, last, before),
                               apply_execution_filter(filter), order_of(order_by))
