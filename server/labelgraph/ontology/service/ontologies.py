"""Writes of ontologies."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.errors import invalid
from labelgraph.ids import new_id
from labelgraph.ontology.commands import (
    NewLabel,
    OntologyCreate,
    OntologyDelete,
    OntologyUpdate,
)
from labelgraph.ontology.service.common import ONTOLOGY, PROJECT, touch
from labelgraph.ontology.service.labels import add_new_labels
from labelgraph.rows import load_for


async def new_ontology(uow: UnitOfWork, project_id: str, title: str, labels: Sequence[NewLabel] = ()) -> str:
    uow.access.require_project(project_id, "recipe.write", "project", project_id, "projectId")
    if not title or not title.strip():
        raise invalid("title must not be empty", "title")
    now, id_ = utcnow(), new_id("ont")
    await uow.conn.execute(sa.insert(ONTOLOGY).values(id=id_, project_id=project_id, title=title.strip(),
                                                      metadata={}, created_by=uow.principal_id, created_at=now,
                                                      updated_at=now))
    if labels:
        await add_new_labels(uow, id_, labels)
    touch(uow, "ontology", "created", id_, project_id)
    return id_


async def create_ontology(uow: UnitOfWork, cmd: OntologyCreate) -> str:
    await load_for(uow, PROJECT, cmd.project_id, "projectId", "Project", "recipe.write")
    return await new_ontology(uow, cmd.project_id, cmd.title, cmd.labels)


async def update_ontology(uow: UnitOfWork, cmd: OntologyUpdate) -> str:
    id_, title = cmd.id, cmd.title
    row = await load_for(uow, ONTOLOGY, id_, "id", "Ontology", "recipe.write")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if title is not None:
        if not title.strip():
            raise invalid("title must not be empty", "title")
        values["title"] = title.strip()
    await uow.conn.execute(sa.update(ONTOLOGY).where(ONTOLOGY.c.id == id_).values(**values))
    touch(uow, "ontology", "updated", id_, row.project_id)
    return id_


async def delete_ontology(uow: UnitOfWork, cmd: OntologyDelete) -> str:
    id_ = cmd.id
    row = await load_for(uow, ONTOLOGY, id_, "id", "Ontology", "recipe.write")
    await uow.conn.execute(sa.delete(ONTOLOGY).where(ONTOLOGY.c.id == id_))
    touch(uow, "ontology", "deleted", id_, row.project_id)
    return id_
