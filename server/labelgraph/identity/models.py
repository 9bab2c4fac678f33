"""Tables of identity: users, organizations, projects (the tenants everything else belongs to), API tokens,
organization and project members. SQLModel tables only; GraphQL types
live in types.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field, time_field


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: str = id_field()
    email: str = Field(unique=True, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    is_admin: bool = False
    # a bot is a project-scoped service user (domain.md §2.2)
    # (no foreign key: project.created_by already points at users, and the cycle is not worth it)
    bot_project_id: str | None = Field(default=None, max_length=40, index=True)
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Organization(SQLModel, table=True):
    id: str = id_field()
    name: str = Field(max_length=200)
    plan: str = Field(default="freemium", max_length=20)
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Project(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "name"),)
    id: str = id_field()
    organization_id: str = fk("organization.id")
    name: str = Field(max_length=200)
    description: str | None = None
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    id: str = id_field()
    user_id: str = fk("app_user.id", index=True)
    name: str = Field(max_length=200)
    token_hash: str = Field(unique=True, max_length=64)
    hint: str = Field(max_length=16)  # the first characters, to recognise a token in a list
    expires_at: datetime | None = time_field()
    revoked_at: datetime | None = time_field()
    last_used_at: datetime | None = time_field()
    created_at: datetime = created_field()


class OrganizationMember(SQLModel, table=True):
    __tablename__ = "organization_member"
    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)
    id: str = id_field()
    organization_id: str = fk("organization.id")
    user_id: str = fk("app_user.id", index=True)
    role: str = Field(max_length=20)  # owner | admin | member | worker
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class ProjectMember(SQLModel, table=True):
    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)
    id: str = id_field()
    project_id: str = fk("project.id")
    user_id: str = fk("app_user.id", index=True)
    role: str = Field(max_length=30)  # owner | engineer | annotationManager | annotator
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
