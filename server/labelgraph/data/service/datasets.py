"""Writes of datasets: a new dataset gets a default recipe unless one is given."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import (
    DatasetCreate,
    DatasetUpdate,
    Delete,
)
from labelgraph.data.service.common import DATASET, PROJECT, refuse_version, require_confirm
from labelgraph.data.validation import (
    check_name,
)
from labelgraph.db import UnitOfWork
from labelgraph.errors import raise_if
from labelgraph.ids import new_id
from labelgraph.ontology.service import check_recipe, create_default_recipe
from labelgraph.rows import load_for, require_unique_name


async def create_dataset(uow: UnitOfWork, cmd: DatasetCreate) -> str:
    project_id, name, description, recipe_id = cmd.project_id, cmd.name, cmd.description, cmd.recipe_id
    await load_for(uow, PROJECT, project_id, "projectId", "Project", "dataset.write")
    raise_if([check_name(name, ["name"])])
    await require_unique_name(uow, DATASET, "project_id", project_id, name.strip(), "name", "dataset")
    if recipe_id is not None:
        await check_recipe(uow, recipe_id, project_id)
    else:  # a new dataset gets a default recipe with an empty ontology
        recipe_id = await create_default_recipe(uow, project_id, name.strip())
    now, id_ = utcnow(), new_id("ds")
    await uow.conn.execute(sa.insert(DATASET).values(
        id=id_, project_id=project_id, name=name.strip(), description=description, recipe_id=recipe_id,
        readonly=False, items_count=0, annotated_count=0, metadata={}, created_by=uow.principal_id,
        created_at=now, updated_at=now))
    uow.emit("dataset", "created", id_, project_id, {"name": name.strip()})
    return id_


async def update_dataset(uow: UnitOfWork, cmd: DatasetUpdate) -> str:
    id_, name, description, readonly, recipe_id = cmd.id, cmd.name, cmd.description, cmd.readonly, cmd.recipe_id
    row = await load_for(uow, DATASET, id_, "id", "Dataset", "dataset.write")
    refuse_version(row, "id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        raise_if([check_name(name, ["name"])])
        await require_unique_name(uow, DATASET, "project_id", row.project_id, name.strip(), "name", "dataset",
                                  exclude=id_)
        values["name"] = name.strip()
    if description is not None:
        values["description"] = description or None
    if readonly is not None:
        values["readonly"] = readonly
    if recipe_id is not None:  # switch the recipe: later annotations are checked against the new one
        await check_recipe(uow, recipe_id, row.project_id)
        values["recipe_id"] = recipe_id
    await uow.conn.execute(sa.update(DATASET).where(DATASET.c.id == id_).values(**values))
    uow.emit("dataset", "updated", id_, row.project_id, {k: v for k, v in values.items() if k != "updated_at"})
    return id_


async def delete_dataset(uow: UnitOfWork, cmd: Delete) -> str:
    id_, confirm = cmd.id, cmd.confirm
    row = await load_for(uow, DATASET, id_, "id", "Dataset", "dataset.write")
    refuse_version(row, "id")
    require_confirm(confirm, "a dataset with all its items and annotations")
    # items and annotations go with it (ON DELETE CASCADE)
    await uow.conn.execute(sa.delete(DATASET).where(DATASET.c.id == id_))
    uow.emit("dataset", "deleted", id_, row.project_id)
    return id_
