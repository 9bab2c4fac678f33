"""Mutations of the ontology domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.errors import UserError
from labelgraph.graph.mutations import command_from, mutate, node, value
from labelgraph.ontology import service
from labelgraph.ontology.commands import (
    Attribute,
    AttributeRange,
    AttributesDelete,
    AttributesUpsert,
    LabelMove,
    LabelsAdd,
    LabelsDelete,
    LabelsUpdate,
    LabelUpdate,
    NewLabel,
    OntologyCreate,
    OntologyDelete,
    OntologyUpdate,
    RecipeCreate,
    RecipeDelete,
    RecipeUpdate,
)
from labelgraph.ontology.inputs import (
    IdInput,
    LabelMoveInput,
    OntologyAttributesDeleteInput,
    OntologyAttributesUpsertInput,
    OntologyCreateInput,
    OntologyLabelsAddInput,
    OntologyLabelsDeleteInput,
    OntologyLabelsUpdateInput,
    OntologyUpdateInput,
    RecipeCreateInput,
    RecipeUpdateInput,
)
from labelgraph.ontology.types import Ontology, Recipe


@strawberry.type
class RecipePayload:
    recipe: Recipe | None
    errors: list[UserError]


@strawberry.type
class OntologyPayload:
    ontology: Ontology | None
    errors: list[UserError]


@strawberry.type
class OntologyDeletePayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]


def _new_labels(labels) -> list[NewLabel]:
    return [NewLabel(tag=label.tag, display_name=label.display_name, color=label.color,
                     display_data=label.display_data, children=_new_labels(label.children or []) or None)
            for label in labels or []]


def _attribute(a) -> Attribute:
    return command_from(Attribute, a, range=None if a.range is None else command_from(AttributeRange, a.range))


def _ontology(ontology_id: str):
    """The payload's ontology: the one the labels or attributes changed in."""
    return node("Ontology", lambda _: ontology_id)


@strawberry.type
class OntologyMutation:
    @strawberry.mutation(description="A recipe; without ontologyIds an ontology of the same title is created")
    async def recipe_create(self, info: Info, input: RecipeCreateInput) -> RecipePayload:
        command = command_from(RecipeCreate, input, labels=_new_labels(input.labels) if input.labels else None)
        return await mutate(info, RecipePayload, service.create_recipe, command, recipe=node("Recipe"))

    @strawberry.mutation
    async def recipe_update(self, info: Info, input: RecipeUpdateInput) -> RecipePayload:
        return await mutate(info, RecipePayload, service.update_recipe, command_from(RecipeUpdate, input),
                            recipe=node("Recipe"))

    @strawberry.mutation(description="Datasets using it keep their data and have no recipe afterwards")
    async def recipe_delete(self, info: Info, input: IdInput) -> OntologyDeletePayload:
        return await mutate(info, OntologyDeletePayload, service.delete_recipe, RecipeDelete(id=input.id),
                            deleted_id=value())

    @strawberry.mutation
    async def ontology_create(self, info: Info, input: OntologyCreateInput) -> OntologyPayload:
        command = OntologyCreate(project_id=input.project_id, title=input.title, labels=_new_labels(input.labels))
        return await mutate(info, OntologyPayload, service.create_ontology, command, ontology=node("Ontology"))

    @strawberry.mutation
    async def ontology_update(self, info: Info, input: OntologyUpdateInput) -> OntologyPayload:
        return await mutate(info, OntologyPayload, service.update_ontology, command_from(OntologyUpdate, input),
                            ontology=node("Ontology"))

    @strawberry.mutation
    async def ontology_delete(self, info: Info, input: IdInput) -> OntologyDeletePayload:
        return await mutate(info, OntologyDeletePayload, service.delete_ontology, OntologyDelete(id=input.id),
                            deleted_id=value())

    @strawberry.mutation(description="Add labels (with nested children) in one transaction")
    async def ontology_labels_add(self, info: Info, input: OntologyLabelsAddInput) -> OntologyPayload:
        command = LabelsAdd(ontology_id=input.ontology_id, labels=_new_labels(input.labels))
        return await mutate(info, OntologyPayload, service.add_labels, command, ontology=_ontology(input.ontology_id))

    @strawberry.mutation(description="Change labels by tag; with upsert, add the missing ones")
    async def ontology_labels_update(self, info: Info, input: OntologyLabelsUpdateInput) -> OntologyPayload:
        labels = [command_from(LabelUpdate, label, children=_new_labels(label.children) or None)
                  for label in input.labels]
        command = LabelsUpdate(ontology_id=input.ontology_id, labels=labels, upsert=input.upsert)
        return await mutate(info, OntologyPayload, service.update_labels, command,
                            ontology=_ontology(input.ontology_id))

    @strawberry.mutation(description="Delete labels and everything below them")
    async def ontology_labels_delete(self, info: Info, input: OntologyLabelsDeleteInput) -> OntologyPayload:
        return await mutate(info, OntologyPayload, service.delete_labels, command_from(LabelsDelete, input),
                            ontology=_ontology(input.ontology_id))

    @strawberry.mutation
    async def label_move(self, info: Info, input: LabelMoveInput) -> OntologyPayload:
        return await mutate(info, OntologyPayload, service.move_label, command_from(LabelMove, input),
                            ontology=_ontology(input.ontology_id))

    @strawberry.mutation(description="Create or replace attribute definitions by key")
    async def ontology_attributes_upsert(self, info: Info, input: OntologyAttributesUpsertInput) -> OntologyPayload:
        command = AttributesUpsert(ontology_id=input.ontology_id, attributes=[_attribute(a) for a in input.attributes])
        return await mutate(info, OntologyPayload, service.upsert_attributes, command,
                            ontology=_ontology(input.ontology_id))

    @strawberry.mutation
    async def ontology_attributes_delete(self, info: Info, input: OntologyAttributesDeleteInput) -> OntologyPayload:
        return await mutate(info, OntologyPayload, service.delete_attributes, command_from(AttributesDelete, input),
                            ontology=_ontology(input.ontology_id))
