"""Mutation inputs of identity."""

from __future__ import annotations

from datetime import datetime

import strawberry

from labelgraph.identity.commands import OrganizationRole, ProjectRole


@strawberry.input
class TokenCreateInput:
    name: str = strawberry.field(description="What the token is for")
    email: str | None = strawberry.field(default=None, description="Admins: create it for this user "
                                         "(created if new)")
    expires_at: datetime | None = None


@strawberry.input
class TokenRevokeInput:
    id: strawberry.ID


@strawberry.input
class OrganizationMemberAddInput:
    organization_id: strawberry.ID
    email: str = strawberry.field(description="The user is created when the email is new")
    role: OrganizationRole = OrganizationRole.MEMBER


@strawberry.input
class OrganizationMemberUpdateInput:
    organization_id: strawberry.ID
    email: str
    role: OrganizationRole


@strawberry.input
class OrganizationMemberRemoveInput:
    organization_id: strawberry.ID
    email: str


@strawberry.input
class ProjectMemberAddInput:
    project_id: strawberry.ID
    email: str = strawberry.field(description="The user is created when the email is new; someone outside the "
                                  "organization joins it as a WORKER")
    role: ProjectRole = ProjectRole.ENGINEER


@strawberry.input
class ProjectMemberUpdateInput:
    project_id: strawberry.ID
    email: str
    role: ProjectRole


@strawberry.input
class ProjectMemberRemoveInput:
    project_id: strawberry.ID
    email: str


@strawberry.input
class BotCreateInput:
    project_id: strawberry.ID
    name: str = strawberry.field(description="lowercase letters, digits and dashes")
