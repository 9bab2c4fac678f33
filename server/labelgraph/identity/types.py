"""GraphQL types of identity: members with their roles, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from labelgraph.context import Info
from labelgraph.graph.mapping import EntityMap, ToOne, register
from labelgraph.graph.node import Node
from labelgraph.graph.relations import load_one as _one
from labelgraph.identity import models as m
from labelgraph.identity.commands import OrganizationRole, ProjectRole

if TYPE_CHECKING:
    from labelgraph.data.types import Organization, Project, User

UserType = Annotated["User", strawberry.lazy("labelgraph.data.types")]
OrganizationType = Annotated["Organization", strawberry.lazy("labelgraph.data.types")]
ProjectType = Annotated["Project", strawberry.lazy("labelgraph.data.types")]


strawberry.enum(OrganizationRole)


strawberry.enum(ProjectRole)


@strawberry.interface(description="A user's membership in an organization or a project")
class Member(Node):
    id: strawberry.ID
    created_at: datetime
    user_id: strawberry.Private[str]

    @strawberry.field
    async def user(self, info: Info) -> UserType:
        return await _one(info, "User", self.user_id)


@register(EntityMap("OrganizationMember", "om", m.OrganizationMember.__table__,
                    {"id": "id", "role": "role", "created_at": "created_at", "user_id": "user_id",
                     "organization_id": "organization_id"},
                    relations={"user": ToOne("User", "user_id"), "organization": ToOne("Organization",
                                                                                       "organization_id")},
                    project_column=None, converters={"role": OrganizationRole}))
@strawberry.type
class OrganizationMember(Member):
    id: strawberry.ID
    role: OrganizationRole
    created_at: datetime
    user_id: strawberry.Private[str]
    organization_id: strawberry.Private[str]

    @strawberry.field
    async def organization(self, info: Info) -> OrganizationType:
        return await _one(info, "Organization", self.organization_id)


@register(EntityMap("ProjectMember", "pm", m.ProjectMember.__table__,
                    {"id": "id", "role": "role", "created_at": "created_at", "user_id": "user_id",
                     "project_id": "project_id"},
                    relations={"user": ToOne("User", "user_id"), "project": ToOne("Project", "project_id")},
                    converters={"role": ProjectRole}))
@strawberry.type
class ProjectMember(Member):
    id: strawberry.ID
    role: ProjectRole
    created_at: datetime
    user_id: strawberry.Private[str]
    project_id: strawberry.Private[str]

    @strawberry.field
    async def project(self, info: Info) -> ProjectType:
        return await _one(info, "Project", self.project_id)


@register(EntityMap("ApiToken", "tok", m.ApiToken.__table__,
                    {"id": "id", "name": "name", "hint": "hint", "expires_at": "expires_at",
                     "revoked_at": "revoked_at", "created_at": "created_at", "user_id": "user_id"},
                    relations={"user": ToOne("User", "user_id")}, project_column=None))
@strawberry.type(description="An API token. The token itself is shown only once, by tokenCreate.")
class ApiToken(Node):
    id: strawberry.ID
    name: str
    hint: str = strawberry.field(description="The token's first characters, to recognise it")
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime
    user_id: strawberry.Private[str]

    @strawberry.field
    def active(self) -> bool:
        from labelgraph.auth import token_expiry_ok

        return self.revoked_at is None and token_expiry_ok(self.expires_at)

    @strawberry.field
    async def user(self, info: Info) -> UserType:
        return await _one(info, "User", self.user_id)


NODE_TYPES = [OrganizationMember, ProjectMember, ApiToken]
