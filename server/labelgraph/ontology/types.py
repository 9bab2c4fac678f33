"""GraphQL types of the ontology domain: Recipe, Ontology, Label (a tree by dotted tag), AttributeDefinition."""

from __future__ import annotations

from datetime import datetime

import strawberry

from labelgraph.context import Info
from labelgraph.graph.connection import Loader, list_loader
from labelgraph.graph.mapping import ENTITIES, EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.pagination import Through
from labelgraph.graph.relations import columns, to_many, to_one
from labelgraph.graph.scalars import JSON
from labelgraph.identity.types import Project
from labelgraph.ontology import models as m
from labelgraph.ontology.commands import AttributeType

RECIPE_ONTOLOGY = Through(m.RecipeOntology.__table__, "recipe_id", "ontology_id")


strawberry.enum(
    AttributeType,
    description="checkbox = OPTIONS with multi; radio button = OPTIONS without; YES_NO is boolean",
)


@strawberry.type
class AttributeRange:
    min: float
    max: float
    step: float | None


@register(EntityMap("AttributeDefinition", "att", m.AttributeDefinition.__table__,
                    columns("id", "key", "title", "type", "multi", "values", "range_min", "range_max", "range_step",
                            "scope", "optional", "ontology_id"),
                    converters={"type": AttributeType}))
@strawberry.type(description="An attribute annotations of some labels carry (annotation.attributes[key])")
class AttributeDefinition(Node):
    id: strawberry.ID
    key: str
    title: str
    type: AttributeType
    multi: bool
    values: strawberry.Private[list | None]
    range_min: strawberry.Private[float | None]
    range_max: strawberry.Private[float | None]
    range_step: strawberry.Private[float | None]
    scope: list[str] = strawberry.field(description='Label tags it applies to (and below them); ["*"]: all')
    optional: bool
    ontology_id: strawberry.Private[str]

    @strawberry.field(description="The choices of an OPTIONS attribute")
    def options(self) -> list[str] | None:
        return self.values

    @strawberry.field
    def range(self) -> AttributeRange | None:
        if self.range_min is None or self.range_max is None:
            return None
        return AttributeRange(min=self.range_min, max=self.range_max, step=self.range_step)


@register(EntityMap("Label", "lbl", m.Label.__table__,
                    columns("id", "tag", "display_name", "color", "display_data", "ontology_id", "parent_id",
                            "position")))
@strawberry.type(description="A label: a node of an ontology's tree, named by its dotted tag (vehicle.car)")
class Label(Node):
    id: strawberry.ID
    tag: str = strawberry.field(description='The full dotted path, the string annotations use: "vehicle.car"')
    display_name: str
    color: str = strawberry.field(description="#rrggbb")
    display_data: JSON | None
    ontology_id: strawberry.Private[str]
    parent_id: strawberry.Private[str | None]
    position: strawberry.Private[int]

    @strawberry.field(description='The last part of the tag: "car"')
    def name(self) -> str:
        return self.tag.rsplit(".", 1)[-1]

    @strawberry.field
    async def children(self, info: Info) -> list[Label]:
        return (await label_tree(info, self.ontology_id)).children.get(self.id, [])


class LabelTree:
    def __init__(self, labels: list[Label]) -> None:
        self.labels = labels
        self.children: dict[str, list[Label]] = {}
        self.roots: list[Label] = []
        for label in labels:
            (self.children.setdefault(label.parent_id, []) if label.parent_id else self.roots).append(label)

    def instance_map(self) -> dict[str, int]:
        return {tag: i + 1 for i, tag in enumerate(sorted(label.tag for label in self.labels))}


async def label_tree(info: Info, ontology_id: str) -> LabelTree:
    """The whole label tree of an ontology, one statement for all ontologies of the request level."""
    ctx = info.context

    async def batch(ids: list[str]) -> list[LabelTree]:
        lists = await list_loader(ctx, ENTITIES["Label"], "ontology_id", ("position", "id")).load_many(ids)
        return [LabelTree(labels) for labels in lists]

    return await ctx.loader(("label-tree",), lambda: Loader(batch)).load(ontology_id)


@register(EntityMap("Ontology", "ont", m.Ontology.__table__,
                    columns("id", "title", "created_at", "updated_at", metadata="metadata")))
@strawberry.type(description="A label tree with attribute definitions")
class Ontology(Node):
    id: strawberry.ID
    title: str
    metadata: JSON
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The roots of the label tree (each with its children)")
    async def labels(self, info: Info) -> list[Label]:
        return (await label_tree(info, self.id)).roots

    @strawberry.field(description="Every label, flat, in tree order")
    async def all_labels(self, info: Info) -> list[Label]:
        return (await label_tree(info, self.id)).labels

    @strawberry.field(description="Sorted label tags → 1..N (pixel values of instance masks)")
    async def instance_map(self, info: Info) -> JSON:
        return (await label_tree(info, self.id)).instance_map()

    @strawberry.field
    async def attributes(self, info: Info) -> list[AttributeDefinition]:
        return await list_loader(info.context, ENTITIES["AttributeDefinition"], "ontology_id",
                                 ("position", "id")).load(self.id)


@register(EntityMap("Recipe", "rcp", m.Recipe.__table__,
                    columns("id", "title", "description", "instructions", "ui_settings", "project_id", "created_at",
                            "updated_at", metadata="metadata")))
@strawberry.type(description="How a dataset is annotated: its ontologies (normally one) and instructions")
class Recipe(Node):
    id: strawberry.ID
    title: str
    description: str | None
    instructions: JSON | None
    ui_settings: JSON
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    project_id: strawberry.Private[str]

    @strawberry.field
    async def ontologies(self, info: Info) -> list[Ontology]:
        return await recipe_ontologies(info, self.id)


async def recipe_ontologies(info: Info, recipe_id: str | None) -> list[Ontology]:
    if recipe_id is None:
        return []
    return await list_loader(info.context, ENTITIES["Ontology"], RECIPE_ONTOLOGY, ("position",)).load(recipe_id)


async def dataset_labels(info: Info, recipe_id: str | None) -> tuple[list[Label], dict[str, int]]:
    """(roots of the recipe's first ontology, instance map over all its ontologies)."""
    ontologies = await recipe_ontologies(info, recipe_id)
    if not ontologies:
        return [], {}
    trees = [await label_tree(info, o.id) for o in ontologies]
    tags = sorted({label.tag for tree in trees for label in tree.labels})
    return trees[0].roots, {tag: i + 1 for i, tag in enumerate(tags)}


# --- relations (graph/relations.py): each declared once, here because ontology owns the child -------------------
to_many(Project, "recipes", Recipe, "project_id")
to_many(Project, "ontologies", Ontology, "project_id")
to_one(Label, "parent", Label, "parent_id", optional=True)
to_one(Label, "ontology", Ontology, "ontology_id")
to_one(Recipe, "project", Project, "project_id")

NODE_TYPES = [Recipe, Ontology, Label, AttributeDefinition]
