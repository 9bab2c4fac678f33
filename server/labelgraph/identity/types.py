"""GraphQL types of identity: users, organizations and projects (the tenants), members with their roles, API
tokens. The lowest slice: its types name no other slice's; the slices above add their relations to
``Organization``/``Project``/``User`` (graph/relations.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from labelgraph.auth import token_expiry_ok
from labelgraph.context import Info
from labelgraph.graph.mapping import EntityMap, register
from labelgraph.graph.node import Node
from labelgraph.graph.pagination import Through
from labelgraph.graph.relations import columns as _cols
from labelgraph.graph.relations import field, to_many, to_one
from labelgraph.graph.relations import load_one as _one
from labelgraph.graph.scalars import JSON
from labelgraph.identity import models as m
from labelgraph.identity.commands import OrganizationRole, ProjectRole
from labelgraph.identity.filters import ProjectFilter, ProjectOrder, apply_project_filter

strawberry.enum(OrganizationRole)


strawberry.enum(ProjectRole)


@register(EntityMap("User", "usr", m.User.__table__, _cols("id", "email", "name", "created_at"), project_column=None))
@strawberry.type
class User(Node):
    id: strawberry.ID
    email: str
    name: str | None
    created_at: datetime


@register(
    EntityMap(
        "Organization",
        "org",
        m.Organization.__table__,
        _cols("id", "name", "plan", "created_at", "updated_at"),
        project_column=None,
        compiled=True,
    )
)
@strawberry.type
class Organization(Node):
    id: strawberry.ID
    name: str
    plan: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Your role here; null when you reach it as a platform admin only")
    def viewer_role(self, info: Info) -> OrganizationRole | None:
        role = info.context.access.org_roles.get(self.id)
        return OrganizationRole(role) if role else None


@register(
    EntityMap(
        "Project",
        "prj",
        m.Project.__table__,
        _cols("id", "name", "description", "organization_id", "created_at", "updated_at", metadata="metadata"),
        orders={"NAME": ("name",), "CREATED_AT": ("created_at",), "UPDATED_AT": ("updated_at",)},
        compiled=True,
    )
)
@strawberry.type
class Project(Node):
    id: strawberry.ID
    name: str
    description: str | None
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    organization_id: strawberry.Private[str]


def _project_viewer_role(self: Project, info: Info) -> ProjectRole | None:
    role = info.context.access.project_roles.get(self.id)
    return ProjectRole(role) if role else None


@strawberry.interface(description="A user's membership in an organization or a project")
class Member(Node):
    id: strawberry.ID
    created_at: datetime
    user_id: strawberry.Private[str]

    @strawberry.field
    async def user(self, info: Info) -> User:
        return await _one(info, "User", self.user_id)


@register(EntityMap("OrganizationMember", "om", m.OrganizationMember.__table__,
                    _cols("id", "role", "created_at", "user_id", "organization_id"),
                    project_column=None, converters={"role": OrganizationRole}))
@strawberry.type
class OrganizationMember(Member):
    id: strawberry.ID
    role: OrganizationRole
    created_at: datetime
    user_id: strawberry.Private[str]
    organization_id: strawberry.Private[str]


@register(EntityMap("ProjectMember", "pm", m.ProjectMember.__table__,
                    _cols("id", "role", "created_at", "user_id", "project_id"),
                    converters={"role": ProjectRole}))
@strawberry.type
class ProjectMember(Member):
    id: strawberry.ID
    role: ProjectRole
    created_at: datetime
    user_id: strawberry.Private[str]
    project_id: strawberry.Private[str]


@register(EntityMap("ApiToken", "tok", m.ApiToken.__table__,
                    _cols("id", "name", "hint", "expires_at", "revoked_at", "created_at", "user_id"),
                    project_column=None))
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
        return self.revoked_at is None and token_expiry_ok(self.expires_at)


# --- relations (graph/relations.py): each declared once, here because identity owns the child ----------------
to_many(User, "organizations", Organization, Through(m.OrganizationMember.__table__, "user_id", "organization_id"),
        description="Organizations the user is a member of (that you can see)")
to_many(User, "projects", Project, Through(m.ProjectMember.__table__, "user_id", "project_id"),
        description="Projects the user is a member of (that you can see). Organization owners and admins reach "
        "every project of their organizations without being members.")
to_many(User, "tokens", ApiToken, "user_id", description="Your API tokens (empty for other users)")
to_many(Organization, "members", OrganizationMember, "organization_id")
to_many(Organization, "projects", Project, "organization_id", filter=ProjectFilter, order=ProjectOrder,
        where=apply_project_filter, compiled=True)
to_one(Project, "organization", Organization, "organization_id")
field(Project, "viewer_role", _project_viewer_role,
      description="Your effective role here (organization owners and admins act as owners)")
to_many(Project, "members", ProjectMember, "project_id")
to_one(OrganizationMember, "organization", Organization, "organization_id")
to_one(ProjectMember, "project", Project, "project_id")
to_one(ApiToken, "user", User, "user_id")

NODE_TYPES = [User, Organization, Project, OrganizationMember, ProjectMember, ApiToken]
