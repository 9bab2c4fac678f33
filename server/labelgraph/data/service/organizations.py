"""Writes of organizations: any signed-in user creates one and owns it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.commands import (
    Delete,
    OrganizationCreate,
    OrganizationUpdate,
)
from labelgraph.data.service.common import ORG, ORG_MEMBER, require_confirm
from labelgraph.data.validation import (
    check_name,
)
from labelgraph.db import UnitOfWork
from labelgraph.errors import raise_if
from labelgraph.ids import new_id
from labelgraph.rows import load_org


async def create_organization(uow: UnitOfWork, cmd: OrganizationCreate) -> str:
    """Any signed-in user may create an organization; they become its owner."""
    name = cmd.name
    uow.access.require_user()
    raise_if([check_name(name, ["name"])])
    now, id_ = utcnow(), new_id("org")
    await uow.conn.execute(sa.insert(ORG).values(id=id_, name=name.strip(), plan="freemium",
                                                created_by=uow.principal_id, created_at=now, updated_at=now))
    if uow.principal_id:
        await uow.conn.execute(sa.insert(ORG_MEMBER).values(
            id=new_id("om"), organization_id=id_, user_id=uow.principal_id, role="owner", created_at=now,
            updated_at=now))
        uow.access.org_roles[id_] = "owner"
    return id_


async def update_organization(uow: UnitOfWork, cmd: OrganizationUpdate) -> str:
    id_, name = cmd.id, cmd.name
    await load_org(uow, id_, "id", "organization.update")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if name is not None:
        raise_if([check_name(name, ["name"])])
        values["name"] = name.strip()
    await uow.conn.execute(sa.update(ORG).where(ORG.c.id == id_).values(**values))
    return id_


async def delete_organization(uow: UnitOfWork, cmd: Delete) -> str:
    id_, confirm = cmd.id, cmd.confirm
    await load_org(uow, id_, "id", "organization.delete")
    require_confirm(confirm, "an organization with all its projects")
    await uow.conn.execute(sa.delete(ORG).where(ORG.c.id == id_))
    return id_
