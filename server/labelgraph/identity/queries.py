"""Root query fields of identity."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.mapping import ENTITIES
from labelgraph.identity.types import User as UserType


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The caller: you, with your organizations, projects and tokens")
    async def me(self, info: Info) -> UserType:
        access = info.context.access
        access.require_user()
        return await by_id_loader(info.context, ENTITIES["User"]).load(access.user_id)
