"""The Node interface and id routing: ``node(id:)`` / ``nodes(ids:)`` resolve any id by its type prefix."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry

from labelgraph.context import Info
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.mapping import BY_PREFIX
from labelgraph.ids import prefix_of


@strawberry.interface(description="An object with a globally unique, opaque id.")
class Node:
    id: strawberry.ID


async def load_node(info: Info, id_: str) -> Any | None:
    prefix = prefix_of(id_)
    emap = BY_PREFIX.get(prefix) if prefix else None
    if emap is None:
        return None
    return await by_id_loader(info.context, emap).load(id_)


async def load_typed(info: Info, type_name: str, id_: str) -> Any | None:
    """Load ``id_`` only if it is an id of ``type_name`` (a dataset id passed as an item id gives None)."""
    prefix = prefix_of(id_)
    emap = BY_PREFIX.get(prefix) if prefix else None
    if emap is None or emap.type_name != type_name:
        return None
    return await by_id_loader(info.context, emap).load(id_)


async def load_nodes(info: Info, ids: list[str]) -> list[Any | None]:
    return list(await asyncio.gather(*(load_node(info, i) for i in ids)))
