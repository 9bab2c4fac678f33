"""Root query fields of dataset jobs."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.connection import Connection, root_connection
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.node import load_typed
from labelgraph.graph.pagination import PageArgs
from labelgraph.jobs.types import Command, CommandFilter, apply_command_filter


@strawberry.type
class JobsQuery:
    @strawberry.field(description="A tracked job by id (null when it does not exist or is out of reach)")
    async def command(self, info: Info, id: strawberry.ID) -> Command | None:
        return await load_typed(info, "Command", id)

    @strawberry.field(description="Jobs you can see, newest last (filter by projectId, types, statuses)")
    def commands(self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
                 before: str | None = None, filter: CommandFilter | None = None) -> Connection[Command]:
        return root_connection(info.context, ENTITIES["Command"], PageArgs(first, after, last, before),
                               apply_command_filter(filter), order_of(None))
