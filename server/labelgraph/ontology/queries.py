"""Root query fields of the ontology domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.node import load_typed
from labelgraph.ontology.types import Label, Ontology, Recipe


@strawberry.type
class OntologyQuery:
    @strawberry.field
    async def recipe(self, info: Info, id: strawberry.ID) -> Recipe | None:
        return await load_typed(info, "Recipe", id)

    @strawberry.field
    async def ontology(self, info: Info, id: strawberry.ID) -> Ontology | None:
        return await load_typed(info, "Ontology", id)

    @strawberry.field
    async def label(self, info: Info, id: strawberry.ID) -> Label | None:
        return await load_typed(info, "Label", id)
