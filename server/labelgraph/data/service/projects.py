"""Writes of projects: the creator owns the project; names are unique per organization."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import (
    Delete,
    ProjectCreate,
    ProjectUpdate,
)
from labelgraph.data.service.common import PROJECT, PROJECT_MEMBER, require_confirm
from labelgraph.data.validation import (
    check_name,
)
from labelgraph.db import UnitOfWork
from labelgraph.errors import raise_if
from labelgraph.ids import new_id
from labelgraph.rows import load_for, load_org, require_unique_name


async def create_project(uow: UnitOfWork, cmd: ProjectCreate) -> str:
    organization_id, name, description = cmd.organization_id, cmd.name, cmd.description
    await load_org(uow, organization_id, "organizationId", "project.create")
    raise_if([check_name(name, ["name"])])
    await require_unique_name(uow, PROJECT, "organization_id", organization_id, name.strip(), "name", "project")
    now, id_ = utcnow(), new_id("prj")
    await uow.conn.execute(sa.insert(PROJECT).values(
        id=id_, organization_id=organization_id, name=name.strip(), description=description, metadata={},
        created_by=uow.principal_id, created_at=now, updated_at=now))
    if uow.principal_id:  # the creator owns the project
        await uow.conn.execute(sa.insert(PROJECT_MEMBER).values(
            id=new_id("pm"), project_id=id_, user_id=uow.principal_id, role="owner", created_at=now,
            updated_at=now))
        uow.access.project_roles[id_] = "owner"
    return id_


async def update_project(uow: UnitOfWork, cmd: ProjectUpdate) -> str:
    id_, name, description = cmd.id, cmd.name, cmd.description
    row = await load_for(uow, PROJECT, id_, "id", "Project", "project.update", "organization_id")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        raise_if([check_name(name, ["name"])])
        await require_unique_name(uow, PROJECT, "organization_id", row.organization_id, name.strip(), "name", "project",
                      exclude=id_)
        values["name"] = name.strip()
    if description is not None:
        values["description"] = description or None
    await uow.conn.execute(sa.update(PROJECT).where(PROJECT.c.id == id_).values(**values))
    return id_


async def delete_project(uow: UnitOfWork, cmd: Delete) -> str:
    id_, confirm = cmd.id, cmd.confirm
    await load_for(uow, PROJECT, id_, "id", "Project", "project.delete")
    require_confirm(confirm, "a project with all its datasets, items and annotations")
    await uow.conn.execute(sa.delete(PROJECT).where(PROJECT.c.id == id_))
    return id_
