"""Mutation inputs of the ontology domain."""

from __future__ import annotations

import strawberry

from labelgraph.graph.scalars import JSON
from labelgraph.ontology.commands import AttributeType


@strawberry.input(description='A label to add. A child\'s tag is relative to its parent: {tag: "car"} under '
                  '"vehicle" is "vehicle.car"; a dotted tag at the top ("a.b.c") creates missing ancestors.')
class LabelInput:
    tag: str
    display_name: str | None = None
    color: str | None = strawberry.field(default=None, description="#rrggbb, #rgb or rgb(r, g, b); random if "
                                         "omitted")
    display_data: JSON | None = None
    children: list[LabelInput] | None = None


@strawberry.input
class LabelUpdateInput:
    tag: str = strawberry.field(description="The full dotted tag of the label to change")
    display_name: str | None = None
    color: str | None = None
    display_data: JSON | None = None
    children: list[LabelInput] | None = strawberry.field(default=None, description="Only with upsert")


@strawberry.input
class RecipeCreateInput:
    project_id: strawberry.ID
    title: str
    ontology_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Without it, an ontology of the same title is created (with labels)")
    labels: list[LabelInput] | None = None
    description: str | None = None
    instructions: JSON | None = None


@strawberry.input
class RecipeUpdateInput:
    id: strawberry.ID
    title: str | None = None
    description: str | None = None
    instructions: JSON | None = None
    ontology_ids: list[strawberry.ID] | None = None


@strawberry.input
class IdInput:
    id: strawberry.ID


@strawberry.input
class OntologyCreateInput:
    project_id: strawberry.ID
    title: str
    labels: list[LabelInput] | None = None


@strawberry.input
class OntologyUpdateInput:
    id: strawberry.ID
    title: str | None = None


@strawberry.input
class OntologyLabelsAddInput:
    ontology_id: strawberry.ID
    labels: list[LabelInput]


@strawberry.input
class OntologyLabelsUpdateInput:
    ontology_id: strawberry.ID
    labels: list[LabelUpdateInput]
    upsert: bool = strawberry.field(default=False, description="Add labels that do not exist")


@strawberry.input
class OntologyLabelsDeleteInput:
    ontology_id: strawberry.ID
    tags: list[str] = strawberry.field(description="Full dotted tags; everything below them goes too")


@strawberry.input(description="Move a label under another (or to the top) and/or rename it. The tags below it "
                  "change with it, and so do the labels of annotations in datasets whose recipe uses the ontology.")
class LabelMoveInput:
    ontology_id: strawberry.ID
    tag: str
    new_parent_tag: str | None = strawberry.field(default=None, description="null: to the top of the tree")
    new_name: str | None = None


@strawberry.input
class AttributeRangeInput:
    min: float
    max: float
    step: float | None = None


@strawberry.input
class AttributeInput:
    key: str
    title: str | None = None
    type: AttributeType
    options: list[str] | None = None
    multi: bool | None = False
    range: AttributeRangeInput | None = None
    scope: list[str] | None = strawberry.field(default=None, description='Label tags; default ["*"]')
    optional: bool | None = True


@strawberry.input
class OntologyAttributesUpsertInput:
    ontology_id: strawberry.ID
    attributes: list[AttributeInput]


@strawberry.input
class OntologyAttributesDeleteInput:
    ontology_id: strawberry.ID
    keys: list[str]
