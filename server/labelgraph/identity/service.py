"""Writes of identity: API tokens, organization and project members, bots."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from labelgraph.auth import ORG_ROLES, PROJECT_ROLES, TOKEN, USER, hash_token, new_token
from labelgraph.columns import as_utc, utcnow
from labelgraph.db import UnitOfWork, serialize_on_postgres
from labelgraph.errors import Problems, Refused, invalid, not_found
from labelgraph.identity.commands import (
    BotCreate,
    OrganizationMemberRemove,
    OrganizationMemberSet,
    ProjectMemberRemove,
    ProjectMemberSet,
    TokenCreate,
    TokenRevoke,
)
from labelgraph.identity.models import OrganizationMember, Project, ProjectMember
from labelgraph.ids import new_id
from labelgraph.rows import load_for, load_org

PROJECT = Project.__table__
ORG_MEMBER = OrganizationMember.__table__
PROJECT_MEMBER = ProjectMember.__table__
BOT_LOCK_BASE = 0x6C670000  # PostgreSQL advisory locks (per project) while a service's bot is chosen
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 320:
        raise invalid(f"email must be an address like name@example.com, got {email!r}", field)
    return email


async def ensure_user(uow: UnitOfWork, email: str, name: str | None = None, *, bot_project_id: str | None = None
                      ) -> str:
    """The id of the user with ``email``, created if new. Two transactions creating one user at once (replicas
    starting together) both get it: the second insert waits for the first, then inserts nothing."""
    row = (await uow.conn.execute(sa.select(USER.c.id).where(USER.c.email == email))).first()
    if row:
        return row.id
    now = utcnow()
    insert = pg_insert if uow.conn.dialect.name == "postgresql" else sqlite_insert
    await uow.conn.execute(insert(USER).values(
        id=new_id("usr"), email=email, name=name, is_admin=False, bot_project_id=bot_project_id, created_at=now,
        updated_at=now).on_conflict_do_nothing(index_elements=[USER.c.email]))
    return (await uow.conn.execute(sa.select(USER.c.id).where(USER.c.email == email))).scalar_one()


# --- tokens --------------------------------------------------------------------------------------------

async def create_token(uow: UnitOfWork, cmd: TokenCreate) -> tuple[str, str]:
    """A new token for the caller, or (admins only) for the user with ``email`` (created if new).
    Returns (token id, the token itself: shown once)."""
    name, email, expires_at = cmd.name, cmd.email, cmd.expires_at
    access = uow.access
    if not access.is_admin:
        access.require_user()
    _no_function_token(access)
    if not name or not name.strip():
        raise invalid("name must not be empty: say what the token is for", "name")
    if expires_at is not None and as_utc(expires_at) <= utcnow():
        raise invalid("expiresAt must be in the future", "expiresAt")
    if email is not None and _check_email(email) != (access.email or ""):
        if not access.is_admin:
            raise Refused("FORBIDDEN", "only platform admins may create tokens for other users")
        user_id = await ensure_user(uow, _check_email(email))
    else:
        user_id = uow.principal_id
        if user_id is None:
            raise invalid("email is required when the system creates a token", "email")
    token = new_token()
    token_id = new_id("tok")
    await uow.conn.execute(sa.insert(TOKEN).values(
        id=token_id, user_id=user_id, name=name.strip(), token_hash=hash_token(token), hint=token[:10],
        expires_at=expires_at, created_at=utcnow()))
    return token_id, token


def _no_function_token(access: Any) -> None:
    """A function's token lives as long as its execution: it may not make tokens that outlive it, nor end the
    tokens of other executions of its bot."""
    if access.function_token:
        raise Refused("FORBIDDEN", "a function's token (issued for one execution) cannot create or revoke tokens")


async def revoke_token(uow: UnitOfWork, cmd: TokenRevoke) -> str:
    token_id = cmd.id
    _no_function_token(uow.access)
    row = (await uow.conn.execute(sa.select(TOKEN.c.id, TOKEN.c.user_id, TOKEN.c.revoked_at)
                                  .where(TOKEN.c.id == token_id))).first()
    if row is None or (row.user_id != uow.principal_id and not uow.access.is_admin):
        raise not_found(f"no token with id {token_id!r}", "id")
    if row.revoked_at is None:
        await uow.conn.execute(sa.update(TOKEN).where(TOKEN.c.id == token_id).values(revoked_at=utcnow()))
    return token_id


# --- organization members ------------------------------------------------------------------------------

def _role(value: str, allowed: tuple[str, ...], field: str = "role") -> str:
    if value not in allowed:
        raise invalid(f"role must be one of {', '.join(allowed)}, got {value!r}", field)
    return value


async def _org_member(uow: UnitOfWork, org_id: str, email: str) -> Any:
    row = (await uow.conn.execute(
        sa.select(ORG_MEMBER.c.id, ORG_MEMBER.c.role, ORG_MEMBER.c.user_id)
        .join(USER, USER.c.id == ORG_MEMBER.c.user_id)
        .where(ORG_MEMBER.c.organization_id == org_id, USER.c.email == email))).first()
    if row is None:
        raise not_found(f"{email} is not a member of this organization", "email")
    return row


async def _last_owner(uow: UnitOfWork, table: sa.Table, scope_col: str, scope_id: str, member_id: str) -> bool:
    owners = (await uow.conn.execute(sa.select(table.c.id).where(
        table.c[scope_col] == scope_id, table.c.role == "owner"))).scalars().all()
    return owners == [member_id]


async def add_org_member(uow: UnitOfWork, cmd: OrganizationMemberSet) -> str:
    org_id, email, role = cmd.organization_id, cmd.email, cmd.role.value
    await load_org(uow, org_id, "organizationId", "organization.members")
    email, role = _check_email(email), _role(role, ORG_ROLES)
    user_id = await ensure_user(uow, email)
    exists = (await uow.conn.execute(sa.select(ORG_MEMBER.c.id).where(
        ORG_MEMBER.c.organization_id == org_id, ORG_MEMBER.c.user_id == user_id))).first()
    if exists:
        raise Problems.one("DUPLICATE", f"{email} is a member already; change the role with "
                           "organizationMemberUpdate", ["email"])
    now, member_id = utcnow(), new_id("om")
    await uow.conn.execute(sa.insert(ORG_MEMBER).values(id=member_id, organization_id=org_id, user_id=user_id,
                                                        role=role, created_at=now, updated_at=now))
    return member_id


async def update_org_member(uow: UnitOfWork, cmd: OrganizationMemberSet) -> str:
    org_id, email, role = cmd.organization_id, cmd.email, cmd.role.value
    await load_org(uow, org_id, "organizationId", "organization.members")
    email, role = _check_email(email), _role(role, ORG_ROLES)
    member = await _org_member(uow, org_id, email)
    if member.role == "owner" and role != "owner" and await _last_owner(uow, ORG_MEMBER, "organization_id", org_id,
                                                                        member.id):
        raise Problems.one("CONFLICT", "an organization needs an owner: make someone else owner first", ["role"])
    await uow.conn.execute(sa.update(ORG_MEMBER).where(ORG_MEMBER.c.id == member.id)
                           .values(role=role, updated_at=utcnow()))
    return member.id


async def remove_org_member(uow: UnitOfWork, cmd: OrganizationMemberRemove) -> str:
    org_id, email = cmd.organization_id, cmd.email
    """Remove a member from the organization and from all of its projects."""
    await load_org(uow, org_id, "organizationId", "organization.members")
    member = await _org_member(uow, org_id, _check_email(email))
    if member.role == "owner" and await _last_owner(uow, ORG_MEMBER, "organization_id", org_id, member.id):
        raise Problems.one("CONFLICT", "an organization needs an owner: make someone else owner first", ["email"])
    await uow.conn.execute(sa.delete(PROJECT_MEMBER).where(
        PROJECT_MEMBER.c.user_id == member.user_id,
        PROJECT_MEMBER.c.project_id.in_(sa.select(PROJECT.c.id).where(PROJECT.c.organization_id == org_id))))
    await uow.conn.execute(sa.delete(ORG_MEMBER).where(ORG_MEMBER.c.id == member.id))
    return member.id


# --- project members -----------------------------------------------------------------------------------

async def _project(uow: UnitOfWork, project_id: str) -> Any:
    return await load_for(uow, PROJECT, project_id, "projectId", "Project", "project.members", "organization_id")


async def _project_member(uow: UnitOfWork, project_id: str, email: str) -> Any:
    row = (await uow.conn.execute(
        sa.select(PROJECT_MEMBER.c.id, PROJECT_MEMBER.c.role, PROJECT_MEMBER.c.user_id)
        .join(USER, USER.c.id == PROJECT_MEMBER.c.user_id)
        .where(PROJECT_MEMBER.c.project_id == project_id, USER.c.email == email))).first()
    if row is None:
        raise not_found(f"{email} is not a member of this project", "email")
    return row


async def add_project_member(uow: UnitOfWork, cmd: ProjectMemberSet) -> str:
    project_id, email, role = cmd.project_id, cmd.email, cmd.role.value
    """Add a user (created when the email is new) to a project; someone outside the organization joins it as
    a ``worker`` so they can see it."""
    project = await _project(uow, project_id)
    email, role = _check_email(email), _role(role, PROJECT_ROLES)
    user_id = await ensure_user(uow, email)
    now = utcnow()
    in_org = (await uow.conn.execute(sa.select(ORG_MEMBER.c.id).where(
        ORG_MEMBER.c.organization_id == project.organization_id, ORG_MEMBER.c.user_id == user_id))).first()
    if not in_org:
        await uow.conn.execute(sa.insert(ORG_MEMBER).values(
            id=new_id("om"), organization_id=project.organization_id, user_id=user_id, role="worker",
            created_at=now, updated_at=now))
    exists = (await uow.conn.execute(sa.select(PROJECT_MEMBER.c.id).where(
        PROJECT_MEMBER.c.project_id == project_id, PROJECT_MEMBER.c.user_id == user_id))).first()
    if exists:
        raise Problems.one("DUPLICATE", f"{email} is a member already; change the role with projectMemberUpdate",
                           ["email"])
    member_id = new_id("pm")
    await uow.conn.execute(sa.insert(PROJECT_MEMBER).values(id=member_id, project_id=project_id, user_id=user_id,
                                                            role=role, created_at=now, updated_at=now))
    return member_id


async def update_project_member(uow: UnitOfWork, cmd: ProjectMemberSet) -> str:
    project_id, email, role = cmd.project_id, cmd.email, cmd.role.value
    await _project(uow, project_id)
    email, role = _check_email(email), _role(role, PROJECT_ROLES)
    member = await _project_member(uow, project_id, email)
    if member.role == "owner" and role != "owner" and await _last_owner(uow, PROJECT_MEMBER, "project_id",
                                                                        project_id, member.id):
        raise Problems.one("CONFLICT", "a project needs an owner: make someone else owner first", ["role"])
    await uow.conn.execute(sa.update(PROJECT_MEMBER).where(PROJECT_MEMBER.c.id == member.id)
                           .values(role=role, updated_at=utcnow()))
    return member.id


async def remove_project_member(uow: UnitOfWork, cmd: ProjectMemberRemove) -> str:
    project_id, email = cmd.project_id, cmd.email
    await _project(uow, project_id)
    member = await _project_member(uow, project_id, _check_email(email))
    if member.role == "owner" and await _last_owner(uow, PROJECT_MEMBER, "project_id", project_id, member.id):
        raise Problems.one("CONFLICT", "a project needs an owner: make someone else owner first", ["email"])
    await uow.conn.execute(sa.delete(PROJECT_MEMBER).where(PROJECT_MEMBER.c.id == member.id))
    return member.id


# --- bots ----------------------------------------------------------------------------------------------

async def create_bot(uow: UnitOfWork, cmd: BotCreate) -> tuple[str, str]:
    """A project-scoped service user (engineer in the project) with a token. Returns (user id, token)."""
    project_id, name = cmd.project_id, cmd.name
    await _project(uow, project_id)
    if not name or not re.match(r"^[a-z0-9][a-z0-9-]{0,62}$", name):
        raise invalid(f"name must be lowercase letters, digits and dashes (at most 63), got {name!r}", "name")
    if (await uow.conn.execute(sa.select(USER.c.id).where(USER.c.email == _bot_email(project_id, name)))).first():
        raise Problems.one("DUPLICATE", f"this project has a bot named {name!r} already", ["name"])
    user_id = await _add_bot(uow, project_id, name)
    now = utcnow()
    token = new_token()
    await uow.conn.execute(sa.insert(TOKEN).values(id=new_id("tok"), user_id=user_id, name=f"bot {name}",
                                                   token_hash=hash_token(token), hint=token[:10], created_at=now))
    return user_id, token


def _bot_email(project_id: str, name: str) -> str:
    return f"{name}@{project_id.lower()}.bots.labelgraph"


async def _add_bot(uow: UnitOfWork, project_id: str, name: str) -> str:
    """The bot user ``name`` of the project, an engineer there (no access check: callers check)."""
    user_id = await ensure_user(uow, _bot_email(project_id, name), name, bot_project_id=project_id)
    now = utcnow()
    await uow.conn.execute(sa.insert(PROJECT_MEMBER).values(id=new_id("pm"), project_id=project_id, user_id=user_id,
                                                            role="engineer", created_at=now, updated_at=now))
    return user_id


async def service_bot(uow: UnitOfWork, project_id: str) -> str:
    """The bot a new service runs as: the project's first bot, or a new bot ``default`` (domain.md 2.2).
    Functions act with this bot's rights only: one project, the engineer role (see engine/queue.py claim)."""
    # two services deployed at once into a bot-less project must not both create "default"
    await serialize_on_postgres(uow.conn, BOT_LOCK_BASE + int(hashlib.sha256(project_id.encode()).hexdigest()[:7],
                                                              16))
    first = (await uow.conn.execute(sa.select(USER.c.id).where(USER.c.bot_project_id == project_id)
                                    .order_by(USER.c.created_at, USER.c.id).limit(1))).first()
    return first.id if first else await _add_bot(uow, project_id, "default")
