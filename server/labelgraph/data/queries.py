"""Root query fields of the data domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.data.content_api import ContentQuery
from labelgraph.data.types import Annotation, Dataset, Item, Organization, Project
from labelgraph.graph.connection import Connection, root_connection
from labelgraph.graph.filters import order_of
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.node import load_typed
from labelgraph.graph.pagination import PageArgs


@strawberry.type
class DataQuery(ContentQuery):
    @strawberry.field(description="The organizations the caller belongs to")
    def organizations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Organization]:
        return root_connection(info.context, ENTITIES["Organization"], PageArgs(first, after, last, before), [],
                               order_of(None))

    @strawberry.field
    async def organization(self, info: Info, id: strawberry.ID) -> Organization | None:
        return await load_typed(info, "Organization", id)

    @strawberry.field
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        return await load_typed(info, "Project", id)

    @strawberry.field
    async def dataset(self, info: Info, id: strawberry.ID) -> Dataset | None:
        return await load_typed(info, "Dataset", id)

    @strawberry.field
    async def item(self, info: Info, id: strawberry.ID) -> Item | None:
        return await load_typed(info, "Item", id)

    @strawberry.field
    async def annotation(self, info: Info, id: strawberry.ID) -> Annotation | None:
        return await load_typed(info, "Annotation", id)
