"""Root query fields of the data domain."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from labelgraph.context import Info
from labelgraph.data.content_api import ContentQuery
from labelgraph.data.filters import ITEM, ItemFilter, ItemOrder, item_query
from labelgraph.data.types import Annotation, Dataset, Item, Organization, Project
from labelgraph.errors import Refused
from labelgraph.graph.connection import Connection, root_connection
from labelgraph.graph.filters import check_conditions, order_of
from labelgraph.graph.filterspec import conditions
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.node import load_typed
from labelgraph.graph.pagination import PageArgs, in_ids
from labelgraph.graph.scalars import JSON

MAX_DATASET_IDS = 100


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

    @strawberry.field(description="Items across the datasets the caller can read (only its projects'), optionally "
                      "narrowed to one project and/or some datasets; filter, dql and orderBy as on Dataset.items")
    async def items(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        dataset_ids: Annotated[list[strawberry.ID] | None, strawberry.argument(
            description=f"at most {MAX_DATASET_IDS}")] = None,
        filter: ItemFilter | None = None,
        dql: Annotated[JSON | None, strawberry.argument(
            description="A DQL document or its filter part (README, Filters); ANDed with filter")] = None,
        order_by: list[ItemOrder] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Item]:
        ctx = info.context
        table = ITEM.table
        where = []
        if project_id is not None:
            if await load_typed(info, "Project", project_id) is None:
                raise Refused("NOT_FOUND", f"projectId: no project {project_id!r} you can read",
                              argument="projectId")
            where.append(table.c.project_id == project_id)
        if dataset_ids is not None:
            if len(dataset_ids) > MAX_DATASET_IDS:
                raise Refused("LIMIT_EXCEEDED", f"datasetIds: at most {MAX_DATASET_IDS} ids, got "
                              f"{len(dataset_ids)}", argument="datasetIds", maximum=MAX_DATASET_IDS)
            found = await asyncio.gather(*(load_typed(info, "Dataset", i) for i in dataset_ids))
            missing = [i for i, d in zip(dataset_ids, found, strict=True) if d is None]
            if missing:
                raise Refused("NOT_FOUND", f"datasetIds: no dataset {missing[0]!r} you can read",
                              argument="datasetIds")
            where.append(in_ids(table.c.dataset_id, list(dataset_ids), ctx.db.dialect))
        if filter is not None:
            check_conditions(filter)
        node, order = item_query(filter, dql, order_by)
        where += conditions(node, ITEM, ctx.db.dialect)
        return root_connection(ctx, ENTITIES["Item"], PageArgs(first, after, last, before), where, order)
