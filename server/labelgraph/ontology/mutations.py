"""Mutations of the ontology domain."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.errors import UserError
from labelgraph.graph.mutations import run_write
from labelgraph.graph.relations import load_one
from labelgraph.ontology import service
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


def _attribute_spec(a):
    a.type = a.type.value
    return a


@strawberry.type
class OntologyMutation:
    @strawberry.mutation(description="A recipe; without ontologyIds an ontology of the same title is created")
    async def recipe_create(self, info: Info, input: RecipeCreateInput) -> RecipePayload:
        id_, errors = await run_write(info, lambda uow: service.create_recipe(
            uow, input.project_id, input.title, input.ontology_ids, input.description, input.instructions,
            input.labels))
        return RecipePayload(recipe=await load_one(info, "Recipe", id_), errors=errors)

    @strawberry.mutation
    async def recipe_update(self, info: Info, input: RecipeUpdateInput) -> RecipePayload:
        id_, errors = await run_write(info, lambda uow: service.update_recipe(
            uow, input.id, input.title, input.description, input.instructions, input.ontology_ids))
        return RecipePayload(recipe=await load_one(info, "Recipe", id_), errors=errors)

    @strawberry.mutation(description="Datasets using it keep their data and have no recipe afterwards")
    async def recipe_delete(self, info: Info, input: IdInput) -> OntologyDeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_recipe(uow, input.id))
        return OntologyDeletePayload(deleted_id=id_, errors=errors)

    @strawberry.mutation
    async def ontology_create(self, info: Info, input: OntologyCreateInput) -> OntologyPayload:
        id_, errors = await run_write(info, lambda uow: service.create_ontology_in(
            uow, input.project_id, input.title, input.labels or []))
        return OntologyPayload(ontology=await load_one(info, "Ontology", id_), errors=errors)

    @strawberry.mutation
    async def ontology_update(self, info: Info, input: OntologyUpdateInput) -> OntologyPayload:
        id_, errors = await run_write(info, lambda uow: service.update_ontology(uow, input.id, input.title))
        return OntologyPayload(ontology=await load_one(info, "Ontology", id_), errors=errors)

    @strawberry.mutation
    async def ontology_delete(self, info: Info, input: IdInput) -> OntologyDeletePayload:
        id_, errors = await run_write(info, lambda uow: service.delete_ontology(uow, input.id))
        return OntologyDeletePayload(deleted_id=id_, errors=errors)

    @strawberry.mutation(description="Add labels (with nested children) in one transaction")
    async def ontology_labels_add(self, info: Info, input: OntologyLabelsAddInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.add_labels(uow, input.ontology_id, input.labels))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)

    @strawberry.mutation(description="Change labels by tag; with upsert, add the missing ones")
    async def ontology_labels_update(self, info: Info, input: OntologyLabelsUpdateInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.update_labels(uow, input.ontology_id, input.labels,
                                                                           input.upsert))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)

    @strawberry.mutation(description="Delete labels and everything below them")
    async def ontology_labels_delete(self, info: Info, input: OntologyLabelsDeleteInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.delete_labels(uow, input.ontology_id, input.tags))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)

    @strawberry.mutation
    async def label_move(self, info: Info, input: LabelMoveInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.move_label(
            uow, input.ontology_id, input.tag, input.new_parent_tag, input.new_name))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)

    @strawberry.mutation(description="Create or replace attribute definitions by key")
    async def ontology_attributes_upsert(self, info: Info, input: OntologyAttributesUpsertInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.upsert_attributes(
            uow, input.ontology_id, [_attribute_spec(a) for a in input.attributes]))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)

    @strawberry.mutation
    async def ontology_attributes_delete(self, info: Info, input: OntologyAttributesDeleteInput) -> OntologyPayload:
        _, errors = await run_write(info, lambda uow: service.delete_attributes(uow, input.ontology_id, input.keys))
        return OntologyPayload(ontology=None if errors else await load_one(info, "Ontology", input.ontology_id),
                               errors=errors)
