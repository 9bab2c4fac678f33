"""Writes of recipes: a recipe links ontologies; a dataset without one gets a default recipe."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.errors import invalid
from labelgraph.ids import new_id
from labelgraph.ontology.commands import (
    RecipeCreate,
    RecipeDelete,
    RecipeUpdate,
)
from labelgraph.ontology.service.common import ONTOLOGY, PROJECT, RECIPE, RECIPE_ONTOLOGY, touch
from labelgraph.ontology.service.ontologies import new_ontology
from labelgraph.rows import load_for, load_within


async def _check_ontologies(uow: UnitOfWork, project_id: str, ontology_ids: Sequence[str]) -> None:
    await load_within(uow, ONTOLOGY, "Ontology", [(o, ["ontologyIds", str(i)]) for i, o in enumerate(ontology_ids)],
                      [ONTOLOGY.c.project_id == project_id], "in this project")


async def check_recipe(uow: UnitOfWork, recipe_id: str, project_id: str, field: str = "recipeId") -> None:
    """A recipe a dataset or task of ``project_id`` may use: one of that project (NOT_FOUND otherwise)."""
    await load_within(uow, RECIPE, "Recipe", [(recipe_id, [field])], [RECIPE.c.project_id == project_id],
                      "in this project")


async def _link(uow: UnitOfWork, recipe_id: str, project_id: str, ontology_ids: Sequence[str]) -> None:
    await uow.conn.execute(sa.delete(RECIPE_ONTOLOGY).where(RECIPE_ONTOLOGY.c.recipe_id == recipe_id))
    if ontology_ids:
        await uow.conn.execute(sa.insert(RECIPE_ONTOLOGY), [
            {"recipe_id": recipe_id, "ontology_id": o, "project_id": project_id, "position": i}
            for i, o in enumerate(dict.fromkeys(ontology_ids))])


async def create_recipe(uow: UnitOfWork, cmd: RecipeCreate) -> str:
    """A recipe; without ontologyIds an ontology of the same title (with ``labels``) is created for it."""
    project_id, title, ontology_ids = cmd.project_id, cmd.title, cmd.ontology_ids
    description, instructions, labels = cmd.description, cmd.instructions, cmd.labels
    await load_for(uow, PROJECT, project_id, "projectId", "Project", "recipe.write")
    if not title or not title.strip():
        raise invalid("title must not be empty", "title")
    if ontology_ids:
        await _check_ontologies(uow, project_id, ontology_ids)
    else:
        ontology_ids = [await new_ontology(uow, project_id, title.strip(), labels or [])]
    now, id_ = utcnow(), new_id("rcp")
    await uow.conn.execute(sa.insert(RECIPE).values(
        id=id_, project_id=project_id, title=title.strip(), description=description, instructions=instructions,
        ui_settings={"allowObjectIdAutoAssign": True}, metadata={}, created_by=uow.principal_id, created_at=now,
        updated_at=now))
    await _link(uow, id_, project_id, ontology_ids)
    touch(uow, "recipe", "created", id_, project_id)
    return id_


async def create_default_recipe(uow: UnitOfWork, project_id: str, dataset_name: str) -> str:
    """What a new dataset gets when no recipe is given: "<name> Default Recipe" with an empty ontology."""
    now = utcnow()
    ontology_id, recipe_id = new_id("ont"), new_id("rcp")
    await uow.conn.execute(sa.insert(ONTOLOGY).values(
        id=ontology_id, project_id=project_id, title=f"{dataset_name} Default Ontology", metadata={},
        created_by=uow.principal_id, created_at=now, updated_at=now))
    await uow.conn.execute(sa.insert(RECIPE).values(
        id=recipe_id, project_id=project_id, title=f"{dataset_name} Default Recipe", description=None,
        instructions=None, ui_settings={"allowObjectIdAutoAssign": True}, metadata={}, created_by=uow.principal_id,
        created_at=now, updated_at=now))
    await _link(uow, recipe_id, project_id, [ontology_id])
    return recipe_id


async def update_recipe(uow: UnitOfWork, cmd: RecipeUpdate) -> str:
    id_, title, description, instructions, ontology_ids = (cmd.id, cmd.title, cmd.description, cmd.instructions,
                                                           cmd.ontology_ids)
    row = await load_for(uow, RECIPE, id_, "id", "Recipe", "recipe.write")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if title is not None:
        if not title.strip():
            raise invalid("title must not be empty", "title")
        values["title"] = title.strip()
    if description is not None:
        values["description"] = description or None
    if instructions is not None:
        values["instructions"] = instructions
    if ontology_ids is not None:
        if not ontology_ids:
            raise invalid("a recipe needs at least one ontology", "ontologyIds")
        await _check_ontologies(uow, row.project_id, ontology_ids)
        await _link(uow, id_, row.project_id, ontology_ids)
    await uow.conn.execute(sa.update(RECIPE).where(RECIPE.c.id == id_).values(**values))
    touch(uow, "recipe", "updated", id_, row.project_id)
    return id_


async def delete_recipe(uow: UnitOfWork, cmd: RecipeDelete) -> str:
    """Datasets using the recipe keep their data and have no recipe afterwards (no label validation)."""
    id_ = cmd.id
    row = await load_for(uow, RECIPE, id_, "id", "Recipe", "recipe.write")
    await uow.conn.execute(sa.delete(RECIPE).where(RECIPE.c.id == id_))
    touch(uow, "recipe", "deleted", id_, row.project_id)
    return id_
